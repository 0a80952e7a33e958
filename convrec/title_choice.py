"""Which of several films with the same title a mention means (``convrec.titles``).

ReDial lists many remakes and namesakes under one title (The Notebook 2004 / 2013, Titanic,
Ghostbusters, Jumanji): the words alone cannot settle them. In order, a mention goes to

1. the film of the year the user gave ("Dune (1984)", "dune from 2021");
2. the newest / the well-known oldest after "the new" / "the original";
3. the whole title before a part of one ("Thor" is Thor, not "Thor: Ragnarok");
4. a film the system has shown (it showed @id "The Notebook (2013)" and the user answers "I loved
   The Notebook"): people answer about the film on the table. Only the system's own ids count:
   on ReDial training dialogues the seeker's earlier mentions did not help (a user who names one
   remake and then the bare title again often means the other: "the old It ... the new one It"),
   while the recommender's raised linking accuracy 0.9635 -> 0.9650;
5. a film with a tag the message names ("I loved Oldboy, any other foreign films?" is the Korean one);
6. a title written as typed before one that adds an article ("Heat" is Heat, not The Heat), unless obscure;
7. the better-known film (popularity: mentions in the training dialogues), then the newer.
"""
from __future__ import annotations

from collections.abc import Sequence

OBSCURE_SHARE = 0.1  # "the original It": a remake with < 10% of the best-known namesake's popularity is not meant
# "Heat" is Heat (44 ReDial mentions), not The Heat (90); "Ring" stays The Ring (14), not Ring (1998, 3)
TYPED_SHARE = 0.25  # a title as typed wins over one with an added article when it has >= 25% of its popularity


def choose(catalog, entries: list[tuple[str, int]], year: int | None, cue: str | None,
           context: Sequence[str] = (), as_typed: frozenset[str] = frozenset(),
           wished: frozenset[str] = frozenset()) -> list[str]:
    """Order candidate ids (``entries``: (id, tier), tier 0 = the whole title, 1 = a part of one), best first.

    ``cue``: "new", "old" or None; ``context``: ids the system has shown, oldest first; ``as_typed``: ids whose
    title is the mention's words without an article added; ``wished``: catalog tags the message names.
    """
    items = [(catalog[i], tier) for i, tier in entries]
    fame = {i: catalog.renown(i) for i, _ in entries}
    best_tier = min(t for _, t in items)
    top_pop = max(fame.values())
    recent = {item_id: k for k, item_id in enumerate(reversed(context))}  # 0 = shown last
    typed_known = max((fame[i] for i in as_typed if i in fame), default=0) >= TYPED_SHARE * top_pop > 0

    def rank(pair):
        item, tier = pair
        y = item.year or 0
        year_gap = abs(y - year) if year is not None and item.year else (0 if year is None else 9999)
        age = -y if cue == "new" else (y if cue == "old" else 0)
        # "the original It" is the 1990 one people talk about, not an obscure 1966 namesake ("the new" one may be
        # too recent to be well known, so it keeps the newest)
        obscure = cue == "old" and fame[item.id] < OBSCURE_SHARE * top_pop
        # a cue ("the new Ghostbusters") says more than the conversation, which may be about the other one
        talked = recent.get(item.id, len(recent)) if cue is None else 0
        # "Heat was meh" is Michael Mann's Heat, not The Heat (2013), which had won on popularity
        added_article = typed_known and item.id not in as_typed
        # "I loved Oldboy, any other foreign films?" is the Korean Oldboy (2003), not the better-known remake
        unwished = bool(wished) and not wished & set(item.tags)
        return (year_gap, tier, talked, unwished, obscure, added_article, age, -fame[item.id], -y)

    ordered = sorted(items, key=rank)
    if cue is None and year is None:  # a part of a title ("Thor" of "Thor: Ragnarok") only when no whole title matches
        ordered = [p for p in ordered if p[1] == best_tier]
    return [it.id for it, _ in ordered]


_READING_RE = None  # compiled on first use (this module stays import-light)


def settle(ambiguous: dict[str, list[str]], text: str, catalog) -> tuple[str, str] | None:
    """The user's answer to "By 'dune' I took Dune (2021); tell me if you meant Dune (1984)": "the 1984
    one", "no, the old one", "I meant the original", "the newer one". Returns (mention, chosen id)
    for the latest ambiguous mention, or None when the text picks no reading."""
    import re

    global _READING_RE
    if _READING_RE is None:
        _READING_RE = re.compile(r"\b(?:the|that)\s+(?:(\d{4})|(old|older|original|earlier)|(new|newer|recent|"
                                 r"latest|remake|later))(?:\s+(?:one|version|film|movie)\b|\s*(?=[.,!?]|$))")
    if not ambiguous:
        return None
    m = _READING_RE.search(text.lower())
    if m is None:
        return None
    mention, ids = list(ambiguous.items())[-1]
    dated = [(catalog[i].year or 0, i) for i in ids if i in catalog]
    if m.group(1):
        chosen = [i for y, i in dated if y == int(m.group(1))]
    else:
        chosen = [min(dated)[1] if m.group(2) else max(dated)[1]] if dated else []
    return (mention, chosen[0]) if chosen else None
