"""The Korean edition (issue 25): catalogues, the build, the drift check, and the package's messages in Korean."""

from __future__ import annotations

import ast
import io
import json
import re
import shutil
import tokenize
from pathlib import Path

import nbformat
import polib
import pytest

from lectureutils import env
from lectureutils.i18n import LOCALE_DIR, _
from tools.i18n import build, catalogue, glossary
from tools.i18n.extract import code_spans, masked_source

ROOT = Path(__file__).resolve().parent.parent
SETUP_CELL = ('import lectureutils\n\nsession = lectureutils.setup()  # prints one line\n'
              '!pip install --quiet nothing  # a shell line: never translated\n')
PLOT_CELL = ('fig, ax = plt.subplots()\nax.set_title("Attention of head 1")  # the first head\n'
             'ax.set_xlabel(f"layer {layer}")\nprint("tokens:", tokens)\nMODEL = "klue/bert-base"  # or kcbert\n'
             'data = {"label": "positive"}\nprint(f"accuracy {acc:.3f}", "extra")\n'
             'top_k_chart(probs, "not a title",\n            title=f"top {k} "\n                  f"of {n} tokens")\n'
             'ax.axvline(3, label="the lecture\'s length")\nax.legend(label="not a legend entry")\n')


def tiny_notebook(folder: Path, intro="# 05 · A tiny notebook\n\nIt fine-tunes a model.") -> Path:
    book = nbformat.v4.new_notebook(metadata={"colab": {"provenance": []}})
    book.cells = [
        nbformat.v4.new_markdown_cell(intro + "\n\n[![Open In Colab](https://colab.research.google.com/assets/"
                                      "colab-badge.svg)](https://colab.research.google.com/github/o/r/blob/main/"
                                      "notebooks/05_tiny.ipynb)", id="cell-00"),
        nbformat.v4.new_code_cell(SETUP_CELL, id="cell-01"),
        nbformat.v4.new_markdown_cell("## 1. Plots\nA plot of attention.", id="cell-02",
                                      metadata={"slideshow": {"slide_type": "slide"}}),
        nbformat.v4.new_code_cell(PLOT_CELL, id="cell-03"),
    ]
    path = folder / "notebooks" / "05_tiny.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(book, path)
    return path


def translate(po_path: Path, translations: dict) -> None:
    po = polib.pofile(str(po_path))
    for entry in po:
        if (entry.msgctxt, entry.msgid) in translations:
            entry.msgstr = translations[(entry.msgctxt, entry.msgid)]
    catalogue.save(po, po_path)


@pytest.fixture
def tiny(tmp_path):
    notebook = tiny_notebook(tmp_path)
    catalogue.refresh(notebook, "ko", tmp_path / "i18n")
    return notebook, tmp_path / "i18n" / "ko" / "05_tiny.po"


def test_refresh_keys_markdown_by_cell_id_and_code_by_cell_and_kind(tiny):
    _, po_path = tiny
    keys = [(e.msgctxt, e.msgid) for e in polib.pofile(str(po_path))]
    assert keys[0][0] == "cell-00" and keys[0][1].startswith("# 05 · A tiny notebook")
    assert ("cell-01/comment", "prints one line") in keys
    assert ("cell-03/string", "Attention of head 1") in keys and ("cell-03/string", "layer {layer}") in keys
    assert ("cell-03/string", "tokens:") in keys and ("cell-03/comment", "or kcbert") in keys
    assert ("cell-03/string", "accuracy {acc:.3f}") in keys and ("cell-03/string", "extra") in keys  # print: all
    assert ("cell-03/string", "top {k} \nof {n} tokens") in keys  # joined pieces: one unit, a line per piece
    assert ("cell-03/string", "the lecture's length") in keys  # a plot's legend entry
    assert not any("klue/bert-base" in msgid or msgid in ("label", "positive", "not a title", "not a legend entry")
                   for _, msgid in keys)
    assert not any("shell line" in msgid for _, msgid in keys)  # comments on ! lines stay as they are
    assert all(not e.msgstr for e in polib.pofile(str(po_path)))


