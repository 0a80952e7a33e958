"""Title linking: find mentions of catalog titles in free text and return catalog ids.

Handles exact titles, a missing or extra "The", an optional year ("Dune 1984", "Dune (2021)"),
sequel numbering ("Toy Story 2", "The Godfather part II", "godfather 2"), one typo per title
(symmetric-deletion lookup, no extra dependency), the part before or after a colon
("Star Wars: Episode V - The Empire Strikes Back" -> "empire strikes back"), "the new Dune"
(most recent of several) and ReDial's ``@12345`` form. Of several films that share a title the one
the system showed is meant, else the better known (``convrec.title_choice``). Titles made only of common words
("It", "Up", "Love Actually") link only with a cue: quotes, a year, capitals mid-sentence, or
in lower case a context that marks a title (``convrec.title_words``: "@123 or frozen", "i loved
taken.", "the shining is one of my favorites"), so "I like it" never links to the film *It*.
A typo is one edit (insert, drop, replace, swap) in one rare-looking word; a real word is a
typo only when the rest of the title agrees ("Forest Gump"), and never inside a person's name.

The index is built once per catalog and cached (``index_for(catalog)``).

    from convrec.titles import link
    [(m.text, m.item_id) for m in link("I loved the new dune", catalog)]
"""
from __future__ import annotations

import re
import unicodedata
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field

from convrec import keywords, title_aliases
from convrec.catalog import Catalog
from convrec.title_choice import choose
from convrec.title_words import (ACRONYMS, ARTICLES, CHAT_PHRASES, CHAT_WORDS, COMMON, COMMON_RANK,  # noqa: F401
                                 FUNCTION, GENRE_WORDS, LIKE_PREPOSITION_CONTEXT, NEWEST_CUES, OLDEST_CUES, ROMAN,
                                 TITLE_CONTEXT, VERY_COMMON_RANK, WATCH_CONTEXT, all_common, article_title, commonness,
                                 cue_needed, distinctive, in_name, lower_case_cue, spelled_out, word_ranks)

MIN_FUZZY_CHARS = 5  # a key shorter than this never matches with a typo (too many near-words)
MIN_FUZZY_WINDOW = 4  # a typed word this short can still be a typo of a 5-letter key ("Takn" -> Taken)
MAX_TITLE_TOKENS = 12  # longer windows are never titles
MAX_LINK_CHARS = 6000  # text beyond this is not searched (hostile input stays fast)
POPULAR_QUANTILE = 0.9  # titles at or above this popularity quantile of the catalog count as well known


@dataclass
class Mention:
    start: int  # character span in the original text
    end: int
    text: str  # the words as written
    item_id: str  # the chosen catalog id
    alternatives: list[str] = field(default_factory=list)  # other ids the words could mean, best first
    year: int | None = None  # a year the user gave with the title
    how: str = "exact"  # "exact", "fuzzy", "alias", "at" (ReDial @id), "ref" (to a shown film) or "part" ("Part II"
    # after a title: convrec.mentions)


# ---------------------------------------------------------------- normalisation

_ACRONYM_RE = re.compile(r"((?:[A-Z]\.){2,})\s+\S")  # a dotted acronym opening a longer title
_TOKEN_RE = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*|&", re.UNICODE)


