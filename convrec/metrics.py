"""Ranking and latency metrics for the evaluation harness: pure functions, no I/O.

Every sample has exactly one ground-truth item, so a sample is summarised by the
1-based *rank* of its target in the system's list (``None`` when the target is not
in the list). Recall@k is then the hit rate at k (HR@k), NDCG@k is ``1/log2(rank+1)``
when ``rank <= k`` (the ideal DCG of one relevant item is 1), and MRR is the mean
of ``1/rank`` over the whole returned list (0 for a miss): with lists of 50 items
this is MRR@50.

    from convrec.metrics import rank_of, recall_at_k
    ranks = [rank_of(["a", "b", "c"], "b"), rank_of(["a"], "z")]   # [2, None]
    recall_at_k(ranks, 1), recall_at_k(ranks, 10)                   # 0.0, 0.5
"""
from __future__ import annotations

import math
from typing import Iterable, Sequence

Rank = int | None  # 1-based position of the target; None = not in the list


def rank_of(ranked: Sequence[str], target: str) -> Rank:
    """1-based rank of ``target`` in ``ranked`` after dropping repeated ids (first wins)."""
    seen: set[str] = set()
    pos = 0
    for item in ranked:
        if item in seen:
            continue  # a repeated id must not push the target down nor count twice
        seen.add(item)
        pos += 1
        if item == target:
            return pos
    return None


def _mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None  # None: no samples, not "0 recall"


def recall_at_k(ranks: Sequence[Rank], k: int) -> float | None:
    """Share of samples whose target is in the top ``k`` (= HR@k with one target)."""
    return _mean(1.0 if r is not None and r <= k else 0.0 for r in ranks)


hit_rate_at_k = recall_at_k  # HR@k of the MovieLens protocol: the same quantity


def ndcg_at_k(ranks: Sequence[Rank], k: int) -> float | None:
    """Mean NDCG@k for one relevant item per sample: ``1/log2(rank+1)`` inside the top k."""
    return _mean(1.0 / math.log2(r + 1) if r is not None and r <= k else 0.0 for r in ranks)


def mrr(ranks: Sequence[Rank]) -> float | None:
    """Mean reciprocal rank over the returned lists (a miss counts 0)."""
    return _mean(1.0 / r if r is not None else 0.0 for r in ranks)


def recall_curve(ranks: Sequence[Rank], k_max: int = 50) -> list[float | None]:
    """``[Recall@1, ..., Recall@k_max]`` for the Recall@k plot."""
    return [recall_at_k(ranks, k) for k in range(1, k_max + 1)]


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100) with linear interpolation (numpy's default)."""
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0..100, got {q}")
    xs = sorted(values)
    if not xs:
        return None
    pos = (len(xs) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def latency_summary(seconds: Sequence[float]) -> dict[str, float | None]:
    """p50 / p95 / mean (seconds) and the number of timed calls."""
    return {"p50": percentile(seconds, 50), "p95": percentile(seconds, 95), "mean": _mean(seconds),
            "n": len(seconds)}


def out_of_catalog_rate(lists: Sequence[Sequence[str]], catalog_ids: set[str] | frozenset[str]) -> float | None:
    """Share of all recommended ids (every position of every list) that are not catalog ids."""
    total = sum(len(ids) for ids in lists)
    if not total:
        return None
    return sum(1 for ids in lists for i in ids if i not in catalog_ids) / total


def rerecommend_rate(lists: Sequence[Sequence[str]], excluded: Sequence[set[str]], k: int = 10) -> float | None:
    """Share of recommended items, within each list's top ``k``, that the user had already
    said they had seen or disliked (``excluded[j]`` is that set when list ``j`` was made)."""
    if len(lists) != len(excluded):
        raise ValueError("one excluded set is needed per recommendation list")
    total = bad = 0
    for ids, ex in zip(lists, excluded):
        top = list(dict.fromkeys(ids))[:k]
        total += len(top)
        bad += sum(1 for i in top if i in ex)
    return bad / total if total else None


def ranking_metrics(ranks: Sequence[Rank], ks: Sequence[int] = (1, 10, 50), ndcg_ks: Sequence[int] = (10,),
                    prefix: str = "recall") -> dict[str, float | None]:
    """The standard block: ``recall@k`` for each k, ``ndcg@k``, ``mrr`` and ``n``."""
    out: dict[str, float | None] = {f"{prefix}@{k}": recall_at_k(ranks, k) for k in ks}
    out.update({f"ndcg@{k}": ndcg_at_k(ranks, k) for k in ndcg_ks})
    out["mrr"] = mrr(ranks)
    out["n"] = len(ranks)
    return out
