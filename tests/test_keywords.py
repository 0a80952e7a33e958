"""Keywords: the catalog's tags named in a message, as wishes or as things to avoid."""
from __future__ import annotations

import numpy as np

from conftest import FakeEmbeddings
from convrec import collab, keywords
from convrec.catalog import Catalog, Item, load_demo
from convrec.preferences import update
from convrec.retrieval import DEFAULT_WEIGHTS, RetrievalConfig, Retriever
from convrec.state import SYSTEM, USER, DialogueState, Preferences, Turn

CAT = Catalog([
    Item("frozen", "Frozen", 2013, ["Animation", "Family", "Musical"], tags=["disney", "princess", "musical", "songs"], popularity=90),
    Item("lion", "The Lion King", 1994, ["Animation", "Family"], tags=["disney", "animals", "classic"], popularity=80),
    Item("nemo", "Finding Nemo", 2003, ["Animation", "Family"], tags=["pixar", "ocean"], popularity=70),
    Item("zoo", "Zootopia", 2016, ["Animation", "Family"], tags=["disney", "animals", "buddy cop"], popularity=60),
    Item("paddington", "Paddington", 2014, ["Comedy", "Family"], tags=["animals", "london"], popularity=50),
    Item("heat", "Heat", 1995, ["Crime", "Thriller"], tags=["heist", "los angeles"], popularity=40),
    Item("jp", "Jurassic Park", 1993, ["Adventure", "Sci-Fi"], tags=["dinosaurs", "theme park"], popularity=30),
    Item("tots", "My Neighbor Totoro", 1988, ["Animation", "Family"], tags=["studio ghibli", "anime"], popularity=20),
], name="keywords-test")


def test_the_catalog_tags_that_can_be_keywords():
    pattern, spelling = keywords.index(CAT)
    assert {"princess", "animals", "disney", "heist", "dinosaurs", "studio ghibli", "buddy cop"} <= set(spelling.values())
    assert "classic" not in spelling and "songs" not in spelling  # generic: no wish of their own
    assert "musical" not in spelling.values()  # a genre of this catalog: convrec.attributes reads it
    assert keywords.index(Catalog([Item("x", "X", 2000, ["Drama"], tags=["musical"])], name="no-musical-genre"))[1][
        "musicals"] == "musical"  # where no genre is called so, the tag is the keyword
    assert spelling["princesses"] == "princess" and spelling["dinosaur"] == "dinosaurs" and spelling["ghibli"] == "studio ghibli"
    assert keywords.find("no princesses this time", CAT) == [("princess", 3, 13)]
    assert keywords.find("any keywords here?", Catalog([Item("x", "X", 2000)], name="untagged")) == []


def P(**kw) -> Preferences:
    return Preferences(**kw)


def test_the_tracker_keeps_wished_and_avoided_keywords():
    def after(text, before=None):
        return update(before or P(), Turn(USER, text), CAT)

    assert after("something with animals maybe?") == P(liked_keywords=["animals"])
    assert after("no princesses this time") == P(disliked_keywords=["princess"])
    assert after("not Disney please") == P(disliked_keywords=["disney"])
    assert after("nothing with dinosaurs or princesses") == P(disliked_keywords=["dinosaurs", "princess"])  # the list
    assert after("any good heist movies?") == P(liked_genres=["Crime"], liked_keywords=["heist"])  # narrow: both
    # a capitalised tag word that starts a longer name is that name ("Murder on the Orient Express" had wished for
    # the murder tag); not when what follows is a tag too
    assert after("we've seen Dinosaurs of the Lost Valley") == P()
    assert after("Disney Princess films please") == P(liked_keywords=["disney", "princess"])
    assert after("something with Dinosaurs In It") == P(liked_keywords=["dinosaurs"])
    assert after("Disney is fine actually", P(disliked_keywords=["disney"])) == P()
    assert after("forget the animals", P(liked_keywords=["animals"])) == P()
    assert after("animals", P(disliked_keywords=["animals"])) == P(liked_keywords=["animals"])  # a change of mind
    # a wish after a liked title in the same sentence is still a wish (it had been read as describing Heat)
    assert after("I loved Heat, any other heist films?") == P(liked=["heat"], seen=["heat"], liked_genres=["Crime"],
                                                             liked_keywords=["heist"])
    assert after("I loved Heat, other animals movies?") == P(liked=["heat"], seen=["heat"], liked_keywords=["animals"])
    # a wished theme whose every film is now avoided goes ("something not superhero" after "loves Marvel" had been
    # told that every film tagged marvel was shown or ruled out); one with films left stays
    assert after("nothing animated", P(liked_keywords=["disney"])) == P(disliked_genres=["Animation"])
    assert after("no princesses", P(liked_keywords=["disney"])) == P(liked_keywords=["disney"],
                                                                     disliked_keywords=["princess"])


