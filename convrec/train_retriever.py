"""Train the learned retriever (``convrec.learned``) on ReDial TRAINING dialogues and fit the fusion.

    python -m convrec.train retriever --data-dir ../shared/data            # ~minutes on 2 cores
    python -m convrec.train_retriever --data-dir ../shared/data --epochs 2 --limit 200   # a baby run

Steps: split the training dialogues into train / validation by time (the latest
``conversationId``s validate, as the test split comes later still); build one sample per (recommender turn, mentioned movie) with
the evaluation protocol's own states (``protocols.iter_states``: merged turns, titles rendered,
the preference tracker on USER turns); embed each context text with the frozen MiniLM; train
the two-tower model with a softmax over the catalog, early-stopped on validation dedup
Recall@50; then fit the fusion weights of every retrieval signal on the validation turns, with
the collaborative signals built from the train part only. The test split is never read except
for its conversation ids, to assert that none reaches training or fitting.

Writes ``OUT/model.pt`` (float16), ``OUT/card.json``, ``OUT/card.md`` and ``OUT/retrieval.json``.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from convrec import config
from convrec.learned import MODEL_DIR, ModelConfig, context_text, seed_ids, LabelFinder

KS = (10, 20, 50, 100, 200)  # recall cut-offs reported on validation


@dataclass
class TrainConfig:
    data_dir: str | None = None  # data directory (redial/, overviews/, movielens/); else CONVREC_DATA_DIR
    out: str = str(MODEL_DIR)  # where model.pt, card.json, card.md and retrieval.json go
    valid_fraction: float = 0.15  # share of training dialogues held out: the LATEST by conversationId,
    # because the test split (ids 20001+) was collected after every training dialogue and its
    # movies drift (16% of test targets never occur in training): a random split flatters
    epochs: int = 12  # upper bound; early stopping usually ends sooner
    patience: int = 3  # epochs without a better validation dedup Recall@50 before stopping
    batch_size: int = 128  # contexts per step; the softmax runs over the whole catalog
    lr: float = 2e-3  # AdamW learning rate
    weight_decay: float = 0.01  # AdamW weight decay
    seed: int = 0  # shuffling and initialisation
    limit: int | None = None  # use only the first N training dialogues (tests, baby runs)
    fit_fusion: bool = True  # fit the retrieval signal weights on the validation turns
    threads: int = 2  # torch CPU threads (the machine is shared: keep it small)
    progress: bool = True  # tqdm bars
    model: ModelConfig = field(default_factory=ModelConfig)  # the two-tower sizes


@dataclass
class TurnSample:
    """One recommender turn: its context features and every movie it mentioned."""

    dialogue_id: str
    text: str  # context text (``learned.context_text``)
    seeds: list[int]  # catalog rows mentioned earlier (``learned.seed_ids``)
    targets: list[int]  # catalog rows the recommender mentioned
    dedup: list[bool]  # per target: not mentioned earlier in the dialogue
    state: Any = None  # the DialogueState (kept for fitting the fusion)


# ---------------------------------------------------------------- data

def test_ids(data_dir: Path) -> set[str]:
    """Conversation ids of the ReDial test split (read only to prove they are never used)."""
    path = data_dir / "redial" / "test_data.jsonl"
    if not path.exists():
        return set()
    out = set()
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                out.add(str(json.loads(line).get("conversationId")))
    return out


def assert_disjoint(dialogue_ids, forbidden: set[str]) -> None:
    """Raise if any dialogue id belongs to the test split."""
    bad = sorted(set(map(str, dialogue_ids)) & forbidden)
    if bad:
        raise ValueError(f"{len(bad)} test dialogues in the training data (e.g. {bad[0]}): refusing to train")


def _cid(d: dict) -> tuple:
    cid = str(d.get("conversationId"))
    return (0, int(cid), cid) if cid.isdigit() else (1, 0, cid)


def split_latest(dialogues: list[dict], valid_fraction: float) -> tuple[list[dict], list[dict]]:
    """Train / validation by time: the last ``valid_fraction`` of dialogues by conversationId."""
    order = sorted(dialogues, key=_cid)
    n_valid = int(round(len(order) * valid_fraction)) if valid_fraction > 0 else 0
    if len(order) > 1:
        n_valid = min(max(n_valid, 1 if valid_fraction > 0 else 0), len(order) - 1)
    return order[: len(order) - n_valid], order[len(order) - n_valid:]


def make_samples(dialogues: list[dict], catalog, cfg: ModelConfig, keep_state: bool = False,
                 progress: bool = False) -> list[TurnSample]:
    """Turn samples with the evaluation protocol's states (``protocols.iter_states``)."""
    from tqdm import tqdm

    from convrec import protocols

    finder = LabelFinder(catalog)
    row = {i: n for n, i in enumerate(catalog.ids())}
    out = []
    for d in tqdm(dialogues, desc="samples", unit="dlg", disable=not progress):
        parsed = protocols.parse_dialogue(d, catalog)
        for rt, state in protocols.iter_states(parsed, catalog):
            out.append(TurnSample(parsed.id, context_text(state, cfg),
                                  [row[i] for i in seed_ids(state, catalog, finder)],
                                  [row[s.target] for s in rt.samples], [s.dedup for s in rt.samples],
                                  state if keep_state else None))
    return out


