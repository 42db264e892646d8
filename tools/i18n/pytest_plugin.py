"""A pytest plugin for running a generated edition's notebooks with nbval (``make test``: notebooks/ko/00 and 05,
``-p tools.i18n.pytest_plugin``; the Korean edition).

- **The package speaks the edition's language**: after each cell of a ``notebooks/<language>/`` notebook, its printed
  text (stdout and stderr) may hold none of the package's English messages (the ``msgid``s of
  ``lectureutils/locale/<language>``, fields matching anything), and the setup cell's banner must be in that language
  (Hangul for Korean). nbval's ``--nbval-lax`` compares no outputs; this is what checks them.
- **The edition's progress** is printed at the end of the run: markdown cells and code units translated / stale /
  missing over all notebooks (``python -m tools.i18n status ko`` gives them per notebook).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from pathlib import Path

import pytest

from lectureutils.colab import EDITIONS
from lectureutils.i18n import DOMAIN, LOCALE_DIR

__all__ = ["edition_language", "english_messages", "printed_text", "language_problems", "edition_counts",
           "status_line", "pytest_runtest_call", "pytest_terminal_summary", "pytest_collection_modifyitems"]

SCRIPTS = {"ko": re.compile(r"[\uac00-\ud7a3]")}  # what a line in the language has: Hangul syllables
FIELD = re.compile(r"\{[^{}]*\}")
MIN_LITERAL = 12  # letters of fixed text a message needs to be told from a notebook's own prints ("Exercise {id}")


def edition_language(path) -> str | None:
    """The language of a generated edition's notebook (``notebooks/ko/*.ipynb`` -> "ko"), else None
    (every notebook)."""
    path = Path(str(path))
    return path.parent.name if path.suffix == ".ipynb" and path.parent.name in EDITIONS else None


@functools.lru_cache(maxsize=None)
def english_messages(language: str) -> tuple[tuple[str, re.Pattern], ...]:
    """(msgid, pattern) of every package message translated for ``language``: the pattern finds the English text
    printed, with any value in its ``{...}`` fields (setup, every notebook)."""
    import polib

    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    entries = polib.pofile(str(path)) if path.exists() else []
    kept = "\n".join(entry.msgstr for entry in entries)  # English a translation keeps: "대체 모델(OFFLINE STAND-IN)"
    found = []
    for entry in entries:
        if not entry.msgid or not entry.msgstr or entry.obsolete:
            continue
        for line in entry.msgid.splitlines():
            pieces = FIELD.split(line)
            if sum(len(re.findall(r"[A-Za-z]", piece)) for piece in pieces) < MIN_LITERAL:
                continue
            if all(piece.strip() in kept for piece in pieces):
                continue
            found.append((line, re.compile(".+?".join(re.escape(piece) for piece in pieces))))
    return tuple(found)


def printed_text(outputs) -> str:
    """The text a cell printed (its stream outputs) as nbval collected it (every notebook)."""
    return "".join(out.get("text", "") for out in outputs or () if out.get("output_type") == "stream")


def language_problems(source: str, printed: str, language: str) -> list[str]:
    """What in one cell's printed text is not in ``language``: a package message printed in English, or (the setup
    cell) a banner without the language's script (setup, every notebook)."""
    problems = [f"package message printed in English: {line.strip()!r} (msgid {msgid!r})"
                for line in printed.splitlines() for msgid, pattern in english_messages(language)
                if pattern.search(line)]
    if "lectureutils.setup(" in source:
        banner = [line for line in printed.splitlines() if line.startswith("lectureutils |")]
        if not banner or not SCRIPTS[language].search(banner[0]):
            problems.append(f"the setup banner is not in {language!r}: {banner[:1] or printed[:200]!r}")
    return problems


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After a cell of an edition's notebook ran: fail it if it printed the package in English (every notebook)."""
    result = yield
    language = edition_language(getattr(item, "path", ""))
    if language is not None and hasattr(item, "test_outputs") and language in SCRIPTS:
        problems = language_problems(item.cell.source, printed_text(item.test_outputs), language)
        if problems:
            raise AssertionError(f"{item.path.name} cell {getattr(item, 'cell_num', '?')}: " + "; ".join(problems))
    return result


def edition_counts(language: str) -> dict[str, Counter]:
    """"markdown" and "code" -> Counter of translated / stale / missing entries over every catalogue
    (every notebook)."""
    import polib

    from .catalogue import catalogue_path, english_notebooks, state

    counts = {"markdown": Counter(), "code": Counter()}
    for notebook in english_notebooks():
        path = catalogue_path(language, notebook)
        for entry in polib.pofile(str(path)) if path.exists() else []:
            if not entry.obsolete:
                counts["code" if "/" in entry.msgctxt else "markdown"][state(entry)] += 1
    return counts


def status_line(language: str) -> str:
    """One line: the edition's markdown cells and code units translated / stale / missing (every notebook)."""
    counts = edition_counts(language)
    parts = [f"{kind} {c['translated']} translated, {c['stale']} stale, {c['missing']} missing"
             for kind, c in (("markdown cells", counts["markdown"]), ("code comments and strings", counts["code"]))]
    return f"notebooks/{language}/: " + "; ".join(parts) + f" (python -m tools.i18n status {language})"


def pytest_terminal_summary(terminalreporter):
    """At the end: the edition's progress, :func:`status_line` (every notebook)."""
    languages = sorted({edition_language(item.path) for item in getattr(terminalreporter.config, "_edition_items", [])}
                       - {None})
    for language in languages:
        terminalreporter.write_line(status_line(language))


def pytest_collection_modifyitems(config, items):
    """Remember the editions' cells that run, for the summary (every notebook)."""
    config._edition_items = [item for item in items if edition_language(getattr(item, "path", "")) is not None]
