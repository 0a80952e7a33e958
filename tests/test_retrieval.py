"""Retrieval, signals and the first systems on a tiny catalog (real Chroma, fake embeddings)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FakeEmbeddings
from convrec import collab
from convrec.catalog import Catalog, Item, Person
from convrec.recommender import REGISTRY
from convrec.retrieval import DEFAULT_WEIGHTS, RetrievalConfig, Retriever, load_config
from convrec.state import SYSTEM, USER, DialogueState, Preferences, Turn
from convrec.systems import build_context, load_system


def movie(i, title, year, genres, director=None, desc="", pop=0.0):
    people = [Person(director, "director")] if director else []
    return Item(str(i), title, year, genres, people, desc, popularity=pop, source_ids={"redial": str(i)})


CATALOG = Catalog([
    movie(1, "Alien", 1979, ["Horror", "Sci-Fi"], "Ridley Scott", "crew of a space ship hunted by a creature"),
    movie(2, "Aliens", 1986, ["Action", "Sci-Fi"], "James Cameron", "marines fight creatures on a colony"),
    movie(3, "The Thing", 1982, ["Horror", "Sci-Fi"], "John Carpenter", "a shape shifting creature in the antarctic"),
    movie(4, "Airplane!", 1980, ["Comedy"], "Jim Abrahams", "a disaster movie spoof on a plane", pop=50),
    movie(5, "Toy Story", 1995, ["Animation", "Comedy"], "John Lasseter", "toys come alive", pop=90),
    movie(6, "Blade Runner", 1982, ["Sci-Fi", "Thriller"], "Ridley Scott", "a detective hunts replicants"),
    movie(7, "Halloween", 1978, ["Horror"], "John Carpenter", "a masked killer stalks a town"),
    movie(8, "Lost Reel", None, ["Drama"], None, "an old film of unknown date"),
    movie(9, "Gravity", 2013, ["Sci-Fi", "Thriller"], "Alfonso Cuaron", "astronauts stranded in space"),
    movie(10, "Paddington", 2014, ["Comedy", "Family"], "Paul King", "a bear in london", pop=70),
], name="retrieval-test")


def dialogue(conv_id, ids):
    return {"conversationId": conv_id, "movieMentions": {i: CATALOG[i].label for i in ids},
            "messages": [{"text": " ".join(f"@{i}" for i in ids), "senderWorkerId": 1, "messageId": 1}]}


@pytest.fixture
def data_root(tmp_path) -> Path:
    """A tiny data dir: training dialogues co-mention Alien with Halloween; the test split is poisoned."""
    root = tmp_path / "data"
    (root / "redial").mkdir(parents=True)
    train = [dialogue(n, ["1", "7"]) for n in range(3)] + [dialogue(10, ["5", "10"]), dialogue(11, ["9"])]
    (root / "redial" / "train_subset.jsonl").write_text("\n".join(json.dumps(d) for d in train))
    test = [dialogue(900 + n, ["1", "4"]) for n in range(20)]  # would make Airplane! Alien's neighbour
    (root / "redial" / "test_data.jsonl").write_text("\n".join(json.dumps(d) for d in test))
    return root


def retriever(data_root=None, weights=None, index=None, **cfg) -> Retriever:
    emb = FakeEmbeddings()
    vectors = index if index is not None else np.array(emb.embed_documents([i.document() for i in CATALOG]), np.float32)
    signals = collab.build_signals(CATALOG, data_root, use_cache=False)
    config = RetrievalConfig(weights={**DEFAULT_WEIGHTS, **(weights or {})}, **cfg)
    return Retriever(vectors, CATALOG, signals, config, emb)


def state(text="", **prefs) -> DialogueState:
    return DialogueState(turns=[Turn(USER, text)] if text else [], preferences=Preferences(**prefs))


ONLY = {name: 0.0 for name in DEFAULT_WEIGHTS}


def test_comention_ranks_the_comentioned_item_first(data_root):
    r = retriever(data_root, weights={**ONLY, "comention": 1.0})
    top = r.retrieve(state(liked=["1"]), k=3)
    assert top[0].item_id == "7"
    assert "often mentioned with Alien (1979)" in top[0].reasons
    assert top[0].signals["comention"] == 1.0
    # one training dialogue is not "often" (it had been said of Conception after Heat on MovieLens)
    once = r.retrieve(state(liked=["5"]), k=1)[0]
    assert once.item_id == "10" and "mentioned once with Toy Story (1995)" in once.reasons


def test_a_film_already_named_in_a_reason_is_not_named_again(data_root):
    r = retriever(data_root, weights={**ONLY, "comention": 1.0, "similar": 1.0}, reason_threshold=0.0)
    top = r.retrieve(state(liked=["1"]), k=3)
    # "similar to Alien ... which you liked; often mentioned with Alien (1979)" had said the film twice
    assert any("Alien (1979)" in x for x in top[0].reasons)
    assert "often mentioned with Alien (1979)" not in top[0].reasons[1:]
    assert sum("Alien (1979)" in x for x in top[0].reasons) == 1


def test_collab_never_reads_the_test_split(data_root):
    signals = collab.build_signals(CATALOG, data_root, use_cache=False)
    rows = {i: n for n, i in enumerate(CATALOG.ids())}
    assert signals.comention[rows["1"], rows["4"]] == 0  # only the test file co-mentions them
    assert signals.comention[rows["1"], rows["7"]] == 3
    assert signals.mentions[rows["4"]] == 0
    assert not any("test_data" in s for s in signals.sources)
    assert any(s.endswith("train_subset.jsonl") for s in signals.sources)


def test_full_train_file_is_preferred(data_root):
    (data_root / "redial" / "train_data.jsonl").write_text(json.dumps(dialogue(5, ["2", "3"])))
    signals = collab.build_signals(CATALOG, data_root, use_cache=False)
    assert signals.sources[0].endswith("train_data.jsonl")
    assert signals.mentions.sum() == 2  # train_subset ignored when the full split exists


def test_split_train_valid_is_deterministic_and_disjoint():
    dialogues = [dialogue(n, ["1"]) for n in range(200)]
    a_train, a_valid = collab.split_train_valid(dialogues, 0.2)
    b_train, b_valid = collab.split_train_valid(dialogues, 0.2)
    ids = lambda ds: {d["conversationId"] for d in ds}  # noqa: E731
    assert ids(a_valid) == ids(b_valid) and not ids(a_train) & ids(a_valid)
    assert 20 <= len(a_valid) <= 60 and len(a_train) + len(a_valid) == 200


def test_signals_cache_roundtrip(data_root, convrec_home):
    first = collab.build_signals(CATALOG, data_root)
    assert list((convrec_home / "collab").glob("*.npz"))
    again = collab.build_signals(CATALOG, data_root)
    assert (again.comention != first.comention).nnz == 0 and np.array_equal(again.popularity, first.popularity)


def test_no_data_dir_uses_item_popularity():
    r = retriever(None, weights={**ONLY, "popularity": 1.0})
    assert [c.item_id for c in r.retrieve(state(), k=3)] == ["5", "10", "4"]
    assert r.collab.comention.nnz == 0


def test_an_underrated_gem_wants_the_middle_of_the_popularity_prior():
    """"an underrated gem" had got the best-known films, each "popular": the prior peaks at its middle instead."""
    r = retriever(None, weights={**ONLY, "popularity": 1.0})
    got = r.retrieve(state("an underrated gem", moods=["lesser-known"]), k=3)
    # Airplane! (50) before Paddington (70); Toy Story (90), the best known, is left out altogether
    assert [c.item_id for c in got][:2] == ["4", "10"]
    assert "5" not in [c.item_id for c in r.retrieve(state("an underrated gem", moods=["lesser-known"]), k=10)]
    assert all("popular" not in c.reasons for c in got)
    kept = retriever(None, weights={**ONLY, "popularity": 1.0}, lesser_known_top=0.0)
    assert "5" in [c.item_id for c in kept.retrieve(state("an underrated gem", moods=["lesser-known"]), k=10)]


def test_year_and_genre_constraints(data_root):
    r = retriever(data_root)
    got = r.retrieve(state("something scary", year_min=1979, year_max=1990, disliked_genres=["sci fi"]), k=10)
    assert [c.item_id for c in got] == ["4"]  # Halloween is 1978; the rest in range are Sci-Fi
    assert all(1979 <= CATALOG[c.item_id].year <= 1990 for c in got)
    assert r.retrieve(state(year_min=2020), k=5) == []  # nothing fits: empty, not an error


def test_a_decade_ruled_out_is_a_hard_filter_and_no_text_to_match(data_root):
    """"a sci-fi that isn't from the 80s" had listed The Terminator and E.T.: years alone cannot say a gap."""
    r = retriever(data_root)
    s = state("sci-fi that isn't from the 80s", liked_genres=["Sci-Fi"], constraints=["not from the 1980s"])
    got = [c.item_id for c in r.retrieve(s, k=10)]
    assert got and not {"2", "3", "4", "6"} & set(got)  # Aliens, The Thing, Airplane!, Blade Runner
    assert {"1", "9"} <= set(got)  # Alien (1979) and Gravity (2013) stay
    assert "1980s" not in r.query_text(s)


def test_a_running_time_is_no_text_to_match(data_root):
    """"a movie under 2 hours" had matched Inside Out 2, Toy Story 2 and Dune: Part Two by the number."""
    r = retriever(data_root)
    assert r.query_text(state("I need a movie under 2 hours", constraints=["under 2 hours"])) == ""
    assert r.query_text(state("a heist, 90 minutes max")).strip() == "a heist,"
    assert r.query_text(state("Give me 3 heist movies")) == "Give me  heist movies"  # not 3 Idiots, by the number
    # nor in words: "nothing too long" had matched the longest epics
    assert r.query_text(state("a heist, nothing too long")).strip() == "a heist,"
    assert r.query_text(state("something shorter")) == ""


def test_disliked_people_are_a_hard_filter(data_root):
    got = retriever(data_root).retrieve(state(disliked_people=["ridley scott"]), k=10)
    assert not {"1", "6"} & {c.item_id for c in got} and len(got) == 8


def test_liked_genre_is_a_boost_with_reasons(data_root):
    got = retriever(data_root, weights={**ONLY, "attribute": 1.0}).retrieve(state(liked_genres=["Horror"]), k=3)
    assert {c.item_id for c in got} == {"1", "3", "7"}
    assert all("matches genre Horror" in c.reasons for c in got)
    people = retriever(data_root, weights={**ONLY, "attribute": 1.0}).retrieve(state(liked_people=["John Carpenter"]), k=2)
    assert {c.item_id for c in people} == {"3", "7"} and "directed by John Carpenter" in people[0].reasons
    both = retriever(data_root, weights={**ONLY, "attribute": 1.0}, max_reasons=1).retrieve(
        state(liked_genres=["Horror", "Sci-Fi"], liked_people=["John Carpenter"]), k=1)
    # the person first: with few reasons shown, "something with Ryan Reynolds" had left him out of the reasons
    assert [(c.item_id, c.reasons) for c in both] == [("3", ["directed by John Carpenter"])]
    CATALOG["7"].people.append(Person("John Carpenter", "writer"))
    try:
        wrote = retriever(data_root, weights={**ONLY, "attribute": 1.0}).retrieve(state(liked_people=["John Carpenter"]), k=2)
    finally:
        CATALOG["7"].people.pop()
    assert {c.item_id: c.reasons for c in wrote} == {"7": ["written and directed by John Carpenter"],
                                                     "3": ["directed by John Carpenter"]}


def test_asked_years_are_a_reason(data_root):
    got = retriever(data_root).retrieve(state(year_min=1980, year_max=1989), k=3)
    assert got and all("within the years you asked for" in c.reasons for c in got)
    assert not any("within the years" in r for c in retriever(data_root).retrieve(state(), k=3) for r in c.reasons)


def test_a_mood_favours_the_genres_that_suit_it(data_root):
    got = retriever(data_root, weights={**ONLY, "attribute": 1.0}).retrieve(state(moods=["lighter"]), k=3)
    assert {c.item_id for c in got} == {"4", "5", "10"}  # the comedies; no horror, thriller or drama
    assert "comedy, for something lighter" in got[0].reasons
    tense = retriever(data_root, weights={**ONLY, "attribute": 1.0}).retrieve(state(moods=["mind-bending"]), k=5)
    assert all({"Sci-Fi", "Thriller"} & set(CATALOG[c.item_id].genres) for c in tense)
    assert not {"4", "5", "10"} & {c.item_id for c in tense}  # no comedy for a mind-bender


def test_a_light_mood_asked_for_now_filters_a_narrowing_follow_up_keeps_it_and_an_older_one_only_boosts(data_root):
    r = retriever(data_root, liked_genre_filter=2)
    now = r.retrieve(state("something lighter now", liked=["1"], moods=["lighter"]), k=10)
    assert {c.item_id for c in now} == {"4", "5", "10"}  # only the comedies, though Alien was liked
    narrower = DialogueState(turns=[Turn(USER, "something lighter"), Turn(USER, "and from the 80s or later")],
                             preferences=Preferences(liked=["1"], moods=["lighter"]))
    assert {c.item_id for c in r.retrieve(narrower, k=10)} <= {"4", "5", "10"}  # it only narrows: still light
    later = DialogueState(turns=[Turn(USER, "something lighter"), Turn(USER, "I loved Alien too")],
                          preferences=Preferences(liked=["1"], moods=["lighter"]))
    assert {"6", "9"} <= {c.item_id for c in r.retrieve(later, k=10)}  # a later message about a film: boost only


def test_liked_genres_filter_when_enough_items_have_them(data_root):
    liked = state("more horror like Alien", liked=["1"], liked_genres=["Horror"])
    got = [c.item_id for c in retriever(data_root, liked_genre_filter=2).retrieve(liked, k=10)]
    assert got and set(got) <= {"3", "7"}  # only horror (Alien itself is liked, so excluded)
    few = [c.item_id for c in retriever(data_root, liked_genre_filter=3).retrieve(liked, k=10)]
    assert {"3", "7"} <= set(few) and len(few) > 2  # two horror films left < 3: a boost, not a filter
    assert set(few[:2]) == {"3", "7"}  # ... and the boost still ranks them first
    earlier = state("I like horror", liked=["1"], liked_genres=["Horror"])  # a taste, not a request for only that
    assert len(retriever(data_root, liked_genre_filter=2).retrieve(earlier, k=10)) > 2


def test_every_candidate_has_reasons_and_signals(data_root):
    st_ = DialogueState(turns=[Turn(USER, "I loved Alien", items=["1"]), Turn(SYSTEM, "Try Aliens", items=["2"])],
                        preferences=Preferences(liked=["1"], liked_genres=["Horror"]))
    got = retriever(data_root).retrieve(st_, k=8)
    assert len(got) == 8 and all(c.reasons for c in got)
    assert all(set(c.signals) <= set(DEFAULT_WEIGHTS) and c.signals for c in got)
    assert [c.score for c in got] == sorted((c.score for c in got), reverse=True)
    similar = [(c.item_id, r) for c in got for r in c.reasons if r.startswith("similar to")]
    assert similar and all(CATALOG[i].label not in r for i, r in similar)  # never "similar to itself"
    assert {r for _, r in similar} <= {"similar to Alien (1979) which you liked", "similar to Aliens (1986) which I suggested"}
    # liked but never seen ("I never saw Alien, I just heard it is good"): not "which you liked"
    st_.preferences.not_seen = ["1"]
    unseen = {r for c in retriever(data_root).retrieve(st_, k=8) for r in c.reasons if r.startswith("similar to Alien ")}
    assert unseen == {"similar to Alien (1979) which you want to see"}


GENRES = sorted({g for it in CATALOG for g in it.genres})
IDS = CATALOG.ids()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seen=st.sets(st.sampled_from(IDS)), disliked=st.sets(st.sampled_from(IDS)), liked=st.sets(st.sampled_from(IDS)),
       year_min=st.none() | st.integers(1970, 2015), span=st.none() | st.integers(0, 40),
       bad_genres=st.sets(st.sampled_from(GENRES), max_size=2), text=st.text(max_size=40))
def test_filters_never_return_excluded_ids(data_root, seen, disliked, liked, year_min, span, bad_genres, text):
    year_max = None if span is None else (year_min or 1970) + span
    s = DialogueState(turns=[Turn(USER, text, items=sorted(liked))],
                      preferences=Preferences(seen=sorted(seen), disliked=sorted(disliked), liked=sorted(liked),
                                              year_min=year_min, year_max=year_max, disliked_genres=sorted(bad_genres)))
    got = [c.item_id for c in retriever(data_root).retrieve(s, k=len(IDS))]
    assert not set(got) & (seen | disliked | liked)
    assert len(got) == len(set(got))
    expected = [i.id for i in CATALOG if i.id not in seen | disliked | liked and not set(i.genres) & bad_genres
                and (year_min is None or (i.year is not None and i.year >= year_min))
                and (year_max is None or (i.year is not None and i.year <= year_max))]
    assert sorted(got) == sorted(expected)  # nothing allowed is lost either


def test_extra_signal_plugs_in_with_weight_from_config(data_root):
    class Favourite:  # a stand-in for a learned signal: scores one item
        name, default_weight, normalize = "favourite", 1.0, "max"

        def scores(self, query):
            out = np.zeros(len(CATALOG), np.float32)
            out[CATALOG.ids().index("8")] = 1.0
            return out

        def explain(self, query, row):
            return ["the plug-in likes it"]

    base = retriever(data_root)
    plugged = Retriever(base.vectors, CATALOG, base.collab,
                        RetrievalConfig(weights={**DEFAULT_WEIGHTS, "favourite": 10.0}), FakeEmbeddings(), [Favourite()])
    top = plugged.retrieve(state("space"), k=1)[0]
    assert top.item_id == "8" and top.reasons[0] == "the plug-in likes it"
    off = Retriever(base.vectors, CATALOG, base.collab,
                    RetrievalConfig(weights={**DEFAULT_WEIGHTS, "favourite": 0.0}), FakeEmbeddings(), [Favourite()])
    assert "favourite" not in off.retrieve(state("space"), k=1)[0].signals


def test_config_file_roundtrip_and_errors(tmp_path, monkeypatch):
    path = tmp_path / "weights.json"
    path.write_text(json.dumps({"weights": {"semantic": 2.0}, "k": 7}))
    cfg = load_config(path)
    assert cfg.weights["semantic"] == 2.0 and cfg.weights["comention"] == DEFAULT_WEIGHTS["comention"] and cfg.k == 7
    monkeypatch.setenv("CONVREC_RETRIEVAL_CONFIG", str(path))
    assert load_config().k == 7
    path.write_text(json.dumps({"weights": {"graph": 0.5}, "fusion": "rank", "measured": {"recall@50": 0.4}}))
    assert load_config(path).fusion == "rank" and load_config(path).weights["graph"] == 0.5  # figures ignored
    path.write_text(json.dumps({"wieghts": {}}))
    with pytest.raises(ValueError, match="wieghts"):
        load_config(path)
    with pytest.raises(FileNotFoundError):
        load_config(tmp_path / "missing.json")


def test_query_text_uses_preferences_and_recent_user_turns(data_root):
    r = retriever(data_root, recent_user_turns=2)
    s = DialogueState(turns=[Turn(USER, "first"), Turn(SYSTEM, "system words"), Turn(USER, "second"), Turn(USER, "third")],
                      preferences=Preferences(liked=["1"], liked_genres=["Horror"], moods=["dark"]))
    text = r.query_text(s)
    assert text.startswith("Liked: Alien (1979). Genres: Horror. dark. third. second")
    assert "first" not in text and "system words" not in text
    assert retriever(data_root, recent_user_turns=0, query_years=False).query_text(s) == \
        "Liked: Alien. Genres: Horror. dark"  # the year is a setting (it helps the demo openers)
    # who watches is no content: "with my parents" had matched family films (E.T., Monsters, Inc.)
    s = DialogueState(turns=[Turn(USER, "a good comedy to watch with my parents, or for my teenage son")],
                      preferences=Preferences(liked_genres=["Comedy"], constraints=["with my parents", "for a teenager"]))
    assert r.query_text(s) == "Genres: Comedy. a good comedy to watch , or"


def test_query_text_holds_no_request_words_alone_and_no_unknown_names(data_root):
    """"surprise me" had matched Catch Me If You Can by the word "me"; "something like Breaking Bad" (no film of
    the catalog) had found Superbad and The Good, the Bad and the Ugly, then Some Like It Hot by "like"."""
    r = retriever(data_root)
    for said in ("surprise me", "recommend me something", "hi! any good movie suggestions for tonight?",
                 "best movies of the 90s?", "what are the greatest films of all time?",  # "90s" is a year filter
                 "I'm bored, give me something good", "asdfghjkl", "sdfsdf jkljkl",  # no word in a mash
                 "what is a must watch movie"):  # (it had listed The Big Lebowski and Zootopia)
        assert r.query_text(DialogueState(turns=[Turn(USER, said)])) == "", said  # ("asdfghjkl": Your Name.)
    assert r.query_text(DialogueState(turns=[Turn(USER, "surprise me with a heist")])) == "surprise me with a heist"
    bad = Turn(USER, "recommend me something like Breaking Bad, dark", unknown=["Breaking Bad"])
    assert r.query_text(DialogueState(turns=[bad])) == "recommend me something , dark"
    bad.text = "recommend me something like Breaking Bad"
    assert r.query_text(DialogueState(turns=[bad])) == ""
    liked = DialogueState(turns=[Turn(USER, "surprise me")], preferences=Preferences(liked=["1"]))
    assert r.query_text(liked) == "Liked: Alien (1979). surprise me"


def test_the_films_of_a_person_asked_for_seed_what_follows_them(data_root):
    """"something with Will Smith" in the demo: after his two films, Good Will Hunting and Mr. & Mrs. Smith had
    come by the words of his name; his films now seed the collaborative signals, and fill in after them."""
    r = retriever(data_root, weights={**ONLY, "comention": 1.0})
    asked = state("something by Ridley Scott", liked_people=["Ridley Scott"])
    q = r.make_query(asked)
    assert {CATALOG.items[int(row)].id: q.seed_kinds[int(row)] for row in q.seeds} == {"1": "person", "6": "person"}
    got = r.retrieve(asked, k=3)
    assert [c.item_id for c in got[:2]] == ["1", "6"] and got[2].item_id == "7"  # Halloween: mentioned with Alien
    assert r.make_query(state("something scary", liked_people=["Ridley Scott"])).seeds.size == 0  # not asked now
    no_horror = state("something by Ridley Scott, no horror", liked_people=["Ridley Scott"], disliked_genres=["Horror"])
    q = r.make_query(no_horror)  # a film ruled out is no reason: "not the violent ones" had cited Inglourious Basterds
    assert [CATALOG.items[int(row)].id for row in q.seeds] == ["6"]
    similar = retriever(data_root, weights={**ONLY, "similar": 1.0}).retrieve(no_horror, k=2)
    assert similar[0].item_id == "6" and similar[1].reasons[0] == "similar to Blade Runner (1982), a film by Ridley Scott"


def test_query_text_leaves_out_what_the_user_ruled_out(data_root):
    from convrec.catalog import load_demo
    from convrec.retrieval import without_negated

    demo = load_demo()
    assert without_negated("not sad though", demo) == " though"  # MiniLM puts "not sad" near "sad"
    assert without_negated("no horror please, something funny", demo) == " please, something funny"
    assert without_negated("something dark but not violent", demo) == "something dark but "
    assert without_negated("I loved Titanic", demo) == "I loved Titanic"
    notebook = demo["the-notebook-2004"]
    r = Retriever(np.zeros((1, 8), np.float32), Catalog([notebook], name="one"), collab.build_signals(CATALOG, data_root,
                  use_cache=False), RetrievalConfig(query_tags=4), FakeEmbeddings())
    s = DialogueState(turns=[Turn(USER, "something like The Notebook"), Turn(USER, "not sad though")],
                      preferences=Preferences(liked=[notebook.id], constraints=["not sad"]))
    assert r.query_text(s).startswith("Liked: The Notebook (2004) (romantic, nicholas sparks, first love). though. ")
    s.preferences.constraints = []
    assert r.query_text(s).startswith("Liked: The Notebook (2004) (romantic, tearjerker, nicholas sparks, first love)")


def test_query_text_leaves_out_a_turned_down_title_and_its_reasons():
    from convrec.catalog import load_demo
    from convrec.query_text import without_disliked

    demo, bad = load_demo(), ["interstellar-2014"]
    # the title's own words had found 2001 and The Martian, its reasons ("too long") the longest epics
    assert without_disliked("I hated Interstellar, too long and boring", bad, bad, demo) == "I hated "
    assert without_disliked("I hated interstellar but loved Arrival", bad + ["arrival-2016"], bad, demo) == \
        "I hated but loved Arrival"
    assert without_disliked("I loved Interstellar", bad, [], demo) == "I loved Interstellar"  # not turned down
    assert without_disliked("Interstellar was slow. Something fun", bad, bad, demo) == ". Something fun"


@pytest.fixture
def no_learned(monkeypatch):
    """These tests pin the hand-set signals; the shipped learned retriever is tested in test_learned."""
    monkeypatch.setenv("CONVREC_LEARNED", "0")


def test_systems_on_a_real_chroma_index(data_root, no_learned):
    ctx = build_context(CATALOG, data_root, embeddings=FakeEmbeddings())
    assert ctx.index.count() == len(CATALOG)
    s = state("a creature in space", liked=["1"], seen=["3"], disliked=["2"])
    for name in ("popularity", "retrieval"):
        rec = load_system(name, ctx).recommend(s, k=4)
        assert len(rec.item_ids) == 4 and set(rec.item_ids) <= set(CATALOG.ids())
        assert not {"1", "2", "3"} & set(rec.item_ids)
        assert set(rec.explanations) == set(rec.item_ids) and all(rec.explanations.values())
        assert CATALOG[rec.item_ids[0]].label in rec.text
    assert load_system("retrieval", ctx).recommend(s, k=1).item_ids == ["7"]  # co-mentioned with Alien
    # prior = mean of log training mentions and log Item.popularity, each scaled to [0, 1]
    assert load_system("popularity", ctx).recommend(state(), k=3).item_ids == ["5", "10", "1"]


def test_unknown_system_is_a_clear_error(data_root, no_learned):
    ctx = build_context(CATALOG, data_root, embeddings=FakeEmbeddings())
    with pytest.raises(ValueError, match="available: .*popularity"):
        load_system("no-such-system", ctx)
    assert {"popularity", "retrieval"} <= set(REGISTRY)


def test_real_training_signals(data_dir):
    from convrec.catalog_sources import load_redial

    catalog = load_redial(data_dir)
    signals = collab.build_signals(catalog, data_dir, use_cache=False)
    assert signals.sources[0].endswith(("train_data.jsonl", "train_subset.jsonl"))
    assert not any("test_data" in s for s in signals.sources)
    assert signals.mentions.sum() > 10_000 and signals.comention.nnz > 10_000
    assert signals.liked.nnz > 10_000  # MovieLens likes mapped through IMDb ids


def test_titles_already_in_the_conversation_are_not_offered_again(data_root):
    """Shown by the system, named by the user as a label, or in any preference list: known, so excluded
    (an earlier mention is never a dedup target); ``exclude_mentioned=False`` keeps them."""
    s = DialogueState(turns=[Turn(USER, "I watched The Thing (1982) last week"), Turn(SYSTEM, "Try Aliens", items=["2"]),
                             Turn(USER, "hmm, maybe")],
                      preferences=Preferences(not_seen=["9"]), shown=["2"])
    r = retriever(data_root)
    assert r.mentioned(s) == {"2", "3", "9"}
    got = {c.item_id for c in r.retrieve(s, k=len(IDS))}
    assert got == set(IDS) - {"2", "3", "9"}
    kept = {c.item_id for c in retriever(data_root, exclude_mentioned=False).retrieve(s, k=len(IDS))}
    assert kept == set(IDS)


def test_an_unseen_film_of_a_liked_person_is_offered_though_named(data_root):
    """"I've seen all his films except The Thing" (Carpenter liked): The Thing is just what to suggest (a named
    film had always been left out); one the system showed already is not shown again."""
    s = DialogueState(turns=[Turn(USER, "I've seen all his films except The Thing")],
                      preferences=Preferences(liked_people=["John Carpenter"], seen=["7"], not_seen=["3", "9"]))
    r = retriever(data_root)
    got = [c.item_id for c in r.retrieve(s, k=len(IDS))]
    assert got[0] == "3" and not {"7", "9"} & set(got)  # Gravity is no Carpenter film: named, so left out
    s.turns.append(Turn(SYSTEM, "Try The Thing", items=["3"]))
    s.shown.append("3")
    assert "3" not in {c.item_id for c in r.retrieve(s, k=len(IDS))}


def test_graph_walk_reaches_two_hop_neighbours(tmp_path):
    """Alien-Halloween and Halloween-Gravity are co-mentioned: the walk from Alien reaches Gravity,
    which direct co-mention cannot."""
    root = tmp_path / "data"
    (root / "redial").mkdir(parents=True)
    train = [dialogue(1, ["1", "7"]), dialogue(2, ["7", "9"]), dialogue(3, ["5", "10"])]
    (root / "redial" / "train_subset.jsonl").write_text("\n".join(json.dumps(d) for d in train))
    r = retriever(root, weights={**ONLY, "graph": 1.0})
    got = r.retrieve(state(liked=["1"]), k=3)
    assert [c.item_id for c in got[:2]] == ["7", "9"] and got[1].signals["graph"] > 0
    assert got[2].signals["graph"] == 0.0  # Toy Story / Paddington: another component
    direct = retriever(root, weights={**ONLY, "comention": 1.0}).retrieve(state(liked=["1"]), k=2)
    assert direct[1].signals["comention"] == 0.0


def test_rank_fusion_uses_ranks_not_scales(data_root):
    """fusion="rank": each signal contributes 1 / log2(1 + rank) among the allowed items (ties share
    their mean rank), so a signal's scale cannot swamp the others; reasons still use the scores."""
    from convrec.retrieval import _rank_gain

    mask = np.array([True, True, True, True, False])
    gain = _rank_gain(np.array([0.9, 0.1, 0.1, 0.0, 5.0], np.float32), mask)
    assert gain[0] == pytest.approx(1.0) and gain[1] == gain[2] == pytest.approx(1 / np.log2(3.5))
    assert gain[4] == 0.0 and gain[3] == pytest.approx(1 / np.log2(5))
    s = state("a masked killer in a town", liked=["1"])
    r = retriever(data_root, weights={**ONLY, "comention": 1.0, "semantic": 1.0}, fusion="rank")
    got = r.retrieve(s, k=3)
    assert got[0].item_id == "7" and set(got[0].signals) == {"comention", "semantic"}
    assert all(0.0 <= v <= 1.0 for c in got for v in c.signals.values())
    with pytest.raises(ValueError, match="fusion"):
        retriever(data_root, fusion="nope").retrieve(s, k=1)


