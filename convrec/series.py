"""Film series: the ones a user asks for, and at most ``cap`` of one series among a list's first places.

A series is the title without its sequel marks (``series_key``): "Toy Story 3", "The Godfather
Part II", "Star Wars: Episode V - The Empire Strikes Back", "Harry Potter and the Goblet of
Fire"; a catalog's series are the keys two or more of its films share (``catalog_series``).
"what about the Star Wars movies?" names one (``named``; the tracker keeps it in
``Preferences.series``) and retrieval lists its films first (``convrec.arrange.by_series``). "something with Tom
Hanks" once listed Toy Story 2, 3, 4 and 1 in a row: a list that is one franchise shows one
choice, not five, so ``arrange.spread_series`` moves the third and later films of a series behind the others
(nothing is dropped) unless the message asks for that series or for sequels.

    from convrec import series
    keys = series.asked("any Harry Potter films?", catalog)       # {"harry potter"}
    rows = series.rows_of("harry potter", catalog)                # its films' catalog rows
"""
from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from convrec.catalog import Catalog
    from convrec.state import Preferences

_ROMAN = r"(?:i{1,3}|iv|vi{0,3}|ix|x)"
_SEQUEL_RE = re.compile(rf"(?:\s+(?:part|chapter|episode|vol\.?|volume)\s+(?:\d+|{_ROMAN}|one|two|three)|"
                        rf"\s+(?:\d{{1,2}}|{_ROMAN}))\s*$")  # "Toy Story 3", "Rocky IV", "The Godfather Part II"
_SUBTITLE_RE = re.compile(r"\s*(?::|\s-\s|\s–\s).*$")  # "Star Wars: Episode V - ...", "Mission: Impossible - Fallout"
_AND_THE_RE = re.compile(r"^(\w+(?:\s+\w+)+?)\s+and\s+the\s+\w.*$")  # "Harry Potter and the ...": two words or more


def series_key(title: str) -> str:
    """The series a title belongs to, as lower-case words ("toy story"); a film that is no
    sequel keys to its own title, so only titles sharing a stem share a key."""
    t = re.sub(r"\s*\(\d{4}\)\s*$", "", title.lower()).strip()
    t = _SUBTITLE_RE.sub("", t) or t
    t = _AND_THE_RE.sub(r"\1", t)
    t = _SEQUEL_RE.sub("", t) or t
    t = re.sub(r"^(?:the|a|an)\s+", "", t)
    return re.sub(r"[^\w]+", " ", t).strip()


CUE = r"(?:movies|films|ones|series|saga|franchise|trilogy|sequels|marathon)"  # "the Star Wars movies"
_CUE_RE = re.compile(rf"\b{CUE}\b")
_ANY_SERIES_RE = re.compile(r"\b(?:sequels?|prequels?|the series|franchises?)\b")  # "what about the sequels?"
_INDEXES: "weakref.WeakKeyDictionary[Catalog, dict[str, list[int]]]" = weakref.WeakKeyDictionary()
MAX_KEY_WORDS = 6  # "the lord of the rings": the longest series names people type


def catalog_series(catalog: Catalog) -> dict[str, list[int]]:
    """Series key -> catalog rows, for keys that two or more films share, each with the rest of its
    franchise (``franchises``: "batman" holds The Dark Knight too); built once per catalog."""
    idx = _INDEXES.get(catalog)
    if idx is None:
        groups: dict[str, list[int]] = {}
        for row, item in enumerate(catalog):
            groups.setdefault(series_key(item.title), []).append(row)
        fr = franchises(catalog)
        family: dict[str, list[int]] = {}
        for row, key in enumerate(fr):
            family.setdefault(key, []).append(row)
        idx = {}
        # a person's name is no series: "anything with Kevin Hart?" asks for him, not his stand-up films "Kevin Hart: ..."
        people = {p.name.lower() for item in catalog for p in item.people}
        for key, rows in groups.items():
            films = sorted({r for row in rows for r in family[fr[row]]})
            if key and key not in people and (len(rows) > 1 or len(films) > 1 and fr[rows[0]] == key):
                idx[key] = films  # (the second: "the Dark Knight movies")
        long: dict[str, set[int]] = {}  # a franchise whose name holds a colon: "Mission: Impossible II" and
        for row, item in enumerate(catalog):  # "Mission: Impossible – Rogue Nation" are "mission impossible"
            if ":" in item.title:
                long.setdefault(series_key(item.title.replace(":", " ")), set()).add(row)
        for key, rows in long.items():  # two films at least, not two entries of one ("2001: A Space Odyssey")
            if len({catalog.items[r].title for r in rows}) > 1 and key not in idx and key not in people:
                idx[key] = sorted(rows)
        _INDEXES[catalog] = idx
    return idx


