"""Can a general popularity prior find the targets the training dialogues never mention? (prints and writes JSON)

About a fifth of the validation dedup targets (the titles recommenders newly name in the latest 338 of our
2,256 ReDial training dialogues) are never mentioned in the other 1,918, so the co-mention, popularity and
learned signals cannot find them. This ranks those "cold" targets among all never-mentioned catalog items by
two priors that do not come from ReDial: MovieLens ml-latest-small rating counts (through IMDb ids) and TMDB
vote counts (``overviews/tmdb_5000_movies.csv``, through MovieLens links or title and year). Validation only;
the test split is never read.

    python benchmarks/cold_targets.py --data-dir ../shared/data --out benchmarks/results/cold_targets.json
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

VALID_FRACTION = 0.15  # the learned retriever's validation split (convrec.train_retriever)


def movielens_counts(root: Path) -> tuple[dict[str, int], dict[str, str]]:
    """IMDb id -> MovieLens rating count, and IMDb id -> TMDB id."""
    ml = root / "movielens" / "ml-latest-small"
    ratings = Counter(r["movieId"] for r in csv.DictReader((ml / "ratings.csv").open(encoding="utf-8")))
    counts, tmdb = {}, {}
    for r in csv.DictReader((ml / "links.csv").open(encoding="utf-8")):
        counts["tt" + r["imdbId"]] = ratings.get(r["movieId"], 0)
        tmdb["tt" + r["imdbId"]] = r["tmdbId"]
    return counts, tmdb


def tmdb_votes(root: Path) -> tuple[dict[str, float], dict[tuple[str, str], float]]:
    """TMDB id -> vote count, and (lower title, year) -> vote count."""
    by_id, by_title = {}, {}
    with (root / "overviews" / "tmdb_5000_movies.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            by_id[r["id"]] = float(r["vote_count"] or 0)
            by_title[(r["title"].lower(), r["release_date"][:4])] = float(r["vote_count"] or 0)
    return by_id, by_title


def cold_ranks(prior: np.ndarray, mentions: np.ndarray, targets: np.ndarray) -> dict:
    """Where the never-mentioned targets rank among all never-mentioned items by ``prior``."""
    pool = np.flatnonzero(mentions == 0)
    order = pool[np.argsort(-prior[pool], kind="stable")]
    rank = {int(r): k for k, r in enumerate(order)}
    cold = [rank[int(t)] for t in targets if mentions[t] == 0]
    ranks = np.array(cold)
    return {"cold_targets": len(cold), "pool": int(pool.size), "median_rank": float(np.median(ranks)),
            "top100": round(float((ranks < 100).mean()), 3), "top500": round(float((ranks < 500).mean()), 3),
            "with_prior": round(float((prior[[t for t in targets if mentions[t] == 0]] > 0).mean()), 3)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", required=True, help="data directory (redial/, movielens/, overviews/)")
    p.add_argument("--out", default="benchmarks/results/cold_targets.json", help="JSON output file")
    args = p.parse_args(argv)
    from convrec.catalog_sources import load_redial
    from convrec.collab import read_dialogues, training_dialogues_path
    from convrec.retriever_data import split_latest

    root = Path(args.data_dir)
    catalog = load_redial(root)
    row = {it.id: n for n, it in enumerate(catalog)}
    train, valid = split_latest(read_dialogues(training_dialogues_path(root)), VALID_FRACTION)
    mentions = np.zeros(len(catalog))
    for d in train:
        for m in d["messages"]:
            for i in re.findall(r"@(\d+)", m["text"]):
                if i in row:
                    mentions[row[i]] += 1
    targets = []
    for d in valid:  # dedup targets: titles a recommender turn names for the first time in the dialogue
        said: set[str] = set()
        for m in d["messages"]:
            ids = re.findall(r"@(\d+)", m["text"])
            if m["senderWorkerId"] == d["respondentWorkerId"]:
                targets += [row[i] for i in dict.fromkeys(ids) if i not in said and i in row]
            said.update(ids)
    targets = np.array(targets)
    counts, tmdb_of = movielens_counts(root)
    votes_by_id, votes_by_title = tmdb_votes(root)
    ml, tv = np.zeros(len(catalog)), np.zeros(len(catalog))
    for n, it in enumerate(catalog):
        imdb = it.source_ids.get("imdb", "")
        ml[n] = counts.get(imdb, 0)
        tv[n] = votes_by_id.get(tmdb_of.get(imdb, ""), votes_by_title.get((it.title.lower(), str(it.year)), 0))
    out = {"command": "python benchmarks/cold_targets.py --data-dir DATA", "train_dialogues": len(train),
           "valid_dialogues": len(valid), "valid_dedup_targets": int(targets.size),
           "cold_share": round(float((mentions[targets] == 0).mean()), 3),
           "movielens_ratings": cold_ranks(ml, mentions, targets), "tmdb_votes": cold_ranks(tv, mentions, targets)}
    print(json.dumps(out, indent=1))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
