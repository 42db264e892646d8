"""The two switches every notebook reads: offline and fast.

Taught in every notebook's setup cell (see notebooks/01_bert_embeddings.ipynb, "Setup").

- offline: ``LECTUREUTILS_OFFLINE=1``, or no route to the Hugging Face hub. Every model
  name then resolves to the real model if it is already cached, else to a local stand-in,
  and every data set to its sample in ``data/``.
- fast: ``LECTUREUTILS_FAST=1``. Small workloads (subsets, a few training steps) for CI and
  quick classroom runs.

Nothing here runs at import time; the hub probe runs once, on first use.
"""

from __future__ import annotations

import functools
import os
import socket
from pathlib import Path

HUB_HOST = "huggingface.co"
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"


def env_flag(name: str) -> bool | None:
    """Read a boolean environment variable: True, False, or None when unset.

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
    """True when a TCP connection to the model hub opens within ``timeout`` seconds."""
    try:
        with socket.create_connection((HUB_HOST, 443), timeout=timeout):
            return True
    except OSError:
        return False


def offline_reason() -> str | None:
    """Why we are offline ("LECTUREUTILS_OFFLINE=1", "no route to huggingface.co"), or None."""
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
    """True in offline mode (see the module docstring)."""
    return offline_reason() is not None


def is_fast() -> bool:
    """True in fast mode (``LECTUREUTILS_FAST=1``)."""
    return bool(env_flag("LECTUREUTILS_FAST"))


def pick(full, fast):
    """Return ``fast`` in fast mode and ``full`` otherwise (for a notebook's parameters cell)."""
    return fast if is_fast() else full


def cache_dir() -> Path:
    """Where stand-ins and downloads are kept: ``$LECTUREUTILS_CACHE`` or ~/.cache/lectureutils."""
    root = os.environ.get("LECTUREUTILS_CACHE")
    path = Path(root) if root else Path.home() / ".cache" / "lectureutils"
    path.mkdir(parents=True, exist_ok=True)
    return path