def _fold(word: str) -> str:
    word = unicodedata.normalize("NFKD", word)
    word = "".join(c for c in word if not unicodedata.combining(c)).lower()
    word = word.replace("'", "").replace("\u2019", "")
    if word == "&":
        return "and"
    return ROMAN.get(word, word)


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Normalised tokens with their character spans; "part" before a number is dropped."""
    raw = [(_fold(m.group()), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
    out = []
    for k, tok in enumerate(raw):
        if k + 1 < len(raw) and raw[k + 1][0].isdigit() and (
                tok[0] in ("part", "pt", "chapter") or (len(tok[0]) >= 6 and edit_distance(tok[0], "chapter") == 1)):
            continue  # "John Wick: Chpter 2" is "John Wick 2" too
        out.append(tok)
    return out


def key_of(text: str) -> str:
    return " ".join(t for t, _, _ in tokens(text))


def _title_keys(title: str) -> list[tuple[str, int]]:
    """(key, tier) pairs for a title: tier 0 = the whole title, tier 1 = an alias."""
    keys = []
    full = key_of(title)
    if full:
        keys.append((full, 0))
        first, _, rest = full.partition(" ")
        if first in ARTICLES and rest:
            keys.append((rest, 0))
    if re.search(r"\win['\u2019](?=\s|$)", title):  # "singing in the rain" is Singin' in the Rain
        keys.append((key_of(re.sub(r"(\win)['\u2019](?=\s|$)", r"\1g", title)), 1))
    acronym = _ACRONYM_RE.match(title)  # "E.T. the Extra-Terrestrial" is "E.T." (and "ET") to most people
    if acronym and spelled_out(acronym.group(1), title[acronym.end(1):]):
        keys += [(key_of(acronym.group(1)), 1), (key_of(acronym.group(1).replace(".", "")), 1)]
    if ":" in title or " - " in title or "\u2013" in title:
        for part in re.split(r":|\s[-\u2013]\s", title):
            k = re.sub(r"^episode (?:\d+|[ivx]+) ", "", key_of(part))
            variants = [k] + ([k.split(" ", 1)[1]] if k.split(" ", 1)[0] in ARTICLES and " " in k else [])
            for v in variants:
                if v and not all(w in COMMON for w in v.split()) and len(v) >= 4:
                    keys.append((v, 1))
    return keys


def edit_distance(a: str, b: str) -> int:
    """Optimal-string-alignment distance (a swap of neighbours counts as one edit)."""
    prev2, prev = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _deletes(key: str) -> set[str]:
    return {key[:i] + key[i + 1:] for i in range(len(key))}


class TitleIndex:
    """Normalised title keys -> ids, plus a one-deletion table for typos."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.size = len(catalog)
        self.keys: dict[str, list[tuple[str, int]]] = {}  # key -> [(id, tier)]
        typed: dict[str, set[str]] = {}  # whole-title key -> ids ("heat": Heat, not The Heat; ``title_choice``)
        people = {key_of(p.name) for item in catalog for p in item.people}
        for item in catalog:  # a part of a title that is a person's name is no alias: "I like Jackie Chan movies"
            item_keys = [(k, t) for k, t in _title_keys(item.title) if t == 0 or k not in people]  # had liked Jackie
            # Chan: My Stunts
            if item_keys:
                typed.setdefault(item_keys[0][0], set()).add(item.id)
            for key, tier in item_keys:
                entry = self.keys.setdefault(key, [])
                if all(i != item.id for i, _ in entry):
                    entry.append((item.id, tier))
        self.typed = {k: frozenset(ids) for k, ids in typed.items()}
        pops = sorted(catalog.renown(item.id) for item in catalog)
        # the popularity a title needs to count as well known (0 = the catalog has no popularity: nothing does)
        self.popular_min = pops[int(POPULAR_QUANTILE * (len(pops) - 1))] if pops and pops[-1] > 0 else float("inf")
        for key, item_id in title_aliases.head_aliases(catalog, self.keys, self.popular_min).items():
            self.keys[key] = [(item_id, 1)]  # "loved shawshank", "ferris bueller is a classic"
        self.max_tokens = min(MAX_TITLE_TOKENS, max((k.count(" ") + 1 for k in self.keys), default=1))
        self.fuzzy: dict[str, set[str]] = {}  # deletion variant -> keys
        for key in self.keys:
            if len(key) >= MIN_FUZZY_CHARS:  # a typo'd title still needs its cue (see _match_at)
                for d in _deletes(key) | {key}:
                    self.fuzzy.setdefault(d, set()).add(key)

    def popular(self, key: str) -> bool:
        """Is some film with this title well known (popularity in the catalog's top tenth)?"""
        return max(self.catalog.renown(i) for i, _ in self.keys[key]) >= max(self.popular_min, 1e-9)

    def fuzzy_keys(self, window: str) -> list[str]:
        """Title keys exactly one edit (insert, drop, replace, swap) from ``window``."""
        if len(window) < MIN_FUZZY_WINDOW:
            return []
        found: set[str] = set()
        for d in _deletes(window) | {window}:
            found |= self.fuzzy.get(d, set())
        return sorted(k for k in found if k.count(" ") == window.count(" ") and edit_distance(k, window) == 1)


_INDEXES: "weakref.WeakKeyDictionary[Catalog, TitleIndex]" = weakref.WeakKeyDictionary()


