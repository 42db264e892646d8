"""The one owner of the environment: offline (and why), fast, cache and data directories, seed.

Taught in every notebook's setup cell (see notebooks/01_bert_embeddings.ipynb, "Setup").
No other module of lectureutils reads these environment variables; they ask this module
or take the values as arguments.

- offline: ``LECTUREUTILS_OFFLINE=1`` (or ``HF_HUB_OFFLINE=1``), or no route to the
  Hugging Face hub. Models then resolve to the local cache or a stand-in, data sets to
  their prefetched copies or the samples in ``data/``.
- fast: ``LECTUREUTILS_FAST=1``. Small workloads for CI and quick classroom runs; the fine-tuning notebooks' run
  size is then "quick". ``LECTUREUTILS_RUN_SIZE`` sets that run size otherwise (CI's full-size pass: "full").
- cache: ``LECTUREUTILS_CACHE`` (``~`` and relative paths expanded once, here), else
  ``~/.cache/lectureutils``.
- Hugging Face cache: the student's own hub cache (``HF_HUB_CACHE``, ``HF_HOME``..., read as huggingface_hub
  reads them), and the offline view in the lectureutils cache that ``setup()`` points ``HF_HUB_CACHE`` at
  offline, keeping the student's own in ``LECTUREUTILS_REAL_HF_HUB_CACHE`` for the processes it starts.
- data: ``LECTUREUTILS_DATA`` or the repository's ``data/`` folder (the offline samples).
- seed: ``LECTUREUTILS_SEED`` or the lecture's seed, 7.
- language: ``LECTUREUTILS_LANG=ko`` (or ``setup(language="ko")``, which sets it for this process and the kernels and
  workers it starts): the package's messages in Korean; English by default (``lectureutils.i18n``).
- precision: ``LECTUREUTILS_PRECISION=bf16`` trains with bf16 autocast even on a CPU, the path a GPU run takes
  (CI tests it this way); unset, the GPU decides (``lectureutils.training.mixed_precision``).

Nothing runs at import time; the hub probe runs once, on first use.
"""

from __future__ import annotations

import contextlib
import functools
import os
import socket
from pathlib import Path

__all__ = [
    "HUB_HOST",
    "DEFAULT_SEED",
    "env_flag",
    "hub_reachable",
    "offline_reason",
    "is_offline",
    "is_fast",
    "cache_dir",
    "REAL_HF_HUB_CACHE",
    "hf_hub_cache",
    "offline_hub_cache",
    "data_dir",
    "seed",
    "PRECISIONS",
    "precision",
    "RUN_SIZES",
    "run_size_override",
    "SOLVE_EXERCISES",
    "solve_exercises",
    "solving_exercises",
    "results_dir",
    "LANGUAGES",
    "language",
    "use_language",
]

HUB_HOST = "huggingface.co"
DEFAULT_SEED = 7  # the lecture's seed
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}
REPO_DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def env_flag(name: str) -> bool | None:
    """Read a boolean environment variable: True, False, or None when unset (setup, every notebook).

    Raises ValueError for a value that is neither (``LECTUREUTILS_FAST=maybe``).
    """
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
    """True when a TCP connection to the model hub opens within ``timeout`` seconds (setup, every notebook)."""
    try:
        with socket.create_connection((HUB_HOST, 443), timeout=timeout):
            return True
    except OSError:
        return False


def offline_reason() -> str | None:
    """Why we are offline ("LECTUREUTILS_OFFLINE=1", "no route to huggingface.co"), or None (setup, every notebook)."""
    flag = env_flag("LECTUREUTILS_OFFLINE")
    if flag is True:
        return "LECTUREUTILS_OFFLINE=1"
    if flag is False:
        return None
    if env_flag("HF_HUB_OFFLINE"):
        return "HF_HUB_OFFLINE=1"
    if not hub_reachable():
        return f"no route to {HUB_HOST}"
    return None


def is_offline() -> bool:
    """True in offline mode (setup, every notebook)."""
    return offline_reason() is not None


def is_fast() -> bool:
    """True in fast mode, ``LECTUREUTILS_FAST=1`` (setup, every notebook)."""
    return bool(env_flag("LECTUREUTILS_FAST"))


def expand(path: str | os.PathLike) -> Path:
    """``~`` expanded and made absolute, once, so every user of the path agrees."""
    return Path(path).expanduser().resolve()


def cache_dir() -> Path:
    """Where stand-ins and downloads are kept: ``$LECTUREUTILS_CACHE`` or ~/.cache/lectureutils (01, "Offline stand-ins")."""
    root = os.environ.get("LECTUREUTILS_CACHE", "").strip()
    path = expand(root) if root else Path.home() / ".cache" / "lectureutils"
    path.mkdir(parents=True, exist_ok=True)
    return path


REAL_HF_HUB_CACHE = "LECTUREUTILS_REAL_HF_HUB_CACHE"  # the student's own hub cache, kept by setup() offline


def offline_hub_cache() -> Path:
    """The offline view: a Hugging Face hub cache of lectureutils' own, ``cache_dir()/hub``, whose entries link to
    the student's real cached models or to stand-ins (01, "Offline stand-ins"; ``lectureutils.standins.hub``)."""
    return cache_dir() / "hub"


