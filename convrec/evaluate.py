"""The evaluation harness: one command per protocol, several systems side by side.

    python -m convrec.evaluate redial    --data-dir DIR --system popularity,retrieval --out OUT [--limit N]
    python -m convrec.evaluate simulate  --data-dir DIR --system retrieval --out OUT [--limit N]
    python -m convrec.evaluate movielens --data-dir DIR --system popularity --out OUT [--limit N]
    python -m convrec.evaluate script tests/dialogues --system retrieval

Each run writes ``OUT/<system>/metrics.json``, ``OUT/report.md`` (table, command, git commit,
wall time) and ``OUT/recall_at_k.png``. ``script`` prints every violation and exits 1 if any.
The protocols live in ``protocols.py`` (ReDial, MovieLens), ``simulator.py`` and ``scripted.py``;
the timed system calls in ``runner.py``; the metrics in ``metrics.py``; the files in ``report.py``.
"""
from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from pathlib import Path

from convrec import config


def system_names(values: list[str] | None) -> list[str]:
    """``--system a,b --system c`` -> ``[a, b, c]`` (order kept, repeats dropped)."""
    names = [n.strip() for v in (values or []) for n in v.split(",") if n.strip()]
    return list(dict.fromkeys(names)) or ["popularity"]


INDEX_FREE = {"popularity"}  # systems that never touch the semantic index: skip embedding the catalog


def load_systems(names: list[str], catalog, data_dir) -> dict:
    """Build the shared context once and every named system on it (``convrec.systems``)."""
    from convrec.systems import build_context, load_system

    ctx = build_context(catalog, data_dir=data_dir, use_index=not set(names) <= INDEX_FREE)
    return {name: load_system(name, ctx) for name in names}


def _out(args) -> Path:
    return Path(args.out) if args.out else config.sub("eval") / args.command


def _write_rows(out: Path, logs: dict) -> None:
    for name, log in logs.items():
        (out / name).mkdir(parents=True, exist_ok=True)
        with (out / name / "ranks.jsonl").open("w", encoding="utf-8") as f:
            for row in log.rows:
                f.write(json.dumps(row) + "\n")


def cmd_redial(args, argv) -> int:
    from convrec import protocols, runner
    from convrec.catalog_sources import load_redial

    t0 = time.perf_counter()
    data = config.data_dir(args.data_dir, required=True)
    catalog = load_redial(data)
    path = Path(args.dialogues) if args.dialogues else data / "redial" / "test_data.jsonl"
    dialogues = protocols.read_dialogues(path, catalog, limit=args.limit)
    systems = load_systems(system_names(args.system), catalog, data)
    logs = runner.run_redial(systems, dialogues, catalog, k=args.k, cand_k=args.cand_k,
                                tracker_text=args.tracker_text, progress=not args.no_progress,
                                shortcut=not args.no_shortcut)
    results = {n: runner.redial_metrics(log, catalog, len(dialogues)) for n, log in logs.items()}
    for m in results.values():
        m["config"] = {"dialogues": str(path), "k": args.k, "cand_k": args.cand_k, "tracker_text": args.tracker_text,
                       "limit": args.limit, "shortcut": not args.no_shortcut}
    out = _out(args)
    _write_rows(out, logs)
    return _finish(out, "redial", results, argv, t0)


def cmd_simulate(args, argv) -> int:
    from tqdm import tqdm

    from convrec import protocols, simulator
    from convrec.catalog_sources import load_redial

    t0 = time.perf_counter()
    data = config.data_dir(args.data_dir, required=True)
    catalog = load_redial(data)
    path = Path(args.dialogues) if args.dialogues else data / "redial" / "test_data.jsonl"
    dialogues = protocols.read_dialogues(path, catalog, limit=args.limit)
    systems = load_systems(system_names(args.system), catalog, data)
    jobs = [(d, t) for d in dialogues for t in simulator.targets(d, args.targets)]
    results = {}
    for name, system in systems.items():
        episodes, skipped = [], 0
        for d, target in tqdm(jobs, desc=f"simulate {name}", unit="target", disable=args.no_progress):
            ep = simulator.simulate(d, target, catalog, system, max_rounds=args.max_rounds)
            skipped += ep is None
            episodes += [ep] if ep else []
        results[name] = simulator.simulation_metrics(episodes, len(dialogues), skipped)
        out = _out(args) / name
        out.mkdir(parents=True, exist_ok=True)
        with (out / "episodes.jsonl").open("w", encoding="utf-8") as f:
            for ep in episodes:
                f.write(json.dumps({"dialogue": ep.dialogue_id, "target": ep.target, "utterances": ep.utterances,
                                    "questions": ep.questions, "success_round": ep.success_round}) + "\n")
    return _finish(_out(args), "simulate", results, argv, t0)


