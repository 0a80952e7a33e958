"""Learning curve of retrieval: validation candidate recall against the number of training dialogues.

The data directory holds 2,256 of ReDial's 10,006 training dialogues (see its SOURCES.md). This
script measures how much the retrieval stack gains from more of them, to judge what the full split
would give: the validation dialogues stay fixed (the latest 15%, as in ``convrec.train_retriever``),
and for each share of the remaining training dialogues (random subsets by dialogue, several seeds)
it trains the two-tower model, builds the co-mention and popularity signals from that subset only,
fits the rank-fusion weights on validation, and records the fused candidate recall (dedup; the
second-stage reranker is left out). A fit of recall against log(dialogues) is extrapolated to
the full split. Prints, writes JSON and a plot.

Run:  python benchmarks/learning_curve.py --data-dir ../shared/data --out benchmarks/results/learning_curve.json
(~25 min on 2 cores once the ReDial index and context vectors are cached under CONVREC_HOME)
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without installing

FULL_TRAIN = 10_006  # official ReDial train split (ReDialData/website _config.yml)
KS = (10, 50, 100)  # dedup recall cut-offs on the fused candidate list


def make_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data-dir", help="data directory (default: $CONVREC_DATA_DIR)")
    p.add_argument("--out", default="benchmarks/results/learning_curve.json", help="JSON file to write (and .png)")
    p.add_argument("--fractions", default="0.125,0.25,0.5,0.75,1.0", help="shares of the training part")
    p.add_argument("--seeds", type=int, default=2, help="random subsets per share below 1")
    p.add_argument("--limit", type=int, default=None, help="only the first N training dialogues (baby runs)")
    p.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    return p


def subset_samples(samples, vectors: np.ndarray, ids: set[str]):
    keep = [n for n, s in enumerate(samples) if s.dialogue_id in ids]
    return [samples[n] for n in keep], vectors[np.array(keep, dtype=np.int64)]


def measure(train_d, train, train_vec, valid, valid_vec, ctx, seed: int) -> dict:
    """Train on ``train_d`` only and return validation dedup recall of the fitted rank fusion."""
    from convrec import collab
    from convrec.learned import LearnedSignal, load_model, save_model
    from convrec.learned_fusion import fit_weights, fused_ranks, signal_matrix
    from convrec.retrieval import RetrievalConfig, Retriever
    from convrec.learned_steps import recall_table
    from convrec.train_retriever import TrainConfig, train_model

    t0 = time.perf_counter()
    tc = TrainConfig(seed=seed, progress=False)
    module, history = train_model(train, train_vec, valid, valid_vec, ctx["vectors"], tc, log=lambda *_: None)
    with tempfile.TemporaryDirectory() as tmp:
        save_model(module, tc.model, ctx["catalog"], Path(tmp), {})
        model = load_model(ctx["catalog"], ctx["vectors"], tmp)
    signals = collab.build_signals(ctx["catalog"], ctx["data"], dialogues=train_d, use_cache=False)
    retriever = Retriever(ctx["vectors"], ctx["catalog"], signals, RetrievalConfig(fusion="rank"),
                          ctx["embeddings"], [LearnedSignal(model)])
    mats, masks, _ = signal_matrix(retriever, valid, valid_vec)
    weights, _ = fit_weights({name: 1.0 for name in mats}, mats, masks, valid, log=lambda *_: None)
    fused = recall_table(*fused_ranks(weights, mats, masks, valid), ks=KS)["dedup"]
    learned = recall_table(*fused_ranks({"learned": 1.0}, mats, masks, valid), ks=KS)["dedup"]
    return {"dialogues": len(train_d), "seed": seed, "fused": fused, "learned_only": learned,
            "epochs": max(history, key=lambda h: h["valid"]["dedup"]["recall@50"] + h["valid"]["dedup"]["recall@100"])["epoch"],
            "weights": weights, "seconds": round(time.perf_counter() - t0, 1)}


def log_fit(points: list[dict], key: str, k: int, last: int | None = None) -> dict:
    """Least squares recall = a + b ln(dialogues), over the mean of each share (``last``: only the
    largest shares, to see whether the curve flattens)."""
    by_n: dict[int, list[float]] = {}
    for p in points:
        by_n.setdefault(p["dialogues"], []).append(p[key][f"recall@{k}"])
    n = np.array(sorted(by_n)[-last:] if last else sorted(by_n), dtype=float)
    y = np.array([np.mean(by_n[int(x)]) for x in n])
    b, a = np.polyfit(np.log(n), y, 1)
    return {"a": round(float(a), 4), "b_per_ln": round(float(b), 4), "points": {int(x): round(float(v), 4) for x, v in zip(n, y)}}


def extrapolate(fit: dict, n: float) -> float:
    return round(fit["a"] + fit["b_per_ln"] * float(np.log(n)), 4)


def plot(result: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 4))
    xs = np.geomspace(min(p["dialogues"] for p in result["runs"]), result["full_train_part"], 50)
    for k, colour in zip(KS, ("tab:blue", "tab:orange", "tab:green")):
        pts = result["runs"]
        ax.scatter([p["dialogues"] for p in pts], [p["fused"][f"recall@{k}"] for p in pts], color=colour, s=14)
        f = result["fits"][f"fused_recall@{k}"]
        ax.plot(xs, f["a"] + f["b_per_ln"] * np.log(xs), color=colour, ls="--", label=f"dedup R@{k} (fit)")
    ax.axvline(result["full_train_part"], color="grey", lw=0.8)
    ax.set_xscale("log")
    ax.set_xlabel("training dialogues (validation fixed: 338 dialogues)")
    ax.set_ylabel("validation candidate recall (fused)")
    ax.set_title("Retrieval learning curve; grey: the full ReDial train part")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    import torch
    from tqdm import tqdm

    from convrec import collab, config
    from convrec.catalog_sources import load_redial
    from convrec.index import local_embeddings, open_index
    from convrec.learned import ModelConfig
    from convrec.retriever_data import assert_disjoint, embed_texts, make_samples, split_latest, test_ids

    config.offline_env()
    torch.set_num_threads(args.threads)
    data = config.data_dir(args.data_dir, required=True)
    catalog = load_redial(data)
    path = collab.training_dialogues_path(data)
    dialogues = collab.read_dialogues(path)[: args.limit] if args.limit else collab.read_dialogues(path)
    assert_disjoint((d.get("conversationId") for d in dialogues), test_ids(data))
    train_d, valid_d = split_latest(dialogues, 0.15)
    embeddings = local_embeddings()
    vectors = open_index(catalog, embeddings, build=True, progress=True).vectors(catalog)
    train = make_samples(train_d, catalog, ModelConfig(), progress=True)
    valid = make_samples(valid_d, catalog, ModelConfig(), keep_state=True, progress=True)
    train_vec = embed_texts([s.text for s in train], embeddings, progress=True)
    valid_vec = embed_texts([s.text for s in valid], embeddings, progress=True)
    ctx = {"catalog": catalog, "vectors": vectors, "embeddings": embeddings, "data": data}
    jobs = []
    for f in (float(x) for x in args.fractions.split(",")):
        for seed in range(args.seeds if f < 1 else 1):
            jobs.append((f, seed))
    runs = []
    for f, seed in tqdm(jobs, desc="learning curve", unit="run"):
        chosen = random.Random(seed).sample(train_d, max(1, round(f * len(train_d))))
        ids = {str(d.get("conversationId")) for d in chosen}
        sub, sub_vec = subset_samples(train, train_vec, ids)
        run = measure(chosen, sub, sub_vec, valid, valid_vec, ctx, seed)
        run["fraction"] = f
        runs.append(run)
        print(json.dumps({k: run[k] for k in ("dialogues", "seed", "fused", "learned_only", "seconds")}), flush=True)
    full_part = round(FULL_TRAIN * len(train_d) / len(dialogues))  # the same 85/15 split of the full set
    fits = {f"{key}_recall@{k}": log_fit(runs, key, k) for key in ("fused", "learned_only") for k in KS}
    fits.update({f"fused_recall@{k}_largest3": log_fit(runs, "fused", k, last=3) for k in KS})
    result = {"command": "python benchmarks/learning_curve.py " + " ".join(argv if argv is not None else sys.argv[1:]),
              "train_dialogues_available": len(train_d), "valid_dialogues": len(valid_d),
              "full_train_part": full_part, "runs": runs, "fits": fits,
              "extrapolated": {name: {"available": extrapolate(fit, len(train_d)), "full": extrapolate(fit, full_part)}
                               for name, fit in fits.items()}}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1))
    plot(result, out.with_suffix(".png"))
    print(json.dumps(result["extrapolated"], indent=1))
    print(f"wrote {out} and {out.with_suffix('.png')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