_FRANCHISES: "weakref.WeakKeyDictionary[Catalog, list[str]]" = weakref.WeakKeyDictionary()


_WORDS: "weakref.WeakKeyDictionary[Catalog, dict[str, list[int]]]" = weakref.WeakKeyDictionary()


def title_word_series(catalog: Catalog) -> dict[str, list[int]]:
    """Rare title word -> the rows of the films whose titles hold it ("bourne": The Bourne Identity, The Bourne
    Ultimatum, Jason Bourne), for the words no series of two titles covers. These titles share no stem, so "I
    have seen all the Bourne movies" had marked nothing (on ReDial, whose "Bourne" entry made a series of it
    and The Bourne Identity only). Read only right before a series word ("the Bourne movies"):
    said alone, a rare word is a title ("I loved Inception"), and two films sharing one are no series for
    "has it got a sequel?" (Duel, Duel in the Sun)."""
    out = _WORDS.get(catalog)
    if out is None:
        from convrec.title_words import commonness

        idx, people = catalog_series(catalog), {w for it in catalog for p in it.people for w in p.name.lower().split()}
        out = {}
        for row, item in enumerate(catalog):
            for word in dict.fromkeys(series_key_words(item.title).split()):
                one = word not in idx or len({series_key_words(catalog.items[r].title) for r in idx[word]} - {word}) < 2
                if len(word) >= 4 and word.isalpha() and one and word not in people and commonness(word) == 0:
                    out.setdefault(word, []).append(row)
        _WORDS[catalog] = out
    return out


def rows_of(key: str, catalog: Catalog) -> list[int]:
    """The rows of the series ``key`` (a series key or a rare title word, as ``named`` gives them)."""
    return title_word_series(catalog).get(key) or catalog_series(catalog).get(key, [])


