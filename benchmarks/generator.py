"""Generator latency and explanation grounding on real dialogue turns (prints and writes JSON).

Runs the ``full`` (or ``base``) system on recommender turns of held-out ReDial TRAINING
dialogues (the validation part of the hash split; never the test split) and reports,
per turn, p50/p95 seconds of retrieval, selection (the model scoring the candidates)
and explanation (``n_items`` generated sentences + grounding check), the selection
prompt length in tokens, and the explanation grounding rate, with the rejected sentences
(and why) and the first accepted ones.

    python benchmarks/generator.py --data-dir ../shared/data --turns 30 --out benchmarks/results/generator.json
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", help="data directory (default: $CONVREC_DATA_DIR)")
    p.add_argument("--system", default="full", choices=("base", "full"), help="system to time")
    p.add_argument("--turns", type=int, default=30, help="recommender turns timed")
    p.add_argument("--explain-items", type=int, default=3, help="items explained by the model per turn")
    p.add_argument("--out", default="benchmarks/results/generator.json", help="JSON output file")
    args = p.parse_args(argv)

    import os

    os.environ["CONVREC_EXPLAIN_ITEMS"] = str(args.explain_items)
    from tqdm import tqdm

    from convrec import collab, config
    from convrec.catalog_sources import load_redial
    from convrec.generator import recommend_prompt, select_prompt
    from convrec.metrics import percentile
    from convrec.protocols import iter_states, parse_dialogue
    from convrec.systems import build_context, load_system

    config.offline_env()
    data = config.data_dir(args.data_dir, required=True)
    catalog = load_redial(data)
    _, valid = collab.split_train_valid(collab.read_dialogues(collab.training_dialogues_path(data)))
    states = []
    for d in valid:
        for _, state in iter_states(parse_dialogue(d, catalog), catalog):
            states.append(state)
        if len(states) >= args.turns:
            break
    states = states[: args.turns]
    ctx = build_context(catalog, data)
    t0 = time.perf_counter()
    system = load_system(args.system, ctx)
    load_s = time.perf_counter() - t0
    tokens = []
    for state in tqdm(states, desc=f"{args.system} turns", unit="turn"):
        system.recommend(state, k=10)
        cands = [c.item_id for c in system.candidates(state, k=system.generator.cfg.top_k)]
        cfg = system.generator.cfg
        prompt = recommend_prompt(state, catalog, cfg) if cfg.selection == "titles" else \
            select_prompt(state, [catalog[i] for i in cands], catalog, cfg)
        tokens.append(len(system.generator.backend.encode(prompt)))
    out = {"system": args.system, "turns": len(states), "explain_items": args.explain_items,
           "model_load_s": round(load_s, 2), "grounding_rate": system.grounding_rate,
           "explanations_generated": system.explainer.stats["generated"],
           "first_try_rate": system.explainer.stats["first_try"] / max(1, system.explainer.stats["generated"]),
           "retried": system.explainer.stats["retried"],
           "rejected_examples": system.explainer.failures[:20],
           "rescued_examples": system.explainer.rescued[:20],
           "accepted_examples": system.explainer.passed[:20],
           "prompt_tokens_p50": percentile(tokens, 50), "prompt_tokens_max": max(tokens) if tokens else None}
    for stage, values in system.timings.items():
        out[f"{stage}_s"] = {"p50": percentile(values, 50), "p95": percentile(values, 95)}
    print(json.dumps(out, indent=1))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
