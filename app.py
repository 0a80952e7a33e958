"""convrec in the browser: the Gradio chat (also the Hugging Face Space entry point).

Run:   python app.py                   # http://127.0.0.1:7860 (GRADIO_SERVER_NAME / _PORT move it)
       CONVREC_SYSTEM=retrieval CONVREC_CATALOG=redial CONVREC_DATA_DIR=../shared/data python app.py

Importing this module builds ``demo`` and loads nothing heavy: the catalog, index and
model load once per process, at launch (``main``) or at the first request. Each browser
session keeps its own ``Session`` in a ``gr.State``. The handlers (``respond``,
``card_action``, ``forget_entry``, ...) are plain functions, testable without a server.
"""
from __future__ import annotations

import copy
import html
import os
import threading
import uuid
from dataclasses import dataclass, field
from typing import Iterator

import gradio as gr

from convrec import chat, config
from convrec.state import SYSTEM, USER, DialogueState, Turn
from convrec.ui_state import cards_html, chat_messages, panel_html

OPENERS = [  # example first messages, shown as one-click chips
    "I loved Alien and The Thing. Something tense, nothing before 1980.",
    "A feel-good comedy for a Friday night with friends",
    "Mind-bending sci-fi like Inception or The Matrix",
    "Animated films for the whole family",
]
CHAT_CONCURRENCY = int(os.environ.get("CONVREC_CONCURRENCY", "4"))  # chat turns run at once; the rest queue
QUEUE_MAX = int(os.environ.get("CONVREC_QUEUE_MAX", "64"))  # waiting requests before "busy, try again"
THINKING = "…"  # placeholder shown while the first words of a reply are computed

_RUNTIME: chat.Runtime | None = None
_RUNTIME_LOCK = threading.Lock()  # the first requests of a cold process must not load twice


def get_runtime() -> chat.Runtime:
    """The process-wide runtime (catalog, index, model), loaded on first use."""
    global _RUNTIME
    if _RUNTIME is None:
        with _RUNTIME_LOCK:
            if _RUNTIME is None:
                _RUNTIME = chat.load_runtime()
    return _RUNTIME


@dataclass
class Session:
    """One browser session: the dialogue state and the "why" of the cards on screen."""

    dialogue: DialogueState = field(default_factory=DialogueState)
    why: dict[str, str] = field(default_factory=dict)  # item id -> explanation for the current cards


def _session(value: Session | None) -> Session:
    return copy.deepcopy(value) if isinstance(value, Session) else Session()


def _view(rt: chat.Runtime, s: Session) -> tuple[list[dict], str, str]:
    """Chat transcript, cards for the latest suggestions, preference panel."""
    prefs = s.dialogue.preferences
    return (
        chat_messages(s.dialogue),
        cards_html(s.dialogue.last_shown(), rt.catalog, s.why, prefs),
        panel_html(prefs, rt.catalog),
    )


def header_html(rt: chat.Runtime) -> str:
    notices = "".join(f'<div class="cr-notice">{html.escape(n)}</div>' for n in rt.notices)
    demo_badge = '<span class="cr-tag cr-tag-demo">demo catalog</span>' if rt.is_demo else ""
    return (
        '<div class="cr-header"><div class="cr-brand"><span class="cr-logo">▶</span>'
        '<div><div class="cr-name">convrec</div><div class="cr-tagline">Tell me what you like; '
        'I suggest films from the catalog and say why.</div></div></div>'
        f'<div class="cr-meta"><span class="cr-tag" id="cr-catalog-label">{html.escape(rt.catalog_label)}</span>{demo_badge}</div></div>'
        f"{notices}"
    )


# ---------------------------------------------------------------- handlers (plain functions)

def on_load(session: Session | None):
    """Page load: the header, and the view of this session (empty for a new tab)."""
    rt = get_runtime()
    s = _session(session)
    return (header_html(rt), *_view(rt, s), s)