def franchises(catalog: Catalog) -> list[str]:
    """Each row's franchise key: its ``series_key``, joined with the series of another film of a shared genre
    - whose title its own continues after a colon or dash ("Batman: Under the Red Hood" -> "Batman"), or
      continues at all when the two share a director ("The Dark Knight Rises" -> "The Dark Knight"), or
    - that a tag of its names, when two or more films share that series key and the tag is on few more
      films than that (the demo catalog tags The Dark Knight "batman"; MovieLens users tag films the same
      way, but "revenge" on thirty films is a theme, not the Revenge films).
    Names made of everyday words never join ("Ghost Rider" is no Ghost, "Big Fish" no Big). A franchise
    is keyed by its shortest key. Descriptions are not read: "Han Solo" in a Star Wars plot would make it
    a Solo film."""
    out = _FRANCHISES.get(catalog)
    if out is not None:
        return out
    from convrec.title_words import COMMON, FUNCTION

    items = list(catalog)
    keys = [series_key(it.title) for it in items]
    rows_of: dict[str, list[int]] = {}
    for row, key in enumerate(keys):
        rows_of.setdefault(key, []).append(row)
    parent = {k: k for k in rows_of}

    def root(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def join(a: str, b: str) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb, key=lambda k: (len(k), k))] = min(ra, rb, key=lambda k: (len(k), k))

    genres = [set(it.genres) for it in items]
    directors = [set(it.names("director")) for it in items]
    everyday = COMMON | FUNCTION
    tagged: dict[str, int] = {}  # films per tag: a tag on many films is a theme ("revenge"), not a franchise
    for item in items:
        for key in {series_key(t) for t in item.tags}:
            tagged[key] = tagged.get(key, 0) + 1

    def near(row: int, others: list[int], same_director: bool) -> bool:
        return any(genres[row] & genres[o] and (directors[row] & directors[o] or not same_director)
                   for o in others if o != row)

    for row, item in enumerate(items):
        words = keys[row].split()
        bare = re.sub(r"^(?:the|a|an)\s+", "", item.title.lower())
        for n in range(len(words) - 1, 0, -1):  # the longest other title this one continues
            prefix = " ".join(words[:n])
            if prefix not in rows_of or set(words[:n]) <= everyday:
                continue
            after = bare[len(prefix):] if bare.startswith(prefix) else ""
            if near(row, rows_of[prefix], same_director=not re.match(r"\s*:|\s+[-–]\s", after)):
                join(keys[row], prefix)
                break
        for tag in item.tags:  # "batman" on The Dark Knight
            key = series_key(tag)
            if key != keys[row] and len(rows_of.get(key, ())) > 1 and not set(key.split()) <= everyday and \
                    tagged[key] <= 3 * len(rows_of[key]) and near(row, rows_of[key], same_director=False):
                join(keys[row], key)
    out = [root(k) for k in keys]
    _FRANCHISES[catalog] = out
    return out


@dataclass(frozen=True)
class SeriesMention:
    key: str  # series_key of the films ("star wars")
    start: int  # span in the text, series name and cue word ("Star Wars movies")
    end: int
    negated: bool  # "no more Saw films"


def named(text: str, catalog: Catalog) -> list[SeriesMention]:
    """The catalog series ``text`` names, each once: "the Star Wars movies", "any Harry Potter
    films?", "no more Saw films" (negated). A title alone ("I loved Rocky") is a film, not its series."""
    from convrec.attributes import _negated_before

    low = (text or "").lower()
    words = [(m.group().replace("'", " ").replace("\u2019", " "), m.start()) for m in re.finditer(r"[\w'\u2019]+", low)]
    idx, out = catalog_series(catalog), []
    for n, (word, _) in enumerate(words):
        if not _CUE_RE.fullmatch(word):
            continue
        for size in range(min(n, MAX_KEY_WORDS), 0, -1):
            key = " ".join(w for w, _ in words[n - size:n]).replace("  ", " ").strip()
            key = re.sub(r"^(?:the|a|an) ", "", " ".join(key.split()))
            known = key in idx or size == 1 and key in title_word_series(catalog)  # "the Bourne movies"
            if known and key not in {m.key for m in out}:
                at = words[n - size][1]
                if _theme(text, low, at, key, catalog):
                    break  # "any good heist movies?": the catalog's heist tag, not the three films called Heist
                out.append(SeriesMention(key, at, words[n][1] + len(word), _negated_before(low, at)))
                break
    pattern, links = _bare_pattern(catalog), None
    for m in pattern.finditer(low) if pattern is not None else ():  # "loves Harry Potter and Star Wars"
        key = " ".join(re.sub(r"[^\w]+", " ", m.group(1)).split())
        single = " " not in key
        if key in {x.key for x in out} or any(x.start <= m.start() < x.end for x in out) or \
                (single and not text[m.start(1)].isupper()) or _TITLE_GOES_ON_RE.match(low, m.end()):
            continue
        if links is None:
            from convrec import titles

            links = titles.link(text, catalog)
        if any(t.start <= m.start(1) and t.end > m.end() for t in links):
            continue  # part of a longer title: "Harry Potter and the Prisoner of Azkaban"
        out.append(SeriesMention(key, m.start(), m.end(), _negated_before(low, m.start())))
    return sorted(out, key=lambda x: x.start)


