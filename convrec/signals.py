"""Retrieval signals: each scores every catalog item for a query and explains its top items.

A signal is any object with ``name``, ``default_weight``, ``normalize`` ("max" or "minmax"),
``scores(query) -> np.ndarray | None`` (one raw score per catalog row; None = no evidence)
and ``explain(query, row) -> list[str]``. ``convrec.retrieval.Retriever`` normalises each
signal over the allowed items and mixes them with weights, so new signals (a learned context
encoder, a graph walk) plug in by being appended to the list.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import scipy.sparse as sp

from convrec.catalog import Catalog
from convrec.collab import CollabSignals
from convrec.moods import LESSER_KNOWN
from convrec.state import DialogueState


def norm_key(text: str) -> str:
    """Case- and punctuation-insensitive key: "Sci-Fi" and "sci fi" match."""
    return re.sub(r"[^a-z0-9]+", "", text.lower())


@dataclass
class Query:
    """Everything a signal needs about one request, computed once per ``retrieve`` call."""

    state: DialogueState
    text: str  # the semantic query: preferences rendered plus recent user turns
    seeds: np.ndarray  # catalog rows the user liked, mentioned or has seen (collaborative seeds)
    seed_weights: np.ndarray  # weight of each seed
    seed_kinds: dict[int, str]  # row -> "liked" / "mentioned" / "suggested" / "seen" / "fan" (for explanations)
    focus: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # rows of "more like X" (X)
    embed: Any = None  # callable text -> vector, set by the retriever (lazy: only if needed)
    cache: dict = field(default_factory=dict)  # signals share derived values here (query vector)

    def vector(self) -> np.ndarray:
        if "vector" not in self.cache:
            self.cache["vector"] = np.asarray(self.embed(self.text), dtype=np.float32)
        return self.cache["vector"]


class Signal(Protocol):
    name: str
    default_weight: float
    normalize: str  # "max": divide by the largest allowed score; "minmax": rescale to [0, 1]

    def scores(self, query: Query) -> np.ndarray | None: ...

    def explain(self, query: Query, row: int) -> list[str]: ...


def _label(catalog: Catalog, row: int) -> str:
    return catalog.items[row].label


@dataclass
class SemanticSignal:
    """Cosine similarity between the query text and each item's document."""

    vectors: np.ndarray  # (n, dim) L2-normalised item vectors in catalog order
    catalog: Catalog | None = None  # with ``plain``: a liked person's name in a title is no likeness
    plain: np.ndarray | None = None  # the same documents without their titles (``CatalogIndex.likeness_vectors``)
    name: str = "semantic"
    default_weight: float = 1.0
    normalize: str = "minmax"  # cosines sit in a narrow band; rescale to use the whole range
    _title_words: dict | None = field(default=None, repr=False)  # word -> rows whose title has it, made on first use

    def scores(self, query: Query) -> np.ndarray | None:
        if not query.text.strip() or query.embed is None:
            return None
        out = self.vectors @ query.vector()
        rows = self._named_in_title(query.state.preferences.liked_people)
        if len(rows):  # "movies with Emma Stone" had listed Romancing the Stone: such a film scores by its document
            out[rows] = np.minimum(out[rows], self.plain[rows] @ query.vector())  # without the title
        return out

    def _named_in_title(self, people: list[str]) -> np.ndarray:
        """Rows whose title holds a word of a liked person's name though that person is not in the film."""
        if not people or self.catalog is None or self.plain is None:
            return np.zeros(0, np.int64)
        if self._title_words is None:  # built whole, then set: chat turns in parallel threads never see half of it
            words: dict[str, list[int]] = {}
            for r, item in enumerate(self.catalog.items):
                for w in set(re.findall(r"[a-z]{3,}", item.title.lower())):
                    words.setdefault(w, []).append(r)
            self._title_words = words
        rows = set()
        for name in people:
            key = norm_key(name)
            for w in re.findall(r"[a-z]{3,}", name.lower()):
                rows.update(r for r in self._title_words.get(w, ())
                            if all(norm_key(x.name) != key for x in self.catalog.items[r].people))
        return np.array(sorted(rows), dtype=np.int64)

    def explain(self, query: Query, row: int) -> list[str]:
        return ["close to what you described"]


