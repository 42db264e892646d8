"""lectureutils.env: the one owner of offline (and why), fast, cache and data folders, seed."""

import pytest

from lectureutils import env


def test_env_flag_reads_common_spellings(monkeypatch):
    for raw, expected in [("1", True), ("yes", True), ("ON", True), ("0", False), ("false", False), ("", False)]:
        monkeypatch.setenv("LECTUREUTILS_FAST", raw)
        assert env.env_flag("LECTUREUTILS_FAST") is expected
    monkeypatch.delenv("LECTUREUTILS_FAST")
    assert env.env_flag("LECTUREUTILS_FAST") is None


def test_env_flag_refuses_unclear_values(monkeypatch):
    monkeypatch.setenv("LECTUREUTILS_FAST", "maybe")
    with pytest.raises(ValueError, match="LECTUREUTILS_FAST"):
        env.is_fast()


def test_offline_switch_wins_over_the_network_probe(monkeypatch):
    monkeypatch.setattr(env, "hub_reachable", lambda: True)
    monkeypatch.setenv("LECTUREUTILS_OFFLINE", "1")
    assert env.offline_reason() == "LECTUREUTILS_OFFLINE=1"
    monkeypatch.setenv("LECTUREUTILS_OFFLINE", "0")
    assert env.offline_reason() is None
    assert not env.is_offline()


def test_hf_hub_offline_and_no_route_are_reasons_too(monkeypatch):
    monkeypatch.delenv("LECTUREUTILS_OFFLINE")
    monkeypatch.setattr(env, "hub_reachable", lambda: True)
    assert env.offline_reason() == "HF_HUB_OFFLINE=1"
    monkeypatch.delenv("HF_HUB_OFFLINE")
    assert env.offline_reason() is None
    monkeypatch.setattr(env, "hub_reachable", lambda: False)
    assert env.offline_reason() == "no route to huggingface.co"
    assert env.is_offline()


def test_cache_dir_honours_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("LECTUREUTILS_CACHE", str(tmp_path / "here"))
    assert env.cache_dir() == tmp_path / "here"
    assert (tmp_path / "here").is_dir()
    monkeypatch.delenv("LECTUREUTILS_CACHE")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert env.cache_dir() == tmp_path / ".cache" / "lectureutils"


def test_relative_cache_dir_is_made_absolute_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LECTUREUTILS_CACHE", "rel/cache")
    path = env.cache_dir()
    assert path.is_absolute() and path == tmp_path / "rel" / "cache"


def test_tilde_cache_puts_standins_and_data_sets_under_home(tmp_path, monkeypatch):
    """Issue 11: LECTUREUTILS_CACHE=~/x used to put stand-ins in a literal ./~/x and data sets in $HOME/x."""
    home, elsewhere = tmp_path / "home", tmp_path / "cwd"
    home.mkdir()
    elsewhere.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("LECTUREUTILS_CACHE", "~/x")
    assert env.cache_dir() == home / "x"

    from lectureutils import catalogue, standins

    name, entry = next((n, e) for n, e in catalogue.CATALOGUE.items() if isinstance(e.offline, standins.StandIn))
    assert standins.standin_path(name, entry.offline).is_relative_to(home / "x")

    from lectureutils import data

    from lectureutils.corpus import corpus_files

    paths = [p for corpus in data.CORPORA for p in corpus_files(corpus, offline=True, sample=True, progress=False).values()]
    assert paths and all(path.is_relative_to(home / "x") for path in paths)
    assert not (elsewhere / "~").exists()


def test_data_dir_defaults_to_the_repository_and_can_move(tmp_path, monkeypatch):
    monkeypatch.delenv("LECTUREUTILS_DATA", raising=False)
    assert (env.data_dir() / "nsmc_sample.tsv").is_file()
    monkeypatch.setenv("LECTUREUTILS_DATA", str(tmp_path))
    assert env.data_dir() == tmp_path
    monkeypatch.setenv("LECTUREUTILS_DATA", str(tmp_path / "missing"))
    with pytest.raises(FileNotFoundError, match="offline samples"):
        env.data_dir()


def test_seed_defaults_to_the_lectures_and_refuses_words(monkeypatch):
    monkeypatch.delenv("LECTUREUTILS_SEED", raising=False)
    assert env.seed() == 7
    monkeypatch.setenv("LECTUREUTILS_SEED", "42")
    assert env.seed() == 42
    monkeypatch.setenv("LECTUREUTILS_SEED", "seven")
    with pytest.raises(ValueError, match="LECTUREUTILS_SEED"):
        env.seed()


def test_solve_mode_switch(monkeypatch):
    monkeypatch.delenv("LECTUREUTILS_SOLVE_EXERCISES", raising=False)
    assert not env.solve_exercises()
    monkeypatch.setenv("LECTUREUTILS_SOLVE_EXERCISES", "1")
    assert env.solve_exercises()


def test_results_dir_is_optional_and_expanded(tmp_path, monkeypatch):
    monkeypatch.delenv("LECTUREUTILS_RESULTS", raising=False)
    assert env.results_dir() is None
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("LECTUREUTILS_RESULTS", "~/results")
    assert env.results_dir() == tmp_path / "results"
