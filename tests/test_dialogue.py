"""The dialogue manager and the ask-or-recommend policy: exact scripted transcripts, policy invariants."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convrec import policy, schema_notes, wants
from convrec.catalog import Catalog, Item, Person
from convrec.dialogue import Dialogue, Reply
from convrec.recommender import Recommendation
from convrec.state import SYSTEM, USER, DialogueState, Preferences, Turn
from tests.tracking_fixtures import small_catalog

CAT = small_catalog()


class StateFilterRecommender:
    """A small deterministic recommender: the catalog filtered by the state, ranked by genre overlap.

    Only the model is replaced; it reads the real state the dialogue manager built.
    """

    name = "state-filter"

    def __init__(self, catalog: Catalog):
        self.catalog = catalog

    def recommend(self, state: DialogueState, k: int = 10) -> Recommendation:
        prefs = state.preferences
        wanted = set(prefs.liked_genres) | {g for i in prefs.liked for g in self.catalog[i].genres}
        out = []
        for item in self.catalog:
            if item.id in prefs.excluded() | set(prefs.liked) or item.id in state.shown:  # as retrieval does
                continue
            if set(item.genres) & set(prefs.disliked_genres):
                continue
            if (prefs.year_min and item.year < prefs.year_min) or (prefs.year_max and item.year > prefs.year_max):
                continue
            out.append((-len(wanted & set(item.genres)), -item.popularity, item.id))
        return Recommendation([i for *_, i in sorted(out)][:k])


def chat(dialogue: Dialogue, messages: list[str], state: DialogueState | None = None):
    state = state or DialogueState()
    replies = []
    for text in messages:
        state, reply = dialogue.turn(state, text)
        replies.append(reply)
    return state, replies


def test_scripted_chat_exact_transcript():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=3)
    state, replies = chat(dialogue, ["hi", "not sure, no horror though", "something funny from the 90s",
                                     "I've seen the first one, more like the second"])
    state = dialogue.feedback(state, "matrix", "dislike")
    state, reply = dialogue.turn(state, "thanks, the first one sounds great")
    assert [t.render() for t in state.turns] == [
        "USER: hi",
        "SYSTEM: Hi! What's a film you loved recently? I'll find more like it.",
        "USER: not sure, no horror though",
        "SYSTEM: What kind of film are you in the mood for, for example Animation, Comedy or Action?",
        "USER: something funny from the 90s",
        "SYSTEM: You might enjoy: Toy Story (1995); The Big Lebowski (1998); Toy Story 2 (1999).",
        "USER: I've seen the first one, more like the second",
        "SYSTEM: You might enjoy: Heat (1995); The Matrix (1999). Only these 2 films fit everything you asked for "
        "in this catalog; loosen a wish to see more.",
        "USER: thanks, the first one sounds great",
        # nothing left: what rules the rest out, and what to say next ("loosen a constraint" had said neither)
        "SYSTEM: Every film in this catalog that fits what you asked for (from 1990 to 1999, no horror) has been "
        "shown or ruled out. Tell me another year, kind of film or a film you liked, and I'll look again.",
    ]
    assert [r.question for r in replies] == ["title", "genre", None, None]
    assert state.asked == ["title", "genre"]
    assert state.shown == ["ts1", "lebowski", "ts2", "heat", "matrix"]
    # "more like the second" wants films like The Big Lebowski: liked, and not said to be seen
    assert state.preferences == Preferences(
        liked=["lebowski", "heat"], disliked=["matrix"], seen=["ts1"], not_seen=["heat"],
        liked_genres=["Comedy"], disliked_genres=["Horror"], year_min=1990, year_max=1999)
    assert DialogueState.from_json(state.to_json()) == state


def test_a_greeting_is_greeted_back():
    assert [policy.greeting(t) for t in ("hi", "Hello there!", "hey, how are you?", "hi, I like Alien")] == \
        ["Hi! ", "Hi! ", "Hi! ", ""]


def test_recommends_at_once_when_the_state_supports_it():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=2)
    state, reply = dialogue.turn(DialogueState(), "I loved Alien")
    assert reply.question is None and reply.items == ["dune21", "inception"]
    assert state.preferences.liked == ["alien"] and "alien" not in reply.items


# all but the first had got a question back
@pytest.mark.parametrize("text", ["just recommend something", "what are the best movies of all time?",
                                  "top rated films?", "must-see movies", "idk, something good",
                                  "any suggestions for a family movie night?", "recommendations please",
                                  "I am after a thriller, nothing with Tom Cruise",
                                  "what's a good movie for a rainy sunday afternoon?",
                                  "what movie should we watch tonight?", "hello! what movies do you have?",
                                  "a feel-good movie for a bad day", "I need cheering up",
                                  "recomend me a good scifi movei", "best movie of the 90s?",
                                  "a romantic movie that's not a comedy", "I want to laugh",
                                  "what's the scariest movie you have?", "what's popular right now?",
                                  "I like movies that make me cry", "what's the most recent movie you have?",
                                  "a classic I should have seen by now", "what is a must watch movie",
                                  "give us a good comedy", "any movies where the bad guy wins?",
                                  "I'd like a movie with a strong soundtrack", "what movies came out in 1999?",
                                  "what's a movie everyone loves but I probably haven't seen",
                                  "what's the name of that movie where the guy wakes up on the same day?"])
def test_explicit_request_recommends_without_asking(text):
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=2)
    _, reply = dialogue.turn(DialogueState(), text)
    assert reply.question is None and len(reply.items) == 2


def test_a_request_for_a_kind_of_film_recommends_but_a_bare_greeting_asks():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=2)
    _, reply = dialogue.turn(DialogueState(), "something funny for a friday night")
    assert reply.question is None and reply.items
    _, reply = dialogue.turn(DialogueState(), "funny")  # one signal, no request: still worth a question
    assert reply.question is not None
    _, reply = dialogue.turn(DialogueState(), "hi, I want a good movie for tonight")  # a request, no signal
    assert reply.question is not None


def test_after_a_first_list_a_follow_up_gets_a_new_list_not_a_question():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=2)
    state, reply = dialogue.turn(DialogueState(), "something funny for a friday night")
    assert reply.items
    state, reply = dialogue.turn(state, "not romantic comedies though")
    assert reply.question is None and reply.items


def test_ambiguous_title_is_named_in_the_reply():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=1)
    state, reply = dialogue.turn(DialogueState(), "I loved Dune")
    assert reply.text.endswith('By "dune" I took Dune (2021); tell me if you meant Dune (1984).')
    assert state.preferences.ambiguous == {"dune": ["dune21", "dune84"]}


def test_an_ambiguous_title_names_each_other_reading_once():
    """ReDial has two entries labelled "Frozen (2010)": the note had offered "Frozen (2010) or Frozen (2010)"."""
    cat = Catalog([Item("f13", "Frozen", 2013, ["Animation"], popularity=90), Item("fa", "Frozen", 2010, ["Horror"]),
                   Item("fb", "Frozen", 2010, ["Thriller"]), Item("f07", "Frozen", 2007, ["Drama"])], name="frozen")
    _, reply = Dialogue(cat, StateFilterRecommender(cat), k=1).turn(DialogueState(), "they loved Frozen")
    assert reply.text.endswith('By "frozen" I took Frozen (2013); tell me if you meant Frozen (2010) or Frozen (2007).')


def test_a_second_entry_of_the_same_film_is_no_ambiguity():
    # ReDial lists "The Matrix (1999)" and "The Matrix" (no year, same IMDb id): chat had answered
    # 'By "the matrix" I took The Matrix (1999); tell me if you meant The Matrix.'
    film = Item("g97", "Gattaca", 1997, ["Sci-Fi"], [], "", popularity=90, source_ids={"imdb": "tt0119177"})
    twin = Item("g00", "Gattaca", None, ["Sci-Fi"], [], "", popularity=5)
    cat = Catalog([*CAT, film, twin])
    assert cat.same_film("g97", "g00") and not cat.same_film("dune84", "dune21")
    dialogue = Dialogue(cat, StateFilterRecommender(cat), k=1)
    state, reply = dialogue.turn(DialogueState(), "I loved Gattaca and Dune")
    assert state.preferences.liked[:1] == ["g97"] and "gattaca" not in reply.text.lower().split("by ")[-1]
    assert state.preferences.ambiguous == {"dune": ["dune21", "dune84"]}  # a real choice is still asked


def test_a_name_the_catalog_lacks_is_said_not_silently_dropped():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=2)
    state, reply = dialogue.turn(DialogueState(), "something with Melissa McCarthy?")
    assert reply.question is not None  # nothing usable was said: ask, but say why
    assert reply.text.startswith('I couldn\'t find "Melissa McCarthy" in this catalog. ')
    state, reply = dialogue.turn(state, "I loved The Zzyzx Chronicles and Heat, also Tom Hanks")
    assert reply.text.startswith('I couldn\'t find "The Zzyzx Chronicles" in this catalog, so these go by the rest')
    assert reply.items and state.preferences.liked == ["heat"] and state.preferences.liked_people == ["Tom Hanks"]
    _, reply = dialogue.turn(state, "more with Tom Hanks please")  # known names: no note
    assert "couldn't find" not in reply.text
    # another person of a catalog surname: "Denzel Washington" had been John David Washington (Tenet listed)
    cat = Catalog([*CAT, Item("tenet", "Tenet", 2020, ["Action"], [Person("John David Washington", "actor")])],
                  name="washington")
    dialogue = Dialogue(cat, StateFilterRecommender(cat), k=2)
    state, reply = dialogue.turn(DialogueState(), "my favorite actor is Denzel Washington")
    assert state.preferences.liked_people == [] and reply.question is not None
    assert reply.text.startswith('I couldn\'t find "Denzel Washington" in this catalog. ')
    state, _ = dialogue.turn(DialogueState(), "something with Washington")  # the surname alone is still him
    assert state.preferences.liked_people == ["John David Washington"]
    state, _ = dialogue.turn(DialogueState(), "something with Jon David Washington")  # a typo of his first name
    assert state.preferences.liked_people == ["John David Washington"]
    cat = Catalog([*CAT, Item("wb", "The Waterboy", 1998, ["Comedy"], [Person("Adam Sandler", "actor")])], name="adam")
    for text in ("I like comedies by Adan Sandler", "anything with Adam Sandler"):  # ReDial's seekers write "Adan"
        state, _ = Dialogue(cat, StateFilterRecommender(cat), k=2).turn(DialogueState(), text)
        assert state.preferences.liked_people == ["Adam Sandler"], text


def test_a_message_in_another_language_asks_for_english_and_loses_nothing():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=2)
    state, first = dialogue.turn(DialogueState(), "I loved Heat")
    for text in ("merci, je veux un film drôle", "quiero una película de miedo", "ich möchte einen lustigen Film sehen",
                 "j'adore les films d'horreur"):
        state, reply = dialogue.turn(state, text)
        assert reply.text == policy.ENGLISH_ONLY_REPLY and reply.items == []
    assert state.preferences.liked == ["heat"] and state.shown == first.items
    _, reply = dialogue.turn(state, "I loved Amélie, gracias")  # a title it knows: understood, so a list
    assert reply.items and "English" not in reply.text


def test_references_apply_to_the_last_shown_items():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=3)
    state, reply = dialogue.turn(DialogueState(), "I loved The Godfather")
    first, second, third = reply.items
    state, _ = dialogue.turn(state, "seen the second one, more like the third")
    assert second in state.preferences.seen and third in state.preferences.liked
    assert first not in state.preferences.liked + state.preferences.seen
    # the USER turn records the titles it named, which "more like ..." retrieval follows
    assert state.turns[0].items == ["gf1"] and state.turns[-2].items == [second, third]


def test_empty_and_huge_messages_get_a_graceful_reply():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=2)
    state, reply = dialogue.turn(DialogueState(), "   ")
    assert state.turns == [] and "Tell me a film" in reply.text
    state, reply = dialogue.turn(DialogueState(), "I loved Alien. " + "blah " * 5000)
    assert "read the first 4,000 characters" in reply.text and reply.items


vague = st.sampled_from(["hmm", "not sure", "what?", "🎬🎬", "idk...", "hello", "ok", "\x00\x1b", "maybe",
                         "I like it", "no horror", "something lighter", "tell me more"])


@settings(max_examples=40, deadline=None)
@given(messages=st.lists(vague, min_size=3, max_size=6))
def test_policy_never_repeats_a_question_and_recommends_by_the_third_turn(messages):
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=3)
    state, replies = chat(dialogue, messages)
    asked = [r.question for r in replies if r.question]
    assert len(asked) == len(set(asked)) and asked == state.asked
    assert any(r.question is None for r in replies[:3])
    assert all(r.question is None for r in replies[2:])
    assert [t.speaker for t in state.turns] == [USER, SYSTEM] * len(messages)


def test_question_targets_the_attribute_that_best_splits_the_candidates():
    people = [Person(f"Director {n}", "director") for n in "ABCD"]
    actors = [Person(f"Actor {n}", "actor") for n in "ABCD"]
    cat = Catalog([Item(f"m{n}", f"Film {n}", year, ["Drama"], [people[n], actors[n]])
                   for n, year in enumerate((1975, 1985, 1995, 2005))])
    state = DialogueState(asked=["title"])
    scores = policy.split_scores(state.preferences, cat, state.asked)
    assert scores["genre"] == 0.0 and scores["decade"] > scores["actor"] > scores["director"] > 0
    decision = policy.decide(state, cat)
    assert decision.ask == "decade"
    assert decision.text == "Any period you prefer, for example 1970s, 1980s or 1990s, or newer or older films?"


def test_known_attributes_are_not_asked():
    prefs = Preferences(liked_genres=["Comedy"])
    scores = policy.split_scores(prefs, CAT, asked=[])
    assert "genre" not in scores and "title" in scores


def test_reply_dataclass_defaults():
    assert Reply("x") == Reply("x", [], {}, None)


def test_with_the_real_retrieval_system(fake_embeddings, monkeypatch):
    """The product's retrieval (real Chroma, deterministic embeddings) behind the same dialogue flow."""
    from convrec.systems import build_context, load_system

    monkeypatch.setenv("CONVREC_LEARNED", "0")  # the shipped learned retriever expects 384-d MiniLM vectors

    system = load_system("retrieval", build_context(CAT, embeddings=fake_embeddings))
    dialogue = Dialogue(CAT, system, k=3)
    state, reply = dialogue.turn(DialogueState(), "I loved Alien, never saw Heat")
    assert reply.question is None and len(reply.items) == 3 and "alien" not in reply.items
    first, second, _ = reply.items
    state, reply = dialogue.turn(state, "I've seen the first one and I hated the second one")
    assert first in state.preferences.seen and second in state.preferences.disliked
    assert not set(reply.items) & state.preferences.excluded()


