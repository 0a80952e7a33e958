"""The tracker evaluation on ReDial-shaped data: metrics, the CLI and metrics.json (a tiny synthetic data dir)."""
from __future__ import annotations

import json
import random

import pytest

from convrec import preference_eval as pe
from convrec.catalog import Catalog, Item


def test_macro_f1_and_accuracy():
    gold, pred = [0, 1, 2, 1], [0, 1, 1, 1]
    assert pe.f1_per_class(gold, pred) == {0: 1.0, 1: 0.8, 2: 0.0}
    assert pe.macro_f1(gold, pred) == pytest.approx(0.6)
    assert pe._summary(gold, pred)["accuracy"] == 0.75


def test_variants_render_title_forms():
    item = Item("1", "The Big Lebowski", 1998)
    v = pe.variants(item, random.Random(0))
    assert v["title_year"] == "The Big Lebowski (1998)" and v["lower"] == "the big lebowski"
    assert v["no_article"] == "Big Lebowski" and v["typo"] != item.title and len(v["typo"]) - len(item.title) in (-1, 0, 1)


def _dialogue(cid, messages, questions):
    return {"conversationId": cid, "initiatorWorkerId": 0, "respondentWorkerId": 1, "movieMentions": {},
            "respondentQuestions": {}, "initiatorQuestions": questions,
            "messages": [{"senderWorkerId": s, "text": t, "messageId": n, "timeOffset": n}
                         for n, (s, t) in enumerate(messages)]}


DIALOGUES = [
    _dialogue(1, [(0, "Hi! I loved @101 and @102"), (1, "Have you seen @103 ?"), (0, "No I haven't. Sounds good though"),
                  (1, "Or @104"), (0, "I didn't like that one")],
              {"101": {"seen": 1, "liked": 1}, "102": {"seen": 1, "liked": 1}, "103": {"seen": 0, "liked": 1},
               "104": {"seen": 1, "liked": 0}}),
    _dialogue(2, [(0, "Anything like @105 ?"), (1, "Try @101"), (0, "thanks, bye")],
              {"105": {"seen": 1, "liked": 1}, "101": {"seen": 2, "liked": 2}}),
]


def test_tracking_against_labels():
    cat = Catalog([Item(str(i), f"Film {i}", 2000) for i in range(101, 106)])
    prefs = pe.track_dialogue(DIALOGUES[0], cat)  # "that one" = the last suggestion, "No I haven't" = @103
    assert (prefs.liked, prefs.disliked, prefs.seen, prefs.not_seen) == (["101", "102", "103"], ["104"],
                                                                          ["101", "102", "104"], ["103"])
    res = pe.evaluate_tracking(DIALOGUES, cat)
    assert res["liked"]["confusion"] == res["seen"]["confusion"] == {"0->0": 1, "1->1": 4, "2->2": 1}
    assert res["liked"]["macro_f1"] == res["seen"]["accuracy"] == 1.0


def test_recommender_labels_scored_against_the_seeker():
    """respondentQuestions (the other person's reading of the same dialogue) scored like a tracker: a ceiling."""
    d = dict(DIALOGUES[0], respondentQuestions={"101": {"seen": 1, "liked": 1}, "103": {"seen": 2, "liked": 1},
                                                 "104": {"seen": 1, "liked": 2}})
    res = pe.evaluate_agreement([d, DIALOGUES[1]])  # the second dialogue has no recommender answers: left out
    assert res["liked"]["n"] == 3 and res["liked"]["confusion"] == {"0->2": 1, "1->1": 2}
    assert res["seen"]["confusion"] == {"0->2": 1, "1->1": 2}


def test_cli_writes_metrics_json(tmp_path):
    data = _tiny_data_dir(tmp_path)
    out = tmp_path / "out"
    assert pe.main(["eval", "--data-dir", str(data), "--out", str(out)]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    for key in ("liked", "seen"):
        assert 0 <= metrics[key]["macro_f1"] <= 1 and 0 <= metrics[key]["accuracy"] <= 1
    assert metrics["split"] == "test" and set(metrics["by_split"]) == {"train_subset", "test"}
    assert metrics["linking"]["n"] > 0 and metrics["linking"]["accuracy"] >= 0.8
    assert set(metrics["human_agreement"]) == {"liked", "seen"}
    assert pe.main(["eval", "--data-dir", str(data), "--splits", "train", "--out", str(tmp_path / "tr")]) == 0


def _tiny_data_dir(tmp_path):
    data = tmp_path / "data"
    (data / "redial").mkdir(parents=True)
    names = {"101": "Alien (1979)", "102": "The Big Lebowski (1998)", "103": "Heat (1995)", "104": "Inception (2010)",
             "105": "Toy Story (1995)"}
    (data / "redial" / "movies_with_mentions.csv").write_text(
        "movieId,movieName,nbMentions\n" + "".join(f"{k},{v},1\n" for k, v in names.items()))
    many = [dict(d, conversationId=d["conversationId"] + 10 * k) for k in range(6) for d in DIALOGUES]
    (data / "redial" / "train_subset.jsonl").write_text("".join(json.dumps(d) + "\n" for d in many))
    (data / "redial" / "test_data.jsonl").write_text("".join(json.dumps(d) + "\n" for d in DIALOGUES))
    return data


def test_train_tracker_cli_writes_a_model_the_eval_uses(tmp_path):
    """Train on a tiny ReDial-shaped split, then evaluate with and without the learned part."""
    from convrec import tracker_model
    from convrec.train import main as train_main

    data, model_dir = _tiny_data_dir(tmp_path), tmp_path / "tracker"
    assert train_main(["tracker", "--data-dir", str(data), "--out", str(model_dir), "--epochs", "3",
                       "--lr", "0.05", "--valid", "0.34"]) == 0
    assert {p.name for p in model_dir.iterdir()} == {"model.npz", "card.json", "card.md"}
    card = json.loads((model_dir / "card.json").read_text())
    assert card["train_dialogues"] + card["valid_dialogues"] == 12 and card["train_samples"] > 0
    model = tracker_model.load(str(model_dir))
    assert model.weights.shape == (tracker_model.N_BUCKETS, 6) and model.weights.any()
    for flag in ([], ["--rules-only"]):
        out = tmp_path / ("out" + "".join(flag))
        assert pe.main(["eval", "--data-dir", str(data), "--out", str(out), "--model-dir", str(model_dir),
                        "--splits", "test", *flag]) == 0
        metrics = json.loads((out / "metrics.json").read_text())
        assert metrics["tracker"] == ("rules" if flag else "rules + learned")
        assert 0 <= metrics["liked"]["macro_f1"] <= 1


def test_no_weights_means_rules_only(tmp_path):
    from convrec import tracker_model

    assert tracker_model.load(str(tmp_path)) is None
    cat = Catalog([Item(str(i), f"Film {i}", 2000) for i in range(101, 106)])
    assert pe.track_dialogue(DIALOGUES[0], cat, model=None) == pe.track_dialogue(DIALOGUES[0], cat)