def test_what_the_user_lives_through_is_no_theme():
    """"to cheer me up after a breakup" had wished for the breakup tag (only Midsommar carries it in the demo
    catalog, so the reply said every film tagged breakup was ruled out); a film about it still is a theme."""
    demo = load_demo()
    assert update(P(), Turn(USER, "something to cheer me up after a breakup"), demo) == P(
        moods=["feel-good"], disliked_genres=["Horror", "Romance"])  # and no romance then
    assert update(P(), Turn(USER, "a movie about a breakup"), demo).liked_keywords == ["breakup"]


def test_a_noir_is_the_film_noir_tag():
    """The reply had said no film is tagged noir (The Batman was, now neo-noir), then listed four film noirs."""
    demo = load_demo()
    assert update(P(), Turn(USER, "an old movie, a noir"), demo).liked_keywords == ["film noir"]
    assert update(P(), Turn(USER, "something neo-noir"), demo).liked_keywords == ["neo-noir"]


def test_a_theme_that_is_also_a_series_name_is_the_theme_unless_capitalised_or_the_series():
    from convrec import series

    cat = Catalog([*CAT, Item("h1", "Heist", 2001, ["Crime"]), Item("h2", "Heist", 2015, ["Crime"])], name="heists")
    assert [m.key for m in series.named("any good heist movies?", cat)] == []  # the tag on films of any title
    assert update(P(), Turn(USER, "any good heist movies?"), cat).series == []
    assert [m.key for m in series.named("the heist movies", cat)] == ["heist"]  # the films called Heist
    assert [m.key for m in series.named("Heist movies", cat)] == ["heist"]


def test_a_theme_in_lower_case_is_no_title():
    """"any good heist movies?" had named the film Heist, "a movie about time travel" had liked About Time."""
    from convrec import titles

    cat = Catalog([*CAT, Item("h1", "Heist", 2001, ["Crime"], popularity=5), Item("about", "About Time", 2013, ["Romance"]),
                   Item("bttf", "Back to the Future", 1985, ["Sci-Fi"], tags=["time travel"])], name="themes")
    assert titles.link("any good heist movies?", cat) == [] and titles.link("a movie about time travel", cat) == []
    assert update(P(), Turn(USER, "a movie about time travel"), cat) == P(liked_keywords=["time travel"],
                                                                         constraints=["movie about time travel"])
    assert [m.item_id for m in titles.link("I loved Heist, and About Time too", cat)] == ["h1", "about"]  # capitalised


def retriever() -> Retriever:
    emb = FakeEmbeddings()
    vectors = np.array(emb.embed_documents([i.document() for i in CAT]), np.float32)
    only_pop = {name: 0.0 for name in DEFAULT_WEIGHTS} | {"popularity": 1.0}
    return Retriever(vectors, CAT, collab.build_signals(CAT, None, use_cache=False), RetrievalConfig(weights=only_pop), emb)


def top(state: DialogueState, k: int = 3) -> list[str]:
    return [c.item_id for c in retriever().retrieve(state, k=k)]


