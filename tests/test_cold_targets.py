"""benchmarks/cold_targets.py: where never-mentioned targets rank by a prior that does not come from ReDial."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

spec = importlib.util.spec_from_file_location("cold_targets", Path(__file__).parent.parent / "benchmarks" / "cold_targets.py")
ct = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ct)


def test_cold_targets_are_ranked_among_the_never_mentioned_items_only():
    mentions = np.array([5, 0, 0, 0, 3, 0])  # items 1, 2, 3, 5 were never mentioned in training
    prior = np.array([100.0, 1.0, 50.0, 0.0, 90.0, 20.0])  # by the prior: 2, 5, 1, 3
    out = ct.cold_ranks(prior, mentions, np.array([0, 1, 3, 4]))  # 0 and 4 are warm: not counted
    assert out == {"cold_targets": 2, "pool": 4, "median_rank": 2.5, "top100": 1.0, "top500": 1.0, "with_prior": 0.5}
