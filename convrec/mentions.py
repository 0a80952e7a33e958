"""Which catalog films a message names: linked titles and references to what was shown.

``find_mentions`` is the first step of ``convrec.preferences.update`` (titles linked by
``convrec.titles``, minus those inside a person's name, plus "the second one" / "#2" for the
items shown last); ``named`` gives just the ids, for the dialogue to record on the USER turn.

    named("more like the third one", catalog, shown=["a", "b", "c"])  # -> ["c"]
"""
from __future__ import annotations

import re
import unicodedata
import weakref

from convrec import attributes, series, titles
from convrec.catalog import Catalog

MAX_TEXT_CHARS = 5000  # text beyond this is ignored (the dialogue already cuts at 4,000)
ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3, "fifth": 4,
            "5th": 4, "sixth": 5, "seventh": 6, "eighth": 7, "ninth": 8, "tenth": 9}
_ORD = r"first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|sixth|seventh|eighth|ninth|tenth|last"
_SPAN = r"(?:\d+|two|three|four|five|ten|twenty|several|decades?|years?|months?|weeks?|days?|nights?|century)\b"
# "the last one" points at a shown film; "the last 10 years", "the last decade" do not
_ORDINAL_RE = re.compile(rf"\bthe\s+({_ORD})\b(?!\s+(?:time|few|couple|half|part|minutes?|hour|{_SPAN}))|"
                         rf"\b({_ORD})\s+(?:one|movie|film|suggestion|pick|title)\b|(?:#|\bnumber\s+|\bno\.\s*)(\d{{1,2}})\b",
                         re.IGNORECASE)


def clean_text(text: str) -> str:
    """Drop control characters, keep newlines as clause breaks, cap the length."""
    text = (text or "")[:MAX_TEXT_CHARS]
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in "\n\r":
            out.append("\n")
        elif cat.startswith("C"):
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


_COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5}
_FIRST_N_RE = re.compile(r"\b(?:the\s+)?(first|top|last)\s+(two|three|four|five|[2-5])\b(?!\s+(?:years?|decades?|months?|weeks?|days?))",
                         re.IGNORECASE)  # "I saw the first two": both, not the second alone


# "I've seen all of them except the third": every shown film but the ones named after it (the third
# alone had been marked seen)
_ALL_EXCEPT_RE = re.compile(rf"\b(?:all|every one|each one)(?:\s+of)?(?:\s+(?:them|those|these|the\s+\w+))?\s+"
                            rf"(?:except|but|apart from|other than|besides)\s+(?:for\s+)?"
                            rf"((?:(?:the\s+)?(?:{_ORD})(?:\s+one)?|#?\d)(?:\s*(?:,|and|or)\s*(?:(?:the\s+)?(?:{_ORD})(?:\s+one)?|#?\d))*)",
                            re.IGNORECASE)


def _all_except(text: str, shown: list[str]) -> list[titles.Mention]:
    out = []
    for m in _ALL_EXCEPT_RE.finditer(text):
        left_out = set()
        for w in re.findall(rf"{_ORD}|\d+", m.group(1), re.IGNORECASE):
            w = w.lower()
            left_out.add(len(shown) - 1 if w == "last" else ORDINALS[w] if w in ORDINALS else int(w) - 1)
        out += [titles.Mention(m.start(), m.end(), m.group(), i, how="ref") for k, i in enumerate(shown) if k not in left_out]
    return out

_MORE_ORD_RE = re.compile(rf"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)((?:the\s+)?({_ORD}))\b"
                          rf"(?!\s+(?:time|few|couple|half|part|minutes?|hour|{_SPAN}))", re.IGNORECASE)


