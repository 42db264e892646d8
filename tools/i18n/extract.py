"""What in a notebook is translatable, and where (the Korean edition of every notebook; i18n/README.md).

One *unit* per translatable piece, keyed for the catalogue by ``msgctxt``:

- a markdown cell, whole: ``msgctxt`` = the cell id (``cell-04``), ``msgid`` = the cell's English source;
- a code comment: ``msgctxt`` = ``<cell id>/comment``, ``msgid`` = the comment's text after ``#`` and its spaces;
- a display string: ``msgctxt`` = ``<cell id>/string``, ``msgid`` = the literal's text between its quotes, exactly as
  written (escapes and f-string fields ``{...}`` included).

The rule for code, kept simple so that nothing a program reads is ever translated:

- comments: every ``#`` comment with a letter in it, except directives (``noqa``, ``type:``, ``pragma``, ``fmt:``,
  ``%%`` markers), comments on IPython ``!``/``%`` lines, and the Colab block of the setup cell
  (``lectureutils.colab`` rewrites it in both editions);
- display strings: a one-line string literal (plain or f-string, not bytes) that is the *whole first argument* of a
  call to one of :data:`DISPLAY_CALLS` (``print``, ``set_title``, ``set_xlabel``, ``set_ylabel``, ``suptitle``,
  ``title``, ``xlabel``, ``ylabel``), with a letter outside its ``{...}`` fields. Every other string (names, model
  ids, paths, keys, labels a program compares) stays byte-identical.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass

__all__ = ["DISPLAY_CALLS", "Unit", "Span", "notebook_units", "code_spans", "masked_source", "setup_call_end"]

DISPLAY_CALLS = frozenset({"print", "set_title", "set_xlabel", "set_ylabel", "suptitle", "title", "xlabel", "ylabel"})
DIRECTIVE = re.compile(r"^(noqa|type:|pragma|fmt:|%%|isort:|pylint:)", re.IGNORECASE)
COMMENT = re.compile(r"^(#+[ \t]*)(.*?)[ \t]*$")
STRING = re.compile(r"^([A-Za-z]*)('''|\"\"\"|'|\")(.*)\2$", re.DOTALL)
FIELD = re.compile(r"\{[^{}]*\}")
LETTER = re.compile(r"[^\W\d_]")
MAGIC = re.compile(r"^([ \t]*)[!%]")
COLAB_LINE = 'if "google.colab" in sys.modules:'


@dataclass(frozen=True)
class Span:
    """A translatable piece of a code cell: where it is (0-based offsets in the source) and what it says."""

    kind: str  # "comment" | "string"
    start: int
    end: int
    prefix: str  # what stays around the text: "# " for a comment, 'f"' for a string
    text: str
    suffix: str
    line: str  # the source line, shown to translators


@dataclass(frozen=True)
class Unit:
    """One catalogue entry's source: its key, English text and a note for the translator."""

    context: str
    msgid: str
    note: str


def masked_source(source: str) -> str:
    """The cell's source with IPython ``!``/``%`` lines replaced by ``pass`` (same indentation), for ``tokenize``
    (every notebook's setup cell)."""
    return "\n".join(MAGIC.sub(lambda m: m.group(1) + "pass#", line) if MAGIC.match(line) else line
                     for line in source.split("\n"))


def _tokens(source: str) -> list[tokenize.TokenInfo] | None:
    try:
        return list(tokenize.generate_tokens(io.StringIO(masked_source(source)).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None


def _offsets(source: str) -> list[int]:
    starts, total = [], 0
    for line in source.split("\n"):
        starts.append(total)
        total += len(line) + 1
    return starts


def _string_end(tokens: list, index: int) -> int:
    """Index of the last token of the string literal starting at ``index`` (Python 3.12 splits f-strings)."""
    if tokens[index].type == tokenize.STRING:
        return index
    depth = 0
    for position in range(index, len(tokens)):
        name = tokenize.tok_name[tokens[position].type]
        depth += name == "FSTRING_START"
        depth -= name == "FSTRING_END"
        if depth == 0:
            return position
    return index


def code_spans(source: str) -> list[Span]:
    """The translatable comments and display strings of a code cell, in source order (every notebook, Korean
    edition; the rule: module docstring)."""
    tokens = _tokens(source)
    if tokens is None:
        return []
    starts, lines = _offsets(source), source.split("\n")
    spans = []
    for index, token in enumerate(tokens):
        row, col = token.start
        line = lines[row - 1] if row - 1 < len(lines) else ""
        if token.type == tokenize.COMMENT:
            match = COMMENT.match(token.string)
            if (not match or not LETTER.search(match.group(2)) or DIRECTIVE.match(match.group(2))
                    or MAGIC.match(line) or line.lstrip().startswith(COLAB_LINE)):
                continue
            begin = starts[row - 1] + col
            spans.append(Span("comment", begin, begin + len(token.string.rstrip()), match.group(1), match.group(2),
                              "", line))
        elif (token.type == tokenize.NAME and token.string in DISPLAY_CALLS and index + 2 < len(tokens)
              and tokens[index + 1].string == "(" and (index == 0 or tokens[index - 1].string != "def")):
            first = index + 2
            if tokens[first].type != tokenize.STRING and tokenize.tok_name[tokens[first].type] != "FSTRING_START":
                continue
            last = _string_end(tokens, first)
            if last + 1 >= len(tokens) or tokens[last + 1].string not in {",", ")"}:
                continue
            (row1, col1), (row2, col2) = tokens[first].start, tokens[last].end
            if row1 != row2:
                continue
            begin, end = starts[row1 - 1] + col1, starts[row2 - 1] + col2
            match = STRING.match(source[begin:end])
            if not match or "b" in match.group(1).lower() or not LETTER.search(FIELD.sub("", match.group(3))):
                continue
            prefix = match.group(1) + match.group(2)
            spans.append(Span("string", begin, end, prefix, match.group(3), match.group(2), line))
    return spans


def setup_call_end(source: str) -> int | None:
    """Offset of the closing parenthesis of the ``lectureutils.setup(...)`` call in a code cell, or None
    (setup, every notebook)."""
    tokens = _tokens(source)
    if tokens is None:
        return None
    starts = _offsets(source)
    for index in range(len(tokens) - 3):
        if [t.string for t in tokens[index:index + 4]] == ["lectureutils", ".", "setup", "("]:
            depth = 0
            for token in tokens[index + 3:]:
                depth += token.string in "([{" and token.type == tokenize.OP
                depth -= token.string in ")]}" and token.type == tokenize.OP
                if depth == 0:
                    return starts[token.start[0] - 1] + token.start[1]
    return None


def _source(cell) -> str:
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else source


def notebook_units(notebook: dict) -> list[Unit]:
    """Every translatable unit of a parsed notebook, in cell order (``refresh``; every notebook, Korean
    edition)."""
    units, seen = [], set()
    for cell in notebook["cells"]:
        source, cell_id = _source(cell), cell["id"]
        if cell["cell_type"] == "markdown" and source.strip():
            units.append(Unit(cell_id, source, "markdown cell"))
        elif cell["cell_type"] == "code":
            for span in code_spans(source):
                context = f"{cell_id}/{span.kind}"
                if (context, span.text) in seen:
                    continue
                seen.add((context, span.text))
                what = "code comment" if span.kind == "comment" else "display string (keep {...} fields as they are)"
                units.append(Unit(context, span.text, f"{what}; line: {span.line.strip()}"))
    return units
