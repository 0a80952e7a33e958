"""Fine-tune the sentence-transformers encoder on the context side of the learned retriever.

The two-tower model (``convrec.learned``) first trains over frozen MiniLM vectors. Then MiniLM
itself is trained jointly with it for a few epochs, as the context encoder of a dual encoder:
the dialogue context (recent speaker-tagged turns) goes through MiniLM, the items stay on the
frozen MiniLM document vectors of the index (so the catalog is not re-embedded and another
catalog still works), softmax over the catalog on the dedup targets of the training turns.
The tuned encoder is saved beside the retriever weights (``models/retriever/encoder/``, float16)
and embeds the context text of ``LearnedSignal`` in the app and the evaluation; the index and
every other signal keep the base MiniLM, which stays the untuned fallback.

    python -m convrec.train retriever --data-dir ../shared/data --tune-encoder 1   # see train_retriever
"""
from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ENCODER_DIR = "encoder"  # beside model.pt


@dataclass
class EncoderConfig:
    epochs: int = 0  # joint passes over the training turns (0: MiniLM stays frozen, the shipped default). Validation
    # dedup R@50 + R@100 of the learned signal alone: from the frozen model's epoch 4 (0.757), one tuning epoch gave
    # 0.773 and two 0.773; in the full pipeline, from its best epoch 5 (0.760), one gave 0.750 and was dropped by
    # the guard below. Within noise, ~11 min per epoch on 2 cores, so it is off by default (--tune-encoder N)
    lr: float = 2e-5  # MiniLM's learning rate (the usual sentence-transformers fine-tuning rate)
    head_lr: float = 5e-4  # the two-tower's rate while it follows the encoder (a quarter of its own)
    batch_size: int = 64  # contexts per step (~6 s per step on 2 cores at 160 tokens)
    max_seq_length: int = 160  # tokens; the context text is cut at 600 characters (~150 tokens)


def load_sentence_model(path: str | Path):
    """A trainable float32 SentenceTransformer on the CPU (offline)."""
    from sentence_transformers import SentenceTransformer

    from convrec import config

    config.offline_env()
    model = SentenceTransformer(str(path), device="cpu")
    return model.float()


def _dim(model) -> int:
    get = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension  # renamed in 6.x
    return get()


def _encode(model, texts: list[str], grad: bool):
    import torch

    features = model.preprocess(texts) if hasattr(model, "preprocess") else model.tokenize(texts)
    with torch.set_grad_enabled(grad):
        out = model(features)["sentence_embedding"]
    return torch.nn.functional.normalize(out, dim=-1)


def encode(model, texts: list[str], batch: int = 64, progress: bool = False) -> np.ndarray:
    """(len(texts), h) normalised float32 vectors from ``model`` (no gradients)."""
    import torch
    from tqdm import tqdm

    was_training = model.training
    model.eval()
    out = []
    with torch.no_grad():
        for i in tqdm(range(0, len(texts), batch), desc="embedding contexts (tuned)", disable=not progress):
            out.append(_encode(model, texts[i: i + batch], False).numpy())
    model.train(was_training)
    return np.concatenate(out).astype(np.float32) if out else np.zeros((0, _dim(model)), np.float32)


