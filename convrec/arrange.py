"""Retrieval's last step: the order the latest user message asks for.

The fused (and reranked) list is good at taste; a message that names what it wants now is a request
to honour in this very list: the films of the people and keywords it asks for come first ("what about
something with Leonardo DiCaprio?", "something with animals"), then the films of a series it names
("what about the Star Wars movies?"), and no series fills more than ``cap`` of the first places
(``convrec.series``), nor one director more than ``director_cap`` of the first five unless the user likes
or asks for them. Two liked titles of different kinds share the first places, "something in the middle"
puts first the films near both (``by_seeds``), and the other readings of an ambiguous title wait behind the
first ten (``after``). Nothing is dropped: the rest follows in its own order.

    rows, reasons = arrange.for_message(rows, state, catalog, {"person": people_rows, "keyword": tag_rows})
"""
from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from convrec import attributes, series, wants
from convrec.catalog import Catalog
from convrec.signals import norm_key
from convrec.state import USER, DialogueState

# "something in the middle", "something we'd both like": a film near every liked title, not near one of them
BLEND_RE = re.compile(r"(?i)\b(?:in the middle|in between|something (?:for|with|that has|we(?:'d| would| can| could)?) both|"
                      r"we(?:'d| would| can| could)? both (?:like|enjoy|love|watch)|both of us (?:like|enjoy|love|would)|"
                      r"a (?:mix|blend|combination) of (?:both|the two|them|those)|compromise|best of both)\b")
SEED_DEPTH = 5  # the first places (a chat list) where each liked title of the message is represented
SEED_POOL = 50  # how far down the list a film for one of the titles may come from
BLEND_POOL = 200  # ... and a film for all of them (near both a romance and an action film is rarely near the top)


def ahead(rows: Sequence, wanted: set) -> list:
    """``rows`` with those in ``wanted`` ahead of the rest, each part in its own order."""
    return [r for r in rows if r in wanted] + [r for r in rows if r not in wanted] if wanted else list(rows)


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

    def key(r: int) -> str | None:
        names = catalog.items[r].names("director")
        return None if not names or r in asked or free & {norm_key(x) for x in names} else norm_key(names[0])
    return fill_head(rows, key, cap, depth)


def fill_head(rows: Sequence, key, cap: int, depth: int) -> list:
    """``rows`` with at most ``cap`` of one ``key(row)`` (None: no limit) in the first ``depth`` places, which the
    next rows down fill; the rows held back move, in order, right behind them."""
    rows = list(rows)
    head, moved, count, n = [], [], {}, 0
    for n, r in enumerate(rows):
        if len(head) == depth:
            break
        k = key(r)
        count[k] = count.get(k, 0) + 1
        (moved if k is not None and count[k] > cap else head).append(r)
    else:
        n = len(rows)
    return head + moved + rows[n:]


def _wanted(state: DialogueState, catalog: Catalog, rows_by: dict[str, dict[str, list[int]]]) -> set[int]:
    """Rows of the films of the people and keywords the latest message asks for, and of the films it names that
    the user has not seen by a person or with a keyword they like ("seen all of them except Tenet": Tenet had come
    second)."""
    named = next((t.items for t in reversed(state.turns) if t.speaker == USER), [])
    unseen = wants.unseen_of_liked(state.preferences, catalog) & set(named)
    rows = {r for a in wants.asked_now(state, catalog) for r in rows_by.get(a.kind, {}).get(norm_key(a.value), ())}
    return rows | {r for r, item in enumerate(catalog.items) if item.id in unseen} if unseen else rows


