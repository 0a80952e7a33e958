"""Explanations: one or two generated sentences per item, checked against the facts.

Each recommended item gets a short "why" generated from ``prompts/explain.txt`` with
that item's metadata and the user's preferences in the prompt. The grounding checker
then finds every genre, person, year and title the sentence asserts (matched against
the catalog's own vocabularies) and accepts the sentence only if each one is in the
item's metadata or in what the user stated. A sentence that fails is replaced by one
built from the candidate's retrieval reasons (``prompts/explain_fallback.txt``), so
no shown explanation states an unsupported fact. ``Explainer.stats`` counts the
grounding rate (generated explanations that passed without fallback).

    checker = GroundingChecker(catalog)
    checker.violations("A Nolan thriller from 2010", catalog["inception"], prefs)  # -> []
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from convrec import prompts
from convrec.backend import WordLimits
from convrec.catalog import Catalog, Item
from convrec.state import Preferences

WORD_RE = re.compile(r"[A-Za-z0-9]+(?:[-'][A-Za-z0-9]+)*")  # "Sci-Fi", "O'Brien" stay one word
YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
ECHO_RE = re.compile(r"(?i)\b(preferences|what i like|genres|director|starring|movie)\s*:")  # prompt labels copied back
GENRE_ALIASES = {"scifi": "sci-fi", "sci fi": "sci-fi", "science fiction": "sci-fi", "biopic": "biography",
                 "romantic": "romance", "animated": "animation", "thrillers": "thriller", "comedies": "comedy", "dramas": "drama", "westerns": "western",
                 "musicals": "musical", "documentaries": "documentary", "horrors": "horror"}  # surface -> genre
# capitalised words any sentence may start with: not claims, so never limited by grounded decoding
SENTENCE_STARTS = frozenset("""A An And As Both But Fans For He Her His I If In It Its Like On Or She So That The
Their There These They This Those Together What When While With You Your""".split())
MIN_TOKENS = 4  # grounded decoding never ends an explanation before this many tokens (no empty answers)
MIN_CLAUSE_WORDS = 8  # a cut-off sentence is kept up to its last comma only if that leaves this many words
MAX_FAILURES = 50  # rejected explanations kept for inspection
PLAIN_WORDS = {"short", "news", "music", "history", "sport"}  # genre names that are everyday words ("short and sweet")
# A stated taste that is not the film's own may be named only as the user's: "since you like horror",
# "fans of Tom Hanks", "your love of sci-fi"; "its sci-fi elements" said of Toy Story 4 is false even
# though the user asked for sci-fi. The cue must come at most three words before the genre or person.
TASTE_CUE_RE = re.compile(
    r"(?i)(?:\byou(?:'re| are)?\s+(?:\w+\s+)?(?:like|love|enjoy|enjoyed|liked|loved|prefer|want|wanted|asked for|"
    r"said|mentioned|into)|\byour\s+(?:\w+\s+)?(?:love|taste|interest|preference|liking|fondness|passion)s?"
    r"(?:\s+(?:for|of|in))?|\b(?:fans?|lovers?)\s+of)\s+(?:[\w'-]+,?\s+){0,3}$")
CLAUSE_END_RE = re.compile(r"[.;:!?]")  # a cue does not reach across these


def _words(text: str) -> list[str]:
    return WORD_RE.findall(text)


def _key(text: str) -> tuple[str, ...]:
    return tuple(_bare(w).lower() for w in _words(text))


@dataclass
class Vocab:
    genres: set  # word tuples of every catalog genre (plus aliases)
    people: set  # word tuples of every person name with at least two words
    titles: set  # word tuples of distinctive titles (see _distinctive)
    longest: int = 1  # words in the longest entry: "Paradise Lost: The Child Murders at Robin Hood Hills" is 10


def _distinctive(title: str) -> bool:
    """Titles a sentence can be said to assert: several words, or one long capitalised word.

    One-word titles like "Up", "Her" or "Heat" are ordinary words in a sentence.
    """
    words = _words(title)
    return len(words) >= 2 or (len(words) == 1 and len(words[0]) >= 6 and words[0][:1].isupper())


def build_vocab(catalog: Catalog) -> Vocab:
    genres = {_key(g) for i in catalog for g in i.genres if g.lower() not in PLAIN_WORDS} | {_key(a) for a in GENRE_ALIASES}
    people = {_key(p.name) for i in catalog for p in i.people if len(_words(p.name)) >= 2}
    titles = {_key(i.title) for i in catalog if _distinctive(i.title)}
    genres, people, titles = {g for g in genres if g}, {p for p in people if p}, {t for t in titles if t}
    return Vocab(genres, people, titles, max(map(len, genres | people | titles), default=1))


@dataclass
class Claim:
    kind: str  # "genre", "person", "title", "year", or "name" (a capitalised name no vocabulary knows)
    text: str  # the words as they appear in the explanation
    part: bool = False  # a genre inside a hyphenated word ("comedy-drama"): it covers not even that word


def _aliased(keys: set) -> set:
    return keys | {_key(a) for a, g in GENRE_ALIASES.items() if _key(g) in keys}


def _item_keys(item: Item) -> set:
    """Word tuples the film's own metadata supports: its genres, people and title."""
    keys = {_key(g) for g in item.genres} | {_key(p.name) for p in item.people} | {_key(item.title), _key(item.label)}
    return {k for k in _aliased(keys) if k}


