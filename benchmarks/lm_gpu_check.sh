#!/usr/bin/env bash
# The prepared GPU check of issue 14 (run from the repository root on a CUDA machine; about 3 minutes on an H200).
# Offline is fine: only lengths and shapes matter. Output: Markdown on stdout and in $OUT/lm_gpu_check.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON=python
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
LECTUREUTILS_OFFLINE=1 HF_HUB_OFFLINE=1 timeout 420 "$PYTHON" benchmarks/lm_gpu_check.py
