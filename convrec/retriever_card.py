"""The learned retriever's training card as Markdown (``models/retriever/card.md``), from its ``card.json``.

Written by ``python -m convrec.train retriever`` (``convrec.train_retriever``).
"""
from __future__ import annotations

import json


def card_markdown(card: dict) -> str:
    """The training card as Markdown: data, split, history, fusion, time."""
    d, s = card["data"], card["seconds"]
    lines = ["# Learned retriever: training card", "", f"Model: {card['model']}; encoder `{card['encoder']}`.", "",
             f"Data: `{d['file']}`, {d['dialogues']} dialogues ({d['train_dialogues']} train, "
             f"{d['valid_dialogues']} validation: the latest by conversationId), {d['train_samples']} train samples, "
             f"{d['valid_samples']} validation samples"
             + (f", and {d['seeker_samples']} seeker-turn targets (the titles seekers name next; train part for "
                "selection, every dialogue for the shipped refit)" if d.get("seeker_samples") else "")
             + ". No test dialogue reaches training or fitting.", "",
             "| epoch | train loss | valid dedup R@10 | R@50 | R@100 |", "|---|---|---|---|---|"]
    for h in card["history"]:
        v = h.get("valid", {}).get("dedup", {})
        lines.append(f"| {h['epoch']} | {h['train_loss']} | {v.get('recall@10', '')} | {v.get('recall@50', '')} | {v.get('recall@100', '')} |")
    tuning = card.get("encoder_tuning", {})
    if tuning.get("history"):
        lines += ["", f"MiniLM tuned as the context encoder (`encoder_tuning`, config `{json.dumps(tuning['config'])}`), "
                      f"{'kept' if tuning['kept'] else 'not kept'}: validation dedup R@50 + R@100 {tuning.get('tuned')} "
                      f"against {tuning.get('frozen_best')} frozen.", "",
                  "| tuning epoch | train loss | valid dedup R@10 | R@50 | R@100 | seconds |", "|---|---|---|---|---|---|"]
        for h in tuning["history"]:
            v = h.get("valid", {}).get("dedup", {})
            lines.append(f"| {h['epoch']} | {h['train_loss']} | {v.get('recall@10', '')} | {v.get('recall@50', '')} | "
                         f"{v.get('recall@100', '')} | {h['seconds']} |")
    if "fusion" in card:
        f = card["fusion"]
        lines += ["", f"Fusion weights (validation, objective = mean dedup R@50/R@100 = {f['objective']}): `{json.dumps(f['weights'])}`",
                  "", f"Validation candidate recall after fusion: `{json.dumps(f['valid'])}`"]
    if "rerank" in card:
        cv = card["rerank"]["cross_validation"]
        lines += ["", f"Second-stage reranker (`rerank.json`, `convrec.rerank`, config `{json.dumps(card['rerank']['config'])}`), "
                      f"fitted on the validation turns"
                      + (f" and the out-of-fold lists of the training turns ({card['rerank']['train_lists_with_target']} with a "
                         f"target, `convrec.crossfit`)" if "train_lists_with_target" in card["rerank"] else "")
                      + f"; {cv['folds']}-fold cross-validation by dialogue over the validation turns (each fold reordered by "
                      f"a reranker fitted without it), dedup recall of the list: fused `{json.dumps(cv['fused'])}`, "
                      f"reranked `{json.dumps(cv['reranked'])}`"]
    if "refit" in card:
        r = card["refit"]
        lines += ["", f"Shipped model: retrained on train + validation ({r['samples']} samples) for the selected "
                      f"{r['epochs']} epochs ({r['seconds']} s); the figures above are the train-part model's."]
    lines += ["", f"Time: {s.get('prepare')} s preparing, {s.get('train')} s training, {s.get('total')} s in all "
              "(2 shared CPU cores; the first run also builds the Chroma index and embeds every context).",
              "", "Command: `python -m convrec.train retriever --data-dir DATA` (writes here; `--out` elsewhere)."]
    return "\n".join(lines) + "\n"
