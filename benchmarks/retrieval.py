"""Retrieval benchmark: index build time for the ReDial catalog, query latency, peak memory.

Builds the index from scratch in a temporary CONVREC_HOME (so nothing cached is reused),
then times ``Retriever.retrieve(state, k=50)`` with filters over ~200 dialogue states made
from ReDial TRAINING dialogues (query embedding included). Prints and writes JSON.

Run:  python benchmarks/retrieval.py --data-dir ../shared/data --out benchmarks/results/retrieval.json
Targets on a 2-core laptop: build <= 90 s, query p50 <= 40 ms.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without installing


def make_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data-dir", help="data directory (default: $CONVREC_DATA_DIR)")
    p.add_argument("--out", default="benchmarks/results/retrieval.json", help="JSON file to write")
    p.add_argument("--queries", type=int, default=200, help="number of timed queries")
    p.add_argument("--k", type=int, default=50, help="candidates per query")
    p.add_argument("--seed", type=int, default=0, help="random seed for the query states")
    p.add_argument("--keep", action="store_true", help="keep the temporary CONVREC_HOME (default: delete it)")
    return p


def query_states(catalog, dialogues, n: int, seed: int):
    """Dialogue states from training dialogues: context before a recommender turn, plus random filters."""
    from convrec.state import SYSTEM, USER, DialogueState, Preferences, Turn

    rng = random.Random(seed)
    genres = catalog.genres()[:12]
    states = []
    for d in rng.sample(dialogues, min(n, len(dialogues))):
        msgs = d["messages"]
        cut = rng.randint(1, max(1, len(msgs) - 1))
        turns = []
        for m in msgs[:cut]:
            ids = [i for i in re.findall(r"@(\d+)", m["text"]) if i in catalog]
            text = re.sub(r"@(\d+)", lambda x: catalog[x.group(1)].label if x.group(1) in catalog else "a movie", m["text"])
            speaker = USER if m["senderWorkerId"] == d["initiatorWorkerId"] else SYSTEM
            turns.append(Turn(speaker, text, items=ids))
        seen = [i for t in turns if t.speaker == USER for i in t.items]
        prefs = Preferences(seen=seen, year_min=rng.choice([None, 1980, 1990, 2000]),
                            disliked_genres=rng.sample(genres, rng.randint(0, 2)),
                            liked_genres=rng.sample(genres, rng.randint(0, 1)))
        states.append(DialogueState(turns=turns, preferences=prefs))
    return states


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    load_start = round(os.getloadavg()[0], 2)  # the machine may be shared: say how busy it was
    home = tempfile.mkdtemp(prefix="convrec-bench-")
    os.environ["CONVREC_HOME"] = home  # a fresh build: nothing cached is reused
    from convrec import config

    config.offline_env()
    from convrec.catalog_sources import load_redial
    from convrec.collab import build_signals, read_dialogues, training_dialogues_path
    from convrec.index import WORKERS, build_index, embedder_id, local_embeddings
    from convrec.retrieval import Retriever, load_config

    data = config.data_dir(args.data_dir, required=True)
    catalog = load_redial(data)
    t0 = time.perf_counter()
    embeddings = local_embeddings()
    model_s = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    index = build_index(catalog, embeddings, force=True)
    build_s, build_cpu_s = time.perf_counter() - t0, time.process_time() - c0
    t0 = time.perf_counter()
    signals = build_signals(catalog, data)
    retriever = Retriever(index, catalog, signals, load_config(), embeddings)
    setup_s = time.perf_counter() - t0

    states = query_states(catalog, read_dialogues(training_dialogues_path(data)), args.queries, args.seed)
    for s in states[:5]:  # warm-up: first calls allocate
        retriever.retrieve(s, k=args.k)
    times = []
    for s in states:
        t = time.perf_counter()
        got = retriever.retrieve(s, k=args.k)
        times.append(time.perf_counter() - t)
        assert not {c.item_id for c in got} & s.preferences.excluded()
    import torch

    result = {
        "catalog_items": len(catalog),
        "embedder": embedder_id(embeddings),  # model path, @bfloat16 when the CPU embeds in bfloat16
        "build_workers": WORKERS,  # embedding threads, one torch thread each
        "build_s": round(build_s, 2),
        "build_cpu_s": round(build_cpu_s, 2),  # CPU seconds over all threads (wall time depends on load)
        "model_load_s": round(model_s, 2),
        "signals_and_retriever_s": round(setup_s, 2),
        "queries": len(times), "k": args.k,
        "query_ms": {"p50": round(1000 * percentile(times, 50), 2), "p95": round(1000 * percentile(times, 95), 2),
                     "mean": round(1000 * sum(times) / len(times), 2)},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "targets": {"build_s": 90, "query_p50_ms": 40},
        "machine": {"cpus": os.cpu_count(), "load_avg_1m_at_start": load_start,
                    "load_avg_1m_at_end": round(os.getloadavg()[0], 2),
                    "torch_threads": torch.get_num_threads()},
        "convrec_home": home,
    }
    print(json.dumps(result, indent=1))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {out}")
    if not args.keep:
        shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
