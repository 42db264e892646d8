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
- display strings: a string literal (plain or f-string, not bytes; implicitly joined one-line pieces count as one
  unit, ``msgid`` = the pieces' texts, one per line) that is a *whole argument*: the first argument of one of
  :data:`DISPLAY_CALLS` (every positional argument of ``print``), a ``title=``, ``xlabel=``, ``ylabel=`` or
  ``suptitle=`` argument of any call (figure titles), or the ``label=`` of one of :data:`PLOT_CALLS` (legend
  entries); it needs a letter outside its ``{...}`` fields. Every other string (names, model ids, paths, keys,
  labels a program compares) stays byte-identical.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass

__all__ = ["DISPLAY_CALLS", "TITLE_KEYWORDS", "PLOT_CALLS", "Unit", "Piece", "Span", "notebook_units", "code_spans",
           "masked_source", "setup_call_end"]

DISPLAY_CALLS = frozenset({"print", "set_title", "set_xlabel", "set_ylabel", "suptitle", "title", "xlabel", "ylabel"})
TITLE_KEYWORDS = frozenset({"title", "xlabel", "ylabel", "suptitle"})
PLOT_CALLS = frozenset({"plot", "axvline", "axhline", "axvspan", "axhspan", "bar", "barh", "scatter", "hist", "step",
                        "fill_between"})
DIRECTIVE = re.compile(r"^(noqa|type:|pragma|fmt:|%%|isort:|pylint:)", re.IGNORECASE)
COMMENT = re.compile(r"^(#+[ \t]*)(.*?)[ \t]*$")
STRING = re.compile(r"^([A-Za-z]*)('''|\"\"\"|'|\")(.*)\2$", re.DOTALL)
FIELD = re.compile(r"\{[^{}]*\}")
LETTER = re.compile(r"[^\W\d_]")
MAGIC = re.compile(r"^([ \t]*)[!%]")
COLAB_LINE = 'if "google.colab" in sys.modules:'


@dataclass(frozen=True)
class Piece:
    """One literal (or the text of one comment) in a code cell: 0-based offsets and what stays around the text."""

    start: int
    end: int
    prefix: str  # "# " for a comment, 'f"' for a string
    text: str
    suffix: str


@dataclass(frozen=True)
class Span:
    """A translatable unit of a code cell: a comment, or a display string of one or more joined literals."""

    kind: str  # "comment" | "string"
    pieces: tuple[Piece, ...]
    line: str  # the first source line, shown to translators

    @property
    def text(self) -> str:
        return "\n".join(piece.text for piece in self.pieces)


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


def _is_string_start(token) -> bool:
    return token.type == tokenize.STRING or tokenize.tok_name[token.type] == "FSTRING_START"


def _string_argument(tokens: list, index: int) -> tuple[str | None, list[tuple[int, int]], int]:
    """At an argument's first token: (its keyword or None, the (first, last) token indices of its literal pieces
    when the argument is only string literals, else [], the index where the scan goes on)."""
    keyword = None
    while index < len(tokens) and tokens[index].type == tokenize.NL:
        index += 1
    if index + 1 < len(tokens) and tokens[index].type == tokenize.NAME and tokens[index + 1].string == "=":
        keyword, index = tokens[index].string, index + 2
    pieces, position = [], index
    while position < len(tokens):
        if tokens[position].type == tokenize.NL:
            position += 1
        elif _is_string_start(tokens[position]):
            last = _string_end(tokens, position)
            pieces.append((position, last))
            position = last + 1
        else:
            break
    if not pieces or position >= len(tokens) or tokens[position].string not in {",", ")"}:
        return keyword, [], index
    return keyword, pieces, index


def _display_arguments(tokens: list):
    """(call name, keyword or None, positional index, pieces) of every argument made only of string literals."""
    stack = []  # per open bracket: [the call's name (None: not a call), positional index]
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if _is_string_start(token):
            index = _string_end(tokens, index) + 1
            continue
        if token.type == tokenize.OP and token.string in "([{":
            called = (token.string == "(" and index > 0 and tokens[index - 1].type == tokenize.NAME
                      and (index < 2 or tokens[index - 2].string != "def"))
            stack.append([tokens[index - 1].string if called else None, 0])
        elif token.type == tokenize.OP and token.string in ")]}":
            stack = stack[:-1]
        elif token.type == tokenize.OP and token.string == "," and stack:
            stack[-1][1] += 1
        if token.type == tokenize.OP and token.string in "(," and stack and stack[-1][0] is not None:
            keyword, pieces, after = _string_argument(tokens, index + 1)
            if pieces:
                yield stack[-1][0], keyword, stack[-1][1], pieces
            index = max(index + 1, after)
            continue
        index += 1


def _is_display(name: str, keyword: str | None, position: int) -> bool:
    if keyword is None:
        return name in DISPLAY_CALLS and (position == 0 or name == "print")
    return keyword in TITLE_KEYWORDS or (keyword == "label" and name in PLOT_CALLS)


def code_spans(source: str) -> list[Span]:
    """The translatable comments and display strings of a code cell, in source order (every notebook, Korean
    edition; the rule: module docstring)."""
    tokens = _tokens(source)
    if tokens is None:
        return []
    starts, lines = _offsets(source), source.split("\n")
    spans = []
    for token in tokens:
        row, col = token.start
        line = lines[row - 1] if row - 1 < len(lines) else ""
        if token.type == tokenize.COMMENT:
            match = COMMENT.match(token.string)
            if (not match or not LETTER.search(match.group(2)) or DIRECTIVE.match(match.group(2))
                    or MAGIC.match(line) or line.lstrip().startswith(COLAB_LINE)):
                continue
            begin = starts[row - 1] + col
            piece = Piece(begin, begin + len(token.string.rstrip()), match.group(1), match.group(2), "")
            spans.append(Span("comment", (piece,), line))
    for name, keyword, position, found in _display_arguments(tokens):
        if not _is_display(name, keyword, position):
            continue
        pieces = []
        for first, last in found:
            (row1, col1), (row2, col2) = tokens[first].start, tokens[last].end
            begin, end = starts[row1 - 1] + col1, starts[row2 - 1] + col2
            match = STRING.match(source[begin:end])
            if row1 != row2 or not match or "b" in match.group(1).lower():
                break
            pieces.append(Piece(begin, end, match.group(1) + match.group(2), match.group(3), match.group(2)))
        else:
            if any(LETTER.search(FIELD.sub("", piece.text)) for piece in pieces):
                row = tokens[found[0][0]].start[0]
                spans.append(Span("string", tuple(pieces), lines[row - 1]))
    return sorted(spans, key=lambda span: span.pieces[0].start)


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
