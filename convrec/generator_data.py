"""Instruction data for the generator: grounded selection prompts from training data only.

(a) ReDial TRAINING dialogues (``redial/train_data.jsonl`` or ``train_subset.jsonl``; never
    the test split). ``titles`` selection: every movie the recommender newly mentions is the
    answer (`` Title (Year)``) to the dialogue before it. ``letters`` selection: for each
    recommender turn, the candidates our own retrieval returns for that context; the target
    is a mentioned movie when it is among the top_k.
(b) MovieLens ml-latest-small histories (GenRec): liked history in, a next liked movie among
    popularity-sampled candidates out; a user's last two ratings (the MovieLens evaluation's
    valid/test targets) are never used.

Used by ``convrec.train_generator``; every function is pure given its inputs.
"""
from __future__ import annotations

import math
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

from convrec.generator import GeneratorConfig, label_choices, recommend_prompt, select_prompt, title_choices


@dataclass
class Example:
    prompt: str
    target: str  # the output continuation, e.g. " C"
    source: str  # "redial" or "movielens"
    meta: dict = field(default_factory=dict)


def make_example(state, cand_ids: list[str], target: str, catalog, gcfg: GeneratorConfig, rng: random.Random | None,
                 source: str, meta: dict | None = None) -> Example:
    if gcfg.selection == "titles":  # the answer is the title itself; candidates play no part in the prompt
        return Example(recommend_prompt(state, catalog, gcfg), title_choices([catalog[target]])[0], source, meta or {})
    ids = list(cand_ids[: gcfg.top_k])
    if rng is not None:
        rng.shuffle(ids)
    prompt = select_prompt(state, [catalog[i] for i in ids], catalog, gcfg)
    return Example(prompt, label_choices(len(ids))[ids.index(target)], source, {**(meta or {}), "n": len(ids)})


def redial_states(dialogues: list[dict], catalog, dedup_only: bool = False):
    """(dialogue id, state, samples) for every recommender turn of these raw dialogues."""
    from convrec.protocols import iter_states, parse_dialogue

    for d in dialogues:
        dlg = parse_dialogue(d, catalog)
        for rt, state in iter_states(dlg, catalog):
            samples = [s for s in rt.samples if s.dedup or not dedup_only]
            if samples:
                yield dlg.id, state, samples


def redial_examples(dialogues: list[dict], catalog, retriever, gcfg: GeneratorConfig, candidate_k: int,
                    rng: random.Random, limit: int, shuffle: bool = True) -> list[Example]:
    """Examples whose target is among the retrieved top_k; one per recommender turn."""
    from tqdm import tqdm

    out: list[Example] = []
    bar = tqdm(total=limit, desc="redial examples", unit="ex", file=sys.stderr)
    for dlg_id, state, samples in redial_states(dialogues, catalog):
        targets = [s.target for s in samples]
        cands = [c.item_id for c in retriever.retrieve(state, k=candidate_k)][: gcfg.top_k]
        hits = [t for t in targets if t in cands]
        if hits:
            out.append(make_example(state, cands, rng.choice(hits), catalog, gcfg, rng if shuffle else None,
                                    "redial", {"dialogue": dlg_id}))
            bar.update(1)
        if len(out) >= limit:
            break
    bar.close()
    return out


def redial_title_examples(dialogues: list[dict], catalog, gcfg: GeneratorConfig, rng: random.Random,
                          limit: int) -> list[Example]:
    """Next-title examples: each movie a recommender turn newly mentions, after the dialogue so far.

    Only new mentions (the dedup targets): the retriever never offers a title already in the
    conversation, so the model need not learn to repeat one. ``limit`` are drawn at random.
    """
    pairs = [(dlg_id, state, s.target) for dlg_id, state, samples in redial_states(dialogues, catalog, dedup_only=True)
             for s in samples]
    rng.shuffle(pairs)
    return [make_example(state, [], target, catalog, gcfg, None, "redial", {"dialogue": dlg_id})
            for dlg_id, state, target in pairs[:limit]]


def movielens_examples(data_dir: Path, gcfg: GeneratorConfig, rng: random.Random, limit: int) -> list[Example]:
    """GenRec-style: a user's liked history in, a next liked movie among sampled candidates out."""
    from convrec.catalog_sources import load_movielens
    from convrec.protocols import LIKED_RATING, UserSample, movielens_state, read_ratings

    if limit <= 0:
        return []
    catalog = load_movielens(data_dir)
    ratings = read_ratings(data_dir)
    ids = catalog.ids()
    weights = [math.log1p(catalog[i].popularity) for i in ids]
    users = sorted(ratings)
    rng.shuffle(users)
    out: list[Example] = []
    for user in users:
        rows = sorted(ratings[user])[:-2]  # the last two ratings are the MovieLens valid/test targets
        positions = [t for t in range(5, len(rows)) if rows[t][3] >= LIKED_RATING and rows[t][2] in catalog]
        if not positions:
            continue
        t = rng.choice(positions)
        sample = UserSample(user, [(m, r) for _, _, m, r in rows[:t]], rows[t][2])
        state = movielens_state(sample, catalog)
        seen = set(state.preferences.seen) | {sample.target}
        negs: list[str] = []
        while len(negs) < gcfg.top_k - 1:
            for i in rng.choices(ids, weights=weights, k=gcfg.top_k * 2):
                if i not in seen and i not in negs and len(negs) < gcfg.top_k - 1:
                    negs.append(i)
        out.append(make_example(state, negs + [sample.target], sample.target, catalog, gcfg, rng, "movielens",
                                {"user": user}))
        if len(out) >= limit:
            break
    return out


def data_hash(examples: list[Example]) -> str:
    import hashlib

    h = hashlib.sha256()
    for ex in examples:
        h.update(ex.prompt.encode())
        h.update(ex.target.encode())
    return h.hexdigest()[:16]



def validation_samples(dialogues: list[dict], catalog, retriever, candidate_k: int, limit: int, dedup_only: bool = True) -> list[tuple]:
    """(state, candidate ids, target) for validation recommender turns (every sample, hit or miss)."""
    from convrec.protocols import iter_states, parse_dialogue

    out = []
    for d in dialogues:
        dlg = parse_dialogue(d, catalog)
        for rt, state in iter_states(dlg, catalog):
            cands = None
            for s in rt.samples:
                if dedup_only and not s.dedup:
                    continue
                cands = cands or [c.item_id for c in retriever.retrieve(state, k=candidate_k)]
                out.append((state, cands, s.target))
            if len(out) >= limit:
                return out[:limit]
    return out


def retriever_builder(catalog, data_dir: Path):
    """A function: training dialogues -> a Retriever whose collaborative signals come from them only."""
    from convrec.collab import build_signals
    from convrec.retrieval import Retriever
    from convrec.systems import build_context

    ctx = build_context(catalog, data_dir, progress=True)

    def retriever(dialogues):
        return Retriever(ctx.index, catalog, build_signals(catalog, data_dir, dialogues=dialogues),
                         ctx.retrieval_config, ctx.embeddings)

    return retriever


def build_retrievers(catalog, data_dir: Path, train: list[dict], valid: list[dict]):
    """Retrievers whose co-mentions exclude the dialogues they produce candidates for.

    Fold A's candidates come from signals built on fold B and vice versa; validation
    candidates from signals built on the whole training part (as test sees all of it).
    """
    retriever = retriever_builder(catalog, data_dir)
    half = len(train) // 2
    folds = [train[:half], train[half:]]
    return [(folds[0], retriever(folds[1])), (folds[1], retriever(folds[0]))], retriever(train)
