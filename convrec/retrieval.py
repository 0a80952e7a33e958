"""Retrieval: from a dialogue state to ranked, explained ``Candidate``s over the whole catalog.

Every signal (``convrec.signals``: semantic similarity to what the user asked for, similarity
to liked titles, co-mentions in training dialogues, MovieLens co-ratings, genre/people/mood
matches, popularity) scores every item; each is normalised over the allowed items and mixed
with weights. Hard filters come first: seen, disliked (and by default liked) ids are never
returned, the year range and disliked genres/people are honoured.

    retriever = Retriever(index, catalog, collab_signals, RetrievalConfig(), embeddings)
    for c in retriever.retrieve(state, k=10):
        print(catalog[c.item_id].label, c.score, c.reasons)

Weights come from ``RetrievalConfig.weights``; ``load_config()`` reads fitted weights from a
JSON file when one exists (``CONVREC_RETRIEVAL_CONFIG`` or ``CONVREC_HOME/retrieval.json``).
An optional ``convrec.rerank.Reranker`` reorders the fused top candidates (``reranker=``).
"""
from __future__ import annotations

import contextlib
import re
from typing import Any, Sequence

import numpy as np

from convrec import arrange, attributes, keywords, series, wants
from convrec.catalog import Catalog
from convrec.collab import CollabSignals
from convrec.filters import Filters
from convrec.retrieval_config import DEFAULT_WEIGHTS, Candidate, RetrievalConfig, load_config  # noqa: F401 (re-exported)
from convrec.signals import MATCHES_GENRE, MENTIONED_ONCE, MENTIONED_WITH, Query, default_signals, norm_key
from convrec.state import SYSTEM, USER, DialogueState
from convrec.query_text import (content_free, without_audience, without_disliked, without_names,  # noqa: F401
                                 without_negated, without_runtime)
from convrec.years import avoided_decade

PERSONAL_SIGNALS = ("attribute", "similar")  # signals whose reasons quote the user's preferences
YEARS_REASON = "within the years you asked for"


