"""Shared fixtures: a fresh CONVREC_HOME per test, the shared data dir, real embeddings."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from convrec import config

config.offline_env()

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(autouse=True)
def convrec_home(tmp_path, monkeypatch):
    """Every test writes under its own temp CONVREC_HOME."""
    home = tmp_path / "convrec_home"
    monkeypatch.setenv("CONVREC_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The real data directory (CONVREC_DATA_DIR or ../shared/data); skip if absent."""
    value = os.environ.get("CONVREC_DATA_DIR") or (str(SHARED_DATA) if SHARED_DATA.is_dir() else None)
    if not value or not Path(value, "redial").is_dir():
        pytest.skip("data directory absent: set CONVREC_DATA_DIR or put shared/data beside the repo")
    return Path(value)


class FakeEmbeddings:
    """Deterministic langchain-style embeddings: a bag of hashed words, L2-normalised.

    Texts sharing words are close, so rankings can be asserted exactly without a model.
    """

    dim = 64

    def _one(self, text: str) -> list[float]:
        vec = [0.0] * self.dim
        for word in text.lower().replace(",", " ").replace(".", " ").split():
            vec[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
        norm = sum(v * v for v in vec) ** 0.5 or 1.0
        return [v / norm for v in vec]

    def embed_documents(self, texts):
        return [self._one(t) for t in texts]

    def embed_query(self, text):
        return self._one(text)


@pytest.fixture
def fake_embeddings():
    return FakeEmbeddings()


@pytest.fixture(scope="session")
def minilm():
    """The real local all-MiniLM-L6-v2 through langchain-huggingface (loaded once)."""
    from convrec.index import local_embeddings

    return local_embeddings()