def embed_texts(texts: list[str], embeddings, batch: int = 256, progress: bool = False) -> np.ndarray:
    """Context vectors, cached under ``CONVREC_HOME/learned/`` by the embedder and text hash."""
    from tqdm import tqdm

    name = getattr(embeddings, "model_name", type(embeddings).__name__)
    cache_dir = config.sub("learned")
    key = lambda t: hashlib.sha1(f"{name}\x00{t}".encode()).hexdigest()  # noqa: E731
    cache_path = cache_dir / "context_vectors.npz"
    cache: dict[str, np.ndarray] = {}
    if cache_path.exists():
        try:
            z = np.load(cache_path)
            cache = dict(zip(z["keys"].tolist(), z["vectors"]))
        except (OSError, ValueError, KeyError):
            cache = {}  # damaged cache: recompute
    todo = sorted({t for t in texts if key(t) not in cache})
    for i in tqdm(range(0, len(todo), batch), desc="embed contexts", unit="batch", disable=not progress or not todo):
        chunk = todo[i: i + batch]
        for t, v in zip(chunk, embeddings.embed_documents(chunk)):
            cache[key(t)] = np.asarray(v, dtype=np.float32)
    if todo:
        tmp = cache_dir / "context_vectors.tmp.npz"
        np.savez(tmp, keys=np.array(list(cache)), vectors=np.stack(list(cache.values())))
        tmp.replace(cache_path)
    return np.stack([cache[key(t)] for t in texts]).astype(np.float32) if texts else np.zeros((0, 1), np.float32)


# ---------------------------------------------------------------- training

def flatten(samples: list[TurnSample], vectors: np.ndarray) -> tuple[list[list[int]], np.ndarray, np.ndarray]:
    """One row per (turn, target): seeds, text vector index, target row."""
    seeds, tix, ys = [], [], []
    for n, s in enumerate(samples):
        for t in s.targets:
            seeds.append(s.seeds)
            tix.append(n)
            ys.append(t)
    return seeds, vectors[np.array(tix, dtype=np.int64)] if tix else vectors[:0], np.array(ys, dtype=np.int64)


def ranks(scores: np.ndarray, samples: list[TurnSample]) -> tuple[np.ndarray, np.ndarray]:
    """0-based rank of every target in its turn's scores, and the dedup flags."""
    r, d = [], []
    for n, s in enumerate(samples):
        for t, dd in zip(s.targets, s.dedup):
            r.append(int((scores[n] > scores[n, t]).sum()))
            d.append(dd)
    return np.array(r), np.array(d, dtype=bool)


