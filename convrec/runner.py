"""Run systems over evaluation samples: timed calls, ranks, and the metrics.json blocks.

``protocols.py`` says *what* is evaluated (ReDial samples and states, MovieLens leave-one-out);
this module calls the systems on it: one timed ``recommend(state, k)`` per recommender turn
(reused for all of the turn's samples), ``candidates(state, k)`` when a system exposes it,
and the stable metrics of ``python -m convrec.evaluate``.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

from convrec.catalog import Catalog
from convrec.protocols import RedialDialogue, UserSample, iter_states, movielens_state
from convrec.state import DialogueState



def ids_of(items) -> list[str]:
    """Ranked ids from a list of ids or of candidate objects (``.item_id`` / ``.id``)."""
    out = []
    for x in items:
        out.append(x if isinstance(x, str) else str(getattr(x, "item_id", getattr(x, "id", x))))
    return out


@dataclass
class SystemLog:
    """What one system produced over a run: per-sample ranks, lists, timings."""

    ranks: list = field(default_factory=list)  # rank of each sample's target (None = miss)
    dedup: list = field(default_factory=list)  # parallel to ranks: the sample is a dedup sample
    cand_ranks: list = field(default_factory=list)  # rank in candidates(), when the system has it
    lists: list = field(default_factory=list)  # every recommended list (for out-of-catalog / re-recommendation)
    excluded: list = field(default_factory=list)  # seen|disliked at the time of each list
    latency: list = field(default_factory=list)  # seconds per recommend() call
    cand_latency: list = field(default_factory=list)  # seconds per candidates() call
    rows: list = field(default_factory=list)  # one JSON-able row per sample, written to ranks.jsonl
    shortcut: bool | None = None  # recommend() == candidates' prefix (None: not decided yet)
    checks: int = 0  # consecutive verified matches (-1 after a mismatch)
    derived: int = 0  # lists taken from candidates() without calling recommend()


SHORTCUT_CHECKS = 10  # recommend() must equal the candidates' prefix this many times before the shortcut
SHORTCUT_EVERY = 20  # with the shortcut on, recommend() is still called (and compared) every 20th turn


class ShortcutMismatch(RuntimeError):
    """recommend() stopped matching the candidates' prefix after the shortcut was enabled."""


def call_system(system, state: DialogueState, k: int, log: SystemLog, cand_k: int = 0,
                shortcut: bool = True) -> tuple[list[str], list[str] | None]:
    """One timed ``recommend`` call (and, if asked and available, one timed ``candidates`` call).

    Shortcut: for a system whose ``recommend(state, k)`` is exactly the first ``k`` of
    ``candidates(state, cand_k)`` (a pure retriever), calling both doubles the run time. Once
    they matched on the first ``SHORTCUT_CHECKS`` turns, the list is taken from the candidates
    and ``recommend`` is only called every ``SHORTCUT_EVERY`` turns to verify (a mismatch
    then raises ``ShortcutMismatch``: rerun with ``--no-shortcut``). Derived turns record the
    candidates call's time as latency: an upper bound of ``recommend``'s (it returns more).
    """
    import time

    cands = None
    if cand_k and callable(getattr(system, "candidates", None)):
        t0 = time.perf_counter()
        cands = ids_of(system.candidates(copy.deepcopy(state), k=cand_k))[:cand_k]
        log.cand_latency.append(time.perf_counter() - t0)
    turn_no = len(log.lists)
    if cands is not None and shortcut and log.shortcut and turn_no % SHORTCUT_EVERY:
        ids = cands[:k]
        log.latency.append(log.cand_latency[-1])
        log.derived += 1
    else:
        t0 = time.perf_counter()
        rec = system.recommend(state, k=k)
        log.latency.append(time.perf_counter() - t0)
        ids = ids_of(rec.item_ids)[:k]
        if cands is not None and shortcut:
            same = ids == cands[: len(ids)] and (len(ids) == k or len(ids) == len(cands))
            if log.shortcut and not same:
                raise ShortcutMismatch(f"recommend() no longer equals the candidates' prefix at call {turn_no}; "
                                       "rerun with --no-shortcut")
            log.checks = log.checks + 1 if same else -1
            if log.shortcut is None:
                log.shortcut = True if log.checks >= SHORTCUT_CHECKS else (False if log.checks < 0 else None)
    log.lists.append(ids)
    log.excluded.append(state.preferences.excluded())
    return ids, cands


