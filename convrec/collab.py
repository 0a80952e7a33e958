"""Collaborative signals over a catalog, from TRAINING data only.

* co-mentions: items mentioned in the same ReDial training dialogue (``redial/train_data.jsonl``
  when present, else the partial ``redial/train_subset.jsonl``; never ``test_data.jsonl``);
* mention counts in those dialogues: the popularity prior for the ReDial catalog
  (``nbMentions`` in movies_with_mentions.csv counts test dialogues, so it is never used);
* MovieLens co-ratings: a users x items "liked" matrix (rating >= 4) mapped onto catalog ids
  through IMDb ids, scored at query time as "liked by people who liked X".

Everything is a scipy sparse matrix or numpy vector aligned to catalog order. Without a data
directory (the demo catalog) the prior is ``Item.popularity`` and the collaborative parts are empty.

    signals = build_signals(catalog, data_dir)          # cached under CONVREC_HOME/collab/
    signals.comention_scores([3, 17], [1.0, 1.0])      # (n_items,) co-mention evidence
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np
import scipy.sparse as sp

from convrec import config
from convrec.catalog import Catalog, split_title

TRAIN_FILES = ("train_data.jsonl", "train_subset.jsonl")  # first one present wins
TEST_FILE = "test_data.jsonl"  # never read here: evaluation only
MIN_RATING = 4.0  # a MovieLens rating at or above this counts as "liked"
MENTION_RE = re.compile(r"@(\d+)")  # ReDial writes a movie mention as @<movieId>
CACHE_VERSION = 1  # bump when the cached layout changes


# ---------------------------------------------------------------- training dialogues

def training_dialogues_path(data_dir: str | Path | None) -> Path | None:
    """``redial/train_data.jsonl`` if present, else ``redial/train_subset.jsonl``, else None."""
    if data_dir is None:
        return None
    for name in TRAIN_FILES:
        path = Path(data_dir) / "redial" / name
        if path.exists():
            return path
    return None


def read_dialogues(path: str | Path) -> list[dict]:
    """ReDial dialogues from a JSONL file (one conversation a line)."""
    path = Path(path)
    out = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if line.strip():
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise ValueError(f"{path}:{n}: not valid JSON ({e.msg})") from None
    return out


def dialogue_mentions(dialogue: dict) -> list[str]:
    """ReDial movie ids mentioned in a dialogue, in order of first mention."""
    seen: dict[str, None] = {}
    for msg in dialogue.get("messages", []):
        for mid in MENTION_RE.findall(msg.get("text", "")):
            seen.setdefault(mid, None)
    for mid in dialogue.get("movieMentions") or {}:
        seen.setdefault(str(mid), None)
    return list(seen)


def split_train_valid(dialogues: list[dict], valid_fraction: float = 0.15) -> tuple[list[dict], list[dict]]:
    """Deterministic split of training dialogues by a hash of conversationId (for fitting weights)."""
    train, valid = [], []
    for d in dialogues:
        h = int(hashlib.sha1(str(d.get("conversationId")).encode()).hexdigest(), 16) % 10_000
        (valid if h < valid_fraction * 10_000 else train).append(d)
    return train, valid


# ---------------------------------------------------------------- id mapping

def _title_key(raw: str) -> str:
    title, year = split_title(raw)
    return f"{re.sub(r'[^a-z0-9]+', ' ', title.lower()).strip()}|{year or ''}"


@dataclass
class IdMapper:
    """Maps external ids (ReDial movieId, MovieLens movieId) onto catalog row indices."""

    catalog: Catalog
    data_dir: Path | None = None
    opened: list[str] = field(default_factory=list)  # every file read, for provenance

    def __post_init__(self):
        self.imdb = {it.source_ids["imdb"]: n for n, it in enumerate(self.catalog) if it.source_ids.get("imdb")}
        self.titles = {_title_key(it.label): n for n, it in enumerate(self.catalog)}
        self.redial = {it.source_ids["redial"]: n for n, it in enumerate(self.catalog) if it.source_ids.get("redial")}
        self.movielens = {it.source_ids["movielens"]: n for n, it in enumerate(self.catalog)
                          if it.source_ids.get("movielens")}
        self._redial_imdb: dict[str, str] | None = None

    def _redial_to_imdb(self) -> dict[str, str]:
        if self._redial_imdb is None:
            self._redial_imdb = {}
            path = self.data_dir / "overviews" / "redial_id2info.json" if self.data_dir else None
            if path is not None and path.exists() and self.imdb:
                self.opened.append(str(path))
                info = json.loads(path.read_text(encoding="utf-8"))
                self._redial_imdb = {k: v["imdb_id"] for k, v in info.items() if v.get("imdb_id")}
        return self._redial_imdb

    def from_redial(self, movie_id: str, name: str | None = None) -> int | None:
        """Catalog row of a ReDial movie: by ReDial id, else IMDb id, else title and year."""
        if movie_id in self.redial:
            return self.redial[movie_id]
        imdb = self._redial_to_imdb().get(movie_id)
        if imdb in self.imdb:
            return self.imdb[imdb]
        return self.titles.get(_title_key(name)) if name else None

    def movielens_table(self, links_csv: Path | None) -> dict[str, int]:
        """MovieLens movieId -> catalog row, via ``source_ids['movielens']`` or links.csv IMDb ids."""
        table = dict(self.movielens)
        if links_csv is not None and links_csv.exists() and self.imdb:
            self.opened.append(str(links_csv))
            with links_csv.open(newline="", encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    n = self.imdb.get("tt" + (row.get("imdbId") or "").zfill(7))
                    if n is not None:
                        table.setdefault(row["movieId"], n)
        return table


# ---------------------------------------------------------------- the signals

def _log_norm(x: np.ndarray) -> np.ndarray:
    y = np.log1p(np.maximum(x, 0)).astype(np.float32)
    return y / y.max() if y.max() > 0 else y


@dataclass
class CollabSignals:
    """Sparse collaborative evidence aligned to a catalog's item order."""

    comention: sp.csr_matrix  # (n, n) dialogues in which both items are mentioned; zero diagonal
    mentions: np.ndarray  # (n,) training dialogues mentioning the item
    liked: sp.csr_matrix  # (users, n) 1 where a MovieLens user rated the item >= MIN_RATING
    popularity: np.ndarray  # (n,) prior in [0, 1]: log mentions and/or log Item.popularity
    sources: list[str] = field(default_factory=list)  # files read to build these

    @property
    def n_items(self) -> int:
        return self.popularity.shape[0]

    def comention_scores(self, seeds: Iterable[int], weights: Iterable[float], damping: float = 0.5) -> np.ndarray:
        """Sum of co-mention counts with the seeds, divided by ``mentions ** damping`` (popular items less)."""
        seeds, w = np.asarray(list(seeds), dtype=np.int64), np.asarray(list(weights), dtype=np.float32)
        if seeds.size == 0 or self.comention.nnz == 0:
            return np.zeros(self.n_items, np.float32)
        raw = np.asarray(self.comention[seeds].T @ w).ravel()
        return raw / np.maximum(self.mentions, 1.0) ** damping

    def corating_scores(self, seeds: Iterable[int], weights: Iterable[float], damping: float = 0.5) -> np.ndarray:
        """Users who liked the seeds, counted on each item, divided by ``item likes ** damping``."""
        seeds, w = np.asarray(list(seeds), dtype=np.int64), np.asarray(list(weights), dtype=np.float32)
        if seeds.size == 0 or self.liked.nnz == 0:
            return np.zeros(self.n_items, np.float32)
        per_user = self.liked_by_item[seeds].T @ w  # how much each user liked the seeds
        raw = np.asarray(self.liked_by_item @ per_user).ravel()
        raw -= np.bincount(seeds, weights=w * self.item_likes[seeds], minlength=self.n_items)  # not itself
        return np.maximum(raw, 0) / np.maximum(self.item_likes, 1.0) ** damping

    @property
    def liked_by_item(self) -> sp.csr_matrix:
        """(n, users): the likes matrix item-major, so selecting seed rows is cheap."""
        if not hasattr(self, "_liked_by_item"):
            self._liked_by_item = self.liked.T.tocsr()
        return self._liked_by_item

    @property
    def item_likes(self) -> np.ndarray:
        if not hasattr(self, "_item_likes"):
            self._item_likes = np.asarray(self.liked.sum(axis=0)).ravel().astype(np.float32)
        return self._item_likes

    def comention_block(self, seeds: np.ndarray) -> np.ndarray:
        """(seeds, n) dense co-mention counts: explains many candidates with one lookup each."""
        return self.comention[seeds].toarray()

    def corating_block(self, seeds: np.ndarray) -> np.ndarray:
        """(seeds, n) dense counts of users who liked both the seed and the item."""
        return (self.liked_by_item[seeds] @ self.liked).toarray()

    def save(self, path: Path) -> None:
        """Write an ``.npz`` atomically (temp file, then rename)."""
        tmp = path.with_name(path.name + ".tmp")
        with tmp.open("wb") as f:
            self._savez(f)
        tmp.replace(path)

    def _savez(self, f) -> None:
        np.savez_compressed(
            f, version=CACHE_VERSION, mentions=self.mentions, popularity=self.popularity,
            sources=np.array(json.dumps(self.sources)),
            **{f"{name}_{part}": getattr(getattr(self, name), part) for name in ("comention", "liked")
               for part in ("data", "indices", "indptr")},
            comention_shape=self.comention.shape, liked_shape=self.liked.shape)

    @classmethod
    def load(cls, path: Path) -> "CollabSignals":
        z = np.load(path)
        if int(z["version"]) != CACHE_VERSION:
            raise ValueError("stale cache")
        mats = {name: sp.csr_matrix((z[f"{name}_data"], z[f"{name}_indices"], z[f"{name}_indptr"]),
                                    shape=tuple(z[f"{name}_shape"])) for name in ("comention", "liked")}
        return cls(mats["comention"], z["mentions"], mats["liked"], z["popularity"], json.loads(str(z["sources"])))


