"""The package's messages in the student's language, through Python's ``gettext`` (setup, every notebook).

``_("text")`` returns ``text`` in the language ``lectureutils.env.language()`` names (``setup(language="ko")`` or
``LECTUREUTILS_LANG=ko``), English by default, from ``lectureutils/locale/<language>/LC_MESSAGES/lectureutils.mo``
(``make ko`` compiles it from the ``.po`` beside it). The Korean notebooks are built by ``python -m tools.i18n``
(i18n/README.md); what runs in them is only this module.
"""

from __future__ import annotations

import functools
import gettext
import os
from pathlib import Path

__all__ = ["DOMAIN", "LOCALE_DIR", "translation", "_", "N_", "work_in_english_folder"]

DOMAIN = "lectureutils"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


@functools.lru_cache(maxsize=None)
def translation(language: str) -> gettext.NullTranslations:
    """The gettext catalogue of ``language`` ("en": none), falling back to English (setup, every notebook)."""
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[language], fallback=True)


def _(message: str) -> str:
    """``message`` in the chosen language (every notebook: the banner, checks, exercises, loading messages)."""
    from . import env

    return translation(env.language()).gettext(message)


def work_in_english_folder(language: str) -> bool:
    """``setup(language=...)`` in a generated edition's notebook: run where its English original runs; True when
    it changed the working directory (setup, every notebook of the Korean edition).

    Jupyter and nbval start the kernel in the notebook's folder, ``notebooks/<language>/``; the English code there
    writes ``outputs/`` and ``checkpoints/`` relative to it. From exactly that folder it moves to ``notebooks/``, so
    both editions share those git-ignored folders; anywhere else (Colab's ``/content``, a script) nothing changes.
    """
    if not language or language == "en":
        return False
    try:
        here = Path.cwd().resolve()
    except FileNotFoundError:  # a removed working directory: nothing to compare
        return False
    if here != (NOTEBOOKS / language).resolve():
        return False
    os.chdir(NOTEBOOKS)
    return True


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue where it is defined (a module constant); ``_()`` translates it where it
    is shown, in the language chosen by then (gettext's ``gettext_noop``)."""
    return message
