"""Scripted dialogues: hand-written conversations with expectations checked turn by turn.

A dialogue file is YAML (one dialogue, a list of them, or several ``---`` documents) or
JSONL (one dialogue a line)::

    name: likes-alien
    turns:
      - user: "I loved Alien"
        expect:
          never_recommend: ["Alien (1979)"]          # titles or "Title (Year)" labels
          all_recommendations_have_genre: Sci-Fi     # one genre, or a list: any of them
          each_genre_recommended: [Sci-Fi, Horror]   # each genre is the genre of some recommendation
          state: {liked: ["Alien (1979)"]}           # what the tracker must hold afterwards
      - feedback: {item: "Aliens (1986)", kind: seen} # a UI event instead of a message
      - user: "something lighter"
        if_asked: {genre: "a comedy"}                # answers to a clarifying question, by attribute
        expect: {explanation_mentions: [comedy], explanations_never_mention: [alien]}

When the system answers a turn with a clarifying question (``Reply.question``, no items)
and the turn expects something of the recommendations, the runner answers the question
(``if_asked[attribute]``, else ``DEFAULT_ANSWER``) up to ``MAX_AUTO_ANSWERS`` times and
checks the expectations on the reply that recommends. A turn that expects ``asks`` is
checked on the first reply. ``ask: false`` at the top of a dialogue turns questions off.

Every violation is reported with file, dialogue and turn; an unknown check name or an
unknown title is itself a violation, so typos never pass silently. Run::

    python -m convrec.evaluate script tests/dialogues --system retrieval
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from convrec.catalog import Catalog

LIST_CHECKS = ("never_recommend", "must_recommend_any_of", "must_recommend_all_of")
STATE_LISTS = {"liked", "disliked", "seen", "not_seen", "liked_genres", "disliked_genres", "liked_people",
               "disliked_people", "moods", "liked_keywords", "disliked_keywords", "constraints"}  # state lists (subset checks)
STATE_TITLES = {"liked", "disliked", "seen", "not_seen"}  # state lists of catalog ids, written as titles
DEFAULT_ANSWER = "Anything is fine, surprise me."  # said when a question has no scripted answer
MAX_AUTO_ANSWERS = 2  # the policy recommends by its third turn, so two answers always suffice
STATE_ONLY = {"state"}  # checks that do not need a recommendation
CHECKS = {*LIST_CHECKS, "all_recommendations_have_genre", "each_genre_recommended", "no_recommendation_with_genre",
          "no_recommendation_before_year", "no_recommendation_after_year", "explanation_mentions",
          "explanations_never_mention", "never_says",
          "recommends", "asks", "never_recommend_excluded", "state", "at_most_per_series",
          "at_most_per_director", "person_first", "at_least_with_person"}


class ScriptError(ValueError):
    """A scripted-dialogue file that cannot be read (names the file and what is wrong)."""


@dataclass
class ScriptedDialogue:
    name: str
    turns: list[dict]  # {"user": text, "expect": {...}} or {"feedback": {...}, "expect": {...}}
    source: str = ""  # file it came from
    k: int = 5  # items per reply
    ask: bool = True  # let the policy ask clarifying questions (the product's default)


@dataclass
class Violation:
    source: str
    dialogue: str
    turn: int  # 1-based index in the script
    check: str
    message: str

    def __str__(self) -> str:
        return f"{self.source} :: {self.dialogue} :: turn {self.turn} :: {self.check}: {self.message}"


@dataclass
class ScriptResult:
    violations: list[Violation] = field(default_factory=list)
    n_dialogues: int = 0
    n_turns: int = 0
    n_checks: int = 0
    transcripts: dict[str, list[str]] = field(default_factory=dict)  # dialogue -> rendered turns


# ---------------------------------------------------------------- loading

def _dialogue(d, source: str, where: str) -> ScriptedDialogue:
    if not isinstance(d, dict) or not isinstance(d.get("turns"), list) or not d["turns"]:
        raise ScriptError(f"{where}: a dialogue needs a non-empty 'turns' list")
    for j, t in enumerate(d["turns"], 1):
        if not isinstance(t, dict) or (("user" in t) == ("feedback" in t)):
            raise ScriptError(f"{where}: turn {j} needs exactly one of 'user' or 'feedback'")
    return ScriptedDialogue(str(d.get("name") or where), d["turns"], source, int(d.get("k", 5)), bool(d.get("ask", True)))


def load_scripts(path: str | Path) -> list[ScriptedDialogue]:
    """Dialogues from a YAML/JSONL file or every such file in a folder (sorted by name)."""
    import yaml

    path = Path(path)
    if not path.exists():
        raise ScriptError(f"{path}: not found")
    files = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml", ".jsonl")) if path.is_dir() else [path]
    out: list[ScriptedDialogue] = []
    for f in files:
        text = f.read_text(encoding="utf-8")
        if f.suffix == ".jsonl":
            for n, line in enumerate(text.splitlines(), 1):
                if line.strip():
                    try:
                        out.append(_dialogue(json.loads(line), str(f), f"{f}:{n}"))
                    except json.JSONDecodeError as e:
                        raise ScriptError(f"{f}:{n}: not valid JSON ({e.msg})") from None
            continue
        try:
            docs = [d for d in yaml.safe_load_all(text) if d is not None]
        except yaml.YAMLError as e:
            raise ScriptError(f"{f}: not valid YAML ({e})") from None
        for d in docs:
            for j, one in enumerate(d if isinstance(d, list) else [d]):
                out.append(_dialogue(one, str(f), f"{f}[{j}]"))
    if not out:
        raise ScriptError(f"{path}: no scripted dialogues")
    return out


# ---------------------------------------------------------------- checking

def resolve(catalog: Catalog, title: str) -> list[str]:
    """Catalog ids for a label ("Dune (1984)") or a bare title ("Dune": every version)."""
    low = str(title).strip().lower()
    by_label = [i.id for i in catalog if i.label.lower() == low]
    return by_label or [i.id for i in catalog if i.title.lower() == low]


def _as_list(v) -> list:
    return list(v) if isinstance(v, (list, tuple)) else [v]


def check_turn(expect: dict, reply, state, catalog: Catalog) -> list[tuple[str, str]]:
    """All (check, message) failures of one turn's expectations; empty = the turn passed."""
    fails: list[tuple[str, str]] = []
    items = [catalog[i] for i in (reply.items if reply else []) if i in catalog]
    labels = [i.label for i in items]

    def ids_for(check: str, titles) -> list[list[str]]:
        groups = []
        for t in _as_list(titles):
            ids = resolve(catalog, t)
            if not ids:
                fails.append((check, f"unknown title {t!r} in the script"))
            groups.append(ids)
        return groups

    for check, value in expect.items():
        if check not in CHECKS:
            fails.append((check, f"unknown check (known: {', '.join(sorted(CHECKS))})"))
        elif check == "never_recommend":
            bad = {i for g in ids_for(check, value) for i in g} & {i.id for i in items}
            if bad:
                fails.append((check, "recommended " + ", ".join(sorted(catalog[i].label for i in bad))))
        elif check == "must_recommend_any_of":
            wanted = {i for g in ids_for(check, value) for i in g}
            if not wanted & {i.id for i in items}:
                fails.append((check, f"none of {_as_list(value)} in {labels}"))
        elif check == "must_recommend_all_of":
            for title, g in zip(_as_list(value), ids_for(check, value)):
                if g and not set(g) & {i.id for i in items}:
                    fails.append((check, f"{title!r} missing from {labels}"))
        elif check == "all_recommendations_have_genre":
            want = {str(g).lower() for g in _as_list(value)}
            bad = [i.label for i in items if not want & {g.lower() for g in i.genres}]
            if bad:
                fails.append((check, f"not {'/'.join(_as_list(value))}: {bad}"))
        elif check == "each_genre_recommended":  # a list of genres: each is the genre of some recommendation
            for g in _as_list(value):
                if not any(str(g).lower() in {x.lower() for x in i.genres} for i in items):
                    fails.append((check, f"no {g} film in {labels}"))
        elif check == "person_first":  # a name, or a list: their films lead the list (at least one)
            want = {str(n).lower() for n in _as_list(value)}
            has = [bool(want & {p.name.lower() for p in i.people}) for i in items]
            if not any(has) or has != sorted(has, reverse=True):
                fails.append((check, f"{'/'.join(_as_list(value))} not first: {labels}"))
        elif check == "at_least_with_person":  # {"Tom Hanks": 4}: at least that many of the list have them
            for name, n in dict(value).items():
                has = [i.label for i in items if str(name).lower() in {p.name.lower() for p in i.people}]
                if len(has) < int(n):
                    fails.append((check, f"{len(has)} of {labels} with {name}, not {n}"))
        elif check == "no_recommendation_with_genre":
            avoid = {str(g).lower() for g in _as_list(value)}
            bad = [i.label for i in items if avoid & {g.lower() for g in i.genres}]
            if bad:
                fails.append((check, f"{'/'.join(_as_list(value))}: {bad}"))
        elif check == "no_recommendation_before_year":
            bad = [i.label for i in items if i.year is not None and i.year < int(value)]
            if bad:
                fails.append((check, f"before {value}: {bad}"))
        elif check == "no_recommendation_after_year":
            bad = [i.label for i in items if i.year is not None and i.year > int(value)]
            if bad:
                fails.append((check, f"after {value}: {bad}"))
        elif check == "at_most_per_series":  # "at_most_per_series: 2": no franchise fills the list
            from convrec.series import franchises

            rows = {item.id: n for n, item in enumerate(catalog)}
            keys = [franchises(catalog)[rows[i.id]] for i in items]
            bad = sorted({k for k in keys if keys.count(k) > int(value)})
            if bad:
                fails.append((check, f"more than {value} of {bad}"))
        elif check == "at_most_per_director":  # "at_most_per_director: 2": no director fills the list
            keys = [i.names("director")[0] for i in items if i.names("director")]
            bad = sorted({k for k in keys if keys.count(k) > int(value)})
            if bad:
                fails.append((check, f"more than {value} by {bad}"))
        elif check == "explanation_mentions":
            said = " ".join([reply.text if reply else "", *(reply.explanations.values() if reply else [])]).lower()
            missing = [w for w in _as_list(value) if str(w).lower() not in said]
            if missing:
                fails.append((check, f"{missing} not in the reply or its explanations"))
        elif check == "never_says":  # words the reply's own text may not hold (a note that does not apply)
            said = (reply.text if reply else "").lower()
            bad = [w for w in _as_list(value) if str(w).lower() in said]
            if bad:
                fails.append((check, f"{bad} in the reply"))
        elif check == "explanations_never_mention":  # words no film's explanation may hold (a film turned down)
            said = {i: text.lower() for i, text in (reply.explanations.items() if reply else ())}
            bad = sorted({catalog[i].label for i, text in said.items() for w in _as_list(value) if str(w).lower() in text})
            if bad:
                fails.append((check, f"{_as_list(value)} in the explanations of {bad}"))
        elif check == "recommends":
            if bool(items) != bool(value):
                fails.append((check, f"expected {'a' if value else 'no'} recommendation, got {labels}"))
        elif check == "asks":
            asked = reply.question if reply else None
            if (value is True and not asked) or (value is not True and asked != (value or None)):  # false: none
                fails.append((check, f"expected question {value!r}, got {asked!r}"))
        elif check == "never_recommend_excluded":
            bad = [i.label for i in items if i.id in state.preferences.excluded()]
            if value and bad:
                fails.append((check, f"recommended seen/disliked {bad}"))
        elif check == "state":
            fails += _check_state(value, state, catalog, ids_for)
    return fails


