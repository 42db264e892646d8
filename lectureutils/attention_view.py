"""bertviz's attention head view that works offline (notebook 01_bert_embeddings, attention visualisation).

``bertviz.head_view`` loads require.js, d3 and jQuery from cdnjs.cloudflare.com, so with no network (an
offline classroom, an exported HTML handout opened offline) the cell output stays blank. ``head_view``
here builds the same view with bertviz's own code and data, but with d3 and jQuery *inlined* from
``lectureutils/vendor/`` (taken from the npm registry, licences alongside) and require.js replaced by a
two-line module lookup. The result is one self-contained HTML output: it renders in Jupyter, JupyterLab,
Colab and in HTML exported with nbconvert, and no request leaves the machine. (GitHub's notebook viewer runs
no scripts at all, so no interactive view shows there; ``lectureutils.plots.attention_grid`` draws static
heatmaps for that.)
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

# What bertviz 1.4 emits (bertviz/head_view.py, html_action="return"): a require.js tag from the CDN, the
# view's <div>, and one inline <script> holding head_view.js, whose first statement points require.js at
# the d3 and jQuery CDN URLs.
_REQUIRE_TAG = re.compile(r'<script src="https://[^"]*require[^"]*\.js"></script>')
_INLINE_SCRIPT = re.compile(r'<script type="text/javascript">\n(?P<js>.*)\n</script>\s*$', re.DOTALL)
_REQUIRE_CONFIG = re.compile(r"require\.config\(\{.*?\}\);", re.DOTALL)


@lru_cache(maxsize=None)
def _vendored(name: str) -> str:
    return VENDOR[name].read_text(encoding="utf-8")


def _script_safe(js: str) -> str:
    """JavaScript that can sit inside <script>...</script>: a literal "</script" would end the tag
    early; "<\\/" means the same inside JS strings and regular expressions."""
    return js.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")


def _module(name: str) -> str:
    """A vendored UMD file run as a CommonJS module, so it neither registers with a require.js already on
    the page (classic Jupyter has one) nor overwrites a page's global d3 or jQuery; evaluates to its exports."""
    return ("(function () { var module = {exports: {}}, exports = module.exports, define = undefined;\n"
            f"{_vendored(name)}\n;return module.exports; }}).call(window)")


def offline_html(bertviz_html: str) -> str:
    """bertviz's head-view HTML (``bertviz.head_view(..., html_action="return").data``) made self-contained:
    the require.js tag from the CDN removed, and head_view.js run with inlined d3 and jQuery.

    Used by ``head_view`` (notebook 01_bert_embeddings, attention visualisation). Raises RuntimeError when
    the HTML is not laid out as bertviz 1.4 lays it out (a bertviz update then needs a look here).
    """
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
    """bertviz's ``head_view`` for a self-attention model, working offline: lines from every token to the
    tokens it attends to, one colour per head, a layer menu (and a sentence A/B menu for pairs).

    Taught in notebooks/01_bert_embeddings.ipynb, attention visualisation. Arguments as in
    ``bertviz.head_view``: ``attention`` is the model output's ``attentions`` (one tensor of shape
    (1, heads, tokens, tokens) per layer, from a model loaded with ``attn_implementation="eager"``),
    ``tokens`` the matching token strings, ``sentence_b_start`` the index of the second sentence's first
    token. ``title`` (optional) is shown above the view, e.g. to say that a stand-in computed it.
    ``html_action="view"`` displays the view; ``"return"`` returns the ``IPython.display.HTML`` object.
    d3 and jQuery are inlined (about 330 kB per view), so no network is needed anywhere.
    """
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