def test_much_less_known_films_of_a_mentioned_title_are_not_offered(data_root):
    """After "I loved Halloween" (1978), an obscure Halloween namesake is a confusion, not a discovery: it
    is filtered with the mentioned film; a well-known one (a remake people talk about) stays, and
    ``namesake_share=0`` keeps every namesake."""
    from dataclasses import replace

    cat = Catalog([replace(it) for it in CATALOG] + [movie(11, "Halloween", 2018, ["Horror"], "David Gordon Green", "a masked killer returns", pop=5),
                                   movie(12, "Halloween", 2007, ["Horror"], "Rob Zombie", "a masked killer's childhood", pop=0.5),
                                   movie(13, "The Thing", 2011, ["Horror", "Sci-Fi"], "Matthijs van Heijningen",
                                         "a creature in the antarctic ice"),
                                   movie(14, "The Halloween", 2010, ["Comedy"], None, "not the 1978 film", pop=0.1)],
                  name="namesakes")
    cat.by_id["7"].popularity = 20.0  # (a copy) the 1978 film: 2018 is a quarter as well known, 2007 a fortieth
    emb = FakeEmbeddings()
    vectors = np.array(emb.embed_documents([i.document() for i in cat]), np.float32)
    signals = collab.build_signals(cat, data_root, use_cache=False)
    s = state("I loved Halloween, any horror?", liked=["7"])

    def ids(**cfg):
        return {c.item_id for c in Retriever(vectors, cat, signals, RetrievalConfig(**cfg), emb).retrieve(s, k=len(cat))}

    every = {str(n) for n in range(1, 15)}
    assert ids() == every - {"7", "12", "14"}  # The Thing (2011) stays too: no Thing was mentioned
    assert ids(namesake_share=0.5) == every - {"7", "11", "12", "14"}
    assert ids(namesake_share=0) == every - {"7"}
    # a title the system showed (and the user passed over) keeps its namesakes: "none of those, from the 2000s"
    s = DialogueState(turns=[Turn(SYSTEM, "Try Halloween (1978)", items=["7"]), Turn(USER, "none of those")], shown=["7"])
    assert ids() == every - {"7"}