def _theme(text: str, low: str, at: int, key: str, catalog: Catalog) -> bool:
    """A lower-case series name without "the" that is also a keyword of the catalog is that theme ("zombie
    movies"); "the alien movies" or "Alien movies" stay the franchise."""
    from convrec import keywords

    return keywords.lookup(key, catalog) is not None and not text[at:at + 1].isupper() and \
        not re.search(r"\bthe\s+$", low[:at]) and not low.startswith("the ", at)


_TITLE_GOES_ON_RE = re.compile(r"\s*(?::|\s-\s|\(\d{4}\)|(?:episode|part|chapter|vol\.?|volume)\b|"
                               r"(?:\d{1,2}|ii|iii|iv|v|vi)\b)")  # "Star Wars: Episode IV", "Star Wars (1977)": a film
_BARE: "weakref.WeakKeyDictionary[Catalog, re.Pattern | None]" = weakref.WeakKeyDictionary()


def _bare_pattern(catalog: Catalog) -> re.Pattern | None:
    """Series names that are no film's whole title ("Harry Potter", "Star Wars", "The Lord of the Rings"):
    said alone they mean the series ("Harry Potter" had been read as the actor Ryan Potter, "Star Wars" as
    Episode IV). A name that is a title ("Toy Story", "Rocky", "Saw") stays that film."""
    if catalog not in _BARE:
        titles = {series_key_words(item.title) for item in catalog}
        bare = [k for k in catalog_series(catalog) if k not in titles and not k.isdigit()]
        alts = sorted((r"\s+".join(map(re.escape, k.split())) for k in bare), key=len, reverse=True)
        _BARE[catalog] = re.compile(r"(?<![\w'])(?:the\s+)?(" + "|".join(alts) + r")(?![\w'])") if alts else None
    return _BARE[catalog]


def series_key_words(title: str) -> str:
    """A whole title as a series key would spell it ("The Lord of the Rings: The Two Towers" -> "lord of
    the rings the two towers")."""
    t = re.sub(r"\s*\(\d{4}\)\s*$", "", title.lower())
    t = re.sub(r"^(?:the|a|an)\s+", "", t)
    return re.sub(r"[^\w]+", " ", t).strip()


def requested(text: str, catalog: Catalog) -> set[str]:
    """Series the message asks to be shown ("what about the Star Wars movies?"), not ones it says
    the user liked or saw ("I loved the Toy Story movies, what else?" wants other films)."""
    from convrec import polarity

    found = [m.key for m in named(text, catalog) if not m.negated]
    if not found:
        return set()
    pol = polarity.classify(text.lower())
    return set() if pol.liked is not None or pol.seen else set(found)


def asked(text: str, catalog: Catalog) -> set[str]:
    """Series keys ``text`` wants (named and not negated); every key when it asks for sequels."""
    if _ANY_SERIES_RE.search((text or "").lower()):
        return set(catalog_series(catalog))
    return {m.key for m in named(text, catalog) if not m.negated}


def update(prefs: Preferences, text: str, catalog: Catalog) -> None:
    """Record the series ``text`` names in ``prefs.series`` ("Star Wars"); a negated one ("no more
    Toy Story films") is dropped and its films not liked before become "not for me"."""
    for m in named(text, catalog):
        label = m.key.title()
        if _unseen(text[:m.start]):  # "I haven't seen the Star Wars movies": not seen, no verdict (they had
            for r in rows_of(m.key, catalog):  # all become "not for me")
                item_id = catalog.items[r].id
                prefs.not_seen += [item_id] if item_id not in prefs.seen + prefs.not_seen else []
        elif m.negated or _judged_bad(text, m):
            prefs.series[:] = [s for s in prefs.series if series_key(s) != m.key]
            ids = [catalog.items[r].id for r in rows_of(m.key, catalog)]
            prefs.disliked += [i for i in ids if i not in prefs.liked and i not in prefs.disliked]
        elif label not in prefs.series:
            prefs.series.append(label)
        if not m.negated and _seen_all(text[:m.start]):
            for r in rows_of(m.key, catalog):  # "we've seen all the Toy Story movies"
                item_id = catalog.items[r].id
                prefs.seen += [item_id] if item_id not in prefs.seen else []
                prefs.not_seen[:] = [i for i in prefs.not_seen if i != item_id]