def for_message(rows: Sequence, state: DialogueState, catalog: Catalog, rows_by: dict[str, dict[str, list[int]]],
                cap: int = 2, director_cap: int = 0, lead: np.ndarray | None = None) -> tuple[list, dict[int, str]]:
    """The rows in the order the latest message asks for, and a first reason for the rows put first
    because the message named their series. ``lead``: the rows of a genre asked for that lead the list (too few
    to filter by); only those of them a person or keyword is asked for go before them ("a good documentary",
    then "something about nature": animated films about nature had pushed the documentaries out)."""
    text = next((t.text for t in reversed(state.turns) if t.speaker == USER), "")
    wanted = _wanted(state, catalog, rows_by)
    if lead is not None:
        wanted = {r for r in wanted if lead[r]}
    elif wanted:  # a genre named with them: "a documentary about nature" (The Wild Robot and Princess Mononoke,
        # tagged nature, had come before the documentaries); films of it first, if any
        idx = attributes.index_for(catalog)  # a genre the catalog has ("Superhero" is none on ReDial's)
        said = attributes.find_attributes(text, catalog)
        if not any(a.kind in ("person", "keyword") and not a.negated for a in said):  # carried on from the request
            said = attributes.find_attributes(wants.last_request(state), catalog)  # before: its genres too ("funny,
            # maybe british?" then "more like the second" had led with Lawrence of Arabia and Dr. No)
        genres = {a.value for a in said if a.kind == "genre" and not a.negated} & {idx.genre_name[c] for c in idx.present}
        if genres:  # none of them: they lead no list of another kind ("a horror movie set in the snow" had led
            wanted = {r for r in wanted if genres & set(catalog.items[r].genres)}  # with Frozen and Fargo)
    rows, keys = by_series(ahead(rows, wanted), catalog, text, cap)
    if not keys:  # a film of the person asked for that the series cap moved comes right after the others, not
        # behind 20 films without them (Toy Story after "something with Tom Hanks" and "more"), but not as a third
        # of its series in a chat list ("I have seen Forrest Gump" then had three Toy Story films)
        fr = series.franchises(catalog)
        rows = fill_head(ahead(rows, wanted), lambda r: fr[r], cap, DIRECTOR_DEPTH) if wanted else rows
    asked = wanted | {r for k in keys for r in series.rows_of(k, catalog)}
    rows = spread_directors(rows, state, catalog, director_cap, asked=asked)
    if not keys:
        return rows, {}
    reasons, idx = {}, {k: set(series.rows_of(k, catalog)) for k in keys}
    for r in rows[:50]:
        key = next((k for k in sorted(keys) if r in idx[k]), None)
        if key is not None:
            reasons[r] = series.reason(key)
    return rows, reasons


def spread_series(rows: Sequence, keys: Sequence[str], cap: int = 2, depth: int = 20,
           asked: set[str] | frozenset = frozenset()) -> list:
    """``rows`` (best first; ``keys`` are their series or franchise keys, at least the first ``depth``)
    with at most ``cap`` films of one series in the first ``depth`` places; the others move, in order,
    right behind them. A key in ``asked`` is never capped. ``cap`` 0 keeps ``rows``."""
    if cap <= 0 or len(rows) <= cap:
        return list(rows)
    head, moved, count = [], [], {}
    for row, key in zip(rows[:depth], keys[:depth]):
        count[key] = count.get(key, 0) + 1
        (moved if count[key] > cap and key not in asked else head).append(row)
    return head + moved + list(rows[depth:])


def series_first(rows: Sequence, catalog: Catalog, keys: set[str]) -> list:
    """``rows`` (best first) with the films of the series ``keys`` ahead of the rest, each group
    in its own order: "what about the Star Wars movies?" lists Star Wars films."""
    members = {r for k in keys for r in series.rows_of(k, catalog)}
    return [r for r in rows if r in members] + [r for r in rows if r not in members]


def by_series(rows: Sequence, catalog: Catalog, text: str, cap: int = 2, depth: int = 20) -> tuple[list, set[str]]:
    """Retrieval's last step for the latest user message ``text``: the films of the series it names
    first, then at most ``cap`` of any other series in the first ``depth`` places. Returns the rows
    and the keys put first (their films' reasons say so)."""
    keys = series.requested(text, catalog)
    rows = series_first(rows, catalog, keys) if keys else list(rows)
    fr = series.franchises(catalog)
    wanted = {fr[r] for k in series.asked(text, catalog) for r in series.rows_of(k, catalog)}
    return spread_series(rows, [fr[r] for r in rows[:depth]], cap, depth, wanted), keys


