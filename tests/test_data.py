"""Tests for lectureutils.data: NSMC and KorQuAD readers, samples, offline routing."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from lectureutils import data
from lectureutils.corpus import DataFormatError, RemoteFile, corpus_files, load_corpus
from lectureutils.env import data_dir
from lectureutils import download as dl

DATA = Path(__file__).resolve().parent.parent / "data"
NSMC_SAMPLE = DATA / "nsmc_sample.tsv"
KORQUAD_SAMPLE = DATA / "korquad_sample.json"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A private cache, and no network: any real download attempt fails the test."""
    monkeypatch.setenv("LECTUREUTILS_CACHE", str(tmp_path / "cache"))

    def no_network(*args, **kwargs):
        raise AssertionError("the network was touched")

    monkeypatch.setattr(dl.urllib.request, "urlopen", no_network)
    return tmp_path / "cache"


def _write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


# --------------------------------------------------------------------------- read_nsmc


def test_read_nsmc_quotes_verbatim_and_empty_dropped(tmp_path, capsys):
    path = _write(
        tmp_path / "ratings.txt",
        "id\tdocument\tlabel\n"
        '101\t배우 "연기"는 좋았다\t1\n'
        '102\t"인생영화"라는 말이 딱\t1\n'
        '103\t"따옴표가 안 닫힌 리뷰\t0\n'
        "104\t\t0\n"
        '105\t""두 겹"" 따옴표\t0\n'
        "106\t   \t1\n"
        "107\t평범한 리뷰 ㅋㅋ\t1\n",
    )
    df = data.read_nsmc(path)
    assert list(df.columns) == ["id", "document", "label"]
    assert df["id"].tolist() == [101, 102, 103, 105, 107]
    assert df["document"].tolist() == [
        '배우 "연기"는 좋았다',
        '"인생영화"라는 말이 딱',
        '"따옴표가 안 닫힌 리뷰',
        '""두 겹"" 따옴표',
        "평범한 리뷰 ㅋㅋ",
    ]
    assert df["label"].tolist() == [1, 1, 0, 0, 1]
    assert str(df["id"].dtype) == "int64" and str(df["label"].dtype) == "int64"
    assert df.attrs["dropped_empty"] == 2
    out = capsys.readouterr().out
    assert out.count("dropped 2 empty documents from") == 1 and str(path) in out


def test_read_nsmc_crlf_and_no_final_newline(tmp_path, capsys):
    path = _write(tmp_path / "r.txt", "id\tdocument\tlabel\r\n1\t좋다\t1\r\n2\t별로\t0")
    df = data.read_nsmc(path)
    assert df["document"].tolist() == ["좋다", "별로"]
    assert capsys.readouterr().out == ""  # nothing dropped, nothing said


@pytest.mark.parametrize(
    "line, lineno, what",
    [
        ("3\t탭이\t들어간 리뷰\t1", 4, "3 tab-separated fields"),  # wrong field count
        ("3\t필드 두 개", 4, "got 2"),
        ("3\t라벨이 이상함\t2", 4, "label must be 0 or 1"),
        ("3\t라벨이 비었음\t", 4, "label must be 0 or 1"),
        ("abc\t아이디가 이상함\t1", 4, "id must be an integer"),
        ("-5\t음수 아이디\t0", 4, "id must be an integer"),
    ],
)
def test_read_nsmc_malformed_line_names_file_and_line(tmp_path, line, lineno, what):
    path = _write(tmp_path / "bad.txt", f"id\tdocument\tlabel\n1\t좋다\t1\n2\t싫다\t0\n{line}\n4\t끝\t1\n")
    with pytest.raises(ValueError) as info:
        data.read_nsmc(path)
    msg = str(info.value)
    assert isinstance(info.value, DataFormatError)
    assert str(path) in msg and f"line {lineno}" in msg and what in msg


def test_read_nsmc_bad_header_and_bad_utf8(tmp_path):
    with pytest.raises(ValueError, match="line 1: expected the header"):
        data.read_nsmc(_write(tmp_path / "h.txt", "id,document,label\n1,좋다,1\n"))
    bad = tmp_path / "u.txt"
    bad.write_bytes("id\tdocument\tlabel\n1\t좋다\t1\n".encode() + b"2\t\xff\xfe\t0\n")
    with pytest.raises(ValueError, match=r"line 3: not valid UTF-8"):
        data.read_nsmc(bad)


