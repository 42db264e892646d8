"""lectureutils.ner.corpus: the KLUE-NER reader (structure strict, markup disagreements kept and reported),
the offline sample and its split, and the real files when a verified copy is in the cache."""

import re
from collections import Counter
from pathlib import Path

import pytest

from lectureutils.corpus import DataFormatError
from lectureutils.ner import ENTITY_TYPES, KLUE_NER, NER_LABELS, bio_spans, load_klue_ner, read_klue_ner

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
        (HEADER + "## s-0\t봄\n봄 O\n", "line 7", "exactly one tab, found 0"),
        (HEADER + "## s-0\t봄\n봄\tO\tO\n", "line 7", "exactly one tab, found 2"),
        (HEADER + "## s-0\t봄\n\tO\n", "line 7", "one character before the tab"),
        (HEADER + "## s-0\t봄\n봄\tB-XX\n", "line 7", "invalid tag 'B-XX'"),
        (HEADER + "## s-0\t봄\n봄\to\n", "line 7", "invalid tag 'o'"),
        (HEADER + "## s-0\t봄\n봄\t\n", "line 7", "invalid tag ''"),
        (HEADER + "## s-0\t봄이\n봄\tO\n이\tI-PS\n", "line 8", "I-PS after O"),
        (HEADER + "## s-0\t봄이\n봄\tI-PS\n이\tI-PS\n", "line 7", "I-PS after O"),
        (HEADER + "## s-0\t<봄:LC>이\n봄\tB-LC\n이\tI-PS\n", "line 8", "I-PS after B-LC"),
        (HEADER + "## s-0\t봄이\n봄이\tO\n", "line 7", "one character"),
        (HEADER + "## s-0\t봄\n봄\tO\n## s-1\t봄\n봄\tO\n", "line 8", "blank line between sentences"),
        (HEADER + "봄\tO\n", "line 6", "outside a sentence (no '## <guid>' line"),
        (HEADER + GOOD + "\n봄\tO\n", "line 14", "outside a sentence (no '## <guid>' line"),  # a lost guid line
        (HEADER + "## s-0\t봄\n\n", "line 6", "no character lines"),
        (HEADER + GOOD + "\n## 잘못된 줄\n", "line 14", "expected a sentence line"),
        (HEADER, "", "no sentences"),
    ],
)
def test_structural_damage_raises_naming_file_and_line(tmp_path, text, where, says):
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
    assert all(row["markup_ok"] and row["markup_problem"] is None for row in rows)


def test_markup_characters_that_are_not_markup(tmp_path):
    # a literal '<' before an entity, a colon in plain text, an entity whose text holds a colon
    markup = "a<3 <김:PS> 3:1 <10:30:TI>"
    text = "a<3 김 3:1 10:30"
    tags = ["O"] * 4 + ["B-PS"] + ["O"] * 5 + ["B-TI"] + ["I-TI"] * 4
    rows = read_klue_ner(write(tmp_path, sentence("s", markup, zip(text, tags))))
    assert rows[0]["text"] == text and rows[0]["markup_ok"]
    assert [(text[s:e], kind) for s, e, kind in bio_spans(rows[0]["tags"])] == [("김", "PS"), ("10:30", "TI")]


def tagged(spec):
    """Characters and tags from ``{entity|TYPE}`` over the characters (the truth of a quirk sentence)."""
    chars, tags, position = [], [], 0
    for piece in re.finditer(r"\{([^{}|]+)\|([A-Z]{2})\}", spec):
        chars.extend(spec[position:piece.start()])
        tags.extend("O" * (piece.start() - position))
        chars.extend(piece.group(1))
        tags.extend([f"B-{piece.group(2)}"] + [f"I-{piece.group(2)}"] * (len(piece.group(1)) - 1))
        position = piece.end()
    chars.extend(spec[position:])
    tags.extend("O" * (len(spec) - position))
    return chars, tags


