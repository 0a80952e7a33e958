"""Train the tracker's learned part (``convrec.tracker_model``) on ReDial training dialogues.

    python -m convrec.train tracker --data-dir ../shared/data            # writes models/tracker/

1. The rules track every ``train_subset`` dialogue (the evaluation's own loop,
   ``preference_eval.track_dialogue``); a recorder sees every title each seeker turn touches.
2. Each (turn, title) is a sample labelled with the seeker's answers for that title
   (``initiatorQuestions``: liked / seen, 0 no, 1 yes, 2 did not say).
3. Logistic regression on hashed features, two heads, class-weighted cross-entropy (torch).
   The "before" state is the rules' at first; then the model's own, replayed turn by turn
   (``--rounds``), so training sees the states it will meet.
4. Per-class offsets are fitted for macro-F1 on a validation slice (the latest ``--valid``
   fraction of dialogues by conversationId), replaying whole dialogues as the tracker does.

Only ``train_subset.jsonl`` is read; ``test_data.jsonl`` never is.
"""
from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from convrec import config
from convrec import tracker_model as tm


@dataclass
class TrainConfig:
    epochs: int = 1  # passes over the samples per round (more overfits: labels are per dialogue, samples per turn)
    rounds: int = 1  # fits; later rounds re-fit with the "before" state replayed from the model itself
    lr: float = 0.003  # Adam step size
    weight_decay: float = 0.0  # L2 on the hashed weights
    batch: int = 256  # samples per step
    class_power: float = 0.5  # class weight = (1 / frequency) ** power (macro-F1 needs the rare classes)
    valid: float = 0.12  # latest fraction of dialogues held out for the offsets and the card
    seed: int = 0


@dataclass
class Sample:
    dialogue: int
    item_id: str
    role: str
    base: np.ndarray  # hashed base features
    liked_before: int  # the rules' state before this turn
    seen_before: int
    label: tuple[int, int] | None  # (liked, seen), None when the seeker gave none for this title
    prior: tuple[int, int] = field(default=(2, 2))  # the state used for training this round


class Recorder:
    """Stands in for the model during tracking: writes down every decision the model would make."""

    def __init__(self):
        self.rows: list[tuple] = []

    def decide(self, cand, liked_before: int, seen_before: int):
        self.rows.append((cand.item_id, cand.role, tm.hash_features(tm.base_features(cand)), liked_before, seen_before))
        return None  # the rules' verdict stands


def collect(dialogues: list[dict], catalog) -> list[Sample]:
    from convrec.preference_eval import track_dialogue

    samples = []
    for k, d in enumerate(dialogues):
        rec = Recorder()
        track_dialogue(d, catalog, model=rec)
        q = d.get("initiatorQuestions") or {}
        for item_id, role, base, lb, sb in rec.rows:
            label = (int(q[item_id]["liked"]), int(q[item_id]["seen"])) if item_id in q else None
            samples.append(Sample(k, item_id, role, base, lb, sb, label, (lb, sb)))
    return samples


class Replay:
    """Run the model over recorded samples dialogue by dialogue, as ``preferences.update`` would."""

    def __init__(self, model: tm.TrackerModel, samples: list[Sample]):
        self.model, self.samples = model, samples
        self.base = np.stack([model.weights[s.base].sum(0) for s in samples]) if samples else np.zeros((0, 6))
        self._prior: dict = {}

    def prior(self, role: str, lb: int, sb: int) -> np.ndarray:
        key = (role, lb, sb)
        if key not in self._prior:
            self._prior[key] = self.model.weights[tm.hash_features(tm.prior_features(role, lb, sb))].sum(0)
        return self._prior[key]

    def run(self, offsets: np.ndarray) -> tuple[dict, list[tuple[int, int]]]:
        """Final state per (dialogue, id) and the "before" state each sample saw."""
        state: dict = {}
        befores = []
        for k, s in enumerate(self.samples):
            before = state.get((s.dialogue, s.item_id), (2, 2))
            befores.append(before)
            z = self.base[k] + self.prior(s.role, *before) + self.model.bias + offsets
            state[(s.dialogue, s.item_id)] = (int(np.argmax(z[tm.LIKED])), int(np.argmax(z[tm.SEEN])))
        return state, befores


