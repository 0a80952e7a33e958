"""LoRA training on a tiny random LLaMA model, the instruction data and the CLI."""
from __future__ import annotations

import json
import random

import pytest

from convrec.state import USER, DialogueState, Turn

from llm_fixtures import tiny_model, tiny_tokenizer
from test_generator import small_catalog


@pytest.fixture(scope="module")
def tokenizer():
    return tiny_tokenizer()


def examples(catalog, n=6, seed=0, selection="letters"):
    from convrec.generator import GeneratorConfig
    from convrec.train_generator import make_example

    rng = random.Random(seed)
    out = []
    for j in range(n):
        state = DialogueState(turns=[Turn(USER, f"I want something like film {j}")])
        cands = [str(i) for i in range(1 + j, 21 + j)]
        out.append(make_example(state, cands, cands[3], catalog, GeneratorConfig(selection=selection), rng, "redial"))
    return out


def test_title_examples_answer_each_new_recommender_mention_with_its_title():
    """GenRec-style data: every movie a recommender turn newly mentions is the answer (`` Title (Year)``)
    to the dialogue before it; a title the seeker already mentioned is not a target."""
    from pathlib import Path

    from convrec.catalog import load_file
    from convrec.generator import GeneratorConfig
    from convrec.collab import read_dialogues
    from convrec.train_generator import redial_title_examples

    fix = Path(__file__).parent / "fixtures"
    tiny = load_file(fix / "tiny_catalog.jsonl", name="tiny")
    raw = read_dialogues(fix / "redial_tiny.jsonl")[:1]  # "I loved @1" / "seen @2?" / "@5 or @1" / "@4"
    exs = redial_title_examples(raw, tiny, GeneratorConfig(selection="titles", n_turns=6), random.Random(0), limit=10)
    answers = sorted(ex.target for ex in exs)
    assert answers == sorted(" " + tiny[i].label for i in ("2", "5", "4"))  # Alien (id 1) was the seeker's own
    by_answer = {ex.target: ex.prompt for ex in exs}
    shining = by_answer[" " + tiny["5"].label]
    assert "USER: Yes, I have seen Aliens (1986) already" in shining and "Shining" not in shining
    assert shining.startswith("### Instruction:") and shining.endswith("### Response:")
    assert len(redial_title_examples(raw, tiny, GeneratorConfig(selection="titles"), random.Random(0), limit=2)) == 2


def test_title_training_raises_the_targets_likelihood(tokenizer):
    """A few LoRA steps on next-title examples make the model rank the trained answer higher."""
    from convrec.backend import TransformersBackend
    from convrec.generator import Generator, GeneratorConfig
    from convrec.train_generator import TrainConfig, make_example, train_lora

    catalog = small_catalog()
    gcfg = GeneratorConfig(selection="titles", rank_weight=0.0)
    state = DialogueState(turns=[Turn(USER, "something like film 3 please")])
    exs = [make_example(state, [], "7", catalog, gcfg, None, "redial")] * 4
    cands = ["6", "7", "8", "9"]  # "Film Number N (195N)": titles of one length, so only learning can split them
    model = tiny_model(tokenizer, seed=3)
    before = Generator(TransformersBackend(model, tokenizer), catalog, gcfg).model_scores(state, cands)
    cfg = TrainConfig(selection="titles", loss="choices", steps=25, batch_size=2, lr=3e-2, warmup=1, lora_dropout=0.0)
    trained, history = train_lora(model, tokenizer, exs, cfg, progress=False)  # titles always train on the title tokens
    after = Generator(TransformersBackend(trained, tokenizer), catalog, gcfg).model_scores(state, cands)
    assert history[-1]["loss"] < history[0]["loss"]
    assert after[cands.index("7")] > before[cands.index("7")]
    assert max(range(len(cands)), key=lambda j: after[j]) == cands.index("7")


def test_example_target_labels_the_right_candidate_after_shuffle():
    from convrec.generator import LABELS

    catalog = small_catalog()
    for ex in examples(catalog, n=5):
        letter = ex.target.strip()
        assert letter in LABELS[:20]
        line = next(l for l in ex.prompt.splitlines() if l.startswith(letter + ". "))
        target_item = [catalog[i] for i in catalog.ids() if catalog[i].label in line]
        assert target_item  # the lettered line names a catalog item
    # shuffling moves the target away from position D in at least one example
    assert {ex.target for ex in examples(catalog, n=5)} != {" D"}


