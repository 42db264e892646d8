"""Trainer plumbing shared by every task's notebook and ``python -m lectureutils.finetune``.

Taught in notebooks/05_document_classification.ipynb (§5, where ``TrainingArguments`` and the ``Trainer`` are
written out) and reused by 06 and every later task: the lecture's hyper-parameters, ``TrainingArguments`` with
dynamic padding's companions, mixed precision on a GPU only (bf16 from compute capability 8.0, fp16 on a T4),
``LengthGroupedTrainer``, safetensors checkpoints without the Trainer's pickle, and torchrun with rank 0 alone
printing. Batching lives in ``lectureutils.batching``, curves in ``lectureutils.curves`` (importable from here
too). Nothing runs at import time; heavy libraries are imported inside the functions.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from . import env

# Re-exported: 05, the task runner and the benchmarks import these from here.
from .batching import length_grouped_indices, length_grouped_sampler_class, make_batches  # noqa: F401
from .batching import padding_collator, padding_multiple, padding_waste, trainer_lengths  # noqa: F401
from .corpus import take  # noqa: F401
from .curves import evaluation_interval, log_history, plot_training_curves, training_steps  # noqa: F401

__all__ = [
    "LECTURE_LEARNING_RATE", "LECTURE_BATCH_SIZE", "LECTURE_EPOCHS", "LECTURE_MAX_LENGTH",
    "ARGUMENTS_FILE", "HyperParameters", "mixed_precision", "without_autocast", "precision_name", "world_size", "is_main_process",
    "main_process_output", "take", "training_settings",
    "training_arguments", "length_grouped_trainer_class", "make_trainer", "save_checkpoint",
    "checkpoint_files",
]

LECTURE_LEARNING_RATE = 5e-5
LECTURE_BATCH_SIZE = 32
LECTURE_EPOCHS = 3
LECTURE_MAX_LENGTH = 128
ARGUMENTS_FILE = "training_args.json"
PICKLED_ARGUMENTS_FILE = "training_args.bin"  # what Trainer.save_model writes with torch.save


@dataclass(frozen=True)
class HyperParameters:
    """Training settings; the defaults are the lecture's, ratsnlp ``ClassificationTrainArguments`` (05 Parameters).

    Every task's ``settings.HYPER_PARAMETERS`` is one of these (``python -m lectureutils.finetune``'s defaults);
    the seed is the session's, ``lectureutils.env.seed()`` (7, the lecture's, unless ``LECTUREUTILS_SEED`` says).

    ``max_steps`` > 0 overrides ``epochs`` (a short run); ``warmup_ratio`` is the share of the steps
    during which the learning rate rises from 0 (0 = no warm-up, as in the lecture).
    """

    learning_rate: float = LECTURE_LEARNING_RATE
    batch_size: int = LECTURE_BATCH_SIZE
    epochs: float = LECTURE_EPOCHS
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


def mixed_precision(device: str | None = None) -> dict:
    """The ``TrainingArguments`` settings for mixed precision: ``{"bf16": True}``, ``{"fp16": True}`` or ``{}`` (05 §5).

    On an NVIDIA GPU: bf16 from compute capability 8.0 (A100, L4, H100), which compute in it; older GPUs such as
    Colab's T4 (7.5) get fp16 (``torch.cuda.is_bf16_supported()`` is true there too, but only through slow
    emulation). CPUs and Apple GPUs train in fp32, unless ``LECTUREUTILS_PRECISION=bf16`` asks for the GPU's
    path on them: bf16 autocast on the CPU (``use_cpu`` too, which transformers requires for bf16 without a
    GPU). ``fp16`` forces a T4's path on any NVIDIA GPU (benchmarks/gpu_check.sh); ``fp32`` turns mixed precision
    off everywhere. ``device`` defaults to "cuda"
    when one is available.
    """
    import torch

    from . import env

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

    Mixed-precision training (a GPU, or ``LECTUREUTILS_PRECISION=bf16``) makes accelerate replace
    ``model.forward`` in place with an autocast wrapper, and the ``Trainer`` leaves it there after
    ``train()``: the model in memory then computes in bf16/fp16 while the saved weights reload in fp32, and
    their outputs differ by about 1e-2. accelerate's ``unwrap_model(..., keep_fp32_wrapper=False)`` puts the
    original ``forward`` back (on the same object); without mixed precision it changes nothing.
    """
    return trainer.accelerator.unwrap_model(trainer.model, keep_fp32_wrapper=False)


