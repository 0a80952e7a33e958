"""Fitting the retrieval fusion weights on validation turns (used by ``convrec.train_retriever``).

Every signal of a ``convrec.retrieval.Retriever`` is scored once per validation turn (normalised,
float16, with the allowed mask); then coordinate ascent over a small grid of weights maximises the
mean dedup Recall@50 / Recall@100 of the fused candidate list, all in numpy.
"""
from __future__ import annotations

import numpy as np

def signal_matrix(retriever, samples: list, text_vec: np.ndarray, progress: bool = False, with_scores: bool = False):
    """Per validation turn: every signal's fusion input (normalised scores or their rank transform,
    ``RetrievalConfig.fusion``; float16), the allowed mask, and with ``with_scores`` the normalised
    scores themselves (what the reranker reads beside the rank gains; else ``{}``)."""
    from tqdm import tqdm

    names = [s.name for s in retriever.signals]
    mats = {n: np.zeros((len(samples), len(retriever.catalog)), np.float16) for n in names}
    masks = np.zeros((len(samples), len(retriever.catalog)), bool)
    raw = {n: np.zeros((len(samples), len(retriever.catalog)), np.float16) for n in names} if with_scores else {}
    for i, s in enumerate(tqdm(samples, desc="fusion features", unit="turn", disable=not progress)):
        mask = retriever.allowed(s.state)
        query = retriever.make_query(s.state)
        query.cache["learned_vec"] = text_vec[i]  # already embedded for training
        scores = retriever.signal_scores(s.state, mask, query, all_signals=True)
        for name, v in retriever.fusion_inputs(scores, mask).items():
            mats[name][i] = v
        for name, v in (scores.items() if with_scores else ()):
            raw[name][i] = v
        masks[i] = mask
    return mats, masks, raw


def fused_ranks(weights: dict[str, float], mats: dict, masks: np.ndarray, samples: list):
    total = np.zeros(masks.shape, np.float32)
    for name, w in weights.items():
        if w and name in mats:
            total += w * mats[name].astype(np.float32)
    total[~masks] = -np.inf
    r, d = [], []
    for n, s in enumerate(samples):
        for t, dd in zip(s.targets, s.dedup):
            r.append(int((total[n] > total[n, t]).sum()) if masks[n, t] else 10 ** 9)
            d.append(dd)
    return np.array(r), np.array(d, dtype=bool)


def fusion_objective(weights, mats, masks, samples) -> float:
    """Mean dedup Recall@50 and @100 of the fused candidate list (the rerank depth we care about)."""
    r, d = fused_ranks(weights, mats, masks, samples)
    sel = r[d]
    return float(((sel < 50).mean() + (sel < 100).mean()) / 2) if sel.size else 0.0


GRID = (0.0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0)  # candidate weights per signal


def fit_weights(start: dict[str, float], mats, masks, samples, rounds: int = 3, log=print) -> tuple[dict, float]:
    """Coordinate ascent over ``GRID``, one signal at a time, a few rounds."""
    weights = {k: float(v) for k, v in start.items() if k in mats}
    best = fusion_objective(weights, mats, masks, samples)
    for rnd in range(rounds):
        improved = False
        for name in list(weights):
            for w in GRID:
                trial = {**weights, name: w}
                if trial == weights or not any(trial.values()):
                    continue
                score = fusion_objective(trial, mats, masks, samples)
                if score > best + 1e-6:
                    best, weights, improved = score, trial, True
        log(f"fusion round {rnd + 1}: objective {best:.4f} weights {weights}")
        if not improved:
            break
    return weights, best
