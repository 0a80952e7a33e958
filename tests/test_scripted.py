"""Scripted dialogues: loading, every check, and the CLI's exit code."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest

from convrec import evaluate, preferences, scripted
from convrec.catalog import load_demo, load_file
from convrec.dialogue import Reply
from convrec.recommender import Recommendation
from convrec.state import DialogueState

FIX = Path(__file__).parent / "fixtures"
DIALOGUES = Path(__file__).parent / "dialogues"


@pytest.fixture
def tiny():
    return load_file(FIX / "tiny_catalog.jsonl", name="tiny")


class Popularity:
    name = "pop"

    def __init__(self, catalog):
        self.order = [i.id for i in sorted(catalog, key=lambda i: -i.popularity)]

    def recommend(self, state, k=10):
        ex = state.preferences.excluded()
        return Recommendation([i for i in self.order if i not in ex][:k], {i: "popular pick" for i in self.order})


@pytest.fixture
def no_tracker(monkeypatch):
    monkeypatch.setattr(preferences, "update", lambda prefs, turn, catalog, **kw: copy.deepcopy(prefs))


def test_load_yaml_jsonl_and_folders():
    ds = scripted.load_scripts(FIX / "scripts")
    assert [d.name for d in ds] == ["deliberate-violation", "passing-one", "typo-check"]
    assert ds[1].turns[1] == {"feedback": {"item": "Toy Story", "kind": "seen"}, "expect": {"state": {"seen": ["Toy Story"]}}}


def test_bad_script_files(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nturns: []\n")
    with pytest.raises(scripted.ScriptError, match="non-empty 'turns'"):
        scripted.load_scripts(bad)
    bad.write_text("turns:\n  - {user: hi, feedback: {item: x}}\n")
    with pytest.raises(scripted.ScriptError, match="exactly one of"):
        scripted.load_scripts(bad)
    bad.write_text("turns: [unclosed\n")
    with pytest.raises(scripted.ScriptError, match="not valid YAML"):
        scripted.load_scripts(bad)
    with pytest.raises(scripted.ScriptError, match="not found"):
        scripted.load_scripts(tmp_path / "none.yaml")


def test_violations_name_dialogue_turn_and_check(tiny, no_tracker):
    ds = scripted.load_scripts(FIX / "scripts")
    res = scripted.run_scripts(ds, tiny, Popularity(tiny))
    got = [(v.dialogue, v.turn, v.check) for v in res.violations]
    assert got == [("deliberate-violation", 1, "never_recommend"),
                   ("typo-check", 1, "never_recomend"), ("typo-check", 2, "never_recommend")]
    assert "Toy Story (1995)" in res.violations[0].message
    assert "unknown title 'No Such Film'" in res.violations[2].message
    assert res.n_dialogues == 3 and res.n_turns == 6 and res.n_checks == 10
    assert str(res.violations[0]).endswith("turn 1 :: never_recommend: recommended Toy Story (1995)")


def test_each_check_can_fail(tiny):
    reply = Reply("Try these: a horror pick", ["1", "5"], {"1": "Directed by Ridley Scott"})
    state = DialogueState()
    state.preferences.seen = ["5"]
    state.preferences.liked_genres = ["Horror"]
    fails = lambda expect: [c for c, _ in scripted.check_turn(expect, reply, state, tiny)]  # noqa: E731
    assert fails({"all_recommendations_have_genre": "Horror"}) == []
    assert fails({"all_recommendations_have_genre": "Sci-Fi"}) == ["all_recommendations_have_genre"]
    assert fails({"each_genre_recommended": ["Horror"]}) == []
    assert fails({"each_genre_recommended": ["Horror", "Western"]}) == ["each_genre_recommended"]
    assert fails({"no_recommendation_with_genre": ["Comedy"]}) == []
    assert fails({"no_recommendation_with_genre": "horror"}) == ["no_recommendation_with_genre"]
    assert fails({"no_recommendation_before_year": 1979}) == []
    assert fails({"no_recommendation_before_year": 1980}) == ["no_recommendation_before_year"]
    assert fails({"no_recommendation_after_year": 1979}) == ["no_recommendation_after_year"]
    assert fails({"explanation_mentions": ["ridley", "horror"]}) == []
    assert fails({"explanation_mentions": ["cameron"]}) == ["explanation_mentions"]
    assert fails({"explanations_never_mention": ["horror", "cameron"]}) == []  # the reply's own words do not count
    assert fails({"explanations_never_mention": ["ridley"]}) == ["explanations_never_mention"]
    assert fails({"never_says": ["comedy", "ridley"]}) == []  # the explanations do not count
    assert fails({"never_says": ["Horror"]}) == ["never_says"]
    assert fails({"must_recommend_any_of": ["Heat", "Alien"]}) == []
    assert fails({"must_recommend_all_of": ["Alien", "Heat"]}) == ["must_recommend_all_of"]
    assert fails({"at_least_with_person": {"Ridley Scott": 1}}) == []
    assert fails({"at_least_with_person": {"Ridley Scott": 2}}) == ["at_least_with_person"]
    assert fails({"recommends": False}) == ["recommends"]
    assert fails({"asks": "genre"}) == ["asks"]
    assert fails({"never_recommend_excluded": True}) == ["never_recommend_excluded"]
    assert fails({"state": {"seen": ["The Shining"], "liked_genres": ["horror"]}}) == []
    assert fails({"state": {"liked": ["Alien"]}}) == ["state.liked"]
    assert fails({"state": {"not_in_seen": ["The Shining"]}}) == ["state.not_in_seen"]
    assert fails({"state": {"year_min": 1990}}) == ["state.year_min"]
    assert fails({"state": {"bogus": 1}}) == ["state.bogus"]


def test_a_crashing_system_is_a_violation_not_an_abort(tiny):
    class Broken:
        name = "broken"

        def recommend(self, state, k=10):
            raise RuntimeError("boom")

    ds = scripted.load_scripts(FIX / "scripts" / "passing.yaml")
    res = scripted.run_scripts(ds, tiny, Broken())
    assert [(v.turn, v.check) for v in res.violations] == [(1, "crash")]


def test_cli_exits_nonzero_on_a_violation_and_zero_otherwise(tiny, no_tracker, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(evaluate, "load_systems", lambda names, catalog, data: {n: Popularity(catalog) for n in names})
    args = ["--catalog", "file", "--catalog-path", str(FIX / "tiny_catalog.jsonl"), "--system", "popularity",
            "--out", str(tmp_path / "out")]
    assert evaluate.main(["script", str(FIX / "scripts" / "failing.yaml"), *args]) == 1
    out = capsys.readouterr().out
    assert "VIOLATION" in out and "deliberate-violation :: turn 1 :: never_recommend" in out
    assert evaluate.main(["script", str(FIX / "scripts" / "passing.yaml"), *args]) == 0
    assert (tmp_path / "out" / "popularity" / "metrics.json").exists()
    assert evaluate.main(["script", str(tmp_path / "missing.yaml"), *args]) == 2


def test_starter_dialogues_are_valid_and_cover_the_topics():
    ds = scripted.load_scripts(DIALOGUES)
    assert len(ds) >= 20
    assert len({d.name for d in ds}) == len(ds)
    demo = load_demo()
    for d in ds:  # every title the scripts name exists in the demo catalog
        for turn in d.turns:
            expect = dict(turn.get("expect") or {})
            titles = [t for key in scripted.LIST_CHECKS for t in scripted._as_list(expect.get(key, []))]
            titles += [t for key, v in (expect.get("state") or {}).items()
                       if key.removeprefix("not_in_") in scripted.STATE_TITLES for t in scripted._as_list(v)]
            titles += [turn["feedback"]["item"]] if "feedback" in turn else []
            for t in titles:
                assert scripted.resolve(demo, t), f"{d.name}: {t!r} is not in the demo catalog"
    text = " ".join(str(t.get("user", "")) for d in ds for t in d.turns).lower()
    for cue in ("loved", "hate", "seen", "n't", "actually", "90s", "directed", "lighter"):
        assert cue in text, cue


def test_starter_dialogues_against_retrieval(capsys):
    """The shipped dialogues on the demo catalog with the real retrieval system (index + MiniLM).

    Slow-ish (~20 s: loads MiniLM and builds the demo index); skipped until the demo catalog exists."""
    if not (Path(__file__).parents[1] / "catalog" / "demo_movies.jsonl").exists():
        pytest.skip("catalog/demo_movies.jsonl not written yet")
    code = evaluate.main(["script", str(DIALOGUES), "--system", "retrieval"])
    out = capsys.readouterr().out
    assert code == 0, out


def test_clarifying_questions_are_answered_before_checking(tiny, no_tracker, monkeypatch):
    """With the policy asking first, the runner answers (if_asked, else a default) and checks the
    recommending reply; a turn expecting `asks` is checked on the question itself."""
    from convrec import policy

    asked = []

    def decide(state, catalog, text):  # ask about genre on the first turn only
        if not state.asked:
            return policy.Decision("genre", "Which genre?")
        asked.append(text)
        return policy.Decision(None)

    monkeypatch.setattr(policy, "decide", decide)
    sd = scripted.ScriptedDialogue("q", [{"user": "hi", "if_asked": {"genre": "horror please"},
                                          "expect": {"recommends": True}}])
    res = scripted.run_scripts([sd], tiny, Popularity(tiny))
    assert res.violations == [] and asked == ["horror please"]
    assert res.transcripts["q"][2] == "USER (answering genre): horror please"
    sd = scripted.ScriptedDialogue("a", [{"user": "hi", "expect": {"asks": "genre"}},
                                         {"user": "ok", "expect": {"recommends": True}}])
    assert scripted.run_scripts([sd], tiny, Popularity(tiny)).violations == []
    assert asked == ["horror please", "ok"]  # the question itself was checked, not answered
    sd = scripted.ScriptedDialogue("n", [{"user": "hi", "expect": {"recommends": True}}], ask=False)
    assert scripted.run_scripts([sd], tiny, Popularity(tiny)).violations == []
    assert asked == ["horror please", "ok"]  # ask=False: the policy was never consulted