def _taste_keys(prefs: Preferences) -> set:
    """Genres and people the user stated a liking for: nameable only as the user's taste."""
    keys = {_key(g) for g in prefs.liked_genres} | {_key(p) for p in prefs.liked_people}
    return {k for k in _aliased(keys) if k}


def _allowed(item: Item, prefs: Preferences, catalog: Catalog) -> tuple[set, set]:
    """(word tuples, years) the explanation may assert for this item and user."""
    keys = _item_keys(item) | _taste_keys(prefs)
    years = {item.year} if item.year else set()
    for iid in prefs.liked:
        liked = catalog.get(iid)
        if liked is not None:
            keys |= {_key(liked.title)}
            if liked.year:
                years.add(liked.year)
    years |= {y for y in (prefs.year_min, prefs.year_max) if y}
    return {k for k in keys if k}, years


def _as_taste(text: str, start: int) -> bool:
    """True when the words before character ``start`` give what follows as the user's taste."""
    before = text[:start]
    ends = [m.end() for m in CLAUSE_END_RE.finditer(before)]
    return bool(TASTE_CUE_RE.search(before[ends[-1] if ends else 0:]))


def _bare(word: str) -> str:
    return word[:-2] if word.lower().endswith("'s") else word  # "Scott's" asserts "Scott"


def _name_runs(words: list[str]) -> list[tuple[int, int]]:
    """Spans of two or more consecutive capitalised words ("Brian Adlai", "Academy Award"): a
    proper name the vocabularies may not know, so a small model cannot invent one unnoticed."""
    runs, start = [], None
    for i, w in enumerate(words + ["."]):
        if w[:1].isupper() and len(w) > 1 and i < len(words):
            start = i if start is None else start
            continue
        if start is not None and i - start >= 2:
            runs.append((start, i))
        start = None
    return runs


def _phrase_text(item: Item, prefs: Preferences, catalog: Catalog) -> str:
    """The facts a name may come from (the item's metadata, the user's liked titles and people),
    as one space-padded lower-case word string for sub-phrase tests."""
    parts = [item.title, item.description, *(p.name for p in item.people), *item.tags, *prefs.liked_people]
    parts += [catalog[i].title for i in prefs.liked if catalog.get(i) is not None]
    return " " + " ".join(" ".join(_bare(w).lower() for w in _words(x)) for x in parts if x) + " "