def _after_a_list(text: str, items: list[str]) -> DialogueState:
    """Alien and The Thing were named, Blade Runner and Toy Story shown, then ``text`` names ``items``."""
    return DialogueState(turns=[Turn(USER, "I loved Alien (1979) and The Thing (1982)", items=["1", "3"]),
                                Turn(SYSTEM, "Blade Runner (1982); Toy Story (1995)", items=["6", "5"]),
                                Turn(USER, text, items=items)],
                         preferences=Preferences(liked=["1", "3", "5"]), shown=["6", "5"])


def test_more_like_one_film_follows_that_film(data_root):
    from convrec.wants import focus_items

    more = _after_a_list("more like the second one", ["5"])
    assert focus_items(more) == ["5"]
    assert focus_items(_after_a_list("I liked the second one", ["5"])) == []  # no "more like": every seed counts
    assert focus_items(state("more like Alien (1979)")) == []  # an opener: nothing else to weigh against
    # after other titles "something like X" asks for X too ("something like Groundhog Day" had got Avatar)
    assert focus_items(_after_a_list("something like Toy Story (1995)", ["5"])) == ["5"]
    assert focus_items(_after_a_list("any films similar to Toy Story (1995)?", ["5"])) == ["5"]
    assert focus_items(state("something like Alien (1979)")) == []
    r = retriever(data_root, weights={**ONLY, "similar": 1.0})
    focused = r.retrieve(more, k=2)
    assert [c.item_id for c in focused] == ["4", "10"]  # the comedies: Airplane! and Paddington share its genre
    assert all(c.reasons[0] == "similar to Toy Story (1995) which you liked" for c in focused)
    plain = r.retrieve(_after_a_list("I liked the second one", ["5"]), k=2)
    assert {c.item_id for c in plain} & {"7", "9"}  # the horror / sci-fi seeds still pull


