"""Preference tracking: a pure ``update(preferences, turn, catalog) -> preferences``.

(Skeleton: the full rule-based tracker replaces this.)
"""
from __future__ import annotations

import copy

from convrec.catalog import Catalog
from convrec.state import Preferences, Turn


def update(prefs: Preferences, turn: Turn, catalog: Catalog, shown: list[str] | tuple = ()) -> Preferences:
    return copy.deepcopy(prefs)


def apply_feedback(prefs: Preferences, item_id: str, kind: str) -> Preferences:
    prefs = copy.deepcopy(prefs)
    target = {"like": prefs.liked, "dislike": prefs.disliked, "seen": prefs.seen}.get(kind)
    if target is None:
        raise ValueError(f"unknown feedback {kind!r}: use like, dislike or seen")
    if item_id not in target:
        target.append(item_id)
    return prefs
