"""Tests for lectureutils.attention_view: bertviz's head view with d3 and jQuery inlined (notebook 01).

The browser test executes a small notebook that shows the view, exports it to HTML with nbconvert, and
opens that file in headless Chromium with the network off: every host name fails to resolve and every
request goes to a local recording proxy that refuses it. It checks that the attention view rendered
(bertviz's SVG with the tokens) and that the page asked for nothing. As a control, bertviz's own
``head_view`` HTML, opened the same way, stays blank and asks cdnjs.cloudflare.com for require.js. A
screenshot is saved to build/attention_view.png. Chromium is the Debian package ``chromium``.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest
import torch

from lectureutils.attention_view import VENDOR, head_view, offline_html

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = next((path for path in (shutil.which("chromium"), "/usr/bin/chromium") if path and os.path.exists(path)), None)
SCREENSHOT = ROOT / "build" / "attention_view.png"
TOKENS = ["[CLS]", "we", "sat", "by", "the", "river", "bank", "[SEP]"]
# Chromium's own background services (update and time checks), which the flags below do not switch off
# completely; they are the browser's, not the page's, and the proxy refuses them too.
BROWSER_SERVICES = re.compile(r"(^|\.)(google\.com|googleapis\.com|gvt1\.com|gstatic\.com)(:\d+)?$")


def attention(layers=2, heads=3, length=len(TOKENS), seed=0):
    generator = torch.Generator().manual_seed(seed)
    return tuple(torch.softmax(torch.randn(1, heads, length, length, generator=generator), -1) for _ in range(layers))


# ---------------------------------------------------------------------------
# The HTML
# ---------------------------------------------------------------------------


def test_no_cdn_and_both_libraries_inline():
    page = head_view(attention(), TOKENS, html_action="return").data
    assert "cdnjs" not in page and "require.min.js" not in page and "require.config" not in page
    assert not re.search(r"<script[^>]+src=", page)  # every script is inline
    assert page.count("</script>") == 1  # one script element (nothing inside ends it early)
    assert "// https://d3js.org v5.16.0" in page and "jQuery v3.7.1" in page
    assert "requirejs(['jquery', 'd3']" in page  # bertviz's own view code, run by the module lookup


def test_vendored_files_and_licences_ship_with_the_package():
    for name, path in VENDOR.items():
        assert path.is_file() and path.stat().st_size > 50_000, name
        licences = [p for p in path.parent.iterdir() if p.name.upper().startswith("LICENSE")]
        assert licences, f"no licence file next to {path}"
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'lectureutils = \[[^\]]*"vendor/\*/\*"', pyproject), "vendor files must be package data"


def test_sentence_pair_title_and_unsafe_tokens():
    tokens = ["[CLS]", "</script><b>x", "[SEP]", "bank", "[SEP]"]
    page = head_view(attention(length=5), tokens, sentence_b_start=3, title="<stand-in> & co",
                     html_action="return").data
    assert page.count("</script>") == 1  # the token cannot close the script element
    assert "&lt;stand-in&gt; &amp; co" in page
    assert "Sentence A -&gt; Sentence B" in page or "Sentence A -> Sentence B" in page


def test_view_displays_one_html_output(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *objects: shown.extend(objects))
    assert head_view(attention(), TOKENS) is None
    assert len(shown) == 1 and "bertviz-" in shown[0].data
    with pytest.raises(ValueError, match="html_action"):
        head_view(attention(), TOKENS, html_action="show")


def test_unexpected_bertviz_layout_is_an_error():
    with pytest.raises(RuntimeError, match="bertviz"):
        offline_html("<div>no scripts here</div>")


def test_import_does_no_work():
    code = "import sys, lectureutils.attention_view; print('bertviz' in sys.modules, 'IPython' in sys.modules)"
    out = subprocess.run([os.sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


# ---------------------------------------------------------------------------
# A browser with the network off
# ---------------------------------------------------------------------------


class RecordingProxy:
    """An HTTP proxy on 127.0.0.1 that writes down the first line of every request and refuses it."""

    def __init__(self):
        self.requests: list[str] = []
        self._server = socket.socket()
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(32)
        self.port = self._server.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            with client:
                client.settimeout(2)
                try:
                    self.requests.append(client.recv(4096).split(b"\r\n", 1)[0].decode(errors="replace"))
                    client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                except OSError:
                    pass

    def page_hosts(self) -> list[str]:
        """Hosts asked for by anything but Chromium's own background services."""
        hosts = []
        for line in self.requests:
            parts = line.split()
            if len(parts) < 2:
                continue
            target = parts[1]
            host = target.split("://", 1)[-1].split("/", 1)[0]
            if not BROWSER_SERVICES.search(host):
                hosts.append(host)
        return hosts

    def close(self):
        self._server.close()