def comention_matrix(dialogues: Iterable[dict], mapper: IdMapper) -> tuple[sp.csr_matrix, np.ndarray]:
    """Co-mention counts (zero diagonal) and per-item mention counts over the given dialogues."""
    n = len(mapper.catalog)
    rows, cols = [], []
    for d_i, d in enumerate(dialogues):
        names = d.get("movieMentions") or {}
        idx = {mapper.from_redial(mid, names.get(mid) if isinstance(names, dict) else None)
               for mid in dialogue_mentions(d)}
        idx.discard(None)
        rows += [d_i] * len(idx)
        cols += sorted(idx)
    incidence = sp.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(max(rows) + 1 if rows else 1, n))
    co = (incidence.T @ incidence).tocsr()
    mentions = co.diagonal().astype(np.float32)
    co.setdiag(0)
    co.eliminate_zeros()
    return co.astype(np.float32), mentions


def liked_matrix(ratings_csv: Path, table: dict[str, int], n_items: int, min_rating: float = MIN_RATING) -> sp.csr_matrix:
    """MovieLens users x catalog items, 1 where the user rated the item >= ``min_rating``."""
    users: dict[str, int] = {}
    rows, cols = [], []
    with ratings_csv.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            col = table.get(row["movieId"])
            if col is not None and float(row["rating"]) >= min_rating:
                rows.append(users.setdefault(row["userId"], len(users)))
                cols.append(col)
    m = sp.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(max(len(users), 1), n_items))
    m.data[:] = 1.0  # a user liking two catalog rows mapped from one film counts once
    return m