def test_an_avoided_keyword_is_never_offered_and_an_asked_one_leads():
    chat = [Turn(USER, "something for the kids"), Turn(SYSTEM, "...")]
    assert top(DialogueState(turns=chat, preferences=P(disliked_keywords=["disney"]))) == ["nemo", "paddington", "heat"]
    asked = DialogueState(turns=[*chat, Turn(USER, "something with animals")], preferences=P(liked_keywords=["animals"]))
    assert top(asked) == ["lion", "zoo", "paddington"]  # by popularity, the tagged ones first
    both = DialogueState(turns=asked.turns, preferences=P(liked_keywords=["animals"], disliked_keywords=["disney"]))
    assert top(both, k=2) == ["paddington", "nemo"]  # animals that are not Disney, then by popularity


def test_a_keyword_asked_before_goes_on_through_a_film_that_carries_it():
    from convrec import wants

    turns = [Turn(USER, "something with animals"), Turn(SYSTEM, "...", items=["lion", "zoo"]),
             Turn(USER, "something like Zootopia but newer", items=["zoo"])]
    st = DialogueState(turns=turns, preferences=P(liked_keywords=["animals"], liked=["zoo"]))
    assert [a.value for a in wants.asked_now(st, CAT)] == ["animals"]  # Zootopia is tagged animals: still wanted
    turns[-1] = Turn(USER, "something like Finding Nemo", items=["nemo"])
    assert wants.asked_now(DialogueState(turns=turns, preferences=st.preferences), CAT) == []  # not tagged so


def test_a_film_only_seen_asks_for_nothing_new_even_if_its_title_holds_a_keyword():
    """"seen Ocean's Eleven" after a heist list had dropped the heists: a film only seen wants nothing new, and the
    "ocean" in its title is no wish (it had made the message a request of its own)."""
    from convrec import wants

    cat = Catalog([*CAT, Item("oe", "Ocean's Eleven", 2001, ["Crime"], tags=["heist"], popularity=95),
                   Item("deep", "The Deep", 1977, ["Adventure"], tags=["ocean"])], name="keywords-ocean")
    turns = [Turn(USER, "a heist movie"), Turn(SYSTEM, "...", items=["oe"]), Turn(USER, "seen Ocean's Eleven")]
    seen = DialogueState(turns=turns, preferences=P(liked_keywords=["heist"], seen=["oe"]))
    assert [a.value for a in wants.asked_now(seen, cat)] == ["heist"]
    loved = DialogueState(turns=turns, preferences=P(liked_keywords=["heist"], seen=["oe"], liked=["oe"]))
    assert wants.asked_now(loved, cat) == []  # a film liked is a new seed: more like it, not only heists



def test_a_question_answered_in_between_does_not_end_the_request():
    """"something with animals", "who is in the second one?", then "I saw it already. next" had lost the animals."""
    from convrec import wants

    turns = [Turn(USER, "something with animals"), Turn(SYSTEM, "...", items=["lion", "zoo"]),
             Turn(USER, "who is in the second one?"), Turn(SYSTEM, "Zootopia (2016) stars ..."),
             Turn(USER, "hmm, I saw it already. next")]
    st = DialogueState(turns=turns, preferences=P(liked_keywords=["animals"], seen=["zoo"]))
    assert [a.value for a in wants.asked_now(st, CAT)] == ["animals"]
    turns[2:4] = [Turn(USER, "I loved Finding Nemo"), Turn(SYSTEM, "...", items=["paddington"])]
    assert wants.asked_now(DialogueState(turns=turns, preferences=st.preferences), CAT) == []  # a new list since


def test_similar_films_share_tags_where_the_catalog_has_them():
    r = retriever()
    r.config.weights = {name: 0.0 for name in DEFAULT_WEIGHTS} | {"similar": 1.0}
    liked = DialogueState(preferences=P(liked=["zoo"]))  # Zootopia: disney, animals, buddy cop
    similar = next(s for s in r.signals if s.name == "similar")
    assert [c.item_id for c in r.retrieve(liked, k=2)] == ["lion", "frozen"]  # disney + animals, then disney
    similar.tag_weight = 0.0
    assert [c.item_id for c in r.retrieve(liked, k=2)] != ["lion", "frozen"]  # text alone: another order


