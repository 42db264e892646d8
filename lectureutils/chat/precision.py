"""One precision policy for notebook 12's model: the dtype it loads in and what the trainers compute in.

Taught in notebooks/12_from_gpt_to_chatgpt.ipynb (§3, where the model loads; §4 and §5 pass the same settings to
``SFTConfig`` and ``DPOConfig``). bf16 on GPUs of capability >= 8.0, else fp32: never fp16, which gives Qwen2
NaN losses (QwenLM/Qwen3 issues 670, 761, 826, 868). ``LECTUREUTILS_PRECISION`` overrides the choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Precision", "chat_precision"]

FP32_ARGUMENTS = {"bf16": False, "fp16": False}  # said explicitly: trl's configs default to bf16=True


@dataclass(frozen=True)
class Precision:
    """What to load the model in and what the trainers compute in (12, §3)."""

    name: str  # "bf16" or "fp32"
    reason: str
    arguments: dict = field(default_factory=lambda: dict(FP32_ARGUMENTS))  # for SFTConfig / DPOConfig

    @property
    def dtype(self):
        """The ``dtype`` to pass to ``from_pretrained``: ``torch.bfloat16`` or ``torch.float32``."""
        import torch

        return torch.bfloat16 if self.name == "bf16" else torch.float32


def chat_precision(device, capability: tuple[int, int] | None = None) -> Precision:
    """The precision notebook 12 loads and trains its model in on ``device`` (12, §3): see the module docstring."""
    from .. import env
    from ..training import mixed_precision

    kind = str(device).split(":")[0]
    wanted = env.precision()
    if kind != "cuda" or wanted != "auto":
        settings = mixed_precision(device)  # the environment decides: {} or bf16 (with use_cpu off a GPU)
        if settings.get("bf16"):
            return Precision("bf16", f"LECTUREUTILS_PRECISION=bf16: a GPU's bf16 path, here on the {kind}",
                             {**FP32_ARGUMENTS, **settings})
        reasons = {"fp32": "LECTUREUTILS_PRECISION=fp32",
                   "fp16": "LECTUREUTILS_PRECISION=fp16 asks for a T4's path, which for Qwen2 is fp32"}
        return Precision("fp32", reasons.get(wanted, f"a {kind} trains in fp32"))
    if capability is None:
        import torch

        capability = torch.cuda.get_device_capability(device)
    major, minor = capability
    if major >= 8:
        return Precision("bf16", f"this GPU (compute capability {major}.{minor}) computes in bf16 natively",
                         {"bf16": True, "fp16": False})
    return Precision("fp32", f"this GPU (compute capability {major}.{minor}) only emulates bf16, and fp16 training of "
                             "Qwen2 models is reported to give NaN losses")