def test_changed_english_is_fuzzy_with_the_old_translation_kept(tmp_path, tiny):
    notebook, po_path = tiny
    translate(po_path, {("cell-00", next(e.msgid for e in polib.pofile(str(po_path)))): "# 05 · 작은 노트북",
                        ("cell-03/comment", "the first head"): "첫 번째 헤드"})
    tiny_notebook(tmp_path, intro="# 05 · A tiny notebook\n\nIt fine-tunes a small model.")
    text = PLOT_CELL.replace("# the first head", "# the first head of layer 1")
    book = nbformat.read(notebook, as_version=4)
    book.cells[3].source = text
    nbformat.write(book, notebook)
    counts = catalogue.refresh(notebook, "ko", tmp_path / "i18n")
    assert counts["changed"] == 2
    entries = {e.msgctxt + "|" + e.msgid: e for e in polib.pofile(str(po_path))}
    cell = next(e for key, e in entries.items() if key.startswith("cell-00|"))
    assert "small model" in cell.msgid and cell.msgstr == "# 05 · 작은 노트북" and "fuzzy" in cell.flags
    assert "small model" not in cell.previous_msgid and "fine-tunes a model" in cell.previous_msgid
    comment = entries["cell-03/comment|the first head of layer 1"]
    assert comment.msgstr == "첫 번째 헤드" and "fuzzy" in comment.flags
    assert catalogue.refresh(notebook, "ko", tmp_path / "i18n") == {"new": 0, "changed": 0, "obsolete": 0}


def code_tokens(source: str) -> list[str]:
    """Tokens of a code cell without comments, each display string (all its joined pieces) one mask, and the setup
    call's language removed."""
    starts = [0]
    for line in source.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    shown = [(piece.start, piece.end) for span in code_spans(source) if span.kind == "string" for piece in span.pieces]
    words = []
    for token in tokenize.generate_tokens(io.StringIO(masked_source(source)).readline):
        if token.type in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE):
            continue
        offset = starts[token.start[0] - 1] + token.start[1]
        if any(start <= offset < end for start, end in shown):
            if words[-1:] != ["<display string>"]:
                words.append("<display string>")
        else:
            words.append(token.string)
    return re.sub(r'(setup \( .*?)(?:, )?language = "ko" \)', r"\1)", " ".join(words)).split(" ")


def check_code_equal(english: dict, korean: dict) -> None:
    assert [c["cell_type"] for c in english["cells"]] == [c["cell_type"] for c in korean["cells"]]
    for en, ko in zip(english["cells"], korean["cells"]):
        assert en["id"] == ko["id"] and en["metadata"] == ko["metadata"]
        if en["cell_type"] == "code":
            assert code_tokens("".join(en["source"])) == code_tokens("".join(ko["source"])), en["id"]


def test_build_translates_marks_stale_and_keeps_code(tmp_path, tiny):
    notebook, po_path = tiny
    entries = {e.msgctxt: e.msgid for e in polib.pofile(str(po_path)) if "/" not in e.msgctxt}
    translate(po_path, {("cell-02", entries["cell-02"]): "## 1. 그림\n어텐션(attention)을 그린 그림입니다.",
                        ("cell-03/string", "Attention of head 1"): "헤드 1의 어텐션",
                        ("cell-03/string", "layer {layer}"): "{layer}번째 층",
                        ("cell-03/string", "tokens:"): "토큰 \"목록\":",
                        ("cell-03/string", "accuracy {acc:.3f}"): "정확도 {accuracy}",  # a changed field: not used
                        ("cell-03/string", "top {k} \nof {n} tokens"): "토큰 {n}개 중 \n상위 {k}개",  # moves fields
                        ("cell-03/string", "the lecture's length"): "강의의 길이",
                        ("cell-03/comment", "the first head"): "첫 번째 헤드"})
    text, counts = build.build_notebook(notebook, "ko", tmp_path / "i18n")
    korean = json.loads(text)
    sources = ["".join(cell["source"]) for cell in korean["cells"]]
    assert sources[2] == "## 1. 그림\n어텐션(attention)을 그린 그림입니다."
    assert "blob/main/notebooks/ko/05_tiny.ipynb" in sources[0]
    assert 'session = lectureutils.setup(language="ko")  # prints one line' in sources[1]
    assert 'ax.set_title("헤드 1의 어텐션")  # 첫 번째 헤드' in sources[3]
    assert 'ax.set_xlabel(f"{layer}번째 층")' in sources[3] and 'print("tokens:", tokens)' in sources[3]
    assert 'print(f"accuracy {acc:.3f}", "extra")' in sources[3] and counts["invalid"] == 2
    assert 'title=f"토큰 {n}개 중 "\n                  f"상위 {k}개")' in sources[3]
    assert 'ax.axvline(3, label="강의의 길이")' in sources[3]
    assert counts["translated"] == 6 and counts["stale"] == 0 and counts["missing"] == 4
    english = json.loads(notebook.read_text(encoding="utf-8"))
    check_code_equal(english, korean)
    assert korean["metadata"] == english["metadata"]
    assert build.build_notebook(notebook, "ko", tmp_path / "i18n")[0] == text  # deterministic

    book = nbformat.read(notebook, as_version=4)  # the English changes: the cell shows it, under the note
    book.cells[2].source = "## 1. Plots\nA plot of the attention weights."
    nbformat.write(book, notebook)
    for refreshed in (False, True):  # stale before the catalogue is refreshed, and after
        if refreshed:
            catalogue.refresh(notebook, "ko", tmp_path / "i18n")
        text, counts = build.build_notebook(notebook, "ko", tmp_path / "i18n")
        cell = "".join(json.loads(text)["cells"][2]["source"])
        assert cell.startswith("## 1. Plots\n\n> **번역 갱신 필요 (translation out of date)**")
        assert cell.endswith("A plot of the attention weights.") and counts["stale"] == 1


