"""The deterministic user simulator: reveals attributes, stops on success, never says the title."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from convrec import protocols, simulator
from convrec.catalog import Item, Person, load_file
from convrec.recommender import Recommendation

FIX = Path(__file__).parent / "fixtures"


def said_title(text: str, item: Item) -> bool:
    """Independent leak check: the whole title, or any distinctive title word, as a word of ``text``."""
    low = text.lower()
    title_words = re.findall(r"\w+", item.title.lower())
    distinctive = [w for w in title_words if w not in simulator.STOPWORDS] or title_words
    if title_words and re.search(r"\b" + r"\W+".join(map(re.escape, title_words)) + r"\b", low):
        return True
    return any(re.search(rf"\b{re.escape(w)}\b", low) for w in distinctive)


def every_utterance(user: simulator.SimUser) -> list[str]:
    """All a simulated user can say: each question answered, then rejections until exhausted."""
    out = [user.answer(q) for q in ("genre", "actor", "director", "decade", "title", "mood")]
    out += [user.reject() for _ in range(6)]
    return out


@pytest.fixture
def tiny():
    return load_file(FIX / "tiny_catalog.jsonl", name="tiny")


class Oracle:
    """Finds the target only once the user has said one of ``cue`` words (a deterministic system)."""

    name = "oracle"

    def __init__(self, catalog, target, cue):
        self.catalog, self.target, self.cue = catalog, target, cue

    def recommend(self, state, k=10):
        said = " ".join(t.text for t in state.turns if t.speaker == "USER").lower()
        others = [i.id for i in self.catalog if i.id != self.target]
        return Recommendation(([self.target] if self.cue in said else []) + others)


def test_rejection_reveals_attributes_in_order_and_stops_on_success(tiny):
    d = protocols.read_dialogues(FIX / "redial_tiny.jsonl", tiny)[0]
    assert simulator.targets(d) == ["2"] and simulator.targets(d, "all") == ["2", "5", "4"]
    ep = simulator.simulate(d, "2", tiny, Oracle(tiny, "2", cue="action"))
    assert ep.utterances[0] == "Hi, I loved Alien (1979)"  # the dialogue's first seeker turn
    assert ep.utterances[1] == "No, none of those. I'd like a sci-fi and action movie."
    assert ep.success_round == 2 and ep.last_list[0] == "2"
    never = simulator.simulate(d, "2", tiny, Oracle(tiny, "2", cue="no such cue"))
    assert never.success_round is None and len(never.utterances) == simulator.MAX_ROUNDS
    assert "James Cameron" in never.utterances[2] and "Sigourney Weaver" in never.utterances[3]
    assert "1980s" in never.utterances[4]
    m = simulator.simulation_metrics([ep, never], n_dialogues=1, n_skipped=0)
    assert m["success_rate"] == 0.5 and m["mean_rounds"] == 2.0
    assert m["recall@1"] == 0.5 and m["recall@50"] == 0.5  # "never" never lists the target
    # deterministic: the same run says the same things
    again = simulator.simulate(d, "2", tiny, Oracle(tiny, "2", cue="no such cue"))
    assert again.utterances == never.utterances


def test_answers_questions_from_metadata(tiny):
    user = simulator.SimUser(tiny["5"], liked_titles=["Alien (1979)"])
    assert user.answer("genre") == "I'd like a horror movie."
    assert user.answer("director") == "Ideally directed by Stanley Kubrick."
    assert user.answer("actor") == "I'd like one with Jack Nicholson."
    assert user.answer("decade") == "Preferably from the 1980s."
    assert user.answer("title") == "I really liked Alien (1979)."


def test_a_target_named_in_the_opening_is_skipped(tiny):
    d = protocols.read_dialogues(FIX / "redial_tiny.jsonl", tiny)[0]  # opens with "I loved Alien (1979)"
    assert simulator.simulate(d, "1", tiny, Oracle(tiny, "1", cue="x")) is None


def test_awkward_titles_never_leak():
    """Titles made of template words, genre names or people's names still never leak."""
    items = [
        Item("a", "It", 2017, ["Horror"], [Person("Andy Muschietti", "director")]),
        Item("b", "Horror Express", 1972, ["Horror"], [Person("Eugenio Martin", "director")]),
        Item("c", "I'd Like a Movie", 2001, ["Comedy"], [Person("Some One", "director")]),
        Item("d", "Being John Malkovich", 1999, ["Comedy"], [Person("Spike Jonze", "director"),
                                                            Person("John Malkovich", "actor")]),
        Item("e", "None of Those", 1990, ["Drama"], []),
        Item("f", "Nope", 2022, ["Horror"], [Person("Jordan Peele", "director")]),
    ]
    for item in items:
        for text in every_utterance(simulator.SimUser(item, liked_titles=["It (1990)", "Alien (1979)"])):
            assert text and not said_title(text, item), (item.title, text)


def test_never_leaks_on_the_redial_catalog(data_dir):
    """Every utterance the simulator can produce, for every first target of every test dialogue."""
    from convrec.catalog_sources import load_redial

    catalog = load_redial(data_dir)
    dialogues = protocols.read_dialogues(data_dir / "redial" / "test_data.jsonl", catalog)
    checked = 0
    for d in dialogues:
        for target in simulator.targets(d, "all"):
            item = catalog[target]
            first = simulator.opening(d)
            if first is None or simulator.leaks(first, item):
                continue  # simulate() skips these targets
            user = simulator.SimUser(item, simulator.seeker_liked(d, catalog, target))
            for text in [first, *every_utterance(user)]:
                assert not said_title(text, item), (d.id, item.label, text)
            checked += 1
    assert checked > 3000
