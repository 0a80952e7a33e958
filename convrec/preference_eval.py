"""Measure the preference tracker and the title linker on ReDial against its human labels.

ReDial's ``initiatorQuestions`` say, for every movie of a dialogue, whether the seeker saw it
and liked it (0 = no, 1 = yes, 2 = did not say). The seeker's messages (``@id`` kept) go
through ``preferences.update`` in order; the recommender's last message gives ``shown``
(what "it" / "that one" refer to) and ``prompt`` (what a bare "yes" answers). Mapping:

    liked:  id in prefs.liked -> 1, in prefs.disliked -> 0, else 2
    seen:   id in prefs.seen  -> 1, in prefs.not_seen -> 0, else 2

Linking: every ``@id`` in a seeker message is rendered as plain text in five variants
(``Title (Year)``, ``Title``, lower case, without its leading article, one typo) inside the
real utterance and linked against the 6,924-movie ReDial catalog, given the ids the recommender
named earlier in the dialogue (a real system knows what it showed); correct = the linker returns
that film for that span: the same id, or an id with the same IMDb id (ReDial lists 192 films
twice, e.g. "Star Wars (1977)" and "Star Wars"). ``accuracy_strict_id`` counts exact ids only. Rules were developed on ``train_subset`` only; ``test`` is reported.
The learned part of the tracker (``models/tracker/``, trained on ``train_subset`` only by
``python -m convrec.train tracker``) is used when present; ``--rules-only`` leaves it out.

Run:  python -m convrec.preferences eval --data-dir ../shared/data --out results/tracker [--limit 200]
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

from convrec import config

SPLITS = {"train_subset": "train_subset.jsonl", "train": "train_subset.jsonl", "test": "test_data.jsonl"}
LABELS = (0, 1, 2)  # no, yes, did not say


def f1_per_class(gold: list[int], pred: list[int]) -> dict[int, float]:
    scores = {}
    for c in LABELS:
        tp = sum(g == c and p == c for g, p in zip(gold, pred))
        fp = sum(g != c and p == c for g, p in zip(gold, pred))
        fn = sum(g == c and p != c for g, p in zip(gold, pred))
        scores[c] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return scores


def macro_f1(gold: list[int], pred: list[int]) -> float:
    return sum(f1_per_class(gold, pred).values()) / len(LABELS)


def _summary(gold: list[int], pred: list[int]) -> dict:
    return {
        "macro_f1": round(macro_f1(gold, pred), 4),
        "accuracy": round(sum(g == p for g, p in zip(gold, pred)) / max(len(gold), 1), 4),
        "n": len(gold),
        "f1": {["no", "yes", "did_not_say"][c]: round(f, 4) for c, f in f1_per_class(gold, pred).items()},
        "support": {["no", "yes", "did_not_say"][c]: gold.count(c) for c in LABELS},
        "confusion": {f"{g}->{p}": n for (g, p), n in sorted(Counter(zip(gold, pred)).items())},
    }


def track_dialogue(dialogue: dict, catalog, model=None) -> "Preferences":  # noqa: F821
    """Run one ReDial dialogue's seeker messages through the tracker (``model``: its learned part, or None)."""
    from convrec.preferences import update
    from convrec.state import USER, Preferences, Turn

    seeker = dialogue["initiatorWorkerId"]
    prefs, shown, prompt, last_sender = Preferences(), [], "", None
    for msg in dialogue["messages"]:
        text = msg.get("text") or ""
        if msg["senderWorkerId"] != seeker:
            ids = [i for i in re.findall(r"@(\d+)", text) if i in catalog]
            if last_sender == seeker or last_sender is None:
                prompt = ""
            prompt = (prompt + " " + text).strip()
            if ids:
                shown = (shown + ids) if last_sender == msg["senderWorkerId"] else ids
        else:
            prefs = update(prefs, Turn(USER, text), catalog, shown=shown, prompt=prompt, model=model)
        last_sender = msg["senderWorkerId"]
    return prefs