def test_a_liked_film_brings_its_tags_into_the_semantic_query():
    r = retriever()
    text = r.query_text(DialogueState(preferences=P(liked=["heat", "jp"])))
    assert text.startswith("Liked: Heat (1995) (heist, los angeles), Jurassic Park (1993) (dinosaurs, theme park)")
    untagged = Catalog([Item("x", "Parasite", 2019, ["Thriller"])], name="untagged-query")
    plain = Retriever(None, untagged, collab.build_signals(untagged, None, use_cache=False), RetrievalConfig())
    assert plain.query_text(DialogueState(preferences=P(liked=["x"]))) == "Liked: Parasite (2019)"  # ReDial's case


def test_a_mood_the_film_is_tagged_with_is_said_once():
    from convrec.attribute_signal import AttributeSignal
    from convrec.signals import Query

    cat = Catalog([Item("a", "Amelie", 2001, ["Comedy", "Romance"], tags=["feel-good"]),
                   Item("b", "Elf", 2003, ["Comedy", "Family"])], name="mood-reasons")
    sig = AttributeSignal(cat)
    q = Query(DialogueState(preferences=P(moods=["feel-good"])), "", np.zeros(0, np.int64), np.zeros(0, np.float32), {})
    assert sig.explain(q, 0) == ["tagged feel-good"]  # it had added "comedy, for something feel-good"
    assert sig.explain(q, 1) == ["comedy, for something feel-good"]


def test_a_tag_that_carries_a_mood_counts_more_than_a_genre_that_suits_it():
    """"i need a movie to cry to" had ranked There Will Be Blood and Inglourious Basterds (dramas, which suit sad)
    with Titanic: only a tag named like the mood counted, and no demo film is tagged "sad"."""
    from convrec.attribute_signal import AttributeSignal
    from convrec.signals import Query

    cat = Catalog([Item("twbb", "There Will Be Blood", 2007, ["Drama"], tags=["oil", "greed"]),
                   Item("nb", "The Notebook", 2004, ["Drama", "Romance"], tags=["tearjerker"]),
                   Item("gf", "Grave of the Fireflies", 1988, ["Animation", "War"], tags=["heartbreaking"]),
                   Item("elf", "Elf", 2003, ["Comedy", "Family"])], name="mood-tags")
    q = Query(DialogueState(preferences=P(moods=["sad"])), "", np.zeros(0, np.int64), np.zeros(0, np.float32), {})
    scores = AttributeSignal(cat).scores(q)
    assert scores[1] > scores[2] > scores[3] and scores[1] > scores[0] > scores[3]  # tag and genre, tag, genre, none
    assert AttributeSignal(cat).explain(q, 1) == ["tagged tearjerker"]  # not also "drama, for something sad"
    assert AttributeSignal(cat).explain(q, 0) == ["drama, for something sad"]