def after(rows: Sequence, late: Sequence[int], depth: int) -> list:
    """``rows`` with the rows in ``late`` moved out of the first ``depth`` places (right behind them)."""
    late = {int(r) for r in late}
    moved = [r for r in rows[:depth] if int(r) in late]
    if not moved:
        return list(rows)
    gone = {int(r) for r in moved}  # a late row further down keeps its place
    rest = [r for r in rows if int(r) not in gone]
    return rest[:depth] + moved + rest[depth:]


def by_seeds(rows: Sequence, state: DialogueState, catalog: Catalog, seed_rows: np.ndarray, sims: np.ndarray | None,
             depth: int = SEED_DEPTH, pool: int = SEED_POOL) -> tuple[list, dict[int, str]]:
    """``rows`` with the liked titles' similarity honoured: for "something in the middle" the first
    ``BLEND_POOL`` reordered, the films sharing a genre with every liked title first, then by their worst rank
    of similarity to any of them; else, when the latest message names two
    or more liked titles of no common genre ("she loves Pride and Prejudice, I love Die Hard": five romances
    had come), the first ``depth`` places taken in turn by the films nearest each title. ``seed_rows`` and
    ``sims`` are the similarity signal's seeds and (items, seeds) scores; nothing is dropped. Also a first
    reason for the films put first "in the middle" ("shares romance with X and action with Y")."""
    rows = list(rows)
    user = next((t for t in reversed(state.turns) if t.speaker == USER), None)
    if user is None or sims is None or not len(seed_rows):
        return rows, {}
    liked = set(state.preferences.liked)
    blend = bool(BLEND_RE.search(user.text))
    ids = liked if blend else [i for i in user.items if i in liked]
    cols = [j for j, r in enumerate(seed_rows) if catalog.items[int(r)].id in ids]
    if len(cols) < 2:
        return rows, {}
    pool = BLEND_POOL if blend else pool
    head, tail = rows[:pool], rows[pool:]
    block = sims[np.asarray(head, dtype=np.int64)][:, cols]
    genres = [set(catalog.items[int(seed_rows[j])].genres) for j in cols]
    if blend:  # first the films sharing a genre with every title (MiniLM alone put Paths of Glory near Pride &
        # Prejudice), then by the worst of their ranks by similarity to each title, then in the list's own order
        ranks = (-block).argsort(axis=0).argsort(axis=0).max(axis=1)
        common = (catalog.genres() or [None])[0]
        marks = [g - {common} or g for g in genres]  # a romance's mark is Romance, not Drama (the most common)
        apart = [sum(not g & set(catalog.items[int(r)].genres) for g in marks) for r in head]
        order = [head[i] for i in sorted(range(len(head)), key=lambda i: (apart[i], ranks[i], i))]
        return order + tail, {r: _between(catalog, r, [int(seed_rows[j]) for j in cols], marks) for r in order[:depth]}
    if any(a & b for n, a in enumerate(genres) for b in genres[n + 1:]):
        return rows, {}  # titles of a kind: the list already serves them all
    best = block.argmax(axis=1)
    queues = [[r for r, b in zip(head, best) if b == j] for j in range(len(cols))]
    first = _in_turn(queues, depth)
    return first + [r for r in head if r not in first] + tail, {}


def _in_turn(queues: list[list], depth: int) -> list:
    """Up to ``depth`` rows taken from the heads of ``queues`` in turn (the queues are consumed)."""
    first: list = []
    while len(first) < depth and any(queues):
        for q in queues:
            if q and len(first) < depth:
                first.append(q.pop(0))
    return first


_CLAUSE_RE = re.compile(r"[.;!?,]|\b(?:but|while|whereas|and i|and she|and he|and my)\b", re.IGNORECASE)


def taste_groups(state: DialogueState, catalog: Catalog) -> list[frozenset[str]]:
    """The liked genres grouped by the clause that named them: "she likes rom coms, I like action" is
    [{Comedy, Romance}, {Action}] (two tastes), where the flat state only says three genres."""
    return _groups([t.text for t in state.turns if t.speaker == USER], state, catalog)


