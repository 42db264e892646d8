"""The package's own messages in the student's language, through Python's ``gettext`` (setup, every notebook).

``_("text")`` returns ``text`` in the language ``lectureutils.env.language()`` names (``setup(language="ko")`` or
``LECTUREUTILS_LANG=ko``), English by default. The catalogue is
``lectureutils/locale/<language>/LC_MESSAGES/lectureutils.po``, compiled to the ``.mo`` shipped beside it
(``python -m lectureutils.i18n build ko`` compiles it; a test keeps the two in step). Nothing is read at import time:
the first ``_()`` of a language loads its catalogue.
"""

from __future__ import annotations

import functools
import gettext
from pathlib import Path

__all__ = ["DOMAIN", "LOCALE_DIR", "translation", "_", "compile_messages"]

DOMAIN = "lectureutils"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


@functools.lru_cache(maxsize=None)
def translation(language: str) -> gettext.NullTranslations:
    """The gettext catalogue of ``language`` ("en": none), falling back to English (setup, every notebook)."""
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[language], fallback=True)


def _(message: str) -> str:
    """``message`` in the chosen language (every notebook: the banner, checks, loading messages)."""
    from .. import env

    return translation(env.language()).gettext(message)


def compile_messages(language: str, check: bool = False) -> bool:
    """Compile ``locale/<language>/LC_MESSAGES/lectureutils.po`` to its ``.mo`` (``make ko``); True when the ``.mo``
    was already up to date. With ``check`` nothing is written. No catalogue: True (every notebook)."""
    import tempfile

    import polib

    po_path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.exists():
        return True
    mo_path = po_path.with_suffix(".mo")
    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder) / "fresh.mo"
        polib.pofile(str(po_path)).save_as_mofile(str(fresh))
        data = fresh.read_bytes()
    current = mo_path.exists() and mo_path.read_bytes() == data
    if not current and not check:
        mo_path.write_bytes(data)
        translation.cache_clear()
    return current
