"""Korean keyword candidates: nouns from a morphological analyser (notebook 04_keyword_extraction, §5).

The lecture uses konlpy's Okt (needs Java); Kiwi (``kiwipiepy``, pure pip) is the fallback.
"""

from __future__ import annotations

import functools
import warnings

from .candidates import document_candidates

__all__ = ["ANALYZERS", "java_available", "korean_nouns", "korean_candidates"]

_INSTALL_KONLPY = "pip install konlpy"
_INSTALL_JAVA = "apt-get install -y openjdk-17-jdk-headless   (in a notebook: !apt-get install -y openjdk-17-jdk-headless)"
_INSTALL_KIWI = "pip install kiwipiepy"
ANALYZERS = ("auto", "okt", "kiwi")

# Kiwi's noun tags: general nouns (NNG) and proper nouns (NNP), the content nouns that make
# keywords. Okt has a single tag, "Noun", which the lecture keeps.
_KIWI_NOUN_TAGS = ("NNG", "NNP")


def _installed(module: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except ValueError:  # a module set to None in sys.modules
        return False



def java_available() -> bool:
    """Whether konlpy finds a Java runtime for Okt; starts nothing (04, §5 "Korean keywords")."""
    try:
        import jpype

        return bool(jpype.getDefaultJVMPath())
    except Exception:  # jpype missing, or JVMNotFoundException
        return False


def _choose_analyzer(analyzer: str) -> str:
    """``"okt"`` or ``"kiwi"``, or an error that says what to install."""
    if analyzer not in ANALYZERS:
        raise ValueError(f"analyzer must be one of {ANALYZERS}, got analyzer={analyzer!r}.")
    if analyzer == "okt":
        if not _installed("konlpy"):
            raise ImportError(f"Okt comes with konlpy, which is not installed. Install it with: {_INSTALL_KONLPY}")
        if not java_available():
            raise RuntimeError(f"Okt (konlpy) needs a Java runtime, and none was found. Install one with: {_INSTALL_JAVA}")
        return "okt"
    if analyzer == "kiwi":
        if not _installed("kiwipiepy"):
            raise ImportError(f"Kiwi comes with kiwipiepy, which is not installed. Install it with: {_INSTALL_KIWI}")
        return "kiwi"
    # auto: Okt as in the lecture when it can run, else Kiwi.
    if _installed("konlpy") and java_available():
        return "okt"
    if _installed("kiwipiepy"):
        reason = "needs a Java runtime, which was not found" if _installed("konlpy") else "needs konlpy, which is not installed"
        warnings.warn(f"Okt {reason}; using Kiwi (kiwipiepy) for Korean nouns instead.", UserWarning, stacklevel=3)
        return "kiwi"
    raise ImportError(
        "No Korean morphological analyser is available. Install Kiwi with: "
        f"{_INSTALL_KIWI}   or Okt with: {_INSTALL_KONLPY} and Java: {_INSTALL_JAVA}"
    )


@functools.lru_cache(maxsize=1)
def _okt():
    from konlpy.tag import Okt

    return Okt()  # starts the JVM (seconds), once per process


@functools.lru_cache(maxsize=1)
def _kiwi():
    from kiwipiepy import Kiwi

    return Kiwi()  # loads Kiwi's model (seconds), once per process


def korean_nouns(text: str, analyzer: str = "auto") -> list[str]:
    """The nouns of a Korean text in order (04, §5 "Korean keywords"): Okt's as in the lecture (needs Java), Kiwi's
    (NNG, NNP), or with ``"auto"`` Okt when it can run, else Kiwi with a warning. A missing analyser raises with the
    command that installs it. They split some words differently (Okt: 미세먼지, Kiwi: 미세 + 먼지)."""
    chosen = _choose_analyzer(analyzer)
    if not text or not text.strip():
        return []
    if chosen == "okt":
        return [word for word, tag in _okt().pos(text) if tag == "Noun"]
    return [token.form for token in _kiwi().tokenize(text) if token.tag in _KIWI_NOUN_TAGS]


def korean_candidates(text: str, ngram_range=(2, 3), analyzer: str = "auto") -> list[str]:
    """The lecture's Korean candidates: the distinct noun n-grams (``ngram_range``, the lecture's (2, 3)) of the
    text's nouns, one-syllable nouns dropped by ``CountVectorizer`` (04, §5 "Korean keywords")."""
    nouns = korean_nouns(text, analyzer=analyzer)
    return document_candidates(" ".join(nouns), ngram_range=ngram_range, stop_words=None)
