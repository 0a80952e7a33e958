"""Pure helpers for the chat front-ends: cards, the preference panel, removal, transcripts.

Nothing here loads a model or touches Gradio: every function maps plain state
(``DialogueState``, ``Preferences``, ``Catalog``) to plain values (HTML strings,
message dicts, new ``Preferences``), so ``app.py`` and ``convrec/chat.py`` share them
and the tests can check them without a server.

    from convrec.ui_state import panel_entries, remove_entry, cards_html
    entries = panel_entries(state.preferences, catalog)       # what the system believes
    prefs = remove_entry(state.preferences, entries[0].key)   # the user says "forget that"
"""
from __future__ import annotations

import copy
import html
from dataclasses import dataclass

from convrec.catalog import Catalog, Item
from convrec.state import SYSTEM, USER, DialogueState, Preferences

FEEDBACK_KINDS = ("like", "dislike", "seen")  # what the card buttons send
FEEDBACK_LABELS = {"like": "Like", "dislike": "Not for me", "seen": "Seen it"}  # button text per kind
DESCRIPTION_CHARS = 260  # a card shows this much of the description before an ellipsis
MAX_LEADS = 3  # actors named on a card

# Preference fields shown in the panel, in display order: field -> section heading.
# Title fields hold catalog ids; the others hold free text.
TITLE_FIELDS = {"liked": "Liked", "disliked": "Not for me", "seen": "Seen", "not_seen": "Not seen yet"}
TEXT_FIELDS = {
    "liked_genres": "Genres you like",
    "disliked_genres": "Genres to avoid",
    "liked_people": "People you like",
    "disliked_people": "People to avoid",
    "moods": "Mood",
    "constraints": "Constraints",
    "series": "Series",
    "liked_keywords": "Themes you like",
    "disliked_keywords": "Themes to avoid",
}
YEAR_FIELDS = {"year_min": "From", "year_max": "Up to"}


@dataclass(frozen=True)
class PanelEntry:
    """One removable belief: ``key`` is what ``remove_entry`` takes back."""

    key: str  # "liked:<id>", "liked_genres:Horror", "year_min", ...
    section: str  # heading it is shown under
    label: str  # what the user reads


def panel_entries(prefs: Preferences, catalog: Catalog | None = None) -> list[PanelEntry]:
    """Every belief in ``prefs`` as a removable entry, grouped in display order."""
    entries: list[PanelEntry] = []
    for name, section in TITLE_FIELDS.items():
        for item_id in getattr(prefs, name):
            item = catalog.get(item_id) if catalog is not None else None
            entries.append(PanelEntry(f"{name}:{item_id}", section, item.label if item else item_id))
    for name, section in TEXT_FIELDS.items():
        for value in getattr(prefs, name):
            entries.append(PanelEntry(f"{name}:{value}", section, value))
    for name, prefix in YEAR_FIELDS.items():
        value = getattr(prefs, name)
        if value is not None:
            entries.append(PanelEntry(name, "Years", f"{prefix} {value}"))
    return entries


def remove_entry(prefs: Preferences, key: str) -> Preferences:
    """A copy of ``prefs`` without the entry ``key`` (from ``panel_entries``).

    Removing an entry that is not there is a no-op (a double click must not fail);
    a key naming no panel field is a ``ValueError``.
    """
    prefs = copy.deepcopy(prefs)
    name, _, value = key.partition(":")
    if name in YEAR_FIELDS:
        setattr(prefs, name, None)
    elif name in TITLE_FIELDS or name in TEXT_FIELDS:
        values = getattr(prefs, name)
        setattr(prefs, name, [v for v in values if v != value])
        if name in TITLE_FIELDS:
            prefs.ambiguous.pop(value, None)
            if name in ("liked", "disliked") and value not in prefs.dropped:
                prefs.dropped.append(value)  # removed from the panel: no seed as a title the user named either
    else:
        raise ValueError(f"unknown preference entry {key!r}")
    return prefs


# ---------------------------------------------------------------- transcript

def chat_messages(state: DialogueState) -> list[dict]:
    """The transcript as Gradio ``messages``: one ``{"role", "content"}`` dict per turn."""
    role = {USER: "user", SYSTEM: "assistant"}
    return [{"role": role.get(t.speaker, "assistant"), "content": t.text} for t in state.turns]


def feedback_note(kind: str, item: Item | None, n_new: int) -> str:
    """What the assistant says after a card button, before the refreshed list."""
    title = item.label if item else "that one"
    head = {
        "like": f"Noted: you like {title}.",
        "dislike": f"Noted: {title} is not for you.",
        "seen": f"Noted: you've seen {title}.",
    }.get(kind, "Noted.")
    if n_new == 0:
        return head + " I have nothing else that fits; try loosening a constraint."
    return head + " Here are updated suggestions."