def recall_table(rank: np.ndarray, dedup: np.ndarray, ks=KS) -> dict:
    out = {}
    for name, mask in (("standard", np.ones_like(dedup)), ("dedup", dedup)):
        sel = rank[mask]
        out[name] = {f"recall@{k}": round(float((sel < k).mean()), 4) if sel.size else 0.0 for k in ks}
    return out


def model_scores(module, samples: list[TurnSample], vectors: np.ndarray, cfg: ModelConfig, batch: int = 256) -> np.ndarray:
    import torch

    from convrec.learned import pad_seeds

    module.eval()
    outs = []
    with torch.no_grad():
        for i in range(0, len(samples), batch):
            chunk = samples[i: i + batch]
            s = pad_seeds([x.seeds for x in chunk], module.n, cfg.max_seeds)
            outs.append(module(s, torch.tensor(vectors[i: i + batch])).numpy())
    module.train()
    return np.concatenate(outs) if outs else np.zeros((0, module.n), np.float32)


def train_model(train: list[TurnSample], train_vec: np.ndarray, valid: list[TurnSample], valid_vec: np.ndarray,
                doc_vectors: np.ndarray, tc: TrainConfig, log=print):
    """Softmax over the catalog, AdamW, early stopping on validation dedup Recall@50."""
    import torch
    import torch.nn.functional as F
    from tqdm import tqdm

    from convrec.learned import build_module, pad_seeds

    torch.manual_seed(tc.seed)
    rng = random.Random(tc.seed)
    module = build_module(doc_vectors, tc.model)
    opt = torch.optim.AdamW(module.parameters(), lr=tc.lr, weight_decay=tc.weight_decay)
    seeds, tvec, ys = flatten(train, train_vec)
    history, best, best_state, bad = [], -1.0, None, 0
    for epoch in range(tc.epochs):
        order = list(range(len(ys)))
        rng.shuffle(order)
        total = 0.0
        bar = tqdm(range(0, len(order), tc.batch_size), desc=f"epoch {epoch + 1}/{tc.epochs}", unit="step",
                   disable=not tc.progress)
        for i in bar:
            b = order[i: i + tc.batch_size]
            logits = module(pad_seeds([seeds[j] for j in b], module.n, tc.model.max_seeds), torch.tensor(tvec[b]))
            loss = F.cross_entropy(logits, torch.tensor(ys[b]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(b)
            bar.set_postfix(loss=f"{loss.item():.3f}")
        row = {"epoch": epoch + 1, "train_loss": round(total / max(len(ys), 1), 4)}
        if valid:
            row["valid"] = recall_table(*ranks(model_scores(module, valid, valid_vec, tc.model), valid))
            score = row["valid"]["dedup"]["recall@50"]
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
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    return p


def config_from_args(args) -> TrainConfig:
    return TrainConfig(data_dir=args.data_dir, out=args.out, valid_fraction=args.valid_fraction, epochs=args.epochs,
                       patience=args.patience, batch_size=args.batch_size, lr=args.lr, seed=args.seed,
                       limit=args.limit, fit_fusion=not args.no_fusion, threads=args.threads,
                       progress=not args.no_progress, model=ModelConfig(dim=args.dim))


def run(tc: TrainConfig, embeddings=None, vectors: np.ndarray | None = None, catalog=None, log=print) -> dict:
    """The whole training; ``embeddings`` / ``vectors`` / ``catalog`` may be injected (tests)."""
    import torch

    from convrec import collab
    from convrec.catalog import load_redial
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

        vectors = open_index(catalog, embeddings, build=True, progress=tc.progress).vectors(catalog)
    train = make_samples(train_d, catalog, tc.model, progress=tc.progress)
    valid = make_samples(valid_d, catalog, tc.model, keep_state=tc.fit_fusion, progress=tc.progress)
    train_vec = embed_texts([s.text for s in train], embeddings, progress=tc.progress)
    valid_vec = embed_texts([s.text for s in valid], embeddings, progress=tc.progress)
    t_prep = time.perf_counter() - t0
    module, history = train_model(train, train_vec, valid, valid_vec, vectors, tc, log)
    t_train = time.perf_counter() - t0 - t_prep
    out = Path(tc.out)
    card = {
        "model": "two-tower over frozen MiniLM vectors (convrec.learned)",
        "encoder": getattr(embeddings, "model_name", type(embeddings).__name__),
        "config": {**asdict(tc), "model": asdict(tc.model)},
        "data": {"file": path.name, "dialogues": len(dialogues), "train_dialogues": len(train_d),
                 "valid_dialogues": len(valid_d), "train_samples": int(sum(len(s.targets) for s in train)),
                 "valid_samples": int(sum(len(s.targets) for s in valid)),
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

        retriever = Retriever(vectors, catalog, signals, RetrievalConfig(), embeddings, [LearnedSignal(model)])
        from convrec.learned_fusion import fit_weights, fused_ranks, fusion_objective, signal_matrix

        mats, masks = signal_matrix(retriever, valid, valid_vec, tc.progress)
        start = {**DEFAULT_WEIGHTS, "learned": 1.0}
        base = {"defaults_without_learned": fusion_objective({**DEFAULT_WEIGHTS}, mats, masks, valid),
                "learned_only": fusion_objective({"learned": 1.0}, mats, masks, valid)}
        weights, best = fit_weights(start, mats, masks, valid, log=log)
        # only the weights: every other retrieval setting keeps its current default
        (out / FUSION_FILE).write_text(json.dumps({"weights": {**{k: 0.0 for k in DEFAULT_WEIGHTS}, **weights}}, indent=1))
        r, d = fused_ranks(weights, mats, masks, valid)
        card["fusion"] = {"weights": weights, "objective": round(best, 4), "baselines": base,
                          "valid": recall_table(r, d)}
    card["seconds"]["total"] = round(time.perf_counter() - t0, 1)
    (out / "card.json").write_text(json.dumps(card, indent=1))
    (out / "card.md").write_text(card_markdown(card))
    log(f"wrote {out} in {card['seconds']['total']:.0f} s")
    return card


def _ids_hash(dialogues: list[dict]) -> str:
    ids = sorted(str(d.get("conversationId")) for d in dialogues)
    return hashlib.sha1(",".join(ids).encode()).hexdigest()[:16]


def card_markdown(card: dict) -> str:
    """The training card as Markdown: data, split, history, fusion, time."""
    d, s = card["data"], card["seconds"]
    lines = ["# Learned retriever: training card", "", f"Model: {card['model']}; encoder `{card['encoder']}` (frozen).", "",
             f"Data: `{d['file']}`, {d['dialogues']} dialogues ({d['train_dialogues']} train, "
             f"{d['valid_dialogues']} validation: the latest by conversationId), {d['train_samples']} train samples, "
             f"{d['valid_samples']} validation samples. No test dialogue reaches training or fitting.", "",
             "| epoch | train loss | valid dedup R@10 | R@50 | R@100 |", "|---|---|---|---|---|"]
    for h in card["history"]:
        v = h.get("valid", {}).get("dedup", {})
        lines.append(f"| {h['epoch']} | {h['train_loss']} | {v.get('recall@10', '')} | {v.get('recall@50', '')} | {v.get('recall@100', '')} |")
    if "fusion" in card:
        f = card["fusion"]
        lines += ["", f"Fusion weights (validation, objective = mean dedup R@50/R@100 = {f['objective']}): `{json.dumps(f['weights'])}`",
                  "", f"Validation candidate recall after fusion: `{json.dumps(f['valid'])}`"]
    lines += ["", f"Time: {s.get('prepare')} s preparing, {s.get('train')} s training, {s.get('total')} s in all."]
    return "\n".join(lines) + "\n"


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