# tags that say who is in a film, not what it is like: no likeness between two films (with "female lead" in the
# overlap, demo openers P@10 had fallen 0.230 -> 0.229)
NOT_LIKENESS = frozenset({"female lead"})
SAY_SIMILAR = 0.5  # MiniLM cosine above which two films with no genre in common are called similar in a reason
SAY_SIMILAR_LIKENESS = 0.63  # the same between documents without titles: as rare a pair (1.6% of the demo's),
# though such documents are closer (median cosine 0.44 against 0.31)
MENTIONED_WITH = "often mentioned with "  # reason prefixes (retrieval drops one that says a film or genre again)
MENTIONED_ONCE = "mentioned once with "  # below OFTEN
OFTEN = 2  # training dialogues that name both films before a reason says "often mentioned with" (one had put
# "often mentioned with Heat (1995)" on Conception, a romantic comedy, in MovieLens's list after "something newer")
MATCHES_GENRE = "matches genre "
KIND_PHRASES = {"liked": "which you liked", "mentioned": "which you mentioned", "seen": "which you've seen",
                "fan": "which you've seen", "suggested": "which I suggested", "series": "from a series you named",
                "person": "with someone you asked for"}


@dataclass
class SimilarSignal:
    """Content similarity to the titles the user liked or mentioned (max over those seeds, weighted)."""

    vectors: np.ndarray  # (n, dim) L2-normalised item vectors
    catalog: Catalog
    name: str = "similar"
    default_weight: float = 0.5
    normalize: str = "minmax"
    say_similar: float = SAY_SIMILAR  # the cosine of ``vectors`` above which a reason may call two films similar
    tag_weight: float = 1.0  # Jaccard of tags and genres, added for a seed that has tags: in the demo catalog
    # "like Parasite" got It Follows and The Babadook from text alone, now The Handmaiden and Oldboy (their
    # tags: korean, twist ending...); ReDial items have no tags, so its figures cannot move
    _tags: Any = field(default=None, init=False, repr=False)

    def _tag_overlap(self, rows: np.ndarray) -> np.ndarray:
        """(n, len(rows)) Jaccard overlap of every item's tags and genres with each of ``rows``' (0 for an
        untagged seed)."""
        if self._tags is None:
            self._tags = incidence([[norm_key(w) for w in (*it.tags, *it.genres) if w not in NOT_LIKENESS]
                                     if it.tags else [] for it in self.catalog])
        m = self._tags.matrix
        inter = (m @ m[rows].T).toarray()
        sizes = np.asarray(m.sum(axis=1)).ravel()
        union = sizes[:, None] + sizes[rows][None, :] - inter
        return np.where(union > 0, inter / np.maximum(union, 1), 0.0).astype(np.float32)

    def _sims(self, query: Query) -> tuple[np.ndarray, np.ndarray]:
        """(n, seeds) weighted similarities, an item's similarity to itself removed. For "more like X"
        the seeds are X alone, and sharing X's genres counts as much as the text (MiniLM alone put
        Airplane! nearer E.T. than The Goonies)."""
        if query.focus.size:
            pos = query.focus
            return pos, self.vectors @ self.vectors[pos].T + self._genre_overlap(pos)
        keep = np.array([query.seed_kinds.get(int(s)) != "seen" for s in query.seeds], dtype=bool)
        pos = query.seeds[keep]
        sims = self.vectors @ self.vectors[pos].T
        if self.tag_weight and any(self.catalog.items[int(r)].tags for r in pos):
            sims = sims + self.tag_weight * self._tag_overlap(pos)
        sims = sims * query.seed_weights[keep]
        sims[pos, np.arange(pos.size)] = 0.0  # a seed is not "similar to itself"
        return pos, sims

    def _genre_overlap(self, rows: np.ndarray) -> np.ndarray:
        """(n, len(rows)) Jaccard overlap of every item's genres with each of ``rows``' genres."""
        sets = [set(self.catalog.items[int(r)].genres) for r in rows]
        return np.array([[len(g & s) / len(g | s) if g | s else 0.0 for s in sets]
                         for g in (set(i.genres) for i in self.catalog.items)], dtype=np.float32)

    def scores(self, query: Query) -> np.ndarray | None:
        if "similar" not in query.cache:
            query.cache["similar"] = self._sims(query) if query.seeds.size else (np.zeros(0, np.int64), None)
        pos, sims = query.cache["similar"]
        return sims.max(axis=1) if pos.size else None

    def explain(self, query: Query, row: int) -> list[str]:
        pos, sims = query.cache["similar"]
        best = int(pos[int(sims[row].argmax())])
        item, seed = self.catalog.items[row], self.catalog.items[best]
        if not set(item.genres) & set(seed.genres) and float(self.vectors[row] @ self.vectors[best]) < self.say_similar:
            return []  # it counted, but "Heat: similar to Ice Age which I suggested" would say something false
        if query.seed_kinds.get(row) == "person" == query.seed_kinds.get(best):
            return []  # two films of the person asked for: "stars Will Smith" says it (Men in Black had been
            # "similar to Independence Day with someone you asked for")
        if query.seed_kinds.get(best) == "person":  # "similar to Jackie Brown (1997), a film by Quentin Tarantino"
            liked = {norm_key(n) for n in query.state.preferences.liked_people}
            who = next((p for p in seed.people if norm_key(p.name) in liked), None)
            if who is not None:
                by = "by" if who.role == "director" else "with"
                return [f"similar to {_label(self.catalog, best)}, a film {by} {who.name}"]
        kind = KIND_PHRASES.get(query.seed_kinds.get(best, ""), "which you asked about")
        if query.seed_kinds.get(best) == "liked" and seed.id in query.state.preferences.not_seen:
            kind = "which you want to see"  # "I never saw Interstellar, I just heard it is good": not "you liked"
        return [f"similar to {_label(self.catalog, best)} {kind}"]


