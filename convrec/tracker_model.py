"""The learned part of the preference tracker: a small linear model over hashed n-grams.

The rules (``convrec.polarity``, ``convrec.preferences``) read every user turn first. For each
title the turn touches (a mention, a pronoun, or one of the titles the system just showed)
this model then reads the rules' verdict, the user's words around the title, the system's last
message and what the tracker already believed about that title, and predicts the two labels
ReDial's seekers gave at the end of the dialogue:

    liked: 0 disliked / 1 liked / 2 did not say        seen: 0 not seen / 1 seen / 2 did not say

Its prediction replaces the rules' verdict for that title (2 clears it). It is multinomial
logistic regression on ``N_BUCKETS`` hashed features (CRC32, stable across runs), two softmax
heads, trained on ReDial *training* dialogues only by ``python -m convrec.train tracker``
(``convrec.train_tracker``). Inference is numpy only; the weights load on first use, and with
no weights file the tracker is the rules alone.

    model = load()                      # models/tracker/model.npz, or None
    prefs = preferences.update(prefs, turn, catalog, shown=ids, prompt=text, model=model)
"""
from __future__ import annotations

import functools
import json
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from convrec import config

MODEL_DIR = config.REPO_ROOT / "models" / "tracker"  # shipped weights and card
WEIGHTS_FILE = "model.npz"
N_BUCKETS = 1 << 17  # hashed feature space: 131,072 rows x 6 outputs (float16 on disk, ~1.5 MB)
WINDOW = 4  # words either side of the title kept as positional features
LIKED, SEEN = slice(0, 3), slice(3, 6)  # output columns: liked 0/1/2, seen 0/1/2
_WORD_RE = re.compile(r"tgt|oth|[a-z0-9']+|[?!]")


@dataclass
class Candidate:
    """One title a user turn touches, with what the rules made of it."""

    item_id: str
    role: str  # "mention" (named in the turn), "ref" ("the second one"), "pronoun" ("loved it"), "shown" (only shown)
    turn: str  # the turn, lower case, this title as " tgt ", other titles as " oth "
    clause: str  # the clause the rules read for it ("" when only shown)
    prompt: str  # the system's last message, lower case, same masking
    rule: tuple  # (liked, seen, hedge, question) from the rules; (None, None, False, False) when they said nothing
    n_mentions: int  # titles named in the turn
    n_shown: int  # titles the system showed last
    shown_rank: int  # position in what was shown (-1 when not shown)


def _tri(value) -> str:
    return "n" if value is None else ("t" if value else "f")


def base_features(c: Candidate) -> list[str]:
    """Everything but the prior state: role, the rules' verdict, words of turn, clause and prompt, the window."""
    rl, rs, hedge, question = c.rule
    rule = f"{_tri(rl)}{_tri(rs)}{'h' if hedge else ''}{'q' if question else ''}"
    feats = [f"role:{c.role}", f"rule:{rule}", f"rule:{rule}|{c.role}", f"rl:{_tri(rl)}", f"rs:{_tri(rs)}",
             f"nm:{min(c.n_mentions, 3)}|{c.role}", f"ns:{min(c.n_shown, 4)}", f"sr:{min(c.shown_rank, 3)}"]
    words = _WORD_RE.findall(c.turn)
    feats += [f"w:{w}" for w in words]  # unigrams only: bigrams memorise dialogues (validation macro-F1 fell)
    if "tgt" in words:
        k = words.index("tgt")
        feats += [f"l{d}:{words[k - d]}" for d in range(1, WINDOW + 1) if k - d >= 0]
        feats += [f"r{d}:{words[k + d]}" for d in range(1, WINDOW + 1) if k + d < len(words)]
        feats += ["pos:first" if k == 0 else "pos:mid", f"len:{min(len(words) // 5, 6)}"]
    else:
        feats.append(f"len:{min(len(words) // 5, 6)}|{c.role}")
    cw = _WORD_RE.findall(c.clause)
    feats += [f"c:{w}" for w in cw]
    pw = _WORD_RE.findall(c.prompt)
    feats += [f"p:{w}" for w in pw]
    feats.append(f"ptgt:{'tgt' in pw}|{c.role}")
    return feats


def prior_features(role: str, liked: int, seen: int) -> list[str]:
    """What the tracker believed before this turn (labels as above: 0 / 1 / 2)."""
    return [f"pl:{liked}", f"ps:{seen}", f"pls:{liked}{seen}", f"pl:{liked}|{role}", f"ps:{seen}|{role}"]


def hash_features(feats: list[str]) -> np.ndarray:
    return np.fromiter((zlib.crc32(f.encode()) & (N_BUCKETS - 1) for f in feats), dtype=np.int64, count=len(feats))


class TrackerModel:
    """Weights ``(N_BUCKETS, 6)``, bias and per-class offsets (fitted on validation for macro-F1)."""

    def __init__(self, weights: np.ndarray, bias: np.ndarray, offsets: np.ndarray | None = None, meta: dict | None = None):
        self.weights = weights.astype(np.float32)
        self.bias = bias.astype(np.float32)
        self.offsets = np.zeros(6, np.float32) if offsets is None else offsets.astype(np.float32)
        self.meta = meta or {}

    def scores(self, feats: list[str]) -> np.ndarray:
        return self.weights[hash_features(feats)].sum(0) + self.bias + self.offsets

    def decide(self, c: Candidate, liked_before: int, seen_before: int) -> tuple[int, int]:
        """(liked, seen) labels for this title after this turn."""
        s = self.scores(base_features(c) + prior_features(c.role, liked_before, seen_before))
        return int(np.argmax(s[LIKED])), int(np.argmax(s[SEEN]))

    def save(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / WEIGHTS_FILE
        np.savez_compressed(path, weights=self.weights.astype(np.float16), bias=self.bias, offsets=self.offsets,
                            meta=np.array(json.dumps(self.meta)))
        return path

    @classmethod
    def from_file(cls, path: Path) -> "TrackerModel":
        with np.load(path) as z:
            return cls(z["weights"], z["bias"], z["offsets"], json.loads(str(z["meta"])))


@functools.lru_cache(maxsize=4)
def load(directory: str | None = None) -> TrackerModel | None:
    """The shipped model (``models/tracker/model.npz``), or None when there is none: rules only."""
    path = Path(directory or MODEL_DIR) / WEIGHTS_FILE
    return TrackerModel.from_file(path) if path.exists() else None