def index_for(catalog: Catalog) -> TitleIndex:
    """The cached index of a catalog (rebuilt if the catalog changed size)."""
    idx = _INDEXES.get(catalog)
    if idx is None or idx.size != len(catalog):
        idx = TitleIndex(catalog)
        _INDEXES[catalog] = idx
    return idx


# ---------------------------------------------------------------- linking

def _typo_ok(window: str, key: str, text_span: str) -> bool:
    """A one-edit match is a typo only inside one rare-ish word of 4+ letters, never in a number."""
    w_toks, k_toks = window.split(), key.split()
    if len(w_toks) != len(k_toks):
        return False
    diff = [(w, k) for w, k in zip(w_toks, k_toks) if w != k]
    if len(diff) != 1:
        return False
    w, k = diff[0]
    if w.isdigit() or k.isdigit() or len(k) < 4 or len(w) <= 3 or w in FUNCTION:
        return False
    if k in GENRE_WORDS and len([t for t in k_toks if t not in ARTICLES]) == 1:
        return False  # "Comedys" is the genre, not "The Comedy" (a longer title keeps its typo: "Bad Moms Chrisstmas")
    real = commonness(w) or (w in word_ranks() and not text_span[:1].isupper())  # "theaters" is not "Cheaters"
    agree = any(x == y and len(x) >= 4 and not commonness(x) for x, y in zip(w_toks, k_toks))
    if (w in (k + "s", k + "es") and not k.endswith("s")) or (k in (w + "s", w + "es") and not w.endswith("s")):
        return False  # "Dinosaurs" is not the film "Dinosaur" (but "Limitles" is a typo of "Limitless")
    if real and not agree:
        return False  # a real word ("watching", "movies") is not a typo, unless the rest agrees ("forest gump")
    if len(k_toks) == 1 and len(k) < 7 and not text_span[:1].isupper():
        return False  # a short single word: only "Avtar" in capitals reads as a title
    return True


def _has_cue(text: str, start: int, end: int, year: int | None, level: int = 2) -> bool:
    """Capitals (mid-sentence for everyday words), quotes or a year mark common words as a title."""
    if year is not None:
        return True
    before, after = text[:start].rstrip(), text[end:].lstrip()
    if before[-1:] in "\"'\u201c\u2018*" and before and after[:1] in "\"'\u201d\u2019*":
        return True
    span = text[start:end]
    if span.isupper() and len(span) > 1 and not text.isupper() and span.lower() not in ACRONYMS:
        return True  # "I saw IT" (but "LOL" is not the film "Lol")
    words = [w for w in re.findall(r"[^\W_]+", span)]
    caps = [w[:1].isupper() for w in words if (w.lower() not in ARTICLES or w is words[0]) and not w.isdigit()]
    if not caps or not all(caps) or text.isupper():
        return False
    sentence_start = not before or before[-1] in ".!?\n:;" or before.endswith(("@", "-"))
    return not sentence_start or len(words) >= 2 or level < 2


def link(text: str, catalog: Catalog, context: Sequence[str] = ()) -> list[Mention]:
    """Every title mention in ``text``, left to right, non-overlapping (longest first).

    ``context``: ids the system has shown, oldest first; among films that share a title, the
    user means one of these (``convrec.title_choice``).
    """
    if not text:
        return []
    text = text[:MAX_LINK_CHARS]
    index = index_for(catalog)
    mentions: list[Mention] = []
    for m in re.finditer(r"@(\d+)", text):
        if m.group(1) in catalog:
            mentions.append(Mention(m.start(), m.end(), m.group(), m.group(1), how="at"))
    taken = [(m.start, m.end) for m in mentions]
    toks = [t for t in tokens(text) if not any(a <= t[1] < b for a, b in taken)]
    i = 0
    while i < len(toks):
        # a title listed right after another ("seen psycho and the birds") has that title's context
        listed = bool(mentions) and bool(_LISTED_RE.fullmatch(text[mentions[-1].end:toks[i][1]])) or \
            bool(_AFTER_SERIES_RE.search(text, 0, toks[i][1]))  # "seen the toy story movies and frozen"
        found = _match_at(text, toks, i, index, named=context, listed=listed)
        if found is None:
            i += 1
            continue
        mention, used = found
        if toks[i][0] in ARTICLES and i + 1 < len(toks):
            later = _match_at(text, toks, i + 1, index, named=context)  # "the Star Wars movies": not "The Star"
            if later is not None and (later[0].end > mention.end or _fits_year(later[0], index) > _fits_year(
                    mention, index) or _loose_article(text, toks[i], mention, later[0], index)):
                mention, used = later[0], later[1] + 1
        mentions.append(mention)
        i += used
    return sorted(mentions, key=lambda m: m.start)