@pytest.mark.parametrize("messages, asked", [
    (["I want a funny movie", "something newer, after 2010"], ["Comedy"]),  # the follow-up only narrows
    (["I want a funny movie", "more please"], ["Comedy"]),
    (["I want a funny movie", "I loved Heat"], []),  # names a film: the genre only boosts
    (["I want a funny movie", "something scary after 2010"], []),  # names another kind (not liked here)
    (["I like comedies", "something newer"], []),  # a taste, not a request: boost only
    (["more comedies please"], ["Comedy"]),
    (["a funny movie"], []),
    (["I loved Heat", "ok, what about a comedy?"], ["Comedy"]),  # asked outright: Star Wars had followed an anime
    (["I loved Heat", "I want a comedy"], ["Comedy"]),  # a request now: after The Dark Knight, Batman Begins had
    # followed "I want a horror movie"
    (["I want a comedy"], []),  # no film before it pulls elsewhere: the genre boosts (ReDial openers)
    (["I loved Heat", "any suggestions for a comedy night?"], ["Comedy"]),  # Black Panther had led a family night
    (["I loved Heat", "recommendations for a good comedy?"], ["Comedy"]),
    (["a comedy", "a more recent one"], ["Comedy"]),  # a genre alone is a request ("a western", then "a modern one"
    (["comedies please", "something newer"], ["Comedy"]),  # had got Inglourious Basterds and La La Land)
    (["I loved Heat", "comedy please"], ["Comedy"]),  # after films too (The Shining had come second)
    (["a comedy set in space", "something newer"], []),  # a theme besides: boost only
    (["I loved Heat", "something funnier"], ["Comedy"]),  # a comparative asks for it now (Pulp Fiction had stayed)
    (["I loved Heat", "it was much funnier than I expected"], []),  # a verdict (ReDial test lost a sample to it)
])
def test_genres_asked_now_follow_the_last_request_through_a_narrowing_follow_up(messages, asked):
    from convrec.wants import genres_asked_now
    from tests.tracking_fixtures import small_catalog

    turns = [Turn(USER, m, items=["heat"] if "Heat" in m else []) for m in messages]
    dialogue = DialogueState(turns=turns, preferences=Preferences(liked_genres=["Comedy"]))
    assert genres_asked_now(dialogue, small_catalog()) == asked


