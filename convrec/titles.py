"""Title linking: find mentions of catalog titles in free text and return catalog ids.

Handles exact titles, a missing or extra "The", an optional year ("Dune 1984", "Dune (2021)"),
sequel numbering ("Toy Story 2", "The Godfather part II", "godfather 2"), one typo per title
(symmetric-deletion lookup, no extra dependency), the part before or after a colon
("Star Wars: Episode V - The Empire Strikes Back" -> "empire strikes back"), "the new Dune"
(most recent of several) and ReDial's ``@12345`` form. Titles made only of common words
("It", "Up", "Love Actually") link only with a cue: quotes, a year, or capitals mid-sentence,
so "I like it" never links to the film *It*.

The index is built once per catalog and cached (``index_for(catalog)``).

    from convrec.titles import link
    [(m.text, m.item_id) for m in link("I loved the new dune", catalog)]
"""
from __future__ import annotations

import functools
import re
import unicodedata
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from convrec.catalog import Catalog, Item

ARTICLES = {"the", "a", "an"}
ROMAN = {"ii": "2", "iii": "3", "iv": "4", "vi": "6", "vii": "7", "viii": "8", "ix": "9"}  # "v"/"x" are words too
ACRONYMS = {"lol", "lmao", "omg", "btw", "idk", "tbh", "imo", "imho", "ok", "yes", "no", "wow", "ya", "rofl", "haha",
            "tv", "dvd", "usa", "uk", "us", "hi", "asap", "fyi", "thx", "ty", "np", "jk", "smh", "ikr", "gl", "hbo"}
TITLE_CONTEXT = {"seen", "saw", "watched", "watching", "loved", "liked", "enjoyed", "hated", "love", "recommend",
                 "try", "rewatch", "movie", "film"}  # before two ordinary words ("seen gone girl") they are a title
WATCH_CONTEXT = {"seen", "saw", "see", "seeing", "watched", "watch", "watching", "rewatch", "rewatched",
                 "rewatching"}  # "seen frozen": a common word after these is a title
LIKE_PREPOSITION_CONTEXT = {"movie", "movies", "film", "films", "flick", "flicks", "something", "anything", "one",
                            "ones", "stuff", "more", "similar", "things", "kind", "type", "others"}  # "movies like frozen"
NEWEST_CUES = {"new", "newer", "newest", "latest", "recent", "remake", "modern", "reboot"}
OLDEST_CUES = {"old", "older", "original", "classic"}
MIN_FUZZY_CHARS = 5  # a key shorter than this never matches with a typo (too many near-words)
MAX_TITLE_TOKENS = 12  # longer windows are never titles
MAX_LINK_CHARS = 6000  # text beyond this is not searched (hostile input stays fast)
VERY_COMMON_RANK = 3000  # word-frequency rank below which a word is everyday chat ("speed", "heat", "taken")
COMMON_RANK = 8000  # below this a one-word title needs capitals to link ("alien", "frozen", "weekend")

# Words so common in chat that a title made only of them needs a cue (capitals, quotes, a year).
COMMON = set("""
a about above after again against all almost alone along already also always am among an and another any anything
are around as at away back bad be beautiful because been before being below best better between big black blue
both boy boys but by call came can cant car cars case change child children city clear close cold come coming
could couldnt crazy dad dark day days dead death did didnt different do does doesnt dog dont done door down dream
during each early easy end enough even ever every everyone everything evil eye eyes face fact fall family far
fast father favorite favourite few fight film films final find fine fire first five for forever found four free friend
friends from fun funny game get girl girls give go god going gone good got great green hard has have havent he
head heart heat hell hello help her here hero hey hi high him his hit home honey hope horror hot hour house how
i if ill im in inside into is isnt it its ive just keep kid kids kill kind king know lady land last late later
left less let life light like liked little live long look looking lost lot love loved lucky made make man many
may maybe me mean men might mind miss money more morning most mother movie movies much must my myself name
never new next nice night nine no not nothing now of off oh ok okay old on once one only open or other our out
over own part people perfect place play please pretty probably put queen rather real really red right road run
said same saw say scary school see seen seven she short should show side since six so some something sometimes
soon sorry sound sounds still stop story sure take taken talk tell ten than thank thanks that thats the their them
then there these they thing things think this those three through time to today together told tonight too top
true try trying two under until up us very wait want wanted war was watch watched water way we well went were
what whats when where which while white who why wild will wish with without woman women wonderful world would
wow yeah year years yes yet you youll young your yours youre action comedy drama thriller romance sci fi animated
cartoon cartoons classic classics documentary musical western mystery fantasy adventure crime family animation
recommend recommendation recommendations suggestion suggestions genre genres actor actors enjoy enjoyed hate hated
awesome amazing cool sweet alright bye goodbye glad happy sad lol haha seems seem check heard hear chat day
""".split())

