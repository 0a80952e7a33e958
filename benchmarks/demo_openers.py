"""Demo-catalog benchmark: is the first list after "I loved X" what people who loved X also loved?

The embedded demo catalog has no dialogues to score against, so the ground truth comes from
outside the product: MovieLens ml-latest-small ratings (read from the data directory; the demo
app never reads them). Each demo film is matched to MovieLens by title and year; for a film X
with at least ``--min-likers`` users who rated it 4 or more, the films those users also loved
most (cosine of the two sets of likers, among demo films) are X's neighbours. The system gets
one message, "I loved X (year)", and its first list of ``--k`` films is scored against the top
``--k`` neighbours: precision@k (hits / k) and NDCG@k. Retrieval runs exactly as in the app on
the demo catalog (no data directory, so no collaborative signal sees MovieLens), once per setup:
the shipped one, with the ReDial-trained learned signal and reranker forced on, without the liked
films' tags in the semantic query, without tag overlap in similarity, without both, the previous
release (learned on, no tags), and the popularity baseline.

Run:  python benchmarks/demo_openers.py --data-dir ../shared/data --out benchmarks/results/demo_openers.json
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import os
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without installing

SETUPS = {  # name -> (system, SimilarSignal.tag_weight, systems.LEARNED_MIN_KNOWN, RetrievalConfig.query_tags);
    # None keeps the shipped value
    "shipped": ("retrieval", None, None, None),
    "with the learned signal and reranker": ("retrieval", None, 0.0, None),
    "shipped without tags in the query": ("retrieval", None, None, 0),
    "shipped without tag overlap": ("retrieval", 0.0, None, None),
    "without tags (no overlap; not in the query)": ("retrieval", 0.0, None, 0),
    "previous release (learned; no tags)": ("retrieval", 0.0, 0.0, 0),
    "popularity": ("popularity", None, None, None),
}


def make_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data-dir", help="data directory with movielens/ml-latest-small (default: $CONVREC_DATA_DIR)")
    p.add_argument("--out", default="benchmarks/results/demo_openers.json", help="JSON file to write")
    p.add_argument("--k", type=int, default=10, help="list length scored")
    p.add_argument("--min-likers", type=int, default=20, help="MovieLens users who loved X, at least")
    p.add_argument("--setups", default=",".join(SETUPS), help="comma-separated setups to run")
    return p


def _ml_key(title: str) -> str:
    """MovieLens writes "Matrix, The (1999)": the article moves back to the front."""
    m = re.match(r"^(.*), (The|A|An)$", title.strip())
    t = f"{m.group(2)} {m.group(1)}" if m else title
    return re.sub(r"[^a-z0-9]+", " ", t.lower()).strip()


def match_movielens(catalog, root: Path) -> dict[str, str]:
    """MovieLens movieId -> demo id, by normalised title and year (alternate titles in brackets dropped)."""
    by_key = {(_ml_key(it.title), it.year): it.id for it in catalog}
    out = {}
    with (root / "movies.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            m = re.match(r"^(.*?)\s*(?:\((?:a\.k\.a\. )?[^()]*\)\s*)?\((\d{4})\)\s*$", row["title"])
            if m and (key := (_ml_key(m.group(1)), int(m.group(2)))) in by_key:
                out[row["movieId"]] = by_key[key]
    return out


def neighbours(root: Path, ml_to_demo: dict[str, str], min_likers: int, k: int) -> dict[str, list[str]]:
    """Demo id -> its ``k`` demo films most loved by the same MovieLens users (rating >= 4)."""
    likers: dict[str, set[str]] = defaultdict(set)
    with (root / "ratings.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if float(row["rating"]) >= 4.0 and row["movieId"] in ml_to_demo:
                likers[ml_to_demo[row["movieId"]]].add(row["userId"])
    out = {}
    for x, users in likers.items():
        if len(users) < min_likers:
            continue
        cos = {y: len(users & u) / math.sqrt(len(users) * len(u)) for y, u in likers.items() if y != x and u}
        out[x] = sorted(cos, key=lambda y: (-cos[y], y))[:k]
    return out


def score(lists: dict[str, list[str]], truth: dict[str, list[str]], k: int) -> dict[str, float]:
    prec, ndcg = [], []
    for x, got in lists.items():
        want = set(truth[x])
        prec.append(sum(i in want for i in got[:k]) / k)
        dcg = sum(1 / math.log2(n + 2) for n, i in enumerate(got[:k]) if i in want)
        ndcg.append(dcg / sum(1 / math.log2(n + 2) for n in range(min(k, len(want)))))
    return {"precision@k": round(sum(prec) / len(prec), 4), "ndcg@k": round(sum(ndcg) / len(ndcg), 4), "films": len(prec)}


def run_setup(name: str, truth: dict[str, list[str]], k: int) -> tuple[dict, dict[str, list[str]]]:
    from convrec import systems
    from convrec.chat import load_runtime
    from convrec.state import DialogueState

    system, tag_weight, min_known, query_tags = SETUPS[name]
    saved_dir, saved_min = os.environ.pop("CONVREC_DATA_DIR", None), systems.LEARNED_MIN_KNOWN
    # as the app on the demo: no data directory, so nothing from MovieLens or ReDial reaches the system
    systems.LEARNED_MIN_KNOWN = saved_min if min_known is None else min_known
    try:
        rt = load_runtime("demo", system, k=k)
    finally:
        systems.LEARNED_MIN_KNOWN = saved_min
        if saved_dir is not None:
            os.environ["CONVREC_DATA_DIR"] = saved_dir
    retriever = _retriever(rt)
    if query_tags is not None and retriever is not None:
        retriever.config.query_tags = query_tags
    if tag_weight is not None and retriever is not None:
        for sig in retriever.signals:
            if sig.name == "similar":
                sig.tag_weight = tag_weight
    lists, started = {}, time.time()
    for x in sorted(truth):
        _, reply = rt.dialogue.turn(DialogueState(), f"I loved {rt.catalog[x].label}")
        lists[x] = reply.items
    return {**score(lists, truth, k), "seconds": round(time.time() - started, 1)}, lists


def _retriever(rt):
    from convrec.retrieval import Retriever

    todo, seen = [rt.dialogue.recommender], set()
    while todo:  # the retriever sits inside the system's context
        o = todo.pop()
        if id(o) in seen:
            continue
        seen.add(id(o))
        if isinstance(o, Retriever):
            return o
        todo += [v for v in getattr(o, "__dict__", {}).values() if hasattr(v, "__dict__")]
    return None


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    from convrec import config
    from convrec.catalog import load_demo

    root = config.data_dir(args.data_dir, required=True) / "movielens" / "ml-latest-small"
    catalog = load_demo()
    ml = match_movielens(catalog, root)
    truth = neighbours(root, ml, args.min_likers, args.k)
    print(f"demo films matched to MovieLens: {len(set(ml.values()))} of {len(catalog)}; scored: {len(truth)}")
    results, examples = {}, {}
    for name in args.setups.split(","):
        results[name], lists = run_setup(name, truth, args.k)
        examples[name] = {catalog[x].title: [catalog[i].title for i in lists[x][:5]] for x in sorted(truth)[:8]}
        print(f"{name:44s} precision@{args.k} {results[name]['precision@k']:.3f}  NDCG@{args.k} {results[name]['ndcg@k']:.3f}")
    out = {"command": "python benchmarks/demo_openers.py " + " ".join(argv if argv is not None else sys.argv[1:]),
           "k": args.k, "min_likers": args.min_likers, "matched": len(set(ml.values())), "scored": len(truth),
           "results": results, "examples": examples,
           "truth_examples": {catalog[x].title: [catalog[i].title for i in truth[x][:5]] for x in sorted(truth)[:8]}}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
