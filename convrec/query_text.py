"""What the user wrote, as text for the semantic query: the parts that are no film's content are cut.

A negated wish ("not sad though"), the people a film is watched with ("with my parents"), names the catalog
does not know, a running time ("under 2 hours") and words that only ask for a film ("surprise me") would
otherwise be matched against the documents, and their embeddings are close to what they deny or to titles
that share a word. ``convrec.retrieval.Retriever.query_text`` applies these.

    from convrec.query_text import content_free, without_audience
    without_audience("a comedy with my parents")   # "a comedy "
    content_free("surprise me")                     # True
"""
from __future__ import annotations

import re
from typing import Sequence

from convrec import attributes, titles
from convrec.catalog import Catalog
from convrec.title_words import FUNCTION


_CLAUSE_RE = re.compile(r"[^.!?;,]+|[.!?;,]+")
_NEGATION_RE = re.compile(r"(?i)\b(?:%s|\w+n't)\b" % "|".join(sorted(map(re.escape, attributes.NEG_WORDS), key=len,
                                                                        reverse=True)))


def without_negated(text: str, catalog: Catalog) -> str:
    """``text`` without what it rules out, from the negating word to the end of the genre, mood, person or
    keyword: "not sad though" is " though". Its embedding is close to what it negates ("not sad" had put The
    Shining among films like The Notebook); the filters and the avoided moods already say it."""
    out, last = [], 0
    for m in _CLAUSE_RE.finditer(text):
        cuts = []
        for a in attributes.find_attributes(m.group(), catalog):
            if a.negated:
                cue = list(_NEGATION_RE.finditer(m.group(), 0, a.start))
                cuts.append((cue[-1].start() if cue else a.start, a.end))
        for a, b in sorted(cuts):
            if m.start() + a >= last:
                out.append(text[last:m.start() + a])
                last = m.start() + b
    return "".join(out) + text[last:] if out else text


# who watches is no content: "with my parents" had matched family films (E.T., Monsters, Inc.), "for a teenager" films
# tagged teenager; kids are the Family genre and "a date night" a kind of evening, so those stay
_AUDIENCE_RE = re.compile(r"\b(?:with|for)\s+(?:my\s+|our\s+|a\s+|the\s+)?(?:parents|mom and dad|folks|friends|"
                          r"buddies|wife|husband|girlfriend|boyfriend|partner|teen(?:ager)?s?|teenage\s+\w+)\b")


def without_audience(text: str) -> str:
    """``text`` without the people it is watched with ("with my parents", "for a teenager")."""
    return _AUDIENCE_RE.sub("", text)


# words that ask for a film without saying what it is like: "surprise me" had matched Catch Me If You Can, and
# "recommend me something" Despicable Me, by the title word "me"
_FILLER = frozenset("recommend recommendation recommendations suggest suggestion suggestions something anything "
                    "movie movies film films flick watch watching tonight please surprise good great nice need show "
                    "give hi hello hey should looking pick idea ideas really maybe thanks thank best greatest top "
                    "favorite favourite all time ever bored popular trending hot right now currently these days "
                    "lately latest newest whats must".split())  # "what's popular right now?" had got Some Like It Hot


_MASH_RE = re.compile(r"[bcdfghjklmnpqrstvwxz]{4}")  # four consonants in a row, in no word of the vocabulary
_DECADE_RE = re.compile(r"(?:19|20)?\d0s")  # "the 90s" is a filter on years (convrec.years), no text to match


# a running time is no content either (the catalog has none): "a movie under 2 hours" had matched Inside Out 2,
# Toy Story 2 and Dune: Part Two, by the number
_RUNTIME_RE = re.compile(r"(?i)\b(?:(?:under|less than|no more than|at most|over|more than|about|around|max(?:imum)?|"
                         r"within)\s+)?(?:an?|one|two|three|\d+(?:\.\d+)?)\s*(?:hours?|hrs?|minutes?|mins?)"
                         r"(?:\s+(?:long|or less|or so|max|tops))?\b|"
                         # and in words: "nothing too long" had matched the longest epics (The Lord of the Rings)
                         r"\b(?:(?:nothing|not|isn'?t|never)\s+)?(?:too|very|super|really|overly|that)\s+(?:long|lengthy|short)\b|"
                         r"\b(?:shorter|longer|lengthy)\b|\bshort\s+(?:ones?|movies?|films?)\b")


def without_runtime(text: str) -> str:
    """``text`` without the running time it asks for ("a heist, 90 minutes max" is "a heist, ")."""
    return _RUNTIME_RE.sub(" ", text)


def content_free(text: str) -> bool:
    """Whether ``text`` holds no word but requests and small words (then no text is matched at all)."""
    from convrec.title_words import word_ranks

    words = [w for w in re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))
             if not (w in FUNCTION or w in _FILLER or _DECADE_RE.fullmatch(w) or w.isdigit())]  # a year is a filter
    # too, and "12345" no content; nor is a mash of keys no word is made of ("asdfghjkl" had matched Your Name.)
    ranks = word_ranks()
    return all(w not in ranks and _MASH_RE.search(w) for w in words) if ranks else not words


def without_disliked(text: str, items: Sequence[str], disliked: Sequence[str], catalog: Catalog) -> str:
    """``text`` without the titles it names (``items``) that the user turned down: "I hated Interstellar, too long"
    had brought 2001: A Space Odyssey, The Martian and Dune, by the title's own embedding."""
    bad = set(items) & set(disliked)
    if not bad:
        return text
    for m in sorted((m for m in titles.link(text, catalog) if m.item_id in bad), key=lambda m: m.start, reverse=True):
        end = _REASON_END_RE.search(text, m.end)  # with the reasons given for it: "too long and boring" had then
        text = text[:m.start] + (text[end.start():] if end else "")  # found the longest epics
    return text


_REASON_END_RE = re.compile(r"[.!?;]|\b(?:but|though|although|however|yet|and (?:i )?(?:loved|liked|enjoyed))\b", re.I)


def without_names(text: str, names: Sequence[str]) -> str:
    """``text`` without the ``names`` the catalog did not know, and the "like" that pointed at one: their words
    are no film's content ("something like" alone had found Some Like It Hot)."""
    for name in names:
        text = re.sub(rf"(?:\b(?:like|similar to|such as)\s+)?(?<!\w){re.escape(name)}(?!\w)", "", text,
                      flags=re.IGNORECASE)
    return text
