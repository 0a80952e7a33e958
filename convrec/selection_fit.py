"""Fitting how the generator's scores join the retrieval order, on validation samples.

For each validation (state, candidates, target) the model scores the head of the candidate
list (``score_validation``); a grid over the retrieval-rank weight, the head size and the
title-prior weight is searched for the best Recall@10 (``fit_rank_weight``), and the result
is kept only when it beats the plain retrieval order significantly (``significant_gain``):
otherwise the fit is ``RETRIEVAL_ORDER`` and the model does not reorder. Used by
``convrec.train_generator``; the fitted setting is written to ``selection.json``.
"""
from __future__ import annotations

import math
import random
import sys

from convrec.generator import GeneratorConfig

RANK_WEIGHTS = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0)  # grid for the retrieval-rank prior
HEAD_SIZES = (10, 20, 30, 50)  # grid for how many candidates the model reranks (titles; letters keep top_k)
PRIOR_WEIGHTS = (0.0, 0.5, 0.8, 1.0)  # grid for the title-prior (PMI) weight (titles only)
RETRIEVAL_ORDER = (0.0, 0, 0.0)  # (rank weight, head size, prior weight) of "the model does not reorder"


def score_validation(backend, samples: list[tuple], catalog, gcfg: GeneratorConfig, progress: bool = True) -> list[dict]:
    """Model scores over the top_k candidates for each (state, candidate ids, target): ``logp``
    (letters: renormalised; titles: each title's log-prob) and, for titles, ``prior`` (after an
    empty dialogue)."""
    from tqdm import tqdm

    from convrec.generator import Generator

    gen = Generator(backend, catalog, gcfg)
    rows = []
    for state, cands, target in tqdm(samples, desc="validation", unit="sample", file=sys.stderr, disable=not progress):
        head = cands[: gcfg.top_k]
        row = {"cands": cands, "target": target, "logp": [0.0] * len(head)}
        # a target outside the reranked head ranks the same under every method: no model call needed
        if target in head and gcfg.selection == "titles":
            row["logp"], row["prior"] = gen.title_scores(state, head)
        elif target in head:
            row["logp"] = gen.model_scores(state, head)
        rows.append(row)
    return rows


def fused_metrics(rows: list[dict], rank_weight: float, top_k: int | None = None, prior_weight: float = 0.0) -> dict:
    """Recall@1/10 and MRR after fusing model log-prob (minus ``prior_weight`` x the title prior,
    where scored) with -w*log(1+rank) over the first ``top_k`` scored candidates (default: all
    scored); the rest keep retrieval order."""
    r1 = r10 = rr = 0.0
    for row in rows:
        head = row["cands"][: len(row["logp"]) if top_k is None else min(len(row["logp"]), top_k)]
        prior = row.get("prior") or [0.0] * len(head)
        fused = sorted(range(len(head)),
                       key=lambda j: -(row["logp"][j] - prior_weight * prior[j] - rank_weight * math.log(1 + j)))
        ranked = [head[j] for j in fused] + row["cands"][len(head):]
        if row["target"] in ranked:
            r = ranked.index(row["target"]) + 1
            r1 += r == 1
            r10 += r <= 10
            rr += 1 / r
    n = max(1, len(rows))
    return {"recall@1": r1 / n, "recall@10": r10 / n, "mrr": rr / n}


def _hits_at_10(rows: list[dict], setting: tuple) -> list[int]:
    return [int(fused_metrics([row], *setting)["recall@10"]) for row in rows]


def significant_gain(rows: list[dict], setting: tuple, resamples: int = 1000, level: float = 0.95, seed: int = 0) -> bool:
    """True when ``setting`` beats the retrieval order at Recall@10 in at least ``level`` of
    paired bootstrap resamples of the validation samples (a grid fitted on a few hundred
    samples otherwise picks noise)."""
    gains = [a - b for a, b in zip(_hits_at_10(rows, setting), _hits_at_10(rows, RETRIEVAL_ORDER))]
    if not any(gains):
        return False
    rng = random.Random(seed)
    wins = sum(sum(rng.choice(gains) for _ in gains) > 0 for _ in range(resamples))
    return wins >= level * resamples


def fit_rank_weight(rows: list[dict], head_sizes: tuple[int, ...] | None = None) -> tuple[dict, dict]:
    """The setting ({rank_weight, top_k, prior_weight}) with the best validation Recall@10 (MRR
    breaks ties, then smaller weights and head), and the whole grid. ``head_sizes`` None keeps
    every scored candidate (letters); the prior weight is searched only where rows have a prior.
    Unless the best setting's gain over the retrieval order is significant (``significant_gain``),
    the fit is the retrieval order itself (``top_k`` 0: the model does not reorder)."""
    scored = max((len(r["logp"]) for r in rows), default=0)
    sizes = sorted({min(k, scored) for k in head_sizes}) if head_sizes else [scored]
    priors = PRIOR_WEIGHTS if any("prior" in r for r in rows) else (0.0,)
    table = {(w, k, a): fused_metrics(rows, w, k, a) for w in RANK_WEIGHTS for k in sizes for a in priors}
    table[RETRIEVAL_ORDER] = fused_metrics(rows, *RETRIEVAL_ORDER)
    best = max(table, key=lambda s: (table[s]["recall@10"], table[s]["mrr"], -s[0], -s[1], -s[2]))
    if best != RETRIEVAL_ORDER and not significant_gain(rows, best):
        best = RETRIEVAL_ORDER
    return dict(zip(("rank_weight", "top_k", "prior_weight"), best)), table


def _setting(fit: dict) -> str:
    return f"w={fit['rank_weight']}, top {fit['top_k']}, prior {fit['prior_weight']}"
