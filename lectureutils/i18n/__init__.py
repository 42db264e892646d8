"""The Korean edition: notebooks/ko/ built from the English notebooks and i18n/ko/ catalogues, and the package's own
messages in the student's language (every notebook; i18n/README.md).

- ``python -m lectureutils.i18n refresh ko``: catalogues in step with the English notebooks (``catalogue``);
- ``python -m lectureutils.i18n status ko``: translated / stale / missing per notebook, glossary misses (``glossary``);
- ``python -m lectureutils.i18n build ko [--check]``: the generated notebooks (``build``), and the package's
  message catalogue compiled (``messages``); ``make ko``.

What is translatable in a notebook: ``extract``. The package's messages: ``from lectureutils.i18n import _``.
"""

from .messages import _

__all__ = ["_"]
