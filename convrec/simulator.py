"""A deterministic user simulator after iEvaLM's attribute protocol (no LLM).

For a ReDial dialogue the simulated user's hidden target is a ground-truth movie of a
``dedup`` sample (the recommender named it and nobody had mentioned it before). The user

1. opens with the dialogue's first seeker turn (mentions rendered as titles);
2. answers the system's question (``Reply.question``: genre, actor, director, decade,
   title) from the target's metadata; asked for a title, it names a film the seeker
   said they liked in the real dialogue, never the target;
3. rejects a list that misses the target in its top 10 and reveals one more attribute
   (genre, director, actors, decade, in that order);
4. stops when the target is in the top 10 (success) or after ``MAX_ROUNDS`` rounds.

It never says the title: every utterance is checked against the target's title and its
distinctive words, and a target whose distinctive words already occur in the opening
is skipped (counted in ``n_skipped``). Run it through ``python -m convrec.evaluate simulate``.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from convrec.catalog import Catalog, Item
from convrec.protocols import RedialDialogue, rec_turns
from convrec.state import USER, DialogueState

MAX_ROUNDS = 5  # user utterances (the opening included) per simulated conversation
SUCCESS_K = 10  # success = target within the top 10 of a recommended list
LIST_K = 50  # length of the list requested from the recommender (Recall@50 on the last list)
ATTRIBUTE_ORDER = ("genre", "director", "actor", "decade")  # what a rejection reveals next

# Words too common to identify a title: they may be said even when the target's title holds them.
STOPWORDS = frozenset(
    "a an the of and or in on at to for from by with without is are be it its i me my you your we our "
    "he she his her they them their this that these those what who how when where not no so as up down "
    "out into over under about all one".split())

_WORD = re.compile(r"\w+", re.UNICODE)

# Phrasings per answer kind; the first one that leaks nothing is used.
TEMPLATES = {
    "genre": ["I'd like {a} {v} movie.", "Something in the {v} genre, please.", "Genre: {v}."],
    "director": ["Ideally directed by {v}.", "A film by {v} would be great.", "Director: {v}."],
    "actor": ["I'd like one with {v}.", "Something starring {v}.", "Cast: {v}."],
    "decade": ["Preferably from the {v}.", "A movie from the {v}.", "Era: {v}."],
    "liked": ["I really liked {v}.", "I enjoyed {v}.", "Liked: {v}."],
    "reject": ["No, none of those.", "Not those.", "Nope."],
    "unknown": ["I don't mind.", "Either way.", "Hmm."],
}


def words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def forbidden_words(item: Item) -> set[str]:
    """The title's distinctive words: all non-stopwords, or every word if it has none ("It")."""
    ws = words(item.title)
    return (ws - STOPWORDS) or ws


def leaks(text: str, item: Item) -> bool:
    """True when ``text`` says the target's title or one of its distinctive words."""
    low = " ".join(_WORD.findall(text.lower()))
    title = " ".join(_WORD.findall(item.title.lower()))
    if title and re.search(rf"\b{re.escape(title)}\b", low):
        return True
    return bool(words(text) & forbidden_words(item))


def decade(year: int | None) -> str | None:
    return f"{year // 10 * 10}s" if year else None


@dataclass
class SimUser:
    """The simulated seeker for one target."""

    target: Item
    liked_titles: list[str] = field(default_factory=list)  # films to name when asked for a title
    revealed: set[str] = field(default_factory=set)  # attributes already given

    def values(self, attribute: str) -> str | None:
        """The target's value for an attribute, as the user would say it (never leaking)."""
        t = self.target
        if attribute == "genre":
            vals = [g for g in t.genres[:2] if not leaks(g, t)]
            return " and ".join(v.lower() for v in vals) or None
        if attribute in ("director", "actor"):
            vals = [n for n in t.names(attribute)[: 1 if attribute == "director" else 2] if not leaks(n, t)]
            return " and ".join(vals) or None
        if attribute == "decade":
            return decade(t.year)
        if attribute == "title":
            return next((x for x in self.liked_titles if not leaks(x, t)), None)
        return None

    def say(self, kind: str, value: str | None = None, prefix: str = "") -> str:
        """The first template of ``kind`` that does not leak; a neutral fallback otherwise."""
        for template in TEMPLATES[kind]:
            if "{v}" in template and not value:
                continue
            article = "an" if (value or "x")[0].lower() in "aeiou" else "a"
            text = (prefix + " " + template.format(v=value or "", a=article)).strip()
            if not leaks(text, self.target):
                return text
        for fallback in ("Something else, please.", "Other options?", "Next.", "..."):
            text = (prefix + " " + fallback).strip()
            if not leaks(text, self.target):
                return text
        return "..."

    def reveal_next(self, prefix: str = "") -> str:
        """Reveal the next attribute not given yet (a rejection's second half)."""
        for attribute in ATTRIBUTE_ORDER:
            if attribute not in self.revealed:
                self.revealed.add(attribute)
                value = self.values(attribute)
                if value:
                    return self.say(attribute, value, prefix)
        return self.say("unknown", prefix=prefix) if prefix else self.say("reject")

    def answer(self, question: str) -> str:
        """Answer the system's question about one attribute."""
        if question == "title":
            value = self.values("title")
            return self.say("liked", value) if value else self.reveal_next("I can't think of one.")
        if question in ATTRIBUTE_ORDER:
            self.revealed.add(question)
            value = self.values(question)
            if value:
                return self.say(question, value)
            return self.reveal_next("I don't mind.")
        return self.reveal_next()

    def reject(self) -> str:
        prefix = self.say("reject")
        return self.reveal_next(prefix)


