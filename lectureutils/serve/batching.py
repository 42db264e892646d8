"""Cheaper forward passes for the web service's micro-batches: one tokenisation, and inputs grouped by length.

Plumbing behind the classifier service of notebooks/05_document_classification.ipynb (§11). A batch padded
to its longest input wastes most of its work when one input is long (NSMC reviews: median 9 tokens, a few
over 100; a batch of 18 random reviews padded together cost 12.7 ms, grouped by length 4.7 ms, on the tiny
stand-in). So the batch is sorted by length and cut into groups, each padded to its own longest, choosing the
cuts that minimise the total cost: per group a fixed cost (one forward pass: Python, dispatch, kernel
launches) plus its padded tokens. The fixed cost, in tokens, is measured once per model (``forward_cost``):
on a CPU the tiny stand-in's forward pass costs as much as ~100 tokens, kcbert-base's a few; on a GPU
thousands (one group). Padding never changes an answer (the attention mask hides it): grouped and
one-at-a-time probabilities agree to about 1e-7.
"""

from __future__ import annotations

import time
import weakref

__all__ = ["length_groups", "forward_cost", "padded_inputs", "positive_probabilities"]

_COSTS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # model -> fixed cost in tokens


def length_groups(lengths: list[int], fixed_tokens: float) -> list[list[int]]:
    """Indices of ``lengths`` in groups of similar length: each group is padded to its longest, and the cuts
    minimise ``sum(fixed_tokens + len(group) * longest)`` (contiguous runs of the sorted order are optimal
    for this cost; dynamic programming over them) (05 §11)."""
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    sizes = [lengths[index] for index in order]
    best, cut = [0.0] + [float("inf")] * len(order), [0] * (len(order) + 1)
    for end in range(1, len(order) + 1):
        longest = sizes[end - 1]
        for start in range(end - 1, -1, -1):
            padded = (end - start) * longest
            if padded >= best[end]:
                break  # a longer group only costs more
            cost = best[start] + fixed_tokens + padded
            if cost < best[end]:
                best[end], cut[end] = cost, start
    groups, end = [], len(order)
    while end:
        groups.append(order[cut[end]:end])
        end = cut[end]
    return groups[::-1]


def _timed(model, batch: int, tokens: int, device, repeats: int = 3) -> float:
    import torch

    ids = torch.full((batch, tokens), 100, dtype=torch.long, device=device)
    mask = torch.ones_like(ids)
    fastest = float("inf")
    with torch.inference_mode():
        for _ in range(repeats):
            began = time.perf_counter()
            model(input_ids=ids, attention_mask=mask)
            if device.type == "cuda":
                torch.cuda.synchronize(device)
            fastest = min(fastest, time.perf_counter() - began)
    return fastest


def forward_cost(model) -> float:
    """The fixed cost of one forward pass of ``model``, in padded tokens: timed once (a pass over 1 x 8 tokens
    and one over 4 x 32) and remembered for this model (05 §11)."""
    if model in _COSTS:
        return _COSTS[model]
    device = next(model.parameters()).device
    _timed(model, 1, 8, device, repeats=1)  # warm-up
    short, long = _timed(model, 1, 8, device), _timed(model, 4, 32, device)
    per_token = (long - short) / (4 * 32 - 8)
    fixed = 4096.0 if per_token <= 0 else min(4096.0, max(1.0, short / per_token - 8))
    _COSTS[model] = fixed
    return fixed


def padded_inputs(encoded: dict, rows: list[int], tokenizer, device) -> dict:
    """Tensors for ``rows`` of a tokenizer's unpadded output (lists of ids), padded to their longest as
    ``tokenizer.pad`` would (its pad id and side) (05 §11)."""
    import torch

    lengths = [len(encoded["input_ids"][row]) for row in rows]
    width, left = max(lengths), tokenizer.padding_side == "left"
    pads = {"input_ids": tokenizer.pad_token_id or 0, "token_type_ids": tokenizer.pad_token_type_id}
    tensors = {}
    for key, pad in pads.items():
        if key not in encoded:
            continue
        values = [encoded[key][row] for row in rows]
        if key == "token_type_ids" and pad == 0 and not any(map(any, values)):
            tensors[key] = torch.zeros((len(rows), width), dtype=torch.long)  # one sentence each: all zeros
            continue
        lines = [[pad] * (width - len(line)) + line if left else line + [pad] * (width - len(line)) for line in values]
        tensors[key] = torch.tensor(lines, dtype=torch.long)
    if "attention_mask" in encoded:
        positions, sizes = torch.arange(width), torch.tensor(lengths)[:, None]
        mask = positions >= width - sizes if left else positions < sizes
        tensors["attention_mask"] = mask.long()
    return {key: tensor.to(device) for key, tensor in tensors.items()}


def positive_probabilities(texts: list[str], model, tokenizer, max_length: int) -> tuple[list[float], list[bool]]:
    """(P(positive), read only in part) for each text: ``lectureutils.classification.positive_probabilities``
    with one tokenisation and one forward pass per length group (05 §11, §10)."""
    import torch

    from ..classification import POSITIVE

    encoded = tokenizer(list(texts), truncation=True, max_length=max_length + 1)  # one more: tells who is cut
    truncated = [len(ids) > max_length for ids in encoded["input_ids"]]
    if any(truncated):
        rows = [index for index, cut in enumerate(truncated) if cut]
        again = tokenizer([texts[index] for index in rows], truncation=True, max_length=max_length)
        for key in encoded:
            for position, index in enumerate(rows):
                encoded[key][index] = again[key][position]
    lengths = [len(ids) for ids in encoded["input_ids"]]
    groups = length_groups(lengths, forward_cost(model)) if len(texts) > 1 else [[0]]
    device = next(model.parameters()).device
    positives, training = [0.0] * len(texts), model.training
    if training:  # the service's models are in evaluation mode already; anyone else's model is put back
        model.eval()
    try:
        with torch.inference_mode():
            for rows in groups:
                logits = model(**padded_inputs(encoded, rows, tokenizer, device)).logits
                for row, positive in zip(rows, logits.float().softmax(dim=-1)[:, POSITIVE].tolist()):
                    positives[row] = positive
    finally:
        if training:
            model.train()
    return positives, truncated
