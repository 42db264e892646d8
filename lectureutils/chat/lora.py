"""Counting what LoRA trains: r·(d_in + d_out) per adapted matrix, against full fine-tuning.

Taught in notebooks/12_from_gpt_to_chatgpt.ipynb (§4 "Supervised fine-tuning with LoRA"); notebook 12 also
trains the end-of-turn token's embedding row (hidden_size numbers).
"""

from __future__ import annotations

__all__ = ["adapted_matrices", "expected_lora_parameters", "trainable_parameters", "total_parameters", "expose_head_bias"]


def matrix_shape(layer) -> tuple[int, int]:
    """(d_in, d_out) of a linear layer: ``nn.Linear`` or GPT-2's transposed ``Conv1D``."""
    if hasattr(layer, "in_features"):
        return layer.in_features, layer.out_features
    if hasattr(layer, "nf"):  # transformers' Conv1D stores W as (d_in, d_out)
        d_in, d_out = layer.weight.shape
        return int(d_in), int(d_out)
    raise TypeError(f"Not a linear layer: {type(layer).__name__}.")


def adapted_matrices(peft_model) -> list[tuple[str, int, int, int]]:
    """(name, d_in, d_out, r) of every matrix a peft LoRA model adapts (12, §4)."""
    found = []
    for name, module in peft_model.named_modules():
        if hasattr(module, "lora_A") and hasattr(module, "base_layer") and len(module.lora_A):
            d_in, d_out = matrix_shape(module.base_layer)
            for adapter in module.lora_A:
                found.append((name, d_in, d_out, int(module.r[adapter])))
    if not found:
        raise ValueError("No LoRA-adapted matrices found: is this a peft model with a LoRA adapter?")
    return found


def expected_lora_parameters(peft_model) -> int:
    """Σ r·(d_in + d_out) over the adapted matrices: what LoRA should train (12, §4)."""
    return sum(r * (d_in + d_out) for _, d_in, d_out, r in adapted_matrices(peft_model))


def trainable_parameters(model) -> int:
    """Number of parameters with ``requires_grad`` (12, §4)."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def total_parameters(model) -> int:
    """Number of parameters, trainable or not: what full fine-tuning would train (12, §4)."""
    return sum(p.numel() for p in model.parameters())


def expose_head_bias(peft_model) -> None:
    """Let trl read ``bias`` from an output head that peft wraps to train token rows (12, §4).

    peft 0.21's ``TrainableTokensWrapper`` on a tied head exposes no ``bias``, and trl 1.16's fused loss reads it.
    """
    head = peft_model.get_output_embeddings()
    try:
        head.bias
    except AttributeError:
        head.bias = getattr(getattr(head, "original_module", None), "bias", None)