def evaluate_tracking(dialogues: list[dict], catalog, model=None) -> dict:
    gold_l, pred_l, gold_s, pred_s = [], [], [], []
    for d in dialogues:
        questions = d.get("initiatorQuestions") or {}
        if not questions:
            continue
        prefs = track_dialogue(d, catalog, model)
        for mid, q in questions.items():
            gold_l.append(int(q["liked"]))
            gold_s.append(int(q["seen"]))
            pred_l.append(1 if mid in prefs.liked else (0 if mid in prefs.disliked else 2))
            pred_s.append(1 if mid in prefs.seen else (0 if mid in prefs.not_seen else 2))
    return {"liked": _summary(gold_l, pred_l), "seen": _summary(gold_s, pred_s)}


def evaluate_agreement(dialogues: list[dict]) -> dict:
    """The recommender's answers about the same movies (``respondentQuestions``) scored like a tracker.

    Both people read the whole dialogue, so this is how well a careful reader can recover the
    seeker's own labels: a ceiling for any tracker (ReDial train: liked macro-F1 0.62, seen 0.64).
    """
    gold_l, pred_l, gold_s, pred_s = [], [], [], []
    for d in dialogues:
        other = d.get("respondentQuestions") or {}
        for mid, q in (d.get("initiatorQuestions") or {}).items():
            if other.get(mid):
                gold_l.append(int(q["liked"]))
                gold_s.append(int(q["seen"]))
                pred_l.append(int(other[mid]["liked"]))
                pred_s.append(int(other[mid]["seen"]))
    return {"liked": _summary(gold_l, pred_l), "seen": _summary(gold_s, pred_s)}


# ---------------------------------------------------------------- linking

def _typo(title: str, rng: random.Random) -> str:
    """One deterministic typo (swap, drop, double or replace a letter) in a word of >= 5 letters."""
    words = [m for m in re.finditer(r"[A-Za-z]{5,}", title)]
    if not words:
        return title
    w = rng.choice(words)
    k = rng.randrange(1, len(w.group()) - 1)
    s, word = w.start(), w.group()
    op = rng.choice(("swap", "drop", "double", "replace"))
    if op == "swap":
        new = word[:k] + word[k + 1] + word[k] + word[k + 2:]
    elif op == "drop":
        new = word[:k] + word[k + 1:]
    elif op == "double":
        new = word[:k] + word[k] + word[k:]
    else:
        new = word[:k] + rng.choice("aeioulnrst".replace(word[k].lower(), "")) + word[k + 1:]
    return title[:s] + new + title[s + len(word):]


def variants(item, rng: random.Random) -> dict[str, str]:
    out = {"title_year": item.label, "title": item.title, "lower": item.title.lower()}
    first, _, rest = item.title.partition(" ")
    if first.lower() in ("the", "a", "an") and rest:
        out["no_article"] = rest
    typo = _typo(item.title, rng)
    if typo != item.title:
        out["typo"] = typo
    return out


