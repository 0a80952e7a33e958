"""The shared system context and the first two recommenders: ``popularity`` and ``retrieval``.

``build_context`` loads the heavy objects once (embeddings, Chroma index, collaborative
signals, retriever); every system in ``convrec.recommender.REGISTRY`` is built from it:

    from convrec.catalog import load_demo
    from convrec.systems import build_context, load_system
    ctx = build_context(load_demo())
    system = load_system("retrieval", ctx)
    rec = system.recommend(state, k=5)       # Recommendation(item_ids, explanations, text)

Other modules register more systems ("base", "full") with ``@register``; ``load_system``
imports ``convrec.generator`` on demand when asked for a name not registered yet.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from convrec.catalog import Catalog
from convrec.collab import CollabSignals, build_signals
from convrec.recommender import REGISTRY, Recommendation, Recommender, register
from convrec.retrieval import Candidate, RetrievalConfig, Retriever, load_config
from convrec.state import DialogueState

LAZY_MODULES = ("convrec.generator",)  # imported when a system name is not registered yet


@dataclass
class SystemContext:
    """Heavy shared objects, built once and handed to every system factory."""

    catalog: Catalog
    data_dir: Path | None  # read-only data directory (None: demo / own catalog)
    embeddings: Any  # langchain embeddings (local MiniLM) or None
    index: Any  # convrec.index.CatalogIndex or None (no semantic signals)
    signals: CollabSignals
    retriever: Retriever
    retrieval_config: RetrievalConfig
    extras: dict[str, Any] = field(default_factory=dict)  # systems cache their own heavy objects here (models)


def build_context(catalog: Catalog, data_dir: str | Path | None = None, embeddings: Any = None,
                  retrieval_config: RetrievalConfig | None = None, use_index: bool = True,
                  progress: bool = False) -> SystemContext:
    """Embeddings (local MiniLM unless given), the index (built if missing), signals and retriever."""
    from convrec.index import local_embeddings, open_index

    data_dir = Path(data_dir) if data_dir else None
    index = None
    if use_index:
        embeddings = embeddings if embeddings is not None else local_embeddings()
        index = open_index(catalog, embeddings, build=True, progress=progress, log=print if progress else None)
    signals = build_signals(catalog, data_dir)
    extra = _learned_signals(catalog, index)  # the learned retriever (issue 7), when weights are shipped
    cfg = retrieval_config or _default_config(learned=bool(extra))
    retriever = Retriever(index, catalog, signals, cfg, embeddings, extra_signals=extra)
    if extra:  # the reranker was fitted over the learned signal and the shipped fusion weights
        retriever.reranker = _reranker(retriever, retrieval_config)
    return SystemContext(catalog, data_dir, embeddings, index, signals, retriever, cfg)


LEARNED_MIN_KNOWN = 0.5  # the learned signal (and the fusion weights and reranker fitted with it) serves a catalog
# whose items it mostly trained on; on another (the demo, MovieLens) only its text towers would speak, at the weight
# fitted for ReDial: on the demo, MovieLens co-likes as truth, precision@10 of "I loved X" 0.189 with it, 0.217
# without (benchmarks/demo_openers.py)


def _learned_signals(catalog: Catalog, index: Any) -> list:
    """``convrec.learned`` signals over the index vectors; none without an index, without the
    shipped weights (``models/retriever/``), with ``CONVREC_LEARNED=0``, or for a catalog the model
    knows under ``LEARNED_MIN_KNOWN`` of."""
    import os

    if index is None or os.environ.get("CONVREC_LEARNED", "1") == "0":
        return []
    from convrec import learned

    found = learned.signals_for(catalog, index.vectors(catalog))
    return [s for s in found if s.model.known_share >= LEARNED_MIN_KNOWN]


def _reranker(retriever: Retriever, retrieval_config: RetrievalConfig | None):
    """The shipped second-stage reranker (``models/retriever/rerank.json``). It was fitted on top of
    the shipped fusion weights, so a user's own config turns it off, and so does ``CONVREC_RERANK=0``."""
    import os

    from convrec import config

    if (retrieval_config is not None or os.environ.get("CONVREC_RERANK", "1") == "0"
            or os.environ.get("CONVREC_RETRIEVAL_CONFIG") or (config.home() / "retrieval.json").exists()):
        return None
    from convrec import learned, rerank

    if not (learned.MODEL_DIR / learned.FUSION_FILE).exists():  # fitted over those weights only
        return None
    return rerank.load_reranker(signals=[s.name for s in retriever.signals])


def _default_config(learned: bool) -> RetrievalConfig:
    """A user's config (``CONVREC_RETRIEVAL_CONFIG`` / ``CONVREC_HOME/retrieval.json``) wins; else,
    with the learned signal, the fusion weights fitted with it on validation dialogues."""
    import os

    from convrec import config

    if learned and not os.environ.get("CONVREC_RETRIEVAL_CONFIG") and not (config.home() / "retrieval.json").exists():
        from convrec import learned as learned_mod

        return learned_mod.fused_config() or load_config()
    return load_config()


def _explanation(c: Candidate) -> str:
    text = "; ".join(c.reasons)
    return text[:1].upper() + text[1:]


def _reply_text(catalog: Catalog, cands: list[Candidate]) -> str:
    if not cands:
        return "I couldn't find anything in the catalog that fits; could you loosen a constraint?"
    lines = [f"- {catalog[c.item_id].label}: {', '.join(c.reasons[:2])}" for c in cands]
    return "You might enjoy:\n" + "\n".join(lines)


class RetrievalSystem:
    """Ranks by the retriever's weighted signals; explanations are the candidates' reasons."""

    name = "retrieval"

    def __init__(self, ctx: SystemContext, retriever: Retriever | None = None):
        self.ctx = ctx
        self.retriever = retriever or ctx.retriever

    def candidates(self, state: DialogueState, k: int) -> list[Candidate]:
        return self.retriever.retrieve(state, k=k)

    def recommend(self, state: DialogueState, k: int = 10) -> Recommendation:
        cands = self.candidates(state, k)
        return Recommendation(
            item_ids=[c.item_id for c in cands],
            explanations={c.item_id: _explanation(c) for c in cands},
            text=_reply_text(self.ctx.catalog, cands),
        )


class PopularitySystem(RetrievalSystem):
    """The prior alone (training mentions or Item.popularity), with the same hard filters."""

    name = "popularity"

    def __init__(self, ctx: SystemContext):
        only_prior = replace(ctx.retrieval_config, weights={s.name: 0.0 for s in ctx.retriever.signals} | {"popularity": 1.0})
        # no embeddings: a zero-weight semantic signal is never computed
        retriever = Retriever(ctx.retriever.vectors, ctx.catalog, ctx.signals, only_prior, None)
        super().__init__(ctx, retriever)


@register("popularity")
def _popularity(ctx: SystemContext) -> Recommender:
    return PopularitySystem(ctx)


@register("retrieval")
def _retrieval(ctx: SystemContext) -> Recommender:
    return RetrievalSystem(ctx)


def load_system(name: str, ctx: SystemContext) -> Recommender:
    """The registered system ``name`` built on ``ctx``; imports the generator module on demand."""
    for module in LAZY_MODULES:
        if name in REGISTRY:
            break
        try:
            importlib.import_module(module)
        except ImportError as e:
            raise ValueError(f"system {name!r} is not registered and {module} cannot be imported ({e}); "
                             f"available: {', '.join(sorted(REGISTRY))}") from e
    if name not in REGISTRY:
        raise ValueError(f"unknown system {name!r}; available: {', '.join(sorted(REGISTRY))}")
    return REGISTRY[name](ctx)
