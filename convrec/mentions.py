"""Which catalog films a message names: linked titles and references to what was shown.

``find_mentions`` is the first step of ``convrec.preferences.update`` (titles linked by
``convrec.titles``, minus those inside a person's name, plus "the second one" / "#2" for the
items shown last); ``named`` gives just the ids, for the dialogue to record on the USER turn.

    named("more like the third one", catalog, shown=["a", "b", "c"])  # -> ["c"]
"""
from __future__ import annotations

import re
import unicodedata

from convrec import attributes, titles
from convrec.catalog import Catalog

MAX_TEXT_CHARS = 5000  # text beyond this is ignored (the dialogue already cuts at 4,000)
ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3, "fifth": 4,
            "5th": 4, "sixth": 5, "seventh": 6, "eighth": 7, "ninth": 8, "tenth": 9}
_ORD = r"first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|sixth|seventh|eighth|ninth|tenth|last"
_ORDINAL_RE = re.compile(rf"\bthe\s+({_ORD})\b(?!\s+(?:time|few|couple|half|part|minutes?|hour))|"
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


def ordinal_mentions(text: str, shown: list[str]) -> list[titles.Mention]:
    """"the second one", "the last one", "#2": mentions of the items shown last."""
    out = []
    for m in _ORDINAL_RE.finditer(text):
        word = (m.group(1) or m.group(2) or "").lower()
        k = len(shown) - 1 if word == "last" else (ORDINALS[word] if word else int(m.group(3)) - 1)
        if 0 <= k < len(shown):
            out.append(titles.Mention(m.start(), m.end(), m.group(), shown[k], how="ref"))
    return out


def find_mentions(text: str, catalog: Catalog, shown: list[str] | tuple = (),
                  known: list[str] | tuple = ()) -> list[titles.Mention]:
    """Titles linked in ``text`` and ordinal references to ``shown``, in text order. ``known``: every
    id shown in the conversation (of films sharing a title the linker takes the one shown)."""
    shown = [i for i in shown if i in catalog]
    people = [(p.start, p.end) for p in attributes.find_people(text, catalog)]
    known = [i for i in known if i in catalog] or shown
    mentions = [m for m in titles.link(text, catalog, known)  # "Will Smith" is a person, not the film "Will"
                if m.how == "at" or not any(a <= m.start and m.end <= b and m.end - m.start < b - a for a, b in people)]
    if shown:
        mentions += [o for o in ordinal_mentions(text, shown)
                     if not any(m.start < o.end and o.start < m.end for m in mentions)]
        mentions.sort(key=lambda m: m.start)
    return mentions


def named(text: str, catalog: Catalog, shown: list[str] | tuple = (), known: list[str] | tuple = ()) -> list[str]:
    """The ids ``text`` names, first mention first, each once (``text`` cleaned as the tracker cleans it)."""
    out: list[str] = []
    for m in find_mentions(clean_text(text), catalog, shown, known):
        if m.item_id not in out:
            out.append(m.item_id)
    return out
