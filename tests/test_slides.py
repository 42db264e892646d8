"""Tests for tools.slides: slide metadata kept up to date, and slides that open offline (for instructors).

The browser test exports notebook 00's slides (without executing it: the structure is what counts) next to the
vendored reveal.js and opens them in headless Chromium with the network off, using the recording proxy of
tests/test_attention_view.py: nothing may leave the machine, reveal.js must start, and the deck must have one
top-level slide per ``## `` section (Setup skipped) plus the title. A synthetic slide checks that MathJax (local)
typesets a formula. A screenshot of the first section's slide
(Korean heading) is saved to build/slides_screenshot.png.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tools import slides

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SCREENSHOT = ROOT / "build" / "slides_screenshot.png"


def notebook(*cells):
    return {"cells": [{"cell_type": kind, "source": source, "metadata": {}} for kind, source in cells]}


def test_every_notebook_has_the_slide_metadata_tag_writes():
    stale = slides.check(NOTEBOOKS)
    assert not stale, ("slide metadata out of date in " + ", ".join(path.name for path in stale)
                       + "; run `python -m tools.slides tag notebooks/*.ipynb`")


def test_rules():
    long_code = "\n".join(f"x{i} = {i}" for i in range(slides.LONG_CODE + 1))
    half = "\n".join(f"y{i} = {i}" for i in range(slides.LONG_CODE // 2 + 1))
    nb = notebook(("markdown", "# 00 · Title\n\nbadge"), ("markdown", "## Setup\nplumbing"), ("code", "setup()"),
                  ("markdown", "## Parameters"), ("code", "A = 1"), ("markdown", "## 1. Lesson"),
                  ("code", "short()"), ("code", long_code), ("markdown", "text"), ("code", "x"),
                  ("markdown", "Intro\n\n## From GPT to ChatGPT"), ("code", half), ("markdown", "between"),
                  ("code", half), ("code", "z"))
    assert slides.slide_types(nb) == ["slide", "skip", "skip", "slide", "-", "slide", "-", "subslide", "-", "subslide",
                                      "slide", "-", "-", "subslide", "-"]
    assert slides.expected_slide_count(nb) == 4


def test_check_cells_are_left_out_of_the_slides():
    check = {"cell_type": "code", "source": "#@title Check: it works\nassert A",
             "metadata": {"tags": ["check"], "cellView": "form", "jupyter": {"source_hidden": True}}}
    long_check = dict(check, source="\n".join(f"assert {i}" for i in range(slides.LONG_CODE + 1)))
    nb = notebook(("markdown", "# 00 · Title"), ("markdown", "## 1. Lesson"), ("code", "short()"))
    nb["cells"] += [check, long_check, {"cell_type": "code", "source": "after()", "metadata": {}}]
    assert slides.slide_types(nb) == ["slide", "slide", "-", "skip", "skip", "-"]


def test_tag_then_check_round_trip(tmp_path):
    path = tmp_path / "x.ipynb"
    nb = notebook(("markdown", "# Title"), ("markdown", "## 1. Section"), ("code", "print('한국어')"))
    nb |= {"metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert slides.check([path]) == [path]
    assert slides.tag([path]) == [path]
    assert slides.check([path]) == [] and slides.tag([path]) == []  # idempotent: no rewrite
    assert "한국어" in path.read_text(encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "tools.slides", "check", str(path)], capture_output=True)
    assert out.returncode == 0


class TopLevelSections(HTMLParser):
    """Counts <section> elements directly inside <div class="slides">, and whether reveal.js started."""

    def __init__(self):
        super().__init__()
        self.depth, self.slides_depth, self.count, self.ready = 0, None, 0, False

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "div" and "reveal" in classes and "ready" in classes:
            self.ready = True
        if tag == "div" and "slides" in classes and self.slides_depth is None:
            self.slides_depth = self.depth
        if tag == "section" and self.slides_depth is not None and self.depth == self.slides_depth + 1:
            self.count += 1
        if tag not in {"br", "img", "meta", "link", "input", "hr", "col", "source", "wbr"}:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag not in {"br", "img", "meta", "link", "input", "hr", "col", "source", "wbr"}:
            self.depth -= 1
            if self.slides_depth is not None and self.depth == self.slides_depth and tag == "div":
                self.slides_depth = -1  # closed: count no further


@pytest.fixture(scope="module")
def browser():
    pytest.importorskip("nbconvert")
    from test_attention_view import CHROMIUM, RecordingProxy, chromium

    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian package `chromium`)")
    return RecordingProxy, chromium


def test_exported_slides_open_offline_with_one_slide_per_section(tmp_path, browser):
    RecordingProxy, chromium = browser
    source = ROOT / "notebooks" / "00_transfer_learning_map.ipynb"
    [page] = slides.export([source], tmp_path / "slides")
    assert (tmp_path / "slides" / "reveal.js" / "dist" / "reveal.js").is_file()
    assert (tmp_path / "slides" / "reveal.js" / "LICENSE").is_file()

    cells = json.loads(source.read_text(encoding="utf-8"))["cells"]
    sections = [c for c in cells if c["cell_type"] == "markdown" and "".join(c["source"]).startswith("## ")
                and not "".join(c["source"]).startswith("## Setup")]
    proxy = RecordingProxy()
    try:
        dom = chromium(page, proxy, tmp_path / "profile", "--dump-dom")
        assert proxy.page_hosts() == [], proxy.requests
        parser = TopLevelSections()
        parser.feed(dom)
        assert parser.ready, "reveal.js did not start (no <div class='reveal ready'>)"
        assert parser.count == len(sections) + 1 == slides.expected_slide_count({"cells": cells})

        # formulas: typeset by the local MathJax 3 (notebook 07 has some), still without a request
        import nbformat

        maths = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Maths"),
                                                nbformat.v4.new_markdown_cell("## 1. Softmax\n$p_0 = e^{z_0} / (e^{z_0} + e^{z_1})$")])
        maths.cells[1].metadata["slideshow"] = {"slide_type": "slide"}
        path = tmp_path / "maths.ipynb"
        nbformat.write(maths, path)
        [maths_page] = slides.export([path], tmp_path / "slides")
        maths_dom = chromium(maths_page, proxy, tmp_path / "profile", "--dump-dom")
        assert "<mjx-container" in maths_dom and "$p_0" not in maths_dom, "MathJax did not typeset the formula"
        assert proxy.page_hosts() == [], proxy.requests

        SCREENSHOT.parent.mkdir(exist_ok=True)
        SCREENSHOT.unlink(missing_ok=True)
        # the first section's slide (Korean heading): title #/0, Parameters #/1, section 1 #/2
        jump = page.with_name("jump.html")
        jump.write_text(f'<script>location.replace("{page.name}#/2")</script>', encoding="utf-8")
        chromium(jump, proxy, tmp_path / "profile", f"--screenshot={SCREENSHOT}")
        assert SCREENSHOT.stat().st_size > 5_000
        assert proxy.page_hosts() == [], proxy.requests
    finally:
        proxy.close()


def test_slides_leave_out_loading_announcements_and_scroll_only_what_does_not_fit():
    import nbformat

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)", outputs=[
        nbformat.v4.new_output("stream", name="stdout",
                               text="[lectureutils] bert-base-uncased: OFFLINE STAND-IN, tiny ...\nMLM input: i\n")])])
    slides.quiet_outputs(notebook)
    assert notebook.cells[0].outputs[0]["text"] == "MLM input: i\n"
    log = [nbformat.v4.new_output("stream", name="stdout", text=f"{{'loss': {step}}}\n") for step in range(40)]
    trained = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("trainer.train()", outputs=log)])
    slides.quiet_outputs(trained, keep=12)
    [shown] = trained.cells[0].outputs
    assert shown["text"].splitlines() == ["{'loss': 0}", "{'loss': 1}", "{'loss': 2}", "{'loss': 3}",
                                          "… (29 lines not shown)", *[f"{{'loss': {step}}}" for step in range(33, 40)]]

    body = slides.exporter().from_notebook_node(notebook)[0]
    fitted = slides.fit_scrolling(body, 1000)
    assert "var h = 950;" in fitted and ".css('height', '950px')" in fitted
    assert not any(part in fitted for part in slides.SCROLL_RULE)
    with pytest.raises(RuntimeError, match="SCROLL_RULE"):
        slides.fit_scrolling("<html></html>", 1000)


def test_executed_slides_show_the_figures_even_under_the_agg_backend(tmp_path, monkeypatch):
    """make slides runs in the offline test mode, whose MPLBACKEND=Agg would leave every figure out."""
    import nbformat

    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# 99 · A figure"),
        nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()")])
    path = tmp_path / "99_figure.ipynb"
    nbformat.write(notebook, path)
    [page] = slides.export([path], tmp_path / "slides", execute=True, timeout=120)
    assert "data:image/png;base64" in page.read_text(encoding="utf-8")
    assert os.environ["MPLBACKEND"] == "Agg", "the tool's own environment is restored"


def test_a_cell_that_would_run_off_the_slide_starts_a_sub_slide():
    import base64
    import struct

    import nbformat

    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR"
                           + struct.pack(">II", 2800, 1200) + b"\x08\x02\x00\x00\x00").decode()
    figure = nbformat.v4.new_code_cell("plt.show()", outputs=[
        nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"})])
    assert slides.estimated_height(figure) == pytest.approx(18 + 23.1 + 560)  # 2800 x 1200 shown at 1307 x 560
    printed = nbformat.v4.new_code_cell("\n".join(f"x{i} = {i}" for i in range(10)), outputs=[
        nbformat.v4.new_output("stream", name="stdout", text="a line\n" * 5)])
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## 1. A section\nSome text."),
                                               printed, figure, nbformat.v4.new_markdown_cell("Takeaway.")])
    for cell, kind in zip(notebook.cells, ["slide", "-", "-", "-"]):
        cell.metadata["slideshow"] = {"slide_type": kind}
    assert slides.split_tall_slides(notebook) == 1
    assert [cell.metadata["slideshow"]["slide_type"] for cell in notebook.cells] == ["slide", "-", "subslide", "-"]


def test_the_markdown_that_introduces_a_code_cell_moves_with_it():
    import nbformat

    def code(lines):
        return nbformat.v4.new_code_cell("\n".join(f"x{i} = {i}" for i in range(lines)))

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## 1. A section"), code(30),
                                               nbformat.v4.new_markdown_cell("Now the second step:"), code(20)])
    for cell, kind in zip(notebook.cells, ["slide", "-", "-", "-"]):
        cell.metadata["slideshow"] = {"slide_type": kind}
    assert slides.split_tall_slides(notebook) == 1
    assert [cell.metadata["slideshow"]["slide_type"] for cell in notebook.cells] == ["slide", "-", "subslide", "-"]
