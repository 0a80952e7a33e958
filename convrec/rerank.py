"""Second-stage reranking: reorder the fused top candidates with a small learned scorer.

Rank fusion (``convrec.retrieval``) adds one weight per signal, fitted for candidate recall at
50/100. It cannot say "the learned model is trustworthy when the co-mention evidence agrees" or
"a popular item with a weak semantic match is a safe top-10 pick". The reranker reads, for each
of the fused top ``depth`` candidates, every signal's normalised score and rank gain, the fused
score and position and the item's training-mention count, and scores them with one hidden layer
(or a linear layer). It is fitted with a softmax over the candidate list on the dedup targets of
the validation dialogues and of out-of-fold lists of the training dialogues (``convrec.crossfit``,
``convrec.train_retriever``), never on test.

    reranker = load_reranker()                     # models/retriever/rerank.json, or None
    order = reranker.order(reranker.features(scores, gains, total, rows, mentions))

A missing file means no reranking (the fused order is the final one); a file whose feature
names do not match the retriever's signals is refused with a warning.
"""
from __future__ import annotations

import json
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from convrec import config

RERANK_FILE = "rerank.json"  # beside the learned retriever's weights (models/retriever/)


@dataclass
class RerankConfig:
    depth: int = 100  # fused candidates reordered. Fitted on validation lists alone (577 with a target), depth 50
    # and a linear scorer were best; with the training turns' out-of-fold lists too (3,006 more with a target,
    # convrec.crossfit), depth 100 with a hidden layer raised validation dedup R@50 0.410 -> 0.432 (5-fold by
    # dialogue; R@10 0.181 -> 0.197, as the linear one), depth 200 less (0.424); R@100 does not move
    hidden: int = 32  # 0: a linear scorer; else the width of one ReLU hidden layer (16 units: R@50 0.424; linear 0.410)
    l2: float = 1e-2  # weight penalty on standardised features (1e-3 to 1e-1 all within 0.4 points)
    epochs: int = 200  # full-batch Adam steps
    lr: float = 0.05  # Adam learning rate
    seed: int = 0  # initialisation


def feature_names(signals: list[str]) -> list[str]:
    """Per signal its normalised score and rank gain, then the list-level features."""
    return ([f"score:{n}" for n in signals] + [f"gain:{n}" for n in signals]
            + ["fused_rel", "fused_pos", "log_mentions"])


def features(signals: list[str], scores: dict[str, np.ndarray], gains: dict[str, np.ndarray], total: np.ndarray,
             rows: np.ndarray, mentions: np.ndarray | None) -> np.ndarray:
    """(len(rows), F) float32 features of the candidates ``rows`` (catalog rows, fused order)."""
    zero = np.zeros(len(rows), np.float32)
    cols = [scores[n][rows] if n in scores else zero for n in signals]
    cols += [gains[n][rows] if n in gains else zero for n in signals]
    t = total[rows].astype(np.float32)
    cols.append(t / max(float(t[0]), 1e-6) if len(t) else zero)  # fused score relative to the best
    cols.append(1.0 / np.log2(2.0 + np.arange(len(rows), dtype=np.float32)))  # fused position as a gain
    cols.append(np.log1p(mentions[rows]).astype(np.float32) / 5.0 if mentions is not None else zero)
    return np.stack(cols, 1).astype(np.float32)


