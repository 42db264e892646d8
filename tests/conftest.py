"""Shared fixtures: every test runs offline, with stand-ins cached once per session."""

import os

import pytest


@pytest.fixture(autouse=True)
def offline_mode(monkeypatch):
    """Tests never touch the network: offline mode unless a test says otherwise."""
    monkeypatch.setenv("LECTUREUTILS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """An empty lectureutils cache for tests that build stand-ins from scratch."""
    monkeypatch.setenv("LECTUREUTILS_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture(scope="session")
def load_english_tokenizer():
    """Load a fresh copy of the real bert-base-uncased WordPiece tokenizer (shipped with the packaged
    all-MiniLM-L6-v2); fresh, because some tests change a tokenizer's settings."""
    from transformers import AutoTokenizer

    from lectureutils.standins import packaged_minilm_path

    return lambda: AutoTokenizer.from_pretrained(str(packaged_minilm_path()))


@pytest.fixture(scope="session")
def tiny_bert_config():
    """Make the 1-layer, width-16 ``BertConfig`` that unit tests build random models from."""
    from transformers import BertConfig

    def make(vocab_size: int, max_positions: int):
        return BertConfig(
            vocab_size=vocab_size,
            hidden_size=16,
            num_hidden_layers=1,
            num_attention_heads=2,
            intermediate_size=32,
            max_position_embeddings=max_positions,
        )

    return make


os.environ.setdefault("MPLBACKEND", "Agg")
