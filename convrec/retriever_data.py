"""Training data for the learned retriever (``convrec.train_retriever``): ReDial TRAINING dialogues only.

* ``test_ids`` / ``assert_disjoint``: the test split is read for its conversation ids only, to refuse
  training on any of them;
* ``split_latest``: train / validation by time (the latest conversationIds validate);
* ``make_samples``: one ``TurnSample`` per recommender turn (or seeker turn), with the evaluation protocol's own states;
* ``seeker_samples``: the seeker turns' samples (extra targets for the learned model);
* ``embed_texts``: context vectors from the frozen encoder, cached under ``CONVREC_HOME/learned/``.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from convrec import config
from convrec.learned import LabelFinder, ModelConfig, context_text, seed_ids
from convrec.state import SYSTEM


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
                 progress: bool = False, speaker: str = SYSTEM) -> list[TurnSample]:
    """Turn samples with the evaluation protocol's states (``protocols.iter_states``); ``speaker=USER``:
    the titles seekers name next, extra targets for the learned model (``TrainConfig.seeker_targets``)."""
    from tqdm import tqdm

    from convrec import protocols

    finder = LabelFinder(catalog)
    row = {i: n for n, i in enumerate(catalog.ids())}
    out = []
    for d in tqdm(dialogues, desc="samples", unit="dlg", disable=not progress):
        parsed = protocols.parse_dialogue(d, catalog)
        for rt, state in protocols.iter_states(parsed, catalog, speaker=speaker):
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


def seeker_samples(train_d: list[dict], valid_d: list[dict], catalog, embeddings, cfg: ModelConfig, on: bool = True,
                   progress: bool = False) -> list[tuple[list[TurnSample], np.ndarray]]:
    """(samples, vectors) of the seeker turns of the train part and of the validation part (the latter
    only for the final refit on every dialogue); empty when ``on`` is False."""
    from convrec.state import USER

    out = []
    for dialogues in (train_d, valid_d):
        samples = make_samples(dialogues, catalog, cfg, progress=progress, speaker=USER) if on else []
        out.append((samples, embed_texts([s.text for s in samples], embeddings, progress=progress)
                    if samples else np.zeros((0, 0), np.float32)))
    return out