def ordinal_mentions(text: str, shown: list[str]) -> list[titles.Mention]:
    """"the second one", "the last one", "#2", "the first two", "all but the third": mentions of the items
    shown last."""
    out = _all_except(text, shown)
    for m in _FIRST_N_RE.finditer(text):
        n = min(_COUNT_WORDS[m.group(2).lower()], len(shown))
        picked = shown[-n:] if m.group(1).lower() == "last" else shown[:n]
        if any(o.start <= m.start() < o.end for o in out):
            continue
        out += [titles.Mention(m.start(), m.end(), m.group(), i, how="ref") for i in picked]
    for m in _ORDINAL_RE.finditer(text):
        word = (m.group(1) or m.group(2) or "").lower()
        k = len(shown) - 1 if word == "last" else (ORDINALS[word] if word else int(m.group(3)) - 1)
        if 0 <= k < len(shown) and not any(o.start <= m.start() < o.end for o in out):
            out.append(titles.Mention(m.start(), m.end(), m.group(), shown[k], how="ref"))
            end = m.end()
            while (more := _MORE_ORD_RE.match(text, end)) is not None:  # "the second and third": both (the third
                end = more.end()  # had been left out)
                k = len(shown) - 1 if more.group(2).lower() == "last" else ORDINALS[more.group(2).lower()]
                if k < len(shown) and not any(o.start <= more.start(1) < o.end for o in out):
                    out.append(titles.Mention(more.start(1), more.end(1), more.group(1), shown[k], how="ref"))
    named = {o.item_id for o in out}
    for m in _OTHERS_RE.finditer(text) if named else ():  # "not the first one, the others look ok"
        if not any(o.start <= m.start() < o.end for o in out) and \
                not re.search(r"\b(?:not|none of|neither of)\s+$", text[:m.start()], re.IGNORECASE):  # "not the others"
            out += [titles.Mention(m.start(), m.end(), m.group(), i, how="ref") for i in shown if i not in named]
    return sorted(out, key=lambda o: o.start)


# the shown films a message's ordinals leave ("I didn't like the first one, the others look ok": they had been nothing)
_OTHERS_RE = re.compile(r"\b(?:the\s+(?:others|other\s+ones|rest(?:\s+of\s+them)?|other\s+(?:two|three|four))|"
                        r"(?:all\s+)?the\s+other\s+(?:movies|films))\b", re.IGNORECASE)


def find_mentions(text: str, catalog: Catalog, shown: list[str] | tuple = (),
                  known: list[str] | tuple = ()) -> list[titles.Mention]:
    """Titles linked in ``text`` and ordinal references to ``shown``, in text order. ``known``: every
    id shown in the conversation (of films sharing a title the linker takes the one shown)."""
    shown = [i for i in shown if i in catalog]
    people = [(p.start, p.end) for p in attributes.find_people(text, catalog)]
    known = [i for i in known if i in catalog] or shown
    mentions = [m for m in titles.link(text, catalog, known)  # "Will Smith" is a person, not the film "Will"
                if m.how == "at" or not any(a <= m.start and m.end <= b and m.end - m.start < b - a for a, b in people)]
    named = [(m.start, m.end) for m in series.named(text, catalog)]  # "the Toy Story movies": no one film
    mentions = [m for m in mentions if m.how == "at" or not any(a <= m.start < b for a, b in named)]
    mentions = _parts_of_named(text, catalog, mentions)
    if shown:
        mentions += [o for o in ordinal_mentions(text, shown) + _sequels(text, catalog, shown)
                     if not any(m.start < o.end and o.start < m.end for m in mentions)]
        mentions.sort(key=lambda m: m.start)
    return mentions


# "Part II", "the sequel" after a film named in the same message: a film of its series
_PART_RE = re.compile(r"\b(?:(?:the\s+)?part\s+(ii|iii|iv|v|2|3|4|5|two|three|four|five)|the\s+(sequel|prequel))\b",
                      re.IGNORECASE)


def _parts_of_named(text: str, catalog: Catalog, mentions: list[titles.Mention]) -> list[titles.Mention]:
    """"I liked The Godfather but Part II was too long": Part II is The Godfather Part II (nothing had been
    linked, and the film led the list). "the sequel" is the next film of the series, "the prequel" the one before."""
    out = list(mentions)
    for m in _PART_RE.finditer(text):
        before = [o for o in out if o.end <= m.start() and o.how != "ref"]
        if not before or any(o.start < m.end() and m.start() < o.end for o in out):
            continue
        earlier, later = series.relatives(before[-1].item_id, catalog)
        if m.group(2):
            picked = (later[:1] if m.group(2).lower() == "sequel" else earlier[-1:])
        else:
            picked = [o.item_id for o in titles.link(f"{catalog[before[-1].item_id].title} part {m.group(1)}", catalog)
                      if o.item_id in earlier + later][:1]
        out += [titles.Mention(m.start(), m.end(), m.group(), i, how="part") for i in picked]
    return sorted(out, key=lambda o: o.start)


# the plural only: "the sequel" is often one the system did not show
_SEQUELS_RE = re.compile(r"\bthe\s+(?:sequels|follow[- ]ups)\b", re.IGNORECASE)


