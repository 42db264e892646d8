"""The one owner of the environment: offline (and why), fast, run size, cache and data folders, seed, precision,
language. No other module reads these variables (every notebook's Setup cell; README, "Modes").
"""

from __future__ import annotations

import functools
import os
import socket
from pathlib import Path

__all__ = [
    "HUB_HOST", "env_flag", "hub_reachable", "offline_reason", "is_offline", "is_fast", "cache_dir",
    "REAL_HF_HUB_CACHE", "hf_hub_cache", "offline_hub_cache", "data_dir", "seed", "PRECISIONS", "precision",
    "RUN_SIZES", "run_size_override", "SOLVE_EXERCISES", "solve_exercises", "results_dir", "LANGUAGES", "language",
    "use_language",
]

HUB_HOST = "huggingface.co"
DEFAULT_SEED = 7  # the lecture's seed
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}
REPO_DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def env_flag(name: str) -> bool | None:
    """A boolean environment variable: True, False, or None when unset; ValueError otherwise (every notebook)."""
    raw = os.environ.get(name)
    if raw is None:
        return None
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ValueError(f"{name}={raw!r}: use 1 or 0 (true/false, yes/no, on/off).")


@functools.lru_cache(maxsize=1)
def hub_reachable(timeout: float = 2.0) -> bool:
    """True when a TCP connection to the model hub opens within ``timeout`` seconds (every notebook)."""
    try:
        with socket.create_connection((HUB_HOST, 443), timeout=timeout):
            return True
    except OSError:
        return False


def offline_reason() -> str | None:
    """Why we are offline ("LECTUREUTILS_OFFLINE=1", "no route to huggingface.co"), or None (every notebook)."""
    flag = env_flag("LECTUREUTILS_OFFLINE")
    if flag is not None:
        return "LECTUREUTILS_OFFLINE=1" if flag else None
    if env_flag("HF_HUB_OFFLINE"):
        return "HF_HUB_OFFLINE=1"
    if not hub_reachable():
        return f"no route to {HUB_HOST}"
    return None


def is_offline() -> bool:
    """True in offline mode (every notebook)."""
    return offline_reason() is not None


def is_fast() -> bool:
    """True in fast mode, ``LECTUREUTILS_FAST=1`` (every notebook)."""
    return bool(env_flag("LECTUREUTILS_FAST"))


def expand(path: str | os.PathLike) -> Path:
    """``~`` expanded and made absolute, once, so every user of the path agrees."""
    return Path(path).expanduser().resolve()


def cache_dir() -> Path:
    """Where stand-ins and downloads are kept: ``$LECTUREUTILS_CACHE`` or ~/.cache/lectureutils (every notebook)."""
    root = os.environ.get("LECTUREUTILS_CACHE", "").strip()
    path = expand(root) if root else Path.home() / ".cache" / "lectureutils"
    path.mkdir(parents=True, exist_ok=True)
    return path


REAL_HF_HUB_CACHE = "LECTUREUTILS_REAL_HF_HUB_CACHE"  # the student's own hub cache, kept by setup() offline


def offline_hub_cache() -> Path:
    """The offline view, ``cache_dir()/hub``: links to real cached models or stand-ins (every notebook offline)."""
    return cache_dir() / "hub"


def hf_hub_cache() -> Path:
    """The student's own Hugging Face hub cache, never the offline view (every notebook offline).

    ``$LECTUREUTILS_REAL_HF_HUB_CACHE`` once ``setup()`` has redirected ``HF_HUB_CACHE``, else huggingface_hub's.
    """
    saved = os.environ.get(REAL_HF_HUB_CACHE, "").strip()
    if saved:
        return expand(os.path.expandvars(saved))
    for name in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        value = os.environ.get(name, "").strip()
        if value and expand(os.path.expandvars(value)) != offline_hub_cache():
            return expand(os.path.expandvars(value))
    home = os.environ.get("HF_HOME", "").strip()
    if not home:
        xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
        home = os.path.join(xdg or os.path.join(os.path.expanduser("~"), ".cache"), "huggingface")
    return expand(os.path.expandvars(home)) / "hub"


