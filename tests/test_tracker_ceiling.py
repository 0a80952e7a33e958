"""benchmarks/tracker_ceiling.py: per-(dialogue, film) rows with the rules' verdict and the words around the film."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from convrec.catalog import Catalog, Item
from tests.test_preference_eval import DIALOGUES

spec = importlib.util.spec_from_file_location("tracker_ceiling",
                                              Path(__file__).parent.parent / "benchmarks" / "tracker_ceiling.py")
tc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tc)


def test_rows_carry_labels_rules_and_the_seekers_words_about_each_film():
    cat = Catalog([Item(str(i), f"Film {i}", 2000) for i in range(101, 106)])
    assert len(tc.rows_of(DIALOGUES, cat)) == 6  # one row per labelled film
    first = tc.rows_of(DIALOGUES[:1], cat)
    r103 = next(r for r in first if r["y"] == (1, 0))  # @103: liked 1, seen 0 (the seeker's labels)
    assert r103["rules"] == (1, 0)  # "No I haven't. Sounds good though": the rules agree
    assert r103["num"][1] == 0 and r103["num"][2:4] == [0, 1]  # named first by the recommender, once
    assert "No I haven't" in r103["text"].split(" A: ")[1]  # the seeker's reply after it was named


def test_tuned_offsets_can_only_raise_macro_f1():
    y = np.array([0, 1, 1, 2, 1, 1])
    prob = np.array([[.4, .5, .1], [.1, .8, .1], [.2, .7, .1], [.1, .5, .4], [.1, .8, .1], [.3, .6, .1]])
    best, offsets = tc.tuned(y, prob)
    assert best == 1.0 and offsets != [0.0, 0.0]  # argmax alone says "yes" to all