def tune(module, encoder, samples: list, tc, ec: EncoderConfig, valid: list | None = None, log=print) -> list[dict]:
    """Train ``encoder`` (context side) and ``module`` (the two-tower) together on ``samples``' dedup targets.

    Returns one history row per epoch (train loss and, with ``valid``, its dedup recall)."""
    import torch
    from tqdm import tqdm

    from convrec.learned_steps import flatten, model_scores, ranks, recall_table, softmax_step

    torch.manual_seed(tc.seed)
    rng = random.Random(tc.seed)
    encoder.max_seq_length = ec.max_seq_length
    seeds, rows, ys, hidden = flatten(samples, np.arange(len(samples))[:, None])  # "vectors" = sample numbers
    texts = [samples[int(n)].text for n in rows[:, 0]]
    opt = torch.optim.AdamW([{"params": module.parameters(), "lr": ec.head_lr},
                             {"params": encoder.parameters(), "lr": ec.lr}], weight_decay=tc.weight_decay)
    module.train(), encoder.train()
    history = []
    for epoch in range(ec.epochs):
        t0, total = time.perf_counter(), 0.0
        order = list(range(len(ys)))
        rng.shuffle(order)
        bar = tqdm(range(0, len(order), ec.batch_size), desc=f"tuning MiniLM {epoch + 1}/{ec.epochs}", unit="step",
                   disable=not tc.progress)
        for i in bar:
            b = order[i: i + ec.batch_size]
            loss = softmax_step(module, opt, [seeds[j] for j in b], _encode(encoder, [texts[j] for j in b], True),
                                [hidden[j] for j in b], ys[b], tc.model.max_seeds)
            total += loss * len(b)
            bar.set_postfix(loss=f"{loss:.3f}")
        row = {"epoch": epoch + 1, "train_loss": round(total / max(len(ys), 1), 4),
               "seconds": round(time.perf_counter() - t0, 1)}
        if valid:
            vec = encode(encoder, [s.text for s in valid])
            row["valid"] = recall_table(*ranks(model_scores(module, valid, vec, tc.model), valid))
        history.append(row)
        log(f"tuning MiniLM: {row}")
    module.eval(), encoder.eval()
    return history


def save_encoder(encoder, out_dir: Path) -> Path:
    """The tuned encoder in float16 (half the size; it is loaded back as float32)."""
    import copy

    path = Path(out_dir) / ENCODER_DIR
    copy.deepcopy(encoder).half().save(str(path))
    return path


class TunedEncoder:
    """Text -> context vector with the tuned MiniLM, loaded on first use (the app starts without it)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._model = None
        self._lock = threading.Lock()  # the app serves several turns at once: load once

    def __call__(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            if self._model is None:
                self._model = load_sentence_model(self.path).eval()
        return encode(self._model, texts)


def find_encoder(model_dir: Path) -> TunedEncoder | None:
    path = Path(model_dir) / ENCODER_DIR
    return TunedEncoder(path) if (path / "config.json").exists() else None


def tune_and_save(module, train: list, valid: list, frozen_history: list[dict], tc, out: Path, log=print):
    """Tune MiniLM with ``module`` (trained over frozen vectors) on ``train``; keep the pair only if the
    validation dedup Recall@50 + @100 beats the frozen model's best, else restore ``module``.

    Returns the card section and the tuned encoder (None when not kept). Any encoder already in
    ``out`` is removed first: it must never pair with other two-tower weights."""
    import copy
    import shutil
    from dataclasses import asdict

    from convrec import config
    from convrec.learned_steps import selection_score

    shutil.rmtree(Path(out) / ENCODER_DIR, ignore_errors=True)
    if tc.encoder.epochs <= 0:
        return {"epochs": 0, "kept": False}, None
    base = config.embedding_model_path()
    encoder = load_sentence_model(base)
    if _dim(encoder) != module.doc.shape[1]:
        raise ValueError(f"{base} gives {_dim(encoder)}-d vectors, the index "
                         f"{module.doc.shape[1]}-d: tune the encoder that built the index")
    saved = copy.deepcopy(module.state_dict())
    history = tune(module, encoder, train, tc, tc.encoder, valid, log)
    card = {"config": asdict(tc.encoder), "base": base, "history": history, "kept": True}
    if valid and frozen_history:
        card["frozen_best"] = round(max(map(selection_score, frozen_history)), 4)
        card["tuned"] = round(selection_score(history[-1]), 4)
        card["kept"] = card["tuned"] > card["frozen_best"]
    if not card["kept"]:
        module.load_state_dict(saved)
        log(f"tuned MiniLM not kept (validation {card['tuned']} vs frozen {card['frozen_best']})")
        return card, None
    save_encoder(encoder, out)
    return card, encoder