def test_a_genre_named_beside_a_light_mood_is_asked_too():
    """"a feel good sports movie" had kept the feel-good genres only (comedies, family films): Rocky was left out."""
    from convrec.wants import genres_asked_now

    s = DialogueState(turns=[Turn(USER, "a feel good sports movie")],
                      preferences=Preferences(liked_genres=["Sport"], moods=["feel-good"]))
    sport = Catalog([movie(1, "Rocky", 1976, ["Drama", "Sport"]), movie(2, "Up", 2009, ["Animation", "Comedy"])])
    assert genres_asked_now(s, sport) == ["Sport", "Comedy", "Animation", "Family", "Musical"]


def test_a_documentary_asked_for_is_a_request_even_in_an_opening():
    """"I want a documentary" on ReDial had listed Saving Private Ryan and Black Panther second and fourth: no other
    kind of film stands in for a documentary, so the opening request filters (other genres only boost there)."""
    from convrec.wants import genres_asked_now

    cat = Catalog([movie(1, "Earth", 2007, ["Documentary"], None, "nature"),
                   movie(2, "Heat", 1995, ["Crime"], None, "heist"),
                   movie(3, "Up", 2009, ["Comedy"], None, "balloons")], name="docs")
    for text, asked in (("I want a documentary", ["Documentary"]), ("a documentary", ["Documentary"]),
                        ("I want a comedy", [])):
        genre = "Documentary" if "documentary" in text else "Comedy"
        s = DialogueState(turns=[Turn(USER, text)], preferences=Preferences(liked_genres=[genre]))
        assert genres_asked_now(s, cat) == asked, text


