"""Training entry point: ``python -m convrec.train {generator,retriever,tracker} [options]``.

    python -m convrec.train generator --data-dir ../shared/data --out models/generator-lora
    python -m convrec.train retriever --data-dir ../shared/data
    python -m convrec.train tracker --data-dir ../shared/data
    python -m convrec.train generator --help

A thin dispatcher: each trainer lives in its own module (``convrec.train_generator``,
``convrec.train_retriever``, ``convrec.train_tracker``) and is imported only when asked for.
"""
from __future__ import annotations

import importlib
import sys

TRAINERS = {  # subcommand -> (module, one-line description)
    "generator": ("convrec.train_generator", "LoRA fine-tuning of the LLaMA generator (grounded selection)"),
    "retriever": ("convrec.train_retriever", "learned retrieval model, fusion weights and second-stage reranker"),
    "tracker": ("convrec.train_tracker", "the preference tracker's learned part (hashed n-gram logistic regression)"),
}


def usage() -> str:
    lines = ["usage: python -m convrec.train {" + ",".join(TRAINERS) + "} [options]", "", "trainers:"]
    lines += [f"  {name:10s} {desc}" for name, (_, desc) in TRAINERS.items()]
    lines.append("\n`python -m convrec.train NAME --help` lists the options of a trainer.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(usage())
        return 0 if argv else 2
    name, rest = argv[0], argv[1:]
    if name not in TRAINERS:
        print(f"unknown trainer {name!r}\n\n{usage()}", file=sys.stderr)
        return 2
    module = importlib.import_module(TRAINERS[name][0])
    return int(module.main(rest) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