def _check_state(expect: dict, state, catalog: Catalog, ids_for) -> list[tuple[str, str]]:
    fails = []
    prefs = state.preferences
    for key, value in (expect or {}).items():
        negate = key.startswith("not_in_")
        attr = key[len("not_in_"):] if negate else key
        if attr in ("year_min", "year_max"):
            if getattr(prefs, attr) != value:
                fails.append((f"state.{key}", f"expected {value!r}, got {getattr(prefs, attr)!r}"))
            continue
        if attr not in STATE_LISTS:
            fails.append((f"state.{key}", "unknown state field"))
            continue
        have = getattr(prefs, attr)
        if attr in STATE_TITLES:
            for title, g in zip(_as_list(value), ids_for(f"state.{key}", value)):
                hit = bool(set(g) & set(have))
                if g and hit == negate:
                    fails.append((f"state.{key}", f"{title!r} {'is' if negate else 'not'} in {attr}"))
        else:
            low = [str(h).lower() for h in have]
            for v in _as_list(value):
                hit = any(str(v).lower() in h for h in low)
                if hit == negate:
                    fails.append((f"state.{key}", f"{v!r} {'is' if negate else 'not'} in {attr} {have}"))
    return fails


def _answer_questions(flow, state, reply, turn: dict, transcript: list[str]):
    """Answer clarifying questions until the system recommends, when the turn's checks need it."""
    expect = turn.get("expect") or {}
    wants_items = bool(set(expect) - STATE_ONLY) and "asks" not in expect
    answers = turn.get("if_asked") or {}
    for _ in range(MAX_AUTO_ANSWERS):
        if not (wants_items and reply.question and not reply.items):
            break
        question = reply.question
        text = str(answers.get(question, DEFAULT_ANSWER))
        state, reply = flow.turn(state, text)
        transcript += [f"USER (answering {question}): {text}", f"SYSTEM: {reply.text}"]
    return state, reply