def test_asking_can_be_switched_off():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=2, ask=False)
    _, reply = dialogue.turn(DialogueState(), "hello")
    assert reply.question is None and reply.items == ["dune21", "gf1"]


def test_thanks_after_a_list_closes_without_a_new_list():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=2)
    state, first = dialogue.turn(DialogueState(), "I loved The Godfather")
    for text in ("thanks!", "ok great, thank you for the suggestions", "thank you! bye", "that's all, thanks"):
        after, reply = dialogue.turn(state, text)
        assert reply.text == policy.CLOSING_REPLY and reply.items == [] and after.shown == state.shown, text
    # a thank-you that also says something is read, and answered with a list
    after, reply = dialogue.turn(state, "thanks, the first one sounds great")
    assert reply.items and first.items[0] in after.preferences.liked
    _, reply = dialogue.turn(state, "thanks, more like that")
    assert reply.items
    _, reply = dialogue.turn(DialogueState(), "thanks!")  # nothing shown yet: nothing to close
    assert reply.text != policy.CLOSING_REPLY


def test_a_bare_reaction_after_a_list_asks_what_next_without_a_new_list():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=2)
    state, _ = dialogue.turn(DialogueState(), "I loved The Godfather")
    for text in ("lol", "haha nice", "hmm", "ok", "Cool!", "wow", "i see"):
        after, reply = dialogue.turn(state, text)
        assert reply.text == policy.REACTION_REPLY and reply.items == [] and after.shown == state.shown, text
        assert after.preferences == state.preferences, text
    for text in ("yes", "more", "ok, something older", "hmm not these", "nice, more like the first"):
        assert not policy.reaction(text), text
    _, reply = dialogue.turn(DialogueState(), "ok")  # nothing shown yet: the policy goes on
    assert reply.text != policy.REACTION_REPLY


