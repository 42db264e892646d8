import pytest

from lectureutils import modes


def test_env_flag_reads_common_spellings(monkeypatch):
    for raw, expected in [("1", True), ("yes", True), ("ON", True), ("0", False), ("false", False), ("", False)]:
        monkeypatch.setenv("LECTUREUTILS_FAST", raw)
        assert modes.env_flag("LECTUREUTILS_FAST") is expected
    monkeypatch.delenv("LECTUREUTILS_FAST")
    assert modes.env_flag("LECTUREUTILS_FAST") is None


def test_env_flag_refuses_unclear_values(monkeypatch):
    monkeypatch.setenv("LECTUREUTILS_FAST", "maybe")
    with pytest.raises(ValueError, match="LECTUREUTILS_FAST"):
        modes.is_fast()


def test_offline_switch_wins_over_the_network_probe(monkeypatch):
    monkeypatch.setattr(modes, "hub_reachable", lambda: True)
    monkeypatch.setenv("LECTUREUTILS_OFFLINE", "1")
    assert modes.offline_reason() == "LECTUREUTILS_OFFLINE=1"
    monkeypatch.setenv("LECTUREUTILS_OFFLINE", "0")
    assert modes.offline_reason() is None
    assert not modes.is_offline()


def test_no_route_to_the_hub_means_offline(monkeypatch):
    monkeypatch.delenv("LECTUREUTILS_OFFLINE")
    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.setattr(modes, "hub_reachable", lambda: False)
    assert modes.offline_reason() == "no route to huggingface.co"
    monkeypatch.setattr(modes, "hub_reachable", lambda: True)
    assert modes.offline_reason() is None


def test_pick_follows_fast_mode(monkeypatch):
    monkeypatch.setenv("LECTUREUTILS_FAST", "1")
    assert modes.pick(full=1000, fast=10) == 10
    monkeypatch.setenv("LECTUREUTILS_FAST", "0")
    assert modes.pick(full=1000, fast=10) == 1000


def test_cache_dir_honours_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("LECTUREUTILS_CACHE", str(tmp_path / "here"))
    assert modes.cache_dir() == tmp_path / "here"
    assert (tmp_path / "here").is_dir()
