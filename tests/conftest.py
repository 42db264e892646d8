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


os.environ.setdefault("MPLBACKEND", "Agg")
