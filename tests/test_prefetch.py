from types import SimpleNamespace

import pytest

from lectureutils import env, prefetch
from lectureutils.catalogue import CATALOGUE
from lectureutils.data import CORPORA

# The file list of sentence-transformers/all-MiniLM-L6-v2 as the hub shows it (abridged), with its many copies.
MINILM_SIBLINGS = [
    ".gitattributes", "1_Pooling/config.json", "README.md", "config.json", "config_sentence_transformers.json",
    "data_config.json", "model.safetensors", "modules.json", "onnx/model.onnx", "onnx/model_O1.onnx",
    "openvino/openvino_model.bin", "openvino/openvino_model.xml", "pytorch_model.bin", "rust_model.ot",
    "sentence_bert_config.json", "special_tokens_map.json", "tf_model.h5", "tokenizer.json",
    "tokenizer_config.json", "train_script.py", "vocab.txt",
]


def test_only_what_the_notebooks_load_is_selected():
    assert prefetch.select_files(MINILM_SIBLINGS) == [
        "1_Pooling/config.json", "config.json", "config_sentence_transformers.json", "model.safetensors",
        "modules.json", "sentence_bert_config.json", "special_tokens_map.json", "tokenizer.json",
        "tokenizer_config.json", "vocab.txt",
    ]


def test_pytorch_bin_only_when_a_repository_has_no_safetensors():
    kogpt2_like = ["config.json", "pytorch_model.bin", "tokenizer.json", "flax_model.msgpack", "tf_model.h5"]
    assert prefetch.select_files(kogpt2_like) == ["config.json", "pytorch_model.bin", "tokenizer.json"]
    both = ["config.json", "model.safetensors", "pytorch_model.bin", "vocab.txt"]
    assert "pytorch_model.bin" not in prefetch.select_files(both)


def test_sharded_weights_sentencepiece_and_dense_modules():
    siblings = [
        "config.json", "generation_config.json", "model-00001-of-00002.safetensors",
        "model-00002-of-00002.safetensors", "model.safetensors.index.json", "sentencepiece.bpe.model",
        "2_Dense/config.json", "2_Dense/model.safetensors", "2_Dense/pytorch_model.bin", "3_Dense/config.json",
        "3_Dense/pytorch_model.bin", "onnx/config.json", "coreml/model.mlpackage/Manifest.json", "merges.txt",
    ]
    assert prefetch.select_files(siblings) == [
        "2_Dense/config.json", "2_Dense/model.safetensors", "3_Dense/config.json", "3_Dense/pytorch_model.bin",
        "config.json", "generation_config.json", "merges.txt", "model-00001-of-00002.safetensors",
        "model-00002-of-00002.safetensors", "model.safetensors.index.json", "sentencepiece.bpe.model",
    ]


@pytest.fixture
def fake_hub(monkeypatch):
    """model_info and snapshot_download without a network: every repository looks like all-MiniLM-L6-v2."""
    import huggingface_hub

    downloads = []

    class FakeApi:
        def model_info(self, name, files_metadata=False):
            assert files_metadata
            return SimpleNamespace(siblings=[SimpleNamespace(rfilename=f, size=1000) for f in MINILM_SIBLINGS])

    monkeypatch.setattr(huggingface_hub, "HfApi", FakeApi)
    monkeypatch.setattr(huggingface_hub, "snapshot_download",
                        lambda name, allow_patterns=None, cache_dir=None: downloads.append((name, allow_patterns, cache_dir)))
    return downloads


def test_fetch_asks_for_exactly_the_selected_files(fake_hub, capsys):
    prefetch.fetch_models()
    assert [name for name, _, _ in fake_hub] == list(CATALOGUE)
    assert all(patterns == prefetch.select_files(MINILM_SIBLINGS) for _, patterns, _ in fake_hub)
    assert "10 files, 10.0 kB" in capsys.readouterr().out


def test_dry_run_online_lists_files_and_total_size(fake_hub):
    lines = prefetch.plan_lines(online=True)
    text = "\n".join(lines)
    for name in CATALOGUE:
        assert name in text
    assert "onnx" not in text and "tf_model.h5" not in text and "model.safetensors  1.0 kB" in text
    assert text.count("total 10.0 kB") == len(CATALOGUE)
    assert lines[-1].startswith("total ")
    assert not fake_hub  # a dry run downloads nothing


def test_dry_run_offline_lists_every_model_and_data_set(capsys):
    assert prefetch.main(["--dry-run"]) == 0
    captured = capsys.readouterr()
    for name in CATALOGUE:
        assert name in captured.out
    assert "offline (LECTUREUTILS_OFFLINE=1): model files and sizes unavailable" in captured.out
    for corpus in CORPORA:
        assert corpus.title in captured.out
        for spec in corpus.files.values():
            assert spec.filename in captured.out


def test_fetch_datasets_downloads_each_corpus_online(monkeypatch, capsys):
    import lectureutils.corpus

    fetched = []
    monkeypatch.setattr(lectureutils.corpus, "corpus_files", lambda corpus, offline: fetched.append((corpus.name, offline)))
    prefetch.fetch_datasets()
    assert fetched == [(corpus.name, False) for corpus in CORPORA]


def test_fetch_writes_into_the_students_cache_never_the_offline_view(fake_hub, monkeypatch, tmp_path, capsys):
    """After setup() offline a notebook's process names the offline view in HF_HUB_CACHE; models still go to the
    student's own cache (recorded by setup)."""
    monkeypatch.setenv("HF_HUB_CACHE", str(env.offline_hub_cache()))
    monkeypatch.setenv(env.REAL_HF_HUB_CACHE, str(tmp_path / "hub"))
    prefetch.fetch_models()
    assert {cache for _, _, cache in fake_hub} == {str(tmp_path / "hub")}


def test_prefetch_refuses_to_run_offline(capsys):
    assert prefetch.main([]) == 2
    assert "offline" in capsys.readouterr().err


def test_standins_are_built_without_network(fresh_cache, capsys, monkeypatch):
    from lectureutils import models, standins

    built, views = [], []
    monkeypatch.setattr(standins, "build", lambda name, recipe: built.append(name) or fresh_cache / name)
    monkeypatch.setattr(models, "offline_hub", lambda: views.append(1) or {"gpt2": "stand-in"})
    assert prefetch.main(["--standins"]) == 0
    assert views == [1] and "offline Hugging Face cache" in capsys.readouterr().out  # the view is filled too
    assert "sentence-transformers/all-MiniLM-L6-v2" not in built  # the packaged real model needs no build
    assert set(built) == {name for name, entry in CATALOGUE.items() if isinstance(entry.offline, standins.StandIn)}
