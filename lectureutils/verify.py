"""A notebook's value recorded for the real-model report (``make verify-online``; tools/verify.py writes the report).

``record("02.key", value)`` does nothing unless ``LECTUREUTILS_RESULTS`` names a folder (``env.results_dir()``; make
verify-online sets it), where it merges the value into ``NN.json``.
"""

from __future__ import annotations

import json

from . import env

__all__ = ["record"]


def _plain(value):
    """JSON-ready: numpy and torch values become Python numbers and lists."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def record(name: str, value) -> None:
    """Record a value a notebook got under ``"NN.key"`` for make verify-online; does nothing otherwise (every
    notebook that quotes the lecture's outputs or reports fine-tuning metrics, e.g. 02, §3)."""
    folder = env.results_dir()
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name.split('.', 1)[0]}.json"
    values = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    values[name] = _plain(value)
    path.write_text(json.dumps(values, ensure_ascii=False, indent=1), encoding="utf-8")