def respond(message: str, session: Session | None) -> Iterator[tuple]:
    """One chat turn, streamed: yields (messages, textbox, cards, panel, session)."""
    rt = get_runtime()
    s = _session(session)
    message = (message or "").strip()
    messages, cards, panel = _view(rt, s)
    if not message:
        yield messages, "", cards, panel, s
        return
    pending = messages + [{"role": "user", "content": message}, {"role": "assistant", "content": THINKING}]
    yield list(pending), "", cards, panel, s
    try:
        for new_state, reply in rt.dialogue.stream_turn(s.dialogue, message):
            pending[-1] = {"role": "assistant", "content": reply.text or THINKING}
            if reply.items:  # cards appear with the list; their "why" fills in as it is written
                cards = cards_html(reply.items, rt.catalog, reply.explanations, new_state.preferences)
            yield list(pending), "", cards, panel, s
    except Exception as e:  # a failing model must not kill the session: say so in the chat
        s.dialogue.turns += [Turn(USER, message), Turn(SYSTEM, f"Sorry, something went wrong ({type(e).__name__}: {e}).")]
        yield (*_with_textbox(_view(rt, s)), s)
        return
    # an answer or a "thanks" shows no new list: the cards on screen keep their "why"
    s = Session(new_state, dict(reply.explanations) if reply.items else dict(s.why))
    yield (*_with_textbox(_view(rt, s)), s)


def _with_textbox(view: tuple[list[dict], str, str]) -> tuple:
    messages, cards, panel = view
    return messages, "", cards, panel


def apply_feedback(session: Session | None, item_id: str, kind: str) -> tuple:
    """A card button (Like / Not for me / Seen it): update, then refresh the suggestions."""
    rt = get_runtime()
    s = _session(session)
    try:
        state, reply = chat.feedback(rt, s.dialogue, str(item_id), str(kind), known=s.why)
    except (KeyError, ValueError) as e:
        raise gr.Error(str(e.args[0] if e.args else e)) from None
    s = Session(state, dict(reply.explanations))
    return (*_view(rt, s), s)


def card_action(session: Session | None, evt: gr.EventData) -> tuple:
    """Browser path: the cards' HTML triggers ``click`` with ``{item, kind}``."""
    data = getattr(evt, "_data", None) or {}
    return apply_feedback(session, data.get("item", ""), data.get("kind", ""))


def forget_entry(session: Session | None, key: str) -> tuple:
    """Remove one belief from the preference panel, then refresh the suggestions."""
    rt = get_runtime()
    s = _session(session)
    try:
        state, reply = chat.forget(rt, s.dialogue, str(key), known=s.why)
    except ValueError as e:
        raise gr.Error(str(e)) from None
    s = Session(state, dict(reply.explanations))
    return (*_view(rt, s), s)


def panel_action(session: Session | None, evt: gr.EventData) -> tuple:
    data = getattr(evt, "_data", None) or {}
    return forget_entry(session, data.get("key", ""))


def new_conversation() -> tuple:
    rt = get_runtime()
    s = Session()
    return (*_view(rt, s), s, gr.update(value=None, visible=False))


def export_conversation(session: Session | None):
    """Write the conversation as JSON under CONVREC_HOME and offer it for download."""
    s = _session(session)
    path = config.sub("exports") / f"convrec-conversation-{uuid.uuid4().hex[:8]}.json"
    path.write_text(s.dialogue.to_json(), encoding="utf-8")
    return gr.update(value=str(path), visible=True)


def import_conversation(file_path: str | None, session: Session | None) -> tuple:
    """Load an exported conversation; a bad file leaves the session as it was."""
    rt = get_runtime()
    if not file_path:
        s = _session(session)
        return (*_view(rt, s), s)
    try:
        with open(file_path, encoding="utf-8") as f:
            state, notes = chat.import_state(f.read(), rt.catalog)
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise gr.Error(f"Could not import this file: {e}") from None
    for note in notes:
        gr.Warning(note)
    s = Session(state, {})
    return (*_view(rt, s), s)