def _fingerprint(paths: list[Path]) -> list:
    return [[str(p), p.stat().st_size, p.stat().st_mtime_ns] for p in paths if p.exists()]


def build_signals(catalog: Catalog, data_dir: str | Path | None = None, dialogues: list[dict] | None = None,
                  min_rating: float = MIN_RATING, use_cache: bool = True) -> CollabSignals:
    """Co-mentions, mention counts, MovieLens likes and the popularity prior for ``catalog``.

    ``dialogues`` overrides the training file (e.g. the train part of a train/validation split).
    """
    data_dir = Path(data_dir) if data_dir else None
    train_path = training_dialogues_path(data_dir)
    ml_root = data_dir / "movielens" / "ml-latest-small" if data_dir else None
    ratings = ml_root / "ratings.csv" if ml_root and (ml_root / "ratings.csv").exists() else None
    key_src = json.dumps([CACHE_VERSION, catalog.content_hash(), min_rating,
                          _fingerprint([p for p in (train_path, ratings) if p]),
                          sorted(str(d.get("conversationId")) for d in dialogues) if dialogues is not None else None])
    cache = config.sub("collab") / f"{re.sub(r'[^A-Za-z0-9_-]+', '_', catalog.name)}-{hashlib.sha1(key_src.encode()).hexdigest()[:16]}.npz"
    if use_cache and cache.exists():
        try:
            return CollabSignals.load(cache)
        except (ValueError, KeyError, OSError):
            pass  # stale or damaged cache: rebuild below

    mapper = IdMapper(catalog, data_dir)
    sources: list[str] = []
    if dialogues is None and train_path is not None:
        assert train_path.name != TEST_FILE  # the test split never feeds a signal
        dialogues = read_dialogues(train_path)
        sources.append(str(train_path))
    co, mentions = comention_matrix(dialogues or [], mapper)
    liked = sp.csr_matrix((1, len(catalog)), dtype=np.float32)
    if ratings is not None:
        table = mapper.movielens_table(ml_root / "links.csv")
        if table:
            liked = liked_matrix(ratings, table, len(catalog), min_rating)
            sources.append(str(ratings))
    item_pop = np.array([it.popularity for it in catalog], dtype=np.float32)
    parts = [_log_norm(x) for x in (mentions, item_pop) if x.sum() > 0]
    popularity = np.mean(parts, axis=0).astype(np.float32) if parts else np.zeros(len(catalog), np.float32)
    signals = CollabSignals(co, mentions, liked, popularity, sources + mapper.opened)
    if use_cache:
        signals.save(cache)
    return signals
