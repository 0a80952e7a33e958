"""The Gradio app: handlers as plain functions, then a real server driven by gradio_client.

Everything runs the real ``retrieval`` system on the embedded demo catalog (real MiniLM
embeddings, real Chroma index under a temp CONVREC_HOME). The server tests start
``python app.py`` on a free loopback port in a subprocess (about 20-40 s on 2 cores).
"""
from __future__ import annotations

import json
import os
import threading

import gradio as gr
import pytest

import app
from convrec import chat, policy
from convrec.state import DialogueState, Preferences
from convrec.ui_state import panel_entries

CATALOG = os.environ.get("CONVREC_TEST_CATALOG", "demo")  # override to try the tests on your own catalog


def shared_home(tmp_path_factory):
    """One CONVREC_HOME for every runtime and server of the UI tests: the index is embedded once."""
    home = tmp_path_factory.getbasetemp() / "convrec_ui_home"
    home.mkdir(exist_ok=True)
    return home


def id_of(catalog, title: str) -> str:
    ids = [i.id for i in catalog if i.title.lower() == title.lower()]
    assert ids, f"{title!r} is not in the {catalog.name} catalog"
    return ids[0]


@pytest.fixture(scope="module")
def runtime(tmp_path_factory):
    """The real runtime (catalog, index, retrieval system), installed as the app's singleton."""
    home = shared_home(tmp_path_factory)
    old = os.environ.get("CONVREC_HOME")
    os.environ["CONVREC_HOME"] = str(home)
    try:
        rt = chat.load_runtime(CATALOG, "retrieval")
    finally:
        os.environ.pop("CONVREC_HOME") if old is None else os.environ.__setitem__("CONVREC_HOME", old)
    app._RUNTIME = rt
    yield rt
    app._RUNTIME = None


def last(gen):
    *_, final = gen
    return final


def check_view(rt, out, session):
    """Cards show exactly the latest suggestions; nothing excluded is ever suggested."""
    messages, cards, panel = out[0], out[-3], out[-2]
    shown = session.dialogue.last_shown()
    assert shown, "a recommendation turn must show items"
    assert not set(shown) & session.dialogue.preferences.excluded()
    assert all(i in rt.catalog for i in shown)
    for item_id in shown:
        assert f'data-item="{item_id}"' in cards
    assert cards.count('class="cr-card"') == len(shown)
    assert len(messages) == len(session.dialogue.turns)


def test_scripted_conversation_tracks_exact_state(runtime):
    rt = runtime
    alien, thing = id_of(rt.catalog, "Alien"), id_of(rt.catalog, "The Thing")

    # turn 1: a liked title
    outs = list(app.respond("I loved Alien and The Thing", None))
    assert outs[0][0][-1] == {"role": "assistant", "content": app.THINKING}  # streamed: a placeholder first
    s = outs[-1][-1]
    expected = Preferences(liked=[alien, thing], seen=[alien, thing])
    assert s.dialogue.preferences == expected
    check_view(rt, outs[-1], s)
    assert outs[-1][1] == ""  # the textbox is cleared

    # turn 2: a disliked genre and a year constraint
    out = last(app.respond("No comedies please, and nothing before 1980", s))
    s = out[-1]
    expected.disliked_genres, expected.year_min = ["Comedy"], 1980
    assert s.dialogue.preferences == expected
    check_view(rt, out, s)
    for item_id in s.dialogue.last_shown():
        item = rt.catalog[item_id]
        assert "Comedy" not in item.genres and item.year >= 1980

    # card feedback: "Seen it" on the first card; the refreshed list drops it at once
    first = s.dialogue.last_shown()[0]
    out = app.apply_feedback(s, first, "seen")
    s = out[-1]
    expected.seen = [alien, thing, first]
    assert s.dialogue.preferences == expected
    assert first not in s.dialogue.last_shown()
    check_view(rt, out, s)
    assert "seen" in s.dialogue.turns[-1].text and rt.catalog[first].title in s.dialogue.turns[-1].text

    # "Not for me" on the new first card
    second = s.dialogue.last_shown()[0]
    s = app.apply_feedback(s, second, "dislike")[-1]
    expected.disliked = [second]
    assert s.dialogue.preferences == expected
    assert second not in s.dialogue.last_shown()

    # the panel: remove the year constraint; the next list may include older films again
    keys = [e.key for e in panel_entries(s.dialogue.preferences, rt.catalog)]
    assert {"year_min", "disliked_genres:Comedy", f"seen:{first}", f"disliked:{second}"} <= set(keys)
    out = app.forget_entry(s, "year_min")
    s = out[-1]
    expected.year_min = None
    assert s.dialogue.preferences == expected
    assert 'data-key="year_min"' not in out[-2]
    check_view(rt, out, s)

    # turn 3: "the second one" refers to the cards on screen
    target = s.dialogue.last_shown()[1]
    s = last(app.respond("The second one sounds great", s))[-1]
    expected.liked, expected.not_seen = [alien, thing, target], [target]  # a suggestion you like: not seen yet
    assert s.dialogue.preferences == expected
    assert target not in s.dialogue.last_shown()


