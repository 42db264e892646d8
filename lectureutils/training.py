"""Trainer plumbing shared by every task notebook and ``python -m lectureutils.finetune``.

Taught in notebooks/05_document_classification.ipynb (§5); heavy libraries are imported inside the functions.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from . import env
from .batching import length_grouped_sampler_class, padding_collator, padding_multiple

__all__ = [
    "LECTURE_MAX_LENGTH", "IGNORE_INDEX", "ARGUMENTS_FILE", "HyperParameters", "Limits", "RunSizes",
    "mixed_precision", "without_autocast", "precision_name", "world_size", "is_main_process", "main_process_output",
    "training_settings", "training_arguments", "length_grouped_trainer_class", "make_trainer", "save_checkpoint",
    "checkpoint_files",
]

LECTURE_MAX_LENGTH = 128
IGNORE_INDEX = -100  # labels the loss leaves out (PyTorch's cross-entropy default)
ARGUMENTS_FILE = "training_args.json"


@dataclass(frozen=True)
class HyperParameters:
    """Training settings; the defaults are the lecture's, ratsnlp ``ClassificationTrainArguments`` (05 Parameters).

    ``max_steps`` > 0 overrides ``epochs``; ``warmup_ratio`` is the share of warm-up steps.
    """

    learning_rate: float = 5e-5
    batch_size: int = 32
    epochs: float = 3
    max_length: int = LECTURE_MAX_LENGTH
    seed: int = field(default_factory=env.seed)
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
        """A copy with some values changed, e.g. ``hp.with_changes(max_steps=40)`` (05 Parameters)."""
        return replace(self, **changes)

    def as_dict(self) -> dict:
        """The settings as a plain dict, e.g. for ``training_args.json`` (05 §9)."""
        return asdict(self)


@dataclass(frozen=True)
class Limits:
    """What a run size reads (05 Parameters): the project's sample or the real data set, and at most ``train``
    training and ``test`` evaluation examples (a seeded random subset, ``lectureutils.corpus.take``; None: all)."""

    sample: bool
    train: int | None = None
    test: int | None = None


@dataclass(frozen=True)
class RunSizes:
    """A task notebook's run sizes: ``HYPER, LIMITS = settings.RUNS.for_run(RUN_SIZE, MODEL)`` (05 Parameters).

    A stand-in starts from random weights, so it trains with the ``standin`` changes and ``standin_steps`` steps.
    """

    sizes: dict  # run size -> (HyperParameters, limits), or one settings object (notebook 12's ChatRun)
    standin: dict
    standin_steps: int | None = None

    def for_run(self, run_size: str, model):
        """The settings of ``run_size`` for ``model`` (a name or a loaded model), changed for a stand-in."""
        from .models import announce, is_standin, resolve

        if run_size not in self.sizes:
            raise ValueError(f"RUN_SIZE = {run_size!r}: use one of {', '.join(map(repr, self.sizes))}.")
        entry = self.sizes[run_size]
        if not is_standin(model):
            return entry
        if isinstance(model, str):
            announce(resolve(model))  # says, once, that this model is an offline stand-in
        settings, limits = entry if isinstance(entry, tuple) else (entry, None)
        changes = dict(self.standin)
        if self.standin_steps and settings.max_steps <= 0:
            changes["max_steps"] = self.standin_steps
        print(f"[lectureutils] {model if isinstance(model, str) else 'the model'} starts from random weights here: "
              + ", ".join(f"{name}={value:g}" for name, value in changes.items()))
        settings = replace(settings, **changes)
        return settings if limits is None else (settings, limits)


def mixed_precision(device: str | None = None) -> dict:
    """The ``TrainingArguments`` settings for mixed precision: ``{"bf16": True}``, ``{"fp16": True}`` or ``{}`` (05 §5).

    Compute capability >= 8.0 gets bf16, older GPUs fp16 (they only emulate bf16), CPUs fp32;
    ``LECTUREUTILS_PRECISION`` overrides.
    """
    import torch

    wanted = env.precision()
    if wanted == "fp32":
        return {}
    if device is None:
        device = "cuda" if torch.cuda.is_available() else "cpu"
    on_gpu = str(device).startswith("cuda") and torch.cuda.is_available()
    if wanted == "bf16":
        return {"bf16": True} if on_gpu else {"bf16": True, "use_cpu": True}
    if wanted == "fp16":
        if not on_gpu:
            raise ValueError("LECTUREUTILS_PRECISION=fp16 needs an NVIDIA GPU; on a CPU use bf16 (CPU autocast).")
        return {"fp16": True}
    if not on_gpu:
        return {}
    major, _minor = torch.cuda.get_device_capability(device)
    return {"bf16": True} if major >= 8 else {"fp16": True}


def without_autocast(trainer):
    """``trainer.model`` computing in fp32 again, like the checkpoint it saves (05 §9, 09 §5, 11 §5).

    The ``Trainer`` leaves accelerate's autocast wrapper on ``model.forward`` after mixed-precision training.
    """
    return trainer.accelerator.unwrap_model(trainer.model, keep_fp32_wrapper=False)


def precision_name(arguments) -> str:
    """"bf16", "fp16" or "fp32": what ``TrainingArguments`` train in (05 §5)."""
    return "bf16" if getattr(arguments, "bf16", False) else "fp16" if getattr(arguments, "fp16", False) else "fp32"


def world_size() -> int:
    """Number of processes of this run, ``WORLD_SIZE`` set by torchrun, else 1 (05 §11)."""
    return int(os.environ.get("WORLD_SIZE", "1"))


def is_main_process() -> bool:
    """True in a single-process run, and in the process of rank 0 under torchrun (05 §11)."""
    return int(os.environ.get("RANK", "0")) == 0


@contextlib.contextmanager
def main_process_output():
    """Only rank 0 prints: inside this block the other processes' stdout goes nowhere (05 §11)."""
    if is_main_process():
        yield
        return
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        yield