@dataclass
class Reranker:
    """A fitted scorer over ``features``: standardisation, then linear (or one hidden layer)."""

    signals: list[str]  # signal names, in feature order
    mean: np.ndarray  # (F,) feature means on the fitting data
    std: np.ndarray  # (F,)
    layers: list[tuple[np.ndarray, np.ndarray]]  # (W (in, out), b (out,)); ReLU between layers
    depth: int = 200  # fused candidates reordered
    card: dict = field(default_factory=dict)  # how it was fitted (data, validation figures)

    def scores(self, x: np.ndarray) -> np.ndarray:
        h = (x - self.mean) / self.std
        for k, (w, b) in enumerate(self.layers):
            h = h @ w + b
            if k < len(self.layers) - 1:
                h = np.maximum(h, 0.0)
        return h[:, 0]

    def order(self, x: np.ndarray) -> np.ndarray:
        """Positions of the candidates, best first (ties keep the fused order)."""
        return np.argsort(-self.scores(x), kind="stable")

    def save(self, path: str | Path) -> Path:
        blob = {"signals": self.signals, "features": feature_names(self.signals), "depth": self.depth,
                "mean": self.mean.tolist(), "std": self.std.tolist(),
                "layers": [{"w": w.tolist(), "b": b.tolist()} for w, b in self.layers], "card": self.card}
        Path(path).write_text(json.dumps(blob, indent=1))
        return Path(path)

    @classmethod
    def from_file(cls, path: str | Path) -> "Reranker":
        try:
            blob = json.loads(Path(path).read_text())
            layers = [(np.asarray(x["w"], np.float32), np.asarray(x["b"], np.float32)) for x in blob["layers"]]
            out = cls(list(blob["signals"]), np.asarray(blob["mean"], np.float32), np.asarray(blob["std"], np.float32),
                      layers, int(blob.get("depth", 200)), blob.get("card", {}))
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise ValueError(f"{path}: cannot read the reranker ({e})") from None
        if blob.get("features") != feature_names(out.signals) or out.mean.shape[0] != layers[0][0].shape[0]:
            raise ValueError(f"{path}: its features do not match this version of convrec")
        return out


def load_reranker(model_dir: str | Path | None = None, signals: list[str] | None = None) -> Reranker | None:
    """The shipped reranker, or None when the file is missing, damaged, or made for other signals
    (then the fused order stands; a warning says why when a file exists)."""
    from convrec.learned import MODEL_DIR

    path = Path(model_dir or MODEL_DIR) / RERANK_FILE
    if not path.exists():
        return None
    try:
        rr = Reranker.from_file(path)
    except ValueError as e:
        warnings.warn(f"reranker disabled: {e}", stacklevel=2)
        return None
    missing = sorted(set(rr.signals) - set(signals)) if signals is not None else []
    if missing:
        warnings.warn(f"reranker disabled: {path} needs signals {missing} the retriever lacks", stacklevel=2)
        return None
    return rr


# ---------------------------------------------------------------- fitting

def fit(x: np.ndarray, y: np.ndarray, signals: list[str], rc: RerankConfig, card: dict | None = None) -> Reranker:
    """Fit on ``x`` (lists, depth, F) with ``y`` (lists, depth) 1 at each target: the mean log
    softmax probability of the targets within their list. Lists without a target are skipped."""
    import torch

    torch.manual_seed(rc.seed)
    keep = y.sum(1) > 0
    x, y = x[keep], y[keep]
    flat = x.reshape(-1, x.shape[-1])
    mean = flat.mean(0) if flat.size else np.zeros(x.shape[-1], np.float32)
    std = flat.std(0) + 1e-6 if flat.size else np.ones(x.shape[-1], np.float32)
    xt = torch.tensor((x - mean) / std, dtype=torch.float32)
    yt = torch.tensor(y, dtype=torch.float32)
    f = x.shape[-1]
    mods = [torch.nn.Linear(f, rc.hidden), torch.nn.ReLU(), torch.nn.Linear(rc.hidden, 1)] if rc.hidden else [torch.nn.Linear(f, 1)]
    net = torch.nn.Sequential(*mods)
    opt = torch.optim.Adam(net.parameters(), lr=rc.lr)
    for _ in range(rc.epochs if len(xt) else 0):
        logp = torch.log_softmax(net(xt).squeeze(-1), 1)
        loss = -((logp * yt).sum(1) / yt.sum(1)).mean()
        loss = loss + rc.l2 * sum((m.weight ** 2).sum() for m in net if isinstance(m, torch.nn.Linear))
        opt.zero_grad()
        loss.backward()
        opt.step()
    layers = [(m.weight.detach().numpy().T.astype(np.float32).copy(), m.bias.detach().numpy().astype(np.float32).copy())
              for m in net if isinstance(m, torch.nn.Linear)]
    return Reranker(list(signals), mean.astype(np.float32), std.astype(np.float32), layers, rc.depth,
                    {**(card or {}), "config": asdict(rc), "lists": int(keep.sum())})


