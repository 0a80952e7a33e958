"""Retrieval's last step: the order the latest user message asks for.

The fused (and reranked) list is good at taste; a message that names what it wants now is a request
to honour in this very list: the films of the people and keywords it asks for come first ("what about
something with Leonardo DiCaprio?", "something with animals"), then the films of a series it names
("what about the Star Wars movies?"), and no series fills more than ``cap`` of the first places
(``convrec.series``). Nothing is dropped: the rest follows in its own order.

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
    wanted = {r for a in wants.asked_now(state, catalog) for r in rows_by.get(a.kind, {}).get(norm_key(a.value), ())}
    if not wanted:
        return list(rows)
    return [r for r in rows if r in wanted] + [r for r in rows if r not in wanted]


def for_message(rows: Sequence, state: DialogueState, catalog: Catalog, rows_by: dict[str, dict[str, list[int]]],
                cap: int = 2) -> tuple[list, dict[int, str]]:
    """The rows in the order the latest message asks for, and a first reason for the rows put first
    because the message named their series."""
    text = next((t.text for t in reversed(state.turns) if t.speaker == USER), "")
    rows, keys = series.arrange(asked_first(rows, state, catalog, rows_by), catalog, text, cap)
    if not keys:
        return rows, {}
    reasons = {}
    for r in rows[:50]:
        key = series.series_key(catalog.items[r].title)
        if key in keys:
            reasons[r] = series.reason(key)
    return rows, reasons
