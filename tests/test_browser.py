"""A real browser: headless Chromium opens the app, chats, and clicks "Seen it" on a card.

Needs Debian's ``chromium`` and the ``playwright`` package (``bash tests/setup_browser.sh``
installs both; Playwright's own browser download is not used). When either is missing the
test is skipped with the reason, never passed. Screenshots go to ``test-artifacts/``.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import app

CHROMIUM = os.environ.get("CONVREC_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CATALOG = os.environ.get("CONVREC_TEST_CATALOG", "demo")
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser test skipped: the playwright package is not installed (run tests/setup_browser.sh)")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"browser test skipped: no Chromium at {CHROMIUM} (run tests/setup_browser.sh as root)")
    with sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        except Exception as e:  # a broken install: say so rather than fail obscurely
            pytest.skip(f"browser test skipped: Chromium at {CHROMIUM} does not start ({e})")
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.getbasetemp() / "convrec_ui_home"  # shared with test_app: the index is reused
    home.mkdir(exist_ok=True)
    port = app.free_port()
    proc = app.serve_subprocess(port, env={"CONVREC_HOME": str(home), "CONVREC_SYSTEM": "retrieval",
                                           "CONVREC_CATALOG": CATALOG})
    yield f"http://127.0.0.1:{port}/"
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except Exception:
        proc.kill()


def card_ids(page) -> list[str]:
    return page.locator("#cr-cards .cr-card").evaluate_all("cards => cards.map(c => c.dataset.item)")


def test_seen_it_removes_the_title_from_the_next_suggestions(browser, server):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1360, "height": 1000})
    page.set_default_timeout(60_000)
    page.goto(server)
    page.wait_for_selector("#cr-catalog-label")  # the runtime answered the page load
    if CATALOG == "demo":
        assert "demo catalog" in page.inner_text("#cr-header")
    page.fill("#cr-msg textarea", "I loved Alien, something tense")
    page.keyboard.press("Enter")
    page.wait_for_selector("#cr-cards .cr-card")
    before = card_ids(page)
    assert before
    page.screenshot(path=str(ARTIFACTS / "browser-1-suggestions.png"), full_page=True)

    first = page.locator("#cr-cards .cr-card").first
    seen_id, seen_title = first.get_attribute("data-item"), first.get_attribute("data-title")
    first.get_by_role("button", name="Seen it").click()
    page.wait_for_function(
        """id => { const cards = [...document.querySelectorAll('#cr-cards .cr-card')];
                   return cards.length > 0 && !cards.some(c => c.dataset.item === id); }""",
        arg=seen_id,
    )
    after = card_ids(page)
    assert seen_id not in after and after
    assert seen_title in page.inner_text("#cr-panel")  # the panel now lists it under "Seen"
    page.screenshot(path=str(ARTIFACTS / "browser-2-after-seen-it.png"), full_page=True)
    page.close()