def seeker_liked(dialogue: RedialDialogue, catalog: Catalog, exclude: str) -> list[str]:
    """Labels of films the seeker said they liked (``initiatorQuestions.liked == 1``)."""
    out = []
    for mid, ans in dialogue.seeker_answers.items():
        if mid != exclude and mid in catalog and ans.get("liked") == 1:
            out.append(catalog[mid].label)
    return out


def targets(dialogue: RedialDialogue, which: str = "first") -> list[str]:
    """Hidden targets for one dialogue: the dedup ground truths (``first`` or ``all``)."""
    ids = list(dict.fromkeys(s.target for rt in rec_turns(dialogue) for s in rt.samples if s.dedup))
    return ids[:1] if which == "first" else ids


def opening(dialogue: RedialDialogue) -> str | None:
    """The dialogue's first seeker turn (titles rendered), or None when it has none."""
    for turn in dialogue.turns:
        if turn.speaker == USER:
            return turn.text
    return None


@dataclass
class Episode:
    """One simulated conversation and its outcome."""

    dialogue_id: str
    target: str
    utterances: list[str] = field(default_factory=list)  # what the simulated user said
    last_list: list[str] = field(default_factory=list)  # the last recommended list (up to LIST_K)
    success_round: int | None = None  # round at which the target entered the top 10
    latency: list[float] = field(default_factory=list)  # seconds per recommend() call
    questions: list[str] = field(default_factory=list)  # attributes the system asked about


class _Recording:
    """Wraps a recommender: asks for ``LIST_K`` items, remembers the list and the time."""

    def __init__(self, inner):
        self.inner = inner
        self.name = getattr(inner, "name", "system")
        self.last: list[str] = []
        self.latency: list[float] = []

    def recommend(self, state: DialogueState, k: int = 10):
        t0 = time.perf_counter()
        rec = self.inner.recommend(state, k=max(k, LIST_K))
        self.latency.append(time.perf_counter() - t0)
        self.last = [str(i) for i in rec.item_ids][:LIST_K]
        return rec

    def __getattr__(self, name):  # candidates() and anything else the dialogue may use
        return getattr(self.inner, name)


def simulate(dialogue: RedialDialogue, target_id: str, catalog: Catalog, recommender,
             max_rounds: int = MAX_ROUNDS) -> Episode | None:
    """Run one simulated conversation; None when the target cannot be simulated honestly."""
    from convrec.dialogue import Dialogue

    target = catalog.get(target_id)
    first = opening(dialogue)
    if target is None or first is None or leaks(first, target):
        return None
    user = SimUser(target, liked_titles=seeker_liked(dialogue, catalog, target_id))
    rec = _Recording(recommender)
    flow = Dialogue(catalog, rec, k=SUCCESS_K)
    episode = Episode(dialogue.id, target_id)
    state, text = DialogueState(), first
    for round_no in range(1, max_rounds + 1):
        episode.utterances.append(text)
        rec.last = []
        state, reply = flow.turn(state, text)
        if reply.items:
            full = rec.last if rec.last[: len(reply.items)] == list(reply.items) else list(reply.items)
            episode.last_list = full
            if target_id in full[:SUCCESS_K]:
                episode.success_round = round_no
                break
        if reply.question:
            episode.questions.append(reply.question)
            text = user.answer(reply.question)
        else:
            text = user.reject() if reply.items else user.reveal_next()
    episode.latency = rec.latency
    return episode


def simulation_metrics(episodes: list[Episode], n_dialogues: int, n_skipped: int) -> dict:
    """The stable metrics.json block of the ``simulate`` subcommand."""
    from convrec import metrics as M

    ranks = [M.rank_of(e.last_list, e.target) for e in episodes]
    wins = [e.success_round for e in episodes if e.success_round is not None]
    return {
        "recall@1": M.recall_at_k(ranks, 1), "recall@10": M.recall_at_k(ranks, 10),
        "recall@50": M.recall_at_k(ranks, 50),
        "success_rate": len(wins) / len(episodes) if episodes else None,
        "mean_rounds": sum(wins) / len(wins) if wins else None,  # over successful episodes only
        "latency_s": M.latency_summary([t for e in episodes for t in e.latency]),
        "n_dialogues": n_dialogues, "n_samples": len(episodes), "n_skipped": n_skipped,
        "questions_asked": sum(len(e.questions) for e in episodes),
        "recall_at_k": {"last_list": M.recall_curve(ranks, LIST_K)},
    }