def test_an_avoided_mood_rules_out_its_tagged_films_and_stays_out_of_the_query():
    cat = Catalog([
        Item("dd", "Dumb and Dumber", 1994, ["Comedy"], tags=["slapstick", "road trip"], popularity=90),
        Item("ace", "Ace Ventura", 1994, ["Comedy"], tags=["goofy"], popularity=80),
        Item("hot", "Some Like It Hot", 1959, ["Comedy", "Romance"], tags=["witty"], popularity=70),
        Item("dr", "Dr. Strangelove", 1964, ["Comedy", "War"], tags=["satire"], popularity=60),
    ], name="avoided-mood")
    prefs = update(P(), Turn(USER, "something funny but not stupid"), cat)
    assert prefs == P(liked_genres=["Comedy"], constraints=["not silly"])  # "stupid" names the silly mood
    emb = FakeEmbeddings()
    vectors = np.array(emb.embed_documents([i.document() for i in cat]), np.float32)
    only_pop = {name: 0.0 for name in DEFAULT_WEIGHTS} | {"popularity": 1.0}
    r = Retriever(vectors, cat, collab.build_signals(cat, None, use_cache=False), RetrievalConfig(weights=only_pop), emb)
    state = DialogueState(turns=[Turn(USER, "something funny but not stupid")], preferences=prefs)
    assert [c.item_id for c in r.retrieve(state, k=4)] == ["hot", "dr"]  # slapstick and goofy are silly
    assert "not silly" not in r.query_text(state)  # its embedding would pull the silly films in
    assert [c.item_id for c in r.retrieve(DialogueState(preferences=P(constraints=["not too long"])), k=4)][:2] == ["dd", "ace"]
    assert update(prefs, Turn(USER, "ok, something silly then"), cat).constraints == []  # a change of mind
    gory = DialogueState(preferences=P(constraints=["not violent"]))  # "not too gory": no slasher either
    slasher = Catalog([*cat, Item("tcm", "The Texas Chain Saw Massacre", 1974, ["Horror"], tags=["slasher"], popularity=99)],
                      name="avoided-gore")
    r2 = Retriever(None, slasher, collab.build_signals(slasher, None, use_cache=False), RetrievalConfig(weights=only_pop))
    assert [c.item_id for c in r2.retrieve(gory, k=1)] == ["dd"]
    assert [c.item_id for c in r2.retrieve(DialogueState(), k=1)] == ["tcm"]
    # "something less violent" after Oldboy had got Train to Busan and John Wick: zombies and hitmen are violent;
    # the gangsters of Some Like It Hot do not make it so
    action = Catalog([*cat, Item("jw", "John Wick", 2014, ["Action"], tags=["hitman", "gun fu"], popularity=99),
                      Item("busan", "Train to Busan", 2016, ["Horror"], tags=["zombies", "intense"], popularity=98),
                      Item("slih", "Some Like It Hot", 1959, ["Comedy"], tags=["gangsters", "funny"], popularity=97)],
                     name="avoided-violence")
    less = update(P(), Turn(USER, "something less violent"), action)
    assert less.constraints == ["not violent"]
    r3 = Retriever(None, action, collab.build_signals(action, None, use_cache=False), RetrievalConfig(weights=only_pop))
    assert [c.item_id for c in r3.retrieve(DialogueState(preferences=less), k=1)] == ["slih"]
    # "like Gone Girl but less dark" had got Get Out and Zodiac: a serial killer or a scary film is dark
    killer = Catalog([*action, Item("zod", "Zodiac", 2007, ["Crime"], tags=["serial killer"], popularity=100)],
                     name="avoided-dark")
    lighter = update(P(), Turn(USER, "something less dark"), killer)
    r4 = Retriever(None, killer, collab.build_signals(killer, None, use_cache=False), RetrievalConfig(weights=only_pop))
    assert lighter.constraints == ["not dark"] and "zod" not in [c.item_id for c in r4.retrieve(
        DialogueState(preferences=lighter), k=10)]
    assert [c.item_id for c in r4.retrieve(DialogueState(), k=1)] == ["zod"]


def test_an_avoided_genre_also_rules_out_the_films_tagged_with_it():
    r = retriever()  # Frozen is tagged "musical" and filed under Animation, Family, Musical; The Lion King is not tagged so
    tagged = Catalog([*CAT, Item("alad", "Aladdin", 1992, ["Adventure", "Animation"], tags=["musical", "genie"], popularity=95)],
                     name="genre-tags")
    emb = FakeEmbeddings()
    vectors = np.array(emb.embed_documents([i.document() for i in tagged]), np.float32)
    r = Retriever(vectors, tagged, collab.build_signals(tagged, None, use_cache=False), r.config, emb)
    state = DialogueState(preferences=P(disliked_genres=["Musical"]))
    assert [c.item_id for c in r.retrieve(state, k=3)] == ["lion", "nemo", "zoo"]  # not Aladdin (95) nor Frozen (90)
    assert [c.item_id for c in r.retrieve(DialogueState(), k=2)] == ["alad", "frozen"]