def test_a_pick_by_name_takes_it_without_a_new_list():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=2)
    state, _ = dialogue.turn(DialogueState(), "I loved The Godfather")
    after, reply = dialogue.turn(state, "ok I'll watch Dune")
    assert reply.text == policy.CHOSEN_REPLY and reply.items == []
    for text in ("I'll watch anything with Al Pacino", "I'll watch Dune, anything else like it?"):
        assert dialogue.turn(state, text)[1].items, text  # no film named, or more asked for: a list


def test_a_pick_that_sounds_good_with_thanks_takes_it_without_a_new_list():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=3)
    state, first = dialogue.turn(DialogueState(), "I loved The Godfather")
    after, reply = dialogue.turn(state, "the second one sounds good, thanks!")
    assert reply.text == policy.CHOSEN_REPLY and reply.items == []  # five more films had followed
    assert after.preferences.liked == ["gf1", first.items[1]] and first.items[1] in after.preferences.not_seen
    for more in ("the second one sounds good, but anything newer?", "the second one sounds good"):
        assert dialogue.turn(state, more)[1].items  # more like it
    # "perfect, the third one it is" had got a new list, and the film had been marked seen
    after, reply = dialogue.turn(state, "perfect, the third one it is")
    assert reply.text == policy.CHOSEN_REPLY and first.items[2] in after.preferences.not_seen
    assert first.items[2] in after.preferences.liked
    assert dialogue.turn(state, "the third one it is, but anything else like it?")[1].items
    for text in ("I'll go with the third. thanks", "I'll take number 2"):  # they had got a new list
        assert dialogue.turn(state, text)[1].text == policy.CHOSEN_REPLY


