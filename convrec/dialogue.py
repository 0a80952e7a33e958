"""The dialogue manager: one conversation turn, from user text to a reply.

Flow of a user turn: tag it (``USER:``), update the preference state, decide to
ask one clarifying question or recommend, ask the recommender (retrieval ->
generator), record what was shown. Feedback from the UI ("Like", "Not for me",
"Seen it") changes the same state. Every function returns a new state.

    from convrec.dialogue import Dialogue
    dialogue = Dialogue(catalog, recommender)
    state, reply = dialogue.turn(DialogueState(), "I loved Alien, nothing too old")
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Iterator

from convrec.catalog import Catalog
from convrec.recommender import Recommender
from convrec.state import SYSTEM, USER, DialogueState, Feedback, Preferences, Turn  # noqa: F401 (re-exported)

MAX_MESSAGE_CHARS = 4000  # longer messages are cut (and the reply says so) rather than rejected


@dataclass
class Reply:
    text: str  # what the system says
    items: list[str] = field(default_factory=list)  # recommended catalog ids, best first
    explanations: dict[str, str] = field(default_factory=dict)  # item id -> why
    question: str | None = None  # the attribute asked about, when the turn is a question


class Dialogue:
    """Per-turn flow over a catalog and a recommender (both passed in)."""

    def __init__(self, catalog: Catalog, recommender: Recommender, k: int = 5):
        self.catalog = catalog
        self.recommender = recommender
        self.k = k  # items shown per recommendation turn

    def turn(self, state: DialogueState, text: str) -> tuple[DialogueState, Reply]:
        """One user message in, the new state and the system's reply out."""
        *_, last = self.stream_turn(state, text)
        return last

    def stream_turn(self, state: DialogueState, text: str) -> Iterator[tuple[DialogueState, Reply]]:
        """Like ``turn`` but yields partial replies while the text is generated; the last is final."""
        from convrec import preferences

        state = copy.deepcopy(state)
        text = (text or "").strip()
        if not text:
            yield state, Reply("Tell me a film you liked, a genre, or a mood, and I'll suggest something.")
            return
        text = text[:MAX_MESSAGE_CHARS]
        user = Turn(USER, text)
        state.preferences = preferences.update(state.preferences, user, self.catalog, shown=state.last_shown())
        state.turns.append(user)
        rec = self.recommender.recommend(state, k=self.k)
        items = [i for i in rec.item_ids if i in self.catalog][: self.k]
        reply = Reply(rec.text or self._default_text(items), items, rec.explanations)
        state.turns.append(Turn(SYSTEM, reply.text, items=items))
        state.shown += [i for i in items if i not in state.shown]
        yield state, reply

    def feedback(self, state: DialogueState, item_id: str, kind: str) -> DialogueState:
        """Apply a UI feedback event (like / dislike / seen) to the preference state."""
        from convrec import preferences

        state = copy.deepcopy(state)
        state.feedback.append(Feedback(item_id, kind))
        state.preferences = preferences.apply_feedback(state.preferences, item_id, kind)
        return state

    def _default_text(self, items: list[str]) -> str:
        if not items:
            return "I couldn't find anything in the catalog that fits; could you loosen a constraint?"
        return "You might enjoy: " + "; ".join(self.catalog[i].label for i in items) + "."
