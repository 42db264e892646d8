"""Tests for lectureutils.corpus: the one Corpus record and its generic loaders, on a made-up corpus."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from lectureutils import corpus as corpus_module
from lectureutils import download as dl
from lectureutils.corpus import (
    Corpus,
    DataFormatError,
    RemoteFile,
    corpus_files,
    load_corpus,
    split_json_list,
    split_lines,
)

LINES = "id\tword\tlabel\n" + "".join(f"{i}\tw{i}\t{i % 2}\n" for i in range(1, 17))


def read_lines(path, *, upper=False):
    rows = Path(path).read_text(encoding="utf-8").splitlines()
    if rows[0] != "id\tword\tlabel":
        raise DataFormatError(f"{path}, line 1: bad header")
    return [r.upper() if upper else r for r in rows[1:]]


@pytest.fixture
def toy(tmp_path, monkeypatch):
    """A corpus whose sample lives in a private data dir, with a private cache and no network."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "toy_sample.tsv").write_text(LINES, encoding="utf-8")
    monkeypatch.setenv("LECTUREUTILS_DATA", str(data))
    monkeypatch.setenv("LECTUREUTILS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(dl.urllib.request, "urlopen", lambda *a, **k: pytest.fail("the network was touched"))
    real = b"id\tword\tlabel\n100\treal\t1\n"
    files = {
        split: RemoteFile(f"https://example.invalid/toy/{split}.tsv", hashlib.sha256(real).hexdigest(), len(real), 1)
        for split in ("train", "dev")
    }
    toy = Corpus(
        name="toy", title="Toy", files=files, sample="toy_sample.tsv", reader=read_lines,
        sample_splits=split_lines("dev", every=4, group=lambda line: line.rsplit("\t", 1)[-1]),
        aliases={"validation": "dev"},
    )
    return toy, tmp_path / "cache", real


def test_offline_splits_sample_and_says_so(toy, capsys):
    corpus, cache, _ = toy
    files = corpus_files(corpus, offline=True)
    assert set(files) == {"train", "dev"} and all(p.is_relative_to(cache / "samples" / "toy") for p in files.values())
    train, dev = load_corpus(corpus, "train", offline=True), load_corpus(corpus, "validation", offline=True)
    assert len(dev) == 4 and len(train) == 12 and set(train).isdisjoint(dev)
    assert {r.rsplit("\t", 1)[-1] for r in dev} == {"0", "1"}  # every 4th within each label
    out = capsys.readouterr().out
    assert out.count("offline mode: Toy") == 4 and "comes from the sample" in out
    assert load_corpus(corpus, "dev", offline=True, upper=True)[0].startswith("7\tW7")  # reader options pass on


def test_offline_prefers_a_verified_prefetched_copy(toy, capsys):
    corpus, cache, real = toy
    (cache / "toy").mkdir(parents=True)
    (cache / "toy" / "train.tsv").write_bytes(real)
    (cache / "toy" / "dev.tsv").write_bytes(real.replace(b"real", b"fake"))  # same size, wrong checksum
    assert load_corpus(corpus, "train", offline=True) == ["100\treal\t1"]
    assert "is the real file" in capsys.readouterr().out
    assert len(load_corpus(corpus, "dev", offline=True)) == 4
    assert load_corpus(corpus, "train", offline=True, sample=True) != ["100\treal\t1"]  # sample=True: sample


def test_online_downloads_with_explicit_arguments(toy, monkeypatch, capsys):
    corpus, cache, real = toy
    calls = []

    def fake_download(url, dest, sha256=None, *, progress=True, num_bytes=None):
        calls.append((url, Path(dest), sha256, num_bytes, progress))
        Path(dest).parent.mkdir(parents=True, exist_ok=True)
        Path(dest).write_bytes(real)
        return Path(dest)

    monkeypatch.setattr(dl, "download", fake_download)
    assert load_corpus(corpus, "dev", offline=False, progress=False) == ["100\treal\t1"]
    assert calls == [(corpus.files["dev"].url, cache / "toy" / "dev.tsv", corpus.files["dev"].sha256, len(real),
                      False)]
    assert capsys.readouterr().out == ""
    load_corpus(corpus, "dev", offline=False, sample=True)  # sample=True never downloads
    assert len(calls) == 1


def test_unknown_split_and_missing_sample(toy, monkeypatch):
    corpus, _, _ = toy
    with pytest.raises(ValueError, match="unknown split 'test' for Toy"):
        load_corpus(corpus, "test", offline=True)
    import dataclasses

    with pytest.raises(FileNotFoundError, match="nothere.tsv"):
        load_corpus(dataclasses.replace(corpus, sample="nothere.tsv"), "train", offline=True)


def test_json_splitter():
    doc = {"version": "v1", "data": [{"n": i} for i in range(8)]}
    raw = json.dumps(doc).encode()
    dev = json.loads(split_json_list("dev")(raw, "dev"))
    train = json.loads(split_json_list("dev")(raw, "train"))
    assert [d["n"] for d in dev["data"]] == [3, 7] and len(train["data"]) == 6 and dev["version"] == "v1_dev"
    flat = json.dumps(list(range(8))).encode()
    assert json.loads(split_json_list("dev", key=None)(flat, "dev")) == [3, 7]


def test_modules_are_quiet_at_import():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", "import lectureutils.corpus, lectureutils.data, sys; "
                          "print('pandas' in sys.modules, 'datasets' in sys.modules)"],
                         capture_output=True, text=True, check=True)
    assert out.stdout == "False False\n" and out.stderr == ""
    assert callable(corpus_module.corpus_file)


def test_a_prefetched_file_without_a_published_size_is_used_when_its_checksum_matches(toy, capsys):
    corpus, cache, real = toy
    unsized = {split: RemoteFile(spec.url, spec.sha256, None, 1) for split, spec in corpus.files.items()}
    corpus = Corpus(name=corpus.name, title=corpus.title, files=unsized, sample=corpus.sample, reader=corpus.reader,
                    sample_splits=corpus.sample_splits, aliases=corpus.aliases)
    (cache / "toy").mkdir(parents=True)
    (cache / "toy" / "train.tsv").write_bytes(real)
    (cache / "toy" / "dev.tsv").write_bytes(real + b"101\textra\t0\n")  # any size, wrong checksum
    assert load_corpus(corpus, "train", offline=True) == ["100\treal\t1"]
    assert "is the real file" in capsys.readouterr().out
    assert len(load_corpus(corpus, "dev", offline=True)) == 4, "a wrong checksum still falls back to the sample"