def test_build_all_writes_then_checks(tmp_path, tiny):
    notebook, _ = tiny
    folder = notebook.parent
    report = build.build_all("ko", folder=folder, root=tmp_path / "i18n", notebooks=[notebook])
    assert report["05_tiny.ipynb"][1] is False and (folder / "ko" / "05_tiny.ipynb").exists()
    report = build.build_all("ko", check=True, folder=folder, root=tmp_path / "i18n", notebooks=[notebook])
    assert report["05_tiny.ipynb"][1] is True


def test_glossary_misses():
    pairs = (("attention mask", "어텐션 마스크"), ("attention", "어텐션"), ("fine-tuning", "파인튜닝"))
    assert glossary.misses("The attention mask and `attention`", "어텐션 마스크", pairs) == []
    assert glossary.misses("Fine-tuning with attention", "미세 조정과 어텐션", pairs) == [("fine-tuning", "파인튜닝")]
    terms = dict(glossary.read_glossary())
    for english, korean in [("pre-training", "사전학습"), ("transfer learning", "전이학습"), ("passage", "지문"),
                            ("masked language model", "마스크드 언어 모델"), ("integer encoding", "정수 인코딩")]:
        assert terms[english] == korean
    assert len(terms) >= 40


# ---- the package's messages --------------------------------------------------------------------------------

def test_messages_are_english_by_default_and_korean_when_asked(monkeypatch, capsys):
    from lectureutils import exercises, session

    monkeypatch.setenv("LECTUREUTILS_LANG", "en")
    assert env.language() == "en" and _("{label}: correct") == "{label}: correct"
    exercises.check("no-such-exercise", None)
    assert "no self-check is registered" in capsys.readouterr().out
    env.use_language("ko")  # what setup(language="ko") does
    assert env.language() == "ko"
    exercises.check("no-such-exercise", None)
    assert "연습문제 no-such-exercise" in capsys.readouterr().out
    banner = session.make_banner(session.Session(True, False, "cpu", 7, offline_reason="x"), "2.6", "5.0")
    assert banner.startswith("lectureutils | 모드: 오프라인 (x)")
    import lectureutils.models

    monkeypatch.setattr(lectureutils.models, "is_standin", lambda obj: False)
    monkeypatch.delenv("LECTUREUTILS_FAST", raising=False)
    monkeypatch.delenv("LECTUREUTILS_RUN_SIZE", raising=False)
    monkeypatch.setattr("lectureutils.models.is_standin", lambda model: False)  # as with the real model online
    with pytest.raises(session.RunSizeError, match="런타임"):
        session.run_size("full", "klue/bert-base", "cpu")
    monkeypatch.setenv("LECTUREUTILS_LANG", "fr")
    with pytest.raises(ValueError, match="LECTUREUTILS_LANG"):
        env.language()


