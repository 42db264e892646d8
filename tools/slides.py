"""Slides from the notebooks: slide metadata written from each notebook's structure, and reveal.js export.

For instructors (README, "For instructors"); every notebook is a slide deck (00_transfer_learning_map
to 12_from_gpt_to_chatgpt). The rules ``tag`` writes into ``cell.metadata.slideshow.slide_type``:

- the title cell (``# NN · Title``) is a **slide**; the cells after it up to the first section continue it;
- every markdown cell with a ``## `` section heading is a **slide** (so the deck has one slide per section plus
  the title);
- the ``## Setup`` section (its heading and cells) is **skip**: it installs the helpers and prints the banner,
  plumbing a class does not need to see (the live notebook still runs it). ``## Parameters`` stays a slide: the
  model names and sizes are what the class is about to use;
- a code cell longer than ``LONG_CODE`` lines, or one that would take the code on the current screen past
  ``LONG_CODE`` lines, is a **subslide** (below the section's slide), so it gets a screen of its own instead of
  running off the bottom;
- a **check cell** (tagged ``check``: a collapsed ``#@title Check: ...`` cell of ``assert``s, CONTRIBUTING.md) is
  **skip**: checks are the tests, not the lesson (handouts leave them out too: ``make html``);
- every other cell is ``-`` (it continues the current slide or sub-slide).

``export`` redoes the sub-slides once the outputs are known: a cell that would take its screen past ``SLIDE_BUDGET``
(figures and printed lines counted) starts a sub-slide (``split_tall_slides``); the package's ``[lectureutils]``
loading lines are left out of the slides.

``python -m tools.slides tag notebooks/*.ipynb`` writes these (only files that change are rewritten),
``... check notebooks/*.ipynb`` lists the notebooks whose metadata differs (exit status 1), and
``... export [--execute] --output build/slides notebooks/*.ipynb`` exports them as ``jupyter nbconvert --to slides`` does, with
reveal.js, require.js, jQuery and MathJax from ``lectureutils/vendor/`` copied next to the slides, so the slides open
with no network (``make slides``).
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import shutil
import sys
from pathlib import Path

__all__ = [
    "LONG_CODE",
    "REVEAL",
    "CHECK_TAG",
    "is_check_cell",
    "slide_types",
    "expected_slide_count",
    "tag",
    "check",
    "copy_assets",
    "offline_markdown",
    "exporter",
    "export",
    "main",
]

LONG_CODE = 25  # lines; a longer code cell gets a sub-slide of its own
VENDOR = Path(__file__).resolve().parent.parent / "lectureutils" / "vendor"  # shared with attention_view
REVEAL = VENDOR / "revealjs-5.2.1"  # reveal.js 5 keeps the dist/ + plugin/notes/ layout nbconvert's template loads
REQUIRE_JS = VENDOR / "requirejs-2.3.7" / "require.js"
JQUERY = VENDOR / "jquery-3.7.1" / "jquery.min.js"
MATHJAX = VENDOR / "mathjax-3.2.2" / "tex-svg.js"
# nbconvert's reveal template loads MathJax 2 from one URL and calls MathJax.Hub on every slide change. This loader
# (copied next to the slides as vendor/mathjax-loader.js) configures MathJax 3 for the notebooks' $...$ formulas,
# loads the local copy, and keeps the two MathJax 2 calls working.
MATHJAX_LOADER = """\
(function () {
  var hub = {getAllJax: function () { return []; }, Rerender: function () {}, Config: function () {},
             Queue: function () {}};
  window.MathJax = {
    tex: {inlineMath: [["$", "$"], ["\\\\(", "\\\\)"]], displayMath: [["$$", "$$"], ["\\\\[", "\\\\]"]],
          processEscapes: true},
    options: {enableMenu: false},
    startup: {ready: function () { MathJax.startup.defaultReady(); MathJax.Hub = hub; }},
    Hub: hub
  };
  var script = document.createElement("script");
  script.src = "vendor/mathjax/tex-svg.js";
  script.async = true;
  document.head.appendChild(script);
})();
"""
MERMAID_STUB = "data:text/javascript,export default {initialize() {}};"  # the template imports mermaid; no notebook uses it


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _section_heading(cell: dict) -> str | None:
    """The ``## `` heading of a markdown cell (first one), or None."""
    if cell.get("cell_type") != "markdown":
        return None
    for line in _source(cell).splitlines():
        if line.startswith("## "):
            return line[3:].strip()
    return None


