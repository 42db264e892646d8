"""Fine-tuning from the command line: ``python -m lectureutils.finetune <task>``, the notebooks' code outside Jupyter.

Taught in notebooks/05_document_classification.ipynb (§11) and used the same way by every task notebook.

    python -m lectureutils.finetune classification --output checkpoints/nsmc
    python -m lectureutils.finetune qa --output /tmp/qa --max-steps 40 --train-limit 500
    torchrun --nproc_per_node 2 -m lectureutils.finetune classification --output checkpoints/nsmc

One runner for every task of ``lectureutils.tasks.TASKS``; a task adds a :class:`TaskSpec`. Rank 0 prints and saves.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .i18n import _
from .tasks import TASKS

__all__ = ["TaskSpec", "task_spec", "reader", "pretrained", "trainer_scores", "build_parser", "parse_arguments",
           "run", "main"]


@dataclass(frozen=True)
class TaskSpec:
    """What one task adds to the runner's shared steps (05 §11; CONTRIBUTING.md, "Adding a task").

    Every function gets the parsed options ``args``; ``args.hyper`` holds the run's ``HyperParameters``.
    """

    description: str  # one line, for --help
    settings: Any  # the task's settings module: MODEL and HYPER_PARAMETERS, the shared options' defaults
    unit: str  # what an example is called in the summary: "reviews" gives train_reviews, test_reviews
    read: Callable  # read(split, path, args) -> the whole split; path: --<split>-file or None (see reader)
    load_model: Callable  # load_model(args, tokenizer) -> the pre-trained model with the task's head (see pretrained)
    encode: Callable  # encode(examples, tokenizer, args, split) -> model inputs, or None where evaluate needs none
    evaluate: Callable  # evaluate(trainer, tokenizer, examples, dataset, args) -> the scores for the summary
    reload: str  # how to reload the saved folder, for the last printed line
    splits: tuple[str, str] = ("train", "dev")  # (training split, evaluation split)
    compute_metrics: Callable | None = None  # the Trainer's metrics on the evaluation split (--eval-steps)
    collator: Callable | None = None  # collator(tokenizer, args, arguments); None: make_trainer's dynamic padding
    file_format: str | None = None  # "a KLUE-NLI JSON file": adds --train-file and --<evaluation split>-file
    add_arguments: Callable | None = None  # add_arguments(group): the task's own options
    check: Callable | None = None  # check(args) -> problems with the options (the run stops with exit code 2)
    group_by_length: Callable = lambda args: not args.no_length_grouping  # length-grouped training batches?
    details: Callable | None = None  # details(args, train_dataset) -> more summary fields
    baseline: Callable | None = None  # like evaluate, before training (generation: perplexity before)


def task_spec(name: str) -> TaskSpec:
    """The :class:`TaskSpec` of task ``name``: ``SPEC`` in the ``spec`` module of its package (05 §11)."""
    if name not in TASKS:
        raise KeyError(f"unknown task {name!r}; the tasks are {', '.join(TASKS)}")
    return importlib.import_module(f"{TASKS[name].package}.spec").SPEC


def reader(load: Callable, read_file: Callable) -> Callable:
    """A :class:`TaskSpec` ``read``: ``read_file(path)`` for a given file, else ``load(split, sample=--sample)`` (05 §11)."""

    def read(split: str, path, args):
        return read_file(path) if path is not None else load(split, sample=args.sample)

    return read


def pretrained(model_class: str, labels=None) -> Callable:
    """A :class:`TaskSpec` ``load_model``: ``transformers.<model_class>`` from ``--model``, with a new head that
    names ``labels`` (in id order) in its config (05 §4, 09 §3, 10 §4)."""

    def load_model(args, tokenizer):
        import transformers

        from .models import load_model as load

        named = {} if labels is None else {"num_labels": len(labels), "id2label": dict(enumerate(labels)),
                                           "label2id": {name: index for index, name in enumerate(labels)}}
        return load(getattr(transformers, model_class), args.model, **named)

    return load_model


def trainer_scores(*names: str) -> Callable:
    """A :class:`TaskSpec` ``evaluate``: the ``Trainer``'s own evaluation, the metrics ``names`` of the task's
    ``compute_metrics`` and ``eval_loss``, rounded to 4 places (05 §6, 09 §3)."""

    def evaluate(trainer, tokenizer, examples, dataset, args) -> dict:
        metrics = trainer.evaluate()
        return {name: round(metrics[f"eval_{name}"], 4) for name in names} | {"eval_loss": round(metrics["eval_loss"], 4)}

    return evaluate


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``python -m lectureutils.finetune``: one subcommand per task, the shared options with the
    task's settings as defaults, then the task's own (05 §11)."""
    parser = argparse.ArgumentParser(
        prog="python -m lectureutils.finetune",
        description=_("Fine-tune a pre-trained model as in the lecture notebooks (also under torchrun)."),
    )
    commands = parser.add_subparsers(dest="task", required=True, metavar="{" + ",".join(TASKS) + "}")
    for name in TASKS:
        spec = task_spec(name)
        command = commands.add_parser(name, help=spec.description, description=spec.description)
        hyper = spec.settings.HYPER_PARAMETERS
        shared = command.add_argument_group(_("shared by every task"))
        shared.add_argument("--model", default=spec.settings.MODEL,
                            help=_("pre-trained model name or local folder (default: %(default)s)"))
        shared.add_argument("--output", required=True, type=Path, help=_("folder for the fine-tuned model"))
        shared.add_argument("--epochs", type=float, default=hyper.epochs, help=_("default: %(default)s"))
        shared.add_argument("--max-steps", type=int, default=hyper.max_steps,
                            help=_("stop after N optimizer steps; overrides --epochs (default: %(default)s, off)"))
        shared.add_argument("--batch-size", type=int, default=hyper.batch_size,
                            help=_("per process; default: %(default)s"))
        shared.add_argument("--learning-rate", type=float, default=hyper.learning_rate, help=_("default: %(default)s"))
        shared.add_argument("--max-length", "--max-seq-length", dest="max_length", type=int,
                            default=hyper.max_length,
                            help=_("tokens per example (QA: per window); default: %(default)s"))
        shared.add_argument("--seed", type=int, default=hyper.seed,
                            help=_("default: %(default)s (the session's seed)"))
        shared.add_argument("--warmup-ratio", type=float, default=hyper.warmup_ratio, help=_("default: %(default)s"))
        shared.add_argument("--weight-decay", type=float, default=hyper.weight_decay, help=_("default: %(default)s"))
        shared.add_argument("--limit", type=int,
                            help=_("use at most N examples of each split (a seeded random subset)"))
        shared.add_argument("--train-limit", type=int, help=_("at most N training examples (default: --limit)"))
        shared.add_argument("--eval-limit", "--dev-limit", dest="eval_limit", type=int,
                            help=_("at most N evaluation examples (default: --limit)"))
        shared.add_argument("--eval-steps", type=int, help=_("also evaluate every N steps (default: only at the end)"))
        shared.add_argument("--no-length-grouping", action="store_true",
                            help=_("random batches instead of length-grouped ones"))
        shared.add_argument("--sample", action="store_true",
                            help=_("use the project's sample even online (a quick run)"))
        own = command.add_argument_group(_("{task} only").format(task=name))
        if spec.file_format:
            train, evaluation = spec.splits
            own.add_argument("--train-file", type=Path,
                             help=_("{file_format} to train on (default: the {split} split)").format(
                                 file_format=spec.file_format, split=train))
            own.add_argument(f"--{evaluation}-file", type=Path,
                             help=_("{file_format} to evaluate on (default: the {split} split)").format(
                                 file_format=spec.file_format, split=evaluation))
        if spec.add_arguments:
            spec.add_arguments(own)
    return parser