def test_too_long_after_an_answer_turns_the_film_down_unseen():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=3)
    state, first = dialogue.turn(DialogueState(), "I loved The Godfather")
    state, _ = dialogue.turn(state, "what is the second one about?")
    state, reply = dialogue.turn(state, "nah, too long")
    second = first.items[1]
    assert second in state.preferences.disliked and second not in state.preferences.seen  # it had been marked seen
    assert reply.items and second not in reply.items


def test_thanks_after_an_answer_about_a_film_takes_that_film():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=2)
    state, first = dialogue.turn(DialogueState(), "I loved The Godfather")
    state, answer = dialogue.turn(state, "what is the second one about?")
    assert answer.items == []
    after, reply = dialogue.turn(state, "perfect, thank you!")
    # it had been marked seen, and five more films had followed
    assert reply.text == policy.CHOSEN_REPLY and reply.items == []
    picked = first.items[1]
    assert picked in after.preferences.liked and picked in after.preferences.not_seen
    assert picked not in after.preferences.seen


def test_a_correction_after_a_list_is_about_the_film_named_and_withdraws_the_list():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=5)
    state, first = dialogue.turn(DialogueState(), "I loved The Godfather")
    assert len(first.items) == 5
    state, _ = dialogue.turn(state, "actually I did not like it that much, it was confusing")
    # "it" had pointed at none of the five shown, and The Godfather had stayed liked
    assert "gf1" in state.preferences.disliked and "gf1" not in state.preferences.liked
    assert "not mind-bending" in state.preferences.constraints
    assert wants.rejected_list(state) == first.items  # built on a film now disliked: no evidence of taste


@pytest.mark.parametrize("verdict", ["it was mid", "honestly that was boring", "I didn't like it much"])
def test_a_past_verdict_after_a_list_is_about_the_one_film_named_before_it(verdict):
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=5)
    state, first = dialogue.turn(DialogueState(), "I watched The Godfather")
    state, reply = dialogue.turn(state, verdict)  # none of the five was watched in between: The Godfather had
    assert "gf1" in state.preferences.disliked and "gf1" not in state.preferences.liked  # stayed liked
    assert not set(first.items) & set(state.preferences.disliked)
    assert wants.rejected_list(state) == first.items
    # nothing else is known: a film the user did enjoy is asked for, once, instead of a list built on nothing
    assert reply.text == policy.WITHDRAWN_QUESTION and reply.question == "title" and not reply.items
    state, reply = dialogue.turn(state, "it was boring")
    assert reply.items


def test_a_withdrawn_film_with_a_mood_left_to_go_on_gets_a_list():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=5)
    state, _ = dialogue.turn(DialogueState(), "I watched The Godfather")
    state, reply = dialogue.turn(state, "it was mid, too dark")
    assert "gf1" in state.preferences.disliked and "not dark" in state.preferences.constraints and reply.items


def test_a_past_verdict_after_a_list_for_two_films_points_at_neither():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=5)
    state, first = dialogue.turn(DialogueState(), "I watched The Godfather and Alien")
    state, _ = dialogue.turn(state, "it was mid")
    assert not state.preferences.disliked and wants.rejected_list(state) == []


def test_a_question_about_it_after_a_list_asks_which_one_and_the_pick_gets_the_answer():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=5)
    state, first = dialogue.turn(DialogueState(), "I loved The Godfather")
    state, reply = dialogue.turn(state, "who directed it?")
    assert reply.text.startswith("Which one do you mean? The Godfather (1972), which you named, or one of mine: 1. ")
    assert not reply.items
    second = CAT[first.items[1]]
    after, reply = dialogue.turn(state, "the second one")
    # the question is answered for the film picked (it had become liked, and a new list had come)
    assert second.names("director")[0] in reply.text and not reply.items
    assert first.items[1] not in after.preferences.liked
    assert [t.text for t in after.turns[-2:]] == ["the second one", reply.text]
    assert after.turns[-2].items == [first.items[1]]


def test_a_bare_verdict_offers_the_film_named_before_only_if_not_known_seen():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=3)
    state, _ = dialogue.turn(DialogueState(), "I loved The Godfather")  # loved: seen, so "seen it" is about the list
    _, reply = dialogue.turn(state, "seen it")
    assert reply.text.startswith("Which one do you mean? 1. ")
    state, _ = dialogue.turn(DialogueState(), "I've heard good things about Heat. something like it")
    assert "heat" not in state.preferences.seen
    _, reply = dialogue.turn(state, "seen it")
    assert reply.text.startswith("Which one do you mean? Heat (1995), which you named, or one of mine: 1. ")


