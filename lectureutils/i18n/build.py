"""Build ``notebooks/<language>/<notebook>.ipynb`` from the English notebook and its catalogue (the Korean edition of
every notebook; ``python -m lectureutils.i18n build ko``, ``make ko``).

- markdown: the translation; a stale one (fuzzy) shows the English with :data:`STALE_NOTE`; a missing one the
  English. Every Open-in-Colab badge is ``lectureutils.colab.badge_url`` of the edition (``notebooks/<language>/``
  in :data:`lectureutils.colab.REPOSITORY`, the one place the address lives), whatever repository the catalogue's
  text names.
- code: identical but for translated comments and display strings (``lectureutils.i18n.extract``) and the setup call,
  ``lectureutils.setup(...)`` -> ``lectureutils.setup(..., language="ko")``. A display string's translation that is
  not a valid literal, or changes its ``{...}`` fields, is not used (``status`` counts it as invalid).
- metadata, cell ids, outputs: kept. The output is deterministic (nbformat's writer: sorted keys, one indent).
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from .catalogue import COLAB_URL, I18N, NOTEBOOKS, catalogue_path, translations, without_badges
from .extract import FIELD, code_spans, setup_call_end

__all__ = ["STALE_NOTE", "BADGE", "edition_path", "translate_markdown", "translate_code", "build_notebook",
           "build_all", "work_in_english_folder"]

STALE_NOTE = ("> **번역 갱신 필요 (translation out of date)**: 번역한 뒤에 영어 원문이 바뀌었습니다. "
              "번역이 갱신될 때까지 영어 원문을 보여 드립니다.")
BADGE = COLAB_URL  # group 1: the notebook's file name


def edition_path(notebook: Path, language: str, folder: Path = NOTEBOOKS) -> Path:
    """``notebooks/<language>/<same name>.ipynb`` (the Korean edition of every notebook)."""
    return folder / language / Path(notebook).name


def translate_markdown(english: str, found: tuple[str, str] | None, language: str = "ko") -> tuple[str, str]:
    """(text, state) of a markdown cell: the translation, the English with the stale note, or the English
    (every notebook, Korean edition)."""
    state, text = found or ("missing", "")
    if state == "translated":
        result = text
    elif state == "stale":
        lines = english.split("\n")
        if lines[0].startswith("#"):  # the note goes under the cell's heading, not above it
            result = "\n".join([lines[0], "", STALE_NOTE, "", *lines[1:]])
        else:
            result = f"{STALE_NOTE}\n\n{english}"
    else:
        result = english
    from .. import colab

    return BADGE.sub(lambda m: colab.badge_url(m.group(1), colab.REPOSITORY, language), result), state


def _valid_string(prefix: str, english: str, text: str, suffix: str) -> bool:
    if "\n" in text:
        return False
    try:
        compile(prefix + text + suffix, "<translation>", "eval")
    except SyntaxError:
        return False
    return sorted(FIELD.findall(english)) == sorted(FIELD.findall(text))


def translate_code(source: str, cell_id: str, found: dict, language: str = "ko") -> tuple[str, Counter]:
    """A code cell's source with its comments and display strings translated and the setup call given
    ``language``; counts of the units' states (every notebook, Korean edition)."""
    counts, edits = Counter(), []
    seen = set()
    for span in code_spans(source):
        state, text = found.get((f"{cell_id}/{span.kind}", without_badges(span.text)), ("missing", ""))
        if span.kind == "string" and state == "translated" and not _valid_string(span.prefix, span.text, text,
                                                                                 span.suffix):
            state = "invalid"
        if (span.kind, span.text) not in seen:
            counts[state] += 1
            seen.add((span.kind, span.text))
        if state == "translated":
            text = " ".join(text.split("\n")) if span.kind == "comment" else text
            edits.append((span.start, span.end, span.prefix + text + span.suffix))
    end = setup_call_end(source)
    if end is not None and "language=" not in source[:end].rsplit("lectureutils.setup(", 1)[-1]:
        arguments = source[:end].rsplit("lectureutils.setup(", 1)[-1].strip()
        edits.append((end, end, f'{", " if arguments else ""}language="{language}"'))
    for start, stop, text in sorted(edits, reverse=True):
        source = source[:start] + text + source[stop:]
    return source, counts


def build_notebook(notebook: Path, language: str = "ko", root: Path = I18N) -> tuple[str, Counter]:
    """The generated notebook's text and its counts (translated, stale, missing, invalid) (every notebook, Korean
    edition)."""
    import nbformat

    found = translations(catalogue_path(language, notebook, root))
    book = nbformat.reads(Path(notebook).read_text(encoding="utf-8"), as_version=4)
    counts = Counter()
    for cell in book.cells:
        if cell.cell_type == "markdown" and cell.source.strip():
            entry = found.get((cell.id, without_badges(cell.source))) or found.get((cell.id, None))
            cell.source, state = translate_markdown(cell.source, entry, language)
            counts[state] += 1
        elif cell.cell_type == "code":
            cell.source, cell_counts = translate_code(cell.source, cell.id, found, language)
            counts.update(cell_counts)
    text = nbformat.writes(book)
    return (text if text.endswith("\n") else text + "\n"), counts


def build_all(language: str = "ko", check: bool = False, folder: Path = NOTEBOOKS, root: Path = I18N,
              notebooks: list[Path] | None = None) -> dict[str, tuple[Counter, bool]]:
    """Build (or with ``check`` only compare) every edition notebook: name -> (counts, up to date before)
    (every notebook, Korean edition; ``make ko``)."""
    from .catalogue import english_notebooks

    report = {}
    for notebook in notebooks if notebooks is not None else english_notebooks(folder):
        text, counts = build_notebook(notebook, language, root)
        target = edition_path(notebook, language, folder)
        current = target.exists() and target.read_text(encoding="utf-8") == text
        if not check and not current:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        report[notebook.name] = (counts, current)
    return report


def work_in_english_folder(language: str) -> bool:
    """``setup(language=...)`` in a generated edition's notebook: run where its English original runs.

    Jupyter and nbval start a notebook's kernel in the notebook's folder, ``notebooks/<language>/`` for the edition;
    its code (the English code) writes ``outputs/``, ``checkpoints/`` relative to that folder. When the working
    directory is exactly that folder it becomes ``notebooks/``, so both editions share those (git-ignored) folders
    and the Korean run leaves no files in ``notebooks/ko/``. Anywhere else (Colab's ``/content``, a script) nothing
    changes. True when it changed the directory (setup, every notebook of the Korean edition)."""
    if not language or language == "en":
        return False
    try:
        here = Path.cwd().resolve()
    except FileNotFoundError:  # a removed working directory: nothing to compare
        return False
    if here != (NOTEBOOKS / language).resolve():
        return False
    os.chdir(NOTEBOOKS)
    return True
