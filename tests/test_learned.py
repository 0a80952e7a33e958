"""The learned retriever: tiny training runs, weight files, the signal, and the test-split wall."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from convrec import learned, learned_steps as steps, train_retriever as tr
from convrec.encoder_tuning import EncoderConfig
from convrec.catalog import Catalog, Item
from convrec.learned import LabelFinder, ModelConfig, context_text, seed_ids
from convrec.state import SYSTEM, USER, DialogueState, Turn

GENRES = ["Horror", "Comedy", "Drama", "Western", "Animation"]


@pytest.fixture
def small_catalog() -> Catalog:
    """20 films: pairs (2k, 2k+1) share a genre; a dialogue about 2k is answered with 2k+1."""
    return Catalog([Item(id=str(100 + n), title=f"Film {n}", year=1980 + n, genres=[GENRES[(n // 2) % 5]],
                         description=f"A {GENRES[(n // 2) % 5].lower()} story number {n}.") for n in range(20)],
                   name="small")


def dialogue(cid: int, liked: str, answer: str) -> dict:
    """A ReDial-format dialogue: the seeker names ``liked``, the recommender answers ``answer``."""
    return {"conversationId": cid, "initiatorWorkerId": 1, "respondentWorkerId": 2, "movieMentions": {},
            "messages": [{"text": "hi, what do you like?", "senderWorkerId": 2},
                         {"text": f"I loved @{liked} so much", "senderWorkerId": 1},
                         {"text": f"then you will like @{answer}", "senderWorkerId": 2}]}


def doc_vectors(catalog, emb) -> np.ndarray:
    return np.asarray(emb.embed_documents([it.document() for it in catalog]), dtype=np.float32)


def target_ranks(module, samples, vec, cfg) -> list[int]:
    rank, _ = steps.ranks(steps.model_scores(module, samples, vec, cfg), samples)
    return rank.tolist()


def test_tiny_training_changes_weights_and_improves_target_ranks(small_catalog, fake_embeddings):
    dialogues = [dialogue(k, str(100 + 2 * (k % 10)), str(101 + 2 * (k % 10))) for k in range(20)]
    cfg = ModelConfig(dim=16, dropout=0.0)
    samples = tr.make_samples(dialogues, small_catalog, cfg)
    assert len(samples) == 20 and all(s.seeds == [s.targets[0] - 1] for s in samples)  # seed = the liked film
    vec = tr.embed_texts([s.text for s in samples], fake_embeddings)
    docs = doc_vectors(small_catalog, fake_embeddings)
    tc = tr.TrainConfig(epochs=30, patience=30, batch_size=8, lr=0.02, progress=False, model=cfg)

    import torch

    torch.manual_seed(0)
    from convrec.learned import build_module

    untrained = build_module(docs, cfg)
    before = target_ranks(untrained, samples, vec, cfg)
    module, history = tr.train_model(samples, vec, [], vec[:0], docs, tc, log=lambda *_: None)
    after = target_ranks(module, samples, vec, cfg)
    assert history[-1]["train_loss"] < history[0]["train_loss"]
    changed = [k for k, v in module.state_dict().items() if k != "doc" and not torch.equal(v, untrained.state_dict()[k])]
    assert {"item_id.weight", "seed_id.weight", "text.weight", "bias"} <= set(changed)
    assert np.mean(after) < np.mean(before)
    assert max(after) == 0  # every training target now ranks first


def test_seeker_turns_give_extra_targets_with_the_state_before_them(small_catalog):
    """The titles a seeker names next are extra targets for the learned model (``speaker=USER``)."""
    dialogues = [dialogue(k, str(100 + 2 * k), str(101 + 2 * k)) for k in range(3)]
    cfg = ModelConfig(dim=16)
    seeker = tr.make_samples(dialogues, small_catalog, cfg, speaker=USER)
    row = {i: n for n, i in enumerate(small_catalog.ids())}
    assert [s.targets for s in seeker] == [[row[str(100 + 2 * k)]] for k in range(3)]
    assert all(s.seeds == [] and s.dedup == [True] for s in seeker)  # nothing was mentioned before it
    assert seeker[0].text == "SYSTEM: hi, what do you like?"  # the context is what came before the seeker's turn
    recommender = tr.make_samples(dialogues, small_catalog, cfg)
    assert [s.targets for s in recommender] == [[row[str(101 + 2 * k)]] for k in range(3)]


def test_saved_model_loads_by_id_and_scores_through_the_signal(small_catalog, fake_embeddings, tmp_path):
    cfg = ModelConfig(dim=8)
    docs = doc_vectors(small_catalog, fake_embeddings)
    module = learned.build_module(docs, cfg)
    import torch

    with torch.no_grad():
        module.bias[3] = 5.0  # item "103" stands out
    learned.save_model(module, cfg, small_catalog, tmp_path, {"note": "test"})
    assert (tmp_path / "model.pt").exists() and json.loads((tmp_path / "card.json").read_text()) == {"note": "test"}
    # another catalog: reversed order, one unknown item
    other = Catalog(list(reversed(small_catalog.items))[:-1] + [Item(id="new", title="New One", year=2020)], name="other")
    model = learned.load_model(other, doc_vectors(other, fake_embeddings), tmp_path)
    row = {i: n for n, i in enumerate(other.ids())}
    assert model._bias[row["103"]] == pytest.approx(5.0, abs=1e-2)  # float16 round trip
    assert model._bias[row["new"]] == 0.0
    assert learned.load_model(other, doc_vectors(other, fake_embeddings), tmp_path / "missing") is None

    from convrec.signals import Query

    state = DialogueState(turns=[Turn(USER, "I loved Film 2 (1982)"), Turn(SYSTEM, "try this", items=["104"])])
    assert seed_ids(state, other, LabelFinder(other)) == ["102", "104"]
    q = Query(state=state, text="", seeds=np.array([]), seed_weights=np.array([]), seed_kinds={},
              embed=fake_embeddings.embed_query)
    scores = learned.LearnedSignal(model).scores(q)
    assert scores.shape == (len(other),) and np.isfinite(scores).all()
    assert learned.LearnedSignal(model).scores(Query(state, "", np.array([]), np.array([]), {}, None)) is None


def test_damaged_weights_name_the_file(small_catalog, fake_embeddings, tmp_path):
    (tmp_path / "model.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(ValueError, match="model.pt"):
        learned.load_model(small_catalog, doc_vectors(small_catalog, fake_embeddings), tmp_path)


def test_context_text_is_newest_first_and_bounded():
    state = DialogueState(turns=[Turn(USER, "old turn"), Turn(SYSTEM, "middle"), Turn(USER, "newest " * 200)])
    text = context_text(state, ModelConfig(context_turns=2, max_context_chars=100))
    assert text.startswith("USER: newest") and "old turn" not in text and len(text) == 100
    assert context_text(DialogueState(), ModelConfig())  # never empty


def test_split_latest_holds_out_the_newest_dialogues():
    ds = [{"conversationId": c} for c in (30, 4, 1000, 7, 55)]
    train, valid = tr.split_latest(ds, 0.4)
    assert [d["conversationId"] for d in valid] == [55, 1000]
    assert [d["conversationId"] for d in train] == [4, 7, 30]


def _write_data(root: Path, train: list[dict], test: list[dict], catalog_rows: list[tuple[str, str]]) -> Path:
    (root / "redial").mkdir(parents=True)
    (root / "redial" / "train_subset.jsonl").write_text("".join(json.dumps(d) + "\n" for d in train))
    (root / "redial" / "test_data.jsonl").write_text("".join(json.dumps(d) + "\n" for d in test))
    (root / "redial" / "movies_with_mentions.csv").write_text(
        "movieId,movieName,nbMentions\n" + "".join(f"{i},{n},1\n" for i, n in catalog_rows))
    return root


def test_a_test_dialogue_in_the_training_file_is_refused(tmp_path, fake_embeddings):
    rows = [("1", "Alpha (1990)"), ("2", "Beta (1991)"), ("3", "Gamma (1992)")]
    data = _write_data(tmp_path / "data", [dialogue(5, "1", "2"), dialogue(20001, "2", "3")],
                       [dialogue(20001, "2", "3")], rows)
    with pytest.raises(ValueError, match="test dialogues"):
        tr.run(tr.TrainConfig(data_dir=str(data), out=str(tmp_path / "out"), progress=False),
               embeddings=fake_embeddings, vectors=np.zeros((3, 64), np.float32), log=lambda *_: None)
    assert not (tmp_path / "out").exists()


def test_run_on_a_real_slice_writes_weights_card_and_fusion(data_dir, fake_embeddings, tmp_path):
    """40 real training dialogues, 2 epochs, fake embeddings: the whole pipeline, test ids excluded."""
    from convrec.catalog_sources import load_redial

    catalog = load_redial(data_dir)
    vectors = doc_vectors(catalog, fake_embeddings)
    out = tmp_path / "retriever"
    (out / "encoder").mkdir(parents=True)  # a stale tuned encoder from an earlier run ...
    (out / "encoder" / "config.json").write_text("{}")
    card = tr.run(tr.TrainConfig(data_dir=str(data_dir), out=str(out), limit=40, epochs=2, valid_fraction=0.25,
                                 progress=False, model=ModelConfig(dim=16), encoder=EncoderConfig(epochs=0)),
                  embeddings=fake_embeddings, vectors=vectors, catalog=catalog, log=lambda *_: None)
    test = tr.test_ids(data_dir)
    assert len(test) == 1342 and card["data"]["test_dialogues_in_training"] == 0
    assert card["data"]["train_dialogues"] + card["data"]["valid_dialogues"] == 40
    assert card["data"]["seeker_samples"] > 0 and card["config"]["seeker_targets"] is True
    assert card["refit"]["epochs"] in (1, 2) and "module" not in card["refit"]  # shipped: retrained on all 40
    assert {"model.pt", "card.json", "card.md", "retrieval.json", "rerank.json"} <= {p.name for p in out.iterdir()}
    from convrec import rerank

    cv = card["rerank"]["cross_validation"]
    assert set(cv) == {"folds", "fused", "reranked"} and "Second-stage reranker" in (out / "card.md").read_text()
    assert card["rerank"]["train_lists_with_target"] > 0  # out-of-fold lists of the training turns joined the fit
    names = ["semantic", "similar", "comention", "graph", "corating", "attribute", "popularity", "learned"]
    assert rerank.load_reranker(out, signals=names).depth == card["rerank"]["config"]["depth"]
    fused = learned.fused_config(out)
    assert "learned" in fused.weights and set(card["fusion"]["weights"]) >= {"learned", "comention"}
    assert learned.load_model(catalog, vectors, out) is not None
    assert not (out / "encoder").exists()  # ... never pairs with new two-tower weights


def test_fit_weights_prefers_the_signal_that_finds_the_targets():
    from types import SimpleNamespace

    from convrec.learned_fusion import fit_weights, fusion_objective

    rng = np.random.default_rng(0)
    n_turns, n_items = 40, 300
    samples = [SimpleNamespace(targets=[t], dedup=[True]) for t in range(n_turns)]
    good = rng.random((n_turns, n_items)).astype(np.float16) * 0.5
    good[np.arange(n_turns), np.arange(n_turns)] = 1.0  # the target always on top
    noise = rng.random((n_turns, n_items)).astype(np.float16)
    mats, masks = {"good": good, "noise": noise}, np.ones((n_turns, n_items), bool)
    start = {"good": 0.1, "noise": 3.0}
    assert fusion_objective(start, mats, masks, samples) < 1.0
    weights, best = fit_weights(start, mats, masks, samples, log=lambda *_: None)
    assert best == 1.0 and weights["good"] > weights["noise"]
    masks[0, 0] = False  # a filtered-out target is a miss whatever the weights
    assert fusion_objective(weights, mats, masks, samples) == pytest.approx(39 / 40)


def test_signals_for_falls_back_quietly_when_the_vectors_do_not_fit(small_catalog, fake_embeddings, tmp_path):
    cfg = ModelConfig(dim=8)
    docs = doc_vectors(small_catalog, fake_embeddings)  # 64-d
    learned.save_model(learned.build_module(docs, cfg), cfg, small_catalog, tmp_path, {})
    assert len(learned.signals_for(small_catalog, docs, tmp_path)) == 1
    with pytest.warns(UserWarning, match="disabled"):
        assert learned.signals_for(small_catalog, np.zeros((20, 384), np.float32), tmp_path) == []
    assert learned.signals_for(small_catalog, None, tmp_path) == []


def test_shipped_weights_load_onto_the_demo_catalog_with_minilm_sized_vectors():
    """The shipped model (if present) maps onto another catalog: content towers, zero id parts."""
    from convrec.catalog import load_demo

    if not (learned.MODEL_DIR / learned.WEIGHTS_FILE).exists():
        pytest.skip("no shipped weights in models/retriever/")
    demo = load_demo()
    rng = np.random.default_rng(0)
    vec = rng.normal(size=(len(demo), 384)).astype(np.float32)
    model = learned.load_model(demo, vec / np.linalg.norm(vec, axis=1, keepdims=True))
    scores = model.score([[0, 1]], rng.normal(size=(1, 384)).astype(np.float32))
    assert scores.shape == (1, len(demo)) and np.isfinite(scores).all()
    assert learned.fused_config().weights["learned"] > 0


def test_flatten_keeps_dedup_targets_and_hides_known_and_sibling_answers():
    s = tr.TurnSample("1", "ctx", seeds=[4, 5], targets=[5, 7, 8], dedup=[False, True, True])
    seeds, vec, ys, hidden = steps.flatten([s], np.ones((1, 3), np.float32))
    assert ys.tolist() == [7, 8] and vec.shape == (2, 3) and seeds == [[4, 5], [4, 5]]
    assert hidden == [[4, 5, 5, 8], [4, 5, 5, 7]]  # earlier mentions and the turn's other answers
    _, _, ys_all, _ = steps.flatten([s], np.ones((1, 3), np.float32), dedup_only=False)
    assert ys_all.tolist() == [5, 7, 8]
    scores = np.array([[0.0, 0, 0, 0, 9, 9, 1, 3, 2]])  # mentioned rows 4, 5 score highest
    rank, dedup = steps.ranks(scores, [s])
    assert rank.tolist() == [10 ** 9, 0, 1] and dedup.tolist() == [False, True, True]
    assert steps.ranks(scores, [s], exclude_mentioned=False)[0].tolist() == [0, 2, 3]


def test_out_of_fold_lists_never_see_their_own_dialogue(small_catalog, fake_embeddings):
    """Each liked -> answer pair occurs in exactly one dialogue, so signals built from the other folds
    have no co-mention evidence for any target: a fold that leaked its own dialogues would have."""
    from dataclasses import replace

    from convrec import crossfit
    from convrec.learned import LearnedModel, LearnedSignal

    small_catalog = Catalog([replace(it, source_ids={"redial": it.id}) for it in small_catalog], name="small")

    dialogues = [dialogue(k, str(100 + k), str(110 + k)) for k in range(10)]
    cfg = ModelConfig(dim=16)
    tc = tr.TrainConfig(progress=False, model=cfg)
    tc.rerank.depth = 20
    samples = tr.make_samples(dialogues, small_catalog, cfg, keep_state=True)
    vec = tr.embed_texts([s.text for s in samples], fake_embeddings)
    docs = doc_vectors(small_catalog, fake_embeddings)
    folds = crossfit.fold_of(dialogues, 5)
    assert sorted(folds.values()) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4] and crossfit.fold_of(dialogues, 5) == folds
    weights = {"comention": 1.0, "learned": 1.0, "semantic": 0.5}
    x, y, tops = crossfit.out_of_fold_lists(dialogues, samples, vec, small_catalog, docs, fake_embeddings, None, tc,
                                            weights, epochs=2, folds=5, log=lambda *_: None)
    assert x.shape[:2] == y.shape == tops.shape == (10, 20)
    for i, s in enumerate(samples):  # rows come back in sample order, labelled at their own target
        assert tops[i][y[i] == 1].tolist() == s.targets
    from convrec import collab, rerank
    from convrec.learned_fusion import signal_matrix
    from convrec.retrieval import RetrievalConfig, Retriever

    names = ["semantic", "similar", "comention", "graph", "corating", "attribute", "popularity", "learned"]
    col = rerank.feature_names(names).index("score:comention")
    assert (x[y == 1][:, col] == 0).all()
    module, _ = tr.train_model(samples, vec, [], vec[:0], docs, tc, log=lambda *_: None)  # in-sample, for contrast
    leaky = Retriever(docs, small_catalog, collab.build_signals(small_catalog, None, dialogues=dialogues),
                      RetrievalConfig(fusion="rank"), fake_embeddings, [LearnedSignal(LearnedModel(module, cfg, small_catalog, {}))])
    mats, masks, raw = signal_matrix(leaky, samples, vec, with_scores=True)
    lx, ly, _ = rerank.make_lists(names, weights, mats, raw, masks, samples, leaky.collab.mentions, 20)
    assert (lx[ly == 1][:, col] > 0).all()


# ---------------------------------------------------------------- fine-tuning MiniLM (convrec.encoder_tuning)

def tuning_setup(small_catalog, minilm, n: int = 16):
    from convrec.learned import build_module

    dialogues = [dialogue(k, str(100 + 2 * (k % 8)), str(101 + 2 * (k % 8))) for k in range(n)]
    cfg = ModelConfig(dim=16, dropout=0.0)
    samples = tr.make_samples(dialogues, small_catalog, cfg)
    tc = tr.TrainConfig(progress=False, model=cfg, encoder=EncoderConfig(epochs=6, lr=1e-4, head_lr=0.02, batch_size=8))
    return samples, tc, build_module(doc_vectors(small_catalog, minilm), cfg)


def test_tuning_changes_minilm_and_improves_target_ranks(small_catalog, minilm, tmp_path):
    """A real MiniLM trained as the context encoder: its weights move, the targets rise, and the saved
    encoder is what the loaded model embeds contexts with."""
    import torch

    from convrec.config import embedding_model_path
    from convrec.encoder_tuning import encode, load_sentence_model, save_encoder, tune

    torch.manual_seed(0)
    samples, tc, module = tuning_setup(small_catalog, minilm)
    encoder = load_sentence_model(embedding_model_path())
    before_w = {k: v.clone() for k, v in encoder.state_dict().items()}
    texts = [s.text for s in samples]
    before = target_ranks(module, samples, encode(encoder, texts), tc.model)
    history = tune(module, encoder, samples, tc, tc.encoder, log=lambda *_: None)
    vec = encode(encoder, texts)
    after = target_ranks(module, samples, vec, tc.model)
    assert history[-1]["train_loss"] < history[0]["train_loss"]
    moved = [k for k, v in encoder.state_dict().items() if not torch.equal(v, before_w[k])]
    assert any("encoder.layer.0." in k for k in moved) and any("word_embeddings" in k for k in moved)
    assert np.mean(after) < np.mean(before)

    learned.save_model(module, tc.model, small_catalog, tmp_path, {})
    save_encoder(encoder, tmp_path)
    model = learned.load_model(small_catalog, doc_vectors(small_catalog, minilm), tmp_path)
    assert model.encoder is not None
    again = model.encoder(texts[:3])
    assert np.allclose(again, vec[:3], atol=2e-2)  # float16 on disk: close, not identical
    from convrec.signals import Query

    query = Query(DialogueState(turns=[Turn(USER, texts[0])]), texts[0], np.zeros(0, int), np.zeros(0), {})
    assert learned.LearnedSignal(model).scores(query).shape == (len(small_catalog),)  # no index embedder needed


def test_a_tuning_that_does_not_beat_the_frozen_model_is_dropped(small_catalog, minilm, tmp_path):
    from convrec.encoder_tuning import tune_and_save

    samples, tc, module = tuning_setup(small_catalog, minilm, n=8)
    tc.encoder.epochs = 1
    before = {k: v.clone() for k, v in module.state_dict().items()}
    impossible = [{"valid": {"dedup": {"recall@50": 1.0, "recall@100": 1.0}}}]  # a frozen model nothing beats
    card, encoder = tune_and_save(module, samples, samples, impossible, tc, tmp_path, log=lambda *_: None)
    assert encoder is None and card["kept"] is False and not (tmp_path / "encoder").exists()
    assert all(np.array_equal(v, before[k]) for k, v in module.state_dict().items())  # the frozen model is back


def test_tuning_refuses_an_index_of_another_encoder(small_catalog, fake_embeddings, tmp_path):
    from convrec.encoder_tuning import tune_and_save
    from convrec.learned import build_module

    cfg = ModelConfig(dim=16)
    module = build_module(doc_vectors(small_catalog, fake_embeddings), cfg)  # 64-d, MiniLM gives 384-d
    tc = tr.TrainConfig(progress=False, model=cfg, encoder=EncoderConfig(epochs=1))
    with pytest.raises(ValueError, match="384-d vectors, the index 64-d"):
        tune_and_save(module, [], [], [], tc, tmp_path)


def test_weights_trained_with_a_tuned_encoder_refuse_to_run_without_it(small_catalog, fake_embeddings, tmp_path):
    """A copy that lost ``encoder/`` (a Space push without LFS, say) disables the signal with a warning
    instead of feeding it vectors of the wrong encoder."""
    from convrec.learned import build_module

    docs = doc_vectors(small_catalog, fake_embeddings)
    cfg = ModelConfig(dim=16)
    learned.save_model(build_module(docs, cfg), cfg, small_catalog, tmp_path, {"encoder_tuning": {"kept": True}})
    with pytest.raises(ValueError, match="encoder.*is missing"):
        learned.load_model(small_catalog, docs, tmp_path)
    with pytest.warns(UserWarning, match="learned retriever disabled"):
        assert learned.signals_for(small_catalog, docs, tmp_path) == []


def test_the_shipped_learned_signal_serves_only_a_catalog_it_was_trained_on():
    """On the demo catalog (no item the model trained on) the ReDial-fitted signal, fusion and reranker
    are left out: benchmarks/demo_openers.py measured precision@10 0.189 with them, 0.217 without."""
    import torch

    from convrec import learned, systems
    from convrec.catalog import Catalog, Item, load_demo

    class Index:  # only the vectors' shape matters to the gate
        def vectors(self, catalog):
            return np.random.default_rng(0).normal(size=(len(catalog), 384)).astype(np.float32)

    assert systems._learned_signals(load_demo(), Index()) == []
    trained = torch.load(learned.MODEL_DIR / learned.WEIGHTS_FILE, map_location="cpu", weights_only=True)["item_ids"]
    own = Catalog([Item(str(i), f"Film {i}", 2000) for i in trained[:40]] + [Item("new", "New Film", 2024)], name="own")
    [signal] = systems._learned_signals(own, Index())
    assert signal.model.known_share == 40 / 41