def make_lists(signals: list[str], weights: dict[str, float], gains: dict[str, np.ndarray], scores: dict[str, np.ndarray],
               masks: np.ndarray, samples: list, mentions: np.ndarray | None, depth: int
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """From per-turn signal matrices (``learned_fusion.signal_matrix`` with rank fusion): the fused top
    ``depth`` rows of every turn, their features and their labels (1 at each dedup target).

    Returns ``x`` (turns, depth, F), ``y`` (turns, depth) and ``tops`` (turns, depth) catalog rows
    (-1 pads a turn with fewer allowed items)."""
    n_turns = len(samples)
    x = np.zeros((n_turns, depth, len(feature_names(signals))), np.float32)
    y = np.zeros((n_turns, depth), np.float32)
    tops = np.full((n_turns, depth), -1, np.int64)
    for i, s in enumerate(samples):
        total = np.zeros(masks.shape[1], np.float32)
        for name, w in weights.items():
            if w and name in gains:
                total += w * gains[name][i].astype(np.float32)
        allowed = np.flatnonzero(masks[i])
        top = allowed[np.argsort(-total[allowed], kind="stable")[:depth]]
        tops[i, : len(top)] = top
        if len(top):
            x[i, : len(top)] = features(signals, {n: v[i] for n, v in scores.items()}, {n: v[i] for n, v in gains.items()},
                                        total, top, mentions)
        for t, d in zip(s.targets, s.dedup):
            if d:
                y[i, np.flatnonzero(top == t)] = 1.0
    return x, y, tops


def reorder(reranker: Reranker, x: np.ndarray, tops: np.ndarray) -> np.ndarray:
    """Every turn's candidate rows in the reranker's order (padding stays last)."""
    out = tops.copy()
    for i in range(len(tops)):
        n = int((tops[i] >= 0).sum())
        out[i, :n] = tops[i, :n][reranker.order(x[i, :n])]
    return out


def dedup_recall(tops: np.ndarray, samples: list, ks=(1, 10, 20, 50)) -> dict[str, float]:
    """Mean dedup Recall@k of the lists (a target outside the list is a miss)."""
    hits = {k: [] for k in ks}
    for i, s in enumerate(samples):
        for t, d in zip(s.targets, s.dedup):
            if d:
                pos = np.flatnonzero(tops[i] == t)
                for k in ks:
                    hits[k].append(bool(pos.size) and pos[0] < k)
    return {f"recall@{k}": round(float(np.mean(v)), 4) if v else 0.0 for k, v in hits.items()}


def cross_validate(x: np.ndarray, y: np.ndarray, tops: np.ndarray, samples: list, signals: list[str],
                   rc: RerankConfig, folds: int = 5, extra: tuple[np.ndarray, np.ndarray] | None = None) -> dict:
    """Dedup recall of the fused lists and of the reranked ones, each fold's turns reordered by a
    reranker fitted on the other folds (split by dialogue): an honest estimate of the gain.
    ``extra`` (x, y) lists, such as ``convrec.crossfit``'s out-of-fold training lists, join every
    fold's fitting data."""
    ids = sorted({s.dialogue_id for s in samples})
    np.random.RandomState(rc.seed).shuffle(ids)
    fold_of = {d: k % folds for k, d in enumerate(ids)}
    fold = np.array([fold_of[s.dialogue_id] for s in samples])
    new = tops.copy()
    for k in range(min(folds, len(ids))):
        held = np.flatnonzero(fold == k)
        xk, yk = x[fold != k], y[fold != k]
        if extra is not None:
            xk, yk = np.concatenate([extra[0], xk]), np.concatenate([extra[1], yk])
        rr = fit(xk, yk, signals, rc)
        new[held] = reorder(rr, x[held], tops[held])
    return {"folds": folds, "fused": dedup_recall(tops, samples), "reranked": dedup_recall(new, samples)}
