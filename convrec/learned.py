"""The learned retrieval signal: a dialogue context -> a score for every catalog item.

A two-tower model trained on ReDial training dialogues (``convrec.train_retriever``):

* context tower: the MiniLM vector (frozen, or tuned) of the recent turns (newest first, titles rendered)
  through a linear layer, plus the mean of the "seed" items' vectors (every title mentioned so
  far, by either speaker; the same seeds the collaborative signals use);
* item tower: the item's MiniLM document vector through a linear layer plus a learned per-item
  embedding and bias (the collaborative part: what recommenders actually answered with);
* score = context . item + bias, trained with a softmax over the catalog on the dedup targets (titles
  already mentioned in the dialogue are hidden from it: the retriever never offers them again).

The item side stays on frozen MiniLM, so the catalog vectors are the index's own
(``CatalogIndex.vectors``) and items the model never saw (another catalog) still get the content
part. The context side may be a fine-tuned MiniLM (``convrec.encoder_tuning``, saved in
``encoder/`` beside the weights); without it, the index's own embeddings embed the context.
``LearnedSignal`` plugs into ``convrec.retrieval.Retriever`` like any signal:

    model = load_model(catalog, vectors)                      # shipped weights, or None
    retriever = Retriever(index, catalog, collab, cfg, embeddings, extra_signals=[LearnedSignal(model, catalog)])

Weights live in ``models/retriever/`` (``model.pt`` float16, ``card.json``, ``card.md``) and the
fusion weights fitted on a validation split in ``models/retriever/retrieval.json``.
"""
from __future__ import annotations

import json
import re
import warnings
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np

from convrec import config
from convrec.catalog import Catalog
from convrec.state import SYSTEM, USER, DialogueState

MODEL_DIR = config.REPO_ROOT / "models" / "retriever"  # shipped weights, card and fusion weights
WEIGHTS_FILE = "model.pt"
FUSION_FILE = "retrieval.json"  # a RetrievalConfig JSON (fitted weights)
_YEAR_RE = re.compile(r"\((\d{4})\)")


@dataclass
class ModelConfig:
    dim: int = 256  # width of the shared context/item space
    max_seeds: int = 20  # most recent mentioned titles fed to the context tower
    context_turns: int = 4  # latest turns rendered into the context text
    max_context_chars: int = 600  # the context text is cut here (MiniLM cost grows with length)
    dropout: float = 0.1  # on the text vector and the context vector while training

    @classmethod
    def from_dict(cls, d: dict) -> "ModelConfig":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})


# ---------------------------------------------------------------- context features

def context_text(state: DialogueState, cfg: ModelConfig) -> str:
    """The latest turns, newest first and speaker-tagged, cut at ``max_context_chars``."""
    turns = [t for t in state.turns if t.text.strip()][-cfg.context_turns:] if cfg.context_turns else []
    text = " | ".join(f"{t.speaker}: {' '.join(t.text.split())}" for t in reversed(turns))
    return text[: cfg.max_context_chars] or "USER: (start of the conversation)"


class LabelFinder:
    """Exact ``Title (Year)`` labels in text: how the harness and the app render a mention."""

    def __init__(self, catalog: Catalog):
        self.by_label = {it.label.lower(): it.id for it in catalog if it.year}

    def find(self, text: str) -> list[str]:
        out: list[str] = []
        low = text.lower()
        for m in _YEAR_RE.finditer(low):
            end = m.end()
            starts = [0] + [k + 1 for k in range(max(0, m.start() - 120), m.start()) if not low[k].isalnum()]
            for s in sorted(set(starts)):  # longest candidate first
                if s < m.start() - 120:
                    continue
                hit = self.by_label.get(low[s:end].strip())
                if hit is not None:
                    if hit not in out:
                        out.append(hit)
                    break
        return out


def seed_ids(state: DialogueState, catalog: Catalog, finder: LabelFinder | None = None) -> list[str]:
    """Every title mentioned so far, oldest first: SYSTEM ``Turn.items``, labels in USER turns and
    the tracked preferences (liked, seen, disliked, not seen: any mention is taste evidence)."""
    out: dict[str, None] = {}
    for t in state.turns:
        if t.speaker == SYSTEM:
            ids = list(t.items)
        elif finder is not None and t.speaker == USER:
            ids = finder.find(t.text)
        else:
            ids = []
        for i in ids:
            out.setdefault(i, None)
    p = state.preferences
    for i in [*p.liked, *p.seen, *p.not_seen, *p.disliked]:
        out.setdefault(i, None)
    return [i for i in out if i in catalog]


