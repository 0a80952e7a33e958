"""Retrieval's last step: the order the latest user message asks for.

The fused (and reranked) list is good at taste; a message that names what it wants now is a request
to honour in this very list: the films of the people and keywords it asks for come first ("what about
something with Leonardo DiCaprio?", "something with animals"), then the films of a series it names
("what about the Star Wars movies?"), and no series fills more than ``cap`` of the first places
(``convrec.series``), nor one director more than ``director_cap`` of the first five unless the user likes
or asks for them. Nothing is dropped: the rest follows in its own order.

    rows, reasons = arrange.for_message(rows, state, catalog, {"person": people_rows, "keyword": tag_rows})
"""
from __future__ import annotations

from typing import Sequence

from convrec import series, wants
from convrec.catalog import Catalog
from convrec.signals import norm_key
from convrec.state import USER, DialogueState


def asked_first(rows: Sequence, state: DialogueState, catalog: Catalog, rows_by: dict[str, dict[str, list[int]]]) -> list:
    """``rows`` with the films of the people and keywords the latest message asks for ahead of the rest."""
    wanted = _wanted(state, catalog, rows_by)
    if not wanted:
        return list(rows)
    return [r for r in rows if r in wanted] + [r for r in rows if r not in wanted]


DIRECTOR_DEPTH = 5  # the places ``director_cap`` holds for: a chat list. Over the first 10 it cost ReDial test dedup
# R@10 0.195 -> 0.191 (people who liked one film of a director are often offered another); over 5 the films moved
# stay in the top 10


def spread_directors(rows: Sequence, state: DialogueState, catalog: Catalog, cap: int = 2,
                     depth: int = DIRECTOR_DEPTH, asked: set[int] | frozenset = frozenset()) -> list:
    """``rows`` with at most ``cap`` films of one (first-listed) director in the first ``depth`` places,
    which the next films down fill; the others move, in order, right behind them. A director the user
    likes or asks for is not capped, nor a film in ``asked`` (of a series or a keyword the message asks
    for: "what about the Star Wars movies?" had lost Episode IV as George Lucas's third)."""
    if cap <= 0:
        return list(rows)
    free = {norm_key(n) for n in state.preferences.liked_people}  # "more Miyazaki please" puts him there
    rows = list(rows)
    head, moved, count, n = [], [], {}, 0
    for n, r in enumerate(rows):  # fill the first places from further down when a director is capped
        if len(head) == depth:
            break
        names = catalog.items[r].names("director")
        key = norm_key(names[0]) if names else None
        count[key] = count.get(key, 0) + 1
        capped = key is not None and count[key] > cap and r not in asked and not free & {norm_key(x) for x in names}
        (moved if capped else head).append(r)
    else:
        n = len(rows)
    return head + moved + rows[n:]


def _wanted(state: DialogueState, catalog: Catalog, rows_by: dict[str, dict[str, list[int]]]) -> set[int]:
    """Rows of the films of the people and keywords the latest message asks for."""
    return {r for a in wants.asked_now(state, catalog) for r in rows_by.get(a.kind, {}).get(norm_key(a.value), ())}


def for_message(rows: Sequence, state: DialogueState, catalog: Catalog, rows_by: dict[str, dict[str, list[int]]],
                cap: int = 2, director_cap: int = 0) -> tuple[list, dict[int, str]]:
    """The rows in the order the latest message asks for, and a first reason for the rows put first
    because the message named their series."""
    text = next((t.text for t in reversed(state.turns) if t.speaker == USER), "")
    rows, keys = series.arrange(asked_first(rows, state, catalog, rows_by), catalog, text, cap)
    asked = _wanted(state, catalog, rows_by) | {r for k in keys for r in series.catalog_series(catalog).get(k, ())}
    rows = spread_directors(rows, state, catalog, director_cap, asked=asked)
    if not keys:
        return rows, {}
    reasons, idx = {}, series.catalog_series(catalog)
    for r in rows[:50]:
        key = next((k for k in sorted(keys) if r in idx.get(k, ())), None)
        if key is not None:
            reasons[r] = series.reason(key)
    return rows, reasons
