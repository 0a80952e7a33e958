"""Write an evaluation run to disk: ``OUT/<system>/metrics.json``, ``OUT/report.md``,
``OUT/recall_at_k.png`` (matplotlib, Agg backend: no display needed).

The report carries the exact command, the git commit and the wall time, and for the
``redial`` protocol the published anchors beside our numbers.
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

from convrec import config

# Published ReDial test figures (Recall@1/10/50); None = not published.
ANCHORS = {
    "UniCRS": {"standard": (0.051, 0.224, 0.428), "dedup": (0.024, 0.180, 0.335)},
    "ReFICR (GritLM-7B)": {"standard": (0.061, 0.305, 0.532), "dedup": (0.018, 0.213, 0.465)},
    "KBRD": {"standard": (0.031, 0.150, 0.336), "dedup": None},
}
TRAINING_NOTE = ("Our training data is the partial ReDial train split in the data directory "
                 "(2,256 of 10,006 dialogues); the published systems trained on all of it.")


def git_commit() -> str:
    """``HEAD``'s hash, with ``+dirty`` when the checkout has uncommitted changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=config.REPO_ROOT, capture_output=True,
                              text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=config.REPO_ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return (head or "unknown") + ("+dirty" if dirty else "")


def fmt(v, digits: int = 3) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def get(d: dict, dotted: str):
    for part in dotted.split("."):
        if not isinstance(d, dict):
            return None
        d = d.get(part)
    return d


# Columns per protocol: (header, dotted key in metrics.json).
COLUMNS = {
    "redial": [("R@1", "standard.recall@1"), ("R@10", "standard.recall@10"), ("R@50", "standard.recall@50"),
               ("NDCG@10", "standard.ndcg@10"), ("MRR", "standard.mrr"),
               ("dedup R@1", "dedup.recall@1"), ("dedup R@10", "dedup.recall@10"), ("dedup R@50", "dedup.recall@50"),
               ("dedup NDCG@10", "dedup.ndcg@10"), ("dedup MRR", "dedup.mrr"),
               ("out-of-catalog", "out_of_catalog_rate"), ("re-rec", "rerecommend_rate"),
               ("p50 s", "latency_s.p50"), ("p95 s", "latency_s.p95"), ("dialogues", "n_dialogues"),
               ("samples", "n_samples"), ("dedup samples", "n_samples_dedup")],
    "simulate": [("R@1", "recall@1"), ("R@10", "recall@10"), ("R@50", "recall@50"), ("success", "success_rate"),
                 ("mean rounds", "mean_rounds"), ("p50 s", "latency_s.p50"), ("p95 s", "latency_s.p95"),
                 ("dialogues", "n_dialogues"), ("targets", "n_samples"), ("skipped", "n_skipped")],
    "movielens": [("HR@5", "hr@5"), ("HR@10", "hr@10"), ("NDCG@5", "ndcg@5"), ("NDCG@10", "ndcg@10"),
                  ("out-of-catalog", "out_of_catalog_rate"), ("re-rec", "rerecommend_rate"),
                  ("p50 s", "latency_s.p50"), ("p95 s", "latency_s.p95"), ("users", "n_users")],
    "script": [("dialogues", "n_dialogues"), ("turns", "n_turns"), ("checks", "n_checks"),
               ("violations", "n_violations")],
}


