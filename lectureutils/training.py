"""Fine-tuning plumbing shared by the notebooks and the command line: the Hugging Face ``Trainer``.

Taught in notebooks/05_document_classification.ipynb ("Fine-tuning with the Trainer") and reused by
notebooks/06_question_answering.ipynb and ``python -m lectureutils.finetune``.

What it sets up, and why:

- **The lecture's hyper-parameters** (``HyperParameters``): learning rate 5e-5, batch 32, 3 epochs,
  max length 128, seed 7.
- **Dynamic padding** (``padding_collator``): each batch is padded to its own longest review instead
  of always to 128 tokens (the lecture's ``padding="max_length"``), so short reviews cost less.
- **Length-grouped batches** (``train_sampling_strategy="group_by_length"``, ordered by
  ``length_grouped_indices``): reviews of similar length go into the same batch, so there is little
  padding left at all.
- **Mixed precision on a GPU only** (``mixed_precision``): bf16 where the GPU supports it, else fp16;
  full fp32 on a CPU or Apple GPU.
- **Safe checkpoints** (``save_checkpoint``): ``save_pretrained`` writes safetensors; the pickled
  ``training_args.bin`` the Trainer adds is replaced by a JSON file, so reloading never unpickles.
- **Several processes** (``torchrun --nproc_per_node N``): the Trainer handles DDP; on a CPU the
  ``gloo`` backend is used; only the main process saves and prints (``is_main_process``).

Nothing here runs at import time; heavy libraries are imported inside the functions.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path

LECTURE_LEARNING_RATE = 5e-5
LECTURE_BATCH_SIZE = 32
LECTURE_EPOCHS = 3
LECTURE_MAX_LENGTH = 128
LECTURE_SEED = 7
ARGUMENTS_FILE = "training_args.json"
PICKLED_ARGUMENTS_FILE = "training_args.bin"  # what Trainer.save_model writes with torch.save


@dataclass(frozen=True)
class HyperParameters:
    """Training settings; the defaults are the lecture's (ratsnlp ``ClassificationTrainArguments``).

    ``max_steps`` > 0 overrides ``epochs`` (a short run); ``warmup_ratio`` is the share of the steps
    during which the learning rate rises from 0 (0 = no warm-up, as in the lecture).
    """

    learning_rate: float = LECTURE_LEARNING_RATE
    batch_size: int = LECTURE_BATCH_SIZE
    epochs: float = LECTURE_EPOCHS
    max_length: int = LECTURE_MAX_LENGTH
    seed: int = LECTURE_SEED
    max_steps: int = -1
    warmup_ratio: float = 0.0
    weight_decay: float = 0.0

    def __post_init__(self):
        if not self.learning_rate > 0:
            raise ValueError(f"learning_rate must be positive, not {self.learning_rate}.")
        if self.batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {self.batch_size}.")
        if self.max_length < 8:
            raise ValueError(f"max_length must be at least 8 tokens, not {self.max_length}.")
        if self.max_steps <= 0 and not self.epochs > 0:
            raise ValueError("Give a positive number of epochs or of max_steps.")
        if not 0.0 <= self.warmup_ratio < 1.0:
            raise ValueError(f"warmup_ratio must be in [0, 1), not {self.warmup_ratio}.")

    def with_changes(self, **changes) -> "HyperParameters":
        """A copy with some values changed, e.g. ``hp.with_changes(max_steps=40)``."""
        return replace(self, **changes)

    def as_dict(self) -> dict:
        return asdict(self)


def mixed_precision(device: str | None = None) -> dict:
    """``{"bf16": True}`` or ``{"fp16": True}`` on an NVIDIA GPU, ``{}`` elsewhere.

    bf16 where the GPU supports it (A100, H100, L4), fp16 on older GPUs such as Colab's T4; CPUs and
    Apple GPUs train in fp32. ``device`` defaults to "cuda" when one is available.
    """
    import torch

    if device is None:
        device = "cuda" if torch.cuda.is_available() else "cpu"
    if not str(device).startswith("cuda") or not torch.cuda.is_available():
        return {}
    if torch.cuda.is_bf16_supported():
        return {"bf16": True}
    return {"fp16": True}


def world_size() -> int:
    """Number of processes of this run (``WORLD_SIZE`` set by torchrun, else 1)."""
    return int(os.environ.get("WORLD_SIZE", "1"))


def is_main_process() -> bool:
    """True in a single-process run, and in the process of rank 0 under torchrun."""
    return int(os.environ.get("RANK", "0")) == 0


def training_settings(
    output_dir,
    hyper: HyperParameters | None = None,
    *,
    group_by_length: bool = True,
    evaluate_every: int | None = None,
    logging_steps: int | None = None,
    device: str | None = None,
    **overrides,
) -> dict:
    """The keyword arguments for ``TrainingArguments``: the lecture's settings with dynamic padding's
    companions switched on (``training_arguments`` builds the object from them).

    - ``group_by_length``: length-grouped batches (``train_sampling_strategy="group_by_length"``, or
      ``group_by_length=True`` in transformers 5.0; ``make_trainer`` makes them tighter, see
      ``length_grouped_indices``).
    - ``evaluate_every``: evaluate every N steps (for curves); by default the caller evaluates.
    - ``logging_steps``: how often the training loss is recorded (default: about 20 points per run).
    - mixed precision on a GPU only (``mixed_precision``); no intermediate checkpoints (the caller
      saves the final model with ``save_checkpoint``); no reporting to experiment trackers.
    - under torchrun on CPUs: DDP over gloo.

    Anything else is passed to ``TrainingArguments`` and wins (``**overrides``).
    """
    import torch

    hyper = hyper or HyperParameters()
    if logging_steps is None:
        # about 20 points on the loss curve; a float below 1 is a share of the run's total steps
        logging_steps = max(1, hyper.max_steps // 20) if hyper.max_steps > 0 else 0.05
    settings = dict(
        output_dir=str(output_dir),
        learning_rate=hyper.learning_rate,
        per_device_train_batch_size=hyper.batch_size,
        per_device_eval_batch_size=hyper.batch_size * 2,
        num_train_epochs=hyper.epochs,
        max_steps=hyper.max_steps,
        warmup_steps=hyper.warmup_ratio,  # a float < 1 is a ratio of the total steps
        weight_decay=hyper.weight_decay,
        seed=hyper.seed,
        data_seed=hyper.seed,
        logging_strategy="steps",
        logging_steps=logging_steps,
        eval_strategy="steps" if evaluate_every else "no",
        eval_steps=evaluate_every,
        save_strategy="no",
        report_to="none",
        disable_tqdm=not is_main_process(),
        dataloader_num_workers=0,
        dataloader_pin_memory=torch.cuda.is_available(),
        **mixed_precision(device),
    )
    settings.update(sampling_settings(group_by_length))
    if world_size() > 1 and not torch.cuda.is_available():
        # Several CPU processes (torchrun): without use_cpu, accelerate does not set up DDP at all on a
        # machine without a GPU, and each process would train its own model. They talk over gloo.
        settings["use_cpu"] = True
        settings["ddp_backend"] = "gloo"
    settings.update(overrides)
    return settings


def sampling_settings(group_by_length: bool) -> dict:
    """How to ask ``TrainingArguments`` for length-grouped (or random) training batches.

    Current transformers have ``train_sampling_strategy="group_by_length"``; transformers 5.0 has the
    boolean ``group_by_length`` instead.
    """
    import dataclasses

    from transformers import TrainingArguments

    names = {field.name for field in dataclasses.fields(TrainingArguments)}
    if "train_sampling_strategy" in names:
        return {"train_sampling_strategy": "group_by_length" if group_by_length else "random"}
    return {"group_by_length": group_by_length}


def groups_by_length(args) -> bool:
    """True when ``TrainingArguments`` ask for length-grouped training batches (any transformers 5)."""
    return getattr(args, "train_sampling_strategy", None) == "group_by_length" or bool(getattr(args, "group_by_length", False))


def training_arguments(output_dir, hyper: HyperParameters | None = None, **options):
    """``TrainingArguments`` built from ``training_settings(output_dir, hyper, **options)`` (see there).

    Taught in notebooks/05_document_classification.ipynb ("Fine-tuning with the Trainer").
    """
    from transformers import TrainingArguments

    return TrainingArguments(**training_settings(output_dir, hyper, **options))


def padding_collator(tokenizer, pad_to_multiple_of: int | None = None):
    """Dynamic padding: a ``DataCollatorWithPadding`` that pads each batch to its longest member.

    ``pad_to_multiple_of=8`` helps tensor cores on a GPU; on a CPU it only adds padding.
    """
    from transformers import DataCollatorWithPadding

    return DataCollatorWithPadding(tokenizer=tokenizer, pad_to_multiple_of=pad_to_multiple_of)


def length_grouped_indices(lengths, batch_size: int, generator=None, mega_batch_mult: int = 50) -> list[int]:
    """An order of the examples in which each run of ``batch_size`` holds reviews of similar length.

    The recipe of transformers' ``LengthGroupedSampler`` (shuffle, cut into mega-batches of
    ``mega_batch_mult`` batches, sort each mega-batch by length, cut it into batches), changed to waste
    less padding on data sets of a few thousand reviews: the mega-batch is always ``mega_batch_mult``
    batches (transformers shrinks it to a quarter of the data, so that on 1,000 reviews each batch
    spans a wide range of lengths); mega-batches are cut from the short end, so that the one partial
    batch holds the longest reviews of the last mega-batch; and the batches are then shuffled, so that
    training does not see the reviews from longest to shortest. The batch with the longest review goes
    first (an out-of-memory error shows at once) and the partial batch last (every other batch is full).
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
    """``LengthGroupedSampler`` with ``length_grouped_indices`` as its order (built on first use)."""
    from transformers.trainer_pt_utils import LengthGroupedSampler

    class TightLengthGroupedSampler(LengthGroupedSampler):
        """Length-grouped batches with little padding (see ``length_grouped_indices``)."""

        def __iter__(self):
            return iter(length_grouped_indices(self.lengths, self.batch_size, generator=self.generator))

    return TightLengthGroupedSampler


