"""Factual questions about films: answered from the catalog, not with a new list."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convrec.answers import answer, asked_facts
from convrec.film_facts import describe
from convrec.catalog import Item
from convrec.dialogue import Dialogue
from convrec.state import SYSTEM, DialogueState, Turn
from tests.test_dialogue import CAT, StateFilterRecommender, chat


def test_scripted_chat_with_questions_exact_transcript():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=3)
    state, replies = chat(dialogue, [
        "I loved The Godfather", "who directed the second one?", "and who is in it?",
        "tell me more about number 3", "who directed them?", "what's it about?", "what is Alien about?",
        "any films about the mob?"])
    assert [t.render() for t in state.turns] == [
        "USER: I loved The Godfather",
        "SYSTEM: You might enjoy: The Godfather Part II (1974); Heat (1995); Cast Away (2000).",
        "USER: who directed the second one?",
        "SYSTEM: Heat (1995) was directed by Michael Mann.",
        "USER: and who is in it?",
        "SYSTEM: Heat (1995) stars Al Pacino and Robert De Niro.",
        "USER: tell me more about number 3",
        "SYSTEM: Cast Away (2000) is a drama and adventure film. It was directed by Robert Zemeckis. "
        "It stars Tom Hanks. Cast Away, a drama film.",
        "USER: who directed them?",
        "SYSTEM: The Godfather Part II (1974) was directed by Francis Ford Coppola. Heat (1995) was directed by "
        "Michael Mann. Cast Away (2000) was directed by Robert Zemeckis.",
        "USER: what's it about?",
        "SYSTEM: Which one do you mean? 1. The Godfather Part II (1974); 2. Heat (1995); 3. Cast Away (2000).",
        "USER: what is Alien about?",
        "SYSTEM: Alien (1979): Alien, a horror film.",
        "USER: any films about the mob?",
        "SYSTEM: You might enjoy: The Big Lebowski (1998); The Notebook (2004); Dune (2021). That is the last crime "
        "film in this catalog that fits; the rest come closest.",  # a topic: a list, and the last crime film left
    ]
    assert [r.items for r in replies][1:7] == [[]] * 6  # answers show no new list
    assert state.turns[3].about == ["heat"] and state.turns[9].about == ["gf2", "heat", "castaway"]
    # asking about a film is no verdict on it: only the Godfather was liked
    assert state.preferences.liked == ["gf1"] and state.preferences.seen == ["gf1"]
    assert state.preferences.constraints == ["films about the mob"]
    assert DialogueState.from_json(state.to_json()) == state


def test_the_words_of_an_answered_question_are_no_wish():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=3)
    state, _ = dialogue.turn(DialogueState(), "I loved The Godfather")
    state, reply = dialogue.turn(state, "is the second one scary? is it for kids?")
    assert reply.items == [] and "listed as" in reply.text
    assert state.preferences.liked_genres == [] and state.preferences.disliked_genres == []


def test_after_an_answer_it_means_the_film_answered_about():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=3)
    state, reply = dialogue.turn(DialogueState(), "I loved The Godfather")
    state, _ = dialogue.turn(state, "what about the second one, who is in it?")  # "what about": no plot asked
    assert state.turns[-1].text == "Heat (1995) stars Al Pacino and Robert De Niro."
    state, _ = dialogue.turn(state, "I've seen it already")
    assert "heat" in state.preferences.seen and not {"gf2", "castaway"} & set(state.preferences.seen)


@pytest.mark.parametrize("text, about", [
    ("the second one sounds good, tell me more", ["heat"]),
    ("Heat sounds great, tell me more!", ["heat"]),
    ("tell me more about number 3", ["castaway"]),
])
def test_tell_me_more_about_a_shown_film_describes_it(text, about):
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=3)
    state, _ = dialogue.turn(DialogueState(), "I loved The Godfather")
    state, reply = dialogue.turn(state, text)
    assert reply.items == [] and state.turns[-1].about == about
    assert state.turns[-1].text.startswith(CAT[about[0]].label + " is a ")


def test_a_bare_tell_me_more_asks_which_film_or_describes_the_one_in_focus():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=3)
    state, _ = dialogue.turn(DialogueState(), "I loved The Godfather")
    state, reply = dialogue.turn(state, "can you tell me more?")
    assert reply.items == [] and reply.text.startswith("Which one do you mean? 1. The Godfather Part II (1974)")
    state, _ = dialogue.turn(state, "who directed the second one?")
    state, reply = dialogue.turn(state, "tell me more")  # the film the last answer was about
    assert state.turns[-1].about == ["heat"] and "It stars Al Pacino" in reply.text
    state, reply = dialogue.turn(state, "tell me more movies like that")  # asks for films: a list
    assert reply.items and not {"gf1", "gf2", "heat", "castaway"} & set(reply.items)


def test_the_film_named_before_a_list_is_among_the_choices_for_it():
    """"I loved The Godfather", a list, "who directed it?" had offered only the list."""
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=3)
    state, _ = dialogue.turn(DialogueState(), "I loved The Godfather")
    state, reply = dialogue.turn(state, "who directed it?")
    assert reply.text == ("Which one do you mean? The Godfather (1972), which you named, or one of mine: "
                          "1. The Godfather Part II (1974); 2. Heat (1995); 3. Cast Away (2000).")
    after, reply = dialogue.turn(state, "the godfather")
    assert reply.text == "The Godfather (1972) was directed by Francis Ford Coppola."
    after, reply = dialogue.turn(state, "2")  # numbers still count the list
    assert reply.text == "Heat (1995) was directed by Michael Mann."


def test_a_list_of_ordinals_asks_about_each():
    shown = ["heat", "up", "alien"]
    assert answer("tell me about the second and third", CAT, shown=shown).item_ids == ["up", "alien"]
    assert answer("who directed the 1st and 3rd?", CAT, shown=shown).item_ids == ["heat", "alien"]


def test_words_of_a_title_ask_nothing():
    assert answer("what about the other Toy Story movies?", CAT) is None  # the "story" of Toy Story
    assert answer("what is Toy Story about?", CAT).item_ids == ["ts1"]


def test_tell_me_more_with_nothing_shown_is_left_to_the_policy():
    assert answer("tell me more", CAT, shown=[]) is None


def test_a_question_with_a_stated_preference_keeps_the_preference():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=3)
    state, reply = dialogue.turn(DialogueState(), "I hated Alien. Who directed Heat?")
    assert reply.text == "Heat (1995) was directed by Michael Mann."
    assert state.preferences.disliked == ["alien"]


@pytest.mark.parametrize("text, facts", [
    ("who directed it?", ["director"]),
    ("what do you think of Titanic?", ["quality"]),  # it had got a question back
    ("thoughts on the second one?", ["quality"]),
    ("when did the first one come out?", ["year"]),
    ("what year was it released", ["year"]),
    ("who stars in Heat and who directed it?", ["director", "cast"]),
    ("what kind of movie is the second one?", ["genre"]),
    ("what's the plot of Heat?", ["plot"]),
    ("tell me about Up", ["genre", "director", "cast", "plot"]),
    ("sounds good, tell me more", ["genre", "director", "cast", "plot"]),
    ("tell me more films like Heat", []),  # asks for films
    ("tell me more options please", []),
    ("is the second one scary?", ["is scary"]),
    ("how long is it? is it rated R?", ["rating", "runtime"]),
    ("is there a funny one about dogs?", ["is funny", "plot"]),  # no film named: the policy answers with a list
    ("any films about space?", []),  # asks for films, not for a plot
    ("something about the mob", []),
    ("I loved it, it was directed so well", []),  # not a question
    ("I want a movie directed by Nolan", []),
    ("is it on netflix?", ["streaming"]),
    ("where can I watch the second one?", ["streaming"]),
    ("anything streaming on netflix like Heat?", []),  # asks for films
    ("what about something funny?", []),
    ("ok and is it on netflix", ["streaming"]),  # no question mark, a filler first: it had got a new list
    ("so who directed the third one", ["director"]),
    ("ok great, the second one please", []),
    ("is the first one good?", ["quality"]),
    ("is it worth watching?", ["quality"]),
    ("this is really good, more please", []),  # praise, not a question
    # a statement checked with a tag asks too ("the second one is for kids, right?" had got a new list)
    ("the second one is for kids, right?", ["is for kids"]), ("it's scary, isn't it?", ["is scary"]),
    ("the first one is good, right?", ["quality"]),
    ("it is what I wanted, right", []),  # no question mark: a statement
    ("is the second one in french?", ["language"]), ("any movies in french?", []),  # a new list had come; films
    ("is it based on a book?", ["source"]),  # (a new list had come)
    ("who voices the main character in the first one?", ["cast"]),  # an animation's cast (a new list had come)
])
def test_asked_facts(text, facts):
    assert asked_facts(text.lower()) == facts


def test_facts_the_catalog_lacks_are_said_to_be_missing():
    bare = Item("x", "Nameless", None)
    assert describe(bare, ["year", "director", "plot"]) == \
        "The catalog has no year, director or plot summary for Nameless."
    assert describe(CAT["heat"], ["year"]) == "Heat (1995) came out in 1995."


def test_yes_no_questions_are_answered_from_genres_and_absent_facts_are_said_to_be_absent():
    assert answer("is the second one scary?", CAT, shown=["heat", "shining"]).text == \
        "The Shining (1980) is a horror film, listed as horror."
    assert answer("is it for kids?", CAT, shown=["heat"]).text == \
        "Heat (1995) is a crime and thriller film, not listed as family or animation."
    # "good for kids" asks who it suits, after an opening "and" too (it had been answered with reasons it fits)
    assert answer("and is it good for kids?", CAT, shown=["heat"]).text == \
        "Heat (1995) is a crime and thriller film, not listed as family or animation."
    assert answer("how long is Up?", CAT).text == "The catalog has no running time for Up (2009)."
    assert answer("is the first one on Netflix?", CAT, shown=["heat", "up"]).text == \
        "The catalog has no streaming or rental information for Heat (1995)."  # it had been read as a request
    assert answer("whats the rating of the third one", CAT, shown=["heat", "up", "shining"]).text == \
        "The catalog has no age rating or review score for The Shining (1980)."  # "rating" is often a score
    assert answer("is there a funny one about dogs?", CAT, shown=["heat", "up"]) is None


def test_no_referent_means_no_answer():
    assert answer("who directed it?", CAT, shown=[]) is None  # nothing shown, no title named
    assert answer("I loved Heat", CAT, shown=["heat"]) is None  # not a question
    assert answer("who directed it?", CAT, shown=["heat"]).text == "Heat (1995) was directed by Michael Mann."
    assert answer("who directed it?", CAT, shown=["heat", "up"], focus=["up"]).item_ids == ["up"]
    assert answer("who directed it?", CAT, shown=["heat", "up"]).item_ids == []  # which one? asks back


def test_it_is_the_film_of_the_nearest_sentence_that_names_one():
    """"seen the first two. the third looks good, what is it about?" had asked "Which one do you mean?"."""
    shown = ["heat", "up", "alien"]
    got = answer("seen the first two. the third looks good, what is it about?", CAT, shown=shown)
    assert got.item_ids == ["alien"]
    assert answer("the third looks good. seen Heat, who directed it?", CAT, shown=shown).item_ids == ["heat"]
    assert answer("seen the first two, what are they about?", CAT, shown=shown).item_ids == ["heat", "up"]
    assert answer("who directed them?", CAT, shown=shown).item_ids == shown


def test_what_a_film_is_based_on_is_told_from_its_tags_or_said_to_be_missing():
    film = Item("x", "Zodiac", 2007, ["Crime"], tags=["true story"])
    assert describe(film, ["source"]) == "Zodiac (2007) is tagged true story."
    assert describe(Item("y", "Alien", 1979, ["Horror"]), ["source"]) == \
        "The catalog has no record of a book or other work it is based on for Alien (1979)."


def test_it_is_the_film_set_apart_from_the_rest():
    """"seen them all except the third one. is it good?" had asked which one was meant."""
    shown = ["heat", "up", "alien"]
    assert answer("seen them all except the third one. is it good?", CAT, shown=shown).item_ids == ["alien"]
    assert answer("I have seen all of them apart from Up. what is it about?", CAT, shown=shown).item_ids == ["up"]
    assert answer("seen them all. is it good?", CAT, shown=shown).item_ids == []  # which one is unclear


def test_a_question_after_a_comma_needs_no_question_mark():
    """"the first one, how long is it" had got a new list, and the first film was marked liked."""
    assert answer("the first one, how long is it", CAT, shown=["heat", "up"]).text == \
        "The catalog has no running time for Heat (1995)."
    # and after a "but": "sounds good but is it scary?" about the film just described had got a new list
    assert answer("sounds good but is it scary?", CAT, shown=["heat", "up"], focus=["heat"]).item_ids == ["heat"]
    assert answer("it was good but who directed it?", CAT, shown=["heat", "up"], focus=["up"]).item_ids == ["up"]


def test_that_at_the_end_of_a_question_is_a_film():
    """"who is the director of that" had got a new list that ignored the question."""
    assert answer("who is the director of that", CAT, shown=["heat"]).item_ids == ["heat"]
    assert answer("whats that about?", CAT, shown=["heat", "up"], focus=["up"]).item_ids == ["up"]
    assert answer("who is the director of that", CAT, shown=["heat", "up"]).text.startswith("Which one do you mean?")


def test_unknown_ids_in_the_shown_list_are_ignored():
    assert answer("who directed them?", CAT, shown=["gone", "heat"]).item_ids == ["heat"]


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=300), n_shown=st.integers(0, 5))
def test_any_text_gets_an_answer_or_none_and_names_only_catalog_films(text, n_shown):
    shown = [i.id for i in list(CAT)[:n_shown]]
    got = answer(text + " who directed it?", CAT, shown=shown)
    if got is not None:
        assert set(got.item_ids) <= {i.id for i in CAT} and got.text


def test_why_a_shown_film_is_answered_from_what_the_user_said_and_the_film():
    """"why the first one?" had got a new list, and the film was marked liked."""
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=5)
    state, reply = dialogue.turn(DialogueState(), "something from the 90s with Al Pacino")
    ordinal = ["first", "second", "third", "fourth", "fifth"]
    heat, other = reply.items.index("heat"), next(n for n, i in enumerate(reply.items) if "Al Pacino" not in CAT[i].names("actor"))
    state, replies = chat(dialogue, [f"why the {ordinal[heat]} one?", f"how come number {other + 1}?",
                                     "why not something funny?"], state)
    assert replies[0].text == "Heat (1995) stars Al Pacino, whom you like; came out in 1995, within the years you asked for."
    assert replies[0].items == [] and state.preferences.liked == []  # an answer, not a list; nothing marked liked
    assert replies[1].text.endswith(", within the years you asked for.") and "Pacino" not in replies[1].text
    assert state.preferences.liked_genres == ["Comedy"] and state.preferences.disliked_genres == []  # "why not X?" suggests X
    # "can you explain why you picked the first one?" had got a new list
    for text in ("can you explain why you picked the first one?", "why did you suggest the first one"):
        assert answer(text, CAT, shown=["heat", "up"]).item_ids == ["heat"], text


def test_is_it_good_is_answered_with_what_fits_and_that_the_catalog_has_no_reviews():
    """"ok the first one. is it good?" had got a new list of other films."""
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=5)
    state, reply = dialogue.turn(DialogueState(), "something from the 90s with Al Pacino")
    first = CAT[reply.items[0]]
    state, replies = chat(dialogue, ["ok the first one. is it good?", "is Alien any good?", "is it worth watching?"], state)
    assert replies[0].items == [] and replies[0].text.startswith(first.label + " ")
    assert replies[0].text.endswith("The catalog has no reviews for it.") and "you" in replies[0].text  # why it fits
    assert replies[1].text == "Alien (1979) is a horror and sci-fi film. The catalog has no reviews for it."
    assert replies[2].text == replies[1].text  # "it" is the film just answered about
    assert state.preferences.liked == []  # a question is no praise


def test_a_pick_then_a_question_answers_it_and_marks_nothing():
    """"ok the first one, who is in it?" had marked that film seen (the opening "ok" read as a hedge)."""
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=5)
    state, reply = dialogue.turn(DialogueState(), "something from the 90s")
    first = CAT[reply.items[0]]
    state, replies = chat(dialogue, ["ok the first one, who is in it?", "alright, the second one. who directed it?"],
                          state)
    assert replies[0].items == [] and replies[0].text.startswith(first.label + " ") and "star" in replies[0].text
    assert "direct" in replies[1].text and CAT[reply.items[1]].label in replies[1].text
    assert state.preferences.liked == [] and state.preferences.seen == []


@pytest.mark.parametrize("low, facts", [
    ("what about XXXXXXX?", ["genre", "director", "cast", "plot"]),  # a title (blanked by _untitled): tell about it
    ("ok, how about the XXXXX", ["genre", "director", "cast", "plot"]),
    ("what about the XXXXXX movies?", []),  # a series: a list of it
])
def test_what_about_a_bare_title_asks_about_it(low, facts):
    assert asked_facts(low) == facts


def test_what_about_a_title_describes_it_and_marks_nothing():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=3)
    state, replies = chat(dialogue, ["I loved Alien", "what about Heat?"])
    assert replies[1].items == [] and replies[1].text.startswith("Heat (1995) is a crime and thriller film.")
    assert "heat" not in state.preferences.liked + state.preferences.seen  # it had been marked liked and seen


def test_something_like_it_after_an_answer_recommends_without_asking():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=3)
    state, replies = chat(dialogue, ["I never saw Heat, is it good?", "ok, something like it"])
    assert replies[0].items == [] and replies[0].text.startswith("Heat (1995) ")
    assert state.preferences.not_seen == ["heat"] and state.preferences.liked == []
    assert replies[1].question is None and replies[1].items  # it had asked "What's a film you loved recently?"


def test_why_without_a_stated_reason_says_what_the_film_is():
    from convrec.film_facts import why
    from convrec.state import Preferences

    alien = CAT["alien"]
    assert why(alien, Preferences(liked=["aliens"]), CAT) == "is a sci-fi film like Aliens (1986), which you liked"
    assert why(alien, Preferences(), CAT) == \
        "is a horror and sci-fi film that matched what you said best among the films in the catalog"


def test_why_names_the_theme_or_mood_tags_asked_for():
    """"why the first one?" after "I love Studio Ghibli films" had said only "matched what you said best"."""
    from convrec.film_facts import why
    from convrec.state import Preferences

    film = Item("gf", "Grave of the Fireflies", 1988, ["Animation", "War"], tags=["studio ghibli", "heartbreaking"])
    assert why(film, Preferences(liked_keywords=["studio ghibli"])) == "is tagged studio ghibli, as you asked"
    assert why(film, Preferences(moods=["sad"])) == "is tagged heartbreaking, for something sad"


def test_which_of_the_shown_films_is_the_funniest_or_newest_is_answered_from_their_facts():
    from convrec.comparisons import compare

    shown = ["heat", "up", "shining"]
    assert answer("which of these is the funniest?", CAT, shown=shown).text == \
        "Of these, Up (2009) is listed as comedy; the catalog has no finer measure of which is funniest."
    newest = answer("which one is the newest?", CAT, shown=shown)
    assert newest.text == "Up (2009) is the newest of them." and newest.item_ids == ["up"]
    assert answer("which is the oldest?", CAT, shown=shown).text == "The Shining (1980) is the oldest of them."
    assert answer("which of them is the shortest?", CAT, shown=shown).text.startswith("The catalog has no running times")
    # "which is the best?" had got a new list: no ratings, but the best known of them (Heat 75, Up 70, Shining 80)
    assert answer("which is the best?", CAT, shown=shown).text == ("The catalog has no ratings or reviews, so I can't "
                                                                   "say which is best; the best known of them is The "
                                                                   "Shining (1980).")
    assert answer("which one is the most popular?", CAT, shown=shown).text == "The Shining (1980) is the best known of them."
    assert compare("which is the best Tarantino movie?", CAT, shown=shown) is None  # a request for a new list
    assert compare("which of these is the funniest?", CAT, shown=[]) is None  # nothing shown: no answer
    assert compare("the funniest ones please", CAT, shown=shown) is None  # a request, not a question


@pytest.mark.parametrize("text, reply", [
    ("is the godfather in there?", "Yes. The Godfather (1972) is a crime and drama film. It was directed by Francis Ford Coppola."),
    ("do you have Heat?", "Yes. Heat (1995) is a crime and thriller film. It was directed by Michael Mann."),
    ("have you got the matrx?", "Yes. The Matrix (1999) is an action and sci-fi film. It was directed by Lana Wachowski."),
    ("is rope in there?", 'No, I couldn\'t find "rope" in this catalog.'),
    ("have you got Heat 2?", 'No, I couldn\'t find "Heat 2" in this catalog.'),  # not Heat
])
def test_whether_the_catalog_has_a_film_is_answered(text, reply):
    """"is rope in there?" had got a list that ignored the question."""
    got = answer(text, CAT)
    assert got.text == reply
    assert got.item_ids == ([] if reply.startswith("No") else got.item_ids) and len(got.item_ids) <= 1


@pytest.mark.parametrize("text", ["do you have any comedies?", "do you have anything like Heat?",
                                  "do you have Al Pacino?", "do you have Toy Story movies?"])
def test_a_request_phrased_as_do_you_have_is_no_catalog_question(text):
    from convrec.answers import statements

    assert answer(text, CAT) is None and statements(text, CAT) == text  # the tracker still reads the request


def test_do_you_have_a_film_is_no_praise_of_it():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=3)
    state, reply = dialogue.turn(DialogueState(), "I loved Heat. do you have Alien?")
    assert reply.items == [] and reply.text.startswith("Yes. Alien (1979)")
    assert state.preferences.liked == ["heat"]  # asked about, not liked
    state, reply = dialogue.turn(state, "more like it")  # "it" is Alien, the film just answered about
    assert reply.items and "alien" not in reply.items and "alien" in state.preferences.liked
    assert "alien" not in state.preferences.seen  # a wish for films like it says nothing of having seen it


def test_the_sequels_are_the_shown_films_with_an_earlier_film_of_their_series():
    """"have not seen the sequels, are they good?" had marked every shown film liked and not seen."""
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=5)
    shown = ["ts2", "ts3", "up", "gf2", "heat"]
    state = DialogueState(turns=[Turn(SYSTEM, "You might enjoy: ...", items=shown)], shown=list(shown))
    state, reply = dialogue.turn(state, "have not seen the sequels, are they good?")
    assert reply.items == [] and reply.text.startswith("Toy Story 2 (1999) is")
    assert "The Godfather Part II (1974)" in reply.text and "Heat" not in reply.text and "Up" not in reply.text
    assert state.preferences.not_seen == ["ts2", "ts3", "gf2"] and state.preferences.liked == []


def test_a_bare_superlative_after_a_list_compares_the_shown_films():
    """"and the oldest?" after "which one is the newest" had got a new list."""
    shown = ["heat", "up", "alien"]
    assert answer("and the oldest?", CAT, shown=shown).text == "Alien (1979) is the oldest of them."
    assert answer("the newest one", CAT, shown=shown).item_ids == ["up"]
    assert answer("and the oldest?", CAT, shown=[]) is None  # nothing shown: nothing to compare
    assert answer("the oldest film you have", CAT, shown=shown) is None  # not a bare superlative


def test_is_someone_in_a_film_is_answered_from_its_cast():
    """"is she in the third one?" after a list had got a new list."""
    shown = ["heat", "up", "alien"]
    assert answer("is she in the third one?", CAT, shown=shown).item_ids == ["alien"]
    assert " stars " in answer("is she in the third one?", CAT, shown=shown).text
    assert answer("was he in Heat?", CAT).item_ids == ["heat"]
    assert answer("is there anything in the list for kids?", CAT, shown=shown) is None  # no cast question


def test_a_comparative_compares_the_two_films_named_or_the_list():
    """"which one is scarier?" after a list had got a new list of horror films."""
    shown = ["heat", "up", "alien"]
    assert answer("which one is newer?", CAT, shown=shown).text == "Up (2009) is the newest of them."
    assert answer("which is older, Heat or Up?", CAT, shown=["alien"]).text == "Heat (1995) is the older of them."
    assert answer("which one is scarier?", CAT, shown=shown).item_ids == ["alien"]  # listed as horror
    assert answer("which one is scarier?", CAT, shown=[]) is None
    # a child's age is "for kids", and a clause before the question names the film ("the third looks fun, is it
    # ok for a 6 year old?" had got a new list)
    assert answer("the third looks fun, is it ok for a 6 year old?", CAT, shown=shown).item_ids == ["alien"]
    assert "not listed as family" in answer("the third looks fun, is it ok for a 6 year old?", CAT, shown=shown).text
    assert answer("the second, is it ok for my kids?", CAT, shown=shown).text.endswith("listed as animation.")
    assert answer("which of the remaining is the best?", CAT, shown=shown).text.startswith(
        "The catalog has no ratings or reviews")  # it had got a new list



def test_a_sequel_question_names_the_other_films_of_the_series_by_year():
    """"has it got a sequel?" after an answer about Monsters, Inc. had got a list of Toy Story films."""
    assert answer("is there a sequel to Toy Story 2?", CAT).text == \
        "Toy Story 2 (1999) has a sequel in this catalog: Toy Story 3 (2010). It follows Toy Story (1995)."
    assert answer("has it got a sequel?", CAT, shown=["ts3"]).text == \
        "Toy Story 3 (2010) follows Toy Story (1995) and Toy Story 2 (1999)."
    assert answer("does it have a prequel?", CAT, shown=["heat"]).text == \
        "Heat (1995) has no sequel or other film of its series in this catalog."
    assert asked_facts("anything like toy story but not a sequel") == []  # a request, not a question


def test_is_it_sad_is_answered_from_the_films_tags():
    """"the 2nd one. is it sad?" had got a new list (a mood is no genre: IS_A could not answer it)."""
    sad = Item("gm", "The Green Mile", 1999, ["Crime", "Drama"], tags=["tearjerker", "prison"])
    gump = Item("fg", "Forrest Gump", 1994, ["Drama"], tags=["heartwarming", "bittersweet"])
    assert asked_facts("is it sad?") == ["mood sad"] and asked_facts("was the ending depressing?") == ["mood sad"]
    assert describe(sad, ["mood sad"]) == "The Green Mile (1999) is a crime and drama film, tagged tearjerker."
    assert describe(gump, ["mood sad"]) == \
        "Forrest Gump (1994) is a drama film, tagged heartwarming and bittersweet: not tagged sad."
    assert describe(gump, ["mood feel-good"]) == "Forrest Gump (1994) is a drama film, tagged heartwarming."
    assert describe(CAT["heat"], ["mood dark"]) == "The catalog has no tags to tell its mood for Heat (1995)."
    assert asked_facts("is it scary?") == ["is scary"]  # a genre word keeps its genre answer


def test_how_scary_is_it_is_a_yes_no_question_too():
    """"how scary is it?" after an answer about It Follows had got a new list."""
    assert asked_facts("how scary is it?") == ["is scary"]
    assert asked_facts("how sad was it") == ["mood sad"]
    assert answer("how funny is the second one?", CAT, shown=["heat", "superbad"]).text == \
        "Superbad (2007) is a comedy film, listed as comedy."


def test_language_and_awards_are_answered_from_the_catalog_or_said_to_be_missing():
    """"is the first one in english?" and "how many oscars did it win?" had each got a new list."""
    from convrec.catalog import Catalog

    cat = Catalog([Item("howl", "Howl's Moving Castle", 2004, ["Animation"], tags=["japanese", "foreign language"]),
                   Item("alien", "Alien", 1979, ["Horror"], tags=["space"])], name="languages")
    assert answer("is the first one in english?", cat, shown=["howl", "alien"]).text == \
        "Howl's Moving Castle (2004) is in Japanese, not English."
    assert answer("is Alien in English?", cat).text == \
        "Alien (1979) is in English (the catalog tags every film in another language)."
    assert answer("is it in english?", CAT, shown=["heat"]).text == "The catalog has no language for Heat (1995)."
    assert answer("how many oscars did it win?", CAT, shown=["heat"]).text == "The catalog has no awards for Heat (1995)."
    # said once for a list, not once per film
    assert answer("are any of these rated R?", CAT, shown=["heat", "alien"]).text == \
        "The catalog has no age rating or review score for any film, so I cannot tell for these 2."
    assert answer("any films with subtitles?", cat, shown=[]) is None  # a request: left to the policy
    # "what languages are these in" had got a new list
    assert answer("what languages are these in", cat, shown=["howl", "alien"]).text == \
        "Howl's Moving Castle (2004) is in Japanese, not English. " \
        "Alien (1979) is in English (the catalog tags every film in another language)."
    assert asked_facts("any films in other languages?") == []  # asks for films


def test_a_question_about_the_ending_is_answered_from_mood_tags():
    """"does the second one have a happy ending?" had got a new list."""
    assert asked_facts("does the second one have a happy ending?") == ["ending"]
    assert asked_facts("does it end well?") == ["ending"]
    assert asked_facts("any movies with a happy ending?") == []  # asks for films
    assert asked_facts("my wife hates sad endings") == []  # no question
    sad = Item("t", "Titanic", 1997, ["Drama", "Romance"], tags=["epic", "tearjerker", "romantic"])
    assert describe(sad, ["ending"]) == "Titanic (1997) is tagged tearjerker; the catalog does not say how it ends."
    plain = Item("h", "Heat", 1995, ["Crime"], tags=["heist"])
    assert describe(plain, ["ending"]) == "The catalog has no account of how it ends for Heat (1995)."


def test_black_and_white_is_answered_from_the_tags_that_say_so():
    """"the second one - is it in black and white?" had got a new list."""
    from convrec.catalog import Catalog

    cat = Catalog([Item("sl", "Schindler's List", 1993, ["Drama"], tags=["wwii", "black and white"]),
                   Item("bb", "Batman Begins", 2005, ["Action"], tags=["superhero"])], name="colours")
    assert asked_facts("the second one - is it in black and white?") == ["colour"]
    assert asked_facts("is there anything in black and white like it?") == []  # asks for films
    assert answer("is the first one black & white?", cat, shown=["sl", "bb"]).text == \
        "Schindler's List (1993) is tagged black and white."
    assert answer("the second one - is it in black and white?", cat, shown=["sl", "bb"]).text == \
        "Batman Begins (2005) is not tagged black and white (the catalog tags 1 film so, and may not tag them all)."
    assert answer("is it in color?", CAT, shown=["heat"]).text == "The catalog has no colour information for Heat (1995)."


def test_compare_two_shown_films_and_pick_one_exact_transcript():
    """"compare the first two" and "which one should I watch?" had each got a new list."""
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=3)
    state, replies = chat(dialogue, ["I loved The Godfather", "compare the first two", "which one should I watch?",
                                     "what's the difference between the last two?"])
    assert [r.text for r in replies[1:]] == [
        "The Godfather Part II (1974) is a crime and drama film. It was directed by Francis Ford Coppola. It stars "
        "Al Pacino. Heat (1995) is a crime and thriller film. It was directed by Michael Mann. It "
        "stars Al Pacino and Robert De Niro.",
        "I'd start with The Godfather Part II (1974): it is a crime and drama film like The Godfather (1972), which "
        "you liked.",
        "Heat (1995) is a crime and thriller film. It was directed by Michael Mann. It stars Al Pacino and Robert De "
        "Niro. Cast Away (2000) is a drama and adventure film. It was directed by Robert Zemeckis. It stars Tom Hanks."]
    assert all(r.question is None and not r.items for r in replies[1:])
    assert asked_facts("which one should i watch?") == [] and asked_facts("compare the first two") == [
        "genre", "director", "cast"]


def test_is_it_violent_is_answered_from_the_tags_where_the_catalog_tags_violence():
    """"which of them are violent?" had got a new list of crime films, and "is it violent?" about Reservoir Dogs
    "listed as crime" alone: where the catalog tags violence, its tags answer; a crime film is not violent by genre."""
    from convrec.catalog import Catalog, Item
    from convrec.comparisons import compare

    cat = Catalog([Item("dogs", "Reservoir Dogs", 1992, ["Crime", "Thriller"], tags=["heist", "violent"]),
                   Item("oceans", "Ocean's Eleven", 2001, ["Crime", "Thriller"], tags=["heist", "ensemble"]),
                   Item("heat", "Heat", 1995, ["Action", "Crime"], tags=["heist", "shootout"])], name="violence")
    shown = ["dogs", "oceans", "heat"]
    got = compare("which of them are violent?", cat, shown)
    assert got.text == "Reservoir Dogs (1992) is tagged violent. Heat (1995) is tagged shootout. The others are not " \
                       "tagged violent." and got.item_ids == ["dogs", "heat"]
    assert answer("is the second one violent?", cat, shown=shown).text == \
        "Ocean's Eleven (2001) is a crime and thriller film, not tagged violent."
    assert answer("is the first one violent?", cat, shown=shown).text == \
        "Reservoir Dogs (1992) is a crime and thriller film, tagged violent."
    untagged = Catalog([Item("dogs", "Reservoir Dogs", 1992, ["Crime", "Thriller"])], name="no-tags")
    assert compare("which of them are violent?", untagged, ["dogs"]).text.startswith("Of these, Reservoir Dogs (1992) "
                                                                                      "is listed as action or crime")


def test_who_wrote_it_is_answered_from_the_writers():
    """"who wrote the first one?" had got a new list."""
    from convrec.catalog import Catalog, Item, Person

    cat = Catalog([Item("abyss", "The Abyss", 1989, ["Sci-Fi"], [Person("James Cameron", "writer")]),
                   Item("heat", "Heat", 1995, ["Crime"], [Person("Michael Mann", "director")])], name="writers")
    assert answer("who wrote the first one?", cat, shown=["abyss", "heat"]).text == "The Abyss (1989) was written by James Cameron."
    assert answer("who wrote the second one?", cat, shown=["abyss", "heat"]).text == "The catalog has no writer for Heat (1995)."