def score(state: dict, dialogues: list[dict], offset: int = 0) -> dict:
    from convrec.preference_eval import _summary

    gl, pl, gs, ps = [], [], [], []
    for k, d in enumerate(dialogues):
        for item_id, q in (d.get("initiatorQuestions") or {}).items():
            lab = state.get((k + offset, item_id), (2, 2))
            gl.append(int(q["liked"]))
            gs.append(int(q["seen"]))
            pl.append(lab[0])
            ps.append(lab[1])
    return {"liked": _summary(gl, pl), "seen": _summary(gs, ps)}


def fit(samples: list[Sample], cfg: TrainConfig, init: tm.TrackerModel | None = None) -> tm.TrackerModel:
    import torch

    torch.manual_seed(cfg.seed)
    rows = [s for s in samples if s.label is not None]
    idx = [np.concatenate([s.base, tm.hash_features(tm.prior_features(s.role, *s.prior))]) for s in rows]
    y = torch.tensor([s.label for s in rows])
    emb = torch.nn.EmbeddingBag(tm.N_BUCKETS, 6, mode="sum")
    bias = torch.nn.Parameter(torch.zeros(6))
    with torch.no_grad():
        emb.weight.copy_(torch.from_numpy(init.weights) if init is not None else torch.zeros(tm.N_BUCKETS, 6))
        if init is not None:
            bias.copy_(torch.from_numpy(init.bias))
    weights = []
    for head in range(2):
        freq = torch.bincount(y[:, head], minlength=3).float().clamp(min=1)
        w = (freq.sum() / freq) ** cfg.class_power
        weights.append(w / (w * freq).sum() * freq.sum())
    opt = torch.optim.Adam([emb.weight, bias], lr=cfg.lr, weight_decay=cfg.weight_decay)
    gen = torch.Generator().manual_seed(cfg.seed)
    for _ in range(cfg.epochs):
        for batch in torch.randperm(len(rows), generator=gen).split(cfg.batch):
            parts = [torch.from_numpy(idx[i]) for i in batch.tolist()]
            offsets = torch.tensor([0] + [len(p) for p in parts[:-1]]).cumsum(0)
            z = emb(torch.cat(parts), offsets) + bias
            loss = sum(torch.nn.functional.cross_entropy(z[:, 3 * h:3 * h + 3], y[batch, h], weight=weights[h])
                       for h in range(2))
            opt.zero_grad()
            loss.backward()
            opt.step()
    return tm.TrackerModel(emb.weight.detach().numpy().copy(), bias.detach().numpy().copy())


def fit_offsets(replay: Replay, dialogues: list[dict], offset: int) -> tuple[np.ndarray, dict]:
    """Coordinate search on the offsets of classes 0 and 2 of both heads, for the mean of the two macro-F1s."""
    off = np.zeros(6, np.float32)

    def objective(o):
        res = score(replay.run(o)[0], dialogues, offset)
        return (res["liked"]["macro_f1"] + res["seen"]["macro_f1"]) / 2, res

    best, res = objective(off)
    for step in (1.0, 0.5, 0.25):
        for _ in range(2):
            for col in (0, 2, 3, 5):
                for delta in (-step, step):
                    trial = off.copy()
                    trial[col] += delta
                    val, r = objective(trial)
                    if val > best + 1e-4:
                        best, off, res = val, trial, r
    return off, res


