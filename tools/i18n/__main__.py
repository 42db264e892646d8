"""``python -m tools.i18n refresh|status|build LANGUAGE`` (the Korean edition; i18n/README.md, make ko)."""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from .build import build_all, compile_messages
from .catalogue import catalogue_path, english_notebooks, refresh, state
from .glossary import misses

STATES = ("translated", "stale", "missing", "invalid")


def _line(name: str, counts: Counter) -> str:
    return f"{name:<42} " + "  ".join(f"{key} {counts.get(key, 0):>3}" for key in STATES)


def status(language: str) -> int:
    import polib

    totals, glossary = Counter(), []
    for notebook in english_notebooks():
        path = catalogue_path(language, notebook)
        entries = [e for e in polib.pofile(str(path)) if not e.obsolete] if path.exists() else []
        counts = Counter(state(e) for e in entries)
        for entry in entries:
            if state(entry) == "translated":
                glossary += [(notebook.stem, entry.msgctxt, term, korean)
                             for term, korean in misses(entry.msgid, entry.msgstr)]
        totals.update(counts)
        print(_line(notebook.stem if path.exists() else f"{notebook.stem} (no catalogue)", counts))
    print(_line("total", totals))
    for stem, context, term, korean in glossary:
        print(f"glossary: {stem} {context}: '{term}' is not written '{korean}'")
    print(f"glossary: {len(glossary)} terms used inconsistently")
    return 0


def build(language: str, check: bool) -> int:
    report = build_all(language, check=check)
    totals = Counter()
    for name, (counts, current) in report.items():
        totals.update(counts)
        if check and not current:
            print(f"{name}: notebooks/{language}/{name} differs from what the build produces")
    messages_current = compile_messages(language, check=check)
    stale = [name for name, (_, current) in report.items() if not current]
    print(_line(f"total ({len(report)} notebooks)", totals))
    if check:
        if not messages_current:
            print(f"lectureutils/locale/{language}: the .mo differs from its .po")
        if stale or not messages_current:
            print(f"run `python -m tools.i18n build {language}` (make {language}) and commit the result")
            return 1
        return 0
    print(f"built notebooks/{language}/ ({len(stale)} changed)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.i18n", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (("refresh", "bring i18n/LANG/*.po in step with the English notebooks"),
                       ("status", "translated / stale / missing per notebook, and glossary misses"),
                       ("build", "write notebooks/LANG/*.ipynb and compile the package messages")):
        command = commands.add_parser(name, help=text)
        command.add_argument("language")
        if name == "build":
            command.add_argument("--check", action="store_true", help="only compare; exit 1 when out of date")
    args = parser.parse_args(argv)
    if args.command == "refresh":
        for notebook in english_notebooks():
            counts = refresh(notebook, args.language)
            print(f"{notebook.stem}: {counts['new']} new, {counts['changed']} changed (fuzzy), "
                  f"{counts['obsolete']} obsolete")
        return 0
    if args.command == "status":
        return status(args.language)
    return build(args.language, args.check)


if __name__ == "__main__":
    sys.exit(main())
