"""Evaluation protocols: ReDial recommendation samples and MovieLens leave-one-out.

ReDial (the CRSLab / UniCRS protocol), as implemented here:

* Speakers: a message whose ``senderWorkerId`` is the ``initiatorWorkerId`` is the
  seeker (``USER``), any other message is the recommender (``SYSTEM``).
  Consecutive messages by the same speaker are **merged** into one turn (texts joined
  by a space, mentions united in order), as CRSLab and UniCRS do, so one
  recommender turn = one ``recommend()`` call.
* Every recommender turn that mentions at least one catalog movie (``@id`` with ``id``
  in the catalog) yields one sample per distinct movie mentioned. The system sees
  every earlier turn, with ``@id`` rendered as ``Item.label`` ("Alien (1979)").
* ``dedup`` keeps the samples whose target was not mentioned earlier in the dialogue,
  by either speaker (Kostric & Balog's reproducibility study).
* The state the system sees: USER turns go through ``preferences.update`` (given the raw
  ``@id`` text, so the tracker can link exactly; ``tracker_text="rendered"`` gives it
  the titles instead); SYSTEM turns are appended with ``Turn.items`` = the ids they
  mentioned, and those ids are added to ``state.shown``.

MovieLens (the GenRec protocol): see ``movielens_samples``. Running systems on these
samples is ``runner.py``'s job.
"""
from __future__ import annotations

import copy
import csv
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from convrec.catalog import Catalog, split_title
from convrec.state import SYSTEM, USER, DialogueState, Turn

MENTION_RE = re.compile(r"@(\d+)")  # ReDial's movie mention: "@111776"


class DialogueFileError(ValueError):
    """A dialogue file that cannot be read; the message names file and line."""


# ---------------------------------------------------------------- ReDial parsing

@dataclass
class RawTurn:
    speaker: str  # USER (seeker) or SYSTEM (recommender)
    raw: str  # the text with ReDial's "@id" mentions
    text: str  # the same text with every mention rendered as a title
    mentions: list[str] = field(default_factory=list)  # catalog ids mentioned, first-mention order


@dataclass
class RedialDialogue:
    id: str  # conversationId
    turns: list[RawTurn]
    seeker_answers: dict[str, dict] = field(default_factory=dict)  # initiatorQuestions: id -> {seen, liked, ...}


@dataclass
class Sample:
    target: str  # the ground-truth catalog id
    dedup: bool  # True when the target was not mentioned earlier in the dialogue


@dataclass
class RecTurn:
    """One recommender turn to predict: the context turns and the movies it mentioned."""

    dialogue_id: str
    index: int  # position of the recommender turn in ``RedialDialogue.turns``
    samples: list[Sample]


def render(text: str, catalog: Catalog, names: dict[str, str] | None = None) -> tuple[str, list[str]]:
    """Replace every ``@id`` by the item's label; return the text and the catalog ids mentioned.

    Ids outside the catalog are rendered with ReDial's own name when known, else left as is.
    """
    names = names or {}
    ids: list[str] = []

    def sub(m: re.Match) -> str:
        mid = m.group(1)
        item = catalog.get(mid)
        if item is not None:
            if mid not in ids:
                ids.append(mid)
            return item.label
        if mid in names:
            title, year = split_title(names[mid])
            return f"{title} ({year})" if year else title
        return m.group(0)

    return MENTION_RE.sub(sub, text), ids


def parse_dialogue(d: dict, catalog: Catalog, where: str = "dialogue") -> RedialDialogue:
    """One ReDial JSON object -> merged, speaker-tagged turns."""
    try:
        seeker = d["initiatorWorkerId"]
        messages = d["messages"]
        conv_id = str(d["conversationId"])
    except (KeyError, TypeError) as e:
        raise DialogueFileError(f"{where}: missing ReDial field {e}") from None
    names = {str(k): str(v) for k, v in (d.get("movieMentions") or {}).items()} if isinstance(d.get("movieMentions"), dict) else {}
    turns: list[RawTurn] = []
    for j, msg in enumerate(messages):
        if not isinstance(msg, dict) or "text" not in msg or "senderWorkerId" not in msg:
            raise DialogueFileError(f"{where}: message {j} needs 'text' and 'senderWorkerId'")
        speaker = USER if msg["senderWorkerId"] == seeker else SYSTEM
        raw = " ".join(str(msg["text"]).split())
        if not raw:
            continue
        text, ids = render(raw, catalog, names)
        if turns and turns[-1].speaker == speaker:  # merge consecutive messages of one speaker
            last = turns[-1]
            last.raw, last.text = f"{last.raw} {raw}", f"{last.text} {text}"
            last.mentions += [i for i in ids if i not in last.mentions]
        else:
            turns.append(RawTurn(speaker, raw, text, ids))
    answers = d.get("initiatorQuestions") if isinstance(d.get("initiatorQuestions"), dict) else {}
    return RedialDialogue(conv_id, turns, {str(k): v for k, v in answers.items() if isinstance(v, dict)})


def read_dialogues(path: str | Path, catalog: Catalog, limit: int | None = None) -> list[RedialDialogue]:
    """Read a ReDial-format JSONL file (one conversation a line); errors name file and line."""
    path = Path(path)
    if not path.exists():
        raise DialogueFileError(f"{path}: dialogue file not found")
    out: list[RedialDialogue] = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if limit is not None and len(out) >= limit:
                break
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except json.JSONDecodeError as e:
                raise DialogueFileError(f"{path}:{n}: not valid JSON ({e.msg})") from None
            out.append(parse_dialogue(d, catalog, where=f"{path}:{n}"))
    return out