CHECK_TAG = "check"


def is_check_cell(cell: dict) -> bool:
    """True for a check cell: a code cell tagged ``check`` (every notebook's checks; CONTRIBUTING.md)."""
    return cell.get("cell_type") == "code" and CHECK_TAG in cell.get("metadata", {}).get("tags", [])


def slide_types(notebook: dict) -> list[str]:
    """The slide type of every cell of a notebook (a parsed .ipynb), by the rules in the module docstring (every notebook)."""
    types = []
    in_setup = False
    code_on_screen = 0  # code lines on the current slide or sub-slide
    for index, cell in enumerate(notebook["cells"]):
        heading = _section_heading(cell)
        lines = len(_source(cell).splitlines())
        if index == 0 or heading is not None:
            in_setup = heading is not None and heading.lower().startswith("setup")
            kind = "skip" if in_setup else "slide"
            code_on_screen = 0
        elif in_setup or is_check_cell(cell):
            kind = "skip"
        elif cell.get("cell_type") == "code" and code_on_screen and code_on_screen + lines > LONG_CODE:
            kind, code_on_screen = "subslide", lines  # would run off the bottom: a screen of its own
        elif cell.get("cell_type") == "code" and lines > LONG_CODE:
            kind, code_on_screen = "subslide", lines
        else:
            kind = "-"
            code_on_screen += lines if cell.get("cell_type") == "code" else 0
        types.append(kind)
    return types


def expected_slide_count(notebook: dict) -> int:
    """Top-level slides of the exported deck: the title plus one per ``## `` section but Setup (every notebook)."""
    return slide_types(notebook).count("slide")


REMOTE_IMAGE = re.compile(r"!\[([^\]]*)\]\(https?://[^)]*\)")


def offline_markdown(notebook) -> None:
    """Replace every remote image in markdown (the Colab badge) by its alt text, in place (every notebook)."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = REMOTE_IMAGE.sub(r"\1", cell.source)


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _tagged(notebook: dict) -> dict:
    for cell, kind in zip(notebook["cells"], slide_types(notebook)):
        cell.setdefault("metadata", {})["slideshow"] = {"slide_type": kind}
    return notebook


def _differs(path: Path) -> bool:
    notebook = _read(path)
    found = [cell.get("metadata", {}).get("slideshow", {}).get("slide_type") for cell in notebook["cells"]]
    return found != slide_types(notebook)


def tag(paths) -> list[Path]:
    """Write the slide metadata into each notebook whose metadata differs; return the files rewritten (every notebook).

    The file is written as Jupyter writes it (one-space indent, UTF-8 kept), so only the metadata lines change.
    """
    changed = []
    for path in map(Path, paths):
        if not _differs(path):
            continue
        text = json.dumps(_tagged(_read(path)), indent=1, ensure_ascii=False) + "\n"
        path.write_text(text, encoding="utf-8")
        changed.append(path)
    return changed


def check(paths) -> list[Path]:
    """The notebooks whose slide metadata differs from what ``tag`` would write (every notebook; tests/test_slides.py)."""
    return [path for path in map(Path, paths) if _differs(path)]


def copy_assets(output_dir: Path) -> None:
    """Copy reveal.js (as ``reveal.js/``), require.js, jQuery and MathJax (``vendor/``) next to the exported slides
    (every notebook)."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REVEAL, output_dir / "reveal.js", dirs_exist_ok=True)
    (output_dir / "vendor").mkdir(exist_ok=True)
    for source, licence in [(REQUIRE_JS, None), (JQUERY, JQUERY.parent / "LICENSE.txt")]:
        shutil.copy2(source, output_dir / "vendor" / source.name)
        if licence is not None:
            shutil.copy2(licence, output_dir / "vendor" / f"{source.stem}.LICENSE.txt")
    (output_dir / "vendor" / "mathjax").mkdir(exist_ok=True)
    for name in ("tex-svg.js", "LICENSE"):
        shutil.copy2(MATHJAX.parent / name, output_dir / "vendor" / "mathjax" / name)
    (output_dir / "vendor" / "mathjax-loader.js").write_text(MATHJAX_LOADER, encoding="utf-8")