def data_dir() -> Path:
    """The folder of the offline samples: ``$LECTUREUTILS_DATA`` or the repository's data/ (05 §1)."""
    root = os.environ.get("LECTUREUTILS_DATA", "").strip()
    path = expand(root) if root else REPO_DATA_DIR
    if not path.is_dir():
        from .i18n import _

        raise FileNotFoundError(_(
            "the offline samples are not available: {path} does not exist. They live in the lecture "
            "repository's data/ folder; install the package from a checkout (pip install -e .) to use offline mode."
        ).format(path=path))
    return path


def seed() -> int:
    """The seed every notebook starts from: ``$LECTUREUTILS_SEED`` or the lecture's 7 (every notebook)."""
    raw = os.environ.get("LECTUREUTILS_SEED", "").strip()
    if not raw:
        return DEFAULT_SEED
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"LECTUREUTILS_SEED={raw!r}: use a whole number.") from None


#: "auto" (what the GPU computes in natively, fp32 on a CPU), "bf16" (autocast anywhere, a CPU included: CI),
#: "fp16" (a T4's path) or "fp32".
PRECISIONS = ("auto", "bf16", "fp16", "fp32")


def precision() -> str:
    """The training precision asked for: ``$LECTUREUTILS_PRECISION`` or "auto" (05 §5)."""
    raw = os.environ.get("LECTUREUTILS_PRECISION", "").strip().lower() or "auto"
    if raw not in PRECISIONS:
        raise ValueError(f"LECTUREUTILS_PRECISION={raw!r}: use one of {', '.join(PRECISIONS)}.")
    return raw


#: The fine-tuning notebooks' run sizes: "quick" (CI, minutes on a CPU), "class" (about 15 minutes on a T4), "full".
RUN_SIZES = ("quick", "class", "full")


def run_size_override() -> str | None:
    """The run size the environment imposes: "quick" under ``LECTUREUTILS_FAST=1``, else
    ``$LECTUREUTILS_RUN_SIZE``, else None (05, 06, 09–12 Parameters)."""
    if is_fast():
        return "quick"
    raw = os.environ.get("LECTUREUTILS_RUN_SIZE", "").strip().lower()
    if raw and raw not in RUN_SIZES:
        raise ValueError(f"LECTUREUTILS_RUN_SIZE={raw!r}: use one of {', '.join(RUN_SIZES)}.")
    return raw or None


SOLVE_EXERCISES = "LECTUREUTILS_SOLVE_EXERCISES"  # the runner of lectureutils.exercises sets it for the kernel


def solve_exercises() -> bool:
    """True when ``LECTUREUTILS_SOLVE_EXERCISES=1``: ``exercises.check`` also runs each solution (every notebook)."""
    return bool(env_flag(SOLVE_EXERCISES))


def results_dir() -> Path | None:
    """Where ``verify.record`` writes a notebook's values: ``$LECTUREUTILS_RESULTS``, or None (every notebook)."""
    root = os.environ.get("LECTUREUTILS_RESULTS", "").strip()
    return expand(root) if root else None


LANGUAGES = ("en", "ko")  # of the package's messages (lectureutils.i18n)
LANGUAGE = "LECTUREUTILS_LANG"


def language() -> str:
    """The language of the package's messages: ``$LECTUREUTILS_LANG`` or "en" (every notebook)."""
    raw = os.environ.get(LANGUAGE, "").strip().lower() or "en"
    if raw not in LANGUAGES:
        raise ValueError(f"{LANGUAGE}={raw!r}: use one of {', '.join(LANGUAGES)}.")
    return raw


def use_language(code: str) -> None:
    """``setup(language=code)``: messages in ``code`` here and in the processes this one starts (every notebook)."""
    code = str(code).strip().lower()
    if code not in LANGUAGES:
        raise ValueError(f"language={code!r}: use one of {', '.join(LANGUAGES)}.")
    os.environ[LANGUAGE] = code