def test_a_question_about_a_card_is_answered_and_the_cards_stay(runtime):
    rt = runtime
    s = last(app.respond("I loved Alien and The Thing", None))[-1]
    cards_before, why = last(app.respond("I loved Alien and The Thing", None))[-3], dict(s.why)
    first = rt.catalog[s.dialogue.last_shown()[0]]
    out = last(app.respond("who directed the first one?", s))
    after = out[-1]
    assert out[0][-1]["content"].startswith(f"{first.label} was directed by {first.names('director')[0]}")
    assert after.dialogue.last_shown() == s.dialogue.last_shown() and after.why == why and why
    assert out[-3] == cards_before  # same cards, explanations included
    out = last(app.respond("thanks!", after))
    assert out[0][-1]["content"] == policy.CLOSING_REPLY and out[-3] == cards_before


def test_bad_input_is_graceful(runtime):
    out = last(app.respond("   ", None))
    assert out[-1].dialogue.turns == []  # an empty message changes nothing
    out = last(app.respond("x" * 50_000, None))  # huge: cut, answered
    assert len(out[-1].dialogue.turns[0].text) <= 4000 and out[-1].dialogue.turns[-1].speaker == "SYSTEM"
    s = out[-1]
    with pytest.raises(gr.Error, match="no title"):
        app.apply_feedback(s, "no-such-id", "seen")
    with pytest.raises(gr.Error, match="unknown feedback"):
        app.apply_feedback(s, runtime.catalog.ids()[0], "love")
    with pytest.raises(gr.Error, match="unknown preference entry"):
        app.forget_entry(s, "favourite_colour:blue")


def test_export_import_round_trip(runtime, tmp_path):
    s = last(app.respond("I loved Alien", None))[-1]
    s = app.apply_feedback(s, s.dialogue.last_shown()[0], "seen")[-1]
    path = app.export_conversation(s)["value"]
    assert path.startswith(os.environ["CONVREC_HOME"])
    out = app.import_conversation(path, None)
    assert out[-1].dialogue == s.dialogue
    assert out[0] == app.chat_messages(s.dialogue)

    corrupt = tmp_path / "bad.json"
    corrupt.write_text("{not json")
    with pytest.raises(gr.Error, match="Could not import"):
        app.import_conversation(str(corrupt), s)
    foreign = json.loads(s.dialogue.to_json())
    foreign["preferences"]["liked"].append("not-in-catalog")
    (tmp_path / "foreign.json").write_text(json.dumps(foreign))
    state, notes = chat.import_state((tmp_path / "foreign.json").read_text(), runtime.catalog)
    assert "not-in-catalog" not in state.preferences.liked and "1 title" in notes[0]


def test_new_conversation_and_header(runtime):
    out = app.new_conversation()
    assert out[3].dialogue == DialogueState()
    header = app.on_load(None)[0]
    assert runtime.catalog.name in header and "retrieval" in header
    if runtime.is_demo:
        assert "demo catalog" in header and "embedded demo catalog" in header


# ---------------------------------------------------------------- a real server

@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = shared_home(tmp_path_factory)
    env = {"CONVREC_HOME": str(home), "CONVREC_SYSTEM": "retrieval", "CONVREC_CATALOG": CATALOG}
    port = app.free_port()
    proc = app.serve_subprocess(port, env=env)
    yield f"http://127.0.0.1:{port}/"
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except Exception:
        proc.kill()


def client_state(client) -> DialogueState:
    return DialogueState.from_json(client.predict(api_name="/state"))