def test_a_bare_verdict_after_a_list_asks_which_one_and_a_number_picks_it():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=5)
    state, first = dialogue.turn(DialogueState(), "something funny")
    state, reply = dialogue.turn(state, "nah seen it")  # it had been ignored, and a new list had come
    assert reply.text.startswith("Which one do you mean?") and not state.preferences.seen
    state, reply = dialogue.turn(state, "3")
    assert state.preferences.seen == [first.items[2]] and first.items[2] not in reply.items
    assert state.turns[-2].text == "3"
    _, reply = dialogue.turn(state, "not that one, seen it")  # it had got a new list
    assert reply.text.startswith("Which one do you mean?") and not reply.items


def test_picking_a_film_closes_and_records_the_pick():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=2)
    state, first = dialogue.turn(DialogueState(), "I loved The Godfather")
    after, reply = dialogue.turn(state, "sounds good, I'll watch the second one")
    assert reply.text == policy.CHOSEN_REPLY and reply.items == []  # it had got five more films
    assert first.items[1] in after.preferences.liked and first.items[1] in after.preferences.not_seen
    _, reply = dialogue.turn(state, "ok we will watch the first one. thanks!")  # spelt out, it had got five more
    assert reply.text == policy.CHOSEN_REPLY and reply.items == []
    _, reply = dialogue.turn(state, "I'll watch the second one, anything else like it?")
    assert reply.items  # asks for more


def test_a_film_kept_for_later_is_noted_without_a_new_list():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=3)
    state, first = dialogue.turn(DialogueState(), "I loved The Godfather")
    second = CAT[first.items[1]]
    after, reply = dialogue.turn(state, "add the second one to my list")  # it had got a new list
    assert reply.items == [] and reply.text == policy.saved_reply([second.label])
    assert second.id in after.preferences.liked and second.id in after.preferences.not_seen
    after, reply = dialogue.turn(after, "save the third one for later")
    assert reply.text.startswith(f"Noted: {CAT[first.items[2]].label} is on your list")
    _, reply = dialogue.turn(state, "add it to my watchlist, but show me more")
    assert reply.items  # asks for more
    _, reply = dialogue.turn(DialogueState(), "add Heat to my list")  # nothing shown: the list still comes
    assert reply.items


def test_something_else_by_him_means_the_person_named_before_and_says_when_none_is_left():
    from convrec import wants

    class PeopleFirst(StateFilterRecommender):  # as retrieval does: films of the people the message asks for first
        def recommend(self, state, k=10):
            asked = {a.value for a in wants.asked_now(state, self.catalog) if a.kind == "person"}
            ids = super().recommend(state, k=len(self.catalog)).item_ids
            return Recommendation(sorted(ids, key=lambda i: not asked & set(self.catalog[i].names("actor")))[:k])

    dialogue = Dialogue(CAT, PeopleFirst(CAT), k=2)
    state, first = dialogue.turn(DialogueState(), "anything with Al Pacino?")
    assert first.items == ["gf1", "gf2"]  # The Godfather I and II
    _, newest = dialogue.turn(state, "I saw those. what about his newest")  # it had forgotten Al Pacino
    state, reply = dialogue.turn(state, "I saw those. something else with him")
    assert reply.items[0] == "heat" and not reply.text.startswith("Every film")  # "him" had asked for no one
    assert reply.text.endswith("That is the last film of Al Pacino in this catalog that fits; the rest come closest.")
    assert "the last film" not in first.text and "the only" not in first.text  # the list was his films only
    _, four = Dialogue(CAT, PeopleFirst(CAT), k=4).turn(DialogueState(), "anything with Al Pacino?")
    assert four.items[:3] == ["gf1", "gf2", "heat"] and len(four.items) == 4
    assert four.text.endswith("Those are the only 3 films of Al Pacino in this catalog that fit; the rest come closest.")
    assert newest.items == reply.items
    state, reply = dialogue.turn(state, "seen it too. more with him please")
    assert "heat" not in reply.items and reply.items  # no film of his is left: said, not a silent change of subject
    assert reply.text.startswith("Every film of Al Pacino in this catalog that fits has been shown or ruled out")


def test_no_last_film_is_claimed_while_one_of_theirs_waits_for_the_next_list():
    """Two of a series in a chat list: Tom Hanks's third Toy Story film waits for the next list, and "those are
    the last 3 films of Tom Hanks" had been said with it left."""
    class LeavesOneOut(StateFilterRecommender):  # lists Al Pacino's films but holds one back, as the series cap does
        def recommend(self, state, k=10):
            ids = [i for i in super().recommend(state, k=len(self.catalog)).item_ids if i != "gf2"]
            return Recommendation(sorted(ids, key=lambda i: "Al Pacino" not in self.catalog[i].names("actor"))[:k])

    dialogue = Dialogue(CAT, LeavesOneOut(CAT), k=4)
    _, reply = dialogue.turn(DialogueState(), "anything with Al Pacino?")
    assert reply.items[:2] == ["gf1", "heat"] and "Al Pacino" not in reply.text  # The Godfather Part II is left
    _, seen = dialogue.turn(DialogueState(preferences=Preferences(seen=["gf2"])), "anything with Al Pacino?")
    assert seen.text.endswith("Those are the only 2 films of Al Pacino in this catalog that fit; the rest come closest.")


def test_any_good_thrillers_is_a_request():
    _, reply = Dialogue(CAT, StateFilterRecommender(CAT)).turn(DialogueState(), "any good thrillers?")
    assert reply.items and reply.question is None  # it had asked for a film the user loved


def test_a_date_movie_is_a_request():
    _, reply = Dialogue(CAT, StateFilterRecommender(CAT)).turn(DialogueState(), "what's a good date movie?")
    assert reply.items and reply.question is None  # it had asked for a film the user loved