# --------------------------------------------------------------------------- NSMC sample


def test_nsmc_sample_is_real_format_balanced_and_quirky(capsys):
    raw = NSMC_SAMPLE.read_text(encoding="utf-8")
    lines = raw.split("\n")
    assert lines[0] == "id\tdocument\tlabel" and raw.endswith("\n") and "\r" not in raw
    rows = [ln.split("\t") for ln in lines[1:-1]]
    assert all(len(r) == 3 for r in rows)
    assert any(r[1] == "" for r in rows), "needs an empty document"

    df = data.read_nsmc(NSMC_SAMPLE)
    assert "dropped" in capsys.readouterr().out
    assert len(df) >= 240
    counts = df["label"].value_counts().to_dict()
    assert counts[0] == counts[1]
    assert df["id"].is_unique and df["document"].is_unique
    docs = df["document"]
    quoted = docs[docs.str.contains('"', regex=False)]
    assert len(quoted) >= 5
    assert docs.str.startswith('"').sum() >= 3
    assert any('"' in d[1:] and not d.startswith('"') for d in quoted)  # quote inside
    assert any(d.count('"') % 2 == 1 for d in quoted)  # an unbalanced quote


def test_nsmc_sample_has_reviews_longer_than_the_lectures_128_tokens():
    """Issue 19.4: real NSMC has reviews of up to 140 characters, and runs of punctuation become one token
    each; the sample has such reviews so that notebook 05 and the tests meet them."""
    from lectureutils.models import load_tokenizer

    docs = data.read_nsmc(NSMC_SAMPLE, verbose=False)["document"]
    assert docs.str.len().max() == 140 and (docs.str.len() > 130).sum() >= 4
    assert docs.str.contains("!!!!!!!!!!", regex=False).any() and docs.str.contains("ㅋㅋㅋㅋ", regex=False).any()
    lengths = [len(ids) for ids in load_tokenizer("beomi/kcbert-base")(docs.tolist())["input_ids"]]
    assert sum(length > 128 for length in lengths) >= 2


def test_nsmc_sample_breaks_a_quoting_csv_reader():
    # Why read_nsmc exists: pandas with default quoting changes the documents.
    import pandas as pd

    ours = data.read_nsmc(NSMC_SAMPLE, verbose=False)
    try:
        naive = pd.read_csv(NSMC_SAMPLE, sep="\t")
    except pd.errors.ParserError:
        return  # also broken, differently
    assert set(naive["document"].dropna()) != set(ours["document"])


def test_offline_nsmc_split_of_sample(cache, capsys):
    train = data.load_nsmc("train", offline=True)
    test = data.load_nsmc("test", offline=True)
    out = capsys.readouterr().out
    assert "offline mode" in out and "sample" in out
    full = data.read_nsmc(NSMC_SAMPLE, verbose=False)
    assert set(train["id"]).isdisjoint(test["id"])
    assert sorted([*train["id"], *test["id"]]) == sorted(full["id"])
    assert 0.2 <= len(test) / len(full) <= 0.3
    for part in (train, test):
        counts = part["label"].value_counts()
        assert abs(counts[0] - counts[1]) <= 1
    files = corpus_files(data.NSMC, offline=True)
    assert set(files) == {"train", "test"}
    assert files["train"].name == "ratings_train.txt" and files["train"].is_relative_to(cache)
    assert files["test"].read_text(encoding="utf-8").startswith("id\tdocument\tlabel\n")


def test_env_offline_routes_to_sample_without_network(cache, monkeypatch, capsys):
    monkeypatch.setenv("LECTUREUTILS_OFFLINE", "1")
    df = data.load_nsmc()  # offline=None: read from the environment
    assert len(df) > 100
    ds = data.load_korquad("validation")
    assert len(ds) > 10
    out = capsys.readouterr().out
    assert "NSMC" in out and "KorQuAD" in out and out.count("sample written for this project") >= 2