def test_a_kids_audience_in_an_opening_keeps_family_and_animated_films(data_root):
    """"a good kids movie for my 5 year old" on ReDial had listed Black Panther and Jumanji (2017): a kids' audience
    filters even in an opening, to family films and animated ones (ReDial lists Coco as animation and comedy)."""
    from convrec.wants import genres_asked_now

    for text, asked in (("I want a kids movie for my 5 year old", ["Family"]), ("something to watch with my family",
                                                                              ["Family"]), ("a family movie", [])):
        s = DialogueState(turns=[Turn(USER, text)], preferences=Preferences(liked_genres=["Family"]))
        assert genres_asked_now(s, CATALOG) == asked, text
    s = DialogueState(turns=[Turn(USER, "I want a kids movie for my 5 year old")],
                      preferences=Preferences(liked_genres=["Family"]))
    r = retriever(data_root, liked_genre_filter=1)
    assert {c.item_id for c in r.retrieve(s, k=len(IDS))} == {"5", "10"}  # Toy Story (animation), Paddington


def test_the_person_the_latest_message_asks_for_leads_the_list():
    # popularity alone puts Toy Story, Paddington and Airplane! first; "something by John Carpenter" asks for
    # his films now (after crime films, one film of five had the actor asked for)
    r = retriever(weights={**ONLY, "popularity": 1.0})
    asked = state("what about something by John Carpenter?", liked_people=["John Carpenter"])
    assert [c.item_id for c in r.retrieve(asked, k=4)][:2] == ["3", "7"]  # The Thing, Halloween
    earlier = DialogueState(turns=[Turn(USER, "something by John Carpenter"), Turn(SYSTEM, "..."),
                                   Turn(USER, "something funny")], preferences=Preferences(liked_people=["John Carpenter"]))
    assert [c.item_id for c in r.retrieve(earlier, k=2)] == ["5", "10"]  # only the latest message reorders
    avoided = state("nothing by John Carpenter", liked_people=["John Carpenter"])
    assert [c.item_id for c in r.retrieve(avoided, k=2)] == ["5", "10"]


def test_a_list_turned_down_as_a_whole_is_no_evidence_of_taste(data_root):
    from convrec.wants import rejected_list

    shown = Turn(SYSTEM, "Alien; The Thing; Halloween", items=["1", "3", "7"])
    turned_down = DialogueState(turns=[Turn(USER, "surprise me"), shown, Turn(USER, "something else")], shown=["1", "3", "7"])
    assert rejected_list(turned_down) == ["1", "3", "7"]
    r = retriever(data_root)
    rows, _, _ = r.seeds(turned_down, set())
    assert rows.size == 0  # "similar to Alien which I suggested" had followed "something else"
    kept = DialogueState(turns=[Turn(USER, "surprise me"), shown, Turn(USER, "more please")], shown=["1", "3", "7"])
    assert rejected_list(kept) == [] and r.seeds(kept, set())[0].size == 3
    # a ReDial recommender turn names one or two films: a "something else" after it keeps them as evidence
    short = DialogueState(turns=[Turn(SYSTEM, "Try Alien", items=["1"]), Turn(USER, "anything else?")])
    assert rejected_list(short) == []
    bored = DialogueState(turns=[Turn(USER, "surprise me"), shown, Turn(USER, "boring. something lighter please")])
    assert rejected_list(bored) == ["1", "3", "7"]  # a verdict on the whole list first ("similar to ... which I suggested")
    # a suggestion of a genre avoided since is no evidence either ("no, I hate horror actually")
    avoided = DialogueState(turns=kept.turns, shown=kept.shown, preferences=Preferences(disliked_genres=["Horror"]))
    rows, _, _ = r.seeds(avoided, set())
    assert [CATALOG.items[i].id for i in rows] == []  # Alien, The Thing and Halloween are all horror
    mixed = DialogueState(turns=kept.turns, shown=kept.shown, preferences=Preferences(disliked_genres=["Thriller"]))
    assert r.seeds(mixed, set())[0].size == 3  # none of them is a thriller


