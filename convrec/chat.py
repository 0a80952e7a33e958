"""The terminal chat, and the runtime both chat front-ends share.

``load_runtime()`` wires the heavy objects once per process from the environment
(``CONVREC_CATALOG``, ``CONVREC_SYSTEM``, ``CONVREC_DATA_DIR``), falling back with a
visible notice when the asked-for catalog or system cannot be loaded. The session
operations (``feedback``, ``forget``, ``import_state``) are shared with ``app.py``.

Run:   python -m convrec.chat                      # interactive
       printf 'I loved Alien\\n/seen 1\\n' | python -m convrec.chat --system retrieval
Commands inside the chat: /like N, /dislike N, /seen N (N = a number in the last list),
/prefs, /forget N (N = a number in /prefs), /reset, /export FILE, /import FILE, /help, /quit.
"""
from __future__ import annotations

import argparse
import copy
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from convrec import config
from convrec.catalog import Catalog, load_catalog
from convrec.dialogue import Dialogue, Reply
from convrec.state import SYSTEM, USER, DialogueState, Turn
from convrec.ui_state import FEEDBACK_KINDS, feedback_note, numbered_list, panel_entries, remove_entry

DEFAULT_K = 5  # suggestions per turn: five cards fit one screen
SYSTEM_CHAIN = ("full", "retrieval", "popularity")  # tried in order when the asked-for system fails
MAX_IMPORT_BYTES = 2_000_000  # a conversation export is a few KB; refuse anything absurd
PROBE = DialogueState(turns=[Turn(USER, "a good film")])  # one request run at load time to test the system


@dataclass
class Runtime:
    """The heavy, shared, read-only part of a chat process (one per process)."""

    catalog: Catalog
    dialogue: Dialogue
    system: str  # the system actually answering
    notices: list[str] = field(default_factory=list)  # shown to the user (fallbacks, demo catalog)

    @property
    def catalog_label(self) -> str:
        return f"{self.catalog.name} catalog · {len(self.catalog):,} titles · {self.system} system"

    @property
    def is_demo(self) -> bool:
        return self.catalog.name == "demo"


def open_catalog(source: str, data_dir: str | None = None) -> Catalog:
    """``demo``, ``redial``, ``movielens``, ``file`` (path in ``CONVREC_CATALOG_PATH``) or a file path."""
    if source in ("demo", "redial", "movielens"):
        return load_catalog(source, data_dir=data_dir)
    path = os.environ.get("CONVREC_CATALOG_PATH") if source == "file" else source
    return load_catalog("file", path=path)


def _load_catalog_with_fallback(source: str, data_dir: str | None, notices: list[str]) -> Catalog:
    """The asked-for catalog, or the demo one with a notice saying why."""
    try:
        return open_catalog(source, data_dir)
    except Exception as e:  # a missing data dir or a corrupt file must not stop the app
        if source == "demo":
            raise
        notices.append(f"Could not load the {source} catalog ({e}); using the demo catalog instead.")
        return load_catalog("demo")


def _load_system(catalog: Catalog, asked: str | None, data_dir: str | None) -> tuple[str, object, dict[str, str]]:
    """Build the shared context once and load the first system of the chain that works.

    Returns (name, recommender, {system that failed: why}).
    """
    from convrec import systems

    ctx = systems.build_context(catalog, data_dir=config.data_dir(data_dir))
    if asked in SYSTEM_CHAIN:
        chain = list(SYSTEM_CHAIN[SYSTEM_CHAIN.index(asked):])  # never fall back to a "better" system
    elif asked:
        chain = [asked, "retrieval", "popularity"]
    else:
        chain = list(SYSTEM_CHAIN)
    failures: dict[str, str] = {}
    for name in chain:
        missing = _missing_model(name)
        if missing:  # checked before loading a multi-hundred-MB base model for nothing
            failures[name] = missing
            continue
        try:
            recommender = systems.load_system(name, ctx)
            recommender.recommend(PROBE, k=1)  # probe (and warm up): lazy models fail here, not mid-chat
            return name, recommender, failures
        except Exception as e:  # a missing model/adapter: fall back, and say so
            failures[name] = f"{type(e).__name__}: {e}"
    raise RuntimeError("no recommender system could be loaded: " + "; ".join(f"{k}: {v}" for k, v in failures.items()))


def _missing_model(name: str) -> str | None:
    """Why ``name`` cannot run here, when that is cheap to know (the ``full`` system's adapter)."""
    if name != "full":
        return None
    try:
        from convrec.llm_system import adapter_path
    except Exception as e:  # the generator stack itself is unavailable
        return f"the generator cannot be imported ({e})"
    path = adapter_path()
    return None if (path / "adapter_config.json").exists() else f"no fine-tuned adapter at {path}"


