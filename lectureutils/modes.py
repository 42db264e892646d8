"""Deprecated: the old name of :mod:`lectureutils.env` (setup, every notebook), kept only while
models.py and standins.py move over; it will be deleted once nothing imports it."""

from __future__ import annotations

from .env import *  # noqa: F401,F403
from .env import REPO_DATA_DIR as DATA_DIR  # noqa: F401
from .env import __all__ as _env_all

__all__ = [*_env_all, "DATA_DIR"]