def precision_name(arguments) -> str:
    """"bf16", "fp16" or "fp32": what ``TrainingArguments`` train in (05 §5; the task runner's first line)."""
    return "bf16" if getattr(arguments, "bf16", False) else "fp16" if getattr(arguments, "fp16", False) else "fp32"


def world_size() -> int:
    """Number of processes of this run, ``WORLD_SIZE`` set by torchrun, else 1 (05 §11)."""
    return int(os.environ.get("WORLD_SIZE", "1"))


def is_main_process() -> bool:
    """True in a single-process run, and in the process of rank 0 under torchrun (05 §11)."""
    return int(os.environ.get("RANK", "0")) == 0


@contextlib.contextmanager
def main_process_output():
    """Only rank 0 prints: inside this block the other processes' stdout goes nowhere (05 §11).

    ``python -m lectureutils.finetune`` runs every task inside it, so a task's messages and its summary
    line appear once under torchrun, not once per process.
    """
    if is_main_process():
        yield
        return
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        yield


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
    companions switched on; ``training_arguments`` builds the object from them (05 §5, 06 §4, the task runner).

    ``group_by_length``: length-grouped batches (``make_trainer`` makes them tighter); ``evaluate_every``:
    evaluate every N steps (default: the caller evaluates); ``logging_steps``: default about 20 points per
    run. Mixed precision on a GPU only, no intermediate checkpoints (``save_checkpoint`` saves the final
    model), no experiment trackers, DDP over gloo under torchrun on CPUs. ``**overrides`` win.
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
    settings["train_sampling_strategy"] = "group_by_length" if group_by_length else "random"
    if world_size() > 1 and not torch.cuda.is_available():
        # Several CPU processes (torchrun): without use_cpu, accelerate does not set up DDP at all on a
        # machine without a GPU, and each process would train its own model. They talk over gloo.
        settings["use_cpu"] = True
        settings["ddp_backend"] = "gloo"
    settings.update(overrides)
    return settings


def training_arguments(output_dir, hyper: HyperParameters | None = None, **options):
    """``TrainingArguments`` built from ``training_settings(output_dir, hyper, **options)`` (05 §5; see there)."""
    from transformers import TrainingArguments

    return TrainingArguments(**training_settings(output_dir, hyper, **options))


def length_grouped_trainer_class():
    """``LengthGroupedTrainer``: a ``Trainer`` with tighter length-grouped batches and ordered evaluation (05 §5).

    Notebook 05 writes this class out and explains it; it checks that this copy makes the same batches.
    Two changes to the stock ``Trainer`` of transformers 5.2+ with ``train_sampling_strategy="group_by_length"``:

    - training batches come from ``lectureutils.batching.length_grouped_indices``: transformers shrinks its
      mega-batches to a quarter of the data set, so on a few thousand reviews each batch spans a wide range
      of lengths (on all 150,000 NSMC reviews both recipes make equally tight batches);
    - evaluation keeps the data set's order: transformers groups evaluation batches by length too, so that
      ``trainer.predict`` returned the predictions in a shuffled order, no longer aligned with the rows.
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

    ``collator``: dynamic padding (``padding_collator``) by default; NER passes ``DataCollatorForTokenClassification``.
    A model that does not generate is marked as computing a plain mean loss (``accepts_loss_kwargs = False``): BERT's
    heads ignore the token count the Trainer passes, which then multiplies their loss by the processes under torchrun.
    """
    if not model.can_generate():
        model.accepts_loss_kwargs = False
    collator = collator or padding_collator(tokenizer, pad_to_multiple_of=padding_multiple(args))
    return length_grouped_trainer_class()(
        model=model,
        args=args,
        train_dataset=train_dataset,
        eval_dataset=eval_dataset,
        processing_class=tokenizer,
        data_collator=collator,
        compute_metrics=compute_metrics,
        callbacks=callbacks,
    )


def save_checkpoint(trainer, directory, extra: dict | None = None) -> Path:
    """Save the trained model and tokenizer with ``save_pretrained`` (safetensors) into ``directory`` (05 §9).

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
    """Names of the files in a saved checkpoint folder (sorted), e.g. to check there is no pickle (05 §9)."""
    return sorted(path.name for path in Path(directory).iterdir() if path.is_file())