def run_redial(systems: dict, dialogues: list[RedialDialogue], catalog: Catalog, k: int = 50,
               cand_k: int = 200, tracker_text: str = "raw", progress: bool = True,
               shortcut: bool = True) -> dict[str, SystemLog]:
    """Every system on every recommender turn: one ``recommend(state, k)`` call per turn,
    reused for all the turn's samples. States are built once and shared by the systems."""
    from tqdm import tqdm

    from convrec.metrics import rank_of

    logs = {name: SystemLog() for name in systems}
    for dialogue in tqdm(dialogues, desc="redial dialogues", unit="dlg", disable=not progress):
        for rt, state in iter_states(dialogue, catalog, tracker_text):
            for name, system in systems.items():
                log = logs[name]
                try:
                    ids, cands = call_system(system, copy.deepcopy(state), k, log, cand_k, shortcut)
                except Exception as e:
                    raise RuntimeError(f"system {name!r} failed on dialogue {dialogue.id} turn {rt.index}: {e}") from e
                for s in rt.samples:
                    r = rank_of(ids, s.target)
                    cr = rank_of(cands, s.target) if cands is not None else None
                    log.ranks.append(r)
                    log.dedup.append(s.dedup)
                    if cands is not None:
                        log.cand_ranks.append(cr)
                    log.rows.append({"dialogue": dialogue.id, "turn": rt.index, "target": s.target,
                                     "dedup": s.dedup, "rank": r, **({"candidate_rank": cr} if cands is not None else {})})
    return logs


def redial_metrics(log: SystemLog, catalog: Catalog, n_dialogues: int, k_curve: int = 50,
                   cand_ks: tuple[int, ...] = (20, 50, 100, 200)) -> dict:
    """The stable metrics.json block of the ``redial`` subcommand."""
    from convrec import metrics as M

    dedup = [r for r, d in zip(log.ranks, log.dedup) if d]
    out = {
        "standard": M.ranking_metrics(log.ranks),
        "dedup": M.ranking_metrics(dedup),
        "out_of_catalog_rate": M.out_of_catalog_rate(log.lists, frozenset(catalog.ids())),
        "rerecommend_rate": M.rerecommend_rate(log.lists, log.excluded, k=10),
        "latency_s": M.latency_summary(log.latency),
        "n_dialogues": n_dialogues,
        "n_samples": len(log.ranks),
        "n_samples_dedup": len(dedup),
        "n_rec_turns": len(log.lists),
        "recall_at_k": {"standard": M.recall_curve(log.ranks, k_curve), "dedup": M.recall_curve(dedup, k_curve)},
    }
    if log.cand_ranks:
        cdedup = [r for r, d in zip(log.cand_ranks, log.dedup) if d]
        out["candidates"] = {
            "standard": {f"recall@{c}": M.recall_at_k(log.cand_ranks, c) for c in cand_ks},
            "dedup": {f"recall@{c}": M.recall_at_k(cdedup, c) for c in cand_ks},
            "latency_s": M.latency_summary(log.cand_latency),
            "lists_from_candidates": log.derived,  # recommend() skipped: verified equal to the prefix
        }
    return out


def run_movielens(systems: dict, samples: list[UserSample], catalog: Catalog, k: int = 50,
                  progress: bool = True) -> dict[str, SystemLog]:
    """Every system on every user: rank all unrated movies; rated ones are dropped from the
    returned list before scoring (and counted by the re-recommendation rate)."""
    from tqdm import tqdm

    from convrec.metrics import rank_of

    logs = {name: SystemLog() for name in systems}
    for sample in tqdm(samples, desc="movielens users", unit="user", disable=not progress):
        state = movielens_state(sample, catalog)
        rated = set(state.preferences.seen)
        for name, system in systems.items():
            ids, _ = call_system(system, copy.deepcopy(state), k, logs[name])
            ranked = [i for i in ids if i not in rated]
            r = rank_of(ranked, sample.target)
            logs[name].ranks.append(r)
            logs[name].dedup.append(True)
            logs[name].rows.append({"user": sample.user, "target": sample.target, "rank": r})
    return logs


def movielens_metrics(log: SystemLog, catalog: Catalog, k_curve: int = 50) -> dict:
    """The stable metrics.json block of the ``movielens`` subcommand."""
    from convrec import metrics as M

    return {
        "hr@5": M.recall_at_k(log.ranks, 5), "hr@10": M.recall_at_k(log.ranks, 10),
        "ndcg@5": M.ndcg_at_k(log.ranks, 5), "ndcg@10": M.ndcg_at_k(log.ranks, 10),
        "mrr": M.mrr(log.ranks),
        "out_of_catalog_rate": M.out_of_catalog_rate(log.lists, frozenset(catalog.ids())),
        "rerecommend_rate": M.rerecommend_rate(log.lists, log.excluded, k=10),
        "latency_s": M.latency_summary(log.latency),
        "n_users": len(log.ranks),
        "n_samples": len(log.ranks),
        "recall_at_k": {"test": M.recall_curve(log.ranks, k_curve)},
    }
