"""The learning-curve benchmark's fit and subsetting (the training itself is convrec.train_retriever's)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from convrec.retriever_data import TurnSample

spec = importlib.util.spec_from_file_location("learning_curve", Path(__file__).parent.parent / "benchmarks" / "learning_curve.py")
lc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lc)


def run(n: int, r50: float, seed: int = 0) -> dict:
    return {"dialogues": n, "seed": seed, "fused": {"recall@50": r50}}


def test_log_fit_recovers_a_log_linear_curve_and_averages_seeds():
    a, b = 0.1, 0.04
    runs = [run(n, a + b * np.log(n) + d, s) for n in (200, 400, 800) for s, d in ((0, 0.01), (1, -0.01))]
    fit = lc.log_fit(runs, "fused", 50)
    assert fit["a"] == pytest.approx(a, abs=1e-3) and fit["b_per_ln"] == pytest.approx(b, abs=1e-3)
    assert fit["points"][400] == pytest.approx(a + b * np.log(400), abs=1e-4)
    assert lc.extrapolate(fit, 3200) == pytest.approx(a + b * np.log(3200), abs=1e-3)
    flat_tail = runs + [run(1600, 0.1 + 0.04 * np.log(800))]  # the largest size stops improving
    assert lc.log_fit(flat_tail, "fused", 50, last=2)["b_per_ln"] < lc.log_fit(flat_tail, "fused", 50)["b_per_ln"]


def test_subset_keeps_exactly_the_chosen_dialogues_with_their_vectors():
    samples = [TurnSample(d, f"t{n}", [], [n], [True]) for n, d in enumerate("aabcc")]
    vectors = np.arange(5, dtype=np.float32)[:, None]
    sub, vec = lc.subset_samples(samples, vectors, {"a", "c"})
    assert [s.dialogue_id for s in sub] == ["a", "a", "c", "c"] and vec.ravel().tolist() == [0, 1, 3, 4]


def test_help_runs_without_loading_anything(capsys):
    with pytest.raises(SystemExit) as e:
        lc.main(["--help"])
    assert e.value.code == 0 and "--fractions" in capsys.readouterr().out