def _sequels(text: str, catalog: Catalog, shown: list[str]) -> list[titles.Mention]:
    """"have not seen the sequels": the shown films with an earlier film of their franchise in the catalog
    (every shown film had been marked not seen; Monsters, Inc., with a later prequel only, is no sequel)."""
    m = _SEQUELS_RE.search(text)
    if m is None:
        return []
    later = [i for i in shown if catalog[i].year and any((catalog[e].year or catalog[i].year) < catalog[i].year
                                                          for e in series.relatives(i, catalog)[0])]
    return [titles.Mention(m.start(), m.end(), m.group(), i, how="ref") for i in later]


def named(text: str, catalog: Catalog, shown: list[str] | tuple = (), known: list[str] | tuple = ()) -> list[str]:
    """The ids ``text`` names, first mention first, each once (``text`` cleaned as the tracker cleans it)."""
    out: list[str] = []
    for m in find_mentions(clean_text(text), catalog, shown, known):
        if m.item_id not in out:
            out.append(m.item_id)
    return out


# ---------------------------------------------------------------- names the catalog does not know

_LINK = r"of|the|and|a|an|in|on|to|for|from|at|&"  # small words inside a title or name ("Guardians of the Galaxy")
_CAP = r"(?:[A-Z][\w'\u2019.:&-]*|\d[\w'.-]*)"
_NAME_CUE_RE = re.compile(  # a capitalised phrase right after a word that introduces a title or a person
    rf"(?i:\b(?:with|starring|featuring|directed by|movies? by|films? by|loved|liked|enjoyed|adored|hated|"
    rf"similar to|in the vein of|reminds me of|seen|saw|watched|watch|love|like|fan of|"
    rf"(?:favou?rite|fave)\s+(?:actor|actress|director)\s+(?:is|was))\s+"
    rf"(?:the\s+(?:actor|actress|director)\s+)?)"  # "my favorite actor is Denzel Washington": not in the demo
    rf"({_CAP}(?:\s+(?:{_CAP}|(?i:{_LINK})))*)")
# a performance praised: what follows names a film, however common its word ("he was great in Big" had been
# dropped without a word: one common word passes only quoted or here)
_ROLE_CUE_RE = re.compile(rf"(?i:\b(?:(?:was|is|were|are)\s+(?:so\s+|really\s+|very\s+)?(?:great|good|amazing|brilliant|"
                          rf"fantastic|excellent|awesome|hilarious|funny|perfect|incredible)|him|her|them)\s+in\s+)"
                          rf"({_CAP}(?:\s+(?:{_CAP}|(?i:{_LINK})\b))*)")
# "is The Hobbit any good?" on a catalog without it had got "What's a film you loved recently?"
_WORTH_CUE_RE = re.compile(rf"(?i:\b(?:is|was|are)\s+)({_CAP}(?:\s+(?:{_CAP}|(?i:{_LINK})\b))*)"
                           r"(?=\s+(?i:any good|good|worth (?:it|watching|a watch|seeing)|better than)\b)")
_QUOTED_RE = re.compile(r"[\"\u201c]([^\"\u201c\u201d\n]{2,60})[\"\u201d]")
# a name asked about on its own, in any case: "the hobbit? is that any good?" (it had got "What's a film you loved
# recently?" with no word on the film)
_ASKED_ABOUT_RE = re.compile(r"^\W*(?:(?:what|how) about\s+)?([\w'&:.-]+(?:\s+[\w'&:.-]+){0,5}?)\s*\?+\s*(?:(?:is|was) "
                             r"(?:that|it|this) (?:any good|good|worth (?:it|watching|a watch|seeing))|any good)\b",
                             re.IGNORECASE)
_SENTENCE_END_RE = re.compile(r"(?<=[a-z]{2})(?<!\bMrs)(?<!\bvs)\.\s")
_PIECE_SPLIT_RE = re.compile(r"\s*(?:,|\band\b|&|\bor\b)\s*")
_REFERENCE_WORDS = frozenset({"one", "ones", "it", "that", "this", "them", "those", "these", "last", *ORDINALS})
_NOT_A_NAME = {"hi", "hello", "hey", "i", "i'm", "im", "i've", "it", "that", "this", "them", "those", "these", "one",
               "ones", "movies", "films", "netflix", "hulu", "disney", "christmas", "halloween", "english", "french", "spanish",
               "german", "italian", "japanese", "korean", "hollywood", "oscar", "oscars", "imdb", "tv"}