def test_in_english_avoids_the_foreign_language_films_until_subtitles_are_fine():
    cat = Catalog([Item("para", "Parasite", 2019, ["Thriller"], tags=["foreign language", "satire"]),
                   Item("sa", "Spirited Away", 2001, ["Animation"], tags=["foreign language", "studio ghibli"]),
                   Item("go", "Get Out", 2017, ["Horror"], tags=["satire"])], name="english")
    prefs = update(P(), Turn(USER, "anything like Parasite but in English"), cat)
    assert prefs == P(liked=["para"], seen=["para"], disliked_keywords=["foreign language"])
    assert update(P(), Turn(USER, "no subtitles please"), cat) == P(disliked_keywords=["foreign language"])
    assert update(P(), Turn(USER, "ideally not in English"), cat) == P(liked_keywords=["foreign language"])
    assert update(P(), Turn(USER, "in English or French"), cat).liked_keywords == []  # no negated list after it
    lifted = update(prefs, Turn(USER, "I also loved Spirited Away, and subtitles are fine"), cat)
    assert lifted.disliked_keywords == [] and lifted.liked == ["para", "sa"]  # beside a title, still a wish
    assert update(prefs, Turn(USER, "I loved Spirited Away, so beautiful"), cat).disliked_keywords == ["foreign language"]


def test_a_language_is_a_wish_for_foreign_language_films_too():
    cat = Catalog([Item("para", "Parasite", 2019, ["Thriller"], tags=["korean", "foreign language"], popularity=90),
                   Item("old", "Oldboy", 2003, ["Thriller"], tags=["korean", "foreign language"], popularity=80),
                   Item("sa", "Spirited Away", 2001, ["Animation"], tags=["japanese", "foreign language"], popularity=70),
                   Item("go", "Get Out", 2017, ["Horror", "Thriller"], tags=["satire"], popularity=95)], name="languages")
    assert update(P(), Turn(USER, "recommend me a korean movie"), cat) == P(
        liked_keywords=["korean", "foreign language"])
    assert update(P(), Turn(USER, "a mandarin film?"), cat) == P()  # no Chinese film here: no keyword
    assert update(P(), Turn(USER, "nothing korean"), cat) == P(disliked_keywords=["korean"])  # subtitles still fine
    assert keywords.language_family("korean", cat) == "foreign language"
    assert keywords.language_family("satire", cat) is None
    assert keywords.language_family("korean", CAT) is None  # a catalog without foreign-language films
    chat = [Turn(USER, "recommend me a korean movie"), Turn(SYSTEM, "...", items=["para", "old"]),
            Turn(USER, "another one")]
    state = DialogueState(turns=chat, shown=["para", "old"], preferences=update(P(), chat[0], cat))
    emb = FakeEmbeddings()
    vectors = np.array(emb.embed_documents([i.document() for i in cat]), np.float32)
    weights = {name: 0.0 for name in DEFAULT_WEIGHTS} | {"popularity": 1.0, "attribute": 5.0}
    store = Retriever(vectors, cat, collab.build_signals(cat, None, use_cache=False), RetrievalConfig(weights=weights), emb)
    # by popularity Get Out would come first; the other foreign-language film comes closest
    assert [c.item_id for c in store.retrieve(state, k=2)] == ["sa", "go"]


def test_a_twist_is_the_mind_bending_mood_and_the_twist_ending_tag():
    cat = Catalog([Item("ss", "The Sixth Sense", 1999, ["Thriller"], tags=["twist ending", "ghost"]),
                   Item("up", "Up", 2009, ["Animation"], tags=["pixar"])], name="twists")
    assert update(P(), Turn(USER, "give me something with a great twist"), cat) == P(
        moods=["mind-bending"], liked_keywords=["twist ending"])
    assert update(P(), Turn(USER, "no twists please"), cat) == P(
        constraints=["not mind-bending"], disliked_keywords=["twist ending"])
    assert update(P(), Turn(USER, "something with a twist"), CAT) == P(moods=["mind-bending"])  # no such tag there