def test_online_routing_downloads_verified_files(cache, monkeypatch, capsys):
    calls = []

    def fake_download(url, dest, sha256=None, *, progress=True, num_bytes=None):
        calls.append((url, Path(dest), sha256, num_bytes))
        return NSMC_SAMPLE if url.endswith(".txt") else KORQUAD_SAMPLE

    monkeypatch.setattr(dl, "download", fake_download)
    df = data.load_nsmc("test", offline=False, progress=False)
    ds = data.load_korquad("dev", offline=False, progress=False)
    assert len(df) >= 240 and len(ds) >= 60
    assert "offline" not in capsys.readouterr().out
    (u1, d1, s1, n1), (u2, d2, s2, n2) = calls
    assert u1 == "https://raw.githubusercontent.com/e9t/nsmc/master/ratings_test.txt"
    assert s1 == data.NSMC.files["test"].sha256 and n1 == 4_893_335
    assert d1 == cache / "nsmc" / "ratings_test.txt"
    assert u2 == "https://korquad.github.io/dataset/KorQuAD_v1.0_dev.json"
    assert s2 == data.KORQUAD.files["dev"].sha256 and n2 == 3_881_058
    for spec in [*data.NSMC.files.values(), *data.KORQUAD.files.values()]:
        assert len(spec.sha256) == 64 and int(spec.sha256, 16) >= 0


def test_unknown_split():
    with pytest.raises(ValueError, match="unknown split"):
        data.load_nsmc("dev", offline=True)
    with pytest.raises(ValueError, match="unknown split"):
        data.load_korquad("test", offline=True)


# --------------------------------------------------------------------------- KorQuAD


def test_korquad_sample_schema_and_edge_cases():
    doc = json.loads(KORQUAD_SAMPLE.read_text(encoding="utf-8"))
    assert doc["version"] == "KorQuAD_v1.0_sample"
    paragraphs = [p for a in doc["data"] for p in a["paragraphs"]]
    assert len(paragraphs) >= 20
    rows = data.read_korquad(KORQUAD_SAMPLE, strict=True, as_dataset=False)
    assert len(rows) >= 60 and all(r["answer_ok"] for r in rows)
    assert len({r["id"] for r in rows}) == len(rows)
    starts = [(r, s, t) for r in rows for s, t in zip(r["answers"]["answer_start"], r["answers"]["text"])]
    assert any(s == 0 for _, s, _ in starts), "an answer at character 0"
    assert any(s + len(t) == len(r["context"]) for r, s, t in starts), "an answer ending the context"
    long_late = {r["context"] for r, s, _ in starts if len(r["context"]) > 1500 and s > 1200}
    assert len(long_late) >= 3, "long contexts with answers beyond a 512-token window"
    assert any(len(r["answers"]["text"]) > 1 for r in rows), "some questions with several answers"


def test_read_korquad_dataset_layout():
    ds = data.read_korquad(KORQUAD_SAMPLE)
    assert ds.column_names == ["id", "title", "context", "question", "answers", "answer_ok"]
    ex = ds[0]
    assert set(ex["answers"]) == {"text", "answer_start"}
    start, text = ex["answers"]["answer_start"][0], ex["answers"]["text"][0]
    assert ex["context"][start : start + len(text)] == text


def test_offline_korquad_split_by_article(cache, capsys):
    train = data.load_korquad("train", offline=True)
    dev = data.load_korquad("dev", offline=True)
    assert set(train["title"]).isdisjoint(dev["title"])
    assert len(train) + len(dev) == len(data.read_korquad(KORQUAD_SAMPLE, as_dataset=False))
    assert len(dev) >= 15 and len(train) >= 45
    assert max(len(c) for c in dev["context"]) > 1500  # long-passage inference in dev too
    files = corpus_files(data.KORQUAD, offline=True)
    assert files["dev"].name == "KorQuAD_v1.0_dev.json"
    assert json.loads(files["dev"].read_text(encoding="utf-8"))["version"].startswith("KorQuAD_v1.0_sample")


def _corrupt_copy(tmp_path) -> tuple[Path, str]:
    doc = json.loads(KORQUAD_SAMPLE.read_text(encoding="utf-8"))
    qa = doc["data"][1]["paragraphs"][0]["qas"][2]
    qa["answers"][0]["answer_start"] += 3
    qa2 = doc["data"][2]["paragraphs"][1]["qas"][0]
    qa2["answers"][0]["text"] = "없는 정답"
    path = tmp_path / "corrupt.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path, qa["id"]