def test_a_comparative_asks_for_the_genre():
    state, _ = Dialogue(CAT, StateFilterRecommender(CAT), k=2).turn(DialogueState(), "something like Inception but funnier")
    assert state.preferences.liked == ["inception"] and state.preferences.liked_genres == ["Comedy"]


class BulletRecommender(StateFilterRecommender):
    """Writes its own bulleted text, as the generator does."""

    def recommend(self, state: DialogueState, k: int = 10) -> Recommendation:
        rec = super().recommend(state, k)
        return Recommendation(rec.item_ids, text="You might enjoy:\n" + "\n".join(f"- {self.catalog[i].label}" for i in rec.item_ids))


def test_the_ambiguity_note_follows_a_bulleted_list_as_its_own_paragraph_and_can_be_answered():
    dialogue = Dialogue(CAT, BulletRecommender(CAT), k=2)
    state, reply = dialogue.turn(DialogueState(), "I loved Dune")
    assert reply.text.endswith('\n\nBy "dune" I took Dune (2021); tell me if you meant Dune (1984).')
    state, reply = dialogue.turn(state, "no, the old one")
    assert state.preferences.liked == ["dune84"] and state.preferences.ambiguous == {}
    assert "By " not in reply.text


def test_a_message_may_ask_for_how_many_films():
    d = Dialogue(CAT, StateFilterRecommender(CAT), k=5)
    state, replies = chat(d, ["I loved Alien", "ok give me 3 more", "show me ten movies", "more please"])
    assert [len(r.items) for r in replies] == [5, 3, 10, 5]  # the number holds for its own turn only
    assert policy.list_length("give me 20 films") == policy.MAX_LIST
    assert policy.list_length("I watched 3 movies yesterday") is None  # no request
    assert policy.list_length("recommend me 2 comedies") == 2


def test_more_like_that_after_an_answer_follows_the_film_answered_about():
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=3)
    state, first = dialogue.turn(DialogueState(), "I loved The Godfather")
    state, _ = dialogue.turn(state, "what is the second one about?")
    state, _ = dialogue.turn(state, "more like that")
    assert state.turns[-2].items == [first.items[1]]  # the USER turn names the film: retrieval focuses on it


def test_a_keyword_counts_as_a_wish_for_the_policy():
    prefs = Preferences(liked_genres=["Comedy"], liked_keywords=["british"])
    assert policy.supports_recommendation(prefs, "I like dry british humour")  # it had asked for a period
    assert not policy.supports_recommendation(Preferences(liked_genres=["Comedy"]), "I like comedies")


def test_a_request_for_the_best_or_any_films_of_a_kind_is_answered_with_a_list():
    assert policy.supports_recommendation(Preferences(year_min=2019, year_max=2019), "the best movies of 2019")
    assert policy.supports_recommendation(Preferences(liked_genres=["Horror"]), "any good horror films?")
    assert not policy.supports_recommendation(Preferences(year_min=2019, year_max=2019), "I saw it in 2019")
    # a message that is only the kind wanted ("a french film please" had got a question back)
    assert policy.supports_recommendation(Preferences(liked_keywords=["french"]), "a french film please")
    assert policy.supports_recommendation(Preferences(liked_genres=["Horror"]), "some scary horror movies")
    assert not policy.supports_recommendation(Preferences(liked_keywords=["french"]), "I watched a french film once")
    assert not policy.supports_recommendation(Preferences(liked_genres=["Horror"]), "a scary movie was on tv, I saw it")
    # a theme loved, or a bare kind asked for ("I love Studio Ghibli films", "a western please" had got a question)
    assert policy.supports_recommendation(Preferences(liked_keywords=["studio ghibli"]), "I love Studio Ghibli films")
    assert policy.supports_recommendation(Preferences(liked_genres=["Western"]), "a western please")
    # after a question: "fine, just a workplace comedy then" had got a second question
    assert policy.supports_recommendation(Preferences(liked_genres=["Comedy"]), "fine, just a workplace comedy then")
    assert not policy.supports_recommendation(Preferences(liked_genres=["Comedy"]), "fine, I like comedy")
    # no article: "Christmas movie please" had got a question back
    assert policy.supports_recommendation(Preferences(liked_keywords=["christmas"]), "Christmas movie please")
    assert not policy.supports_recommendation(Preferences(liked_genres=["Horror"]), "I watched horror movies")
    assert policy.supports_recommendation(Preferences(liked_genres=["Documentary"]), "a documentary about nature")
    assert not policy.supports_recommendation(Preferences(liked_genres=["Sci-Fi"]), "I love sci-fi")  # worth a question
    # a genre with a word of quality, or "whats" without its apostrophe (each had got a question back)
    for text in ("any good horror?", "a good comedy", "whats a good scifi movie thats not too long"):
        assert policy.supports_recommendation(Preferences(liked_genres=["Horror"]), text)
    assert not policy.supports_recommendation(Preferences(), "any good ones?")
    assert not policy.supports_recommendation(Preferences(liked_genres=["Comedy"]), "my wife likes comedy")


def test_a_wish_about_length_is_told_the_catalog_has_no_running_times():
    """"something shorter maybe" had got a list that ignored it silently (the schema has no running time)."""
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=3)
    state, first = dialogue.turn(DialogueState(), "I loved The Godfather")
    state, reply = dialogue.turn(state, "no thanks, something shorter maybe")
    assert reply.items and reply.text.startswith(schema_notes.NO_RUNTIME_NOTE + " You might enjoy: ")
    assert not first.text.startswith("(")
    assert state.preferences.seen == ["gf1"]  # "no thanks" turned the list down without marking it seen
    _, reply = dialogue.turn(state, "any comedies that arent too long?")
    assert reply.items and reply.text.startswith(schema_notes.NO_RUNTIME_NOTE + " You might enjoy: ")


