"""Explanations: one or two generated sentences per item, checked against the facts.

Each recommended item gets a short "why" generated from ``prompts/explain.txt`` with
that item's metadata and the user's preferences in the prompt, the answer started for the
model (``prompts/explain_answer.txt``). The grounding checker (``convrec.grounding``) then
finds every genre, person, year and title the sentence asserts and accepts it only if each
one is in the item's metadata or in what the user stated, and only if it says something
(``grounding.nonsense``). A sentence that fails is replaced by one built from the
candidate's retrieval reasons (``prompts/explain_fallback.txt``), so no shown explanation
states an unsupported fact. ``Explainer.stats`` counts the grounding rate (generated
explanations that passed without fallback).

    explainer = Explainer(backend, catalog)
    explainer.explain("inception-2010", prefs).text  # "You may enjoy Inception because it's ..."
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Sequence

from convrec import prompts
from convrec.backend import WordLimits
from convrec.catalog import Catalog, Item
from convrec.grounding import (  # noqa: F401 (Claim, GroundingChecker, Vocab, build_vocab re-exported)
    GENRE_ALIASES, SENTENCE_STARTS, SMALL_WORDS, UNBACKED_WORDS, Claim, GroundingChecker, Vocab, _bare, _item_keys, _key,
    _words, build_vocab, nonsense,
)
from convrec.state import Preferences

ECHO_RE = re.compile(r"(?i)\b(preferences|what i like|genres|director|starring|movie)\s*:")  # prompt labels copied back
MIN_TOKENS = 4  # grounded decoding never ends an explanation before this many tokens (no empty answers)
NO_REPEAT = 3  # and never writes the same three tokens twice (the model looped on "a documentary about a ...")
MIN_CLAUSE_WORDS = 8  # a cut-off sentence is kept up to its last comma only if that leaves this many words
MAX_FAILURES = 50  # rejected explanations kept for inspection


# ---------------------------------------------------------------- generation

@dataclass
class ExplainConfig:
    max_new_tokens: int = 32  # one or two short sentences; decoding is ~20 tokens/s on a laptop CPU
    n_items: int = 3  # items explained by the model per turn; the rest get reason-based text
    plot_chars: int = 160  # characters of the plot put in the prompt
    grounded_decoding: bool = True  # names, numbers and genres only from the facts while decoding (WordLimits)
    retries: int = 1  # rejected sentences decoded again with the rejected words no longer started (costs one more
    # generation for ~1 item in 10: the benchmark's first pass rejected 10 of 90, mostly a liked film named as a fact)


@dataclass
class Explanation:
    text: str
    generated: bool  # True when the model's sentence passed the check and is shown
    violations: list[str] = field(default_factory=list)  # what failed, when it fell back


def movie_facts(item: Item, plot_chars: int = 160) -> str:
    parts = [item.label]
    if item.genres:
        parts.append("Genres: " + ", ".join(item.genres[:3]))
    if item.names("director"):
        parts.append("Director: " + ", ".join(item.names("director")[:2]))
    if item.names("actor"):
        parts.append("Starring: " + ", ".join(item.names("actor")[:3]))
    if item.description:
        parts.append(item.description[:plot_chars].rsplit(" ", 1)[0] if len(item.description) > plot_chars else item.description)
    return ". ".join(parts)


def preference_facts(prefs: Preferences, catalog: Catalog) -> str:
    parts = []
    liked = [catalog[i].label for i in prefs.liked[-3:] if i in catalog]
    if liked:
        parts.append("liked " + ", ".join(liked))
    if prefs.liked_genres:
        parts.append("likes " + ", ".join(prefs.liked_genres[:3]))
    if prefs.liked_people:
        parts.append("likes films with " + ", ".join(prefs.liked_people[:3]))
    if prefs.moods:
        parts.append("wants something " + ", ".join(prefs.moods[:2]))
    return "; ".join(parts) if parts else "none stated"


def tidy(text: str, max_sentences: int = 2) -> str:
    """First line, at most two sentences, no template echo."""
    text = text.split("###")[0].strip().split("\n")[0].strip()
    sentences = re.split(r"(?<=[.!?])\s+", text)
    out = " ".join(sentences[:max_sentences]).strip()
    if out and out[-1] not in ".!?":
        cut = max(out.rfind(". "), out.rfind("! "), out.rfind("? "))
        clause = out.rfind(",")
        if cut > 0:  # a second sentence cut off by the token limit is dropped
            out = out[: cut + 1]
        elif clause > 0 and len(out[:clause].split()) >= MIN_CLAUSE_WORDS:
            out = out[:clause].rstrip() + "."  # a long first sentence ends at its last complete clause
        else:
            out = ""
    if ECHO_RE.search(out):
        return ""  # the model copied the prompt's field labels instead of explaining
    return out


def word_limits(item: Item, prefs: Preferences, catalog: Catalog, vocab: Vocab) -> WordLimits:
    """Grounded decoding for one explanation: names and numbers only from the facts in its prompt
    (not its own title), and no genre word the film does not have (a liked genre it lacks is never started)."""
    facts = " ".join([movie_facts(item, len(item.description or "")).replace(item.label, str(item.year or ""), 1),
                      preference_facts(prefs, catalog), *(catalog[i].label for i in prefs.liked if catalog.get(i) is not None)])
    # the film's own title is already written in the opening: saying it again is never a reason
    # ("You may enjoy Jurassic World because of the movie Jurassic World"), so it is not in ``names``
    own = _item_keys(item)  # a liked genre the film lacks would need "you like ...": simpler never to start it
    never = {g[0] for g in vocab.genres if len(g) == 1 and g not in own}
    # and the first word of a two-word alias ("science fiction" for a film that is not sci-fi)
    never |= {_key(a)[0] for a, g in GENRE_ALIASES.items() if len(_key(a)) > 1 and _key(g) not in own}
    never |= UNBACKED_WORDS  # "because it's not yet rated", "and you might enjoy Rushmore": claims nothing backs
    return WordLimits(names=frozenset(_words(facts)) | SENTENCE_STARTS, never=frozenset(never), min_tokens=MIN_TOKENS,
                      no_repeat=NO_REPEAT)


def stricter(limits: WordLimits, bad: Sequence[Claim]) -> WordLimits:
    """The limits for another try after a rejected sentence: no rejected claim can be written again.

    A name, title, person or year that failed leaves ``names`` (its capitalised words are no longer
    started, nor their lower-case words: "Thin", "Blue", "Line" after "a sequel to The Thin Blue Line"); an unbacked phrase, a
    repeated word or an unsupported genre joins ``never`` ("being made"). An empty answer gets more
    tokens (``Explainer.explain``: a first sentence cut off by the token limit is dropped whole by ``tidy``)."""
    names, never = set(limits.names), set(limits.never)
    for claim in bad:
        words = [_bare(w) for w in _words(claim.text)]
        if claim.kind in ("unbacked", "repeated", "genre") or not any(w[:1].isupper() or w[:1].isdigit() for w in words):
            never |= {w.lower() for w in words if w.lower() not in SMALL_WORDS}
        else:  # and not in lower case either ("a movie called The thin blue line" was the second try)
            names -= {f for w in words if w not in SENTENCE_STARTS for f in (w, w + "'s")}
            never |= {w.lower() for w in words if w not in SENTENCE_STARTS and w.lower() not in SMALL_WORDS and w[:1].isalpha()}
    return replace(limits, names=frozenset(names), never=frozenset(never))


def fallback(item: Item, reasons: Sequence[str], prefs: Preferences, catalog: Catalog) -> str:
    """A reason-based explanation, true by construction (reasons and metadata only)."""
    reasons = [r.strip().rstrip(".") for r in reasons if r and r.strip()]
    if not reasons:
        facts = []
        if item.genres:
            facts.append("a " + " / ".join(item.genres[:2]).lower() + " film")
        if item.names("director"):
            facts.append("directed by " + item.names("director")[0])
        reasons = [" ".join(facts) or "it fits what you asked for"]
    return prompts.render("explain_fallback", label=item.label, reasons="; ".join(reasons[:3]))


def _takes_limits(fn) -> bool:
    import inspect

    try:
        return "limits" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


class Explainer:
    """Generates (with a backend) or builds explanations, checking every generated one."""

    def __init__(self, backend, catalog: Catalog, cfg: ExplainConfig | None = None,
                 checker: GroundingChecker | None = None):
        self.backend = backend  # None: reason-based explanations only
        self.catalog = catalog
        self.cfg = cfg or ExplainConfig()
        self.checker = checker or GroundingChecker(catalog)
        self.stats = {"generated": 0, "grounded": 0, "first_try": 0, "retried": 0}
        self.failures: list[dict] = []  # the latest rejected sentences and why (benchmark reports show them)
        self.passed: list[dict] = []  # the latest accepted sentences (so reports show what users read)
        self.rescued: list[dict] = []  # the latest sentences accepted on a second try, with the first one

    @property
    def grounding_rate(self) -> float | None:
        g = self.stats["generated"]
        return self.stats["grounded"] / g if g else None

    def prompt(self, item: Item, prefs: Preferences) -> str:
        text = prompts.render("explain", preferences=preference_facts(prefs, self.catalog),
                              movie=movie_facts(item, self.cfg.plot_chars))
        chat = getattr(self.backend, "chat_prompt", None)
        text = chat(text) if callable(chat) else text + "\n"
        return text + self.answer_start(item)  # the answer is started for the model: it stays on topic

    def _generate(self, prompt: str, limits: WordLimits | None = None, max_new_tokens: int | None = None) -> str:
        """Greedy text, stopped at the first sentence end or line break (decoding is the slow part)."""
        stream = getattr(self.backend, "stream", None)
        kwargs = {"limits": limits} if limits is not None and _takes_limits(stream or self.backend.generate) else {}
        n = max_new_tokens or self.cfg.max_new_tokens
        if not callable(stream):
            return self.backend.generate(prompt, n, **kwargs)
        text = ""
        for piece in stream(prompt, n, **kwargs):
            text += piece
            if "\n" in text or re.search(r"[.!?][\"')]?\s*$", text) and len(text.split()) > 3:
                break
        return text

    @staticmethod
    def answer_start(item: Item) -> str:
        return prompts.render("explain_answer", title=item.title)

    def explain(self, item_id: str, prefs: Preferences, reasons: Sequence[str] = ()) -> Explanation:
        item = self.catalog[item_id]
        if self.backend is None:
            return self.from_reasons(item_id, prefs, reasons)
        limits = word_limits(item, prefs, self.catalog, self.checker.vocab) if self.cfg.grounded_decoding else None
        prompt = self.prompt(item, prefs)
        text, bad = self._attempt(item, prefs, prompt, limits)
        self.stats["generated"] += 1
        self.stats["first_try"] += not bad
        first = (text, bad)
        for _ in range(self.cfg.retries if limits is not None else 0):
            if not bad:
                break
            tighter = stricter(limits, bad)
            empty = any(c.kind == "empty" for c in bad)
            if tighter == limits and not empty:
                break  # nothing to forbid: the same greedy sentence would come back
            self.stats["retried"] += 1
            limits = tighter
            text, bad = self._attempt(item, prefs, prompt, limits, self.cfg.max_new_tokens * 3 // 2 if empty else None)
        if not bad and first[1]:
            self.rescued = [*self.rescued[-(MAX_FAILURES - 1):], {"item": item.label, "first": first[0], "text": text,
                                                                 "violations": [f"{c.kind}: {c.text}" for c in first[1]]}]
        if not bad:
            self.stats["grounded"] += 1
            self.passed = [*self.passed[-(MAX_FAILURES - 1):], {"item": item.label, "text": text}]
            return Explanation(text, generated=True)
        violations = [f"{c.kind}: {c.text}" for c in bad]
        self.failures = [*self.failures[-(MAX_FAILURES - 1):], {"item": item.label, "text": text, "violations": violations}]
        return Explanation(fallback(item, reasons, prefs, self.catalog), generated=False, violations=violations)

    def _attempt(self, item: Item, prefs: Preferences, prompt: str, limits: WordLimits | None,
                 max_new_tokens: int | None = None) -> tuple[str, list[Claim]]:
        """One generated sentence and what the checker rejects in it."""
        cont = self._generate(prompt, limits, max_new_tokens)
        text = tidy(self.answer_start(item) + cont) if cont.strip() else ""
        return text, (self.checker.violations(text, item, prefs) + nonsense(text, item)) if text else [Claim("empty", "")]

    def model_items(self, item_ids: Sequence[str]) -> list[str]:
        """The items whose "why" the model writes: the first ``n_items`` (none without a backend)."""
        return list(item_ids[: self.cfg.n_items]) if self.backend is not None else []

    def from_reasons(self, item_id: str, prefs: Preferences, reasons: Sequence[str] = ()) -> Explanation:
        return Explanation(fallback(self.catalog[item_id], reasons, prefs, self.catalog), generated=False)

    def explain_all(self, item_ids: Sequence[str], prefs: Preferences,
                    reasons: dict[str, Sequence[str]] | None = None) -> dict[str, Explanation]:
        """The first ``n_items`` through the model, the rest from their reasons."""
        reasons = reasons or {}
        model = set(self.model_items(item_ids))
        return {iid: (self.explain if iid in model else self.from_reasons)(iid, prefs, reasons.get(iid, ()))
                for iid in item_ids}