def test_answer_mismatch_reported_and_flagged(tmp_path, capsys):
    path, bad_id = _corrupt_copy(tmp_path)
    rows = data.read_korquad(path, as_dataset=False)
    out = capsys.readouterr().out
    assert "2 of" in out and str(path) in out and bad_id in out and "answer_ok=False" in out
    assert len(rows) == len(data.read_korquad(KORQUAD_SAMPLE, as_dataset=False))  # nothing dropped
    assert sum(not r["answer_ok"] for r in rows) == 2
    with pytest.raises(ValueError, match=r"2 of \d+ answers"):
        data.read_korquad(path, strict=True)


@pytest.mark.parametrize(
    "mutate, where",
    [
        (lambda d: d["data"][0]["paragraphs"][1].pop("context"), "data[0].paragraphs[1].context is missing"),
        (lambda d: d["data"][2]["paragraphs"][0]["qas"][1]["answers"][0].update(answer_start="12"),
         "data[2].paragraphs[0].qas[1].answers[0].answer_start must be int"),
        (lambda d: d["data"][3]["paragraphs"][0]["qas"][0].update(answers=[]),
         "data[3].paragraphs[0].qas[0].answers is empty"),
        (lambda d: d.update(data={"title": "x"}), "data must be list"),
        (lambda d: d["data"][0]["paragraphs"][0]["qas"][1].update(id=d["data"][0]["paragraphs"][0]["qas"][0]["id"]),
         "repeats the id"),
    ],
)
def test_korquad_bad_structure_names_file_and_json_path(tmp_path, mutate, where):
    doc = copy.deepcopy(json.loads(KORQUAD_SAMPLE.read_text(encoding="utf-8")))
    mutate(doc)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError) as info:
        data.read_korquad(path)
    assert str(path) in str(info.value) and where in str(info.value)


def test_korquad_invalid_json(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"version": "x",\n "data": [', encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.json: not valid JSON .*line 2"):
        data.read_korquad(path)


def test_offline_uses_prefetched_real_files_and_ignores_corrupt_ones(cache, capsys):
    """An instructor ran `python -m lectureutils.prefetch`: offline mode then reads the real files."""
    import dataclasses
    import hashlib

    content = "id\tdocument\tlabel\n1\t정말 \"최고\"의 영화\t1\n2\t시간 낭비\t0\n".encode("utf-8")
    specs = {}
    for split in ("train", "test"):
        url = f"https://example.invalid/nsmc/ratings_{split}.txt"
        specs[split] = RemoteFile(url, hashlib.sha256(content).hexdigest(), len(content), 2)
        (cache / "nsmc").mkdir(parents=True, exist_ok=True)
        (cache / "nsmc" / f"ratings_{split}.txt").write_bytes(content)
    nsmc = dataclasses.replace(data.NSMC, files=specs)

    frame = load_corpus(nsmc, "train", offline=True)
    assert list(frame["document"]) == ['정말 "최고"의 영화', "시간 낭비"]
    assert "real file, downloaded earlier" in capsys.readouterr().out

    (cache / "nsmc" / "ratings_test.txt").write_bytes(content.replace(b"1\n", b"0\n"))  # corrupted copy
    sample_test = load_corpus(nsmc, "test", offline=True)
    assert len(sample_test) > 2 and "comes from the sample" in capsys.readouterr().out


def test_catalogue_lists_every_corpus():
    assert {c.name for c in data.CORPORA} >= {"nsmc", "korquad"}
    for corpus in data.CORPORA:
        assert corpus.files and callable(corpus.reader) and (data_dir() / corpus.sample).is_file()


def test_sample_true_reads_the_sample_even_online(cache, capsys):
    frame = data.load_nsmc("test", offline=False, sample=True)  # the cache fixture fails on any network use
    questions = data.load_korquad("dev", offline=False, sample=True)
    assert 40 <= len(frame) < 1000 and 0 < len(questions) < 100
    assert capsys.readouterr().out.count("comes from the sample") == 2