def cmd_movielens(args, argv) -> int:
    from convrec import protocols, runner
    from convrec.catalog_sources import load_movielens

    t0 = time.perf_counter()
    data = config.data_dir(args.data_dir, required=True)
    catalog = load_movielens(data)
    samples = protocols.movielens_samples(protocols.read_ratings(data), split=args.split, limit=args.limit)
    systems = load_systems(system_names(args.system), catalog, data)
    logs = runner.run_movielens(systems, samples, catalog, k=args.k, progress=not args.no_progress)
    results = {n: runner.movielens_metrics(log, catalog) for n, log in logs.items()}
    out = _out(args)
    _write_rows(out, logs)
    return _finish(out, "movielens", results, argv, t0)


def cmd_script(args, argv) -> int:
    from convrec import scripted
    from convrec.catalog import load_catalog

    t0 = time.perf_counter()
    dialogues = scripted.load_scripts(args.path)
    data = config.data_dir(args.data_dir)
    catalog = load_catalog(args.catalog, data_dir=data, path=args.catalog_path)
    systems = load_systems(system_names(args.system), catalog, data)
    results, failed = {}, False
    for name, system in systems.items():
        res = scripted.run_scripts(dialogues, catalog, system)
        for v in res.violations:
            print(f"[{name}] VIOLATION {v}")
        print(f"[{name}] {res.n_dialogues} dialogues, {res.n_turns} turns, {res.n_checks} checks, "
              f"{len(res.violations)} violations")
        failed |= bool(res.violations)
        results[name] = {"n_dialogues": res.n_dialogues, "n_turns": res.n_turns, "n_checks": res.n_checks,
                         "n_violations": len(res.violations), "violations": [str(v) for v in res.violations]}
    _finish(_out(args), "script", results, argv, t0, quiet=True)
    return 1 if failed else 0


def _finish(out: Path, protocol: str, results: dict, argv, t0: float, quiet: bool = False) -> int:
    from convrec import report

    command = "python -m convrec.evaluate " + shlex.join(argv)
    path = report.write_run(out, protocol, results, command, time.perf_counter() - t0)
    if not quiet:
        print(path.read_text(encoding="utf-8"))
    print(f"wrote {path}")
    return 0


def make_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m convrec.evaluate", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp, limit_help: str):
        sp.add_argument("--data-dir", help="data directory (default: $CONVREC_DATA_DIR)")
        sp.add_argument("--system", action="append", help="system names, comma-separated and/or repeated "
                        "(default: popularity)")
        sp.add_argument("--out", help="output folder (default: CONVREC_HOME/eval/<command>)")
        sp.add_argument("--no-progress", action="store_true", help="hide the progress bar")
        if limit_help:
            sp.add_argument("--limit", type=int, help=limit_help)

    r = sub.add_parser("redial", help="ReDial recommendation protocol (standard and dedup)")
    common(r, "evaluate only the first N dialogues")
    r.add_argument("--dialogues", help="ReDial-format JSONL (default: DATA/redial/test_data.jsonl)")
    r.add_argument("--k", type=int, default=50, help="list length asked of each system (Recall@50 needs 50)")
    r.add_argument("--cand-k", type=int, default=200, help="candidate list length for systems with candidates()")
    r.add_argument("--no-shortcut", action="store_true",
                   help="always call recommend() even when it equals the candidates' prefix (see runner.call_system)")
    r.add_argument("--tracker-text", choices=("raw", "rendered"), default="raw",
                   help="text given to the preference tracker: raw '@id' mentions or rendered titles")

    s = sub.add_parser("simulate", help="deterministic iEvaLM-style user simulator")
    common(s, "simulate only the first N dialogues")
    s.add_argument("--dialogues", help="ReDial-format JSONL (default: DATA/redial/test_data.jsonl)")
    s.add_argument("--targets", choices=("first", "all"), default="first",
                   help="hidden targets per dialogue: the first dedup ground truth or all of them")
    s.add_argument("--max-rounds", type=int, default=5, help="user utterances per simulated conversation")

    m = sub.add_parser("movielens", help="GenRec leave-one-out protocol on ml-latest-small")
    common(m, "evaluate only the first N users")
    m.add_argument("--split", choices=("test", "valid"), default="test", help="held-out item: last or second-to-last")
    m.add_argument("--k", type=int, default=50, help="list length asked of each system")

    c = sub.add_parser("script", help="scripted dialogues with expectations; exit 1 on any violation")
    common(c, "")
    c.add_argument("path", help="a YAML/JSONL file or a folder of them")
    c.add_argument("--catalog", default="demo", choices=("demo", "redial", "movielens", "file"),
                   help="catalog the dialogues run against")
    c.add_argument("--catalog-path", help="catalog file for --catalog file")
    return p


def main(argv: list[str] | None = None) -> int:
    config.offline_env()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = make_parser().parse_args(argv)
    handler = {"redial": cmd_redial, "simulate": cmd_simulate, "movielens": cmd_movielens, "script": cmd_script}
    try:
        return handler[args.command](args, argv)
    except (FileNotFoundError, ValueError) as e:  # bad paths, unreadable files, unknown systems
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