def training_settings(output_dir, hyper: HyperParameters | None = None, *, group_by_length: bool = True,
                      evaluate_every: int | None = None, logging_steps: int | None = None, device: str | None = None,
                      **overrides) -> dict:
    """The keyword arguments for ``TrainingArguments``, the lecture's settings (05 §5, 06 §4); ``**overrides`` win.
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
        train_sampling_strategy="group_by_length" if group_by_length else "random",
        **mixed_precision(device),
    )
    if world_size() > 1 and not torch.cuda.is_available():
        # Without use_cpu, accelerate sets up no DDP on a machine without a GPU: each process would train its own
        # model. The processes talk over gloo.
        settings.update(use_cpu=True, ddp_backend="gloo")
    settings.update(overrides)
    return settings


def training_arguments(output_dir, hyper: HyperParameters | None = None, **options):
    """``TrainingArguments(**training_settings(output_dir, hyper, **options))`` (05 §5)."""
    from transformers import TrainingArguments

    return TrainingArguments(**training_settings(output_dir, hyper, **options))


def length_grouped_trainer_class():
    """``LengthGroupedTrainer``: a ``Trainer`` with tighter length-grouped batches and ordered evaluation (05 §5).

    Evaluation keeps the data set's order, so ``trainer.predict`` returns predictions unshuffled.
    """
    from torch.utils.data import SequentialSampler
    from transformers import Trainer
    from transformers.trainer_pt_utils import LengthGroupedSampler

    tight_sampler = length_grouped_sampler_class()

    class LengthGroupedTrainer(Trainer):
        def _get_train_sampler(self, train_dataset=None):
            sampler = super()._get_train_sampler(train_dataset)
            if type(sampler) is LengthGroupedSampler:
                return tight_sampler(sampler.batch_size, lengths=sampler.lengths, generator=sampler.generator)
            return sampler

        def _get_eval_sampler(self, eval_dataset):
            if eval_dataset is None or not hasattr(eval_dataset, "__len__"):
                return None
            return SequentialSampler(eval_dataset) if self.args.world_size <= 1 else None

    return LengthGroupedTrainer


def make_trainer(model, args, tokenizer, train_dataset=None, eval_dataset=None, compute_metrics=None, callbacks=None,
                 collator=None):
    """The ``Trainer`` of 05 §5 for every task and the task runner: ``LengthGroupedTrainer`` (06 §4, 09 §3, 10 §4).

    Non-generating models get ``accepts_loss_kwargs = False``: else torchrun scales BERT's loss by the world size.
    """
    if not model.can_generate():
        model.accepts_loss_kwargs = False
    collator = collator or padding_collator(tokenizer, pad_to_multiple_of=padding_multiple(args))
    return length_grouped_trainer_class()(
        model=model, args=args, train_dataset=train_dataset, eval_dataset=eval_dataset, processing_class=tokenizer,
        data_collator=collator, compute_metrics=compute_metrics, callbacks=callbacks,
    )


def save_checkpoint(trainer, directory, extra: dict | None = None) -> Path:
    """Save the trained model and tokenizer (safetensors) into ``directory``, with ``training_args.json`` (plus
    ``extra``) instead of the Trainer's pickled ``training_args.bin``; only rank 0 writes (05 §9)."""
    directory = Path(directory)
    trainer.save_model(str(directory))
    if trainer.is_world_process_zero():
        (directory / "training_args.bin").unlink(missing_ok=True)
        record = {"training_arguments": json.loads(trainer.args.to_json_string()), **(extra or {})}
        (directory / ARGUMENTS_FILE).write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
    trainer.accelerator.wait_for_everyone()
    return directory


def checkpoint_files(directory) -> list[str]:
    """Names of the files in a saved checkpoint folder (sorted), e.g. to check there is no pickle (05 §9)."""
    return sorted(path.name for path in Path(directory).iterdir() if path.is_file())
