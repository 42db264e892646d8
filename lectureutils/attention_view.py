"""bertviz's attention head view that works offline (notebook 01, attention visualisation).

``bertviz.head_view`` loads require.js, d3 and jQuery from a CDN, so offline its output stays blank. Here the same
view gets d3 and jQuery inlined from ``lectureutils/vendor/`` (npm copies, licences alongside) and require.js
replaced by a module lookup: one self-contained output for Jupyter, Colab and exported HTML. (GitHub runs no
scripts; ``plots.attention_grid`` draws static heatmaps for that.)
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from pathlib import Path

__all__ = ["VENDOR", "head_view", "offline_html"]

VENDOR_DIR = Path(__file__).resolve().parent / "vendor"
# The scripts bertviz's head view asks require.js for (module name -> vendored file).
VENDOR = {
    "d3": VENDOR_DIR / "d3-5.16.0" / "d3.min.js",
    "jquery": VENDOR_DIR / "jquery-3.7.1" / "jquery.min.js",
}

# bertviz 1.4's output: a require.js tag, the view's <div>, one inline <script> starting with require.config
_REQUIRE_TAG = re.compile(r'<script src="https://[^"]*require[^"]*\.js"></script>')
_INLINE_SCRIPT = re.compile(r'<script type="text/javascript">\n(?P<js>.*)\n</script>\s*$', re.DOTALL)
_REQUIRE_CONFIG = re.compile(r"require\.config\(\{.*?\}\);", re.DOTALL)


@lru_cache(maxsize=None)
def _vendored(name: str) -> str:
    return VENDOR[name].read_text(encoding="utf-8")


def _script_safe(js: str) -> str:
    """JavaScript safe inside <script>: "</script" would end the tag; "<\\/" means the same in JS."""
    return js.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")


def _module(name: str) -> str:
    """A vendored UMD file run as a CommonJS module, touching neither a page's require.js nor its globals."""
    return ("(function () { var module = {exports: {}}, exports = module.exports, define = undefined;\n"
            f"{_vendored(name)}\n;return module.exports; }}).call(window)")


def offline_html(bertviz_html: str) -> str:
    """bertviz's head-view HTML made self-contained: the CDN's require.js tag removed, head_view.js run with
    inlined d3 and jQuery; RuntimeError when bertviz changed its layout (notebook 01, attention visualisation)."""
    without_require, found = _REQUIRE_TAG.subn("", bertviz_html)
    script = _INLINE_SCRIPT.search(without_require)
    if found != 1 or script is None or not _REQUIRE_CONFIG.search(script["js"]):
        raise RuntimeError(
            "bertviz's head view HTML is not laid out as lectureutils.attention_view expects (bertviz 1.4: a "
            "require.js <script src> tag, the view's <div>, one inline script starting with require.config). "
            "Use bertviz.head_view directly (it needs the network) or update lectureutils/attention_view.py."
        )
    view_js = _REQUIRE_CONFIG.sub("", script["js"], count=1)
    modules = ",\n".join(f"  {json.dumps(name)}: {_module(name)}" for name in VENDOR)
    js = (
        "(function () {\n"
        f"var modules = {{\n{modules}\n}};\n"
        "function requirejs(names, callback) { callback.apply(null, names.map(function (n) { return modules[n]; })); }\n"
        f"{view_js}\n"
        "})();"
    )
    return without_require[: script.start()] + f'<script type="text/javascript">\n{_script_safe(js)}\n</script>\n'


def head_view(attention, tokens, sentence_b_start=None, *, layer=None, heads=None, include_layers=None,
              prettify_tokens=True, title=None, html_action="view"):
    """``bertviz.head_view``, working offline, with the same arguments; ``title`` is shown above the view (e.g. that
    a stand-in computed it); ``html_action="return"`` returns the HTML object (notebook 01, attention
    visualisation)."""
    from bertviz import head_view as bertviz_head_view
    from IPython.display import HTML, display

    if html_action not in ("view", "return"):
        raise ValueError(f"html_action must be 'view' or 'return', got {html_action!r}.")
    built = bertviz_head_view(attention, tokens, sentence_b_start, prettify_tokens=prettify_tokens, layer=layer,
                              heads=heads, include_layers=include_layers, html_action="return")
    page = offline_html(built.data)
    if title:
        page = f'<div style="font-weight:bold;margin-bottom:4px">{html.escape(title)}</div>\n' + page
    view = HTML(page)
    if html_action == "return":
        return view
    display(view)
    return None