def rec_turns(dialogue: RedialDialogue, speaker: str = SYSTEM) -> list[RecTurn]:
    """The recommender turns that mention a catalog movie, with one sample per movie (``speaker=USER``:
    the seeker's turns instead, which the learned retriever also trains on; never an evaluation sample)."""
    out: list[RecTurn] = []
    mentioned: set[str] = set()
    for index, turn in enumerate(dialogue.turns):
        if turn.speaker == speaker and turn.mentions:
            out.append(RecTurn(dialogue.id, index, [Sample(t, t not in mentioned) for t in turn.mentions]))
        mentioned.update(turn.mentions)
    return out


def count_samples(dialogues: list[RedialDialogue]) -> dict[str, int]:
    """Numbers of dialogues, recommender turns and samples (standard and dedup)."""
    turns = [rt for d in dialogues for rt in rec_turns(d)]
    samples = [s for rt in turns for s in rt.samples]
    return {"n_dialogues": len(dialogues), "n_rec_turns": len(turns), "n_samples": len(samples),
            "n_samples_dedup": sum(s.dedup for s in samples)}


def iter_states(dialogue: RedialDialogue, catalog: Catalog, tracker_text: str = "raw", speaker: str = SYSTEM
                ) -> Iterator[tuple[RecTurn, DialogueState]]:
    """For each recommender turn with samples (``speaker=USER``: seeker turn), the state built from every earlier turn.

    The state grows incrementally (one ``preferences.update`` per USER turn), and a copy
    is handed out, so a system that mutates it cannot change later contexts.
    """
    from convrec import preferences

    if tracker_text not in ("raw", "rendered"):
        raise ValueError("tracker_text must be 'raw' or 'rendered'")
    todo = {rt.index: rt for rt in rec_turns(dialogue, speaker)}
    state = DialogueState()
    for index, turn in enumerate(dialogue.turns):
        if index in todo:
            yield todo[index], copy.deepcopy(state)
        if index >= max(todo, default=-1):
            return  # later turns are context for no sample
        if turn.speaker == USER:
            seen_by_tracker = Turn(USER, turn.raw if tracker_text == "raw" else turn.text)
            state.preferences = preferences.update(state.preferences, seen_by_tracker, catalog,
                                                   shown=state.last_shown(), known=state.shown)
            state.turns.append(Turn(USER, turn.text))
        else:
            state.turns.append(Turn(SYSTEM, turn.text, items=list(turn.mentions)))
            state.shown += [i for i in turn.mentions if i not in state.shown]


# ---------------------------------------------------------------- MovieLens (GenRec)

LIKED_RATING = 4.0  # a rating >= 4 of 5 counts as liked
DISLIKED_RATING = 2.0  # a rating <= 2 counts as disliked
MAX_HISTORY = 50  # most recent liked/disliked items put in the state (power users rated 2,000+)
PROMPT_TITLES = 10  # liked titles quoted in the synthetic USER turn


@dataclass
class UserSample:
    user: str  # MovieLens userId
    history: list[tuple[str, float]]  # (movieId, rating), oldest first: the input
    target: str  # the held-out movieId


def read_ratings(data_dir: str | Path) -> dict[str, list[tuple[int, int, str, float]]]:
    """userId -> [(timestamp, file order, movieId, rating)] from ml-latest-small's ratings.csv."""
    path = Path(data_dir) / "movielens" / "ml-latest-small" / "ratings.csv"
    if not path.exists():
        raise FileNotFoundError(f"{path}: not found (is the data directory right?)")
    users: dict[str, list[tuple[int, int, str, float]]] = defaultdict(list)
    with path.open(newline="", encoding="utf-8") as f:
        for n, row in enumerate(csv.DictReader(f)):
            users[row["userId"]].append((int(row["timestamp"]), n, row["movieId"], float(row["rating"])))
    return users


def movielens_samples(ratings: dict[str, list[tuple[int, int, str, float]]], split: str = "test",
                      limit: int | None = None) -> list[UserSample]:
    """Leave-one-out per user, time-ordered (ties keep file order).

    ``test``: the last rating is the target, every earlier one is the history;
    ``valid``: the second-to-last is the target, the history stops before it.
    Users with fewer than 3 ratings are skipped (ml-latest-small has none).
    """
    if split not in ("test", "valid"):
        raise ValueError("split must be 'test' or 'valid'")
    drop = 1 if split == "test" else 2
    out: list[UserSample] = []
    for user in sorted(ratings, key=lambda u: int(u) if u.isdigit() else u):
        rows = sorted(ratings[user])
        if len(rows) < 3:
            continue
        hist = rows[: len(rows) - drop]
        out.append(UserSample(user, [(m, r) for _, _, m, r in hist], rows[len(rows) - drop][2]))
        if limit is not None and len(out) >= limit:
            break
    return out


def movielens_state(sample: UserSample, catalog: Catalog) -> DialogueState:
    """The state a system sees: liked = recent items rated >= 4 (most recent last, at most
    ``MAX_HISTORY``), disliked = recent items rated <= 2, seen = every rated item, and one
    USER turn quoting the most recent liked titles for text-based retrievers."""
    hist = [(m, r) for m, r in sample.history if m in catalog]
    liked = [m for m, r in hist if r >= LIKED_RATING][-MAX_HISTORY:]
    disliked = [m for m, r in hist if r <= DISLIKED_RATING][-MAX_HISTORY:]
    state = DialogueState()
    state.preferences.liked = liked
    state.preferences.disliked = disliked
    state.preferences.seen = list(dict.fromkeys(m for m, _ in hist))
    quoted = [catalog[m].label for m in liked[-PROMPT_TITLES:]]
    text = ("I liked " + "; ".join(quoted) + ". What should I watch next?") if quoted else "What should I watch next?"
    state.turns.append(Turn(USER, text))
    return state