# ---------------------------------------------------------------- the model

def _torch():
    import torch  # heavy: imported only when a model is built or loaded

    return torch


def build_module(doc_vectors: np.ndarray, cfg: ModelConfig):
    """The two-tower ``torch.nn.Module`` over ``doc_vectors`` (n_items, h) in catalog order."""
    torch = _torch()
    nn = torch.nn

    class TwoTower(nn.Module):
        def __init__(self):
            super().__init__()
            n, h = doc_vectors.shape
            self.n = n
            # row n is padding: a zero document and a zero id embedding
            self.register_buffer("doc", torch.cat([torch.tensor(doc_vectors, dtype=torch.float32), torch.zeros(1, h)]))
            self.text = nn.Linear(h, cfg.dim)  # context text -> space
            self.seed = nn.Linear(h, cfg.dim, bias=False)  # a mentioned item's document -> context space
            self.seed_id = nn.Embedding(n + 1, cfg.dim, padding_idx=n)  # ... and its learned part
            self.item = nn.Linear(h, cfg.dim)  # item document -> space
            self.item_id = nn.Embedding(n, cfg.dim)  # learned per-item part (collaborative)
            self.bias = nn.Parameter(torch.zeros(n))  # learned prior (what recommenders mention)
            self.drop = nn.Dropout(cfg.dropout)
            for e in (self.seed_id, self.item_id):
                nn.init.normal_(e.weight, 0.0, 0.01)
            with torch.no_grad():
                self.seed_id.weight[n].zero_()

        def items(self):
            return self.item(self.doc[: self.n]) + self.item_id.weight

        def context(self, seeds, text):
            mask = (seeds != self.n).float().unsqueeze(-1)
            x = self.seed(self.doc[seeds]) + self.seed_id(seeds)
            pooled = (x * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            return self.drop(pooled + self.text(self.drop(text)))

        def forward(self, seeds, text):
            return self.context(seeds, text) @ self.items().T + self.bias

    return TwoTower()


def pad_seeds(rows: list[list[int]], n_items: int, max_seeds: int):
    """(B, max_seeds) long tensor of the most recent seed rows, padded with ``n_items``."""
    torch = _torch()
    out = torch.full((len(rows), max_seeds), n_items, dtype=torch.long)
    for b, r in enumerate(rows):
        r = r[-max_seeds:]
        if r:
            out[b, : len(r)] = torch.tensor(r, dtype=torch.long)
    return out


@dataclass
class LearnedModel:
    """A trained two-tower model bound to one catalog (rows = catalog order)."""

    module: Any  # the torch module (eval mode)
    cfg: ModelConfig
    catalog: Catalog
    card: dict  # the training card (data, split, figures)
    encoder: Any = None  # texts -> context vectors: the tuned MiniLM (convrec.encoder_tuning), or None for the
    # index's own embeddings (the frozen model was trained on those)
    known_share: float = 1.0  # share of the catalog's items the model was trained on (their id embeddings)

    def __post_init__(self):
        self.row = {i: n for n, i in enumerate(self.catalog.ids())}
        self.finder = LabelFinder(self.catalog)
        torch = _torch()
        with torch.no_grad():
            self._items = self.module.items().detach().float().numpy()  # item tower, computed once
            self._bias = self.module.bias.detach().float().numpy()

    def score(self, seed_rows: list[list[int]], text_vectors: np.ndarray) -> np.ndarray:
        """(B, n_items) scores for a batch of contexts (seed rows + context text vectors)."""
        torch = _torch()
        with torch.no_grad():
            q = self.module.context(pad_seeds(seed_rows, self.module.n, self.cfg.max_seeds),
                                    torch.tensor(np.asarray(text_vectors), dtype=torch.float32))
        return q.numpy() @ self._items.T + self._bias

    def seed_rows(self, state: DialogueState) -> list[int]:
        return [self.row[i] for i in seed_ids(state, self.catalog, self.finder)]


def save_model(module, cfg: ModelConfig, catalog: Catalog, out_dir: Path, card: dict) -> Path:
    """Trainable weights in float16 (the document buffer is not saved: it comes from the index)."""
    torch = _torch()
    out_dir.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().to(torch.float16) for k, v in module.state_dict().items() if k != "doc"}
    tmp = out_dir / (WEIGHTS_FILE + ".tmp")
    torch.save({"state": state, "item_ids": catalog.ids(), "config": asdict(cfg)}, tmp)
    tmp.replace(out_dir / WEIGHTS_FILE)
    (out_dir / "card.json").write_text(json.dumps(card, indent=1))
    return out_dir / WEIGHTS_FILE