def exporter():
    """nbconvert's ``SlidesExporter`` (what ``jupyter nbconvert --to slides`` uses) with every script local (every notebook).

    reveal.js comes from the relative prefix ``reveal.js`` (the copy ``copy_assets`` puts next to the slides),
    with the ``white`` theme (``simple``, nbconvert's default, imports a Google font), on 16:10 slides wide enough
    for the notebooks' code lines. The template also imports
    mermaid as a module (its URL cannot be set on the command line, hence the Python API); no notebook draws a
    mermaid diagram, so an empty module stands in. Formulas are typeset by the local MathJax 3 (``MATHJAX_LOADER``).
    """
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    config = Config()
    config.SlidesExporter.reveal_url_prefix = "reveal.js"
    config.SlidesExporter.reveal_theme = "white"
    config.SlidesExporter.reveal_scroll = True
    # A 16:10 slide of 1600 x 1000 logical pixels, scaled to the projector (0.8 on 1280 x 800): reveal.js's default
    # 960-pixel slide shows only about 70 characters of a code line; this one shows about 110, the notebooks' width.
    config.SlidesExporter.reveal_width = "1600"
    config.SlidesExporter.reveal_height = "1000"
    config.SlidesExporter.require_js_url = "vendor/require.js"
    config.SlidesExporter.jquery_url = "vendor/jquery.min.js"
    config.SlidesExporter.mathjax_url = "vendor/mathjax-loader.js"
    slides = SlidesExporter(config=config)
    slides.mermaid_js_url = MERMAID_STUB
    return slides


# Rendered heights on a 1600 x 1000 slide, in slide pixels, fitted to the exported decks (measured in Chromium,
# 611 cells, mean error about 35 pixels): a line of markdown or code wraps at about 110 characters.
SLIDE_BUDGET = 950  # what fits below the top margin; taller content scrolls
LINE_CHARS = 110
IMAGE_WIDTH = 1400  # a wider figure is scaled down to this
IMAGE_HEIGHT = 560  # and a taller one to this (``SLIDE_STYLE``), so a figure fits on a screen with its code
SHOWN_LINES = 12  # printed lines a slide shows of one cell
SLIDE_STYLE = f"<style>.reveal .jp-OutputArea-output img {{ max-height: {IMAGE_HEIGHT}px; width: auto; }}</style>"