def test_a_tag_the_message_names_picks_among_namesakes():
    """"I loved Oldboy, any other foreign films?" had taken the better-known remake and dropped the wish."""
    cat = Catalog([*CAT, Item("ob13", "Oldboy", 2013, ["Action"], popularity=50),
                   Item("ob03", "Oldboy", 2003, ["Thriller"], tags=["korean", "foreign language"], popularity=10)],
                  name="namesakes")
    assert update(P(), Turn(USER, "I loved Oldboy"), cat).liked == ["ob13"]  # the better known, as before
    got = update(P(), Turn(USER, "I loved Oldboy, any other foreign films?"), cat)
    assert got.liked == ["ob03"] and got.liked_keywords == ["foreign language"]
    got = update(P(), Turn(USER, "I loved Oldboy, any korean movies?"), cat)
    assert got.liked == ["ob03"] and got.liked_keywords == ["korean", "foreign language"]


def test_a_light_mood_rules_out_heavy_films_of_its_genres_but_not_tearjerkers():
    """"Anything lighter?" had offered Grave of the Fireflies, an animation tagged devastating; Up stays."""
    cat = Catalog([Item("grave", "Grave of the Fireflies", 1988, ["Animation", "Drama"], tags=["devastating"], popularity=99),
                   Item("up", "Up", 2009, ["Animation", "Comedy"], tags=["tearjerker", "grief"], popularity=90),
                   Item("elf", "Elf", 2003, ["Comedy", "Family"], popularity=80)], name="light-mood")
    only_pop = {name: 0.0 for name in DEFAULT_WEIGHTS} | {"popularity": 1.0}
    r = Retriever(None, cat, collab.build_signals(cat, None, use_cache=False), RetrievalConfig(weights=only_pop))
    prefs = update(P(), Turn(USER, "anything lighter?"), cat)
    assert prefs.moods == ["lighter"]
    lighter = DialogueState(turns=[Turn(USER, "anything lighter?")], preferences=prefs)
    assert [c.item_id for c in r.retrieve(lighter, k=3)] == ["up", "elf"]
    assert [c.item_id for c in r.retrieve(DialogueState(), k=3)] == ["grave", "up", "elf"]


def test_a_teenager_is_the_audience_not_the_teenager_theme():
    # Inside Out 2 (tagged teenager) had led "something scary but not gory, for a teenager"
    cat = Catalog([Item("io2", "Inside Out 2", 2024, ["Animation", "Family"], tags=["teenager", "emotions"]),
                   Item("it", "It", 2017, ["Horror"], tags=["clown", "small town"]),
                   Item("sb", "Superbad", 2007, ["Comedy"], tags=["teenager", "high school"])], name="teen-test")
    assert keywords.lookup("teenager", cat) == "teenager"
    for text in ("something scary but not gory, for a teenager", "a comedy for my teenage son", "my son is 15"):
        p = update(Preferences(), Turn(USER, text), cat)
        assert p.liked_keywords == [] and "for a teenager" in p.constraints, text
        assert "Family" not in p.liked_genres
    assert update(Preferences(), Turn(USER, "I love films about a teenager"), cat).liked_keywords == ["teenager"]


def test_every_film_of_a_tag_seen_is_left_out_and_no_wish():
    """"I've seen pretty much every Pixar movie, what else is there?" had listed Pixar films under "every film tagged
    pixar has been shown or ruled out": the films with every tag named are seen, and the tag is no wish now."""
    from convrec import wants

    said = "I've seen pretty much every Disney movie, what else is there?"
    prefs = update(P(), Turn(USER, said), CAT)
    assert prefs.seen == ["frozen", "lion", "zoo"] and prefs.liked_keywords == ["disney"]
    assert update(P(), Turn(USER, "we've watched all the disney princess movies"), CAT).seen == ["frozen"]
    assert update(P(), Turn(USER, "I haven't seen every Disney movie"), CAT).seen == []
    assert update(P(), Turn(USER, "I have seen all the Disney movies but not every pixar one"), CAT).seen == \
        ["frozen", "lion", "zoo"]
    state = DialogueState(turns=[Turn(USER, said)], preferences=prefs)
    assert wants.asked_now(state, CAT) == []  # nothing to list first, nor a note that the Disney films are gone
    assert top(state) == ["nemo", "paddington", "heat"]
    again = DialogueState(turns=[Turn(USER, "something disney")], preferences=P(liked_keywords=["disney"]))
    assert [a.value for a in wants.asked_now(again, CAT)] == ["disney"]


