"""The Chroma index: real Chroma in a temp CONVREC_HOME, deterministic fake embeddings where ranks are asserted."""
from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import FakeEmbeddings
from convrec import index as idx
from convrec.catalog import Catalog, CatalogError, Item, Person


def make_catalog(extra: str = "") -> Catalog:
    return Catalog([
        Item("a", "Stripes Forever", 2001, ["Comedy"], description="zebra zebra zebra" + extra),
        Item("b", "One Stripe", 1985, ["Drama", "Horror"], description="zebra walrus"),
        Item("c", "Cold Seas", 1999, ["Horror"], [Person("Ann Lee", "director")], description="walrus walrus ice"),
        Item("d", "Desert Run", 2010, ["Action"], description="camel sand dune"),
    ], name="tiny")


class CountingEmbeddings(FakeEmbeddings):
    """FakeEmbeddings that counts embedded documents (same embedder id, so same index folder)."""

    embedder_id = "FakeEmbeddings"

    def __init__(self):
        self.documents = 0

    def embed_documents(self, texts):
        self.documents += len(texts)
        return super().embed_documents(texts)


class FailingEmbeddings(CountingEmbeddings):
    """Raises after the first batch: an interrupted build."""

    def embed_documents(self, texts):
        if self.documents:
            raise RuntimeError("killed mid-build")
        return super().embed_documents(texts)


def test_build_and_search_exact_ranking(fake_embeddings):
    index = idx.build_index(make_catalog(), fake_embeddings, progress=False, log=None)
    assert index.count() == 4
    hits = index.search("zebra", k=2)
    assert [h[0] for h in hits] == ["a", "b"]  # three zebras beat one
    assert hits[0][1] > hits[1][1]
    assert index.search("walrus ice", k=1)[0][0] == "c"


def test_metadata_filters(fake_embeddings):
    index = idx.build_index(make_catalog(), fake_embeddings, progress=False, log=None)
    assert [h[0] for h in index.search("zebra", k=4, where={"genre_horror": True})] == ["b", "c"]
    assert [h[0] for h in index.search("zebra", k=4, where={"year": {"$lt": 2000}})] == ["b", "c"]
    got = index.store.get(ids=["c"])["metadatas"][0]
    assert got["genres"] == "Horror" and got["title"] == "Cold Seas" and got["year"] == 1999


def test_vectors_follow_catalog_order(fake_embeddings):
    catalog = make_catalog()
    vecs = idx.build_index(catalog, fake_embeddings, progress=False, log=None).vectors(catalog)
    expected = np.array(fake_embeddings.embed_documents([it.document() for it in catalog]), dtype=np.float32)
    np.testing.assert_allclose(vecs, expected, atol=1e-6)


def test_rebuild_is_noop():
    emb = CountingEmbeddings()
    first = idx.build_index(make_catalog(), emb, progress=False, log=None)
    assert emb.documents == 4
    second = idx.build_index(make_catalog(), emb, progress=False, log=None)
    assert emb.documents == 4  # nothing re-embedded
    assert second.path == first.path
    assert idx.open_index(make_catalog(), emb).path == first.path


def test_changed_catalog_swaps_in_new_version():
    emb = CountingEmbeddings()
    old = idx.build_index(make_catalog(), emb, progress=False, log=None)
    new = idx.build_index(make_catalog(extra=" changed"), emb, progress=False, log=None)
    assert new.path != old.path and emb.documents == 8
    assert not old.path.exists()  # the superseded version is cleaned up
    current = json.loads((new.path.parent / idx.CURRENT).read_text())
    assert current["dir"] == new.path.name and current["items"] == 4


def test_interrupted_build_keeps_old_index():
    catalog = make_catalog()
    old = idx.build_index(catalog, CountingEmbeddings(), progress=False, log=None)
    bigger = Catalog(list(make_catalog(extra=" v2")) + [Item(f"x{i}", f"Extra {i}") for i in range(10)], name="tiny")
    with pytest.raises(RuntimeError, match="killed"):
        idx.build_index(bigger, FailingEmbeddings(), batch_size=4, progress=False, log=None)
    reopened = idx.open_index(catalog, FakeEmbeddings(), build=False)
    assert reopened.path == old.path and reopened.count() == 4
    assert reopened.search("zebra", k=1)[0][0] == "a"
    assert [p.name for p in old.path.parent.glob("v-*")] == [old.path.name]  # the partial build is gone
    emb = CountingEmbeddings()
    idx.build_index(catalog, emb, progress=False, log=None)
    assert emb.documents == 0  # the old index is still current: no re-embedding


def test_open_without_index_is_a_clear_error(fake_embeddings):
    with pytest.raises(FileNotFoundError, match="no index for catalog 'tiny'"):
        idx.open_index(make_catalog(), fake_embeddings, build=False)