def make_trainer(model, args, tokenizer, train_dataset=None, eval_dataset=None, compute_metrics=None, callbacks=None):
    """A ``Trainer`` with dynamic padding (``padding_collator``) and the tokenizer saved alongside.

    With ``train_sampling_strategy="group_by_length"`` the training batches come from
    ``length_grouped_indices`` (less padding than transformers' default grouping on small data), and
    evaluation keeps the data set's order (transformers would group it by length as well, so that
    ``trainer.predict`` returned the predictions shuffled).

    The model is marked as computing a plain mean loss (``accepts_loss_kwargs = False``): BERT's
    classification and question-answering heads ignore the token count the Trainer passes, and
    without the mark the Trainer multiplies their loss by the number of processes under torchrun,
    which doubles the gradients (and the logged loss) with two processes.
    """
    from torch.utils.data import SequentialSampler
    from transformers import Trainer
    from transformers.trainer_pt_utils import LengthGroupedSampler

    sampler_class = length_grouped_sampler_class()

    class LectureTrainer(Trainer):
        def _get_train_sampler(self, train_dataset=None):
            sampler = super()._get_train_sampler(train_dataset)
            if type(sampler) is LengthGroupedSampler:
                return sampler_class(sampler.batch_size, lengths=sampler.lengths, generator=sampler.generator)
            return sampler

        def _get_eval_sampler(self, eval_dataset):
            # transformers groups evaluation batches by length too when training does, so that
            # trainer.predict() returns the predictions in a shuffled order. Keep the data set's order.
            if eval_dataset is None or not hasattr(eval_dataset, "__len__"):
                return None
            return SequentialSampler(eval_dataset) if self.args.world_size <= 1 else None

    model.accepts_loss_kwargs = False
    multiple = 8 if (args.fp16 or args.bf16) else None
    return LectureTrainer(
        model=model,
        args=args,
        train_dataset=train_dataset,
        eval_dataset=eval_dataset,
        processing_class=tokenizer,
        data_collator=padding_collator(tokenizer, pad_to_multiple_of=multiple),
        compute_metrics=compute_metrics,
        callbacks=callbacks,
    )