_LISTED_RE = re.compile(r"\s*(?:,|,?\s*(?:and|or|&))\s*")
# a named series is a listed title too: "all the toy story movies and frozen" (lower-case "frozen" went unread)
_AFTER_SERIES_RE = re.compile(r"(?i)\b(?:movies|films|series|trilogy|franchise)\s*(?:,|,?\s*(?:and|or|&))\s*$")


def _match_at(text: str, toks: list, i: int, index: TitleIndex,
              named: Sequence[str] = (), listed: bool = False) -> tuple[Mention, int] | None:
    for j in range(min(len(toks), i + index.max_tokens), i, -1):
        if toks[j - 1][1] - toks[i][2] > 120:
            continue  # tokens far apart are not one title
        window = " ".join(t for t, _, _ in toks[i:j])
        how = "exact"
        key = window if window in index.keys else None
        if key is None and not all_common(window):
            # "toy story 4" is not a typo of "toy story 2", "seen wolf" not of "teen wolf"
            span = text[toks[i][1]:toks[j - 1][2]]
            ok = [k for k in index.fuzzy_keys(window) if _typo_ok(window, k, span)]
            pop = {k: max(index.catalog.renown(i) for i, _ in index.keys[k]) for k in ok}
            # the better-known title first ("The Dark Kight" is The Dark Knight, not The Dark Night)
            ok.sort(key=lambda k: (-pop[k], abs(len(k) - len(window))))
            tied = len(ok) > 1 and abs(len(ok[0]) - len(window)) == abs(len(ok[1]) - len(window)) \
                and pop[ok[0]] == pop[ok[1]]
            key, how = (ok[0] if ok and not tied else None), "fuzzy"
        if key is None:
            continue
        used = j - i
        year = None
        if j < len(toks):
            nxt = toks[j][0]
            if nxt in ("from", "in") and j + 1 < len(toks) and _is_year(toks[j + 1][0]):
                year, used = int(toks[j + 1][0]), used + 2
            elif _is_year(nxt):
                year, used = int(nxt), used + 1
        start, end = toks[i][1], toks[j - 1][2]
        prev = toks[i - 1][0] if i > 0 else ""
        # a typo is itself a sign of a name: "inceptoin" needs no capitals, "haet" (heat) still does
        level = cue_needed(key)
        if how == "fuzzy" and (level == 1 or (level == 2 and window not in word_ranks() and " " not in window)):
            level = max(cue_needed(window), 1 if level == 2 else 0)  # "Seveen" is no word: capitals suffice
        elif how == "fuzzy" and level == 0:
            level = cue_needed(window)
        elif how == "exact" and level == 1 and distinctive(key) and index.popular(key):
            level = 0  # a well-known title of two everyday words ("die hard", "wonder woman") needs no capitals
        elif how == "exact" and level == 1 and article_title(key) and index.popular(key):
            level = 0  # "the matrix", "the shining": a well-known article + uncommon word is a title in lower case
        if j - i == 1 and _article_noun(text, prev, window, end) and key.split()[0] not in ("a", "an") and \
                not text[start].isupper():
            continue  # "he is a clown" is a noun, not the film The Clown
        prev2 = toks[i - 2][0] if i > 1 else ""
        if j - i == 1 and not text[start].isupper() and prev in _TOPIC_PREPS and prev2 in _KINDS:
            continue  # "something with aliens", "a movie about sharks": a topic, not the film Aliens
        if j - i == 1 and window in _HOLIDAYS and (prev in _HOLIDAY_PREPS or (prev != "the" and _HOLIDAY_KIND.match(
                text, end))):
            continue  # "something scary for halloween", "a christmas movie": the holiday, not the film Halloween
        if not text[start].isupper() and _theme_words(text, start, end, index.catalog):
            continue  # "any good heist movies?", "a movie about time travel": the catalog's theme, not Heist or About Time
        if how == "fuzzy" and j - i == 1 and in_name(text, toks, i):
            continue  # "Russel Crowe" is a person, not a typo of "The Crown"
        context = prev in WATCH_CONTEXT or (prev == "like" and prev2 in LIKE_PREPOSITION_CONTEXT) or (
            key.count(" ") >= 1 and prev in TITLE_CONTEXT) or listed
        # a film the system just showed, capitalised even at the start ("Heat sounds great"), is that film
        shown = bool(named) and any(i in named for i, _ in index.keys[key]) and _has_cue(text, start, end, year, 1)
        if level and not shown and not _has_cue(text, start, end, year, level) and not (level == 1 and context) and \
                not lower_case_cue(text, start, end, window, level, prev, all(t > 0 for _, t in index.keys[key]),
                                   listed):
            continue
        cue = "new" if prev in NEWEST_CUES else ("old" if prev in OLDEST_CUES else None)
        wished = frozenset(t for t, _, _ in _themes(text, index.catalog)) \
            if len(index.keys[key]) > 1 else frozenset()  # a tag the message names picks among namesakes
        ids = choose(index.catalog, index.keys[key], year, cue, named, index.typed.get(key, frozenset()), wished)
        if how == "exact" and all(t > 0 for _, t in index.keys[key]):
            how = "alias"
        end_all = toks[i + used - 1][2]
        if year is not None and text[end_all:end_all + 1] == ")":
            end_all += 1  # "Dune (1984)" includes its closing bracket
        return Mention(start, end_all, text[start:end_all], ids[0], ids[1:], year, how), used
    return None