def state_json(session: Session | None) -> str:
    """The session's dialogue state as JSON (API only: used by tests and scripts)."""
    return _session(session).dialogue.to_json()


# ---------------------------------------------------------------- layout

CARDS_JS = """
element.addEventListener('click', (e) => {
  const b = e.target.closest('button[data-kind]');
  if (!b) return;
  element.querySelectorAll('button[data-kind]').forEach(x => x.disabled = true);
  b.classList.add('cr-busy');
  trigger('click', {item: b.dataset.item, kind: b.dataset.kind});
  setTimeout(() => element.querySelectorAll('button[data-kind]').forEach(x => x.disabled = false), 15000);
});
"""
PANEL_JS = """
element.addEventListener('click', (e) => {
  const b = e.target.closest('button[data-key]');
  if (!b) return;
  b.disabled = true;
  trigger('click', {key: b.dataset.key});
});
"""

with open(config.REPO_ROOT / "convrec" / "app.css", encoding="utf-8") as _f:
    CSS = _f.read()

SYSTEM_FONTS = ["Inter", "ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "sans-serif"]
THEME = gr.themes.Soft(  # local fonts only: the page must not wait on a font CDN (offline machines)
    primary_hue="indigo", secondary_hue="amber", neutral_hue="slate",
    font=SYSTEM_FONTS, font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "monospace"],
)

with gr.Blocks(title="convrec: conversational movie recommendations") as demo:
    session = gr.State(None)
    header = gr.HTML('<div class="cr-header"><div class="cr-name">convrec</div></div>', elem_id="cr-header")
    with gr.Row(equal_height=False):
        with gr.Column(scale=5, min_width=360):
            chatbot = gr.Chatbot(
                elem_id="cr-chat", height=420, show_label=False, layout="bubble", buttons=["copy"],
                placeholder="**What are you in the mood for?**<br>Name a film you loved, a genre, a director or a mood.",
                feedback_options=None, group_consecutive_messages=False,
            )
            with gr.Row(elem_id="cr-input-row"):
                msg = gr.Textbox(
                    placeholder="e.g. I loved Alien, something tense but nothing before 1980",
                    show_label=False, scale=8, container=False, elem_id="cr-msg", max_lines=4, autofocus=True,
                )
                send = gr.Button("Send", variant="primary", scale=1, min_width=90, elem_id="cr-send")
            with gr.Row(elem_id="cr-openers"):
                opener_buttons = [gr.Button(o, size="sm", elem_classes=["cr-opener"]) for o in OPENERS]
            gr.HTML('<div class="cr-section-title">Suggestions</div>')
            cards = gr.HTML(cards_html([], None), js_on_load=CARDS_JS, elem_id="cr-cards")  # type: ignore[arg-type]
        with gr.Column(scale=3, min_width=280, elem_id="cr-side"):
            gr.HTML('<div class="cr-section-title">What I know about your taste</div>')
            panel = gr.HTML(panel_html(DialogueState().preferences), js_on_load=PANEL_JS, elem_id="cr-panel")
            with gr.Row():
                new_btn = gr.Button("New conversation", size="sm", elem_id="cr-new")
                export_btn = gr.Button("Export JSON", size="sm", elem_id="cr-export")
                import_btn = gr.UploadButton("Import JSON", size="sm", file_types=[".json"], elem_id="cr-import")
            export_file = gr.File(label="Conversation export", visible=False, interactive=False)
            gr.HTML(
                '<div class="cr-help">Use the buttons on a card to tell me you <b>like</b> it, it is '
                "<b>not for you</b>, or you have <b>seen it</b>; the list updates at once. Click × on "
                "anything above that I got wrong.</div>"
            )
    # API-only inputs (hidden): feedback and removal by id, for scripts and gradio_client.
    with gr.Row(visible=False):
        api_item = gr.Textbox(label="item id")
        api_kind = gr.Textbox(label="kind: like, dislike or seen")
        api_key = gr.Textbox(label="preference entry key")
        api_state = gr.Textbox(label="state JSON")
        api_feedback = gr.Button("feedback")
        api_forget = gr.Button("forget")
        api_get_state = gr.Button("state")

    view = [chatbot, cards, panel, session]
    chat_out = [chatbot, msg, cards, panel, session]
    demo.load(on_load, [session], [header, *view], api_visibility="private")
    msg.submit(respond, [msg, session], chat_out, api_name="chat", concurrency_id="chat")
    send.click(respond, [msg, session], chat_out, api_visibility="private", concurrency_id="chat")
    for b in opener_buttons:
        b.click(respond, [b, session], chat_out, api_visibility="private", concurrency_id="chat")
    cards.click(card_action, [session], view, api_visibility="private", concurrency_id="chat")
    panel.click(panel_action, [session], view, api_visibility="private", concurrency_id="chat")
    api_feedback.click(apply_feedback, [session, api_item, api_kind], view, api_name="feedback", concurrency_id="chat")
    api_forget.click(forget_entry, [session, api_key], view, api_name="forget", concurrency_id="chat")
    api_get_state.click(state_json, [session], api_state, api_name="state", queue=False)
    new_btn.click(new_conversation, None, [*view, export_file], api_name="new_conversation")
    export_btn.click(export_conversation, [session], export_file, api_name="export")
    import_btn.upload(import_conversation, [import_btn, session], view, api_name="import")