def chromium(page: Path, proxy: RecordingProxy, profile: Path, *action: str) -> str:
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-extensions",
        "--disable-dev-shm-usage", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        f"--proxy-server=http://127.0.0.1:{proxy.port}", "--proxy-bypass-list=<-loopback>",
        f"--user-data-dir={profile}", "--virtual-time-budget=10000", "--window-size=1000,900",
    ]
    done = subprocess.run([CHROMIUM, *flags, *action, page.as_uri()], capture_output=True, text=True, timeout=120)
    return done.stdout


def execute_and_export(tmp_path: Path) -> Path:
    """A two-cell notebook that shows the view, executed and exported to HTML with nbconvert's defaults,
    except that nbconvert's own template scripts (require.js for widgets, MathJax) point to empty data: URLs,
    so any request the page makes comes from the notebook's output."""
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "import torch\nfrom lectureutils.attention_view import head_view\n"
            "generator = torch.Generator().manual_seed(0)\n"
            f"tokens = {TOKENS!r}\n"
            "attentions = tuple(torch.softmax(torch.randn(1, 3, len(tokens), len(tokens), generator=generator), -1)"
            " for _ in range(2))"),
        nbformat.v4.new_code_cell("head_view(attentions, tokens, title='Attention heads (random weights: a test)')"),
    ]
    NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = notebook.cells[1].outputs
    assert [output.output_type for output in outputs] == ["display_data"], outputs
    exporter = HTMLExporter(require_js_url="data:text/javascript,", mathjax_url="data:text/javascript,")
    body, _ = exporter.from_notebook_node(notebook)
    assert not re.search(r'(src|href)="https?://', body), "the exported page itself links to the network"
    path = tmp_path / "attention_view.html"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian package `chromium`)")
def test_exported_notebook_renders_the_view_offline(tmp_path):
    page = execute_and_export(tmp_path)
    proxy = RecordingProxy()
    try:
        dom = chromium(page, proxy, tmp_path / "profile", "--dump-dom")
        assert proxy.page_hosts() == [], proxy.requests
        svg = re.search(r"<svg[^>]*>.*?</svg>", dom, re.DOTALL)
        assert svg, "the attention view did not render (no <svg> in the page)"
        assert 'class="attentionBoxes"' in svg[0] and svg[0].count('head-index="') >= 3
        assert all(f">{token}</text>" in svg[0] for token in TOKENS)
        assert svg[0].count("<line") >= len(TOKENS) ** 2  # one line per token pair and head (3 heads)
        assert dom.count('<option value="') >= 2  # the layer menu: 2 layers

        # The control: bertviz's own view stays blank offline and asks the CDN for require.js.
        from bertviz import head_view as bertviz_head_view

        original = tmp_path / "bertviz_original.html"
        original.write_text("<html><body>" + bertviz_head_view(attention(), TOKENS, html_action="return").data
                            + "</body></html>", encoding="utf-8")
        blank = chromium(original, proxy, tmp_path / "profile", "--dump-dom")
        assert "<svg" not in blank
        assert "cdnjs.cloudflare.com:443" in proxy.page_hosts()

        SCREENSHOT.parent.mkdir(exist_ok=True)
        SCREENSHOT.unlink(missing_ok=True)
        chromium(page, proxy, tmp_path / "profile", f"--screenshot={SCREENSHOT}")
        assert SCREENSHOT.stat().st_size > 5_000
    finally:
        proxy.close()
