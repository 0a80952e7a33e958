"""Metric functions on hand-computed cases."""
import math

import pytest

from convrec import metrics as M


def test_rank_of_is_one_based_and_skips_repeats():
    assert M.rank_of(["a", "b", "c"], "a") == 1
    assert M.rank_of(["a", "b", "c"], "c") == 3
    assert M.rank_of(["a", "a", "a", "b"], "b") == 2  # repeated ids do not push the target down
    assert M.rank_of(["a", "b"], "z") is None
    assert M.rank_of([], "z") is None


def test_recall_ndcg_mrr_hand_computed():
    ranks = [1, 3, 12, None]
    assert M.recall_at_k(ranks, 1) == 0.25
    assert M.recall_at_k(ranks, 10) == 0.5
    assert M.recall_at_k(ranks, 50) == 0.75
    # NDCG@10: 1/log2(2) + 1/log2(4) = 1 + 0.5, over 4 samples
    assert M.ndcg_at_k(ranks, 10) == pytest.approx(1.5 / 4)
    assert M.ndcg_at_k([2], 10) == pytest.approx(1 / math.log2(3))
    assert M.ndcg_at_k([11], 10) == 0.0
    # MRR: (1 + 1/3 + 1/12 + 0) / 4
    assert M.mrr(ranks) == pytest.approx((1 + 1 / 3 + 1 / 12) / 4)
    assert M.hit_rate_at_k([5, 6], 5) == 0.5


def test_empty_sample_sets_give_none_not_zero():
    assert M.recall_at_k([], 10) is None
    assert M.ndcg_at_k([], 10) is None
    assert M.mrr([]) is None


def test_recall_curve_is_monotone_and_matches_points():
    ranks = [1, 2, 2, 7, None, 40]
    curve = M.recall_curve(ranks, 50)
    assert len(curve) == 50
    assert curve[0] == M.recall_at_k(ranks, 1) == pytest.approx(1 / 6)
    assert curve[1] == pytest.approx(3 / 6)
    assert curve[49] == pytest.approx(5 / 6)
    assert all(a <= b for a, b in zip(curve, curve[1:]))


def test_percentile_linear_interpolation():
    xs = [4.0, 1.0, 3.0, 2.0]  # sorted: 1 2 3 4
    assert M.percentile(xs, 50) == pytest.approx(2.5)
    assert M.percentile(xs, 95) == pytest.approx(3.85)  # pos 2.85 -> 3 + 0.85
    assert M.percentile(xs, 0) == 1.0 and M.percentile(xs, 100) == 4.0
    assert M.percentile([7.0], 95) == 7.0
    assert M.percentile([], 50) is None
    with pytest.raises(ValueError):
        M.percentile(xs, 101)
    s = M.latency_summary([0.1, 0.2, 0.3])
    assert s["p50"] == pytest.approx(0.2) and s["n"] == 3 and s["mean"] == pytest.approx(0.2)


def test_out_of_catalog_and_rerecommend_rates():
    cat = {"a", "b", "c"}
    assert M.out_of_catalog_rate([["a", "x"], ["b", "c", "y", "z"]], cat) == pytest.approx(3 / 6)
    assert M.out_of_catalog_rate([["a"], ["b"]], cat) == 0.0
    assert M.out_of_catalog_rate([[]], cat) is None
    # top-2 only: list 1 has "a" excluded (1 of 2); list 2 has none of its top 2 excluded ("c" is 3rd)
    lists = [["a", "b", "c"], ["b", "d", "c"]]
    assert M.rerecommend_rate(lists, [{"a"}, {"c"}], k=2) == pytest.approx(1 / 4)
    with pytest.raises(ValueError):
        M.rerecommend_rate(lists, [{"a"}], k=2)


def test_ranking_metrics_block_has_stable_keys():
    block = M.ranking_metrics([1, None])
    assert set(block) == {"recall@1", "recall@10", "recall@50", "ndcg@10", "mrr", "n"}
    assert block["recall@1"] == 0.5 and block["n"] == 2