def _groups(texts: Sequence[str], state: DialogueState, catalog: Catalog) -> list[frozenset[str]]:
    liked, groups = set(state.preferences.liked_genres), []
    for text in texts:
        for clause in _CLAUSE_RE.split(text[:2000]):
            g = frozenset(a.value for a in attributes.find_attributes(clause, catalog)
                          if a.kind == "genre" and not a.negated and a.value in liked)
            if g and g not in groups:
                groups.append(g)
    return groups


def by_taste_groups(rows: Sequence, state: DialogueState, catalog: Catalog,
                    depth: int = SEED_DEPTH) -> tuple[list, dict[int, str]]:
    """For "something with both?" after two tastes told as genres ("she likes rom coms, I like action"), the
    first ``BLEND_POOL`` rows reordered: films with a genre of every taste first, the fuller match first,
    then in the list's own order (five romances and comedies had come, one action comedy among them).
    Two liked titles are ``by_seeds``'s to blend. Also a first reason for the films put first."""
    rows = list(rows)
    user = next((t for t in reversed(state.turns) if t.speaker == USER), None)
    if user is None or sum(i in catalog for i in state.preferences.liked) >= 2:
        return rows, {}
    if not BLEND_RE.search(user.text):
        now = _groups([user.text], state, catalog)
        if not now:  # "we have seen the first one" after "he loves horror and I love comedies": both still share
            told = [g for t in state.turns if t.speaker == USER and len(g := _groups([t.text], state, catalog)) > 1]
            now = told[-1] if told else []  # (five horror films had come)
        return _share(rows, now, catalog, depth), {}
    groups = taste_groups(state, catalog)
    if len(groups) < 2:
        return rows, {}
    head, tail = rows[:BLEND_POOL], rows[BLEND_POOL:]

    def fit(r) -> tuple[int, float]:
        own = set(catalog.items[int(r)].genres)
        missed = sum(not g & own for g in groups)  # a film of one taste keeps its place among the rest
        return missed, -sum(len(g & own) / len(g) for g in groups) if not missed else 0.0

    order = [head[i] for i in sorted(range(len(head)), key=lambda i: (*fit(head[i]), i))]
    reasons = {}
    for r in order[:depth]:
        own = catalog.items[int(r)].genres
        parts = [" and ".join(x.lower() for x in own if x in g) for g in groups]
        if all(parts):
            reasons[r] = "a bit of both: " + " plus ".join(parts)
    return order + tail, reasons


def _share(rows: list, groups: list[frozenset[str]], catalog: Catalog, depth: int) -> list:
    """``rows`` with the first ``depth`` places taken in turn by a film of every taste (if any), then one of each
    taste, for a message that tells two tastes ("she likes romcoms but I prefer action": one action film had
    come among four romantic comedies). Nothing is dropped."""
    if len(groups) < 2 or any(a < b or b < a for a in groups for b in groups):
        return rows
    head = rows[:BLEND_POOL]
    queues: list[list] = [[] for _ in range(len(groups) + 1)]
    for r in head:
        own = set(catalog.items[int(r)].genres)
        hits = [n for n, g in enumerate(groups) if g & own]
        if len(hits) == len(groups):
            queues[0].append(r)
        elif hits:
            queues[1 + max(hits, key=lambda n: len(groups[n] & own) / len(groups[n]))].append(r)
    first = _in_turn(queues, depth)
    taken = set(first)
    return first + [r for r in rows if r not in taken]


def _between(catalog: Catalog, row: int, seeds: list[int], marks: list[set[str]]) -> str:
    """"shares romance with Pride & Prejudice (2005) and action with Die Hard (1988)" (what it shares of each)."""
    own = catalog.items[row].genres
    parts = [f"{shared[0].lower()} with {catalog.items[s].label}"
             for s, g in zip(seeds, marks) if (shared := [x for x in own if x in g])]
    return "shares " + " and ".join(parts) if len(parts) == len(seeds) else ""
