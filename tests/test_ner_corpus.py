"""lectureutils.ner.corpus: the strict KLUE-NER reader, the offline sample and its split."""

from collections import Counter
from pathlib import Path

import pytest

from lectureutils.corpus import DataFormatError
from lectureutils.ner import ENTITY_TYPES, KLUE_NER, LABELS, bio_spans, load_klue_ner, read_klue_ner

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "klue_ner_sample.tsv"
HEADER = "## 토큰, 레이블 구분자 : \\t\n## 토큰 구분자 : \\n\n## 문장 구분자 : \\n\\n\n## 주석 : ##\n## 컬럼명 : CHAR\tNE_TAG\n"


def sentence(guid, markup, pairs):
    return f"## {guid}\t{markup}\n" + "".join(f"{char}\t{tag}\n" for char, tag in pairs)


GOOD = sentence("s-0", "<서울:LC>에서 봄", [("서", "B-LC"), ("울", "I-LC"), ("에", "O"), ("서", "O"), (" ", "O"), ("봄", "O")])
SECOND = sentence("s-1", "<김:PS>씨", [("김", "B-PS"), ("씨", "O")])


def write(tmp_path, text, name="ner.tsv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def test_reads_rows_in_the_issue_shape(tmp_path):
    rows = read_klue_ner(write(tmp_path, HEADER + GOOD + "\n" + SECOND))
    assert [row["guid"] for row in rows] == ["s-0", "s-1"]
    first = rows[0]
    assert first["text"] == "서울에서 봄" and first["chars"] == list("서울에서 봄")
    assert first["tags"] == ["B-LC", "I-LC", "O", "O", "O", "O"]
    assert first["markup"] == "<서울:LC>에서 봄" and first["markup_ok"] is True


def test_bio_spans():
    assert bio_spans(["B-PS", "I-PS", "O", "B-LC", "B-LC", "I-LC", "O"]) == [(0, 2, "PS"), (3, 4, "LC"), (4, 6, "LC")]
    assert bio_spans(["B-DT", "I-DT", "I-DT"]) == [(0, 3, "DT")]
    assert bio_spans(["O", "O"]) == []


@pytest.mark.parametrize(
    "text, where, says",
    [
        (HEADER + "## s-0\t봄\n봄 O\n", "line 7", "no tab"),
        (HEADER + "## s-0\t봄\n봄\tB-XX\n", "line 7", "invalid tag 'B-XX'"),
        (HEADER + "## s-0\t봄\n봄\to\n", "line 7", "invalid tag 'o'"),
        (HEADER + "## s-0\t봄이\n봄\tO\n이\tI-PS\n", "line 8", "I-PS after O"),
        (HEADER + "## s-0\t봄이\n봄\tI-PS\n이\tI-PS\n", "line 7", "I-PS after O"),
        (HEADER + "## s-0\t<봄:LC>이\n봄\tB-LC\n이\tI-PS\n", "line 8", "I-PS after B-LC"),
        (HEADER + "## s-0\t봄이\n봄이\tO\n", "line 7", "one character"),
        (HEADER + "## s-0\t봄\n봄\tO\n## s-1\t봄\n봄\tO\n", "line 8", "blank line between sentences"),
        (HEADER + "봄\tO\n", "line 6", "outside a sentence"),
        (HEADER + "## s-0\t봄\n\n", "line 6", "no character lines"),
        (HEADER + "## s-0\t여름\n봄\tO\n", "line 6", "do not spell the markup"),
        (HEADER + "## s-0\t<봄:PS>\n봄\tO\n", "line 6", "differ from the BIO tags"),
        (HEADER + "## s-0\t봄\n봄\tB-DT\n", "line 6", "differ from the BIO tags"),
        (HEADER + "## s-0\t<봄:PS>\n봄\tB-LC\n", "line 6", "differ from the BIO tags"),
        (HEADER + GOOD + "\n## 잘못된 줄\n", "line 14", "expected a sentence line"),
        (HEADER, "", "no sentences"),
    ],
)
def test_every_malformed_case_names_file_and_line(tmp_path, text, where, says):
    path = write(tmp_path, text)
    with pytest.raises(DataFormatError) as error:
        read_klue_ner(path)
    message = str(error.value)
    assert str(path) in message and where in message and says in message


def test_invalid_utf8_names_the_line(tmp_path):
    path = write(tmp_path, (HEADER + "## s-0\t봄\n").encode() + b"\xff\tO\n")
    with pytest.raises(DataFormatError, match="line 7: not valid UTF-8"):
        read_klue_ner(path)


def test_data_format_error_is_a_value_error_and_the_house_one():
    from lectureutils import data

    assert issubclass(DataFormatError, ValueError) and data.DataFormatError is DataFormatError


def test_accepts_the_real_files_layout_quirks(tmp_path):
    # CRLF line ends, a byte-order mark, a tab-only separator line (KLUE-baseline splits on \n\t?\n),
    # blank lines at the end, no header at all.
    text = "\ufeff" + (GOOD + "\t\n" + SECOND + "\n\n\n").replace("\n", "\r\n")
    rows = read_klue_ner(write(tmp_path, text))
    assert [row["text"] for row in rows] == ["서울에서 봄", "김씨"]


def test_markup_characters_that_are_not_markup(tmp_path):
    # a literal '<' before an entity, a colon in plain text, an entity whose text holds a colon
    markup = "a<3 <김:PS> 3:1 <10:30:TI>"
    text = "a<3 김 3:1 10:30"
    tags = ["O"] * 4 + ["B-PS"] + ["O"] * 5 + ["B-TI"] + ["I-TI"] * 4
    rows = read_klue_ner(write(tmp_path, sentence("s", markup, zip(text, tags))))
    assert rows[0]["text"] == text and rows[0]["markup_ok"]
    assert [(text[s:e], kind) for s, e, kind in bio_spans(rows[0]["tags"])] == [("김", "PS"), ("10:30", "TI")]


def test_the_published_type_repeated_quirk_is_kept_flagged_and_reported(tmp_path, capsys):
    text = "부천지청 수사"
    tags = ["B-OG", "I-OG", "I-OG", "I-OG", "O", "O", "O"]
    path = write(tmp_path, sentence("q", "<OG 부천지청:OG> 수사", zip(text, tags)) + "\n" + SECOND)
    rows = read_klue_ner(path)
    assert rows[0]["markup_ok"] is False and rows[0]["tags"] == tags and rows[1]["markup_ok"] is True
    printed = capsys.readouterr().out
    assert "1 of 2 sentences" in printed and "known quirk" in printed


def test_strict_false_keeps_other_markup_disagreements_flagged(tmp_path, capsys):
    path = write(tmp_path, HEADER + "## s-0\t<봄:PS>\n봄\tO\n\n" + SECOND)
    rows = read_klue_ner(path, strict=False)
    assert [row["markup_ok"] for row in rows] == [False, True]
    assert "differ from the BIO tags" in capsys.readouterr().out


# --------------------------------------------------------------------------- the sample


def test_sample_is_strictly_valid_and_covers_what_the_issue_asks():
    rows = read_klue_ner(SAMPLE)
    assert 240 <= len(rows) <= 260
    assert all(row["markup_ok"] for row in rows)
    assert SAMPLE.read_text(encoding="utf-8").split("\n")[:5] == HEADER.rstrip("\n").split("\n")
    types = Counter(kind for row in rows for _, _, kind in bio_spans(row["tags"]))
    assert set(types) == set(ENTITY_TYPES) and min(types.values()) >= 50
    assert {tag for row in rows for tag in row["tags"]} == set(LABELS)

    def spans(row):
        return [(row["text"][s:e], s, e, kind) for s, e, kind in bio_spans(row["tags"])]

    texts = [row["text"] for row in rows]
    # an entity glued to a particle, adjacent entities, spaces inside an entity, numbers with units
    assert any(row["text"][e:e + 2] == "에서" and kind == "LC" for row in rows for _, _, e, kind in spans(row))
    gaps = {b[1] - a[2] for row in rows for a, b in zip(spans(row), spans(row)[1:])}
    assert {0, 1} <= gaps  # entities that touch (<어제:DT><밤:TI>) and entities one space apart
    assert any(" " in text and kind == "DT" for row in rows for text, _, _, kind in spans(row))
    assert any(text.endswith("%") for row in rows for text, _, _, kind in spans(row) if kind == "QT")
    assert any(spans(row) and spans(row)[-1][2] == len(row["text"]) for row in rows)  # entity at the very end
    assert any("<" in text for text in texts)  # a literal '<' that is not markup
    assert len(set(texts)) == len(texts)


def test_sample_splits_into_complete_files(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LECTUREUTILS_CACHE", str(tmp_path))
    train, dev = load_klue_ner("train", sample=True), load_klue_ner("validation", sample=True)
    assert "sample written for this project" in capsys.readouterr().out
    everything = read_klue_ner(SAMPLE)
    assert len(dev) == len(everything) // 5 and len(train) + len(dev) == len(everything)
    assert [row["guid"] for row in dev] == [row["guid"] for row in everything[4::5]]
    dev_file = tmp_path / "samples" / "klue_ner" / KLUE_NER.files["dev"].filename
    assert dev_file.read_text(encoding="utf-8").startswith(HEADER)


def test_corpus_record():
    from lectureutils import data

    assert KLUE_NER.files["dev"].sha256 == "0f4d5e818f7b82d299c3a87856fc40a706f5943207580ddb252397e387050a54"
    assert KLUE_NER.files["dev"].num_bytes == 2_635_045
    assert KLUE_NER.files["train"].num_examples == 21_008 and KLUE_NER.files["dev"].num_examples == 5_000
    assert KLUE_NER.files["train"].filename == "klue-ner-v1.1_train.tsv"
    assert data.read_klue_ner is read_klue_ner and data.load_klue_ner is load_klue_ner
    assert KLUE_NER in data.CORPORA


def test_offline_reads_a_verified_prefetched_copy(tmp_path, monkeypatch, capsys):
    """An instructor ran ``python -m lectureutils.prefetch``: offline mode then reads the real file."""
    import dataclasses
    import hashlib

    from lectureutils.corpus import RemoteFile

    monkeypatch.setenv("LECTUREUTILS_CACHE", str(tmp_path))
    content = (HEADER + GOOD + "\n" + SECOND).encode("utf-8")
    spec = RemoteFile("https://example.invalid/klue-ner-v1.1_dev.tsv", hashlib.sha256(content).hexdigest(), len(content), 2)
    (tmp_path / "klue_ner").mkdir()
    (tmp_path / "klue_ner" / spec.filename).write_bytes(content)
    corpus = dataclasses.replace(KLUE_NER, files={**KLUE_NER.files, "dev": spec})
    from lectureutils.corpus import load_corpus

    rows = load_corpus(corpus, "dev", offline=True)
    assert [row["guid"] for row in rows] == ["s-0", "s-1"] and "real file" in capsys.readouterr().out
    (tmp_path / "klue_ner" / spec.filename).write_bytes(content.replace("봄".encode(), "밤".encode()))  # corrupted
    assert len(load_corpus(corpus, "dev", offline=True)) > 2 and "comes from the sample" in capsys.readouterr().out