def parse_arguments(argv=None) -> argparse.Namespace:
    """The parsed command line, with ``args.hyper`` (the run's ``HyperParameters``) and the limits filled in
    (``--train-limit``/``--eval-limit`` default to ``--limit``); bad values exit with code 2 (05 §11)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    for name in ("limit", "train_limit", "eval_limit"):
        if getattr(args, name) is not None and getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1.")
    args.train_limit = args.train_limit or args.limit
    args.eval_limit = args.eval_limit or args.limit
    try:
        args.hyper = task_spec(args.task).settings.HYPER_PARAMETERS.with_changes(
            learning_rate=args.learning_rate, batch_size=args.batch_size, epochs=args.epochs,
            max_length=args.max_length, seed=args.seed, max_steps=args.max_steps, warmup_ratio=args.warmup_ratio,
            weight_decay=args.weight_decay,
        )
    except ValueError as error:
        parser.error(str(error))
    return args


def _read_split(spec: TaskSpec, split: str, args, limit: int | None):
    """One split of the task's data, at most ``limit`` examples (a subset seeded with the run's seed)."""
    from .corpus import take

    examples = take(spec.read(split, getattr(args, f"{split}_file", None), args), limit, args.hyper.seed)
    if len(examples) == 0:
        raise ValueError(f"The {split} split has no {spec.unit}.")
    return examples


def run(spec: TaskSpec, args) -> dict:
    """The shared steps of every task: read → tokenizer → model → arguments → trainer → train → evaluate →
    save (05 §11). Returns the summary, which is also saved in the checkpoint's ``training_args.json``."""
    import datasets
    import transformers

    from .models import load_tokenizer
    from .session import quiet_libraries
    from .training import make_trainer, precision_name, save_checkpoint, training_arguments

    hyper = args.hyper
    quiet_libraries()
    datasets.disable_progress_bars()
    transformers.set_seed(hyper.seed)
    train_split, eval_split = spec.splits
    evaluating = not getattr(args, "no_eval", False)
    train_examples = _read_split(spec, train_split, args, args.train_limit)
    eval_examples = _read_split(spec, eval_split, args, args.eval_limit) if evaluating else None
    tokenizer = load_tokenizer(args.model)
    model = spec.load_model(args, tokenizer)
    train_dataset = spec.encode(train_examples, tokenizer, args, train_split)
    eval_dataset = spec.encode(eval_examples, tokenizer, args, eval_split) if evaluating else None
    trainer_evaluates = spec.compute_metrics is not None and eval_dataset is not None
    arguments = training_arguments(args.output, hyper, group_by_length=spec.group_by_length(args),
                                   evaluate_every=args.eval_steps if trainer_evaluates else None)
    trainer = make_trainer(model, arguments, tokenizer, train_dataset, eval_dataset if trainer_evaluates else None,
                           spec.compute_metrics if trainer_evaluates else None,
                           collator=spec.collator(tokenizer, args, arguments) if spec.collator else None)
    counts = {f"train_{spec.unit}": len(train_examples)}
    if evaluating:
        counts[f"{eval_split}_{spec.unit}"] = len(eval_examples)
    precision = precision_name(arguments)
    print(f"training {args.model} on {len(train_examples):,} {spec.unit}"
          + (f" ({len(train_dataset):,} training examples)" if len(train_dataset) != len(train_examples) else "")
          + (f", evaluating on {len(eval_examples):,}" if evaluating else "")
          + f" ({arguments.world_size} process(es), device {arguments.device}, {precision})")
    measure_before = spec.baseline and evaluating
    before = spec.baseline(trainer, tokenizer, eval_examples, eval_dataset, args) if measure_before else {}
    started = time.perf_counter()
    result = trainer.train()
    seconds = time.perf_counter() - started
    scores = spec.evaluate(trainer, tokenizer, eval_examples, eval_dataset, args) if evaluating else {}
    summary = {
        "task": args.task, "model": args.model, "output": str(args.output), **counts,
        "processes": arguments.world_size, "distributed": str(trainer.accelerator.distributed_type).split(".")[-1],
        "precision": precision, "steps": result.global_step, "train_loss": round(result.training_loss, 4),
        "train_seconds": round(seconds, 1), **(spec.details(args, train_dataset) if spec.details else {}),
        **before, **scores,
    }
    save_checkpoint(trainer, args.output, extra={"summary": summary, "hyper_parameters": hyper.as_dict()})
    numbers = [f"{name.replace('_', ' ')} {value}" for name, value in {**before, **scores}.items()
               if isinstance(value, (int, float)) and not isinstance(value, bool)]
    print(f"{result.global_step} steps in {seconds:.0f} s" + "".join(f", {number}" for number in numbers)
          + f"; saved to {args.output} (reload: {spec.reload})")
    return summary


def main(argv=None) -> int:
    """Parse the command line, run the task with rank 0 alone printing, print the summary as one JSON line (what
    scripts read); the exit code: 0, or 2 for options that do not fit together (05 §11)."""
    from .training import main_process_output

    args = parse_arguments(argv)
    spec = task_spec(args.task)
    with main_process_output():
        problems = spec.check(args) if spec.check else []
        evaluation = spec.splits[1]
        if spec.file_format and (args.train_file is None) != (getattr(args, f"{evaluation}_file") is None):
            problems.append(f"give both --train-file and --{evaluation}-file, or neither.")
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        if problems:
            return 2
        print(json.dumps(run(spec, args), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