def make_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m convrec.train tracker", description=__doc__.split("\n\n")[0])
    p.add_argument("--data-dir", help="data directory with redial/ (or CONVREC_DATA_DIR)")
    p.add_argument("--out", default=str(tm.MODEL_DIR), help="where model.npz and the card go")
    p.add_argument("--limit", type=int, help="only the first N training dialogues (a quick run)")
    for f in TrainConfig.__dataclass_fields__.values():
        p.add_argument("--" + f.name.replace("_", "-"), type=type(f.default), default=f.default)
    return p


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    cfg = TrainConfig(**{k: getattr(args, k) for k in TrainConfig.__dataclass_fields__})
    from convrec.catalog_sources import load_redial
    from convrec.preference_eval import load_split

    t0 = time.time()
    data_dir = config.data_dir(args.data_dir, required=True)
    catalog = load_redial(data_dir)
    dialogues = sorted(load_split(data_dir, "train_subset", args.limit), key=lambda d: int(d["conversationId"]))
    n_valid = max(1, int(len(dialogues) * cfg.valid))
    train_d, valid_d = dialogues[:-n_valid], dialogues[-n_valid:]
    samples = collect(dialogues, catalog)
    train_s = [s for s in samples if s.dialogue < len(train_d)]
    valid_s = [s for s in samples if s.dialogue >= len(train_d)]
    t_collect = time.time() - t0
    print(f"{len(train_s)} train samples, {len(valid_s)} validation samples ({t_collect:.0f} s)")
    model, history = None, []
    for rnd in range(cfg.rounds):
        model = fit(train_s, cfg, init=model)
        replay = Replay(model, train_s)
        _, befores = replay.run(np.zeros(6, np.float32))
        for s, b in zip(train_s, befores):
            s.prior = b  # the next round trains on the states the model itself produces
        res = score(Replay(model, valid_s).run(np.zeros(6, np.float32))[0], valid_d, len(train_d))
        history.append({"round": rnd + 1, "valid_liked_macro_f1": res["liked"]["macro_f1"],
                        "valid_seen_macro_f1": res["seen"]["macro_f1"]})
        print(history[-1])
    model.offsets, valid = fit_offsets(Replay(model, valid_s), valid_d, len(train_d))
    from convrec.preference_eval import evaluate_tracking

    rules = evaluate_tracking(valid_d, catalog)  # the same validation dialogues, rules alone
    model.meta = {"config": cfg.__dict__, "train_dialogues": len(train_d), "valid_dialogues": len(valid_d),
                  "train_samples": len(train_s), "valid_samples": len(valid_s), "history": history,
                  "valid": {h: {k: valid[h][k] for k in ("macro_f1", "accuracy", "f1")} for h in ("liked", "seen")},
                  "valid_rules_only": {h: {k: rules[h][k] for k in ("macro_f1", "accuracy", "f1")}
                                       for h in ("liked", "seen")},
                  "seconds": round(time.time() - t0, 1), "seconds_collecting": round(t_collect, 1)}
    out = Path(args.out)
    path = model.save(out)
    (out / "card.json").write_text(json.dumps(model.meta, indent=2))
    write_card(out / "card.md", model.meta, argv)
    print(f"valid: liked macro-F1 {valid['liked']['macro_f1']:.3f}, seen macro-F1 {valid['seen']['macro_f1']:.3f}; "
          f"wrote {path} ({path.stat().st_size // 1024} KiB) in {time.time() - t0:.0f} s")
    return 0


def write_card(path: Path, meta: dict, argv: list[str] | None) -> None:
    v, r = meta["valid"], meta["valid_rules_only"]
    lines = [
        "# Preference tracker: learned part (training card)", "",
        "Model: multinomial logistic regression over hashed features (`convrec.tracker_model`), "
        f"{tm.N_BUCKETS} buckets x 6 outputs (liked 0/1/2, seen 0/1/2), float16; it re-decides each title a "
        "seeker turn touches, given the rules' verdict, the words around the title, the recommender's last "
        "message and the state before the turn.", "",
        f"Data: ReDial `train_subset.jsonl` only: {meta['train_dialogues']} dialogues for fitting "
        f"({meta['train_samples']} (turn, title) samples), the latest {meta['valid_dialogues']} by conversationId "
        f"for validation ({meta['valid_samples']} samples). Labels: `initiatorQuestions` (the seeker's answers). "
        "No test dialogue is read.", "",
        "Command: `python -m convrec.train tracker " + " ".join(argv or ["--data-dir DATA"]) + "`", "",
        f"Config: `{json.dumps(meta['config'])}`", "",
        "| validation (whole dialogues replayed) | macro-F1 | accuracy | F1 no / yes / did not say |", "|---|---|---|---|",
        *[f"| {h}{tag} | {x[h]['macro_f1']} | {x[h]['accuracy']} | {x[h]['f1']['no']} / {x[h]['f1']['yes']} / "
          f"{x[h]['f1']['did_not_say']} |" for x, tag in ((r, ", rules only"), (v, ", rules + model"))
          for h in ("liked", "seen")], "",
        "The per-class offsets are fitted on this validation slice, so the rules + model rows are "
        "optimistic; the test split's figures are in `python -m convrec.preferences eval`.", "",
        f"Rounds: `{json.dumps(meta['history'])}`", "",
        f"Time: {meta['seconds']} s on 2 CPU cores ({meta['seconds_collecting']} s running the rules to collect "
        "samples).", "",
        "Without `model.npz` the tracker uses the rules alone.",
    ]
    path.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