def load_model(catalog: Catalog, doc_vectors: np.ndarray, model_dir: str | Path | None = None) -> LearnedModel | None:
    """The trained model mapped onto ``catalog``; None when no weights exist.

    Per-item parts are matched by id, so another catalog keeps the content towers and gets
    zero id embeddings for items the model never saw.
    """
    torch = _torch()
    path = Path(model_dir or MODEL_DIR) / WEIGHTS_FILE
    if not path.exists():
        return None
    try:
        blob = torch.load(path, map_location="cpu", weights_only=True)
        cfg = ModelConfig.from_dict(blob["config"])
        state = {k: v.float() for k, v in blob["state"].items()}
        trained_ids = blob["item_ids"]
    except Exception as e:  # noqa: BLE001 - a damaged file must say which file
        raise ValueError(f"{path}: cannot read the learned retriever ({e})") from None
    if doc_vectors.shape[1] != state["item.weight"].shape[1]:
        raise ValueError(f"{path}: trained on {state['item.weight'].shape[1]}-d vectors, the index has {doc_vectors.shape[1]}")
    module = build_module(doc_vectors, cfg)
    old = {i: n for n, i in enumerate(trained_ids)}
    take = [old.get(i) for i in catalog.ids()]
    rows = [n for n, t in enumerate(take) if t is not None]
    src = [t for t in take if t is not None]
    n = len(catalog)
    remap = {"item_id.weight": (n, state["item_id.weight"]), "seed_id.weight": (n + 1, state["seed_id.weight"]),
             "bias": (n, state["bias"])}
    for key, (size, old_w) in remap.items():
        new = torch.zeros((size, *old_w.shape[1:]))
        if rows:
            new[rows] = old_w[src]
        state[key] = new
    state["doc"] = module.doc
    module.load_state_dict(state)
    module.eval()
    card_path = path.parent / "card.json"
    card = json.loads(card_path.read_text()) if card_path.exists() else {}
    from convrec.encoder_tuning import find_encoder

    encoder = find_encoder(path.parent)
    if encoder is None and card.get("encoder_tuning", {}).get("kept"):  # index vectors would not fit it
        raise ValueError(f"{path}: trained with a tuned context encoder, but {path.parent / 'encoder'} is missing")
    return LearnedModel(module, cfg, catalog, card, encoder, known_share=len(rows) / max(n, 1))


# ---------------------------------------------------------------- the retrieval signal

@dataclass
class LearnedSignal:
    """``convrec.signals`` interface: scores every catalog row for a ``Query``."""

    model: LearnedModel
    name: str = "learned"
    default_weight: float = 1.0
    normalize: str = "minmax"  # logits: rescale the allowed range to [0, 1]

    def scores(self, query) -> np.ndarray | None:
        if "learned_vec" not in query.cache:
            text = context_text(query.state, self.model.cfg)
            if self.model.encoder is not None:
                query.cache["learned_vec"] = self.model.encoder([text])[0]
            elif query.embed is not None:
                query.cache["learned_vec"] = np.asarray(query.embed(text), dtype=np.float32)
            else:
                return None
        return self.model.score([self.model.seed_rows(query.state)], query.cache["learned_vec"][None])[0]

    def explain(self, query, row: int) -> list[str]:
        return ["often suggested in conversations like this one"]


def fused_config(model_dir: str | Path | None = None):
    """The shipped ``RetrievalConfig`` with fitted fusion weights, or None."""
    from convrec.retrieval import RetrievalConfig

    path = Path(model_dir or MODEL_DIR) / FUSION_FILE
    return RetrievalConfig.from_file(path) if path.exists() else None


def signals_for(catalog: Catalog, vectors: np.ndarray | None, model_dir: str | Path | None = None) -> list:
    """``[LearnedSignal]`` when weights exist and the index vectors fit them, else ``[]`` (with a
    warning when weights exist but cannot be used)."""
    if vectors is None:
        return []
    try:
        model = load_model(catalog, vectors, model_dir)
    except ValueError as e:  # other embeddings (tests, another encoder) or a damaged file: run without it
        warnings.warn(f"learned retriever disabled: {e}", stacklevel=2)
        return []
    return [LearnedSignal(model)] if model is not None else []