class Retriever:
    """Mixes signals over the catalog for a dialogue state; see the module docstring."""

    def __init__(self, index: Any, catalog: Catalog, signals: CollabSignals, config: RetrievalConfig | None = None,
                 embeddings: Any = None, extra_signals: Sequence[Any] = (), reranker: Any = None,
                 likeness: np.ndarray | None = None):
        self.catalog = catalog
        self.reranker = reranker  # convrec.rerank.Reranker over the fused top candidates, or None (fused order)
        self.collab = signals
        self.config = config or RetrievalConfig()
        self.embeddings = embeddings
        vectors = index if isinstance(index, np.ndarray) or index is None else index.vectors(catalog)
        self.vectors = vectors
        if likeness is None and self.config.title_free_likeness and hasattr(index, "likeness_vectors"):
            likeness = index.likeness_vectors(catalog)  # ``likeness``: given with bare vectors (training)
        elif not self.config.title_free_likeness:
            likeness = None
        self.signals = default_signals(catalog, signals, vectors, self.config.comention_damping,
                                       self.config.corating_damping, likeness) + list(extra_signals)
        self.filters = Filters(catalog, self.config)
        self.row = self.filters.row
        self._blas = None  # threadpoolctl controller, made on first use
        self._by_name = {s.name: s for s in self.signals}

    # ------------------------------------------------------------ filters (``convrec.filters``)

    def allowed(self, state: DialogueState) -> np.ndarray:
        """Boolean mask over the catalog: False for excluded ids and items breaking hard constraints."""
        return self.filters.allowed(state)

    def mentioned(self, state: DialogueState) -> set[str]:
        return self.filters.mentioned(state)

    def user_mentioned(self, state: DialogueState) -> set[str]:
        return self.filters.user_mentioned(state)

    # ------------------------------------------------------------ query

    def query_text(self, state: DialogueState) -> str:
        """Preferences rendered as text, then the latest USER turns (newest first, so cutting drops the oldest)."""
        p = state.preferences
        label = (lambda i: self.catalog[i].label) if self.config.query_years else (lambda i: self.catalog[i].title)
        parts = []
        # "not silly" is no text to match: its embedding is close to "silly" (it put Dumb and Dumber first)
        avoided = {attributes.AVOIDED_MOOD_PREFIX + m for m in attributes.avoided_moods(p.constraints)}
        ruled_out = {norm_key(t) for m in attributes.avoided_moods(p.constraints) for t in attributes.mood_tags(m)}
        ruled_out |= {norm_key(t) for t in p.disliked_keywords}
        if keywords.FOREIGN in p.disliked_keywords:  # "more like that but in english" after Parasite: nor its
            ruled_out |= {norm_key(t) for t in keywords.LANGUAGES}  # language (Mulan had come, by "korean")
        if p.liked:  # a tagged film brings its tags: "Liked: Parasite (2019)" alone read as a creature film
            parts.append("Liked: " + ", ".join(label(i) + _tags(self.catalog[i], self.config.query_tags, ruled_out)
                                               for i in p.liked if i in self.catalog))
        if p.liked_genres:
            parts.append("Genres: " + ", ".join(p.liked_genres))
        if p.liked_people:
            parts.append("With: " + ", ".join(p.liked_people))
        kept = [without_audience(c) for c in p.constraints if c not in avoided and avoided_decade(c) is None]
        parts += p.moods + kept + p.series + p.liked_keywords  # ("not from the 1980s" is a filter, no text)
        users = [t for t in state.turns if t.speaker == USER and t.text.strip()]
        recent = list(reversed(users[-self.config.recent_user_turns:])) if self.config.recent_user_turns else []
        parts += [without_audience(without_negated(without_names(without_disliked(
            wants.without_count(t.text), t.items, p.disliked, self.catalog), t.unknown), self.catalog)) for t in recent]
        text = without_runtime(". ".join(x.strip() for x in parts if x.strip()))[: self.config.max_query_chars]
        return "" if content_free(text) else text

    def seeds(self, state: DialogueState, focus=frozenset()) -> tuple[np.ndarray, np.ndarray, dict[int, str]]:
        """Rows with collaborative evidence, their weights and kinds (not disliked); ``focus``: rows of "more like X"."""
        c, p = self.config, state.preferences
        weight: dict[int, float] = {}
        kind: dict[int, str] = {}
        dropped = set(p.dropped)  # "forget Dune", "I meant the old one"

        def add(ids, w, k):
            for i in ids:
                r = self.row.get(i)
                if r is not None and i not in p.disliked and i not in dropped and w > 0 and w >= weight.get(r, 0.0):
                    weight[r], kind[r] = w, k

        add(p.seen, c.seen_seed_weight, "seen")
        fan = {norm_key(n) for n in p.liked_people}  # "I have seen all his films": the seen films of a person the
        # user likes say what is similar (content similarity skips other seen films; it had offered E.T. after Nolan)
        add([i for i in p.seen if i in self.catalog and fan & {norm_key(x.name) for x in self.catalog[i].people}],
            c.seen_seed_weight, "fan")
        listed = set(p.liked) | set(p.seen) | set(p.not_seen)
        missed = set(wants.rejected_list(state))  # "something else": the list just shown is no evidence
        avoided = set(p.disliked_genres)  # nor a suggestion of a genre avoided since ("no, I hate musicals
        # actually. war movies?" had got war films "similar to La La Land (2016) which I suggested")
        # nor a film of a disliked film's series: "not Dune please" had listed films similar to Dune: Part Two
        kin = series.turned_down(p, self.catalog)
        for t in state.turns:
            if t.speaker == SYSTEM:
                add([i for i in t.items if i not in missed and i not in kin and not avoided & set(self._genres_of(i))],
                    c.shown_seed_weight, "suggested")
            else:  # a title the tracker put in a list carries that list's weight (seen: 0.5)
                add([i for i in t.items if i not in listed], c.mention_seed_weight, "mentioned")
        add(wants.more_like_items(state), c.mention_seed_weight, "mentioned")  # "something like Jaws", not seen yet
        add(series.members(p.series, self.catalog), c.mention_seed_weight, "series")  # "loves Harry Potter"
        people = [a for a in wants.asked_now(state, self.catalog) if a.kind == "person"]
        if people:  # "something with Will Smith": after his two films, films like them (Good Will Hunting and
            # Mr. & Mrs. Smith had come, by the words of his name); not the ones ruled out ("not the violent ones")
            allowed, known = self.filters.constraints(state), set(p.liked) | set(p.seen) | set(state.shown)
            for a in people:  # only when their films left cannot fill a list, the best-known few at a shown film's
                # weight: all of them at a mention's weight had cost ReDial test dedup R@1 3 samples and candidates
                # R@200 5, and seeding a prolific director reordered his own films (simulator R@1 0.565 -> 0.543)
                theirs = self.filters.rows_by["person"].get(norm_key(a.value), ())
                if sum(bool(allowed[r]) for r in theirs) >= c.person_seeds:
                    continue
                # a seed already keeps its kind ("fan": seen, of a liked person); no film of a turned-down series
                films = [self.catalog.items[r].id for r in theirs if (allowed[r] or self.catalog.items[r].id in known)
                         and r not in weight and self.catalog.items[r].id not in kin]
                add(sorted(films, key=self.catalog.renown, reverse=True)[:c.person_seeds], c.shown_seed_weight, "person")
        add(p.liked, c.liked_seed_weight, "liked")
        focus = {r for r in focus if self.catalog.items[r].id not in p.disliked}
        if focus:  # "more like X": X leads this request's collaborative evidence
            weight = {r: (max(w, c.liked_seed_weight) if r in focus else w * c.focus_other_share)
                      for r, w in weight.items()}
        rows = np.array(sorted(weight), dtype=np.int64)
        return rows, np.array([weight[r] for r in rows], dtype=np.float32), kind

    def _genres_of(self, item_id: str) -> list[str]:
        return self.catalog[item_id].genres if item_id in self.catalog else []

    def make_query(self, state: DialogueState) -> Query:
        focus = np.array([self.row[i] for i in wants.focus_items(state) if i in self.row], dtype=np.int64)
        rows, weights, kinds = self.seeds(state, {int(r) for r in focus})
        embed = self._embed if self.embeddings is not None else None
        return Query(state=state, text=self.query_text(state), seeds=rows, seed_weights=weights,
                     seed_kinds=kinds, embed=embed, focus=focus)

    def _embed(self, text: str) -> list[float]:
        from convrec.index import torch_threads

        with torch_threads(self.config.query_threads):
            return self.embeddings.embed_query(text)

    # ------------------------------------------------------------ scoring

    def weight(self, signal) -> float:
        return float(self.config.weights.get(signal.name, signal.default_weight))

    def signal_scores(self, state: DialogueState, mask: np.ndarray | None = None,
                      query: Query | None = None, all_signals: bool = False) -> dict[str, np.ndarray]:
        """Each signal's normalised scores over the catalog (0 outside ``mask``).

        Zero-weight signals are skipped unless ``all_signals`` (what weight fitting wants).
        """
        mask = self.allowed(state) if mask is None else mask
        query = query or self.make_query(state)
        out = {}
        with self._blas_limit():
            for s in self.signals:
                if self.weight(s) == 0.0 and not all_signals:
                    continue  # skipped entirely: a zero weight costs nothing (no query embedding)
                raw = s.scores(query)
                if raw is not None and mask.any():
                    out[s.name] = _normalise(np.asarray(raw, dtype=np.float32), mask, s.normalize)
        return out

    def fusion_inputs(self, scores: dict[str, np.ndarray], mask: np.ndarray) -> dict[str, np.ndarray]:
        """What the weights multiply: the normalised scores, or their rank transform (``config.fusion``)."""
        if self.config.fusion == "score":
            return scores
        if self.config.fusion != "rank":
            raise ValueError(f"unknown fusion {self.config.fusion!r}: 'score' or 'rank'")
        return {name: _rank_gain(v, mask) for name, v in scores.items()}

    def retrieve(self, state: DialogueState, k: int | None = None) -> list[Candidate]:
        """The top ``k`` allowed items, best first, each with its reasons and per-signal scores."""
        with self._blas_limit():
            return self._retrieve(state, k)

    def _blas_limit(self):
        if not self.config.blas_threads:
            return contextlib.nullcontext()
        if self._blas is None:
            try:
                from threadpoolctl import ThreadpoolController
            except ImportError:  # optional: comes with sentence-transformers (via scikit-learn)
                self.config.blas_threads = 0
                return contextlib.nullcontext()
            self._blas = ThreadpoolController()
        return self._blas.limit(limits=self.config.blas_threads, user_api="blas")

    def _retrieve(self, state: DialogueState, k: int | None) -> list[Candidate]:
        k = self.config.k if k is None else k
        mask, lead = self.filters.genre_request(state, self.filters.constraints(state))
        query = self.make_query(state)
        # the reranker reads every signal it was fitted with, zero-weight ones included
        scores = self.signal_scores(state, mask, query, all_signals=self.reranker is not None)
        fused = self.fusion_inputs(scores, mask)
        focused = bool(query.focus.size)  # "more like the third one"
        total = np.zeros(len(self.catalog), np.float32)
        for s in self.signals:
            if s.name in fused:
                boost = self.config.focus_similar if focused and s.name == "similar" else 1.0
                total += boost * self.weight(s) * fused[s.name]
        total[~mask] = -np.inf
        allowed_rows = np.flatnonzero(mask)
        k = min(k, allowed_rows.size)
        if k <= 0:
            return []
        # full stable sort of the allowed rows: deterministic ties (catalog order), ~1 ms at 10k items
        top = allowed_rows[np.argsort(-total[allowed_rows], kind="stable")]
        if self.reranker is not None and not focused:
            top = self._rerank(top, scores, fused, total, mask)
        if lead is not None:  # the asked genre's few films first, in their own order (``_genre_request``), then
            kin = self.filters.kindred(state)[top] & ~lead[top]  # those of the nearest genre (musicals after music)
            top = np.concatenate([top[lead[top]], top[kin], top[~lead[top] & ~kin]])
        seed_rows, sims = query.cache.get("similar", (np.zeros(0, np.int64), None))
        top, middle = arrange.by_seeds(top, state, self.catalog, seed_rows, sims)  # "she loves X, I love Y"
        top, tastes = arrange.by_taste_groups(top, state, self.catalog)  # "she likes rom coms, I like action"
        middle = {**middle, **tastes}
        # "something with Tom Hanks", "the Star Wars movies": what the latest message asks for comes first
        top, first = arrange.for_message(top, state, self.catalog, self.filters.rows_by if self.config.asked_first else {},
                                         self.config.series_cap, self.config.director_cap, lead)
        first = {**{r: why for r, why in middle.items() if why}, **first}
        alts = [self.row[i] for ids in state.preferences.ambiguous.values() for i in ids[1:] if i in self.row]
        alts += [self.row[i] for i in state.preferences.dropped if i in self.row]  # not meant, or taken back
        top = arrange.after(top, alts, self.config.alternatives_after)  # "did you mean Titanic (2012)?" is the note's
        cands = [self._candidate(int(r), float(total[r]), scores, query) for r in top[:k]]
        for r, c in zip(top, cands):
            if r in first:  # "a bit of both: comedy plus action" says what "matches genre Action" would again
                said = set(re.findall(r"[\w-]+", first[r].lower()))
                c.reasons[:] = [first[r]] + [x for x in c.reasons if not (
                    x.startswith(MATCHES_GENRE) and x[len(MATCHES_GENRE):].lower() in said)]
        return cands

    def _rerank(self, top: np.ndarray, scores: dict, fused: dict, total: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """The first ``reranker.depth`` rows reordered; the tail keeps the fused order, so any ``k``
        gives a prefix of the same list (the evaluation compares ``recommend`` with ``candidates``)."""
        from convrec import rerank

        rr = self.reranker
        head = top[: rr.depth]
        gains = fused if self.config.fusion == "rank" else {n: _rank_gain(v, mask) for n, v in scores.items()}
        mentions = getattr(self.collab, "mentions", None)
        x = rerank.features(rr.signals, scores, gains, total, head, mentions)
        return np.concatenate([head[rr.order(x)], top[rr.depth:]])

    def _candidate(self, row: int, score: float, scores: dict[str, np.ndarray], query: Query) -> Candidate:
        by_signal = self._by_name
        sig = {name: round(float(v[row]), 4) for name, v in scores.items()}
        # reasons that cite the user's own words (a matched genre or person, a liked title) come
        # first: they make the best explanation; the rest by contribution to the score
        order = sorted(scores, key=lambda n: (n not in PERSONAL_SIGNALS, -self.weight(by_signal[n]) * sig[n]))
        reasons: list[str] = []
        for name in order:
            if sig[name] >= self.config.reason_threshold:
                reasons += [r for r in by_signal[name].explain(query, row) if r not in reasons and not
                            _restates(r, reasons)]
        if not reasons:  # always say something: the strongest signal, however weak
            for name in order:
                reasons = by_signal[name].explain(query, row)
                if reasons:
                    break
        if query.state.preferences.within_years(self.catalog.items[row].year):  # a filter, no signal: "good movies
            # from the 80s" had said only "close to what you described" (the label already gives the year)
            reasons.insert(min(1, len(reasons)), YEARS_REASON)
        return Candidate(self.catalog.items[row].id, score, reasons[: self.config.max_reasons] or ["in the catalog"], sig)


def _restates(reason: str, earlier: list[str]) -> bool:
    """"often mentioned with Gone Girl" after "Similar to Gone Girl which you liked" says the film twice."""
    said = next((p for p in (MENTIONED_WITH, MENTIONED_ONCE) if reason.startswith(p)), None)
    return said is not None and any(reason[len(said):] in r for r in earlier)


def _normalise(raw: np.ndarray, mask: np.ndarray, how: str) -> np.ndarray:
    """Scale a signal to [0, 1] over the allowed items; no spread or no evidence gives zeros."""
    vals = raw[mask]
    hi = float(vals.max())
    lo = float(vals.min()) if how == "minmax" else 0.0
    out = np.zeros_like(raw)
    if hi > lo:
        out[mask] = np.clip((vals - lo) / (hi - lo), 0.0, 1.0)
    return out


def _rank_gain(scores: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """1 / log2(1 + rank) of each allowed item (rank 1 = best; tied items share their mean rank), 0 elsewhere."""
    from scipy.stats import rankdata

    out = np.zeros(scores.shape, np.float32)
    if mask.any():
        out[mask] = 1.0 / np.log2(1.0 + rankdata(-scores[mask], method="average"))
    return out


def _tags(item, n: int, avoided: set[str] = frozenset()) -> str:
    """A liked film's first ``n`` tags for the query, without those the user has since ruled out (The Notebook's
    "tearjerker" after "not sad")."""
    tags = [t for t in item.tags[:n] if norm_key(t) not in avoided]
    return f" ({', '.join(tags)})" if tags and n > 0 else ""

