"""ReDial sample extraction (standard / dedup) and MovieLens leave-one-out on small fixtures."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from convrec import preferences, protocols, runner
from convrec.catalog import load_file
from convrec.recommender import Recommendation
from convrec.state import SYSTEM, USER

FIX = Path(__file__).parent / "fixtures"


@pytest.fixture
def tiny():
    return load_file(FIX / "tiny_catalog.jsonl", name="tiny")


@pytest.fixture
def dialogues(tiny):
    return protocols.read_dialogues(FIX / "redial_tiny.jsonl", tiny)


class Popularity:
    """Inline baseline: the catalog by popularity, minus what the user has seen or disliked."""

    name = "pop"

    def __init__(self, catalog, extra=()):
        self.order = [i.id for i in sorted(catalog, key=lambda i: -i.popularity)]
        self.extra = list(extra)  # ids prepended (to test out-of-catalog accounting)

    def recommend(self, state, k=10):
        ex = state.preferences.excluded()
        return Recommendation(self.extra + [i for i in self.order if i not in ex][:k])


def test_sample_counts_standard_and_dedup(dialogues):
    # dialogue 1: rec turn "@2" (new) + merged "@5 @1" + "@4" (5, 4 new; 1 said before) -> 4 samples, 3 dedup
    # dialogue 2: "@3" first (new), then "@3 @3 @6" (+ @999 outside the catalog) -> 3 samples, 2 dedup
    # dialogue 3: the recommender names nothing -> 0 samples
    assert protocols.count_samples(dialogues) == {
        "n_dialogues": 3, "n_rec_turns": 4, "n_samples": 7, "n_samples_dedup": 5}
    rts = protocols.rec_turns(dialogues[0])
    assert [[(s.target, s.dedup) for s in rt.samples] for rt in rts] == [
        [("2", True)], [("5", True), ("1", False), ("4", True)]]


def test_merging_and_rendering(dialogues):
    d1, d2, _ = dialogues
    assert [t.speaker for t in d1.turns] == [USER, SYSTEM, USER, SYSTEM, USER]  # "Also @4" merged
    assert d1.turns[3].raw == "Then try @5 or @1 Also @4"
    assert d1.turns[3].text == "Then try The Shining (1980) or Alien (1979) Also Heat (1995)"
    assert d1.turns[3].mentions == ["5", "1", "4"]
    # an id outside the catalog is rendered with ReDial's own name and is never a sample
    assert d2.turns[1].text == "I like Toy Story (1995) and Ghost Movie (2000)"
    assert d2.turns[1].mentions == ["3"]


def test_states_hold_rendered_context_and_raw_ids(dialogues, tiny, monkeypatch):
    seen_by_tracker = []
    real = preferences.update

    def spy(prefs, turn, catalog, shown=(), known=()):
        seen_by_tracker.append((turn.text, list(shown)))
        return real(prefs, turn, catalog, shown=shown, known=known)

    monkeypatch.setattr(preferences, "update", spy)
    states = list(protocols.iter_states(dialogues[0], tiny))
    assert [rt.index for rt, _ in states] == [1, 3]
    _, state = states[1]
    assert [t.render() for t in state.turns] == [
        "USER: Hi, I loved Alien (1979)", "SYSTEM: Have you seen Aliens (1986) ?",
        "USER: Yes, I have seen Aliens (1986) already"]
    assert state.turns[1].items == ["2"] and state.shown == ["2"]
    # the tracker got the raw "@id" text, and the ids the system had just shown
    assert seen_by_tracker == [("Hi, I loved @1", []), ("Yes, I have seen @2 already", ["2"])]
    seen_by_tracker.clear()
    list(protocols.iter_states(dialogues[0], tiny, tracker_text="rendered"))
    assert seen_by_tracker[0][0] == "Hi, I loved Alien (1979)"
    with pytest.raises(ValueError):
        list(protocols.iter_states(dialogues[0], tiny, tracker_text="bogus"))


@pytest.fixture
def no_tracker(monkeypatch):
    """Pin the tracker to "understands nothing" so ranks do not depend on its rules."""
    import copy

    monkeypatch.setattr(preferences, "update", lambda prefs, turn, catalog, shown=(), known=(): copy.deepcopy(prefs))


def test_run_redial_ranks_and_rates(dialogues, tiny, no_tracker):
    systems = {"pop": Popularity(tiny), "bad": Popularity(tiny, extra=["nope"])}
    logs = runner.run_redial(systems, dialogues, tiny, k=50, progress=False)
    m = runner.redial_metrics(logs["pop"], tiny, n_dialogues=3)
    # popularity order: 3 Toy Story, 1 Alien, 5 Shining, 2 Aliens, 4 Heat, 6 Up (nothing excluded)
    assert [r["rank"] for r in logs["pop"].rows] == [4, 3, 2, 5, 1, 1, 6]
    assert m["n_samples"] == 7 and m["n_samples_dedup"] == 5 and m["n_rec_turns"] == 4
    assert m["standard"]["recall@1"] == pytest.approx(2 / 7)
    assert m["dedup"]["recall@1"] == pytest.approx(1 / 5)  # dedup ranks: 4, 3, 5, 1, 6
    assert m["dedup"]["mrr"] == pytest.approx((1 / 4 + 1 / 3 + 1 / 5 + 1 + 1 / 6) / 5)
    assert m["out_of_catalog_rate"] == 0.0
    assert m["latency_s"]["p50"] is not None and len(m["recall_at_k"]["standard"]) == 50
    assert "candidates" not in m
    bad = runner.redial_metrics(logs["bad"], tiny, n_dialogues=3)
    assert bad["out_of_catalog_rate"] == pytest.approx(4 / (4 * 7))  # one bogus id in every 7-item list
    assert bad["standard"]["recall@1"] == 0.0  # the bogus id takes rank 1


def test_rerecommend_rate_uses_the_tracked_state(dialogues, tiny, monkeypatch):
    def tracker(prefs, turn, catalog, shown=(), known=()):  # a minimal tracker: "seen @id" marks it seen
        import copy
        prefs = copy.deepcopy(prefs)
        if "seen" in turn.text:
            prefs.seen += protocols.MENTION_RE.findall(turn.text)
        return prefs

    monkeypatch.setattr(preferences, "update", tracker)

    class Stubborn(Popularity):  # ignores the state on purpose
        def recommend(self, state, k=10):
            return Recommendation(self.order[:k])

    logs = runner.run_redial({"s": Stubborn(tiny)}, dialogues[:1], tiny, progress=False)
    m = runner.redial_metrics(logs["s"], tiny, n_dialogues=1)
    # turn 1: nothing seen yet (0 of 6); turn 2: "Aliens" was seen and is in the top 6 (1 of 6)
    assert m["rerecommend_rate"] == pytest.approx(1 / 12)


def test_candidates_are_reported_and_state_copies_are_isolated(dialogues, tiny, no_tracker):
    class WithCandidates(Popularity):
        def recommend(self, state, k=10):
            state.turns.clear()  # a careless system must not change the next context
            state.preferences.seen.append("3")
            return super().recommend(state, k)

        def candidates(self, state, k=200):
            return list(reversed(self.order))[:k]

    logs = runner.run_redial({"c": WithCandidates(tiny)}, dialogues, tiny, progress=False)
    m = runner.redial_metrics(logs["c"], tiny, n_dialogues=3)
    assert set(m["candidates"]["standard"]) == {"recall@20", "recall@50", "recall@100", "recall@200"}
    assert m["candidates"]["standard"]["recall@20"] == 1.0  # 6 items, all in a 20-list
    assert all("candidate_rank" in r for r in logs["c"].rows)
    states = list(protocols.iter_states(dialogues[0], tiny))
    assert len(states[1][1].turns) == 3


def test_bad_dialogue_files_name_the_line(tmp_path, tiny):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"conversationId": 1}\n', encoding="utf-8")
    with pytest.raises(protocols.DialogueFileError, match="bad.jsonl:1"):
        protocols.read_dialogues(p, tiny)
    p.write_text("not json\n", encoding="utf-8")
    with pytest.raises(protocols.DialogueFileError, match="bad.jsonl:1: not valid JSON"):
        protocols.read_dialogues(p, tiny)
    with pytest.raises(protocols.DialogueFileError, match="not found"):
        protocols.read_dialogues(tmp_path / "missing.jsonl", tiny)
    assert len(protocols.read_dialogues(FIX / "redial_tiny.jsonl", tiny, limit=2)) == 2


def test_movielens_leave_one_out(tiny):
    ratings = protocols.read_ratings(FIX / "ml")
    test = {s.user: s for s in protocols.movielens_samples(ratings)}
    # user 1 by time: 1@50, 3@100, 5@200, then a tie at 300 kept in file order: 2, 6
    assert test["1"].target == "6" and [m for m, _ in test["1"].history] == ["1", "3", "5", "2"]
    assert test["2"].target == "6" and [m for m, _ in test["2"].history] == ["4", "3"]
    valid = {s.user: s for s in protocols.movielens_samples(ratings, split="valid")}
    assert valid["1"].target == "2" and [m for m, _ in valid["1"].history] == ["1", "3", "5"]
    assert len(protocols.movielens_samples(ratings, limit=1)) == 1
    state = protocols.movielens_state(test["1"], tiny)
    assert state.preferences.liked == ["1", "3", "5"]  # rated >= 4, most recent last
    assert state.preferences.disliked == ["2"]
    assert state.preferences.seen == ["1", "3", "5", "2"] and "6" not in state.preferences.seen
    assert "Alien (1979)" in state.turns[0].text


def test_run_movielens_drops_rated_items_before_ranking(tiny):
    samples = protocols.movielens_samples(protocols.read_ratings(FIX / "ml"))

    class RatedFirst(Popularity):  # returns rated items first; they must not count against it
        def recommend(self, state, k=10):
            return Recommendation(list(state.preferences.seen) + ["6", "4"])

    logs = runner.run_movielens({"r": RatedFirst(tiny)}, samples, tiny, progress=False)
    m = runner.movielens_metrics(logs["r"], tiny)
    assert [r["rank"] for r in logs["r"].rows] == [1, 1]
    assert m["hr@5"] == 1.0 and m["ndcg@10"] == 1.0 and m["n_users"] == 2
    assert m["rerecommend_rate"] > 0  # rated items at the top are still counted as re-recommended


def test_redial_cli_end_to_end_on_real_data(data_dir, tmp_path, monkeypatch, capsys):
    """`redial --limit 3` with the real popularity system (no index needed for it), files and keys."""
    from convrec import evaluate
    from convrec.systems import build_context, load_system

    def systems(names, catalog, data):  # the real systems, on a context without the semantic index
        ctx = build_context(catalog, data_dir=data, use_index=False)
        return {n: load_system(n, ctx) for n in names}

    monkeypatch.setattr(evaluate, "load_systems", systems)
    out = tmp_path / "eval"
    code = evaluate.main(["redial", "--data-dir", str(data_dir), "--system", "popularity", "--limit", "3",
                          "--out", str(out), "--no-progress"])
    assert code == 0
    m = json.loads((out / "popularity" / "metrics.json").read_text())
    for block in ("standard", "dedup"):
        assert set(m[block]) >= {"recall@1", "recall@10", "recall@50", "ndcg@10", "mrr"}
    assert m["n_dialogues"] == 3 and m["n_samples"] > 0 and m["out_of_catalog_rate"] == 0.0
    assert m["latency_s"]["p50"] is not None and m["latency_s"]["p95"] >= m["latency_s"]["p50"]
    rows = (out / "popularity" / "ranks.jsonl").read_text().splitlines()
    assert len(rows) == m["n_samples"]
    report = (out / "report.md").read_text()
    assert "UniCRS" in report and "--limit 3" in report and "git commit" in report
    assert (out / "recall_at_k.png").stat().st_size > 1000
    assert evaluate.main(["redial", "--data-dir", str(tmp_path / "nowhere"), "--system", "popularity"]) == 2


def test_candidates_shortcut_only_for_verified_pure_retrievers(tiny):
    from convrec.state import DialogueState

    class Pure(Popularity):
        calls = 0

        def recommend(self, state, k=10):
            self.calls += 1
            return super().recommend(state, k)

        def candidates(self, state, k=200):
            return super().recommend(state, k).item_ids

    class Reranker(Pure):
        def recommend(self, state, k=10):
            self.calls += 1
            return Recommendation(list(reversed(self.candidates(state, k))))

    pure, rerank, log_p, log_r = Pure(tiny), Reranker(tiny), runner.SystemLog(), runner.SystemLog()
    for _ in range(40):
        ids_p, cands_p = runner.call_system(pure, DialogueState(), 3, log_p, cand_k=6)
        ids_r, _ = runner.call_system(rerank, DialogueState(), 3, log_r, cand_k=6)
        assert ids_p == cands_p[:3]
    assert log_p.shortcut is True and log_p.derived > 0 and pure.calls == 40 - log_p.derived
    assert pure.calls >= runner.SHORTCUT_CHECKS + 1  # verified first, then every SHORTCUT_EVERY calls
    assert all(ids == ["3", "1", "5"] for ids in log_p.lists) and len(log_p.latency) == 40
    assert log_r.shortcut is False and log_r.derived == 0 and rerank.calls == 40
    assert all(ids == ["5", "1", "3"] for ids in log_r.lists)  # the reranked list, not the candidates'
    # a system that changes its mind after the shortcut was enabled is caught by a verification call
    class Drifting(Pure):
        def recommend(self, state, k=10):
            self.calls += 1
            ids = super().candidates(state, k)[:k]
            return Recommendation(ids if self.calls <= runner.SHORTCUT_CHECKS else ids[::-1])

    log_d, drifting = runner.SystemLog(), Drifting(tiny)
    with pytest.raises(runner.ShortcutMismatch):
        for _ in range(3 * runner.SHORTCUT_EVERY):
            runner.call_system(drifting, DialogueState(), 3, log_d, cand_k=6)
    # without the shortcut every turn calls recommend()
    log_n, again = runner.SystemLog(), Pure(tiny)
    for _ in range(30):
        runner.call_system(again, DialogueState(), 3, log_n, cand_k=6, shortcut=False)
    assert again.calls == 30 and log_n.derived == 0