# (text, catalog, its keywords) of the latest text: the linker asks for each window of one text. One tuple,
# read and replaced whole, so chat turns linking in parallel threads never mix two texts
_THEMES_MEMO: list = [(None, None, [])]


def _themes(text: str, catalog) -> list[tuple[str, int, int]]:
    """``keywords.find`` over the lower-cased text, once per text and catalog."""
    memo = _THEMES_MEMO[0]
    if memo[0] is not text or memo[1] is not catalog:
        memo = (text, catalog, keywords.find(text.lower(), catalog))
        _THEMES_MEMO[0] = memo
    return memo[2]


def _theme_words(text: str, start: int, end: int, catalog) -> bool:
    """The words at ``start:end`` are part of a longer catalog keyword ("about time" in "time travel") or are one
    followed by a kind of film ("heist movies")."""
    for _, s, e in _themes(text, catalog):
        if s < end and e > start and (e > end or s < start or (s == start and _HOLIDAY_KIND.match(text, end))):
            return True
    return False


_TOPIC_PREPS = {"with", "without", "about", "involving", "featuring"}  # "a sci-fi movie without aliens" too
_HOLIDAYS = {"halloween", "christmas", "thanksgiving", "easter"}
_HOLIDAY_PREPS = {"for", "on", "at", "this", "over", "during", "before", "after", "until", "till", "til", "around",
                  "it's", "its", "next", "last"}
_HOLIDAY_KIND = re.compile(r"(?i)\s*(?:movies?|films?|flicks?|night|party|season|eve|weekend|themed|special|vibes?|"
                           r"spirit|mood)\b")
_KINDS = {"something", "anything", "movie", "movies", "film", "films", "one", "ones", "stuff", "flick", "flicks"}


def _article_noun(text: str, prev: str, window: str, end: int) -> bool:
    """ "a clown", "an alien": an article before a dictionary word makes it a noun ("an" only before a vowel:
    "@123 an tangled" is a typo of "and"; "a titanic fan" still names the film)."""
    if prev not in ("a", "an") or window not in word_ranks() or (prev == "an") != (window[:1] in "aeiou"):
        return False
    return not re.match(r"\W*(?:fans?|kind|type|sort|movies?|films?|series)\b", text[end:].lower())


def _loose_article(text: str, article: tuple[str, int, int], with_the: Mention, without: Mention,
                   index: TitleIndex) -> bool:
    """"the Black Panther" is Black Panther (2018), not the obscure The Black Panther (1977): a lower-case "the"
    before a title that is better known without it is the speaker's article, not the title's."""
    pop = index.catalog.renown(without.item_id)
    return with_the.year is None and without.end == with_the.end and not text[article[1]].isupper() and \
        pop > index.catalog.renown(with_the.item_id)


def _fits_year(m: Mention, index: TitleIndex) -> bool:
    """The user gave a year and the chosen film has it ("the Scream (1996)" is Scream, not The Scream)."""
    return m.year is not None and index.catalog[m.item_id].year == m.year


def _is_year(tok: str) -> bool:
    return len(tok) == 4 and tok.isdigit() and 1880 <= int(tok) <= 2035