# Function words: a title made only of these (plus a few light verbs) always needs a cue.
FUNCTION = set("""
a about after again all also am an and any are as at be because been but by can cant could did didnt do does
doesnt dont for from get go got had has have he her here him his how i if im in into is isnt it its ive just know
let like love me more my no not now of off oh ok okay on one only or our out over say see she so some than that
thats the their them then there these they this those to too up us very want was we were what when where which
who why will with would yes you your
""".split())


@dataclass
class Mention:
    start: int  # character span in the original text
    end: int
    text: str  # the words as written
    item_id: str  # the chosen catalog id
    alternatives: list[str] = field(default_factory=list)  # other ids the words could mean, best first
    year: int | None = None  # a year the user gave with the title
    how: str = "exact"  # "exact", "fuzzy", "alias" or "at" (ReDial @id)


# ---------------------------------------------------------------- normalisation

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
        if tok[0] in ("part", "pt", "chapter") and k + 1 < len(raw) and raw[k + 1][0].isdigit():
            continue
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
    if ":" in title or " - " in title or "\u2013" in title:
        for part in re.split(r":|\s[-\u2013]\s", title):
            k = re.sub(r"^episode (?:\d+|[ivx]+) ", "", key_of(part))
            variants = [k] + ([k.split(" ", 1)[1]] if k.split(" ", 1)[0] in ARTICLES and " " in k else [])
            for v in variants:
                if v and not all(w in COMMON for w in v.split()) and len(v) >= 4:
                    keys.append((v, 1))
    return keys


def _deletes(key: str) -> set[str]:
    return {key[:i] + key[i + 1:] for i in range(len(key))}