# The published files' markup quirks, in sentences written for this project: (markup line, the
# character lines as {entity|TYPE}, what the problem says). The character tags are kept as they are.
QUIRKS = [
    # an entity whose characters start with a literal '<' (KLUE dev: <<레이:PS>>, <<일지매:PS>>)
    ("영화 <<윤서진:PS>>는 좋다", "영화 {<윤서진|PS}>는 좋다",
     "the markup marks '윤서진':PS at 4 where the character tags mark '<윤서진':PS at 3"),
    # the same with a quantity (KLUE dev: <<10:QT>>)
    ("그래서 <<10:QT>>점 줍니다", "그래서 {<10|QT}>점 줍니다",
     "the markup marks '10':QT at 5 where the character tags mark '<10':QT at 4"),
    # malformed markup around a quantity the characters tag as one (KLUE train: <1:QT>, 2편:QT>)
    ("<1:QT>, 2편:QT>은 봤다", "{1, 2편|QT}은 봤다",
     "from character 5 the markup gives ':QT>은 봤다', the characters '은 봤다'"),
    # a closing tag without its entity (KLUE train: <사남:QT>일녀<QT>)
    ("가족!<삼남:QT>이녀<QT>최고", "가족!{삼남이녀|QT}최고",
     "from character 7 the markup gives '<QT>최고', the characters '최고'"),
    # an entity whose text holds <...> (KLUE train: <중국 선전(深천<土+川>)시:LC>)
    ("<한빛<새>마을:LC> 주민", "{한빛<새>마을|LC} 주민",
     "from character 0 the markup gives '<한빛<새>마을:LC>', the characters '한빛<새>마을 주민'"),
    # the type repeated inside the markup
    ("<OG 부천지청:OG> 수사", "{부천지청|OG} 수사",
     "from character 0 the markup gives '<OG 부천지청:OG>', the characters '부천지청 수사'"),
    # markup where the characters have no entity, and an entity the markup does not mark
    ("<봄:PS>", "봄", "the markup marks '봄':PS at 0 where the character tags mark nothing"),
    ("봄", "{봄|DT}", "the markup marks nothing where the character tags mark '봄':DT at 0"),
    ("<봄:PS>", "{봄|LC}", "the markup marks '봄':PS at 0 where the character tags mark '봄':LC at 0"),
]


@pytest.mark.parametrize("markup, truth, says", QUIRKS)
def test_a_markup_disagreement_is_kept_with_its_tags_flagged_and_reported(tmp_path, capsys, markup, truth, says):
    chars, tags = tagged(truth)
    path = write(tmp_path, HEADER + sentence("q", markup, zip(chars, tags)) + "\n" + SECOND)
    rows = read_klue_ner(path)
    assert [row["guid"] for row in rows] == ["q", "s-1"]
    quirk = rows[0]
    assert quirk["chars"] == chars and quirk["tags"] == tags and quirk["text"] == "".join(chars)
    assert quirk["markup"] == markup and quirk["markup_ok"] is False
    assert quirk["markup_problem"].startswith("line 6: ") and quirk["markup_problem"].endswith(says)
    assert rows[1]["markup_ok"] is True and rows[1]["markup_problem"] is None
    printed = capsys.readouterr().out
    assert printed == ("ner.tsv: the markup line disagrees with the character tags in 1 of 2 sentences, kept with "
                       "their tags (markup_ok=False, markup_problem; first: q)\n")


def test_malformed_markup_that_the_characters_copy_agrees(tmp_path, capsys):
    # KLUE dev's <19:QT>, 20기:QT>: the characters hold the stray ':QT>' too, so nothing disagrees
    markup = "<4:QT>, 5화:QT>부터"
    chars, tags = tagged("{4|QT}, 5화:QT>부터")
    rows = read_klue_ner(write(tmp_path, HEADER + sentence("q", markup, zip(chars, tags))))
    assert rows[0]["markup_ok"] and rows[0]["text"] == "4, 5화:QT>부터" and capsys.readouterr().out == ""


def test_one_printed_line_for_many_disagreements_and_none_when_quiet(tmp_path, capsys):
    chars, tags = tagged("{<윤서진|PS}>")
    text = "\n".join(sentence(f"q-{number}", "<<윤서진:PS>>", zip(chars, tags)) for number in range(50))
    path = write(tmp_path, HEADER + text)
    assert sum(not row["markup_ok"] for row in read_klue_ner(path)) == 50
    assert capsys.readouterr().out.count("\n") == 1
    assert len(read_klue_ner(path, verbose=False)) == 50 and capsys.readouterr().out == ""


def test_the_reader_has_no_strict_switch():
    # structural damage always raises; markup disagreements are always kept and reported
    import inspect

    assert list(inspect.signature(read_klue_ner).parameters) == ["path", "verbose"]
    assert "strict" not in inspect.signature(load_klue_ner).parameters


# --------------------------------------------------------------------------- the sample