def test_lora_training_changes_adapter_not_base(tokenizer):
    import torch

    from convrec.train_generator import TrainConfig, train_lora

    model = tiny_model(tokenizer, seed=1)
    base_before = {k: v.clone() for k, v in model.state_dict().items()}
    exs = examples(small_catalog(), n=4)
    cfg = TrainConfig(steps=12, batch_size=2, lr=2e-2, warmup=1, max_len=256, lora_dropout=0.0)
    peft_model, history = train_lora(model, tokenizer, exs, cfg, progress=False)
    assert len(history) == 12 and all(h["loss"] == h["loss"] for h in history)  # logged, finite
    assert sum(h["loss"] for h in history[-3:]) < sum(h["loss"] for h in history[:3])
    lora = {k: v for k, v in peft_model.state_dict().items() if "lora_B" in k}
    assert lora and any(float(v.abs().sum()) > 0 for v in lora.values())  # B starts at zero: it moved
    base_after = {k.replace("base_model.model.", "").replace(".base_layer", ""): v
                  for k, v in peft_model.state_dict().items() if "lora_" not in k}
    for k, v in base_before.items():
        assert torch.equal(v, base_after[k]), k


def test_saved_adapter_reloads_with_same_scores(tokenizer, tmp_path):
    from peft import PeftModel

    from convrec.backend import TransformersBackend
    from convrec.generator import Generator, GeneratorConfig
    from convrec.train_generator import TrainConfig, train_lora

    catalog = small_catalog()
    base_dir = tmp_path / "base"
    tiny_model(tokenizer, seed=2).save_pretrained(base_dir)
    model = tiny_model(tokenizer, seed=2)
    trained, _ = train_lora(model, tokenizer, examples(catalog, 2), TrainConfig(steps=3, batch_size=2, lr=1e-2), progress=False)
    trained.save_pretrained(tmp_path / "adapter")
    from transformers import LlamaForCausalLM

    reloaded = PeftModel.from_pretrained(LlamaForCausalLM.from_pretrained(base_dir), str(tmp_path / "adapter")).eval()
    state = DialogueState(turns=[Turn(USER, "hello")])
    cands = [str(i) for i in range(1, 21)]
    a = Generator(TransformersBackend(trained, tokenizer), catalog, GeneratorConfig(selection="letters")).model_scores(state, cands)
    b = Generator(TransformersBackend(reloaded, tokenizer), catalog, GeneratorConfig(selection="letters")).model_scores(state, cands)
    assert a == pytest.approx(b, abs=1e-5)


def test_fused_metrics_and_rank_weight_fit():
    from convrec.train_generator import RETRIEVAL_ORDER, fit_rank_weight, fused_metrics

    # the model puts the target (3rd candidate) first in row 1; row 2's target is outside the top_k
    rows = [{"cands": ["a", "b", "t"], "target": "t", "logp": [-3.0, -3.0, -0.1]},
            {"cands": ["a", "b", "c", "t"], "target": "t", "logp": [-1.0, -1.0, -1.0]}]
    m = fused_metrics(rows, 0.0)
    assert m["recall@1"] == 0.5 and m["mrr"] == pytest.approx((1 + 1 / 4) / 2)
    assert fused_metrics(rows, 1e9)["recall@1"] == 0.0  # retrieval order
    assert fused_metrics(rows, 0.0, top_k=2)["recall@1"] == 0.0  # the target sits outside a 2-candidate head
    assert fused_metrics(rows, *RETRIEVAL_ORDER) == fused_metrics(rows, 1e9)  # a head of 0: the model is not used
    # Recall@10 is the same either way (every target is within 10): no gain, so the fit keeps the retrieval order
    fit, table = fit_rank_weight(rows)
    assert tuple(fit.values()) == RETRIEVAL_ORDER and RETRIEVAL_ORDER in table


def lifted_rows(n: int, lifted: int) -> list[dict]:
    """n samples, 12 candidates, the target 12th (outside retrieval's top 10); the model puts it
    first in ``lifted`` of them and last in the rest."""
    cands = [f"c{j}" for j in range(11)] + ["t"]
    return [{"cands": cands, "target": "t", "logp": [-2.0] * 11 + [-0.1 if r < lifted else -9.0]} for r in range(n)]