def _wrapped_lines(text: str) -> int:
    return sum(max(1, -(-len(line) // LINE_CHARS)) for line in text.splitlines())


def _png_height(data: str) -> float:
    """A base64 PNG's height as shown on the slide (read from its IHDR header)."""
    header = base64.b64decode(data[:44])
    width, height = int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
    return min(height * min(1.0, IMAGE_WIDTH / max(width, 1)), IMAGE_HEIGHT)


def estimated_height(cell) -> float:
    """How tall an executed cell renders on a slide, in slide pixels (``SLIDE_BUDGET``)."""
    if cell.cell_type == "markdown":
        return 64 + 21.3 * _wrapped_lines(cell.source)
    height = 18 + 23.1 * _wrapped_lines(cell.source)
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if output.get("output_type") == "stream":
            height += 21.2 * _wrapped_lines(output["text"])
        elif "image/png" in data:
            height += _png_height(data["image/png"])
        elif "text/html" in data:
            height += 38 * max(1, "".join(data["text/html"]).count("<tr"))
        elif "text/plain" in data:
            height += 21.2 * _wrapped_lines("".join(data["text/plain"]))
    return height


def split_tall_slides(notebook, budget: float = SLIDE_BUDGET) -> int:
    """After execution, when its outputs are known, sub-slides are made again from rendered heights instead of
    ``tag``'s line counts: a cell that would take its slide or sub-slide past ``budget``
    starts a sub-slide (one screen each, no scrolling where it can be helped), taking along the markdown cell just
    before it that introduces it; returns how many sub-slides were added."""
    screen, added = [], 0  # (cell, height) on the current screen
    for cell in notebook.cells:
        slideshow = cell.metadata.setdefault("slideshow", {})
        if slideshow.get("slide_type") == "subslide":  # the tag-time guess from line counts: heights decide here
            slideshow["slide_type"] = "-"
        kind = slideshow.get("slide_type", "-")
        if kind == "skip":
            continue
        height = estimated_height(cell)
        used = sum(h for _, h in screen)
        if kind == "slide":
            screen = [(cell, height)]
        elif screen and used + height > budget:
            previous, previous_height = screen[-1]
            introduces = (cell.cell_type == "code" and previous.cell_type == "markdown"
                          and previous.metadata["slideshow"].get("slide_type", "-") == "-" and len(screen) > 1)
            if introduces:  # the explanation stays with its code
                previous.metadata["slideshow"]["slide_type"] = "subslide"
                screen = [(previous, previous_height), (cell, height)]
            elif (len(screen) == 1 and screen[0][0].cell_type == "markdown" and used < budget / 3
                  and screen[0][0].metadata["slideshow"].get("slide_type") == "subslide"):
                screen.append((cell, height))  # a short introduction alone on a sub-slide helps no one
                continue
            else:
                slideshow["slide_type"] = "subslide"
                screen = [(cell, height)]
            added += 1
        else:
            screen.append((cell, height))
    return added


def execute_with_figures(notebook, folder: Path, timeout: int) -> None:
    """Run ``notebook`` in ``folder`` with matplotlib's inline backend, so its figures are in the slides: a
    ``MPLBACKEND=Agg`` (set by the offline test modes) would leave every figure out."""
    import os

    from nbclient import NotebookClient

    backend = os.environ.pop("MPLBACKEND", None)  # the kernel inherits this process's environment
    try:
        NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(folder.resolve())}}).execute()
    finally:
        if backend is not None:
            os.environ["MPLBACKEND"] = backend


def quiet_outputs(notebook, keep: int = SHOWN_LINES) -> None:
    """Shorten what cells printed, for the slides: the package's loading announcements (``[lectureutils] ...``) go
    (long, and the same on every slide; a stand-in still says so in its figures' labels), and a run of printed lines
    longer than ``keep`` (a Trainer's log) is cut in the middle with a line saying how many are not shown (issue 26,
    item 8). The notebooks and handouts keep everything."""
    import nbformat

    for cell in notebook.cells:
        outputs = []
        for output in cell.get("outputs", []):
            if output.get("output_type") != "stream":
                outputs.append(output)
                continue
            text = "".join(line for line in output["text"].splitlines(keepends=True)
                           if not line.startswith("[lectureutils]"))
            if outputs and outputs[-1].get("output_type") == "stream" and outputs[-1]["name"] == output["name"]:
                outputs[-1]["text"] += text  # one run of printed lines
            elif text:
                outputs.append({**output, "text": text})
        for output in outputs:
            lines = output["text"].splitlines(keepends=True) if output.get("output_type") == "stream" else []
            if len(lines) > keep:
                head, tail = keep // 3, keep - keep // 3 - 1
                output["text"] = "".join(lines[:head] + [f"… ({len(lines) - head - tail} lines not shown)\n"]
                                         + lines[-tail:])
        if cell.cell_type == "code":
            cell.outputs = [nbformat.from_dict(output) for output in outputs]


