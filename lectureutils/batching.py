"""Batches with little padding: dynamic padding, length-grouped batches, and the arithmetic of padding.

Taught in notebooks/05_document_classification.ipynb, §2 and §5; heavy libraries are imported inside the functions.
"""

from __future__ import annotations

__all__ = ["padding_collator", "padding_multiple", "length_grouped_indices", "length_grouped_sampler_class",
           "make_batches", "padding_waste"]

STRATEGIES = ("sequential", "random", "group_by_length", "transformers_group_by_length")


def padding_collator(tokenizer, pad_to_multiple_of: int | None = None):
    """Dynamic padding: a ``DataCollatorWithPadding`` that pads each batch to its longest member (05 §3).

    ``pad_to_multiple_of=8`` helps tensor cores on a GPU; on a CPU it only adds padding.
    """
    from transformers import DataCollatorWithPadding

    return DataCollatorWithPadding(tokenizer=tokenizer, pad_to_multiple_of=pad_to_multiple_of)


def padding_multiple(arguments) -> int | None:
    """8 when ``TrainingArguments`` train in bf16/fp16 (tensor cores like multiples of 8), else None (05 §5)."""
    return 8 if (arguments.fp16 or arguments.bf16) else None


def length_grouped_indices(lengths, batch_size: int, generator=None, mega_batch_mult: int = 50) -> list[int]:
    """An order of the examples in which each run of ``batch_size`` holds reviews of similar length (05 §5).

    transformers' ``LengthGroupedSampler`` recipe with fixed-size mega-batches (less padding on small data); the
    batch with the longest review goes first, so an out-of-memory error shows at once.
    """
    import torch

    lengths = [int(length) for length in lengths]
    if not lengths:
        return []
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}.")
    permutation = torch.randperm(len(lengths), generator=generator).tolist()
    mega_size = max(1, mega_batch_mult) * batch_size
    batches = []
    for start in range(0, len(permutation), mega_size):
        mega_batch = sorted(permutation[start:start + mega_size], key=lambda index: lengths[index])
        batches.extend(mega_batch[first:first + batch_size] for first in range(0, len(mega_batch), batch_size))
    partial = [batches.pop()] if len(batches[-1]) < batch_size else []
    if batches:
        longest = max(range(len(batches)), key=lambda number: max(lengths[index] for index in batches[number]))
        first = batches.pop(longest)
        batches = [first] + [batches[number] for number in torch.randperm(len(batches), generator=generator).tolist()]
    return [index for batch in batches + partial for index in batch]


def length_grouped_sampler_class():
    """``LengthGroupedSampler`` with ``length_grouped_indices`` as its order, built on first use (05 §5)."""
    from transformers.trainer_pt_utils import LengthGroupedSampler

    class TightLengthGroupedSampler(LengthGroupedSampler):
        """Length-grouped batches with little padding (see ``length_grouped_indices``)."""

        def __iter__(self):
            return iter(length_grouped_indices(self.lengths, self.batch_size, generator=self.generator))

    return TightLengthGroupedSampler


def make_batches(lengths, batch_size: int, strategy: str = "random", seed: int | None = None) -> list[list[int]]:
    """Split example indices into batches the way the Trainer's sampler would (05 §2; benchmarks/padding.py).

    ``strategy``: "sequential", "random", "group_by_length" or "transformers_group_by_length".
    """
    import torch

    from . import env

    lengths = [int(length) for length in lengths]
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}.")
    generator = torch.Generator().manual_seed(env.seed() if seed is None else seed)
    if strategy == "sequential":
        order = list(range(len(lengths)))
    elif strategy == "random":
        order = torch.randperm(len(lengths), generator=generator).tolist()
    elif strategy == "group_by_length":
        order = length_grouped_indices(lengths, batch_size, generator=generator)
    elif strategy == "transformers_group_by_length":
        from transformers.trainer_pt_utils import get_length_grouped_indices

        order = [int(index) for index in get_length_grouped_indices(lengths, batch_size, generator=generator)]
    else:
        raise ValueError(f"Unknown strategy {strategy!r}: use one of {', '.join(STRATEGIES)}.")
    return [order[start:start + batch_size] for start in range(0, len(order), batch_size)]


def padding_waste(lengths, batches, pad_to: int | None = None) -> dict:
    """How many of the tokens a model sees are padding, for given batches (05 §2; benchmarks/padding.py).

    Pads to ``pad_to``, or (None) to each batch's longest; ``waste`` is the share of padding, 0 to 1.
    """
    real = 0
    padded = 0
    for batch in batches:
        batch_lengths = [int(lengths[index]) for index in batch]
        if not batch_lengths:
            continue
        width = pad_to if pad_to is not None else max(batch_lengths)
        if width < max(batch_lengths):
            raise ValueError(f"pad_to={pad_to} is shorter than an example of length {max(batch_lengths)}.")
        real += sum(batch_lengths)
        padded += width * len(batch_lengths)
    waste = 1.0 - real / padded if padded else 0.0
    return {"real_tokens": real, "padded_tokens": padded, "waste": waste}

