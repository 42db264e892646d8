import pytest
import torch

from lectureutils import standins
from lectureutils.models import CATALOGUE, ENGLISH_GPT2


def state_dict(folder):
    from safetensors.torch import load_file

    return load_file(str(folder / "model.safetensors"))


def test_builds_are_deterministic(tmp_path, monkeypatch):
    folders = []
    for run in ["first", "second"]:
        monkeypatch.setenv("LECTUREUTILS_CACHE", str(tmp_path / run))
        folders.append(standins.build("gpt2", ENGLISH_GPT2))
    first, second = (state_dict(folder) for folder in folders)
    assert first.keys() == second.keys()
    assert all(torch.equal(first[key], second[key]) for key in first)
    assert (folders[0] / "tokenizer.json").read_bytes() == (folders[1] / "tokenizer.json").read_bytes()


def test_an_interrupted_build_leaves_nothing_that_looks_valid(fresh_cache, monkeypatch):
    def broken_builder(folder, **options):
        (folder / "config.json").write_text("{}")
        raise RuntimeError("power cut")

    monkeypatch.setitem(standins.BUILDERS, "broken", broken_builder)
    recipe = standins.StandIn("broken", "a builder that fails half-way")
    with pytest.raises(RuntimeError, match="power cut"):
        standins.build("broken-model", recipe)
    assert not standins.is_built("broken-model", recipe)
    assert list((fresh_cache / "standins").iterdir()) == []


def test_a_built_standin_is_reused(fresh_cache, monkeypatch):
    calls = []
    monkeypatch.setitem(standins.BUILDERS, "counting", lambda folder, **options: calls.append((folder / "config.json").write_text("{}")))
    recipe = standins.StandIn("counting", "counts builds")
    first = standins.build("m", recipe)
    second = standins.build("m", recipe)
    assert first == second and len(calls) == 1


def test_the_cache_key_changes_with_the_recipe():
    small = standins.StandIn("bert_korean", "x", {"max_positions": 300})
    large = standins.StandIn("bert_korean", "x", {"max_positions": 512})
    assert small.key() != large.key()


@pytest.mark.parametrize("name", [name for name, entry in CATALOGUE.items() if isinstance(entry.offline, standins.StandIn)])
def test_every_catalogued_standin_builds_and_loads(name):
    from transformers import AutoConfig

    folder = standins.build(name, CATALOGUE[name].offline)
    config = AutoConfig.from_pretrained(str(folder))
    assert config.model_type in {"bert", "gpt2"}
    assert (folder / "tokenizer.json").exists() or (folder / "tokenizer_config.json").exists()


def test_korean_vocabulary_is_trained_on_project_text():
    tokenizer = standins.train_korean_wordpiece(["드론이 미세먼지를 측정한다.", "드론 활용 범위가 넓어진다."] * 20, 200)
    assert tokenizer.convert_ids_to_tokens([0, 1, 2, 3, 4]) == standins.KOREAN_SPECIALS
    assert "[UNK]" not in tokenizer.tokenize("드론이 미세먼지를 측정한다.")


@pytest.mark.parametrize("name", [name for name, entry in CATALOGUE.items() if isinstance(entry.offline, standins.StandIn)])
def test_every_standin_carries_its_marker_in_config_and_tokenizer_config(name):
    import json

    folder = standins.build(name, CATALOGUE[name].offline)
    summary = CATALOGUE[name].offline.summary
    assert json.loads((folder / "config.json").read_text())[standins.MARKER] == summary
    assert json.loads((folder / "tokenizer_config.json").read_text())[standins.MARKER] == summary
