"""Out-of-fold candidate lists of the training dialogues, for fitting the second-stage reranker.

The reranker (``convrec.rerank``) learns from fused candidate lists and their targets. Lists of
the validation dialogues alone are few (about a thousand turns); lists of the training dialogues
cannot be scored by signals built from those same dialogues (co-mentions and the learned model
would have seen every target). So the training dialogues are split into folds by dialogue, and
each fold's turns are scored by a retriever whose co-mention signals and learned model come from
the other folds only (stacking). ``python -m convrec.train retriever`` (``--rerank-folds``, 5 by
default) fits the reranker on these lists plus the validation lists (``fit_reranker``); the test split is
never read here.
"""
from __future__ import annotations

import json
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np


def fold_of(dialogues: list[dict], folds: int, seed: int = 0) -> dict[str, int]:
    """conversationId -> fold, dialogues shuffled with ``seed`` then dealt round-robin."""
    ids = sorted(str(d.get("conversationId")) for d in dialogues)
    np.random.RandomState(seed).shuffle(ids)
    return {cid: k % folds for k, cid in enumerate(ids)}


def out_of_fold_lists(dialogues: list[dict], samples: list, text_vec: np.ndarray, catalog, vectors: np.ndarray,
                      embeddings, data_dir, tc, weights: dict[str, float], epochs: int, folds: int = 5, log=print,
                      extra_train: tuple[list, np.ndarray] | None = None,
                      likeness: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reranker lists (``rerank.make_lists``: x, y, tops) for every turn of ``samples`` (made from
    ``dialogues`` with their states kept), each scored by signals built without its own fold.

    ``weights`` are the fitted fusion weights that pick each list's top ``tc.rerank.depth``;
    ``epochs`` is the learned model's epoch count selected on validation; ``extra_train``: more (samples,
    vectors) for each fold's learned model (the seeker turns), used only when their dialogue is in another fold."""
    from convrec import collab, rerank
    from convrec.learned import LearnedModel, LearnedSignal
    from convrec.learned_fusion import signal_matrix
    from convrec.retrieval import RetrievalConfig, Retriever
    from convrec.train_retriever import train_model

    fold = fold_of(dialogues, folds, tc.seed)
    turn_fold = np.array([fold[str(s.dialogue_id)] for s in samples])
    xs, ys, tops = [], [], []
    order = []
    for k in range(folds):
        held, rest = np.flatnonzero(turn_fold == k), np.flatnonzero(turn_fold != k)
        if not len(held):
            continue
        fit, fit_vec = [samples[i] for i in rest], text_vec[rest]
        if extra_train is not None and extra_train[0]:
            keep = [j for j, s in enumerate(extra_train[0]) if fold.get(str(s.dialogue_id)) != k]
            fit, fit_vec = fit + [extra_train[0][j] for j in keep], np.concatenate([fit_vec, extra_train[1][keep]])
        module, _ = train_model(fit, fit_vec, [], text_vec[:0], vectors,
                                replace(tc, epochs=epochs, patience=epochs + 1, progress=False), log=lambda *a: None)
        model = LearnedModel(module, tc.model, catalog, {})
        others = [d for d in dialogues if fold[str(d.get("conversationId"))] != k]
        signals = collab.build_signals(catalog, data_dir, dialogues=others)
        retriever = Retriever(vectors, catalog, signals, RetrievalConfig(fusion="rank"), embeddings,
                              [LearnedSignal(model)], likeness=likeness)
        part = [samples[i] for i in held]
        mats, masks, raw = signal_matrix(retriever, part, text_vec[held], tc.progress, with_scores=True)
        names = [s.name for s in retriever.signals]
        x, y, top = rerank.make_lists(names, weights, mats, raw, masks, part, retriever.collab.mentions,
                                      tc.rerank.depth)
        xs.append(x), ys.append(y), tops.append(top), order.append(held)
        log(f"out-of-fold lists: fold {k + 1}/{folds}, {len(held)} turns, {int((y.sum(1) > 0).sum())} with a target")
        del mats, raw
    back = np.argsort(np.concatenate(order))  # rows back in ``samples`` order
    return np.concatenate(xs)[back], np.concatenate(ys)[back], np.concatenate(tops)[back]


def fit_reranker(retriever, weights: dict, mats: dict, raw: dict, masks: np.ndarray, valid: list, tc, out: Path,
                 log=print, extra: tuple[np.ndarray, np.ndarray] | None = None) -> dict:
    """Fit ``convrec.rerank`` on the validation turns' fused top candidates (plus ``extra`` lists: the
    training turns' out-of-fold lists of ``convrec.crossfit``) and write ``OUT/rerank.json``; the
    figures are a 5-fold cross-validation by dialogue over the validation turns."""
    from convrec import rerank
    from convrec.rerank import RERANK_FILE

    names = [s.name for s in retriever.signals]
    x, y, tops = rerank.make_lists(names, weights, mats, raw, masks, valid, retriever.collab.mentions, tc.rerank.depth)
    cv = rerank.cross_validate(x, y, tops, valid, names, tc.rerank, extra=extra)
    data = {"turns": len(valid), "lists_with_target": int((y.sum(1) > 0).sum()), "cross_validation": cv}
    fitted_on = "validation dialogues of convrec.train_retriever"
    if extra is not None:
        data["train_lists_with_target"] = int((extra[1].sum(1) > 0).sum())
        fitted_on += " and out-of-fold lists of its training dialogues (convrec.crossfit)"
        x, y = np.concatenate([extra[0], x]), np.concatenate([extra[1], y])
    rerank.fit(x, y, names, tc.rerank, card={"fitted_on": fitted_on, **data}).save(out / RERANK_FILE)
    log(f"reranker (depth {tc.rerank.depth}): validation dedup {json.dumps(cv['fused'])} -> {json.dumps(cv['reranked'])}")
    return {"config": asdict(tc.rerank), **data}
