"""One short prepared GPU run: mixed precision for the kcbert-base shape, notebook 11's batchings, projections.

Run on a CUDA machine (offline is fine: the tokenizers are the stand-ins', only lengths and shapes matter):

    LECTUREUTILS_OFFLINE=1 HF_HUB_OFFLINE=1 python benchmarks/lm_gpu_check.py      # about 2-3 minutes on an H200

It answers the open question of benchmarks/README.md ("Mixed precision on a GPU": bf16 measured five times slower
than fp32 at ~9 tokens per review) and gives the numbers issue 14 asks for:

1. fp32 / fp16 / bf16 training samples/s of ``benchmarks/mixed_precision.py``'s kcbert-base classifier (12 layers,
   batch 32, forward + backward + AdamW), using that script's own ``measure``: at a fixed length of 128 (the
   lecture), at the NSMC sample's lengths (the earlier run), and at NSMC-like lengths (``benchmarks/padding.py``'s
   joined reviews, closer to the real corpus). Each length setting is measured twice per precision: with
   ``--warmup`` steps on *other* batch shapes first (as before), and "steady": a second pass over batches whose
   shapes were all seen in warm-up. If bf16 is slow only in the first case, the cost is per new shape (kernel
   selection under autocast), not per step.
2. ``benchmarks/lm_batching.py`` on the GPU: KoGPT2's shape (12 layers, vocabulary 51,200), bf16 autocast, the
   four batchings in useful tokens/s.
3. Projections: one epoch of the real NSMC (150,000 reviews) for notebook 05's classifier (samples/s at NSMC-like
   lengths, fp32 and bf16), and notebook 11's full run (one packed epoch of 150,000 reviews at the packed rate, plus
   a measured allowance for its other steps).

Prints Markdown; with ``$OUT`` set, also writes ``$OUT/lm_gpu_check.md``. ``--smoke`` runs the whole script in a
few seconds on a CPU (1 layer, fp32, a handful of steps) to check the script itself; its numbers mean nothing.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import torch  # noqa: E402

NSMC_TRAIN_REVIEWS = 150_000
KOGPT2_VOCABULARY = 51_200
STEPS, WARMUP = 60, 20
# notebook 11's other steps at full size with the real KoGPT2 on a GPU, besides the training epoch: model loads,
# perplexity on 2,000 reviews twice, 200 generated reviews (20 generate calls x 40 tokens), the TF-IDF judge on
# 150,000 reviews, the batching timings, saving. A rough allowance, stated as such.
NOTEBOOK_11_OTHER_SECONDS = 90


def mixed_precision_rows(lines: list[str], device: str = "cuda", layers: int = 12, steps: int = STEPS,
                         warmup: int = WARMUP) -> dict:
    import mixed_precision as mp  # benchmarks/mixed_precision.py

    from lectureutils.models import load_tokenizer
    from padding import nsmc_like_reviews  # benchmarks/padding.py

    tokenizer = load_tokenizer("beomi/kcbert-base")
    settings = {
        "fixed 128": [128],
        "NSMC sample lengths": mp.review_lengths(tokenizer),
        "NSMC-like lengths": [min(mp.MAX_LENGTH, len(tokenizer(text)["input_ids"])) for text in nsmc_like_reviews(2048)],
    }
    if device == "cuda":
        precisions = ["fp32", "fp16"] + (["bf16"] if torch.cuda.get_device_capability()[0] >= 8 else [])
    else:
        precisions = ["fp32"]
    lines += ["| lengths (mean tokens) | precision | samples/s after warm-up | samples/s steady (shapes seen) | "
              "speed-up vs fp32 (steady) | peak GiB | loss finite |", "|---|---|---:|---:|---:|---:|---|"]
    results = {}
    for name, lengths in settings.items():
        batches = mp.length_grouped_batches(lengths, steps + warmup)
        timed = batches[warmup:]
        for precision in precisions:
            first = mp.measure(precision, batches, len(tokenizer), layers, device, warmup)
            steady = mp.measure(precision, timed + timed, len(tokenizer), layers, device, len(timed))
            results[name, precision] = (first, steady)
        for precision in precisions:
            first, steady = results[name, precision]
            base = results[name, "fp32"][1]["samples_per_second"]
            lines.append(f"| {name} ({np.mean(lengths):.1f}) | {precision} | {first['samples_per_second']:,.0f} | "
                         f"{steady['samples_per_second']:,.0f} | {steady['samples_per_second'] / base:.2f}x | "
                         f"{steady['peak_gib']:.2f} | {first['finite'] and steady['finite']} |")
    return results


def main(argv=None) -> int:
    smoke = "--smoke" in (sys.argv[1:] if argv is None else argv)
    if not torch.cuda.is_available() and not smoke:
        print("No CUDA GPU: this check is for a GPU machine (--smoke checks the script on a CPU).")
        return 1
    device, layers, steps, warmup = ("cpu", 1, 3, 1) if smoke else ("cuda", 12, STEPS, WARMUP)
    import transformers
    from transformers.utils import logging as transformers_logging

    import lm_batching  # benchmarks/lm_batching.py

    transformers_logging.set_verbosity_error()
    began = time.perf_counter()
    gpu = torch.cuda.get_device_name() if device == "cuda" else "none (--smoke: numbers mean nothing)"
    lines = [f"GPU: {gpu}; torch {torch.__version__}; transformers {transformers.__version__}; "
             f"{steps} timed steps after {warmup} warm-up per row.", "",
             "### Mixed precision, kcbert-base shape (12 layers, hidden 768, batch 32, length-grouped)", ""]
    results = mixed_precision_rows(lines, device, layers, steps, warmup)
    lines += ["", "### Notebook 11's batchings on the GPU (KoGPT2 shape: 12 layers, vocabulary 51,200, bf16 autocast)", ""]
    report = io.StringIO()
    result = lm_batching.measure(["--device", device, "--layers", str(layers), "--reviews", "1000" if smoke else "8192",
                                  "--timed-batches", "2" if smoke else "40",
                                  "--vocab-size", "0" if smoke else str(KOGPT2_VOCABULARY)])
    with contextlib.redirect_stdout(report):
        lm_batching.print_report(result)
    lines += report.getvalue().splitlines()

    packed = result["best"]
    per_review = np.mean(result["review_tokens"])
    epoch_05 = {precision: NSMC_TRAIN_REVIEWS / results["NSMC-like lengths", precision][1]["samples_per_second"]
                for precision in ("fp32", "bf16") if ("NSMC-like lengths", precision) in results}
    epoch_11 = NSMC_TRAIN_REVIEWS * per_review / packed["useful_per_second"]
    lines += ["", "### Projections (this GPU)", "",
              "| run | projected time |", "|---|---:|"]
    for precision, seconds in epoch_05.items():
        lines.append(f"| notebook 05: one epoch of real NSMC (150,000 reviews, kcbert-base, {precision}) | {seconds / 60:.1f} min |")
    precision = "bf16" if result["autocast"] else "fp32"
    lines.append(f"| notebook 11: one packed epoch of real NSMC (KoGPT2, {precision}, {per_review:.1f} review tokens per review) "
                 f"| {epoch_11 / 60:.1f} min |")
    lines.append(f"| notebook 11: full run (the epoch + about {NOTEBOOK_11_OTHER_SECONDS} s for loading, perplexity, "
                 f"generation, the judge) | {(epoch_11 + NOTEBOOK_11_OTHER_SECONDS) / 60:.1f} min |")
    lines += ["", f"Whole check: {time.perf_counter() - began:.0f} s."]
    text = "\n".join(lines)
    print(text)
    if os.environ.get("OUT"):
        Path(os.environ["OUT"], "lm_gpu_check.md").write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