def hf_hub_cache() -> Path:
    """The student's own Hugging Face hub cache, where prefetched real models are (01, "Offline stand-ins").

    ``$LECTUREUTILS_REAL_HF_HUB_CACHE`` when ``setup()`` has pointed ``HF_HUB_CACHE`` at the offline view (in this
    process or a parent), else what huggingface_hub reads: ``HF_HUB_CACHE``, ``HUGGINGFACE_HUB_CACHE``,
    ``$HF_HOME/hub``, ``$XDG_CACHE_HOME/huggingface/hub``, ``~/.cache/huggingface/hub``. Never the offline view.
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
    """The folder of the offline samples: ``$LECTUREUTILS_DATA`` or the repository's ``data/`` (05, "The data")."""
    root = os.environ.get("LECTUREUTILS_DATA", "").strip()
    path = expand(root) if root else REPO_DATA_DIR
    if not path.is_dir():
        raise FileNotFoundError(
            f"the offline samples are not available: {path} does not exist. They live in the lecture "
            "repository's data/ folder; install the package from a checkout (pip install -e .) to use offline mode."
        )
    return path


def seed() -> int:
    """The seed every notebook starts from: ``$LECTUREUTILS_SEED`` or the lecture's 7 (setup, every notebook)."""
    raw = os.environ.get("LECTUREUTILS_SEED", "").strip()
    if not raw:
        return DEFAULT_SEED
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"LECTUREUTILS_SEED={raw!r}: use a whole number.") from None


#: What ``LECTUREUTILS_PRECISION`` may say: "auto" (the default: what the GPU computes in natively, fp32 on a
#: CPU), "bf16" (bf16 autocast on any device, a CPU included), "fp16" (a T4's path, on any NVIDIA GPU; the
#: GPU check) or "fp32" (no mixed precision anywhere).
PRECISIONS = ("auto", "bf16", "fp16", "fp32")


def precision() -> str:
    """The training precision asked for: ``$LECTUREUTILS_PRECISION`` or "auto" (05 §5, every fine-tuning notebook)."""
    raw = os.environ.get("LECTUREUTILS_PRECISION", "").strip().lower() or "auto"
    if raw not in PRECISIONS:
        raise ValueError(f"LECTUREUTILS_PRECISION={raw!r}: use one of {', '.join(PRECISIONS)}.")
    return raw


#: The fine-tuning notebooks' ``RUN_SIZE``s: "quick" (CI; minutes on a CPU), "class" (about 15 minutes on a free
#: Colab T4), "full" (the lecture's settings).
RUN_SIZES = ("quick", "class", "full")


def run_size_override() -> str | None:
    """The run size the environment imposes on every fine-tuning notebook, else None (its ``RUN_SIZE`` decides):
    "quick" under ``LECTUREUTILS_FAST=1``, else ``$LECTUREUTILS_RUN_SIZE`` (05, 06, 09–12 Parameters)."""
    if is_fast():
        return "quick"
    raw = os.environ.get("LECTUREUTILS_RUN_SIZE", "").strip().lower()
    if raw and raw not in RUN_SIZES:
        raise ValueError(f"LECTUREUTILS_RUN_SIZE={raw!r}: use one of {', '.join(RUN_SIZES)}.")
    return raw or None


SOLVE_EXERCISES = "LECTUREUTILS_SOLVE_EXERCISES"  # the runner of lectureutils.exercises sets it for the kernel


def solve_exercises() -> bool:
    """True when ``LECTUREUTILS_SOLVE_EXERCISES=1``: every ``exercises.check`` of a placeholder also runs and checks
    the exercise's solution from ``solutions/`` (every notebook's exercises; make test, make solutions)."""
    return bool(env_flag(SOLVE_EXERCISES))


@contextlib.contextmanager
def solving_exercises():
    """Solve mode on inside the ``with`` block, for this process and the kernels it starts; the old value after
    (every notebook's exercises; python -m lectureutils.exercises solve)."""
    saved = os.environ.get(SOLVE_EXERCISES)
    os.environ[SOLVE_EXERCISES] = "1"
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(SOLVE_EXERCISES, None)
        else:
            os.environ[SOLVE_EXERCISES] = saved


def results_dir() -> Path | None:
    """Where ``verify.record`` writes the values a notebook got: ``$LECTUREUTILS_RESULTS``, or None (then it
    records nothing) (every notebook's published results; make verify-online, lectureutils.verify)."""
    root = os.environ.get("LECTUREUTILS_RESULTS", "").strip()
    return expand(root) if root else None


#: The languages of the package's messages (``lectureutils.i18n``): English (the default) and Korean.
LANGUAGES = ("en", "ko")
LANGUAGE = "LECTUREUTILS_LANG"


def language() -> str:
    """The language of the package's messages: ``$LECTUREUTILS_LANG`` or "en" (setup, every notebook)."""
    raw = os.environ.get(LANGUAGE, "").strip().lower() or "en"
    if raw not in LANGUAGES:
        raise ValueError(f"{LANGUAGE}={raw!r}: use one of {', '.join(LANGUAGES)}.")
    return raw


def use_language(code: str) -> None:
    """``setup(language=code)``: messages in ``code`` from now on, in this process and those it starts (setup,
    every notebook)."""
    code = str(code).strip().lower()
    if code not in LANGUAGES:
        raise ValueError(f"language={code!r}: use one of {', '.join(LANGUAGES)}.")
    os.environ[LANGUAGE] = code