def test_sample_has_the_published_markup_quirks_each_kept_with_its_character_tags(capsys):
    rows = read_klue_ner(SAMPLE)
    assert "disagrees with the character tags in 6 of" in capsys.readouterr().out
    flagged = {row["markup"]: row for row in rows if not row["markup_ok"]}

    def entities(row):
        return [(row["text"][s:e], kind) for s, e, kind in bio_spans(row["tags"])]

    ps = next(row for markup, row in flagged.items() if "<<윤서진:PS>>" in markup)  # the '<' is B-PS
    assert ("<윤서진", "PS") in entities(ps) and ps["tags"][ps["text"].index("<윤서진")] == "B-PS"
    assert "'<윤서진':PS" in ps["markup_problem"]
    ten = next(row for markup, row in flagged.items() if "<<10:QT>>" in markup)
    assert ("<10", "QT") in entities(ten)
    nested = next(row for markup, row in flagged.items() if "<1:QT>, 2편:QT>" in markup)
    assert ("1, 2편", "QT") in entities(nested) and "do not spell" in nested["markup_problem"]
    stray = next(row for markup, row in flagged.items() if "<삼남:QT>이녀<QT>" in markup)
    assert ("삼남이녀", "QT") in entities(stray)
    inner = next(row for markup, row in flagged.items() if "<한빛<새>마을:LC>" in markup)
    assert ("한빛<새>마을", "LC") in entities(inner)
    assert len(flagged) == 6 and all(row["markup_problem"] for row in flagged.values())
    copied = next(row for row in rows if "<4:QT>, 5화:QT>" in row["markup"])  # the characters copy the stray ':QT>'
    assert copied["markup_ok"] and ":QT>" in copied["text"] and entities(copied) == [("4", "QT")]
    assert all(row["markup_problem"] is None for row in rows if row["markup_ok"])


def test_sample_covers_what_the_issue_asks():
    rows = read_klue_ner(SAMPLE, verbose=False)
    assert 240 <= len(rows) <= 260
    assert SAMPLE.read_text(encoding="utf-8").split("\n")[:5] == HEADER.rstrip("\n").split("\n")
    types = Counter(kind for row in rows for _, _, kind in bio_spans(row["tags"]))
    assert set(types) == set(ENTITY_TYPES) and min(types.values()) >= 50
    assert {tag for row in rows for tag in row["tags"]} == set(NER_LABELS)

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
    printed = capsys.readouterr().out
    assert "sample written for this project" in printed
    assert "klue-ner-v1.1_train.tsv: the markup line disagrees with the character tags in 5 of 204 sentences" in printed
    assert "klue-ner-v1.1_dev.tsv: the markup line disagrees with the character tags in 1 of 50 sentences" in printed
    assert any("<<" in row["markup"] and not row["markup_ok"] for row in dev)  # as in the real dev file
    everything = read_klue_ner(SAMPLE, verbose=False)
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


# --------------------------------------------------------------------------- the real files, when prefetched


def _verified_real_file(split):
    """The real KLUE-NER file of ``split`` if ``python -m lectureutils.prefetch`` left a verified copy in the cache."""
    import hashlib

    from lectureutils import env

    spec = KLUE_NER.files[split]
    path = env.cache_dir() / KLUE_NER.name / spec.filename
    if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != spec.sha256:
        pytest.skip(f"needs the real {spec.filename} in the cache (python -m lectureutils.prefetch)")
    return path


def test_the_real_dev_file_reads_whole_with_its_three_disagreements(capsys):
    from lectureutils.ner import klue_ner_scores

    rows = read_klue_ner(_verified_real_file("dev"))
    assert len(rows) == 5_000
    assert "in 3 of 5,000 sentences" in capsys.readouterr().out
    flagged = {row["guid"]: row for row in rows if not row["markup_ok"]}
    assert set(flagged) == {"klue-ner-v1_dev_01174-nsmc", "klue-ner-v1_dev_02824-nsmc", "klue-ner-v1_dev_03610-nsmc"}
    for guid, entity in [("klue-ner-v1_dev_01174-nsmc", "<레이"), ("klue-ner-v1_dev_02824-nsmc", "<10"),
                         ("klue-ner-v1_dev_03610-nsmc", "<일지매")]:
        row = flagged[guid]  # kept with its character tags: the '<' is the entity's B-
        assert entity in [row["text"][s:e] for s, e, _ in bio_spans(row["tags"])], row["markup_problem"]
    assert klue_ner_scores(rows, [row["tags"] for row in rows]) == {"entity_macro_f1": 100.0, "char_macro_f1": 100.0}


def test_the_real_train_file_reads_whole(capsys):
    rows = read_klue_ner(_verified_real_file("train"))
    assert len(rows) == 21_008 and len({row["guid"] for row in rows}) == 21_008
    assert all(row["markup_problem"] for row in rows if not row["markup_ok"])