def test_a_film_is_called_similar_only_when_it_shares_a_genre_or_is_close(data_root):
    from convrec.signals import SAY_SIMILAR

    r = retriever(data_root, weights={**ONLY, "similar": 1.0})
    vec = {it.id: v for it, v in zip(CATALOG, r._by_name["similar"].vectors)}
    told, untold = [], []
    for c in r.retrieve(state(liked=["5"]), k=9):  # Toy Story: Animation, Comedy
        close = bool(set(CATALOG[c.item_id].genres) & {"Animation", "Comedy"}) or float(vec[c.item_id] @ vec["5"]) >= SAY_SIMILAR
        said = "similar to Toy Story (1995) which you liked" in c.reasons
        assert said == close, (c.item_id, c.reasons)
        (told if said else untold).append(c.item_id)
    assert "4" in told and untold  # Airplane! (a comedy) is; some film with no genre in common is not


def test_a_film_not_seen_is_a_seed_only_when_the_latest_message_asks_for_more_like_it(data_root):
    r = retriever(data_root)
    unseen = Preferences(not_seen=["1"])
    told = [Turn(USER, "I never saw Alien, is it good?", items=["1"]), Turn(SYSTEM, "Alien (1979) is ...", about=["1"])]
    assert r.seeds(DialogueState(turns=told, preferences=unseen), set())[0].size == 0  # not seen: no taste evidence
    like_it = DialogueState(turns=[*told, Turn(USER, "ok, something like it", items=["1"])], preferences=unseen)
    assert r.seeds(like_it, set())[0].tolist() == [0]  # "something like Jaws" had got no film like it
    assert r.retrieve(like_it, k=1)[0].item_id == "7"  # Halloween: co-mentioned with Alien in training


def test_a_title_taken_back_or_not_meant_is_no_seed(data_root):
    from convrec.ui_state import remove_entry

    named = DialogueState(turns=[Turn(USER, "I loved Alien and Halloween", items=["1", "7"])],
                          preferences=Preferences(liked=["1", "7"], seen=["1", "7"]))
    r = retriever(data_root)
    assert sorted(r.seeds(named, set())[0].tolist()) == [0, 6]
    forgot = DialogueState(turns=named.turns, preferences=Preferences(seen=["1", "7"], liked=["7"], dropped=["1"]))
    assert r.seeds(forgot, set())[0].tolist() == [6]  # "forget Alien" had left it a seed as a title the user named
    removed = remove_entry(named.preferences, "liked:1")  # the panel's remove button does the same
    assert removed.dropped == ["1"] and r.seeds(DialogueState(turns=named.turns, preferences=removed), set())[0].tolist() == [6]


@pytest.mark.parametrize("messages, required", [
    (["I loved Heat", "I want a romantic comedy"], ["Romance", "Comedy"]),
    (["I loved Heat", "I want a romantic comedy from the 90s"], ["Romance", "Comedy"]),
    (["I loved Heat", "I want a romantic comedy", "something newer"], ["Romance", "Comedy"]),  # only narrows
    (["I loved Heat", "more romantic comedies"], ["Romance", "Comedy"]),
    (["I want a romantic comedy"], []),  # no film before it pulls elsewhere: the genres boost (ReDial openers)
    (["I loved Heat", "I want a comedy or a romance"], []),  # either will do
    (["I loved Heat", "I want a comedy"], []),
    (["I loved Heat", "I like romantic comedies", "something newer"], []),  # a taste, not a request
])
def test_genres_named_together_are_all_required(messages, required):
    from convrec.wants import genres_required_now
    from tests.tracking_fixtures import small_catalog

    turns = [Turn(USER, m, items=["heat"] if "Heat" in m else []) for m in messages]
    dialogue = DialogueState(turns=turns, preferences=Preferences(liked_genres=["Comedy", "Romance"]))
    assert genres_required_now(dialogue, small_catalog()) == required


def test_a_romantic_comedy_request_keeps_the_films_of_both_genres_while_there_are_enough():
    films = [Item(f"c{n}", f"Comedy {n}", 2000, ["Comedy"], popularity=90 - n) for n in range(3)]
    films += [Item(f"r{n}", f"Romance {n}", 2000, ["Romance"], popularity=80 - n) for n in range(3)]
    films += [Item(f"rc{n}", f"Romcom {n}", 2000, ["Comedy", "Romance"], popularity=10 - n) for n in range(2)]
    cat = Catalog(films, name="romcoms")
    emb = FakeEmbeddings()
    vectors = np.array(emb.embed_documents([i.document() for i in cat]), np.float32)

    def top(text, need):
        config = RetrievalConfig(weights={**ONLY, "popularity": 1.0}, liked_genre_filter=2, all_genres_filter=need)
        r = Retriever(vectors, cat, collab.build_signals(cat, None, use_cache=False), config, emb)
        turns = [Turn(USER, "hi"), Turn(SYSTEM, "How about these?", items=["r2"]), Turn(USER, text)]
        st = DialogueState(turns=turns, preferences=Preferences(liked_genres=["Romance", "Comedy"]))
        return [c.item_id for c in r.retrieve(st, k=8)]

    assert top("I want a romantic comedy", 2) == ["rc0", "rc1"]
    assert top("I want a comedy or a romance", 2)[:2] == ["c0", "c1"]  # either genre: the popular comedies lead
    assert top("I want a romantic comedy", 3)[:2] == ["c0", "c1"]  # two romcoms are too few: either genre


def test_another_entry_of_a_film_the_user_named_is_that_film():
    """ReDial lists 192 films twice under one IMDb id ("Anchorman" and "Anchorman: The Legend of Ron Burgundy
    (2004)"): after "I loved Anchorman" the other entry had been recommended."""
    import dataclasses

    twin = dataclasses.replace(CATALOG["1"], id="11", title="Alien: Director's Cut", year=None,
                               source_ids={"redial": "11", "imdb": "tt0078748"})
    items = [dataclasses.replace(i, source_ids={**i.source_ids, "imdb": "tt0078748"}) if i.id == "1" else i
             for i in CATALOG] + [twin]
    cat = Catalog(items, name="twins-test")
    assert cat.twins("1") == ["11"] and cat.twins("11") == ["1"] and cat.twins("2") == []
    emb = FakeEmbeddings()
    vectors = np.array(emb.embed_documents([i.document() for i in cat]), np.float32)
    r = Retriever(vectors, cat, collab.build_signals(cat, None, use_cache=False), RetrievalConfig(), emb)
    liked = DialogueState(turns=[Turn(USER, "I loved Alien")], preferences=Preferences(liked=["1"], seen=["1"]))
    got = [c.item_id for c in r.retrieve(liked, k=len(cat))]
    assert "11" not in got and "1" not in got and len(got) == len(cat) - 2
    named = DialogueState(turns=[Turn(USER, "I watched Alien (1979) last week")])  # named as a label, no preference
    assert "11" not in {c.item_id for c in r.retrieve(named, k=len(cat))}
    shown = DialogueState(turns=[Turn(USER, "something scary"), Turn(SYSTEM, "Try Alien (1979)", items=["1"]),
                                 Turn(USER, "more")], shown=["1"])  # "Anchorman" shown, then its other entry
    assert not {"1", "11"} & {c.item_id for c in r.retrieve(shown, k=len(cat))}