def evaluate_linking(dialogues: list[dict], catalog, seed: int = 0) -> dict:
    from convrec.titles import link

    rng = random.Random(seed)
    hits, strict, totals, in_alts = Counter(), Counter(), Counter(), Counter()

    def film(item_id: str) -> str:  # ReDial lists some films twice (with and without a year): same IMDb id
        return catalog[item_id].source_ids.get("imdb") or item_id

    for d in dialogues:
        shown: list[str] = []  # what the recommender named so far: the system knows what it showed
        for msg in d["messages"]:
            text = msg.get("text") or ""
            if msg["senderWorkerId"] != d["initiatorWorkerId"]:
                shown += [i for i in re.findall(r"@(\d+)", text) if i in catalog]
                continue
            for m in re.finditer(r"@(\d+)", text):
                item = catalog.get(m.group(1))
                if item is None:
                    continue
                for name, surface in variants(item, rng).items():
                    rendered = text[: m.start()] + surface + text[m.end():]
                    lo, hi = m.start(), m.start() + len(surface)
                    found = [x for x in link(rendered, catalog, shown) if x.start < hi and x.end > lo]
                    totals[name] += 1
                    strict[name] += any(x.item_id == item.id for x in found)
                    hits[name] += any(film(x.item_id) == film(item.id) for x in found)
                    in_alts[name] += any(item.id in [x.item_id, *x.alternatives] for x in found)
    n = sum(totals.values())
    messages = [m.get("text") or "" for d in dialogues for m in d["messages"]]
    plain = sum(1 for t in messages for x in link(t, catalog) if x.how != "at")
    return {
        # titles linked in the raw messages, where films are written as @id: an upper bound on false links
        # (some are real plain-text mentions such as "star wars")
        "plain_links_per_1000_messages": round(1000 * plain / max(len(messages), 1), 1),
        "accuracy": round(sum(hits.values()) / max(n, 1), 4),  # the same film (id or IMDb id)
        "accuracy_strict_id": round(sum(strict.values()) / max(n, 1), 4),  # exactly the gold ReDial id
        "accuracy_with_alternatives": round(sum(in_alts.values()) / max(n, 1), 4),
        "n": n,
        "by_variant": {k: round(hits[k] / totals[k], 4) for k in sorted(totals)},
    }


def load_split(data_dir: Path, split: str, limit: int | None) -> list[dict]:
    path = Path(data_dir) / "redial" / SPLITS[split]
    with path.open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return rows[:limit] if limit else rows


def make_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m convrec.preferences", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("eval", help="measure the tracker and the linker on ReDial")
    e.add_argument("--data-dir", help="data directory with redial/ and overviews/ (or CONVREC_DATA_DIR)")
    e.add_argument("--out", help="write OUT/metrics.json (the test split's figures, train_subset nested)")
    e.add_argument("--limit", type=int, help="only the first N dialogues of each split")
    e.add_argument("--splits", default="train_subset,test",
                   help="comma-separated: train_subset (or train), test; develop on train, report test")
    e.add_argument("--rules-only", action="store_true", help="leave out the learned part (models/tracker/)")
    e.add_argument("--model-dir", help="the learned part's folder (default models/tracker/)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    from tqdm import tqdm

    from convrec.catalog_sources import load_redial

    data_dir = config.data_dir(args.data_dir, required=True)
    catalog = load_redial(data_dir)  # its fame (training-dialogue mentions) settles namesakes, as in the app
    from convrec import tracker_model

    model = None if args.rules_only else tracker_model.load(args.model_dir)
    print(f"tracker: rules{' + learned model' if model is not None else ' only'}")
    results = {}
    for split in tqdm(args.splits.split(","), desc="splits"):
        dialogues = load_split(data_dir, split.strip(), args.limit)
        res = evaluate_tracking(dialogues, catalog, model)
        res["linking"] = evaluate_linking(dialogues, catalog)
        res["human_agreement"] = evaluate_agreement(dialogues)
        res["dialogues"] = len(dialogues)
        results[split.strip()] = res
        print(f"{split}: liked macro-F1 {res['liked']['macro_f1']:.3f} acc {res['liked']['accuracy']:.3f} | "
              f"seen macro-F1 {res['seen']['macro_f1']:.3f} acc {res['seen']['accuracy']:.3f} | "
              f"linking acc {res['linking']['accuracy']:.3f} ({res['linking']['n']} renderings) | "
              f"recommender vs seeker labels: liked {res['human_agreement']['liked']['macro_f1']:.3f} "
              f"seen {res['human_agreement']['seen']['macro_f1']:.3f}")
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        main_split = "test" if "test" in results else next(iter(results))
        metrics = {**{k: results[main_split][k] for k in ("liked", "seen", "linking", "human_agreement")},
                   "split": main_split,
                   "tracker": "rules + learned" if model is not None else "rules",
                   "by_split": results, "command": "python -m convrec.preferences " + " ".join(sys.argv[1:] if argv is None else argv)}
        (out / "metrics.json").write_text(json.dumps(metrics, indent=2))
        print(f"wrote {out / 'metrics.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