@pytest.mark.parametrize("text, note", [
    ("what are the best rated sci-fi movies?", schema_notes.NO_RATING_NOTE),  # The Phantom Menace had come without a word
    ("anything on netflix?", schema_notes.NO_STREAMING_NOTE),
    ("something less long", schema_notes.NO_RUNTIME_NOTE),  # after Oppenheimer: The Phantom Menace had come without a word
    ("a short comedy on hulu with good reviews", schema_notes.NO_RUNTIME_NOTE + " " + schema_notes.NO_RATING_NOTE + " "
     + schema_notes.NO_STREAMING_NOTE),
    ("show me some oscar winners", schema_notes.NO_AWARDS_NOTE),  # a list had come without a word
    ("what's the longest movie you have?", schema_notes.NO_RUNTIME_NOTE),
    ("any award-winning dramas?", schema_notes.NO_AWARDS_NOTE),
])
def test_a_wish_the_catalog_has_no_field_for_is_told_so(text, note):
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=3)
    state, _ = dialogue.turn(DialogueState(), "I loved The Godfather")
    _, reply = dialogue.turn(state, text)
    assert reply.items and reply.text.startswith(note + " You might enjoy: ")
    assert schema_notes.schema_notes("I loved The Godfather, the best crime film") == ""


@pytest.mark.parametrize("text", ["what's your favorite movie?", "do you like comedies?"])
def test_a_question_about_the_recommenders_own_taste_gets_a_list_with_a_word_on_why(text):
    """It had got "What's a film you loved recently?" back."""
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=3)
    _, reply = dialogue.turn(DialogueState(), text)
    assert reply.question is None and reply.text.startswith(schema_notes.NO_TASTE_NOTE + " You might enjoy: ")


def test_start_over_typed_in_the_chat_begins_a_new_search():
    """"start over" had been read as a wish, and every earlier taste stayed."""
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=3)
    state, _ = chat(dialogue, ["I loved The Godfather, no horror"])
    state, reply = dialogue.turn(state, "ok start over please")
    assert reply.text == policy.RESTART_REPLY and reply.items == []
    assert state.preferences == Preferences() and [t.render() for t in state.turns] == [
        "USER: ok start over please", "SYSTEM: " + policy.RESTART_REPLY]
    state, reply = dialogue.turn(state, "forget everything I said, something scary")  # the rest is the new first wish
    assert state.preferences == Preferences(liked_genres=["Horror"]) and reply.items
    assert [t.render() for t in state.turns][0] == "USER: something scary"


def test_a_correction_after_a_question_points_at_the_title_named_before_it():
    """"I hated Heat" -> a question -> "wait no, I meant I loved it, it was Alien I hated": Heat had stayed
    disliked (after a question nothing was shown for "it" to point at)."""
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=3)
    state, first = dialogue.turn(DialogueState(), "I hated Heat")
    assert first.question is not None and state.preferences.disliked == ["heat"]
    state, _ = dialogue.turn(state, "wait no, I meant I loved it, it was Alien I hated")
    assert state.preferences.liked == ["heat"] and state.preferences.disliked == ["alien"]


def test_what_can_you_do_is_answered_with_what_the_chat_understands():
    """"hi! what can you do?" had got "What's a film you loved recently?"."""
    state, reply = Dialogue(CAT, StateFilterRecommender(CAT)).turn(DialogueState(), "hi! what can you do?")
    assert reply.text == policy.help_reply(len(CAT)) and reply.items == [] and reply.question is None
    assert f"a catalog of {len(CAT)}" in reply.text and state.preferences == Preferences()
    _, reply = Dialogue(CAT, StateFilterRecommender(CAT)).turn(DialogueState(), "what can you do with horror films?")
    assert reply.text != policy.help_reply(len(CAT))  # a wish, not a help request


def test_a_list_that_runs_out_of_the_genre_asked_for_says_where_it_ends():
    """'Not a disney one' after musicals had gone on from Grease to Her without a word."""
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=5)
    state, _ = dialogue.turn(DialogueState(), "I loved Heat")  # an opening request only boosts its genre
    state, reply = dialogue.turn(state, "I want a horror movie")
    assert [CAT[i].genres.count("Horror") for i in reply.items] == [1, 1, 1, 1, 0]
    assert reply.text.endswith("Those are the only 4 horror films in this catalog that fit; the rest come closest.")
    state, reply = dialogue.turn(state, "any comedies?")
    assert "the only" not in reply.text and "the last" not in reply.text  # five of them left: a full list
    _, reply = dialogue.turn(state, "more comedies please")
    assert [CAT[i].genres.count("Comedy") for i in reply.items] == [1, 1, 0, 0, 0]  # 8: 6 were shown
    assert reply.text.endswith("Those are the last 2 comedy films in this catalog that fit; the rest come closest.")


@pytest.mark.parametrize("text, refused", [("no", True), ("No.", True), ("nope", True), ("no, I loved the first one", False)])
def test_a_bare_no_after_a_list_refuses_the_list(text, refused):
    # the next list had been "similar to" the films just refused
    state = DialogueState(turns=[Turn(USER, "anything"), Turn(SYSTEM, "try these", items=["gf1", "gf2", "alien"]),
                                 Turn(USER, text)])
    assert wants.rejected_list(state) == (["gf1", "gf2", "alien"] if refused else [])
    state.turns[1].text = "have you seen these?"  # ReDial: "no" answers the question
    assert wants.rejected_list(state) == (["gf1", "gf2", "alien"] if text == "nope" else [])