# ---------------------------------------------------------------- cards

def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _short(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + "…"


def card_html(item: Item, rank: int, why: str = "", prefs: Preferences | None = None) -> str:
    """One recommendation card: title, year, genres, director and leads, description, why, buttons."""
    prefs = prefs or Preferences()
    directors, leads = item.names("director"), item.names("actor")[:MAX_LEADS]
    people = []
    if directors:
        people.append("Directed by " + _e(", ".join(directors)))
    if leads:
        people.append("Starring " + _e(", ".join(leads)))
    status = ""
    if item.id in prefs.liked:
        status = '<span class="cr-badge cr-badge-like">Liked</span>'
    genres = "".join(f'<span class="cr-chip">{_e(g)}</span>' for g in item.genres[:4])
    buttons = "".join(
        f'<button type="button" class="cr-fb cr-fb-{kind}" data-kind="{kind}" data-item="{_e(item.id)}"'
        f' aria-label="{_e(FEEDBACK_LABELS[kind])}: {_e(item.label)}">{_e(FEEDBACK_LABELS[kind])}</button>'
        for kind in FEEDBACK_KINDS
    )
    parts = [
        f'<article class="cr-card" data-item="{_e(item.id)}" data-title="{_e(item.title)}">',
        f'<div class="cr-head"><span class="cr-rank">{rank}</span><div class="cr-ttl">',
        f'<h3 class="cr-title">{_e(item.title)}</h3>',
        f' <span class="cr-year">{_e(item.year)}</span>' if item.year else "",
        f" {status}" if status else "",
        "</div></div>",
        f'<div class="cr-genres">{genres}</div>' if genres else "",
        f'<p class="cr-people">{" · ".join(people)}</p>' if people else "",
        f'<p class="cr-desc">{_e(_short(item.description))}</p>' if item.description else "",
        f'<p class="cr-why"><span class="cr-why-label">Why</span> {_e(why)}</p>' if why else "",
        f'<div class="cr-actions">{buttons}</div>',
        "</article>",
    ]
    return "".join(parts)


def cards_html(
    item_ids: list[str], catalog: Catalog, explanations: dict[str, str] | None = None,
    prefs: Preferences | None = None,
) -> str:
    """The card grid for the current suggestions; an empty-state hint when there are none."""
    explanations = explanations or {}
    cards = [
        card_html(catalog[i], rank, explanations.get(i, ""), prefs)
        for rank, i in enumerate((i for i in item_ids if i in catalog), start=1)
    ]
    if not cards:
        return (
            '<div class="cr-empty">Suggestions appear here. Tell me a film you loved, a genre, '
            "a director, or a mood.</div>"
        )
    return f'<div class="cr-cards">{"".join(cards)}</div>'


def panel_html(prefs: Preferences, catalog: Catalog | None = None) -> str:
    """The preference panel: sections of chips, each with a remove button (``data-key``)."""
    entries = panel_entries(prefs, catalog)
    if not entries:
        return (
            '<div class="cr-panel cr-panel-empty">Nothing yet. As you chat, what I learn about your '
            "taste shows up here, and you can remove anything I got wrong.</div>"
        )
    sections: dict[str, list[PanelEntry]] = {}
    for entry in entries:
        sections.setdefault(entry.section, []).append(entry)
    out = ['<div class="cr-panel">']
    for section, group in sections.items():
        chips = "".join(
            f'<span class="cr-pchip" data-key="{_e(e.key)}">{_e(e.label)}'
            f'<button type="button" class="cr-x" data-key="{_e(e.key)}" aria-label="Remove {_e(e.label)}"'
            f' title="Remove">×</button></span>'
            for e in group
        )
        out.append(f'<div class="cr-psec"><div class="cr-phead">{_e(section)}</div><div>{chips}</div></div>')
    out.append("</div>")
    return "".join(out)


def numbered_list(item_ids: list[str], catalog: Catalog, explanations: dict[str, str] | None = None) -> str:
    """Plain-text recommendations for the terminal: ``1. Title (Year) - genres; why``."""
    explanations = explanations or {}
    lines = []
    for n, item_id in enumerate(item_ids, start=1):
        item = catalog.get(item_id)
        if item is None:
            continue
        line = f"  {n}. {item.label}"
        if item.genres:
            line += " - " + ", ".join(item.genres[:3])
        directors = item.names("director")
        if directors:
            line += f" (dir. {', '.join(directors[:2])})"
        if explanations.get(item_id):
            line += f"\n     why: {explanations[item_id]}"
        lines.append(line)
    return "\n".join(lines)
