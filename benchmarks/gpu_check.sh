#!/usr/bin/env bash
# The prepared GPU check of issue 23 (from the repository root, on a CUDA machine; at most about 8 minutes).
# Runs notebooks 05, 09 and 12 in fast mode with the precision a student's GPU run gets (auto: bf16 from compute
# capability 8.0, fp16 below; 12 follows its own policy, bf16 or fp32), then bf16 forced where the GPU computes in
# it, then benchmarks/lm_gpu_check.sh. Offline (stand-ins on the GPU): what is checked is the precision path, the
# reload comparisons and the training loops, not the real models' scores. Prints one line per run and a summary;
# each run's log goes to $OUT (or build/gpu_check).
set -uo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON=python
LOGS="${OUT:-build/gpu_check}"
mkdir -p "$LOGS"
nvidia-smi --query-gpu=name,compute_cap,driver_version,memory.total --format=csv,noheader || true
major=$("$PYTHON" -c "import torch; print(torch.cuda.get_device_capability()[0] if torch.cuda.is_available() else 0)")
[ "$major" -gt 0 ] || { echo "no CUDA GPU: nothing to check"; exit 1; }
export LECTUREUTILS_OFFLINE=1 HF_HUB_OFFLINE=1 LECTUREUTILS_FAST=1 MPLBACKEND=Agg
"$PYTHON" -m lectureutils.prefetch --standins > /dev/null

precisions="auto"
[ "$major" -ge 8 ] && precisions="auto fp16"  # on a bf16 GPU, auto is bf16: also run the T4's fp16 path
summary=()
for precision in $precisions; do
    for notebook in notebooks/05_*.ipynb notebooks/09_*.ipynb notebooks/12_*.ipynb; do
        name=$(basename "$notebook" .ipynb)
        log="$LOGS/${name}_${precision}.log"
        start=$(date +%s)
        LECTUREUTILS_PRECISION=$precision timeout 240 "$PYTHON" -m pytest --nbval-lax --nbval-current-env \
            -p no:cacheprovider -q "$notebook" > "$log" 2>&1
        status=$?
        result=$([ $status -eq 0 ] && echo passed || echo "FAILED (exit $status, see $log)")
        line="$name precision=$precision: $result in $(( $(date +%s) - start )) s; $(tail -n 1 "$log")"
        echo "$line"; summary+=("$line")
    done
done
bash benchmarks/lm_gpu_check.sh > "$LOGS/lm_gpu_check.log" 2>&1 && lm="passed" || lm="FAILED (see $LOGS/lm_gpu_check.log)"
summary+=("benchmarks/lm_gpu_check.sh: $lm")
printf '\n## GPU check summary\n'; printf -- '- %s\n' "${summary[@]}"
! printf '%s\n' "${summary[@]}" | grep -q FAILED
