"""Plain, serialisable state shared by every stage: turns, preferences, feedback.

These are the nouns of the product; the logic that changes them lives in
``preferences.py`` (``update``) and ``dialogue.py`` (the per-turn flow).
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields

USER, SYSTEM = "USER", "SYSTEM"  # speaker tags: every utterance is one of these


@dataclass
class Turn:
    speaker: str  # USER or SYSTEM
    text: str
    items: list[str] = field(default_factory=list)  # catalog ids shown with a SYSTEM turn, or named in a USER turn
    about: list[str] = field(default_factory=list)  # ids a SYSTEM answer was about (what "it" means next)
    unknown: list[str] = field(default_factory=list)  # names in a USER turn the catalog lacks ("Breaking Bad"): kept
    # out of the semantic query, where "something like Breaking Bad" had found Superbad and The Good, the Bad and the Ugly

    def render(self) -> str:
        return f"{self.speaker}: {self.text}"


@dataclass
class Preferences:
    """What the user has said so far. Titles are catalog ids; order = order stated."""

    liked: list[str] = field(default_factory=list)
    disliked: list[str] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    not_seen: list[str] = field(default_factory=list)
    liked_genres: list[str] = field(default_factory=list)
    disliked_genres: list[str] = field(default_factory=list)
    liked_people: list[str] = field(default_factory=list)
    disliked_people: list[str] = field(default_factory=list)
    year_min: int | None = None  # "nothing before 2000" -> 2000
    year_max: int | None = None  # "from the 90s" -> 1999 (with year_min 1990)
    moods: list[str] = field(default_factory=list)  # "lighter", "mind-bending", keywords
    constraints: list[str] = field(default_factory=list)  # free text kept for retrieval
    series: list[str] = field(default_factory=list)  # "the Star Wars movies" -> "Star Wars" (convrec.series)
    liked_keywords: list[str] = field(default_factory=list)  # catalog tags wished for: "with animals" -> "animals"
    disliked_keywords: list[str] = field(default_factory=list)  # "no princesses" -> "princess" (convrec.keywords)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)  # mention -> alternative ids
    dropped: list[str] = field(default_factory=list)  # titles taken back ("forget Dune") or not meant ("I meant
    # the old one"): no longer evidence of taste, though a turn still names them (retrieval seeds skip them)

    def excluded(self) -> set[str]:
        """Ids never to recommend: seen or disliked."""
        return set(self.seen) | set(self.disliked)

    def is_empty(self) -> bool:
        return self == Preferences()

    def within_years(self, year: int | None) -> bool:
        """``year`` lies in the years the user asked for (False when none were asked, or the year is unknown)."""
        lo, hi = self.year_min, self.year_max
        return bool(year and (lo or hi)) and (lo or year) <= year <= (hi or year)


@dataclass
class Feedback:
    item_id: str
    kind: str  # "like", "dislike" (Not for me), "seen"


@dataclass
class DialogueState:
    turns: list[Turn] = field(default_factory=list)
    preferences: Preferences = field(default_factory=Preferences)
    shown: list[str] = field(default_factory=list)  # every id shown so far, in order
    feedback: list[Feedback] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)  # attributes already asked about

    def last_shown(self) -> list[str]:
        """Ids shown with the latest SYSTEM turn that showed any ("the second one")."""
        for turn in reversed(self.turns):
            if turn.speaker == SYSTEM and turn.items:
                return list(turn.items)
        return []

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "DialogueState":
        d = json.loads(text)
        if not isinstance(d, dict):
            raise ValueError("a conversation export must be a JSON object")
        pref_names = {f.name for f in fields(Preferences)}
        return cls(
            turns=[Turn(**t) for t in d.get("turns", [])],
            preferences=Preferences(**{k: v for k, v in d.get("preferences", {}).items() if k in pref_names}),
            shown=list(d.get("shown", [])),
            feedback=[Feedback(**f) for f in d.get("feedback", [])],
            asked=list(d.get("asked", [])),
        )