def save_checkpoint(trainer, directory, extra: dict | None = None) -> Path:
    """Save the trained model and tokenizer with ``save_pretrained`` (safetensors) into ``directory``.

    Only the main process writes (under torchrun every process calls this; the others wait). The
    Trainer's pickled ``training_args.bin`` is replaced by ``training_args.json`` (plus ``extra``,
    e.g. the final metrics), so that nothing in the folder needs ``torch.load`` to read.
    """
    directory = Path(directory)
    trainer.save_model(str(directory))
    if trainer.is_world_process_zero():
        pickled = directory / PICKLED_ARGUMENTS_FILE
        if pickled.exists():
            pickled.unlink()
        record = {"training_arguments": json.loads(trainer.args.to_json_string())}
        if extra:
            record.update(extra)
        (directory / ARGUMENTS_FILE).write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
    trainer.accelerator.wait_for_everyone()
    return directory


def checkpoint_files(directory) -> list[str]:
    """Names of the files in a saved checkpoint folder (sorted), e.g. to check there is no pickle."""
    return sorted(path.name for path in Path(directory).iterdir() if path.is_file())


def log_history(trainer_or_history):
    """The Trainer's log as two DataFrames: training loss per step, and evaluation metrics per step.

    Accepts a ``Trainer`` or its ``state.log_history`` list. Columns: ``step``, ``epoch``, ``loss``
    (train); ``step``, ``epoch``, ``eval_loss``, ``eval_accuracy``, ... (eval).
    """
    import pandas as pd

    history = getattr(getattr(trainer_or_history, "state", None), "log_history", trainer_or_history)
    train_rows = [row for row in history if "loss" in row and "eval_loss" not in row]
    eval_rows = [row for row in history if "eval_loss" in row]
    train = pd.DataFrame(train_rows, columns=["step", "epoch", "loss", "learning_rate", "grad_norm"])
    evaluation = pd.DataFrame(eval_rows)
    if evaluation.empty:
        evaluation = pd.DataFrame(columns=["step", "epoch", "eval_loss"])
    return train.reset_index(drop=True), evaluation.reset_index(drop=True)