demo.queue(default_concurrency_limit=CHAT_CONCURRENCY, max_size=QUEUE_MAX)


def main() -> None:
    """Load the heavy objects once, then serve (GRADIO_SERVER_NAME / GRADIO_SERVER_PORT honoured)."""
    os.environ.setdefault("GRADIO_TEMP_DIR", str(config.sub("gradio")))  # uploads/cache under CONVREC_HOME
    rt = get_runtime()
    print(f"convrec: {rt.catalog_label}", flush=True)
    for notice in rt.notices:
        print(f"convrec: note: {notice}", flush=True)
    demo.launch(
        theme=THEME,
        css=CSS, allowed_paths=[str(config.sub("exports"))], footer_links=["api"],
    )


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now (tests and the load benchmark use it)."""
    import socket

    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def serve_subprocess(port: int, env: dict[str, str] | None = None, log_path: str | None = None,
                     timeout_s: float = 300.0):
    """Start ``python app.py`` on 127.0.0.1:``port`` in a child process; return it once it answers.

    ``env`` is added to the current environment (e.g. ``CONVREC_SYSTEM``, ``CONVREC_HOME``).
    The caller stops it with ``proc.terminate()``. Raises ``RuntimeError`` with the log's tail
    if the app exits or does not answer within ``timeout_s``.
    """
    import subprocess
    import sys
    import time
    import urllib.request

    full_env = {**os.environ, **(env or {}), "GRADIO_SERVER_NAME": "127.0.0.1", "GRADIO_SERVER_PORT": str(port),
                "GRADIO_ANALYTICS_ENABLED": "False", "PYTHONUNBUFFERED": "1"}
    if log_path is None:  # logs live under the child's CONVREC_HOME, like every file convrec writes
        from pathlib import Path

        logs = Path(full_env.get("CONVREC_HOME") or config.home()) / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        log_path = str(logs / f"app-{port}.log")
    log = open(log_path, "w")
    proc = subprocess.Popen([sys.executable, str(config.REPO_ROOT / "app.py")], env=full_env,
                            stdout=log, stderr=subprocess.STDOUT, cwd=str(config.REPO_ROOT))
    proc.log_path = log_path  # type: ignore[attr-defined]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/config", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    tail = open(log_path, errors="replace").read()[-3000:]
    raise RuntimeError(f"the app did not start on port {port} (exit code {proc.poll()}); log tail:\n{tail}")


if __name__ == "__main__":
    main()