def test_server_conversation_with_seen_it(server, runtime):
    from gradio_client import Client

    alien = id_of(runtime.catalog, "Alien")
    c = Client(server, verbose=False)
    messages, textbox, cards, panel = c.predict("I loved Alien", api_name="/chat")
    assert textbox == "" and messages[-1]["role"] == "assistant"
    st = client_state(c)
    assert st.preferences.liked == [alien]
    shown = st.last_shown()
    assert shown and all(f'data-item="{i}"' in cards for i in shown)
    assert "Alien (" in panel

    messages, cards, panel = c.predict(shown[0], "seen", api_name="/feedback")
    st = client_state(c)
    assert shown[0] in st.preferences.seen
    assert shown[0] not in st.last_shown() and f'data-item="{shown[0]}"' not in cards

    c.predict("Something from the 90s", api_name="/chat")
    st = client_state(c)
    assert shown[0] not in st.last_shown() and st.preferences.seen[-1] == shown[0]
    assert [t.speaker for t in st.turns] == ["USER", "SYSTEM", "SYSTEM", "USER", "SYSTEM"]


def test_two_clients_do_not_share_state(server, runtime):
    from gradio_client import Client

    scripts = {"a": ["I loved Alien", "nothing before 1975"], "b": ["I love The Lion King", "no horror"]}
    states: dict[str, DialogueState] = {}
    errors: list[BaseException] = []

    def run(name):
        try:
            c = Client(server, verbose=False)
            for text in scripts[name]:
                c.predict(text, api_name="/chat")
            states[name] = client_state(c)
        except BaseException as e:  # surfaced below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(n,)) for n in scripts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    for name, texts in scripts.items():
        assert [t.text for t in states[name].turns if t.speaker == "USER"] == texts
    alien, lion = id_of(runtime.catalog, "Alien"), id_of(runtime.catalog, "The Lion King")
    assert states["a"].preferences.liked == [alien] and states["b"].preferences.liked == [lion]
    assert states["a"].preferences.disliked_genres == [] and states["b"].preferences.year_min is None


def test_missing_model_falls_back_with_a_visible_notice(runtime, monkeypatch, tmp_path, tmp_path_factory):
    """The fine-tuned system asked for without its adapter: the app still starts, and says so."""
    monkeypatch.setenv("CONVREC_HOME", str(shared_home(tmp_path_factory)))
    monkeypatch.setenv("CONVREC_GENERATOR_ADAPTER", str(tmp_path / "no-adapter"))
    rt = chat.load_runtime(CATALOG, "full")
    assert rt.system == "retrieval"
    assert any("full system is not available" in n and "no-adapter" in n for n in rt.notices)
    assert "full system is not available" in app.header_html(rt)
    state, reply = rt.dialogue.turn(DialogueState(), "I loved Alien")
    assert reply.items and all(i in rt.catalog for i in reply.items)


def test_partial_replies_stream_into_the_chat(runtime, monkeypatch):
    """Every partial reply of ``Dialogue.stream_turn`` reaches the chatbot, in order, before the cards."""
    real = runtime.dialogue.stream_turn

    def word_by_word(state, text):  # test-only: replays the real final reply as a generator would stream it
        *_, (final_state, reply) = real(state, text)
        words = reply.text.split(" ")
        for n in range(1, len(words)):
            yield state, type(reply)(" ".join(words[:n]))
        yield final_state, reply

    monkeypatch.setattr(runtime.dialogue, "stream_turn", word_by_word)
    outs = list(app.respond("I loved Alien", None))
    texts = [o[0][-1]["content"] for o in outs]
    final = texts[-1]
    assert texts[0] == app.THINKING
    streamed = texts[1:-1]
    assert len(streamed) >= 3 and all(final.startswith(t) for t in streamed)
    assert [len(t) for t in streamed] == sorted(len(t) for t in streamed)
    # cards come with the first reply that lists items (here only the final one), never before
    assert all("cr-card" not in o[2] for o in outs[:-2]) and "cr-card" in outs[-2][2] and "cr-card" in outs[-1][2]


def test_importing_app_loads_and_launches_nothing():
    import subprocess
    import sys

    code = ("import sys, app; assert app._RUNTIME is None; assert 'convrec.systems' not in sys.modules; "
            "assert 'torch' not in sys.modules; assert not app.demo.is_running; print('ok')")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=str(app.config.REPO_ROOT))
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr[-2000:]
