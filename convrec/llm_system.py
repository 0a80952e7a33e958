"""The ``base`` and ``full`` systems: retrieval candidates -> generator selection -> explanations.

Both run the same pipeline; ``base`` uses the base model without an adapter, ``full``
the shipped LoRA adapter (``models/generator-lora``, override with
``CONVREC_GENERATOR_ADAPTER``). Models are loaded on first use and shared by the
systems of one process; nothing loads at import.

    from convrec.recommender import REGISTRY
    full = REGISTRY["full"](ctx)          # ctx: convrec.systems.SystemContext
    rec = full.recommend(state, k=10)     # Recommendation(item_ids, explanations, text)
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Iterator

from convrec.explain import ExplainConfig, Explainer
from convrec.generator import DEFAULT_ADAPTER, Generator, GeneratorConfig, env_config, load_backend
from convrec.recommender import Recommendation, register
from convrec.state import DialogueState

SHOWN = 5  # items explained per turn (the chat shows five)
CANDIDATE_K = 50  # candidates asked from retrieval per turn (the generator reranks its top_k)
_BACKENDS: dict[tuple, object] = {}  # (base, adapter) -> backend, shared in a process


def shared_backend(cfg: GeneratorConfig, adapter: Path | None, cache: dict | None = None):
    """One backend per (base, adapter), kept in ``cache`` (the context's extras) or the module."""
    cache = _BACKENDS if cache is None else cache
    key = ("generator-backend", cfg.base_model, str(adapter or ""))
    if key not in cache:
        cache[key] = load_backend(cfg, adapter)
    return cache[key]


def explain_items_default() -> int:
    """Items explained by the model per turn (``CONVREC_EXPLAIN_ITEMS``; 0 = reason-based only)."""
    return int(os.environ.get("CONVREC_EXPLAIN_ITEMS", ExplainConfig.n_items))


def grounded_decoding_default() -> bool:
    """``CONVREC_GROUNDED_DECODING=0`` lets the model write any word (the checker still runs)."""
    return os.environ.get("CONVREC_GROUNDED_DECODING", "1").strip().lower() not in ("0", "false", "no", "off")


class LLMRecommender:
    """Retrieval -> grounded selection -> checked explanations, behind the Recommender protocol."""

    def __init__(self, name: str, catalog, retriever, generator: Generator, explainer: Explainer,
                 candidate_k: int = CANDIDATE_K):
        self.name = name
        self.catalog = catalog
        self.retriever = retriever
        self.generator = generator
        self.explainer = explainer
        self.candidate_k = candidate_k
        self.timings: dict[str, list[float]] = {"retrieval": [], "selection": [], "explanation": []}

    @property
    def grounding_rate(self) -> float | None:
        return self.explainer.grounding_rate

    def candidates(self, state: DialogueState, k: int = 200):
        return self.retriever.retrieve(state, k=k)

    def recommend(self, state: DialogueState, k: int = 10) -> Recommendation:
        *_, last = self.stream(state, k)
        return last

    def stream(self, state: DialogueState, k: int = 10) -> Iterator[Recommendation]:
        """Yield the recommendation as it improves: first with reason-based explanations (right
        after selection), then again each time the model has written one more explanation."""
        t0 = time.perf_counter()
        cands = self.retriever.retrieve(state, k=max(k, self.candidate_k))
        t1 = time.perf_counter()
        ids = self.generator.select(state, cands, k=k)
        t2 = time.perf_counter()
        self.timings["retrieval"].append(t1 - t0)
        self.timings["selection"].append(t2 - t1)
        reasons = {str(getattr(c, "item_id", c)): list(getattr(c, "reasons", []) or []) for c in cands}
        shown = ids[:SHOWN]  # the items a chat turn shows; the first n_items get model-written text
        expl = {i: self.explainer.from_reasons(i, state.preferences, reasons.get(i, ())).text for i in shown}
        todo = self.explainer.model_items(shown)
        if todo:
            yield self._recommendation(ids, shown, expl)  # the list at once; model text follows
        for n, i in enumerate(todo, start=1):
            expl[i] = self.explainer.explain(i, state.preferences, reasons.get(i, ())).text
            if n < len(todo):
                yield self._recommendation(ids, shown, expl)
        self.timings["explanation"].append(time.perf_counter() - t2)
        yield self._recommendation(ids, shown, expl)

    @staticmethod
    def _recommendation(ids: list[str], shown: list[str], expl: dict[str, str]) -> Recommendation:
        text = "You might enjoy:\n" + "\n".join(f"- {expl[i]}" for i in shown) if shown else \
            "I couldn't find anything in the catalog that fits; could you loosen a constraint?"
        return Recommendation(item_ids=list(ids), explanations=dict(expl), text=text)


def fitted_selection(name: str, cfg: GeneratorConfig) -> GeneratorConfig:
    """``cfg`` with what training fitted on validation (``selection.json`` beside the adapter):
    the selection style, the retrieval-rank weight, how many candidates the model reranks and
    the title-prior weight.
    ``CONVREC_RANK_WEIGHT`` / ``CONVREC_GEN_TOPK`` override the fitted values."""
    try:
        fitted = json.loads((adapter_path() / "selection.json").read_text())
        cfg.selection = str(fitted.get("selection", "letters"))  # adapters from before titles were letters
        cfg.rank_weight = float(fitted[name]["rank_weight"])
        if "top_k" in fitted[name] and not os.environ.get("CONVREC_GEN_TOPK"):
            cfg.top_k = int(fitted[name]["top_k"])
        cfg.prior_weight = float(fitted[name].get("prior_weight", 0.0))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass  # no fitted file: the config's defaults
    if os.environ.get("CONVREC_RANK_WEIGHT"):
        cfg.rank_weight = float(os.environ["CONVREC_RANK_WEIGHT"])
    return cfg


def build(name: str, ctx, adapter: Path | None, cfg: GeneratorConfig | None = None) -> LLMRecommender:
    cfg = fitted_selection(name, cfg or env_config())
    # the adapter is trained for selection only (answers are bare titles, so with it the model
    # ends an explanation at once): explanations come from the base weights, a second backend
    writer = shared_backend(cfg, None, getattr(ctx, "extras", None))
    # a fit that keeps the retrieval order (top_k 0) never calls the selection model: don't load it
    backend = shared_backend(cfg, adapter, getattr(ctx, "extras", None)) if cfg.top_k else writer
    catalog = ctx.catalog
    return LLMRecommender(name, catalog, ctx.retriever, Generator(backend, catalog, cfg),
                          Explainer(writer, catalog, ExplainConfig(n_items=explain_items_default(),
                                                               grounded_decoding=grounded_decoding_default())))


def adapter_path() -> Path:
    return Path(os.environ.get("CONVREC_GENERATOR_ADAPTER") or DEFAULT_ADAPTER)


@register("base")
def base_system(ctx) -> LLMRecommender:
    """The base model (no adapter) reranking retrieval candidates."""
    return build("base", ctx, adapter=None)


@register("full")
def full_system(ctx) -> LLMRecommender:
    """The base model with the shipped LoRA adapter (``make train`` rebuilds it)."""
    return build("full", ctx, adapter=adapter_path())
