"""The translation catalogues ``i18n/<language>/<notebook>.po``: refresh them from the English notebooks, read them
(the Korean edition of every notebook; i18n/README.md).

``refresh`` adds an entry for every new unit, marks an entry whose English changed ``fuzzy`` with its translation
kept and the old English as ``#| msgid`` (what gettext's msgmerge does, and what Poedit shows as the change), moves
entries whose unit is gone to the obsolete ``#~`` section (their translation can come back), and rewrites the file
in notebook order. A markdown cell is matched by its cell id alone; a comment or display string by its cell and
text, else by the most similar vanished text of the same cell and kind (a reworded comment keeps its translation,
fuzzy).
"""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

from .extract import Unit, notebook_units

__all__ = ["ROOT", "NOTEBOOKS", "I18N", "catalogue_path", "english_notebooks", "load", "save", "refresh", "state",
           "translations", "without_badges"]

ROOT = Path(__file__).resolve().parent.parent.parent
NOTEBOOKS = ROOT / "notebooks"
I18N = ROOT / "i18n"
SIMILAR = 0.6  # difflib ratio above which a vanished text's translation is offered, fuzzy, for a new one
WRAP = 100
# An Open-in-Colab address (lectureutils.colab.badge_url): which repository it names is no part of the text to
# translate (a fork's `python -m lectureutils.colab --repo` changes it), and the build writes it for the edition.
COLAB_URL = re.compile(r"https://colab\.research\.google\.com/github/[^/\s)]+/[^/\s)]+/blob/main/notebooks/"
                       r"(?:[a-z]{2}/)?([^/\s)]+\.ipynb)")


def without_badges(text: str) -> str:
    """``text`` with every Open-in-Colab address reduced to its notebook's name: two English texts that differ only
    in the repository their badges name are the same text to translate (refresh, build; every notebook)."""
    return COLAB_URL.sub(r"<colab>/\1", text)


def catalogue_path(language: str, notebook: str | Path, root: Path = I18N) -> Path:
    """``i18n/<language>/<notebook stem>.po`` (the Korean edition of every notebook)."""
    return root / language / f"{Path(notebook).stem}.po"


def english_notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    """The English source notebooks, ``notebooks/NN_*.ipynb``, in order (the Korean edition of every notebook)."""
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


def load(path: Path, language: str = "ko"):
    """The catalogue at ``path`` (polib), an empty one with the header when there is none (every notebook)."""
    import polib

    if path.exists():
        po = polib.pofile(str(path), wrapwidth=WRAP)
    else:
        po = polib.POFile(wrapwidth=WRAP)
    po.metadata = {
        "Project-Id-Version": f"bert-gpt-lectures notebooks/{path.stem}.ipynb",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    return po


def save(po, path: Path) -> None:
    """Write a catalogue (no header comment, no dates: the file changes only when its entries do) (every notebook)."""
    po.header = (f"Korean edition of notebooks/{path.stem}.ipynb: fill in msgstr only (i18n/README.md), then make ko.\n"
                 "Generated and refreshed by `python -m tools.i18n refresh ko`.")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = po.__unicode__()
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def _entry(unit: Unit):
    import polib

    return polib.POEntry(msgctxt=unit.context, msgid=unit.msgid, msgstr="", comment=unit.note)


def _mark_changed(entry, unit: Unit, old) -> None:
    """``entry`` takes ``unit``'s English; a translation of other English becomes fuzzy with that English kept."""
    if old.msgstr and without_badges(old.msgid) != without_badges(unit.msgid):
        entry.msgstr = old.msgstr
        entry.previous_msgid = old.previous_msgid if "fuzzy" in old.flags and old.previous_msgid else old.msgid
        entry.flags = ["fuzzy"]
    elif old.msgstr:
        entry.msgstr, entry.flags = old.msgstr, list(old.flags)
        entry.previous_msgid = old.previous_msgid
    entry.tcomment = old.tcomment


def refresh(notebook: Path, language: str = "ko", root: Path = I18N) -> dict[str, int]:
    """Bring ``i18n/<language>/<notebook>.po`` in step with the English notebook; counts of new, changed and
    obsolete entries (``python -m tools.i18n refresh ko``; the Korean edition of every notebook)."""
    import polib

    path = catalogue_path(language, notebook, root)
    po = load(path, language)
    units = notebook_units(json.loads(Path(notebook).read_text(encoding="utf-8")))
    current = {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}
    by_context = {e.msgctxt: e for e in po if not e.obsolete and "/" not in (e.msgctxt or "")}
    wanted = {(u.context, u.msgid) for u in units}
    vanished = [e for e in po if e.obsolete or (e.msgctxt, e.msgid) not in wanted]
    counts = {"new": 0, "changed": 0, "obsolete": 0}
    entries = []
    for unit in units:
        entry = _entry(unit)
        old = current.get((unit.context, unit.msgid))
        if old is None and "/" not in unit.context:
            old = by_context.get(unit.context)
        if old is None:
            old = _similar(unit, [e for e in vanished if e.msgctxt == unit.context and e.msgstr])
        if old is not None:
            counts["changed"] += bool(old.msgstr) and without_badges(old.msgid) != without_badges(unit.msgid)
            _mark_changed(entry, unit, old)
            if old in vanished:
                vanished.remove(old)
        else:
            counts["new"] += 1
        entries.append(entry)
    kept = []
    for old in vanished:  # what is gone keeps its translation in the obsolete section
        if old.msgstr and not any(e.msgstr == old.msgstr and e.msgid == old.msgid for e in entries):
            counts["obsolete"] += not old.obsolete
            kept.append(polib.POEntry(msgctxt=old.msgctxt, msgid=old.msgid, msgstr=old.msgstr, obsolete=True,
                                      comment=old.comment))
    del po[:]
    po.extend(entries + sorted(kept, key=lambda e: (e.msgctxt or "", e.msgid)))
    save(po, path)
    return counts


def _similar(unit: Unit, candidates: list):
    best, score = None, SIMILAR
    for entry in candidates:
        ratio = difflib.SequenceMatcher(None, entry.msgid, unit.msgid).ratio()
        if ratio > score:
            best, score = entry, ratio
    return best


def state(entry) -> str:
    """"translated", "stale" (fuzzy: the English changed since) or "missing" (every notebook, Korean edition)."""
    if not entry.msgstr.strip():
        return "missing"
    return "stale" if "fuzzy" in entry.flags else "translated"


def translations(path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """(msgctxt, msgid) -> (state, msgstr) of a catalogue's live entries (msgid :func:`without_badges`), and (cell
    id, None) -> ("stale", msgstr) for every translated markdown cell, so that a cell whose English changed after the
    last refresh shows as stale; empty when there is no catalogue (every notebook, Korean edition)."""
    if not path.exists():
        return {}
    import polib

    found = {}
    for entry in polib.pofile(str(path)):
        if not entry.obsolete:
            found[(entry.msgctxt, without_badges(entry.msgid))] = (state(entry), entry.msgstr)
            if "/" not in entry.msgctxt and entry.msgstr.strip():  # a markdown cell by its id alone: see build
                found[(entry.msgctxt, None)] = ("stale", entry.msgstr)
    return found
