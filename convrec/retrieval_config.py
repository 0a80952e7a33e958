"""Retrieval settings: the fusion weights, filters and list rules a ``Retriever`` runs with.

``RetrievalConfig`` is a plain dataclass (every default commented with its unit or its measured
reason); ``load_config()`` reads fitted weights from a JSON file when one exists
(``CONVREC_RETRIEVAL_CONFIG`` or ``CONVREC_HOME/retrieval.json``). ``Candidate`` is what retrieval
returns. Both are re-exported by ``convrec.retrieval``.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from convrec import config

# Chosen by a small grid on a validation split of the ReDial training dialogues (15% of
# train_subset by conversationId hash; signals from the other 85%), never on test. "attribute"
# had no validation evidence (no preference tracker in that run): its weight is a product choice.
DEFAULT_WEIGHTS = {
    "semantic": 0.5,  # query text vs item document (MiniLM cosine)
    "similar": 0.5,  # item vs the titles the user liked or mentioned
    "comention": 1.0,  # co-mentioned in ReDial training dialogues
    "corating": 0.3,  # co-liked by MovieLens users
    "attribute": 0.7,  # stated genres / people / moods
    "popularity": 0.3,  # training mentions or Item.popularity
}


@dataclass
class Candidate:
    item_id: str  # a catalog id
    score: float  # the weighted sum of normalised signals (larger = better)
    reasons: list[str] = field(default_factory=list)  # human-readable: "matches genre Horror", "popular"
    signals: dict[str, float] = field(default_factory=dict)  # signal name -> normalised score in [0, 1]


@dataclass
class RetrievalConfig:
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))  # signal -> weight; 0 = off
    k: int = 100  # candidates returned when retrieve() is not given k
    recent_user_turns: int = 3  # latest USER turns put into the semantic query
    max_query_chars: int = 1000  # MiniLM reads ~256 word pieces; the query is cut beyond this
    liked_seed_weight: float = 1.0  # collaborative weight of a liked title
    mention_seed_weight: float = 1.0  # ... of a title the user mentioned (Turn.items of USER turns)
    shown_seed_weight: float = 0.5  # ... of a title the system showed or mentioned (SYSTEM turns)
    seen_seed_weight: float = 0.5  # ... of a title the user has seen (taste evidence, not praise)
    person_seeds: int = 5  # the best-known films of a person the latest message asks for seed what follows them
    # (at a shown film's weight) when fewer than this many of theirs are left to list
    focus_other_share: float = 0.25  # "more like the third one" (wants.focus_items): other seeds keep this
    focus_similar: float = 8.0  # share, "similar" counts this many times and the ReDial-fitted reranker is skipped
    # (its USER turns name no items), so the list follows that film: "more like E.T." had got Das Boot, Die Hard
    comention_damping: float = 0.25  # co-mentions / mentions**damping: 0 = raw counts (validation: 0-0.25 best)
    corating_damping: float = 0.5  # the same for MovieLens co-likes
    exclude_liked: bool = True  # a liked title is already known: never offer it back
    exclude_mentioned: bool = True  # a title already in the conversation (shown, named, in a preference list) is
    # known to both sides: offering it again is no recommendation. ReDial's dedup rule; it costs the standard
    # protocol its repeated mentions (models/retriever/card.md)
    namesake_share: float = 0.1  # nor another film of a mentioned title less than this share as well known
    # (Catalog.renown): no The Notebook (2013) after "I loved The Notebook"; It (2017) after It (1990) stays.
    # Validation (dedup): R@10 +0.3 points, R@50 +0.2; dropping every namesake cost R@100 0.3. 0 keeps them all
    exclude_disliked_people: bool = True  # "no Adam Sandler" is a hard filter, like disliked genres
    unknown_year_passes: bool = False  # with a year range set, items of unknown year are dropped
    liked_genre_filter: int = 20  # "more animated films": genres the latest message asks for keep only items
    # having one of them (or no genre data) when at least this many remain; else they only boost (0 = never)
    lesser_known_top: float = 0.1  # "an underrated gem": the best-known tenth of the catalog (by renown) is left
    # out (0 = never)
    all_genres_filter: int = 5  # "a romantic comedy": films of every genre one phrase names, while at least a
    # list's worth remain (the demo catalog has 17 romantic comedies, under liked_genre_filter); else any of them
    fusion: str = "score"  # "score": weighted sum of the normalised scores; "rank": of 1 / log2(1 + rank) among
    # the allowed items (ties share their mean rank), so a signal's scale and tail shape do not matter
    # (validation, dedup R@50/R@100, weights fitted on one half of the dialogues: +2.4 points on the other)
    reason_threshold: float = 0.3  # a signal explains a candidate when its normalised score is at least this
    max_reasons: int = 3  # reasons kept per candidate, strongest contribution first
    query_threads: int = 1  # torch threads for the query embedding: one short text gains nothing from
    # more, and on a busy 2-core laptop two threads spin-wait (measured 14 ms vs 126 ms CPU per query)
    query_tags: int = 5  # tags of each liked film put into the semantic query (0 = title only; demo openers
    # precision@10 0.217 -> 0.229, benchmarks/demo_openers.py); ReDial items have none
    query_years: bool = True  # liked films go into the semantic query with their year ("Pulp Fiction (1994)"):
    # without, demo openers P@10 fell 0.228 -> 0.220 (people who love a film love others of its years)
    title_free_likeness: bool = True  # film to film likeness compares documents without titles (MiniLM had put
    # Inside Out 2 and Knives Out nearest Get Out by the word "Out"); needs an index, not bare vectors
    asked_first: bool = True  # films of the people / keywords the latest message asks for lead the list (arrange.py)
    exclude_series: bool = True  # the films of a series the user named ("loves Harry Potter") are taste, not
    # news: they seed similarity but are offered only when the latest message asks for that series
    alternatives_after: int = 10  # the other readings of an ambiguous title the user named ("Titanic": the 2012
    # film) come after this many places, as the reply's note offers them (they had been listed 2nd and 3rd); 0 = off
    exclude_disliked_series: bool = True  # no other film of a disliked film's series unless the latest message
    # asks for it ("I hated Avatar" had got Avatar: The Way of Water)
    series_cap: int = 2  # at most this many films of one series in the first 20 places unless asked for
    # (convrec.series: "something with Tom Hanks" had listed four Toy Story films); 0 = no cap
    director_cap: int = 2  # at most this many films of one director in the first 5 places unless the user
    # likes or asks for that director ("is it on netflix?" after Kiki's Delivery Service had got five Miyazaki
    # films, "Inception and Interstellar" three Nolan ones); 0 = no cap
    blas_threads: int = 1  # numpy BLAS threads while scoring (0 = leave alone); a 6,924 x 384 mat-vec took
    # 0.4 ms on one thread and 19.5 ms on two on the busy 2-core machine

    @classmethod
    def from_file(cls, path: str | Path) -> "RetrievalConfig":
        """Read a JSON object of fields; ``weights`` is merged over the defaults. A ``measured`` object
        (figures recorded next to fitted weights, e.g. ``models/retriever/retrieval.json``) is ignored."""
        data = json.loads(Path(path).read_text())
        data.pop("measured", None)
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"{path}: unknown retrieval config fields {sorted(unknown)}")
        weights = {**DEFAULT_WEIGHTS, **data.pop("weights", {})}
        return cls(weights=weights, **data)

    def to_file(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(asdict(self), indent=1))


def load_config(path: str | Path | None = None) -> RetrievalConfig:
    """``path``, else ``$CONVREC_RETRIEVAL_CONFIG``, else ``CONVREC_HOME/retrieval.json`` if present, else defaults."""
    for cand in (path, os.environ.get("CONVREC_RETRIEVAL_CONFIG"), config.home() / "retrieval.json"):
        if cand and Path(cand).exists():
            return RetrievalConfig.from_file(cand)
        if cand and cand is path:
            raise FileNotFoundError(f"retrieval config {cand} not found")
    return RetrievalConfig()