def test_fit_uses_the_model_only_for_a_significant_gain():
    from convrec.train_generator import RETRIEVAL_ORDER, fit_rank_weight, significant_gain

    fit, table = fit_rank_weight(lifted_rows(30, 12), head_sizes=(5, 12))
    assert fit["top_k"] == 12 and table[tuple(fit.values())]["recall@10"] == pytest.approx(12 / 30)
    assert {hk for _, hk, _ in table} == {0, 5, 12}
    # one lucky sample in 30 is not evidence: the retrieval order stays
    fit, _ = fit_rank_weight(lifted_rows(30, 1), head_sizes=(12,))
    assert tuple(fit.values()) == RETRIEVAL_ORDER
    assert significant_gain(lifted_rows(30, 12), (0.0, 12, 0.0)) and not significant_gain(lifted_rows(30, 1), (0.0, 12, 0.0))


def test_title_prior_weight_is_fitted_where_it_helps():
    """Titles: the model loves a short, common title ("a") everywhere; subtracting its prior (PMI)
    lets the context-specific target through, and the fit finds that."""
    from convrec.train_generator import fit_rank_weight, fused_metrics

    cands = [f"c{j}" for j in range(10)]
    rows = [{"cands": ["a"] + cands + [t], "target": t, "logp": [-1.0] + [-5.0] * 10 + [-2.0],
             "prior": [-0.5] + [-5.0] * 10 + [-4.0]} for t in [f"t{r}" for r in range(20)]]
    assert fused_metrics(rows, 0.0)["recall@10"] == 1.0 and fused_metrics(rows, 0.0)["recall@1"] == 0.0
    assert fused_metrics(rows, 0.0, prior_weight=1.0)["recall@1"] == 1.0
    assert fused_metrics(rows, 1e9)["recall@10"] == 0.0  # retrieval order: the target is 12th
    fit, _ = fit_rank_weight(rows, head_sizes=(12,))
    assert fit["top_k"] == 12
    assert fused_metrics(rows, fit["rank_weight"], 12, fit["prior_weight"])["recall@10"] == 1.0


def test_movielens_examples_never_use_the_evaluation_targets(data_dir):
    from convrec.generator import GeneratorConfig
    from convrec.protocols import movielens_samples, read_ratings
    from convrec.train_generator import movielens_examples

    exs = movielens_examples(data_dir, GeneratorConfig(selection="letters"), random.Random(0), limit=40)
    assert len(exs) == 40 and all(ex.target.strip() for ex in exs)
    held_out = {(s.user, s.target) for split in ("test", "valid") for s in movielens_samples(read_ratings(data_dir), split)}
    from convrec.catalog_sources import load_movielens

    ml = load_movielens(data_dir)
    for ex in exs:
        letter = ex.target.strip()
        line = next(l for l in ex.prompt.splitlines() if l.startswith(letter + ". "))
        targets = {i for i in ml.ids() if line[3:].startswith(ml[i].label)}
        assert not any((ex.meta["user"], t) in held_out for t in targets)


def test_cli_help_and_dispatch(capsys):
    from convrec import train

    with pytest.raises(SystemExit) as e:
        train.main(["generator", "--help"])
    assert e.value.code == 0 and "--lora-r" in capsys.readouterr().out
    assert train.main(["nonsense"]) == 2
    assert train.main([]) == 2
    assert train.main(["--help"]) == 0 and "retriever" in capsys.readouterr().out


def test_missing_data_dir_is_a_clear_error(tmp_path, monkeypatch, capsys):
    from convrec.train_generator import main

    monkeypatch.delenv("CONVREC_DATA_DIR", raising=False)
    assert main(["--out", str(tmp_path / "a")]) == 2
    assert "data directory" in capsys.readouterr().err


def test_lora_layers_limits_adaptation_to_the_last_layers(tokenizer):
    from convrec.train_generator import TrainConfig, add_lora

    peft_model = add_lora(tiny_model(tokenizer), TrainConfig(lora_layers=1))
    names = [n for n, p in peft_model.named_parameters() if p.requires_grad]
    assert names and all(".layers.1." in n for n in names)
    assert {n.split(".lora_")[0].rsplit(".", 1)[-1] for n in names} == {"q_proj", "v_proj"}