def plot_training_curves(trainer_or_history, metric: str = "eval_accuracy", reference: float | None = None,
                         reference_label: str = "baseline", title: str = ""):
    """Training and validation loss per step (left) and a validation metric (right).

    ``reference`` draws a horizontal line on the metric panel (e.g. a TF-IDF baseline's accuracy).
    Returns the figure.
    """
    import matplotlib.pyplot as plt

    train, evaluation = log_history(trainer_or_history)
    fig, (loss_ax, metric_ax) = plt.subplots(1, 2, figsize=(12, 4))
    loss_ax.plot(train["step"], train["loss"], label="training loss", color="tab:blue")
    if not evaluation.empty:
        loss_ax.plot(evaluation["step"], evaluation["eval_loss"], "o-", label="validation loss", color="tab:orange")
    loss_ax.set_xlabel("step")
    loss_ax.set_ylabel("cross-entropy loss")
    loss_ax.legend()
    loss_ax.set_title("loss")
    if not evaluation.empty and metric in evaluation:
        metric_ax.plot(evaluation["step"], evaluation[metric], "o-", color="tab:green", label=f"validation {metric.removeprefix('eval_')}")
    if reference is not None:
        metric_ax.axhline(reference, color="grey", linestyle="--", label=reference_label)
    metric_ax.set_xlabel("step")
    metric_ax.set_ylabel(metric.removeprefix("eval_"))
    metric_ax.set_ylim(0.0, 1.02)
    metric_ax.legend(loc="lower right")
    metric_ax.set_title(f"validation {metric.removeprefix('eval_')}")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


# --- padding arithmetic (notebook 05 "Dynamic padding"; benchmarks/padding.py) ----------------------


def make_batches(lengths, batch_size: int, strategy: str = "random", seed: int = LECTURE_SEED) -> list[list[int]]:
    """Split example indices into batches the way the Trainer's sampler would.

    ``strategy``: "sequential" (in order), "random" (a random permutation: the Trainer's default) or
    "group_by_length" (``length_grouped_indices``, as ``make_trainer``'s Trainer does).
    """
    import torch

    lengths = [int(length) for length in lengths]
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}.")
    generator = torch.Generator().manual_seed(seed)
    if strategy == "sequential":
        order = list(range(len(lengths)))
    elif strategy == "random":
        order = torch.randperm(len(lengths), generator=generator).tolist()
    elif strategy == "group_by_length":
        order = length_grouped_indices(lengths, batch_size, generator=generator)
    else:
        raise ValueError(f"Unknown strategy {strategy!r}: use 'sequential', 'random' or 'group_by_length'.")
    return [order[start:start + batch_size] for start in range(0, len(order), batch_size)]


def padding_waste(lengths, batches, pad_to: int | None = None) -> dict:
    """How many of the tokens a model sees are padding, for given batches.

    Each batch is padded to ``pad_to`` (fixed padding, the lecture's 128) or, when ``pad_to`` is None,
    to its own longest member (dynamic padding). Returns ``real_tokens``, ``padded_tokens`` (real +
    padding) and ``waste`` (share of padding, 0 to 1).
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