def load_runtime(
    catalog_source: str | None = None, system: str | None = None, data_dir: str | None = None,
    k: int = DEFAULT_K,
) -> Runtime:
    """Catalog + recommender + dialogue manager, from arguments or the environment."""
    if os.environ.get("SPACE_ID"):  # on a Hugging Face Space the hub is reachable: only telemetry off
        os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    else:
        config.offline_env()
    source = catalog_source or os.environ.get("CONVREC_CATALOG") or "demo"
    asked = system or os.environ.get("CONVREC_SYSTEM") or None
    notices: list[str] = []
    catalog = _load_catalog_with_fallback(source, data_dir, notices)
    name, recommender, failures = _load_system(catalog, asked, data_dir)
    wanted = asked or SYSTEM_CHAIN[0]
    if name != wanted:
        notices.append(
            f"The {wanted} system is not available here ({failures.get(wanted, 'failed to load')}); "
            f"answering with the {name} system: suggestions come from catalog retrieval and the "
            "explanations from its matching reasons."
        )
    if catalog.name == "demo":
        notices.append(
            f"Running on the embedded demo catalog ({len(catalog)} well-known films). "
            "Set CONVREC_CATALOG=redial or movielens (with CONVREC_DATA_DIR) for a full catalog."
        )
    return Runtime(catalog, Dialogue(catalog, recommender, k=k), name, notices)


# ---------------------------------------------------------------- session operations

def refresh(rt: Runtime, state: DialogueState, note: str | None = None,
            known: dict[str, str] | None = None) -> tuple[DialogueState, Reply]:
    """New suggestions for the same conversation (after feedback or a removed preference).

    Adds one SYSTEM turn carrying the new items, so "the second one" refers to them. A button
    must answer at once: a streaming recommender's first list is taken (reason-based "why"),
    and explanations already written for items still shown (``known``) are kept.
    """
    state = copy.deepcopy(state)
    rec = next(rt.dialogue.recommendations(state))
    excluded = state.preferences.excluded()
    items = [i for i in rec.item_ids if i in rt.catalog and i not in excluded][: rt.dialogue.k]
    text = note if note is not None else (rec.text or "Here are updated suggestions.")
    state.turns.append(Turn(SYSTEM, text, items=items))
    state.shown += [i for i in items if i not in state.shown]
    why = {**rec.explanations, **(known or {})}
    return state, Reply(text, items, {i: why[i] for i in items if i in why})


def feedback(rt: Runtime, state: DialogueState, item_id: str, kind: str,
             known: dict[str, str] | None = None) -> tuple[DialogueState, Reply]:
    """A card button: record it in the preferences, then refresh the suggestions at once."""
    if kind not in FEEDBACK_KINDS:
        raise ValueError(f"unknown feedback {kind!r}: use one of {', '.join(FEEDBACK_KINDS)}")
    if item_id not in rt.catalog:
        raise KeyError(f"no title with id {item_id!r} in the {rt.catalog.name} catalog")
    state = rt.dialogue.feedback(state, item_id, kind)
    probe, reply = refresh(rt, state, note="", known=known)
    note = feedback_note(kind, rt.catalog.get(item_id), len(reply.items))
    probe.turns[-1].text = note
    return probe, Reply(note, reply.items, reply.explanations)


def forget(rt: Runtime, state: DialogueState, key: str,
           known: dict[str, str] | None = None) -> tuple[DialogueState, Reply]:
    """Remove one belief from the preference panel, then refresh the suggestions."""
    state = copy.deepcopy(state)
    labels = {e.key: e.label for e in panel_entries(state.preferences, rt.catalog)}
    state.preferences = remove_entry(state.preferences, key)
    return refresh(rt, state, note=f"Forgot: {labels.get(key, key)}. Here are updated suggestions.", known=known)


def import_state(text: str, catalog: Catalog) -> tuple[DialogueState, list[str]]:
    """Parse an exported conversation; drop ids this catalog lacks, and say so."""
    if len(text) > MAX_IMPORT_BYTES:
        raise ValueError("this file is too large to be a convrec conversation export")
    try:
        state = DialogueState.from_json(text)
    except (ValueError, TypeError) as e:
        raise ValueError(f"not a convrec conversation export ({e})") from None
    dropped: set[str] = set()

    def keep(ids: list[str]) -> list[str]:
        dropped.update(i for i in ids if i not in catalog)
        return [i for i in ids if i in catalog]

    p = state.preferences
    p.liked, p.disliked, p.seen, p.not_seen = keep(p.liked), keep(p.disliked), keep(p.seen), keep(p.not_seen)
    state.shown = keep(state.shown)
    for turn in state.turns:
        turn.items = keep(turn.items)
    state.feedback = [f for f in state.feedback if f.item_id in catalog]
    notes = [f"{len(dropped)} title(s) from the export are not in the {catalog.name} catalog and were dropped."] if dropped else []
    return state, notes


# ---------------------------------------------------------------- terminal chat

HELP = """Commands: /like N  /dislike N  /seen N   (N = number in the last list)
          /prefs  /forget N (N = number in /prefs)  /reset  /export FILE  /import FILE  /help  /quit"""