@dataclass
class ComentionSignal:
    """Items mentioned in the same training dialogues as the seeds."""

    collab: CollabSignals
    catalog: Catalog
    damping: float = 0.5  # divide by mentions ** damping so blockbusters do not win everything
    name: str = "comention"
    default_weight: float = 1.0
    normalize: str = "max"

    def scores(self, query: Query) -> np.ndarray | None:
        if query.seeds.size == 0 or self.collab.comention.nnz == 0:
            return None
        return self.collab.comention_scores(query.seeds, query.seed_weights, self.damping)

    def explain(self, query: Query, row: int) -> list[str]:
        if "comention_block" not in query.cache:
            query.cache["comention_block"] = self.collab.comention_block(query.seeds)
        counts = query.cache["comention_block"][:, row]
        if counts.size == 0 or counts.max() <= 0:
            return []
        said = MENTIONED_WITH if counts.max() >= OFTEN else MENTIONED_ONCE
        return [said + _label(self.catalog, int(query.seeds[int(counts.argmax())]))]


@dataclass
class GraphSignal:
    """Random walk with restart over the co-mention graph: reaches items two or more hops from the
    seeds, so rarely mentioned titles (few direct co-mentions) still get evidence."""

    collab: CollabSignals
    restart: float = 0.5  # probability of jumping back to the seeds at each step
    steps: int = 3  # walk length (3 hops covers what 2-hop co-mention misses)
    damping: float = 0.5  # divide by mentions ** damping so hubs do not win everything
    name: str = "graph"
    default_weight: float = 0.0
    normalize: str = "max"

    def __post_init__(self):
        self._walk = None  # column-stochastic transition matrix (x -> next step), made on first use

    def scores(self, query: Query) -> np.ndarray | None:
        if query.seeds.size == 0 or self.collab.comention.nnz == 0:
            return None
        if self._walk is None:
            c = self.collab.comention
            deg = np.asarray(c.sum(axis=1)).ravel()
            self._walk = (sp.diags(1.0 / np.maximum(deg, 1.0)) @ c).T.tocsr().astype(np.float32)
        start = np.zeros(self.collab.n_items, np.float32)
        start[query.seeds] = query.seed_weights / max(float(query.seed_weights.sum()), 1e-9)
        x = start
        for _ in range(self.steps):
            x = (1.0 - self.restart) * (self._walk @ x) + self.restart * start
        x = x - self.restart * start  # the seeds themselves are not evidence
        return np.maximum(x, 0) / np.maximum(self.collab.mentions, 1.0) ** self.damping

    def explain(self, query: Query, row: int) -> list[str]:
        return ["talked about in conversations like this one"]