def test_a_date_night_counts_its_genres_together():
    """"a good comedy for date night" had got The Hangover and Dumb and Dumber next to the romantic comedies: any
    one of the mood's genres had counted as much as both."""
    from convrec.attribute_signal import AttributeSignal
    from convrec.signals import Query

    cat = Catalog([Item("hang", "The Hangover", 2009, ["Comedy"]), Item("ghd", "Groundhog Day", 1993, ["Comedy", "Romance"]),
                   Item("elf", "Elf", 2003, ["Comedy", "Family"])], name="date-night")
    def scores(moods):
        return AttributeSignal(cat).scores(Query(DialogueState(preferences=P(moods=moods)), "", np.zeros(0, np.int64),
                                                 np.zeros(0, np.float32), {}))
    date = scores(["date-night"])
    assert date[1] > date[0] == date[2] > 0
    light = scores(["lighter"])
    assert light[0] == light[1] == light[2] > 0  # any light genre will do: a comedy needs no family tag


def test_a_detective_movie_is_the_mystery_genre_and_the_detective_tag():
    """"I want a good detective movie" had got Psycho and North by Northwest (Mystery alone)."""
    prefs = update(P(), Turn(USER, "I want a good detective movie"), load_demo())
    assert prefs.liked_genres == ["Mystery"] and prefs.liked_keywords == ["detective"]


def test_sad_endings_also_rule_out_the_bittersweet_ones():
    """"I hate sad endings" then "something romantic" had got Casablanca and La La Land (tagged bittersweet)."""
    demo = load_demo()
    prefs = update(P(), Turn(USER, "I hate sad endings"), demo)
    assert prefs.constraints == ["not sad"] and prefs.disliked_keywords == ["bittersweet"]
    assert update(P(), Turn(USER, "nothing sad"), demo).disliked_keywords == []  # sadness alone is the mood


def test_true_crime_is_the_genre_and_the_true_story_tag():
    """"I'm really into true crime" had been Crime alone (a question came back); ruling it out keeps crime films."""
    cat = Catalog([Item("z", "Zodiac", 2007, ["Crime", "Drama"], tags=["true story", "serial killer"]),
                   Item("h", "Heat", 1995, ["Crime", "Thriller"], tags=["heist"])], name="true-crime")
    liked = update(P(), Turn(USER, "I'm really into true crime"), cat)
    assert liked.liked_genres == ["Crime"] and liked.liked_keywords == ["true story"]
    avoided = update(P(), Turn(USER, "no true crime please"), cat)
    assert avoided.disliked_keywords == ["true story"] and avoided.disliked_genres == []


def test_an_avoided_tag_rules_out_the_longer_tags_holding_it():
    """"a sci-fi movie that isn't set in space" had listed two Star Wars films (tagged "space opera")."""
    from convrec.filters import Filters

    cat = Catalog([Item("sw", "Star Wars", 1977, ["Sci-Fi"], tags=["space opera"]), Item("moon", "Moon", 2009, ["Sci-Fi"],
                   tags=["space", "clone"]), Item("t", "The Terminator", 1984, ["Sci-Fi"], tags=["time travel"]),
                   Item("sp", "Spaceballs", 1987, ["Comedy"], tags=["spaceship parody"])], name="space")
    state = DialogueState(preferences=P(disliked_keywords=["space"]))
    assert Filters(cat, RetrievalConfig()).allowed(state).tolist() == [False, False, True, True]  # a word, not a part