# nbconvert's template makes a section scrollable once it is taller than 95 % of the *window* (800 pixels on a
# 1280 x 800 projector), in the slide's own pixels: a 1000-pixel slide would scroll after 760. Compare with the
# slide's height instead, so a section scrolls only when it does not fit the slide.
SCROLL_RULE = ("var h = $('.reveal').height() * 0.95;", ".css('height', 'calc(95vh)')")


def fit_scrolling(body: str, height: int) -> str:
    """The exported page with the scrolling rule measured in slide pixels (``SCROLL_RULE``)."""
    if not all(part in body for part in SCROLL_RULE):
        raise RuntimeError("nbconvert's reveal template changed: update SCROLL_RULE in tools/slides.py")
    limit = int(height * 0.95)
    return body.replace(SCROLL_RULE[0], f"var h = {limit};").replace(SCROLL_RULE[1], f".css('height', '{limit}px')")


def export(paths, output_dir: Path, execute: bool = False, timeout: int = 900) -> list[Path]:
    """Export each notebook to ``output_dir/NAME.slides.html`` and copy the assets there (``make slides``, every notebook).

    A remote image in markdown (the Colab badge) becomes its alt text, so the slides ask the network for nothing.
    ``execute`` runs the notebook first (in its own folder, as Jupyter does), so the slides show the outputs. A
    notebook of a generated edition (``notebooks/ko/``, ``make slides LANG=ko``) gets that language in the page's
    ``lang``, so the browser picks Korean fonts.
    """
    import nbformat

    from lectureutils.colab import edition_of

    output_dir = Path(output_dir)
    copy_assets(output_dir)
    slides = exporter()
    written = []
    for path in map(Path, paths):
        notebook = nbformat.read(path, as_version=4)
        if execute:
            execute_with_figures(notebook, path.parent, timeout)
        offline_markdown(notebook)
        quiet_outputs(notebook)
        split_tall_slides(notebook)
        body, _ = slides.from_notebook_node(notebook, resources={"metadata": {"name": path.stem}})
        body = fit_scrolling(body, int(slides.reveal_height)).replace("</head>", SLIDE_STYLE + "\n</head>", 1)
        language = edition_of(path)
        if language:
            body = re.sub(r"<html[^>]*>", f'<html lang="{language}">', body, count=1)
        if language == "ko":  # break Korean lines between words (eojeol), not inside them
            body = body.replace("</head>", "<style>.reveal .slides { word-break: keep-all; }</style>\n</head>", 1)
        target = output_dir / f"{path.stem}.slides.html"
        target.write_text(body, encoding="utf-8")
        written.append(target)
    return written


def main(argv=None) -> int:
    """``python -m tools.slides {tag,check,export} NOTEBOOK...`` (for instructors; every notebook)."""
    parser = argparse.ArgumentParser(prog="python -m tools.slides", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("tag", help="write slide metadata into the notebooks").add_argument("notebooks", nargs="+")
    commands.add_parser("check", help="list notebooks whose slide metadata is out of date").add_argument(
        "notebooks", nargs="+")
    exporter = commands.add_parser("export", help="export reveal.js slides that work offline")
    exporter.add_argument("notebooks", nargs="+")
    exporter.add_argument("--output", default="build/slides")
    exporter.add_argument("--execute", action="store_true", help="run the notebooks first (outputs on the slides)")
    exporter.add_argument("--timeout", type=int, default=900, help="seconds per cell when executing")
    args = parser.parse_args(argv)
    if args.command == "tag":
        for path in tag(args.notebooks):
            print(f"tagged {path}")
        return 0
    if args.command == "check":
        stale = check(args.notebooks)
        for path in stale:
            print(f"{path}: slide metadata out of date; run `python -m tools.slides tag {path}`")
        return 1 if stale else 0
    for path in export(args.notebooks, Path(args.output), args.execute, args.timeout):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