def _rare_title_word(word: str, catalog: Catalog, idx) -> bool:
    """One capitalised word no dictionary knows and no catalog person is called ("I loved Beetlejuice" on a catalog
    without it had been silently dropped); not "Paris", not "Spielberg" (a director's surname)."""
    from convrec.titles import commonness

    low = word.lower()
    if catalog not in _SURNAMES:
        _SURNAMES[catalog] = {n.split()[-1] for n in idx.people if n.split()}
    return word[:1].isupper() and low.isalpha() and commonness(low) == 0 and low not in _SURNAMES[catalog]


# per catalog: the last words of its people's names (weak: a catalog that goes takes its entry with it)
_SURNAMES: "weakref.WeakKeyDictionary[Catalog, set[str]]" = weakref.WeakKeyDictionary()


_LIST_SEP = r"\s*(?:,|,?\s+(?:and|or|&))\s+"
_LISTED_AFTER_RE = re.compile(rf"{_LIST_SEP}({_CAP}(?:\s+(?:{_CAP}|(?i:{_LINK})\b))*)")
_LISTED_BEFORE_RE = re.compile(rf"(?<![\w'])({_CAP}(?:\s+(?:{_CAP}|(?i:{_LINK})\b))*){_LIST_SEP}$")


def _listed_beside(text: str, linked: list) -> list[tuple[int, str, bool]]:
    """Capitalised phrases listed right beside a linked title: "my favorite movies are Heat, Collateral and Drive"
    on a catalog without Collateral (it had been dropped without a word, being an everyday word)."""
    out = []
    for m in linked:
        after = _LISTED_AFTER_RE.match(text, m.end)
        if after:
            out.append((after.start(1), after.group(1), True))
        before = _LISTED_BEFORE_RE.search(text, 0, m.start)
        if before:
            out.append((before.start(1), before.group(1), True))
    return out


def unknown_names(text: str, catalog: Catalog, shown: list[str] | tuple = (), known: list[str] | tuple = ()) -> list[str]:
    """Capitalised titles or names the user gave that match no catalog title, person or genre
    ("something with Melissa McCarthy" on a catalog without her), in text order, so the reply can
    say it went by the rest. Conservative: two or more words, or quoted; never a linked span."""
    text = clean_text(text)
    linked = find_mentions(text, catalog, shown, known)
    taken = [(m.start, m.end) for m in linked]
    taken += [(a.start, a.end) for a in attributes.find_attributes(text, catalog)]
    idx = attributes.index_for(catalog)
    out: list[str] = []
    spans = [(m.start(1), m.group(1), True) for m in _QUOTED_RE.finditer(text)]
    spans += [(m.start(1), m.group(1), False) for m in _NAME_CUE_RE.finditer(text)]
    spans += [(m.start(1), m.group(1), True) for m in _ROLE_CUE_RE.finditer(text)]
    spans += [(m.start(1), m.group(1), False) for m in _WORTH_CUE_RE.finditer(text)]
    spans += [(m.start(1), m.group(1), True) for m in _ASKED_ABOUT_RE.finditer(text)
              if not set(m.group(1).lower().split()) & _REFERENCE_WORDS]  # not "the second one?"
    spans += _listed_beside(text, linked)
    for start, phrase, quoted in sorted(spans):
        phrase = _SENTENCE_END_RE.split(phrase)[0]  # "I liked Get Out, Us and Nope. More from that guy?": not "Nope.
        pos = 0  # More"
        for piece in _PIECE_SPLIT_RE.split(phrase):
            at = start + phrase.find(piece, pos)
            pos = at - start + len(piece)
            name = re.sub(rf"(?:\s+(?i:{_LINK}))+$", "", piece.strip(" .,!?:;'")).strip(" .,!?:;'")
            words = name.split()
            if not words or words[0].lower() in _NOT_A_NAME or (len(words) < 2 and not quoted
                                                                 and not _rare_title_word(name, catalog, idx)):
                continue
            if any(a < at + len(piece) and at < b for a, b in taken) or name.lower() in idx.people or \
                    titles.key_of(name) in titles.index_for(catalog).keys:  # "heat? is it any good?": a title
                continue
            if name not in out and name.lower() not in {o.lower() for o in out}:
                out.append(name)
    return out
