"""What each run size of notebooks/12_from_gpt_to_chatgpt.ipynb trains and evaluates (Parameters):
``SIZES = settings.RUNS.for_run(RUN_SIZE, BASE_MODEL)``."""

from __future__ import annotations

from dataclasses import dataclass

from ..training import RunSizes

__all__ = ["ChatRun", "RUNS"]


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


#: "quick": 8 SFT and 6 DPO steps (CI). "class": the whole project data (2 SFT epochs, 1 DPO epoch: about 50 and 12
#: steps of 8), 16 held-out prompts. "full": the same training, 24 prompts, longer answers. A stand-in learns at 1e-3.
RUNS = RunSizes(
    sizes={
        "quick": ChatRun(sft_epochs=1, sft_max_steps=8, dpo_epochs=1, dpo_max_steps=6, margin_pairs=16,
                         eval_prompts=8, max_new_tokens=24),
        "class": ChatRun(sft_epochs=2, sft_max_steps=-1, dpo_epochs=1, dpo_max_steps=-1, margin_pairs=None,
                         eval_prompts=16, max_new_tokens=48),
        "full": ChatRun(sft_epochs=2, sft_max_steps=-1, dpo_epochs=1, dpo_max_steps=-1, margin_pairs=None,
                        eval_prompts=24, max_new_tokens=64),
    },
    standin={"sft_learning_rate": 1e-3, "dpo_learning_rate": 1e-3},
)