def table(protocol: str, results: dict[str, dict]) -> list[str]:
    cols = COLUMNS[protocol]
    lines = ["| system | " + " | ".join(h for h, _ in cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for name, m in results.items():
        lines.append(f"| {name} | " + " | ".join(fmt(get(m, key)) for _, key in cols) + " |")
    return lines


def anchor_table(results: dict[str, dict]) -> list[str]:
    lines = ["| system | R@1 | R@10 | R@50 | dedup R@1 | dedup R@10 | dedup R@50 |", "|---|---|---|---|---|---|---|"]
    for name, m in results.items():
        vals = [get(m, f"{p}.recall@{k}") for p in ("standard", "dedup") for k in (1, 10, 50)]
        lines.append(f"| **{name}** (ours) | " + " | ".join(fmt(v) for v in vals) + " |")
    for name, a in ANCHORS.items():
        vals = [*(a["standard"] or (None,) * 3), *(a["dedup"] or (None,) * 3)]
        lines.append(f"| {name} (published) | " + " | ".join(fmt(v) for v in vals) + " |")
    return lines


def candidate_table(results: dict[str, dict]) -> list[str]:
    rows = {n: m["candidates"] for n, m in results.items() if m.get("candidates")}
    if not rows:
        return []
    ks = sorted({int(k.split("@")[1]) for c in rows.values() for k in c.get("standard", {})})
    head = [f"R@{k}" for k in ks] + [f"dedup R@{k}" for k in ks] + ["p50 s", "lists from candidates()"]
    lines = ["| system | " + " | ".join(head) + " |", "|---" * (len(head) + 1) + "|"]
    for name, c in rows.items():
        vals = [c["standard"].get(f"recall@{k}") for k in ks] + [c["dedup"].get(f"recall@{k}") for k in ks]
        vals += [get(c, "latency_s.p50"), c.get("lists_from_candidates")]
        lines.append(f"| {name} | " + " | ".join(fmt(v) for v in vals) + " |")
    return lines


def plot_recall(results: dict[str, dict], path: Path, protocol: str) -> Path | None:
    """Recall@k curves (``recall_at_k`` in each metrics dict), one line per system, one panel per split."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    splits = list(dict.fromkeys(s for m in results.values() for s in (m.get("recall_at_k") or {})))
    if not splits:
        return None
    fig, axes = plt.subplots(1, len(splits), figsize=(6 * len(splits), 4.5), squeeze=False)
    for ax, split in zip(axes[0], splits):
        for name, m in results.items():
            curve = (m.get("recall_at_k") or {}).get(split)
            if curve:
                ax.plot(range(1, len(curve) + 1), [c or 0.0 for c in curve], label=name)
        if protocol == "redial":
            for j, (aname, a) in enumerate(ANCHORS.items()):
                if a.get(split):
                    ax.plot([1, 10, 50], a[split], linestyle="none", marker="osd"[j % 3], label=f"{aname} (published)")
        ax.set_title(f"{protocol}: {split}")
        ax.set_xlabel("k")
        ax.set_ylabel("HR@k" if protocol == "movielens" else "Recall@k")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def write_run(out: Path, protocol: str, results: dict[str, dict], command: str, wall_s: float,
              extra: list[str] | None = None) -> Path:
    """Write every ``metrics.json``, ``report.md`` and the plot; return the report path."""
    out.mkdir(parents=True, exist_ok=True)
    for name, m in results.items():
        (out / name).mkdir(parents=True, exist_ok=True)
        (out / name / "metrics.json").write_text(json.dumps(m, indent=2) + "\n", encoding="utf-8")
    plot = plot_recall(results, out / "recall_at_k.png", protocol)
    lines = [f"# convrec evaluation: {protocol}", "",
             f"- command: `{command}`", f"- git commit: `{git_commit()}`", f"- wall time: {wall_s:.1f} s", ""]
    lines += ["## Results", "", *table(protocol, results), ""]
    if protocol == "redial":
        lines += ["## Beside the published systems (ReDial test)", "", *anchor_table(results), "", TRAINING_NOTE, ""]
        cand = candidate_table(results)
        if cand:
            lines += ["## Candidate recall (before reranking)", "", *cand, "",
                      "When a system's `recommend()` equals the prefix of its `candidates()` (checked on the first "
                      "turns and every 20th turn after), its lists are taken from `candidates()` and its latency is "
                      "that call's (an upper bound); `--no-shortcut` always calls `recommend()`.", ""]
    if plot:
        lines += ["![Recall@k](recall_at_k.png)", ""]
    lines += extra or []
    report = out / "report.md"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return report