def message_ids() -> set[str]:
    found = set()
    for path in (ROOT / "lectureutils").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_")
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.add(node.args[0].value)
    return found


def test_every_message_is_translated_with_its_fields_and_the_mo_is_compiled():
    po = polib.pofile(str(LOCALE_DIR / "ko" / "LC_MESSAGES" / "lectureutils.po"))
    translated = {e.msgid: e.msgstr for e in po if e.msgstr and "fuzzy" not in e.flags}
    assert message_ids() <= set(translated), sorted(message_ids() - set(translated))
    for msgid, msgstr in translated.items():
        assert sorted(re.findall(r"\{\w*\}", msgid)) == sorted(re.findall(r"\{\w*\}", msgstr)), msgid
    assert build.compile_messages("ko", check=True), "run make ko (python -m tools.i18n build ko)"


# ---- the committed edition (the CI drift check) -----------------------------------------------------------

def test_catalogues_are_refreshed(tmp_path):
    for notebook in catalogue.english_notebooks():
        committed = catalogue.catalogue_path("ko", notebook)
        assert committed.exists(), f"{committed.name} missing: run make ko"
        copy = catalogue.catalogue_path("ko", notebook, tmp_path)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(committed, copy)
        catalogue.refresh(notebook, "ko", tmp_path)
        assert copy.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), (
            f"i18n/ko/{committed.name} is not in step with notebooks/{notebook.name}: run make ko and commit")


def test_generated_notebooks_are_up_to_date_and_keep_the_code():
    report = build.build_all("ko", check=True)
    stale = sum(counts["stale"] for counts, _ in report.values())
    missing = sum(counts["missing"] for counts, _ in report.values())
    behind = sorted(name for name, (_, current) in report.items() if not current)
    assert not behind, (f"notebooks/ko/ differs from what the build produces for {behind} "
                        f"({stale} stale, {missing} missing translations): run make ko and commit")
    generated = sorted(p.name for p in (ROOT / "notebooks" / "ko").glob("*.ipynb"))
    assert generated == sorted(report), "notebooks/ko/ holds a notebook with no English source"
    for name in report:
        english = json.loads((ROOT / "notebooks" / name).read_text(encoding="utf-8"))
        check_code_equal(english, json.loads((ROOT / "notebooks" / "ko" / name).read_text(encoding="utf-8")))


def test_setup_language_switches_the_messages_first(monkeypatch):
    from lectureutils import session

    class Stop(Exception):
        pass

    def stop():
        raise Stop

    monkeypatch.setenv("LECTUREUTILS_LANG", "en")
    monkeypatch.setattr(session, "check_peft", stop)  # the first step after the language: no torch import here
    with pytest.raises(Stop):
        session.setup(language="ko")
    assert env.language() == "ko"
    with pytest.raises(ValueError, match="language='de'"):
        session.setup(language="de")


def test_command_line_help_follows_the_language(monkeypatch):
    from lectureutils import finetune
    from lectureutils.serve import cli

    monkeypatch.delenv("LECTUREUTILS_LANG", raising=False)
    assert "shared by every task" in finetune.build_parser()._subparsers._group_actions[0].choices[
        "classification"].format_help()
    monkeypatch.setenv("LECTUREUTILS_LANG", "ko")
    korean = finetune.build_parser()._subparsers._group_actions[0].choices["classification"].format_help()
    assert "모든 태스크 공통" in korean and "파인튜닝한 모델을 저장할 폴더" in korean
    assert "체크포인트 폴더" in cli.build_parser().format_help()


def test_errors_a_student_meets_follow_the_language(monkeypatch):
    from lectureutils import session

    monkeypatch.setenv("LECTUREUTILS_LANG", "ko")
    monkeypatch.delenv("LECTUREUTILS_RUN_SIZE", raising=False)
    monkeypatch.setenv("LECTUREUTILS_FAST", "0")  # fast mode means "quick" whatever is asked
    with pytest.raises(ValueError, match="중 하나를 쓰세요"):
        session.run_size("huge", "beomi/kcbert-base", "cpu")
    monkeypatch.setattr("lectureutils.models.is_standin", lambda model: False)  # as with the real model online
    with pytest.raises(session.RunSizeError, match="런타임"):
        session.run_size("full", "beomi/kcbert-base", "cpu")
