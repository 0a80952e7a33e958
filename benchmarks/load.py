"""Load test of the Gradio app: N concurrent gradio_client users, each chatting M turns.

Starts ``python app.py`` on a free loopback port (or uses ``--url``), runs the users in
threads from a common start, and reports errors (must be 0) and per-turn latency
p50/p95. Each user's final state is checked: it must hold exactly its own messages.

Run:   python benchmarks/load.py --system retrieval --out benchmarks/results/load.json
       python benchmarks/load.py --url http://127.0.0.1:7860/ --users 8 --turns 5
Only loopback URLs are accepted: this is a test of a server you run here.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parent.parent
MESSAGES = [  # cycled per user (offset by the user's number) so users ask different things
    "I loved Alien and The Thing",
    "Something funny for a night with friends",
    "I like Christopher Nolan films",
    "Animated films for the whole family",
    "No horror please, and nothing before 1990",
    "A crime thriller like Heat",
    "The second one sounds good",
    "Something romantic but not too sappy",
]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in [0, 100]) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(round(q / 100 * len(ordered) + 0.5))))
    return ordered[rank - 1]


def run_user(url: str, user: int, turns: int, start: threading.Barrier, latencies: list[float],
             errors: list[str], bar) -> None:
    from gradio_client import Client

    texts = [MESSAGES[(user + t) % len(MESSAGES)] for t in range(turns)]
    try:
        client = Client(url, verbose=False)
        start.wait(timeout=120)
    except Exception as e:
        errors.append(f"user {user}: could not connect ({e})")
        return
    for text in texts:
        t0 = time.perf_counter()
        try:
            messages, textbox, cards, panel = client.predict(text, api_name="/chat")
            if not messages or messages[-1]["role"] != "assistant":
                raise ValueError("no assistant reply")
            latencies.append(time.perf_counter() - t0)
        except Exception as e:  # counted, not raised: the run reports every failure
            errors.append(f"user {user} turn {text!r}: {type(e).__name__}: {e}")
        bar.update(1)
    try:  # isolation: the session must hold exactly this user's messages
        state = json.loads(client.predict(api_name="/state"))
        said = [t["text"] for t in state["turns"] if t["speaker"] == "USER"]
        if said != texts:
            errors.append(f"user {user}: session holds {said}, expected {texts}")
    except Exception as e:
        errors.append(f"user {user}: state check failed ({e})")


def run_load(url: str, users: int, turns: int) -> dict:
    from tqdm import tqdm

    latencies: list[float] = []
    errors: list[str] = []
    start = threading.Barrier(users)
    with tqdm(total=users * turns, desc="turns", unit="turn") as bar:
        t0 = time.perf_counter()
        threads = [threading.Thread(target=run_user, args=(url, u, turns, start, latencies, errors, bar))
                   for u in range(users)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=1800)
        wall = time.perf_counter() - t0
    result = {
        "users": users,
        "turns": turns,
        "requests": users * turns,
        "errors": len(errors),
        "error_messages": errors[:20],
        "latency_s": {
            "p50": round(percentile(latencies, 50), 3) if latencies else None,
            "p95": round(percentile(latencies, 95), 3) if latencies else None,
            "mean": round(statistics.fmean(latencies), 3) if latencies else None,
            "max": round(max(latencies), 3) if latencies else None,
        },
        "wall_s": round(wall, 2),
        "turns_per_s": round(len(latencies) / wall, 2) if wall else None,
    }
    return result


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", default=None, help="a running app on loopback (default: start one on a free port)")
    p.add_argument("--users", type=int, default=8, help="concurrent gradio_client users")
    p.add_argument("--turns", type=int, default=5, help="chat turns per user")
    p.add_argument("--system", default=None, help="CONVREC_SYSTEM for the started app (default: the app's choice)")
    p.add_argument("--catalog", default=None, help="CONVREC_CATALOG for the started app (default: demo)")
    p.add_argument("--out", default=None, help="write the figures as JSON to this file")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    sys.path.insert(0, str(REPO))
    proc = None
    info: dict = {}
    url = args.url
    if url:
        if urlparse(url).hostname not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("--url must be a loopback address (127.0.0.1 / localhost)")
    else:
        import app  # noqa: E402 (the repo root is on the path now)
        from convrec import config

        env = {"CONVREC_HOME": os.environ.get("CONVREC_HOME") or str(config.home())}
        for key, value in (("CONVREC_SYSTEM", args.system), ("CONVREC_CATALOG", args.catalog)):
            if value:
                env[key] = value
        port = app.free_port()
        print(f"starting the app on 127.0.0.1:{port} ...", file=sys.stderr)
        t0 = time.perf_counter()
        proc = app.serve_subprocess(port, env=env)
        info["startup_s"] = round(time.perf_counter() - t0, 1)
        url = f"http://127.0.0.1:{port}/"
        label = [ln for ln in open(proc.log_path, errors="replace") if ln.startswith("convrec: ") and "catalog" in ln]
        info["app"] = label[0].removeprefix("convrec: ").strip() if label else "unknown"
    try:
        result = {**run_load(url, args.users, args.turns), **info, "url": url,
                  "concurrency_limit": int(os.environ.get("CONVREC_CONCURRENCY", "4")), "cpus": os.cpu_count()}
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
    print(json.dumps(result, indent=2))
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
