"""The learned retriever's training steps: one sample row per target, a softmax step over the catalog,
scores for a set of turns, and the recall of the targets' ranks (``convrec.train_retriever`` runs them;
``convrec.encoder_tuning`` reuses them when MiniLM itself is tuned).
"""
from __future__ import annotations

import numpy as np

from convrec.learned import ModelConfig
from convrec.retriever_data import TurnSample

KS = (10, 20, 50, 100, 200)  # recall cut-offs reported on validation


def flatten(samples: list[TurnSample], vectors: np.ndarray, dedup_only: bool = True
            ) -> tuple[list[list[int]], np.ndarray, np.ndarray, list[list[int]]]:
    """One row per (turn, target): seeds, text vector, target row, and the rows hidden from its softmax
    (the items mentioned earlier, which are never candidates, and the turn's other targets, which are
    right answers too). ``dedup_only`` drops targets mentioned earlier in the dialogue: the retriever
    never offers those again (``RetrievalConfig.exclude_mentioned``)."""
    seeds, tix, ys, hidden = [], [], [], []
    for n, s in enumerate(samples):
        for t, d in zip(s.targets, s.dedup):
            if d or not dedup_only:
                seeds.append(s.seeds)
                tix.append(n)
                ys.append(t)
                hidden.append([x for x in s.seeds if x != t] + [o for o in s.targets if o != t])
    vec = vectors[np.array(tix, dtype=np.int64)] if tix else vectors[:0]
    return seeds, vec, np.array(ys, dtype=np.int64), hidden


def mention_mask(seed_rows: list[list[int]], n_items: int):
    """(B, n_items) bool tensor, True at every item already mentioned in the context (never a candidate)."""
    import torch

    mask = torch.zeros((len(seed_rows), n_items), dtype=torch.bool)
    for b, r in enumerate(seed_rows):
        if r:
            mask[b, torch.tensor(r, dtype=torch.long)] = True
    return mask


def ranks(scores: np.ndarray, samples: list[TurnSample], exclude_mentioned: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """0-based rank of every target in its turn's scores, and the dedup flags. With ``exclude_mentioned``
    the items mentioned earlier are no candidates (as in the retriever) and a repeated target is a miss."""
    r, d = [], []
    for n, s in enumerate(samples):
        row = scores[n]
        if exclude_mentioned and s.seeds:
            row = row.copy()
            row[s.seeds] = -np.inf
        for t, dd in zip(s.targets, s.dedup):
            r.append(int((row > row[t]).sum()) if np.isfinite(row[t]) else 10 ** 9)
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


def softmax_step(module, opt, seeds: list[list[int]], text, hidden: list[list[int]], ys: np.ndarray,
                 max_seeds: int) -> float:
    """One optimiser step of the softmax over the catalog (``hidden`` rows masked); returns the loss."""
    import torch
    import torch.nn.functional as F

    from convrec.learned import pad_seeds

    logits = module(pad_seeds(seeds, module.n, max_seeds), text)
    logits = logits.masked_fill(mention_mask(hidden, module.n), float("-inf"))
    loss = F.cross_entropy(logits, torch.tensor(ys))
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


def selection_score(h: dict) -> float:
    """The learned model's epoch choice: validation dedup Recall@50 + Recall@100."""
    return h["valid"]["dedup"]["recall@50"] + h["valid"]["dedup"]["recall@100"]