class TitleIndex:
    """Normalised title keys -> ids, plus a one-deletion table for typos."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.size = len(catalog)
        self.keys: dict[str, list[tuple[str, int]]] = {}  # key -> [(id, tier)]
        for item in catalog:
            for key, tier in _title_keys(item.title):
                entry = self.keys.setdefault(key, [])
                if all(i != item.id for i, _ in entry):
                    entry.append((item.id, tier))
        self.max_tokens = min(MAX_TITLE_TOKENS, max((k.count(" ") + 1 for k in self.keys), default=1))
        self.fuzzy: dict[str, set[str]] = {}  # deletion variant -> keys
        for key in self.keys:
            if len(key) >= MIN_FUZZY_CHARS and cue_needed(key) <= 1:  # a typo'd title still needs its cue
                for d in _deletes(key) | {key}:
                    self.fuzzy.setdefault(d, set()).add(key)

    def fuzzy_keys(self, window: str) -> list[str]:
        """Title keys within one edit of ``window``, same length first."""
        if len(window) < MIN_FUZZY_CHARS:
            return []
        found: set[str] = set()
        for d in _deletes(window) | {window}:
            found |= self.fuzzy.get(d, set())
        found = {k for k in found if abs(len(k) - len(window)) <= 1 and k.count(" ") == window.count(" ")}
        return sorted(found, key=lambda k: (abs(len(k) - len(window)), k))


_INDEXES: "weakref.WeakKeyDictionary[Catalog, TitleIndex]" = weakref.WeakKeyDictionary()


def index_for(catalog: Catalog) -> TitleIndex:
    """The cached index of a catalog (rebuilt if the catalog changed size)."""
    idx = _INDEXES.get(catalog)
    if idx is None or idx.size != len(catalog):
        idx = TitleIndex(catalog)
        _INDEXES[catalog] = idx
    return idx


# ---------------------------------------------------------------- linking

@functools.lru_cache(maxsize=1)
def word_ranks() -> dict[str, int]:
    """Frequency rank of English words, read from the local MiniLM WordPiece vocabulary.

    BERT-style vocabularies list whole words roughly by corpus frequency ("the" first), so the
    rank tells everyday words ("weekend", "murder") from title words ("Jaws"). Empty when the
    model is not installed; the built-in ``COMMON`` list is used alone then.
    """
    from convrec import config

    try:
        words = (Path(config.embedding_model_path()) / "vocab.txt").read_text(encoding="utf-8").split("\n")
    except (OSError, ValueError):
        return {}
    start = words.index("the") if "the" in words else 0
    return {w: i - start for i, w in enumerate(words) if i >= start and w.isalpha()}


def commonness(word: str) -> int:
    """2 = everyday word, 1 = common word, 0 = rare enough to be read as a title."""
    if word in COMMON or word in FUNCTION or word.isdigit():
        return 2
    rank = word_ranks().get(word)
    if rank is None:
        return 0
    return 2 if rank < VERY_COMMON_RANK else (1 if rank < COMMON_RANK else 0)


def cue_needed(key: str) -> int:
    """How strong a cue a title needs: 0 none, 1 capitals (or context), 2 capitals mid-sentence."""
    words = key.split()
    if len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]  # "the help" is as common as "help"
    if len(words) == 1:
        return 2 if len(words[0]) <= 3 else commonness(words[0])
    if all(w in FUNCTION or w.isdigit() for w in words):
        return 2  # "what if", "up in the air" needs more
    if len(words) == 2 and all(commonness(w) == 2 or w.isdigit() for w in words):
        return 1  # "gone girl", "get out": everyday words unless marked as a title
    return 0


def _all_common(key: str) -> bool:
    return cue_needed(key) > 0


def _typo_ok(window: str, key: str, text_span: str) -> bool:
    """A one-edit match is a typo only inside one rare-ish word of 4+ letters, never in a number."""
    w_toks, k_toks = window.split(), key.split()
    if len(w_toks) != len(k_toks):
        return False
    diff = [(w, k) for w, k in zip(w_toks, k_toks) if w != k]
    if len(diff) != 1:
        return False
    w, k = diff[0]
    if w.isdigit() or k.isdigit() or len(k) < 4 or commonness(w) or len(w) <= 3:
        return False  # a real word ("watching", "whole") is not a typo of a title
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


def _choose(index: TitleIndex, entries: list[tuple[str, int]], year: int | None, cue: str | None) -> list[str]:
    """Order candidate ids: a given year, then "new"/"original", then tier, popularity, recency."""
    items = [(index.catalog[i], tier) for i, tier in entries]
    best_tier = min(t for _, t in items)

    def rank(pair: tuple[Item, int]):
        item, tier = pair
        y = item.year or 0
        year_gap = abs(y - year) if year is not None and item.year else (0 if year is None else 9999)
        age = -y if cue == "new" else (y if cue == "old" else 0)
        return (year_gap, tier, age, -item.popularity, -y)

    ordered = sorted(items, key=rank)
    if cue is None and year is None:
        ordered = [p for p in ordered if p[1] == best_tier]
    return [it.id for it, _ in ordered]


def link(text: str, catalog: Catalog) -> list[Mention]:
    """Every title mention in ``text``, left to right, non-overlapping (longest first)."""
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
        found = _match_at(text, toks, i, index)
        if found is None:
            i += 1
            continue
        mention, used = found
        if toks[i][0] in ARTICLES and i + 1 < len(toks):
            later = _match_at(text, toks, i + 1, index)  # "the Star Wars movies": not "The Star"
            if later is not None and (later[0].end > mention.end or _fits_year(later[0], index) > _fits_year(mention, index)):
                mention, used = later[0], later[1] + 1
        mentions.append(mention)
        i += used
    return sorted(mentions, key=lambda m: m.start)


def _match_at(text: str, toks: list, i: int, index: TitleIndex) -> tuple[Mention, int] | None:
    for j in range(min(len(toks), i + index.max_tokens), i, -1):
        if toks[j - 1][1] - toks[i][2] > 120:
            continue  # tokens far apart are not one title
        window = " ".join(t for t, _, _ in toks[i:j])
        how = "exact"
        key = window if window in index.keys else None
        if key is None and not _all_common(window):
            # "toy story 4" is not a typo of "toy story 2", "seen wolf" not of "teen wolf"
            span = text[toks[i][1]:toks[j - 1][2]]
            ok = [k for k in index.fuzzy_keys(window) if _typo_ok(window, k, span)]
            pop = {k: max(index.catalog[i].popularity for i, _ in index.keys[k]) for k in ok}
            ok.sort(key=lambda k: (abs(len(k) - len(window)), -pop[k]))
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
        level = max(cue_needed(window), cue_needed(key) - 1) if how == "fuzzy" else cue_needed(key)
        prev2 = toks[i - 2][0] if i > 1 else ""
        context = prev in WATCH_CONTEXT or (prev == "like" and prev2 in LIKE_PREPOSITION_CONTEXT) or (
            key.count(" ") >= 1 and prev in TITLE_CONTEXT)
        if level and not _has_cue(text, start, end, year, level) and not (level == 1 and context):
            continue
        cue = "new" if prev in NEWEST_CUES else ("old" if prev in OLDEST_CUES else None)
        ids = _choose(index, index.keys[key], year, cue)
        if how == "exact" and all(t > 0 for _, t in index.keys[key]):
            how = "alias"
        end_all = toks[i + used - 1][2]
        if year is not None and text[end_all:end_all + 1] == ")":
            end_all += 1  # "Dune (1984)" includes its closing bracket
        return Mention(start, end_all, text[start:end_all], ids[0], ids[1:], year, how), used
    return None


def _fits_year(m: Mention, index: TitleIndex) -> bool:
    """The user gave a year and the chosen film has it ("the Scream (1996)" is Scream, not The Scream)."""
    return m.year is not None and index.catalog[m.item_id].year == m.year


def _is_year(tok: str) -> bool:
    return len(tok) == 4 and tok.isdigit() and 1880 <= int(tok) <= 2035