def test_an_asked_genre_too_scarce_to_filter_by_leads_the_list_without_films_of_no_genre(data_root):
    """"I want a western" after "my son is 12": with 7 westerns (under ``liked_genre_filter``) family films had
    taken three of five places; the westerns now come first, and a film with no genre data does not."""
    import dataclasses

    cat = Catalog(list(CATALOG) + [dataclasses.replace(CATALOG["8"], id="12", title="Untitled Reel", genres=[])],
                  name="lead-test")
    emb = FakeEmbeddings()
    vectors = np.array(emb.embed_documents([i.document() for i in cat]), np.float32)
    r = Retriever(vectors, cat, collab.build_signals(cat, data_root, use_cache=False),
                  RetrievalConfig(liked_genre_filter=5), emb)
    s = DialogueState(turns=[Turn(USER, "I loved Toy Story, a bear in london"),
                             Turn(SYSTEM, "Try Airplane!", items=["4"]), Turn(USER, "I want a horror movie")],
                      preferences=Preferences(liked=["5"], liked_genres=["Family", "Horror"]))
    got = [c.item_id for c in r.retrieve(s, k=len(cat))]
    assert set(got[:3]) == {"1", "3", "7"}  # the three horror films first (Paddington had led)
    assert got.index("10") < got.index("12")  # then the rest in score order: the film of no genre does not lead


def test_a_theme_after_a_scarce_genre_keeps_that_genre_first():
    """"a good documentary", then "something about nature": the nature films of other genres had come first (with
    no documentary left the reply says so: scripted dialogue 52). Themed films of the genre first, then the
    genre's other films, then the rest."""
    cat = Catalog([Item("n1", "Wild Cartoon", 2010, ["Animation"], tags=["nature"], popularity=90),
                   Item("d1", "Penguin Doc", 2005, ["Documentary"], tags=["nature"], popularity=10),
                   Item("d2", "Climbing Doc", 2018, ["Documentary"], tags=["climbing"], popularity=50),
                   Item("d3", "Music Doc", 1984, ["Documentary"], tags=["music"], popularity=40),
                   Item("x1", "Big Film", 2000, ["Action"], popularity=95)], name="lead-theme")
    emb = FakeEmbeddings()
    vectors = np.array(emb.embed_documents([i.document() for i in cat]), np.float32)
    r = Retriever(vectors, cat, collab.build_signals(cat, None, use_cache=False),
                  RetrievalConfig(weights={**ONLY, "popularity": 1.0}), emb)
    turns = [Turn(USER, "looking for a good documentary"), Turn(SYSTEM, "How about this?", items=["d3"]),
             Turn(USER, "something about nature")]
    st = DialogueState(turns=turns, shown=["d3"], preferences=Preferences(
        liked_genres=["Documentary"], liked_keywords=["nature"], constraints=["something about nature"]))
    assert [c.item_id for c in r.retrieve(st, k=4)] == ["d1", "d2", "x1", "n1"]  # the rest by popularity alone


def test_a_theme_no_film_of_the_genre_named_with_it_has_leads_nothing():
    """"a horror movie set in the snow" had led with Frozen and Fargo (tagged snow, no horror): the theme's films
    lead only when some are of the genre named with it."""
    def ranked(snowy_horror: bool, text: str = "a horror movie set in the snow") -> list[str]:
        cat = Catalog([Item("f", "Snow Cartoon", 2013, ["Animation"], tags=["snow"], popularity=30),
                       Item("h", "Scary Film", 1980, ["Horror"], popularity=50),
                       Item("h2", "Snowed In", 1982, ["Horror"], tags=["snow"] if snowy_horror else [], popularity=40)],
                      name="snow")
        emb = FakeEmbeddings()
        vectors = np.array(emb.embed_documents([i.document() for i in cat]), np.float32)
        r = Retriever(vectors, cat, collab.build_signals(cat, None, use_cache=False),
                      RetrievalConfig(weights={**ONLY, "popularity": 1.0}), emb)
        st = DialogueState(turns=[Turn(USER, text)],
                           preferences=Preferences(liked_genres=["Horror"], liked_keywords=["snow"]))
        return [c.item_id for c in r.retrieve(st, k=3)]

    assert ranked(snowy_horror=True) == ["h2", "h", "f"]  # the snowy horror film leads
    assert ranked(snowy_horror=False) == ["h", "h2", "f"]  # none: popularity decides (the cartoon had led)
    # a genre the catalog does not have is no such test ("i love Marvel movies" reads Superhero, no ReDial genre:
    # the Marvel films had stopped leading, and the user simulator found Black Panther two rounds later)
    assert ranked(snowy_horror=False, text="a superhero movie set in the snow")[0] == "f"


def test_a_liked_persons_name_in_a_title_is_no_likeness():
    """"movies with Emma Stone" had listed Romancing the Stone: a film whose title holds a word of a liked
    person's name, without that person, scores by its document without the title."""
    from convrec.signals import Query, SemanticSignal

    cat = Catalog([Item("stone", "Romancing the Stone", 1984, ["Adventure"], [Person("Michael Douglas", "actor")]),
                   Item("lala", "La La Land", 2016, ["Musical"], [Person("Emma Stone", "actor")]),
                   Item("rock", "The Rock", 1996, ["Action"], [Person("Sean Connery", "actor")])], name="names")
    full = np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]], np.float32)  # the title's word makes "stone" closest
    plain = np.array([[0.0, 1.0], [0.6, 0.8], [0.0, 1.0]], np.float32)
    signal = SemanticSignal(full, cat, plain)
    asked = DialogueState(preferences=Preferences(liked_people=["Emma Stone"]))
    q = lambda state: Query(state=state, text="movies with Emma Stone", seeds=np.zeros(0, np.int64),
                            seed_weights=np.zeros(0, np.float32), seed_kinds={}, embed=lambda _: [1.0, 0.0])
    assert np.allclose(signal.scores(q(asked)), [0.0, 0.6, 0.0])  # La La Land (her film) keeps its title's score
    assert np.allclose(signal.scores(q(DialogueState())), [1.0, 0.6, 0.0])  # no person liked: the full documents
    assert np.allclose(SemanticSignal(full).scores(q(asked)), [1.0, 0.6, 0.0])  # no plain vectors: as before


def test_the_kindred_genre_follows_the_asked_genre():
    """"more movies about music" had gone on from the two music films to Pulp Fiction: musicals come next."""
    from convrec.filters import Filters

    cat = Catalog([Item("m", "Stop Making Sense", 1984, ["Documentary", "Music"]), Item("g", "Grease", 1978, ["Musical"]),
                   Item("p", "Pulp Fiction", 1994, ["Crime"])], name="kin")
    state = DialogueState(turns=[Turn(USER, "more movies about music")], preferences=Preferences(liked_genres=["Music"]))
    assert Filters(cat, RetrievalConfig()).kindred(state).tolist() == [False, True, False]
    state.preferences.disliked_genres = ["Musical"]  # a kindred genre ruled out does not follow
    assert Filters(cat, RetrievalConfig()).kindred(state).tolist() == [False, False, False]


@pytest.mark.parametrize("text, like_it, like_named", [
    ("ok cool, anything similar?", True, True),  # after an answer about The Hangover (The Lord of the Rings had come)
    ("more like that", True, True),
    ("anything similar to Alien?", False, True),  # names its film: no "it"
    ("like Parasite", False, True),  # a message that starts with "like" (the list had stayed like Amelie)
    ("I like Parasite", False, False),
    ("it was similar", False, False),
])
def test_more_like_it_reads_a_bare_similar_and_a_leading_like(text, like_it, like_named):
    from convrec.wants import MORE_LIKE_RE, more_like_it

    assert more_like_it(text) is like_it and bool(MORE_LIKE_RE.search(text)) is like_named
