"""The grounding checker: which genres, people, titles and years a sentence asserts, and
whether the item's metadata or the user's stated preferences support each one.

The vocabularies are the catalog's own (every genre with its aliases, every person with two
or more words in the name, every distinctive title); a capitalised name no vocabulary knows
must come from the item's facts. A liked genre or person the film lacks may be named only as
the user's taste ("since you like horror"). ``nonsense`` rejects sentences that are true but
say nothing ("because of the movie Jurassic World", "intense and intense").

    checker = GroundingChecker(catalog)
    checker.violations("A Nolan thriller from 2010", catalog["inception"], prefs)  # -> []
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from convrec.catalog import Catalog, Item
from convrec.state import Preferences

WORD_RE = re.compile(r"[A-Za-z0-9]+(?:[-'][A-Za-z0-9]+)*")  # "Sci-Fi", "O'Brien" stay one word
YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
GENRE_ALIASES = {"scifi": "sci-fi", "sci fi": "sci-fi", "science fiction": "sci-fi", "biopic": "biography",
                 "romantic": "romance", "animated": "animation", "thrillers": "thriller", "comedies": "comedy", "dramas": "drama", "westerns": "western",
                 "musicals": "musical", "documentaries": "documentary", "horrors": "horror"}  # surface -> genre
# capitalised words any sentence may start with: not claims, so never limited by grounded decoding
SENTENCE_STARTS = frozenset("""A An And As Both But Fans For He Her His I If In It Its Like On Or She So That The
Their There These They This Those Together What When While With You Your""".split())
PLAIN_WORDS = {"short", "news", "music", "history", "sport"}  # genre names that are everyday words ("short and sweet")
# A stated taste that is not the film's own may be named only as the user's: "since you like horror",
# "fans of Tom Hanks", "your love of sci-fi"; "its sci-fi elements" said of Toy Story 4 is false even
# though the user asked for sci-fi. The cue must come at most three words before the genre or person.
TASTE_CUE_RE = re.compile(
    r"(?i)(?:\byou(?:'re| are)?\s+(?:\w+\s+)?(?:like|love|enjoy|enjoyed|liked|loved|prefer|want|wanted|asked for|"
    r"said|mentioned|into)|\byour\s+(?:\w+\s+)?(?:love|taste|interest|preference|liking|fondness|passion)s?"
    r"(?:\s+(?:for|of|in))?|\b(?:fans?|lovers?)\s+of)\s+(?:[\w'-]+,?\s+){0,3}$")
# Said of the user, a taste must be one they stated: "you're not interested in documentaries" and
# "since you love horror" are false when they never said so (a prediction, "you may enjoy", is no claim).
USER_TASTE_RE = re.compile(
    r"(?i)(?:\byou(?:'re| are)?\s+(?:(?:really|also|clearly|obviously|not|don't|do not|seem to)\s+)?(?:like|love|liked|"
    r"loved|enjoyed|prefer|said|mentioned|asked for|into|interested in|a fan of|fond of)|\byour\s+(?:\w+\s+)?"
    r"(?:love|taste|interest|preference|liking|fondness|passion)s?(?:\s+(?:for|of|in))?)\s+(?:[\w'-]+\s+)?$")
# Another film may be named only as a comparison or as the user's taste ("like Alien", "since you
# loved Alien"): "a sequel to ... The Thin Blue Line" said of Jackass 3D is false, though the user liked it.
COMPARISON_RE = re.compile(r"(?i)\b(?:like|unlike|similar to|reminiscent of|as|than|if you|after|fans? of)\s+"
                           r"(?:[\w'-]+,?\s+){0,3}$")
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


def _inside(part: tuple, whole: tuple) -> bool:
    """True when ``part`` is a run of words of ``whole``: "Star Wars" in "Star Wars: Episode VIII"."""
    return any(whole[i:i + len(part)] == part for i in range(len(whole) - len(part) + 1))


def _cued(text: str, start: int, cue: re.Pattern = TASTE_CUE_RE) -> bool:
    """True when the words before character ``start``, in the same clause, end with ``cue``
    (by default: what follows is given as the user's taste)."""
    before = text[:start]
    ends = [m.end() for m in CLAUSE_END_RE.finditer(before)]
    return bool(cue.search(before[ends[-1] if ends else 0:]))


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
        plot = " " + " ".join(_key(item.description)) + " "

        def supported(claim: Claim, a: int) -> bool:
            key = _key(claim.text)
            if claim.kind == "title" and _inside(key, _key(item.title)):
                return True  # "Star Wars" said of Star Wars: Episode VIII: its own series
            if claim.kind == "title" and f" {' '.join(key)} " in plot:
                return True  # a title its own plot names: "Superman" in Justice League is a character there
            if key not in allowed:
                return False
            if claim.kind in ("genre", "person"):
                if key not in tastes and _cued(text, starts[a], USER_TASTE_RE):
                    return False  # a taste the user never stated, said to be theirs
                if key not in own and key in tastes:
                    return _cued(text, starts[a])  # the user's taste, not the film's: only as theirs
            if claim.kind == "title" and key not in own:
                return _cued(text, starts[a]) or _cued(text, starts[a], COMPARISON_RE) or \
                    _cued(text, starts[a], USER_TASTE_RE)
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


# ---------------------------------------------------------------- sentences that say nothing

VACUOUS_RE = re.compile(r"(?i)\bbecause of (?:the|this) (?:movie|film)\b(?!'s)|"  # "... because of the movie Groundhog Day."
                        r"\b(\w{4,})(?: film| movie)? about (?:a|an|the) (?:\w+ )?\1\b")  # "a documentary about a documentary"
# claims no catalog field backs, seen in the generator benchmark's accepted sentences: a rating ("because it's
# not yet rated"; the catalog has none), a release state, a dislike the user never stated ("and you're not
# interested in Documentary"), a second pick ("and you might enjoy The Thin Blue Line because ..."), and
# circular praise ("a movie that has been adapted into a movie", "the movie itself is a superhero movie")
# words grounded decoding never starts in an explanation, so the model writes something else instead of
# those claims (the opening "You may enjoy X because it" is given, so a second "enjoy" is a second pick)
UNBACKED_WORDS = frozenset({"rated", "unrated", "rating", "ratings", "interested", "itself", "release", "released",
                            "enjoy", "appreciate", "yet", "review", "reviewed", "reviews", "rotten", "not", "might", "may"})
# (blocked one by one, the model had written "not yet Rotten", "not yet reviewed", "not quite ready for the big
# screen", "not currently being made" and "you might also like Rushmore": a reason that says what the film is
# not, or names a second pick, was never backed by a fact in the benchmark, so neither word is started)
UNBACKED_RE = re.compile(r"(?i)\b(?:not yet |un)?rated\b|\bratings?\b|\bnot (?:yet|quite|currently)\b|\breview(?:s|ed)?\b|"
                         r"\brotten\b|\bready for the big screen\b|\bbeing made\b|"
                         r"\byou(?:'re| are) not interested\b|\byou (?:don't|do not) (?:like|enjoy|want)\b|"
                         r"\byou (?:might|may|will|would|could) (?:also )?(?:enjoy|like|love|appreciate)\b|"
                         r"\badapted into a (?:movie|film)\b|\bthe (?:movie|film) itself is\b|\bassociated with the genre\b")
# a capitalised "The" inside a sentence before a number starts no title a fact backs: the second try of
# "a sequel to ... The Thin Blue Line", with that title forbidden, was "... of The 1996 film The 21st century"
GARBLED_RE = re.compile(r"(?<=[a-z,] )The \d+\w*")
SMALL_WORDS = {"and", "or", "the", "a", "an", "of", "its", "it's", "is", "that", "with", "for", "to", "in"}


def nonsense(text: str, item: Item) -> list[Claim]:
    """Why a sentence that may be true says nothing, or says what no fact backs: "because of the movie X"
    gives a film as its own reason, the film's title said again after the opening that names it ("You
    may enjoy Jurassic World because of the movie Jurassic World"), a word repeated ("intense and
    intense"), or an ``UNBACKED_RE`` claim ("because it's not yet rated")."""
    at = text.find(item.title)
    rest = text[at + len(item.title):] if at >= 0 else text
    out = [Claim("vacuous", m.group()) for m in VACUOUS_RE.finditer(text)]
    out += [Claim("unbacked", m.group()) for m in UNBACKED_RE.finditer(rest)]  # after the opening "You may enjoy X"
    title, said = _key(item.title), _words(rest)
    keys = [_bare(w).lower() for w in said]
    if title and any(tuple(keys[i:i + len(title)]) == title and said[i][:1].isupper() for i in range(len(said))):
        out.append(Claim("vacuous", item.title))  # capitalised: "a frozen world" is not "Frozen"
    words = [w.lower() for w in said]
    for a, b, c in zip(words, words[1:], words[2:]):
        if a == c and b in ("and", "or") and a not in SMALL_WORDS:
            out.append(Claim("repeated", f"{a} {b} {c}"))
    out += [Claim("repeated", f"{a} {b}") for a, b in pairwise(words) if a == b]  # "thrilling thrilling epic"
    out += [Claim("garbled", m.group()) for m in GARBLED_RE.finditer(rest)]
    out += [Claim("repeated", " ".join(said[i:i + n])) for n, i in _repeats(said)]
    return out


def _repeats(said: list[str]) -> list[tuple[int, int]]:
    """(length, start) of each run said a second time: four words ("because it's a horror movie, and ...
    because it's a horror movie"), or two when one is a name or number ("of The 1996 film The 1996",
    written when a first try's title was forbidden). A small model loops instead of explaining; three
    words repeat in plain prose ("a dark and suspenseful tone ... a dark and ominous atmosphere")."""
    low, seen, out = [w.lower() for w in said], set(), []
    for i in range(len(said)):
        for n in (4, 2):
            run = tuple(low[i:i + n])
            if len(run) < n or n == 2 and not any(
                    (w[:1].isupper() and w not in SENTENCE_STARTS) or w[:1].isdigit() for w in said[i:i + 2]):
                continue
            if (n, run) in seen and (not out or out[-1][1] != i):  # one claim per starting word
                out.append((n, i))
            seen.add((n, run))
    return out