def test_cli_corrupt_catalog_names_file_line_field(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1", "title": "Fine"}\n{"id": "2", "year": 1999}\n')
    assert idx.main(["build", "--source", "file", "--path", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:2" in err and "'title'" in err


def test_cli_help(capsys):
    with pytest.raises(SystemExit) as e:
        idx.main(["build", "--help"])
    assert e.value.code == 0 and "--source" in capsys.readouterr().out


def test_cli_builds_file_catalog_with_local_model(tmp_path, capsys, convrec_home):
    path = tmp_path / "mine.jsonl"
    path.write_text("\n".join(json.dumps({"id": str(i), "title": t, "genres": g}) for i, (t, g) in
                              enumerate([("Quiet Lake", ["Drama"]), ("Space Pirates", ["Sci-Fi"])])))
    assert idx.main(["build", "--source", "file", "--path", str(path)]) == 0
    assert "indexed 2 items from 'mine.jsonl'" in capsys.readouterr().out
    assert idx.main(["build", "--source", "file", "--path", str(path)]) == 0
    assert "index up to date" in capsys.readouterr().out
    lazy = idx.LazyEmbeddings()
    idx.build_index(idx.load_catalog("file", path=path), lazy, log=None)
    assert lazy._real is None  # the no-op check never loaded the model
    assert list((convrec_home / "index").glob("mine.jsonl-*/v-*"))


def test_minilm_embeds_locally(minilm):
    a, b, c = minilm.embed_documents(["a scary film about aliens on a spaceship",
                                       "a horror movie set in outer space", "a cheerful cooking show"])
    assert len(a) == 384 and abs(np.linalg.norm(a) - 1) < 1e-4
    assert np.dot(a, b) > np.dot(a, c)
    # the local wheel's folder (not a hub id), tagged with the precision unless float32
    assert idx.embedder_id(minilm).split("@")[0].endswith("model")


def test_item_metadata_has_no_none():
    meta = idx.item_metadata(Item("z", "No Year", None, ["Sci-Fi", "Film-Noir"]))
    assert "year" not in meta and meta["genre_sci-fi"] is True and meta["genre_film-noir"] is True
    assert all(v is not None for v in meta.values())


def test_catalog_error_is_raised_for_missing_ids(fake_embeddings):
    catalog = make_catalog()
    index = idx.build_index(catalog, fake_embeddings, progress=False, log=None)
    other = Catalog(list(catalog) + [Item("new", "New One")], name="tiny")
    with pytest.raises(CatalogError, match="rebuild"):
        index.vectors(other)


def test_threaded_embeddings_keep_order_and_vectors(minilm):
    """Threads embed interleaved slices; the result is the sequential result, row for row."""
    import torch

    texts = [f"film number {i}: " + "a tense heist " * (i % 7) for i in range(23)]
    before = torch.get_num_threads()
    threaded = idx.ThreadedEmbeddings(minilm, workers=3)
    got = np.asarray(threaded.embed_documents(texts))
    want = np.asarray(minilm.embed_documents(texts))
    assert got.shape == want.shape
    assert np.allclose(got, want, atol=1e-5 if "@" not in idx.embedder_id(minilm) else 2e-2)
    assert torch.get_num_threads() == before  # the process-wide setting is restored
    assert idx.embedder_id(threaded) == idx.embedder_id(minilm)  # same index folder and build key


def test_threaded_build_equals_single_thread_build(fake_embeddings):
    catalog = Catalog([Item(f"i{n}", f"Item {n}", description=" ".join(["zebra"] * n)) for n in range(1, 40)],
                      name="many")
    one = idx.build_index(catalog, fake_embeddings, progress=False, log=None, workers=1).vectors(catalog)
    four = idx.build_index(catalog, fake_embeddings, force=True, progress=False, log=None, workers=4).vectors(catalog)
    assert np.array_equal(one, four)


def test_embedder_id_names_the_precision(monkeypatch):
    """float32 keeps the bare model name (old indexes stay valid); other precisions get their own index."""
    plain = idx.LazyEmbeddings("some/model", dtype="float32")
    half = idx.LazyEmbeddings("some/model", dtype="bfloat16")
    assert idx.embedder_id(plain) == "some/model" and idx.embedder_id(half) == "some/model@bfloat16"
    assert idx.index_root("redial", plain) != idx.index_root("redial", half)


def test_lazy_and_loaded_embeddings_share_an_index(minilm):
    assert idx.embedder_id(idx.LazyEmbeddings()) == idx.embedder_id(minilm)


def test_likeness_compares_documents_without_titles_and_is_kept_beside_the_index():
    """MiniLM had put Inside Out 2 and Knives Out nearest Get Out by the word "Out": film to film likeness
    (the similar signal) reads the documents without their titles; the semantic signal keeps them."""
    from convrec import collab
    from convrec.retrieval import RetrievalConfig, Retriever
    from convrec.state import USER, DialogueState, Preferences, Turn

    cat = Catalog([
        Item("get", "Get Out Now Again Tonight", 2017, ["Horror"], description="a sinister secret"),
        Item("inside", "Inside Out Now Again Tonight", 2017, ["Animation"], description="emotions steer young girl"),
        Item("follows", "Follows", 2014, ["Horror"], description="a sinister secret here"),
        Item("bare", "Out Now", 2000),  # nothing but a title: keeps its document vector
    ], name="likeness")
    emb = CountingEmbeddings()
    index = idx.build_index(cat, emb, progress=False, log=None)
    likeness = index.likeness_vectors(cat)
    assert np.allclose(likeness[3], index.vectors(cat)[3]) and not np.allclose(likeness[0], index.vectors(cat)[0])
    assert np.allclose(likeness[0], np.array(emb.embed_documents([cat["get"].likeness_text()]))[0])
    assert cat["get"].likeness_text() == "Genres: Horror. a sinister secret"
    state = DialogueState(turns=[Turn(USER, "I loved it")], preferences=Preferences(liked=["get"]))

    def similar(title_free: bool) -> np.ndarray:
        signals = collab.build_signals(cat, None, use_cache=False)
        r = Retriever(index, cat, signals, RetrievalConfig(title_free_likeness=title_free), emb)
        return r.signal_scores(state, all_signals=True)["similar"]

    with_titles, without = similar(False), similar(True)
    assert without[2] > without[1] + 0.5  # It Follows, not Inside Out: the shared words "Out Now Again Tonight"
    assert without[2] - without[1] > with_titles[2] - with_titles[1] + 0.3  # counted much more with the titles
    # embedded once: a reopened index reads the file
    emb.documents = 0
    reopened = idx.open_index(cat, emb, build=False)
    assert np.allclose(reopened.likeness_vectors(cat), likeness) and emb.documents == 0