def _print_reply(rt: Runtime, reply: Reply, out: TextIO) -> None:
    lines = reply.text.splitlines()
    bullets = [n for n, ln in enumerate(lines) if ln.lstrip().startswith("- ")]
    head, tail = reply.text, ""
    if reply.items and bullets:  # the numbered list restates the "- Title: why" bullets: keep the prose around them,
        head = "\n".join(lines[:bullets[0]]).strip() or "Here you go:"  # the notes after the list (a note on an
        tail = "\n".join(ln for ln in lines[bullets[-1] + 1:] if not ln.lstrip().startswith("- ")).strip()
    print(f"convrec> {head}", file=out)  # ambiguous title had stood between "You might enjoy:" and its films)
    if reply.items:
        print(numbered_list(reply.items, rt.catalog, reply.explanations), file=out)
    if tail:
        print(tail, file=out)
    out.flush()


def _pick(state: DialogueState, arg: str) -> str:
    shown = state.last_shown()
    if not arg.strip().isdigit() or not 1 <= int(arg) <= len(shown):
        raise ValueError(f"give a number between 1 and {len(shown)} from the last list" if shown else "nothing shown yet")
    return shown[int(arg) - 1]


def handle_line(rt: Runtime, state: DialogueState, line: str, out: TextIO) -> tuple[DialogueState, bool]:
    """One input line: a command or a message. Returns the new state and whether to go on."""
    line = line.strip()
    if not line:
        return state, True
    if not line.startswith("/"):
        new, reply = rt.dialogue.turn(state, line)
        _print_reply(rt, reply, out)
        return new, True
    cmd, _, arg = line[1:].partition(" ")
    cmd, arg = cmd.lower(), arg.strip()
    kinds = {"like": "like", "dislike": "dislike", "notforme": "dislike", "seen": "seen"}
    try:
        if cmd in ("quit", "exit", "q"):
            return state, False
        if cmd == "help":
            print(HELP, file=out)
        elif cmd in kinds:
            state, reply = feedback(rt, state, _pick(state, arg), kinds[cmd])
            _print_reply(rt, reply, out)
        elif cmd == "prefs":
            entries = panel_entries(state.preferences, rt.catalog)
            print("\n".join(f"  {n}. {e.section}: {e.label}" for n, e in enumerate(entries, 1)) or "  (nothing yet)", file=out)
        elif cmd == "forget":
            entries = panel_entries(state.preferences, rt.catalog)
            if not arg.isdigit() or not 1 <= int(arg) <= len(entries):
                raise ValueError("give a number from /prefs")
            state, reply = forget(rt, state, entries[int(arg) - 1].key)
            _print_reply(rt, reply, out)
        elif cmd in ("reset", "new"):
            state = DialogueState()
            print("convrec> New conversation. What are you in the mood for?", file=out)
        elif cmd == "export":
            if not arg:
                raise ValueError("usage: /export FILE")
            Path(arg).expanduser().write_text(state.to_json(), encoding="utf-8")
            print(f"  saved the conversation to {arg}", file=out)
        elif cmd == "import":
            state, notes = import_state(Path(arg).expanduser().read_text(encoding="utf-8"), rt.catalog)
            print(f"  loaded {len(state.turns)} turns from {arg}" + "".join(f"\n  {n}" for n in notes), file=out)
        else:
            print(f"  unknown command /{cmd}\n{HELP}", file=out)
    except (ValueError, KeyError, OSError) as e:
        print(f"  error: {e.args[0] if e.args else e}", file=out)
    out.flush()
    return state, True


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m convrec.chat", description="Chat with convrec in a terminal (reads stdin).")
    p.add_argument("--catalog", default=None, help="demo, redial, movielens or a JSONL/CSV file (default: CONVREC_CATALOG or demo)")
    p.add_argument("--system", default=None, help="full, retrieval, popularity, base (default: CONVREC_SYSTEM or full if available)")
    p.add_argument("--data-dir", default=None, help="data directory (default: CONVREC_DATA_DIR)")
    p.add_argument("-k", type=int, default=DEFAULT_K, help="suggestions per turn")
    return p


def main(argv: list[str] | None = None, stdin: TextIO | None = None, out: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    stdin, out = stdin or sys.stdin, out or sys.stdout
    print("convrec: loading the catalog and the recommender...", file=sys.stderr)
    rt = load_runtime(args.catalog, args.system, args.data_dir, k=args.k)
    print(f"convrec · {rt.catalog_label}", file=out)
    for notice in rt.notices:
        print(f"note: {notice}", file=out)
    print("Tell me a film you liked, a genre or a mood. /help for commands, /quit to leave.", file=out)
    interactive = stdin.isatty()
    state = DialogueState()
    while True:
        if interactive:
            print("you> ", end="", file=out, flush=True)
        line = stdin.readline()
        if not line:
            break
        if not interactive and line.strip():
            print(f"you> {line.strip()}", file=out)  # piped input: keep the transcript readable
        state, go_on = handle_line(rt, state, line, out)
        if not go_on:
            break
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