# "seen all the Toy Story movies", "watched every Harry Potter film", "saw the Star Wars movies"
_SEEN_ALL_BEFORE_RE = re.compile(r"\b(?:seen|watched|saw)\s+(?:(?:pretty much|almost|nearly|basically|just about)\s+)?"
                                 r"(?:(?:all|every|each|both)\s+(?:of\s+)?)?(?:the\s+)?$")


_UNSEEN_BEFORE_RE = re.compile(r"(?:\b(?:haven'?t|have not|never|not yet|didn'?t|did not|hasn'?t|has not)\s+"
                               r"(?:\w+\s+)?(?:seen|watched|saw|see|watch)\s+(?:(?:any|all|one)\s+(?:of\s+)?)?(?:the\s+)?)$")


def _judged_bad(text: str, m: SeriesMention) -> bool:
    """"I hated the Star Wars movies", "not a fan of the Batman films": the clause around the name dislikes
    them (they had become a liked series, its films seeds of the next list)."""
    from convrec import polarity

    after = _CLAUSE_BREAK_RE.split(text[m.end:].lower())[0]
    return polarity.classify(f"{_clause_end(text[:m.start])} X {after}").liked is False


_CLAUSE_BREAK_RE = re.compile(r"[.!?;,]|\bbut\b")


def _clause_end(before: str) -> str:
    """The lower-cased clause the text before a series name ends with."""
    return _CLAUSE_BREAK_RE.split(before.lower())[-1]


def _unseen(before: str) -> bool:
    return bool(_UNSEEN_BEFORE_RE.search(_clause_end(before)))


def _seen_all(before: str) -> bool:
    """Whether the words before a series name say the user saw its films (not "haven't seen")."""
    clause = _clause_end(before)
    return bool(_SEEN_ALL_BEFORE_RE.search(clause)) and not re.search(r"n't|\b(?:not|never|havent|didnt)\b", clause)


def reason(key: str) -> str:
    return f"one of the {key.title()} films you asked for"


def members(names: Sequence[str], catalog: Catalog) -> list[str]:
    """Catalog ids of the films of the series ``names`` ("Star Wars" as kept in ``Preferences.series``)."""
    return [catalog.items[r].id for name in names for r in rows_of(series_key(name), catalog)]


_KIN: "weakref.WeakKeyDictionary[Catalog, tuple[dict[int, set[int]], dict[str, int]]]" = weakref.WeakKeyDictionary()


def relatives(item_id: str, catalog: Catalog) -> tuple[list[str], list[str]]:
    """(earlier, later) films of the series ``item_id`` belongs to, by year: "has it got a sequel?"."""
    idx = _KIN.get(catalog)
    if idx is None:  # row -> the rows of every series it is in, once per catalog
        idx = {}
        for films in catalog_series(catalog).values():
            for r in films:
                idx.setdefault(r, set()).update(films)
        _KIN[catalog] = idx = (idx, {item.id: r for r, item in enumerate(catalog)})
    kin_rows, rows = idx
    row = rows.get(item_id)
    if row is None:
        return [], []
    this = catalog.items[row]
    kin = sorted(kin_rows.get(row, set()) - {row},
                 key=lambda r: (catalog.items[r].year or 0, catalog.items[r].title))
    later = [catalog.items[r].id for r in kin if (catalog.items[r].year or 0) > (this.year or 0)]
    return [catalog.items[r].id for r in kin if catalog.items[r].id not in later], later


def turned_down(prefs: Preferences, catalog: Catalog) -> set[str]:
    """The other films of the series of every film the user turned down, but for the ones they like ("not Top Gun"
    rules out Top Gun: Maverick too): retrieval's filters and seeds and the chat's notes read the same set."""
    return {i for d in prefs.disliked for i in sum(relatives(d, catalog), [])} - set(prefs.liked)
