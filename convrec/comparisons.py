"""Answers to questions that compare the films just shown: "which of these is the funniest?", "and the oldest?",
"which of them are violent?", "any horror among them?".

They are read from the shown films' genres, tags and years (the catalog has no finer measure, no ratings and no
running times, and the answer says so), never generated. ``convrec.answers.answer`` tries these first.

    from convrec.comparisons import compare
    compare("which one is the scariest?", catalog, shown=state.last_shown())  # -> Answer | None
"""
from __future__ import annotations

import re

from convrec import titles
from convrec.answers import Answer, lowered
from convrec.catalog import Catalog
from convrec.film_facts import IS_A, join, tagged_as

# "which of these is the funniest?" had got a new list: it is answered from the shown films' facts
SUPERLATIVES = {"funniest": "funny", "scariest": "scary", "creepiest": "creepy", "most romantic": "romantic",
                "most violent": "violent", "newest": "new", "latest": "new", "most recent": "new", "oldest": "old",
                "shortest": "runtime", "longest": "runtime", "best for kids": "for kids", "most kid friendly": "for kids",
                # "which is the best?" had got a new list: no ratings, but how well known each film is
                "best": "renown", "best one": "renown", "most popular": "known", "best known": "known",
                "most famous": "known", "most well known": "known",
                # comparatives ask the same of two films or a list: "which one is scarier?" had got a horror list
                "scarier": "scary", "funnier": "funny", "creepier": "creepy", "more romantic": "romantic",
                "more violent": "violent", "newer": "new", "more recent": "new", "older": "old", "shorter": "runtime",
                "longer": "runtime", "better": "renown", "more popular": "known", "better known": "known",
                "more famous": "known"}
_SUPERLATIVE_OF = {"newer": "newest", "more recent": "most recent", "older": "oldest"}
_COMPARE_RE = re.compile(r"\bwhich(?: one)?(?: of (?:these|those|them|the (?:\w+ )?(?:films|movies|ones)|the remaining(?: ones)?|"
                         r"the rest|the others))?(?: one)?\s+"  # "which of the remaining is the best?" had got a list
                         r"(?:is|was|would be|'s)\s+(?:the\s+)?(" + "|".join(map(re.escape, SUPERLATIVES)) + r")\b"
                         r"(?=\s*(?:ones?\b|of (?:them|these|those|the two)\b|to watch\b|for (?:me|us|tonight)\b|[?.!,:]|$))")
# (not "which is the best Tarantino movie?", a request)


# "which of them are violent?" had got a new list of crime films: answered like "which is the most violent?"
_WHICH_ARE_RE = re.compile(r"\bwhich(?: ones?)?(?: of (?:these|those|them|the (?:\w+ )?(?:films|movies|ones)))?\s+"
                           r"(?:are|is)\s+(?:too\s+|very\s+|really\s+)?(" + "|".join(map(re.escape, IS_A)) + r")\b")


# a bare superlative after a list: "and the oldest?" (after "which one is the newest", it had got a new list)
_COMPARE_MORE_RE = re.compile(r"^\W*(?:(?:and|ok|okay|so|what about|how about)\W+)*(?:the\s+)?("
                              + "|".join(map(re.escape, SUPERLATIVES)) + r")(?:\s+one)?\W*$")


# "any horror among them?", "are any of these comedies?" after a list: a question about it (it had got a new list)
_ANY_AMONG_RE = re.compile(r"\b(?:any|are there any)\s+(?P<a>[\w-]+(?:\s+[\w-]+)?)\s+(?:ones?\s+)?(?:among|in|of)\s+"
                           r"(?:them|these|those|(?:this|that|the|your) list)\W*$|"
                           r"\b(?:are|is)\s+(?:any|either|one)\s+of\s+(?:them|these|those)\s+(?P<b>[\w-]+(?:\s+[\w-]+)?)\W*$")


def _genre_among(text: str, items: list, catalog: Catalog) -> Answer | None:
    """"any horror among them?": which of the films shown are of that genre, by their genres."""
    m = _ANY_AMONG_RE.search(lowered(text))
    if not m:
        return None
    from convrec import attributes

    word = m.group("a") or m.group("b")
    genres = [a.value for a in attributes.find_attributes(word, catalog) if a.kind == "genre" and not a.negated]
    if len(genres) != 1:
        return None
    yes = [it for it in items if genres[0] in it.genres]
    kind = genres[0].lower()
    if not yes:
        return Answer(f"None of them is listed as {kind}.", [])
    verb = "is" if len(yes) == 1 else "are"
    return Answer(f"Of these, {join([it.label for it in yes])} {verb} listed as {kind}.", [it.id for it in yes])


def compare(text: str, catalog: Catalog, shown: list[str] | tuple) -> Answer | None:
    """The answer to "which of these is the funniest / newest / shortest?" (or a bare "and the oldest?", or "any
    horror among them?") about the films just shown, from their genres and years only (the catalog has no finer
    measure), or None for any other message."""
    m = _COMPARE_RE.search(lowered(text)) or _COMPARE_MORE_RE.match(lowered(text)) or _WHICH_ARE_RE.search(lowered(text))
    named = list(dict.fromkeys(x.item_id for x in titles.link(text, catalog))) if m else []
    items = [catalog[i] for i in (named if len(named) > 1 else shown) if i in catalog][:10]  # "which is scarier,
    # Alien or Aliens?" compares the two it names
    if not items:
        return None
    if not m:
        return _genre_among(text, items, catalog)
    want = SUPERLATIVES.get(m.group(1), m.group(1))
    if want == "runtime":
        return Answer("The catalog has no running times, so I can't say which of these is " + m.group(1) + ".", [])
    if want in ("renown", "known"):
        top = max(items, key=lambda it: catalog.renown(it.id))
        if want == "known":
            return Answer(f"{top.label} is the best known of them.", [top.id])
        return Answer("The catalog has no ratings or reviews, so I can't say which is best; the best known of them is "
                      f"{top.label}.", [top.id])
    if want in ("new", "old"):
        dated = [it for it in items if it.year]
        if not dated:
            return Answer("The catalog has no years for these films.", [])
        year = (max if want == "new" else min)(it.year for it in dated)
        picks = [it for it in dated if it.year == year]
        verb = "is" if len(picks) == 1 else "are"
        word = m.group(1) if len(items) == 2 else _SUPERLATIVE_OF.get(m.group(1), m.group(1))  # "the newest of five"
        return Answer(f"{join([it.label for it in picks])} {verb} the {word} of them.", [it.id for it in picks])
    tags = {it.id: tagged_as(it, want, catalog) for it in items}
    if all(t is not None for t in tags.values()):  # the catalog tags it: "Reservoir Dogs (1992) is tagged violent"
        yes = [it for it in items if tags[it.id]]
        if not yes:
            return Answer(f"None of them is tagged {want}.", [])
        said = " ".join(f"{it.label} is tagged {join(tags[it.id])}." for it in yes)
        others = f" The others are not tagged {want}." if len(yes) < len(items) else ""
        return Answer(said + others, [it.id for it in yes])
    yes = [it for it in items if set(it.genres) & set(IS_A[want])]
    kinds = " or ".join(g.lower() for g in IS_A[want])
    if not yes:
        return Answer(f"None of them is listed as {kinds}; the catalog has no finer measure than genres.", [])
    verb = "is" if len(yes) == 1 else "are"
    return Answer(f"Of these, {join([it.label for it in yes])} {verb} listed as {kinds}; the catalog has no finer "
                  f"measure of which is {m.group(1)}.", [it.id for it in yes])