class GroundingChecker:
    """Finds asserted genres, people, titles and years and rejects unsupported ones."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.vocab = build_vocab(catalog)

    def claims(self, text: str) -> list[tuple[Claim, tuple[int, int]]]:
        """Every vocabulary match with its word span, longest first at each position."""
        words = _words(text)
        low = [w.lower() for w in words]
        out = []
        for i in range(len(words)):
            for n in range(min(self.vocab.longest, len(words) - i), 0, -1):
                key = tuple(low[i:i + n])
                kind = ("person" if key in self.vocab.people else "genre" if key in self.vocab.genres
                        else "title" if key in self.vocab.titles and self._looks_like_title(words[i:i + n]) else None)
                if kind:
                    out.append((Claim(kind, " ".join(words[i:i + n])), (i, i + n)))
        for i, w in enumerate(low):  # "comedy-drama" asserts both genres ("sci-fi" itself is one)
            if "-" in w and (w,) not in self.vocab.genres:
                out += [(Claim("genre", p, part=True), (i, i + 1)) for p in w.split("-") if (p,) in self.vocab.genres]
        known = [span for _, span in out]  # a name a vocabulary already matched is judged as that
        out += [(Claim("name", " ".join(words[a:b])), (a, b)) for a, b in _name_runs(words)
                if not any(x <= a and b <= y for x, y in known)]
        for m in YEAR_RE.finditer(text):
            out.append((Claim("year", m.group(1)), (-1, -1)))
        return out

    @staticmethod
    def _looks_like_title(words: list[str]) -> bool:
        # A title is asserted when written as one: its first and last words capitalised.
        return words[0][:1].isupper() and (words[-1][:1].isupper() or words[-1][:1].isdigit())

    def violations(self, text: str, item: Item, prefs: Preferences) -> list[Claim]:
        """Claims not supported by the item's metadata or the user's stated preferences."""
        allowed, years = _allowed(item, prefs, self.catalog)
        own, tastes = _item_keys(item), _taste_keys(prefs)
        starts = [m.start() for m in WORD_RE.finditer(text)]  # character offset of every word

        def supported(claim: Claim, a: int) -> bool:
            key = _key(claim.text)
            if key not in allowed:
                return False
            if claim.kind in ("genre", "person") and key not in own and key in tastes:
                return _as_taste(text, starts[a])  # the user's taste, not the film's: only as theirs
            return True

        claims = self.claims(text)
        covered: set[int] = set()
        for claim, (a, b) in claims:  # words inside an allowed span are covered by it
            if claim.kind != "year" and not claim.part and supported(claim, a):
                covered.update(range(a, b))
        bad = []
        context = _phrase_text(item, prefs, self.catalog)
        for claim, (a, b) in claims:
            if claim.kind == "year":
                if int(claim.text) not in years:
                    bad.append(claim)
            elif claim.kind == "name":  # a name outside every vocabulary: fine only if the facts say it
                if not set(range(a, b)) <= covered and f" {' '.join(_key(claim.text))} " not in context:
                    bad.append(claim)
            elif not supported(claim, a) and not set(range(a, b)) <= covered:
                bad.append(claim)
        return bad

    def is_grounded(self, text: str, item: Item, prefs: Preferences) -> bool:
        return bool(text.strip()) and not self.violations(text, item, prefs)


# ---------------------------------------------------------------- generation

@dataclass
class ExplainConfig:
    max_new_tokens: int = 32  # one or two short sentences; decoding is ~20 tokens/s on a laptop CPU
    n_items: int = 3  # items explained by the model per turn; the rest get reason-based text
    plot_chars: int = 160  # characters of the plot put in the prompt
    grounded_decoding: bool = True  # names, numbers and genres only from the facts while decoding (WordLimits)


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
    """Grounded decoding for one explanation: names and numbers only from the facts in its prompt,
    and no genre word the film does not have (a liked genre it lacks is never started)."""
    facts = " ".join([movie_facts(item, len(item.description or "")), preference_facts(prefs, catalog),
                      *(catalog[i].label for i in prefs.liked if catalog.get(i) is not None)])
    own = _item_keys(item)  # a liked genre the film lacks would need "you like ...": simpler never to start it
    never = {g[0] for g in vocab.genres if len(g) == 1 and g not in own}
    # and the first word of a two-word alias ("science fiction" for a film that is not sci-fi)
    never |= {_key(a)[0] for a, g in GENRE_ALIASES.items() if len(_key(a)) > 1 and _key(g) not in own}
    return WordLimits(names=frozenset(_words(facts)) | SENTENCE_STARTS, never=frozenset(never), min_tokens=MIN_TOKENS)


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
        self.stats = {"generated": 0, "grounded": 0}
        self.failures: list[dict] = []  # the latest rejected sentences and why (benchmark reports show them)

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

    def _generate(self, prompt: str, limits: WordLimits | None = None) -> str:
        """Greedy text, stopped at the first sentence end or line break (decoding is the slow part)."""
        stream = getattr(self.backend, "stream", None)
        kwargs = {"limits": limits} if limits is not None and _takes_limits(stream or self.backend.generate) else {}
        if not callable(stream):
            return self.backend.generate(prompt, self.cfg.max_new_tokens, **kwargs)
        text = ""
        for piece in stream(prompt, self.cfg.max_new_tokens, **kwargs):
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
        cont = self._generate(self.prompt(item, prefs), limits)
        text = tidy(self.answer_start(item) + cont) if cont.strip() else ""
        self.stats["generated"] += 1
        bad = self.checker.violations(text, item, prefs) if text else [Claim("empty", "")]
        if not bad:
            self.stats["grounded"] += 1
            return Explanation(text, generated=True)
        violations = [f"{c.kind}: {c.text}" for c in bad]
        self.failures = [*self.failures[-(MAX_FAILURES - 1):], {"item": item.label, "text": text, "violations": violations}]
        return Explanation(fallback(item, reasons, prefs, self.catalog), generated=False, violations=violations)

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
