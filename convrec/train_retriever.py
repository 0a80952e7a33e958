"""Train the learned retriever (``convrec.learned``) on ReDial TRAINING dialogues and fit the fusion.

    python -m convrec.train retriever --data-dir ../shared/data            # ~minutes on 2 cores
    python -m convrec.train_retriever --data-dir ../shared/data --epochs 2 --limit 200   # a baby run

Steps: split the training dialogues into train / validation by time (the latest
``conversationId``s validate, as the test split comes later still); build one sample per (recommender turn,
mentioned movie) with the evaluation protocol's own states (``convrec.retriever_data``); embed each context
text with the frozen MiniLM; train the two-tower model with a softmax over the catalog on the dedup targets
(titles mentioned earlier are hidden from the softmax, as the retriever never offers them again, and so are
the turn's other answers), early-stopped on validation dedup Recall@50 + @100; then fit the fusion weights
of every retrieval signal (rank fusion by default) on the validation turns, with the collaborative signals
built from the train part only; then a second-stage reranker (``convrec.rerank``) over the fused top
candidates of the same validation turns, its gain estimated by cross-validation over them. The test split is never read except
for its conversation ids, to assert that none reaches training or fitting.

Writes ``OUT/model.pt`` (float16), ``OUT/card.json``, ``OUT/card.md``, ``OUT/retrieval.json`` and ``OUT/rerank.json``.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from convrec import config
from convrec.encoder_tuning import EncoderConfig
from convrec.learned import MODEL_DIR, ModelConfig
from convrec.rerank import RERANK_FILE, RerankConfig
from convrec.crossfit import fit_reranker  # noqa: F401 - re-exported
from convrec.learned_steps import flatten, model_scores, ranks, recall_table, selection_score, softmax_step
from convrec.retriever_data import (TurnSample, assert_disjoint, embed_texts, make_samples,  # noqa: F401 - re-exported
                                    seeker_samples, split_latest, test_ids)

@dataclass
class TrainConfig:
    data_dir: str | None = None  # data directory (redial/, overviews/, movielens/); else CONVREC_DATA_DIR
    out: str = str(MODEL_DIR)  # where model.pt, card.json, card.md and retrieval.json go
    valid_fraction: float = 0.15  # share of training dialogues held out: the LATEST by conversationId,
    # because the test split (ids 20001+) was collected after every training dialogue and its
    # movies drift (16% of test targets never occur in training): a random split flatters
    epochs: int = 12  # upper bound; early stopping usually ends sooner
    patience: int = 3  # epochs without a better validation dedup Recall@50 + @100 before stopping
    batch_size: int = 128  # contexts per step; the softmax runs over the whole catalog
    lr: float = 2e-3  # AdamW learning rate
    weight_decay: float = 0.01  # AdamW weight decay
    seed: int = 0  # shuffling and initialisation
    limit: int | None = None  # use only the first N training dialogues (tests, baby runs)
    fit_fusion: bool = True  # fit the retrieval signal weights on the validation turns
    fusion: str = "rank"  # RetrievalConfig.fusion written with the fitted weights ("rank" or "score")
    fit_rerank: bool = True  # fit the second-stage reranker on the validation turns (needs rank fusion)
    rerank_folds: int = 5  # > 1: the reranker also learns from the training turns, each fold's lists scored
    # by signals built from the other folds (convrec.crossfit; 5,677 more lists, ~4 min); 0 or 1: validation only
    refit_all: bool = True  # after selection and fusion fitting, retrain on train + validation dialogues for
    # the selected number of epochs and ship that model (the validation dialogues are the latest: closest to test)
    seeker_targets: bool = True  # the learned model also learns which title the seeker names next (training
    # dialogues only; on validation, 4 seeds, learned-only dedup R@50 +1.1 points, R@10 +0.6, R@100 +0.5)
    threads: int = 2  # torch CPU threads (the machine is shared: keep it small)
    progress: bool = True  # tqdm bars
    model: ModelConfig = field(default_factory=ModelConfig)  # the two-tower sizes
    rerank: RerankConfig = field(default_factory=RerankConfig)  # the second-stage reranker
    encoder: EncoderConfig = field(default_factory=EncoderConfig)  # fine-tuning MiniLM's context side


# ---------------------------------------------------------------- training

def train_model(train: list[TurnSample], train_vec: np.ndarray, valid: list[TurnSample], valid_vec: np.ndarray,
                doc_vectors: np.ndarray, tc: TrainConfig, log=print):
    """Softmax over the catalog (minus the hidden rows of ``flatten``), AdamW, early stopping on the
    validation dedup Recall@50 + Recall@100."""
    import torch
    from tqdm import tqdm

    from convrec.learned import build_module

    torch.manual_seed(tc.seed)
    rng = random.Random(tc.seed)
    module = build_module(doc_vectors, tc.model)
    opt = torch.optim.AdamW(module.parameters(), lr=tc.lr, weight_decay=tc.weight_decay)
    seeds, tvec, ys, hidden = flatten(train, train_vec)
    history, best, best_state, bad = [], -1.0, None, 0
    for epoch in range(tc.epochs):
        order = list(range(len(ys)))
        rng.shuffle(order)
        total = 0.0
        bar = tqdm(range(0, len(order), tc.batch_size), desc=f"epoch {epoch + 1}/{tc.epochs}", unit="step",
                   disable=not tc.progress)
        for i in bar:
            b = order[i: i + tc.batch_size]
            loss = softmax_step(module, opt, [seeds[j] for j in b], torch.tensor(tvec[b]), [hidden[j] for j in b],
                                ys[b], tc.model.max_seeds)
            total += loss * len(b)
            bar.set_postfix(loss=f"{loss:.3f}")
        row = {"epoch": epoch + 1, "train_loss": round(total / max(len(ys), 1), 4)}
        if valid:
            row["valid"] = recall_table(*ranks(model_scores(module, valid, valid_vec, tc.model), valid))
            score = selection_score(row)
        else:
            score = -row["train_loss"]
        history.append(row)
        log(json.dumps(row))
        if score > best:
            best, bad = score, 0
            best_state = {k: v.detach().clone() for k, v in module.state_dict().items()}
        else:
            bad += 1
            if bad >= tc.patience:
                break
    if best_state is not None:
        module.load_state_dict(best_state)
    module.eval()
    return module, history


# ---------------------------------------------------------------- main

def make_parser() -> argparse.ArgumentParser:
    d = TrainConfig()
    p = argparse.ArgumentParser(prog="python -m convrec.train retriever", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--data-dir", help="data directory (else CONVREC_DATA_DIR)")
    p.add_argument("--out", default=d.out, help="output folder for the weights, card and fusion weights")
    p.add_argument("--epochs", type=int, default=d.epochs, help="maximum epochs")
    p.add_argument("--patience", type=int, default=d.patience, help="early-stopping patience (epochs)")
    p.add_argument("--batch-size", type=int, default=d.batch_size, help="contexts per step")
    p.add_argument("--lr", type=float, default=d.lr, help="AdamW learning rate")
    p.add_argument("--dim", type=int, default=d.model.dim, help="two-tower width")
    p.add_argument("--valid-fraction", type=float, default=d.valid_fraction, help="held-out share of dialogues")
    p.add_argument("--limit", type=int, default=None, help="only the first N training dialogues (baby runs)")
    p.add_argument("--seed", type=int, default=d.seed, help="random seed")
    p.add_argument("--threads", type=int, default=d.threads, help="torch CPU threads")
    p.add_argument("--no-fusion", action="store_true", help="skip fitting the fusion weights")
    p.add_argument("--no-rerank", action="store_true", help="skip fitting the second-stage reranker")
    p.add_argument("--rerank-depth", type=int, default=d.rerank.depth, help="fused candidates the reranker reorders")
    p.add_argument("--rerank-hidden", type=int, default=d.rerank.hidden, help="reranker hidden units (0: linear)")
    p.add_argument("--rerank-folds", type=int, default=d.rerank_folds,
                   help="folds of out-of-fold training lists for the reranker (0: validation lists only)")
    p.add_argument("--tune-encoder", type=int, default=d.encoder.epochs,
                   help="epochs fine-tuning MiniLM as the context encoder (0: keep it frozen)")
    p.add_argument("--no-refit", action="store_true", help="ship the model trained on the train part only")
    p.add_argument("--seeker-targets", type=int, default=int(d.seeker_targets),
                   help="1: the learned model also trains on the titles seekers name next; 0: recommender turns only")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    return p


def config_from_args(args) -> TrainConfig:
    return TrainConfig(data_dir=args.data_dir, out=args.out, valid_fraction=args.valid_fraction, epochs=args.epochs,
                       patience=args.patience, batch_size=args.batch_size, lr=args.lr, seed=args.seed,
                       limit=args.limit, fit_fusion=not args.no_fusion, refit_all=not args.no_refit,
                       threads=args.threads, progress=not args.no_progress, model=ModelConfig(dim=args.dim),
                       fit_rerank=not args.no_rerank, rerank_folds=args.rerank_folds,
                       rerank=RerankConfig(depth=args.rerank_depth, hidden=args.rerank_hidden),
                       encoder=EncoderConfig(epochs=args.tune_encoder), seeker_targets=bool(args.seeker_targets))


def run(tc: TrainConfig, embeddings=None, vectors: np.ndarray | None = None, catalog=None, log=print,
        likeness: np.ndarray | None = None) -> dict:
    """The whole training; ``embeddings`` / ``vectors`` / ``catalog`` may be injected (tests)."""
    import torch

    from convrec import collab
    from convrec.catalog_sources import load_redial
    from convrec.learned import FUSION_FILE, load_model, save_model

    t0 = time.perf_counter()
    config.offline_env()
    torch.set_num_threads(tc.threads)
    data = config.data_dir(tc.data_dir, required=True)
    catalog = catalog or load_redial(data)
    path = collab.training_dialogues_path(data)
    if path is None:
        raise FileNotFoundError(f"{data}/redial: no train_data.jsonl or train_subset.jsonl")
    dialogues = collab.read_dialogues(path)[: tc.limit] if tc.limit else collab.read_dialogues(path)
    forbidden = test_ids(data)
    assert_disjoint((d.get("conversationId") for d in dialogues), forbidden)
    train_d, valid_d = split_latest(dialogues, tc.valid_fraction)
    log(f"{len(dialogues)} training dialogues from {path.name}: {len(train_d)} train, {len(valid_d)} validation")
    if embeddings is None:
        from convrec.index import local_embeddings

        embeddings = local_embeddings()
    if vectors is None:
        from convrec.index import open_index

        index = open_index(catalog, embeddings, build=True, progress=tc.progress)
        vectors, likeness = index.vectors(catalog), index.likeness_vectors(catalog)  # the fusion is fitted with
        # the likeness the app uses (documents without titles)
    want_rerank = tc.fit_fusion and tc.fit_rerank and tc.fusion == "rank"  # the reranker reads rank gains
    keep = want_rerank and tc.rerank_folds > 1  # out-of-fold lists need the states
    train = make_samples(train_d, catalog, tc.model, keep_state=keep, progress=tc.progress)
    valid = make_samples(valid_d, catalog, tc.model, keep_state=tc.fit_fusion, progress=tc.progress)
    train_vec = embed_texts([s.text for s in train], embeddings, progress=tc.progress)
    valid_vec = embed_texts([s.text for s in valid], embeddings, progress=tc.progress)
    seek, seek_valid = seeker_samples(train_d, valid_d, catalog, embeddings, tc.model, tc.seeker_targets, tc.progress)
    t_prep = time.perf_counter() - t0
    module, history = train_model(train + seek[0], _stack(train_vec, seek[1]), valid, valid_vec, vectors, tc, log)
    out = Path(tc.out)
    from convrec.encoder_tuning import encode, tune_and_save

    tuning, encoder = tune_and_save(module, train, valid, history, tc, out, log)
    all_vec = np.concatenate([train_vec, valid_vec])  # what the shipped model is refitted on
    if encoder is not None:  # the tuned encoder now embeds every context; crossfit keeps the frozen
        # vectors (train_vec): the encoder saw every training turn, so it would leak into out-of-fold lists
        valid_vec = encode(encoder, [s.text for s in valid], progress=tc.progress)
        all_vec = np.concatenate([encode(encoder, [s.text for s in train], progress=tc.progress), valid_vec])
        seek, seek_valid = [(x, encode(encoder, [s.text for s in x], progress=tc.progress) if x else v)
                            for x, v in (seek, seek_valid)]
    t_train = time.perf_counter() - t0 - t_prep
    card = {
        "model": "two-tower over MiniLM vectors (convrec.learned), context side "
                 + ("fine-tuned (convrec.encoder_tuning)" if encoder is not None else "frozen"),
        "encoder_tuning": tuning,
        "encoder": getattr(embeddings, "model_name", type(embeddings).__name__),
        "config": {**asdict(tc), "model": asdict(tc.model)},
        "data": {"file": path.name, "dialogues": len(dialogues), "train_dialogues": len(train_d),
                 "valid_dialogues": len(valid_d), "train_samples": int(sum(len(s.targets) for s in train)),
                 "valid_samples": int(sum(len(s.targets) for s in valid)),
                 "seeker_samples": int(sum(len(s.targets) for s in seek[0] + seek_valid[0])),
                 "test_dialogues_in_training": 0, "valid_ids_sha1": _ids_hash(valid_d)},
        "history": history,
        "seconds": {"prepare": round(t_prep, 1), "train": round(t_train, 1)},
    }
    save_model(module, tc.model, catalog, out, card)
    if tc.fit_fusion and valid:
        from convrec.retrieval import DEFAULT_WEIGHTS, RetrievalConfig, Retriever

        model = load_model(catalog, vectors, out)
        assert_disjoint((d.get("conversationId") for d in train_d + valid_d), forbidden)
        signals = collab.build_signals(catalog, data, dialogues=train_d)  # valid turns never feed a signal
        from convrec.learned import LearnedSignal

        retriever = Retriever(vectors, catalog, signals, RetrievalConfig(fusion=tc.fusion), embeddings,
                              [LearnedSignal(model)], likeness=likeness)
        from convrec.learned_fusion import fit_weights, fused_ranks, fusion_objective, signal_matrix

        mats, masks, raw = signal_matrix(retriever, valid, valid_vec, tc.progress, with_scores=want_rerank)
        start = {name: 1.0 for name in mats}  # every signal, the graph walk included, starts equal
        base = {"defaults_without_learned": fusion_objective({**DEFAULT_WEIGHTS}, mats, masks, valid),
                "learned_only": fusion_objective({"learned": 1.0}, mats, masks, valid)}
        weights, best = fit_weights(start, mats, masks, valid, log=log)
        # only the weights: every other retrieval setting keeps its current default
        (out / FUSION_FILE).write_text(json.dumps({"weights": {**{k: 0.0 for k in DEFAULT_WEIGHTS}, **weights},
                                                        "fusion": tc.fusion}, indent=1))
        r, d = fused_ranks(weights, mats, masks, valid)
        card["fusion"] = {"weights": weights, "objective": round(best, 4), "baselines": base,
                          "valid": recall_table(r, d)}
        (out / RERANK_FILE).unlink(missing_ok=True)  # never ship a reranker fitted over other fusion weights
        if want_rerank:
            extra = None
            if tc.rerank_folds > 1:
                from convrec.crossfit import out_of_fold_lists

                epochs = max(history, key=selection_score)["epoch"]
                x, y, _ = out_of_fold_lists(train_d, train, train_vec, catalog, vectors, embeddings, data, tc,
                                            weights, epochs, tc.rerank_folds, log, extra_train=seek,
                                            likeness=likeness)
                extra = (x, y)
            card["rerank"] = fit_reranker(retriever, weights, mats, raw, masks, valid, tc, out, log, extra)
        del mats, raw
    if tc.refit_all and valid and history:
        card["refit"] = refit(train + valid + seek[0] + seek_valid[0], _stack(all_vec, seek[1], seek_valid[1]),
                              vectors, tc, history, log)
        save_model(card["refit"].pop("module"), tc.model, catalog, out, card)
    card["seconds"]["total"] = round(time.perf_counter() - t0, 1)
    (out / "card.json").write_text(json.dumps(card, indent=1))
    from convrec.retriever_card import card_markdown

    (out / "card.md").write_text(card_markdown(card))
    log(f"wrote {out} in {card['seconds']['total']:.0f} s")
    return card


def refit(samples: list[TurnSample], vec: np.ndarray, doc_vectors: np.ndarray, tc: TrainConfig, history: list,
          log=print) -> dict:
    """Retrain on every training dialogue for the epoch count selected on validation."""
    epochs = max(history, key=selection_score)["epoch"]
    t0 = time.perf_counter()
    module, hist = train_model(samples, vec, [], vec[:0], doc_vectors,
                               replace(tc, epochs=epochs, patience=epochs + 1), log)
    return {"module": module, "epochs": epochs, "samples": int(sum(len(s.targets) for s in samples)),
            "history": hist, "seconds": round(time.perf_counter() - t0, 1)}


def _stack(*arrays: np.ndarray) -> np.ndarray:
    """Rows of every non-empty array (an absent seeker part is a (0, 0) placeholder)."""
    return np.concatenate([a for a in arrays if len(a)] or [arrays[0]])


def _ids_hash(dialogues: list[dict]) -> str:
    ids = sorted(str(d.get("conversationId")) for d in dialogues)
    return hashlib.sha1(",".join(ids).encode()).hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        run(config_from_args(args))
    except FileNotFoundError as e:
        print(f"error: {e}")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