@dataclass
class CoratingSignal:
    """MovieLens: liked by the users who liked the seeds."""

    collab: CollabSignals
    catalog: Catalog
    damping: float = 0.5
    name: str = "corating"
    default_weight: float = 0.3
    normalize: str = "max"

    def scores(self, query: Query) -> np.ndarray | None:
        if query.seeds.size == 0 or self.collab.liked.nnz == 0:
            return None
        return self.collab.corating_scores(query.seeds, query.seed_weights, self.damping)

    def explain(self, query: Query, row: int) -> list[str]:
        if "corating_block" not in query.cache:
            query.cache["corating_block"] = self.collab.corating_block(query.seeds)
        overlap = query.cache["corating_block"][:, row] * (query.seeds != row)  # not "liked with itself"
        if overlap.size == 0 or overlap.max() <= 0:
            return []
        return [f"liked by people who liked {_label(self.catalog, int(query.seeds[int(overlap.argmax())]))}"]


@dataclass
class PopularitySignal:
    """The prior: training-dialogue mentions and/or ``Item.popularity``."""

    collab: CollabSignals
    threshold: float = 0.6  # prior at or above this is worth saying "popular"
    name: str = "popularity"
    default_weight: float = 0.3
    normalize: str = "max"

    def scores(self, query: Query) -> np.ndarray | None:
        if not self.collab.popularity.any():
            return None
        if LESSER_KNOWN in query.state.preferences.moods:  # "an underrated gem": the middle of the prior, not its
            # top (the best-known films had come) nor its bottom (films nobody in the data knows)
            p = self.collab.popularity
            return np.clip(4.0 * p * (1.0 - p), 0.0, 1.0).astype(np.float32)
        return self.collab.popularity

    def explain(self, query: Query, row: int) -> list[str]:
        if LESSER_KNOWN in query.state.preferences.moods:
            return ["less well known"] if self.collab.popularity[row] < self.threshold else []
        return ["popular"] if self.collab.popularity[row] >= self.threshold else []


@dataclass
class Incidence:
    matrix: sp.csc_matrix  # (n_items, vocab) 1 where the item has the value; csc: fast column slices
    vocab: dict[str, int]


def incidence(rows: list[list[str]]) -> Incidence:
    vocab: dict[str, int] = {}
    r, c = [], []
    for i, keys in enumerate(rows):
        for k in set(filter(None, keys)):
            r.append(i)
            c.append(vocab.setdefault(k, len(vocab)))
    m = sp.csc_matrix((np.ones(len(r), np.float32), (r, c)), shape=(len(rows), max(len(vocab), 1)))
    return Incidence(m, vocab)


def default_signals(catalog: Catalog, collab: CollabSignals, vectors: np.ndarray | None,
                    comention_damping: float = 0.5, corating_damping: float = 0.5,
                    likeness: np.ndarray | None = None) -> list:
    """The built-in signals; semantic ones only when item vectors are available. ``likeness``: the vectors
    film to film likeness compares (the documents without titles), ``vectors`` when None."""
    from convrec.attribute_signal import AttributeSignal  # it imports this module

    out: list = []
    if vectors is not None:
        out += [SemanticSignal(vectors, catalog, likeness), SimilarSignal(vectors, catalog) if likeness is None else
                SimilarSignal(likeness, catalog, say_similar=SAY_SIMILAR_LIKENESS)]
    out += [ComentionSignal(collab, catalog, comention_damping), GraphSignal(collab),
            CoratingSignal(collab, catalog, corating_damping), AttributeSignal(catalog), PopularitySignal(collab)]
    return out