def run_scripts(dialogues: list[ScriptedDialogue], catalog: Catalog, recommender) -> ScriptResult:
    """Play every scripted dialogue through ``Dialogue.turn`` and collect the violations."""
    from convrec.dialogue import Dialogue, Reply
    from convrec.state import DialogueState

    result = ScriptResult(n_dialogues=len(dialogues))
    for sd in dialogues:
        flow = Dialogue(catalog, recommender, k=sd.k, ask=sd.ask)
        state, transcript = DialogueState(), []
        for j, turn in enumerate(sd.turns, 1):
            result.n_turns += 1
            reply: Reply | None = None
            try:
                if "user" in turn:
                    state, reply = flow.turn(state, str(turn["user"]))
                    transcript += [f"USER: {turn['user']}", f"SYSTEM: {reply.text}"]
                    state, reply = _answer_questions(flow, state, reply, turn, transcript)
                else:
                    fb = turn["feedback"] or {}
                    ids = resolve(catalog, fb.get("item", ""))
                    if not ids:
                        result.violations.append(Violation(sd.source, sd.name, j, "feedback", f"unknown title {fb.get('item')!r}"))
                        continue
                    state = flow.feedback(state, ids[0], str(fb.get("kind")))
                    transcript.append(f"FEEDBACK: {fb.get('kind')} {catalog[ids[0]].label}")
            except Exception as e:  # a crash is a violation of every expectation, not an abort
                result.violations.append(Violation(sd.source, sd.name, j, "crash", f"{type(e).__name__}: {e}"))
                break
            expect = turn.get("expect") or {}
            result.n_checks += len(expect)
            for check, message in check_turn(expect, reply, state, catalog):
                result.violations.append(Violation(sd.source, sd.name, j, check, message))
        result.transcripts[sd.name] = transcript
    return result
