"""The terminal chat: a dialogue piped into ``python -m convrec.chat`` (real retrieval, demo catalog)."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from types import SimpleNamespace

from convrec import chat, config
from convrec.dialogue import Reply
from convrec.state import DialogueState

CATALOG = os.environ.get("CONVREC_TEST_CATALOG", "demo")


def shared_home(tmp_path_factory):
    home = tmp_path_factory.getbasetemp() / "convrec_ui_home"  # shared with test_app: the index is reused
    home.mkdir(exist_ok=True)
    return home


def test_piped_dialogue(tmp_path, tmp_path_factory):
    export = tmp_path / "conversation.json"
    script = "\n".join([
        "I loved Alien",
        "/seen 1",
        "/seen 42",  # out of range: an error line, the chat goes on
        "/prefs",
        "/frobnicate",
        f"/export {export}",
        "/quit",
        "this line is never read",
    ]) + "\n"
    env = {**os.environ, "CONVREC_HOME": str(shared_home(tmp_path_factory)), "PYTHONUNBUFFERED": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "convrec.chat", "--system", "retrieval", "--catalog", CATALOG],
        input=script, capture_output=True, text=True, timeout=600, cwd=str(config.REPO_ROOT), env=env,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    out = run.stdout
    assert "retrieval system" in out.splitlines()[0]
    catalog = chat.open_catalog(CATALOG)
    state = DialogueState.from_json(export.read_text())

    # the first reply lists numbered suggestions; "/seen 1" marks the first and refreshes
    first_list = state.turns[1].items
    assert first_list and f"  1. {catalog[first_list[0]].label}" in out
    seen = first_list[0]
    assert f"Noted: you've seen {catalog[seen].label}." in out
    assert state.preferences.seen[-1] == seen and seen not in state.turns[2].items
    assert [t.speaker for t in state.turns] == ["USER", "SYSTEM", "SYSTEM"]
    assert "error: give a number between 1 and" in out
    assert "unknown command /frobnicate" in out
    assert f"Seen: {catalog[seen].label}" in out  # /prefs
    assert "this line is never read" not in out


def test_a_note_after_the_list_is_printed_after_the_numbered_list():
    catalog = chat.open_catalog("demo")
    ids = catalog.ids()[:2]
    text = "You might enjoy:\n" + "\n".join(f"- {catalog[i].label}: why" for i in ids) + \
        '\n\nBy "dune" I took Dune (2021); tell me if you meant Dune (1984).'
    out = io.StringIO()
    chat._print_reply(SimpleNamespace(catalog=catalog), Reply(text, ids, {}), out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "convrec> You might enjoy:"  # the note had stood here, before the films
    assert lines[1].startswith(f"  1. {catalog[ids[0]].label}")
    assert lines[-1] == 'By "dune" I took Dune (2021); tell me if you meant Dune (1984).'
    assert not any(ln.startswith("- ") for ln in lines)


def test_handle_line_forget_and_reset(monkeypatch, tmp_path_factory):
    """In-process: /forget removes a belief from the preferences; /reset starts over."""
    monkeypatch.setenv("CONVREC_HOME", str(shared_home(tmp_path_factory)))
    rt = chat.load_runtime(CATALOG, "retrieval")
    out = io.StringIO()
    state, _ = chat.handle_line(rt, DialogueState(), "I loved Alien, no comedies", out)
    assert state.preferences.disliked_genres == ["Comedy"]
    state, _ = chat.handle_line(rt, state, "/prefs", out)
    listing = out.getvalue().splitlines()
    number = next(line.split(".")[0].strip() for line in listing if "Genres to avoid: Comedy" in line)
    state, _ = chat.handle_line(rt, state, f"/forget {number}", out)
    assert state.preferences.disliked_genres == [] and "Forgot: Comedy" in out.getvalue()
    state, go_on = chat.handle_line(rt, state, "/reset", out)
    assert state == DialogueState() and go_on
    state, go_on = chat.handle_line(rt, state, "/import /no/such/file.json", out)
    assert go_on and "error:" in out.getvalue().splitlines()[-1]
