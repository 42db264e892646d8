"""One line describing the machine a benchmark ran on (every table in benchmarks/README.md names it)."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo, else what ``platform`` knows."""
    info = Path("/proc/cpuinfo")
    if info.exists():
        for line in info.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine() or "unknown CPU"


def usable_cores() -> int:
    """Cores this process may run on (what ``nproc`` prints)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def describe(*extras: str) -> str:
    """``nproc N, CPU model; Python x.y.z`` followed by the ``extras`` (library versions, GPU, threads)."""
    parts = [f"nproc {usable_cores()}, {cpu_model()}", f"Python {platform.python_version()}", *extras]
    return "; ".join(parts)
