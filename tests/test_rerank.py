"""The second-stage reranker: fitting, its weight file, and reordering inside the real retriever."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

from convrec import rerank
from convrec.rerank import Reranker, RerankConfig, feature_names
from test_retrieval import data_root, retriever, state  # noqa: F401 - data_root is a fixture

SIGNALS = ["semantic", "comention"]


def synthetic(n_lists: int = 60, depth: int = 10, seed: int = 0):
    """Lists in fused order whose one target is the candidate with the highest ``score:comention``,
    wherever the fused order put it: a reranker that learns that weight puts targets first."""
    rng = np.random.RandomState(seed)
    x = rng.rand(n_lists, depth, len(feature_names(SIGNALS))).astype(np.float32)
    col = feature_names(SIGNALS).index("score:comention")
    y = np.zeros((n_lists, depth), np.float32)
    y[np.arange(n_lists), x[:, :, col].argmax(1)] = 1.0
    tops = np.tile(np.arange(depth), (n_lists, 1))  # row ids = fused positions
    return x, y, tops


def target_positions(order: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.array([np.flatnonzero(o == np.flatnonzero(t)[0])[0] for o, t in zip(order, y)])


@pytest.mark.parametrize("hidden", [0, 32])
def test_fit_moves_training_targets_up(tmp_path, hidden):
    x, y, tops = synthetic()
    before = target_positions(tops, y)
    rr = rerank.fit(x, y, SIGNALS, RerankConfig(depth=10, epochs=100, hidden=hidden))
    after = target_positions(rerank.reorder(rr, x, tops), y)
    assert after.mean() < before.mean() - 2
    assert (after == 0).mean() > 0.9  # nearly every target is now first
    assert len(rr.layers) == (2 if hidden else 1)
    # the file round trip scores the same
    again = Reranker.from_file(rr.save(tmp_path / "rerank.json"))
    np.testing.assert_allclose(again.scores(x[0]), rr.scores(x[0]), rtol=1e-5, atol=1e-5)
    assert again.depth == 10 and again.card["lists"] == 60
    if hidden:
        return
    w = rr.layers[0][0][:, 0]
    assert np.argmax(w) == feature_names(SIGNALS).index("score:comention")  # the linear weight that finds them


def test_cross_validation_reports_fused_and_reranked_recall():
    x, y, tops = synthetic(n_lists=40)
    from types import SimpleNamespace

    samples = [SimpleNamespace(dialogue_id=str(i // 2), targets=[int(np.flatnonzero(t)[0])], dedup=[True]) for i, t in enumerate(y)]
    cv = rerank.cross_validate(x, y, tops, samples, SIGNALS, RerankConfig(depth=10, epochs=100, hidden=0), folds=4)
    assert cv["reranked"]["recall@1"] > cv["fused"]["recall@1"] + 0.5  # held-out folds, never their own fit


def test_cross_validation_fits_every_fold_with_the_extra_lists_too():
    """Extra lists (the training turns' out-of-fold lists) join each fold's fit: 400 extra lists whose
    targets follow the opposite rule outvote the 30 validation lists of every fold."""
    from types import SimpleNamespace

    x, y, tops = synthetic(n_lists=40)
    samples = [SimpleNamespace(dialogue_id=str(i // 2), targets=[int(np.flatnonzero(t)[0])], dedup=[True]) for i, t in enumerate(y)]
    ex, _, _ = synthetic(n_lists=400, seed=1)
    col = feature_names(SIGNALS).index("score:comention")
    ey = np.zeros((400, 10), np.float32)
    ey[np.arange(400), ex[:, :, col].argmin(1)] = 1.0  # the LEAST co-mentioned candidate is the target
    rc = RerankConfig(depth=10, epochs=100, hidden=0)
    alone = rerank.cross_validate(x, y, tops, samples, SIGNALS, rc, folds=4)
    joined = rerank.cross_validate(x, y, tops, samples, SIGNALS, rc, folds=4, extra=(ex, ey))
    assert alone["reranked"]["recall@1"] > 0.8 and joined["reranked"]["recall@1"] < 0.2


def test_missing_damaged_or_mismatched_file_falls_back_to_the_fused_order(tmp_path):
    assert rerank.load_reranker(tmp_path) is None  # no file: no reranking, no warning
    (tmp_path / "rerank.json").write_text("{not json")
    with pytest.warns(UserWarning, match="reranker disabled"):
        assert rerank.load_reranker(tmp_path) is None
    x, y, _ = synthetic()
    rerank.fit(x, y, SIGNALS, RerankConfig(epochs=5)).save(tmp_path / "rerank.json")
    with pytest.warns(UserWarning, match="lacks"):
        assert rerank.load_reranker(tmp_path, signals=["semantic"]) is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert rerank.load_reranker(tmp_path, signals=SIGNALS + ["graph"]) is not None


def reverse_head(signals: list[str], depth: int) -> Reranker:
    """A hand-set reranker that reverses the fused head: its only weight is -1 on the fused position gain."""
    names = feature_names(signals)
    w = np.zeros((len(names), 1), np.float32)
    w[names.index("fused_pos"), 0] = -1.0
    return Reranker(signals, np.zeros(len(names), np.float32), np.ones(len(names), np.float32),
                    [(w, np.zeros(1, np.float32))], depth)


def test_retriever_reorders_only_the_head_and_every_k_is_a_prefix(data_root):  # noqa: F811
    r = retriever(data_root, fusion="rank")
    s = state("a creature in space", liked=["1"])
    fused = [c.item_id for c in r.retrieve(s, k=8)]
    r.reranker = reverse_head([sig.name for sig in r.signals], depth=3)
    reranked = [c.item_id for c in r.retrieve(s, k=8)]
    assert reranked == fused[:3][::-1] + fused[3:]
    assert [c.item_id for c in r.retrieve(s, k=2)] == reranked[:2]
    r.reranker = None
    assert [c.item_id for c in r.retrieve(s, k=8)] == fused


class Learned:
    """A plug-in signal named like the learned one (the shipped reranker reads a ``learned`` feature)."""

    name, default_weight, normalize = "learned", 1.0, "max"

    def scores(self, query):
        return np.linspace(1.0, 0.0, 10).astype(np.float32)  # catalog order, best first

    def explain(self, query, row):
        return ["learned"]


def test_the_shipped_reranker_is_loaded_with_the_shipped_fusion_unless_turned_off(data_root, monkeypatch):  # noqa: F811
    from convrec import learned
    from convrec.retrieval import RetrievalConfig, Retriever
    from convrec.systems import _reranker

    if not (learned.MODEL_DIR / rerank.RERANK_FILE).exists():
        pytest.skip("no shipped reranker in models/retriever/")
    base = retriever(data_root, fusion="rank")
    r = Retriever(base.vectors, base.catalog, base.collab, base.config, base.embeddings, [Learned()])
    rr = _reranker(r, None)
    assert rr is not None and rr.depth == 100 and len(rr.layers) == 2  # one hidden layer
    cv = rr.card["cross_validation"]  # fitted on training dialogues (out of fold) and validation ones; its estimated gain is recorded
    assert cv["reranked"]["recall@10"] > cv["fused"]["recall@10"]
    r.reranker = rr
    s = state("a creature in space", liked=["1"])
    assert [c.item_id for c in r.retrieve(s, k=3)] == [c.item_id for c in r.retrieve(s, k=9)][:3]
    assert _reranker(r, RetrievalConfig()) is None  # a caller's own config: the fusion it was fitted on is gone
    monkeypatch.setenv("CONVREC_RERANK", "0")
    assert _reranker(r, None) is None
