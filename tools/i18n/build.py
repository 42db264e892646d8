"""Build ``notebooks/<language>/<notebook>.ipynb`` from the English notebook and its catalogue (the Korean edition of
every notebook; ``python -m tools.i18n build ko``, ``make ko``).

- markdown: the translation; a stale one (fuzzy) shows the English with :data:`STALE_NOTE`; a missing one the
  English. Every Open-in-Colab badge is ``lectureutils.colab.badge_url`` of the edition (``notebooks/<language>/``
  in :data:`lectureutils.colab.REPOSITORY`, the one place the address lives), whatever repository the catalogue's
  text names.
- code: identical but for translated comments and display strings (``tools.i18n.extract``) and the setup call,
  ``lectureutils.setup(...)`` -> ``lectureutils.setup(..., language="ko")``. A display string's translation that is
  not a valid literal, or changes its ``{...}`` fields, is not used (``status`` counts it as invalid).
- metadata, cell ids, outputs: kept. The output is deterministic (nbformat's writer: sorted keys, one indent).
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

from lectureutils import colab
from lectureutils.i18n import DOMAIN, LOCALE_DIR, translation

from .catalogue import COLAB_URL, I18N, NOTEBOOKS, catalogue_path, translations, without_badges
from .extract import FIELD, code_spans, setup_call_end

__all__ = ["STALE_NOTE", "BADGE", "edition_path", "translate_markdown", "translate_code", "build_notebook",
           "build_all", "compile_messages"]

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
    return BADGE.sub(lambda m: colab.badge_url(m.group(1), colab.REPOSITORY, language), result), state


def _valid_string(span, text: str) -> bool:
    """A display string's translation: one line per literal piece, each a valid literal, with the English's
    ``{...}`` fields (in a plain, not-f, piece: exactly its own, since braces there are text)."""
    lines = text.split("\n")
    if len(lines) != len(span.pieces):
        return False
    for piece, line in zip(span.pieces, lines):
        try:
            compile(piece.prefix + line + piece.suffix, "<translation>", "eval")
        except SyntaxError:
            return False
        if "f" not in piece.prefix.lower() and sorted(FIELD.findall(piece.text)) != sorted(FIELD.findall(line)):
            return False
    return sorted(FIELD.findall(span.text)) == sorted(FIELD.findall(text))


def translate_code(source: str, cell_id: str, found: dict, language: str = "ko") -> tuple[str, Counter]:
    """A code cell's source with its comments and display strings translated and the setup call given
    ``language``; counts of the units' states (every notebook, Korean edition)."""
    counts, edits = Counter(), []
    seen = set()
    for span in code_spans(source):
        state, text = found.get((f"{cell_id}/{span.kind}", without_badges(span.text)), ("missing", ""))
        if span.kind == "string" and state == "translated" and not _valid_string(span, text):
            state = "invalid"
        if (span.kind, span.text) not in seen:
            counts[state] += 1
            seen.add((span.kind, span.text))
        if state == "translated":
            lines = [" ".join(text.split("\n"))] if span.kind == "comment" else text.split("\n")
            edits += [(piece.start, piece.end, piece.prefix + line + piece.suffix)
                      for piece, line in zip(span.pieces, lines)]
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


def compile_messages(language: str, check: bool = False) -> bool:
    """Compile ``lectureutils/locale/<language>/LC_MESSAGES/lectureutils.po`` to its ``.mo`` (``make ko``); True when
    the ``.mo`` was already up to date (or there is no catalogue). With ``check`` nothing is written."""
    import polib

    po_path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.exists():
        return True
    mo_path = po_path.with_suffix(".mo")
    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder) / "fresh.mo"
        polib.pofile(str(po_path)).save_as_mofile(str(fresh))
        data = fresh.read_bytes()
    current = mo_path.exists() and mo_path.read_bytes() == data
    if not current and not check:
        mo_path.write_bytes(data)
        translation.cache_clear()
    return current
