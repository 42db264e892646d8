"""What each ``RUN_SIZE`` of notebooks/12_from_gpt_to_chatgpt.ipynb trains and evaluates (Parameters): one call,
``SIZES = for_run(RUN_SIZE, BASE_MODEL)``, which also gives an untrained offline model the learning rate it needs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

__all__ = ["ChatRun", "RUNS", "for_run"]

#: A random stand-in learns nothing in a few dozen steps at a real model's learning rates: it gets this one.
STANDIN_LEARNING_RATE = 1e-3


@dataclass(frozen=True)
class ChatRun:
    """The sizes of one run of notebook 12: SFT, DPO and the evaluation (12 Parameters, §4, §5, §6)."""

    sft_epochs: float
    sft_max_steps: int            # -1: run the epochs
    dpo_epochs: float
    dpo_max_steps: int
    margin_pairs: int | None      # training pairs whose margins we track (None: all)
    eval_prompts: int             # held-out prompts answered by every stage
    max_new_tokens: int
    sft_learning_rate: float = 2e-4   # common for LoRA on a small model
    dpo_learning_rate: float = 5e-5


#: "quick": 8 SFT and 6 DPO steps (CI; minutes on a CPU). "class": the whole project data (2 SFT epochs, 1 DPO
#: epoch: about 50 and 12 steps of 8), 16 held-out prompts. "full": the same training, 24 prompts, longer answers.
RUNS = {
    "quick": ChatRun(sft_epochs=1, sft_max_steps=8, dpo_epochs=1, dpo_max_steps=6, margin_pairs=16,
                     eval_prompts=8, max_new_tokens=24),
    "class": ChatRun(sft_epochs=2, sft_max_steps=-1, dpo_epochs=1, dpo_max_steps=-1, margin_pairs=None,
                     eval_prompts=16, max_new_tokens=48),
    "full": ChatRun(sft_epochs=2, sft_max_steps=-1, dpo_epochs=1, dpo_max_steps=-1, margin_pairs=None,
                    eval_prompts=24, max_new_tokens=64),
}


def for_run(run_size: str, model) -> ChatRun:
    """``SIZES = for_run(RUN_SIZE, BASE_MODEL)`` (12, Parameters): the sizes of ``run_size``; an offline stand-in
    (``is_standin(model)``: a name or a loaded object) trains both stages at ``STANDIN_LEARNING_RATE``."""
    from ..models import is_standin

    if run_size not in RUNS:
        raise ValueError(f"run size {run_size!r}: use one of {', '.join(map(repr, RUNS))}.")
    sizes = RUNS[run_size]
    if is_standin(model):
        sizes = replace(sizes, sft_learning_rate=STANDIN_LEARNING_RATE, dpo_learning_rate=STANDIN_LEARNING_RATE)
    return sizes