def test_a_list_shows_one_entry_of_each_film():
    """ReDial lists "Anchorman" and "Anchorman: The Legend of Ron Burgundy (2004)" under one IMDb id: both had been
    in one list, third and fourth. The ranking keeps both (the evaluation counts ids); the list shows the first."""
    from convrec.dialogue import one_entry_each

    cat = Catalog([Item("a1", "Anchorman", None, ["Comedy"], source_ids={"imdb": "tt0357413"}),
                   Item("st", "Step Brothers", 2008, ["Comedy"]),
                   Item("a2", "Anchorman: The Legend of Ron Burgundy", 2004, ["Comedy"], source_ids={"imdb": "tt0357413"}),
                   Item("el", "Elf", 2003, ["Comedy"])], name="twins-list")
    assert one_entry_each(["st", "a2", "el", "a1"], cat) == ["st", "a2", "el"]

    class Fixed:  # a recommender that lists both entries
        def recommend(self, state, k=10):
            ids = ["a1", "st", "a2", "el"][:k]
            text = "You might enjoy:\n" + "\n".join(f"- {cat[i].label}: why" for i in ids)
            return Recommendation(ids, {i: f"why {i}" for i in ids}, text)

    _, reply = Dialogue(cat, Fixed(), k=4).turn(DialogueState(), "something funny")
    assert reply.items == ["a1", "st", "el"] and set(reply.explanations) == {"a1", "st", "el"}
    assert reply.text.startswith("You might enjoy:\n- Anchorman: why\n- Step Brothers (2008): why\n- Elf (2003): why")
    assert "Only these" not in reply.text  # four films fit: one is shown once, not "only 3 fit"


def test_and_after_a_question_goes_on_with_the_users_last_message():
    """"I hated Titanic" -> "What's a film you loved?" -> "and The Notebook": The Notebook had been liked."""
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=2)
    state, reply = dialogue.turn(DialogueState(), "I hated The Notebook")
    assert reply.question == "title"
    state, reply = dialogue.turn(state, "and The Hangover")
    assert state.preferences.disliked == ["notebook", "hangover"] and state.preferences.liked == []
    assert state.turns[-2].items == ["hangover"]  # the turn names what it typed
    state, _ = dialogue.turn(state, "I loved Heat")
    state, _ = dialogue.turn(state, "and Alien")  # after a list: a message of its own (a bare title is liked)
    assert "alien" in state.preferences.liked


def test_a_shown_film_the_user_has_not_seen_is_pointed_back_at():
    """"I've seen all of his except Jackie Brown" after his films were listed: a list never repeats a film, so the
    next one had said nothing of Jackie Brown, and "what's that one about?" asked which one."""
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=20)
    state, first = dialogue.turn(DialogueState(), "something with Al Pacino")
    assert {"gf1", "gf2", "heat"} <= set(first.items)
    state, reply = dialogue.turn(state, "I've seen all of his except Heat")
    assert state.preferences.not_seen == ["heat"] and {"gf1", "gf2"} <= set(state.preferences.seen)
    assert reply.text.startswith("Then Heat (1995), from an earlier list, is one to watch. ")
    assert "heat" not in reply.items
    _, answer = dialogue.turn(state, "what's that one about?")
    assert answer.text.startswith("Heat (1995)")


def test_a_film_named_as_liked_then_not_seen_is_pointed_at():
    """"something like Heat" then "I haven't seen Heat actually": the reply had said nothing of Heat."""
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=3)
    state, first = dialogue.turn(DialogueState(), "something like Heat")
    assert "heat" in state.preferences.liked and "heat" not in first.items
    state, reply = dialogue.turn(state, "I haven't seen Heat actually")
    assert state.preferences.not_seen == ["heat"]
    assert reply.text.startswith("Then Heat (1995), which you named, is one to watch. ")


def test_a_follow_up_after_a_seen_film_still_asks_for_the_person_asked_for_before():
    """"something with Leonardo DiCaprio", "seen Inception and The Departed too", "any others?": the follow-up
    goes on with him (his films were gone, and no note had said so), passing over the message that only told what
    was seen."""
    turns = [Turn(USER, "something with Tom Hanks"), Turn(SYSTEM, "...", items=["ts1", "ts2"]),
             Turn(USER, "seen Cast Away too"), Turn(SYSTEM, "...", items=["ts3"]), Turn(USER, "any others?")]
    state = DialogueState(turns=turns, preferences=Preferences(liked_people=["Tom Hanks"], seen=["castaway"]))
    assert [a.value for a in wants.asked_now(state, CAT)] == ["Tom Hanks"]
    state.turns[2] = Turn(USER, "actually, a comedy")  # a new request: it is what the follow-up goes on with
    assert wants.asked_now(state, CAT) == []


def test_newer_after_a_film_named_is_newer_than_that_film():
    """"something like Grease" then "newer" had been newer than the list's median year (Mary Poppins came)."""
    dialogue = Dialogue(CAT, StateFilterRecommender(CAT), k=3)
    state, first = dialogue.turn(DialogueState(), "something like Alien")
    assert first.items and max(CAT[i].year for i in first.items) > 1990  # a median after Alien's year
    state, _ = dialogue.turn(state, "newer")
    assert state.preferences.year_min == 1980
    state, _ = dialogue.turn(state, "older")  # no film named just before: the list's median year decides
    assert state.preferences.year_max is not None and state.preferences.year_max < 2021


def test_about_a_kind_after_a_list_asks_for_that_genre_now():
    """"a good biopic" then "about a musician": Goodfellas had led, the music films after it."""
    state = DialogueState(turns=[Turn(USER, "a good biopic"), Turn(SYSTEM, "...", items=["gf1"]),
                                 Turn(USER, "about a musician")],
                          preferences=Preferences(liked_genres=["Biography", "Music"]))
    cat = Catalog([*CAT, Item("wl", "Whiplash", 2014, ["Drama", "Music"]), Item("bio", "A Life", 2000, ["Biography"])],
                  name="music")
    assert wants.genre_request(state, cat)[0] == ["Music"]
    state.turns[-1] = Turn(USER, "I loved it, a great musician")  # no request: nothing asked now
    assert wants.genre_request(state, cat)[0] == []
