"""Paths and network defaults: every writable path under CONVREC_HOME; the hub stays off unless
the user names a hub model."""
from __future__ import annotations

import os

import pytest

from convrec import config

HUB_VARS = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", *config.MODEL_VARS)


@pytest.fixture
def clean_env(monkeypatch):
    for v in HUB_VARS:
        monkeypatch.delenv(v, raising=False)
    return monkeypatch


def test_default_models_keep_the_hub_offline(clean_env):
    config.offline_env()
    assert os.environ["HF_HUB_OFFLINE"] == "1" and os.environ["TRANSFORMERS_OFFLINE"] == "1"


def test_a_local_model_path_keeps_the_hub_offline(clean_env, tmp_path):
    clean_env.setenv("CONVREC_BASE_MODEL", str(tmp_path))
    config.offline_env()
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_a_hub_id_named_by_the_user_leaves_the_hub_reachable(clean_env):
    clean_env.setenv("CONVREC_BASE_MODEL", "HuggingFaceTB/SmolLM2-135M-Instruct")
    config.offline_env()
    assert "HF_HUB_OFFLINE" not in os.environ and "TRANSFORMERS_OFFLINE" not in os.environ


def test_an_explicit_offline_setting_wins(clean_env):
    clean_env.setenv("CONVREC_EMBEDDING_MODEL", "sentence-transformers/all-MiniLM-L6-v2")
    clean_env.setenv("HF_HUB_OFFLINE", "1")
    config.offline_env()
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_home_moves_every_writable_path(monkeypatch, tmp_path):
    monkeypatch.setenv("CONVREC_HOME", str(tmp_path / "elsewhere"))
    assert config.home() == tmp_path / "elsewhere" and config.home().is_dir()


def test_embedding_dtype_from_environment(monkeypatch):
    monkeypatch.setenv("CONVREC_EMBEDDING_DTYPE", "Float32")
    assert config.embedding_dtype() == "float32"
    monkeypatch.setenv("CONVREC_EMBEDDING_DTYPE", "bfloat16")
    assert config.embedding_dtype() == "bfloat16"
    monkeypatch.setenv("CONVREC_EMBEDDING_DTYPE", "auto")
    assert config.embedding_dtype() == ("bfloat16" if config.cpu_has_bf16() else "float32")
    monkeypatch.setenv("CONVREC_EMBEDDING_DTYPE", "int4")
    with pytest.raises(ValueError, match="CONVREC_EMBEDDING_DTYPE"):
        config.embedding_dtype()
