"""Fine-tuning from the command line: ``python -m lectureutils.finetune <task>``, the notebooks' code outside Jupyter.

Taught in notebooks/05_document_classification.ipynb (§11) and used the same way by every task notebook.

    python -m lectureutils.finetune classification --output checkpoints/nsmc
    python -m lectureutils.finetune qa --output /tmp/qa --max-steps 40 --train-limit 500
    torchrun --nproc_per_node 2 -m lectureutils.finetune classification --output checkpoints/nsmc
    accelerate launch -m lectureutils.finetune qa --output checkpoints/korquad

Every task is a module of the registry :data:`TASKS` with ``DESCRIPTION``, ``MODEL``, ``HYPER_PARAMETERS``
(a ``lectureutils.training.HyperParameters``), ``add_arguments(parser)`` for its own options and
``run(args) -> int``. Every subcommand shares one argument set (:func:`add_shared_arguments`) whose defaults are
the task's ``MODEL`` and ``HYPER_PARAMETERS``; ``run`` receives them as ``args.hyper``. Offline
(``LECTUREUTILS_OFFLINE=1``) the model is a stand-in and the data the project's sample. Under torchrun every
process trains on its share of each batch (DDP; gloo on CPUs) and only rank 0 prints
(``lectureutils.training.main_process_output``) and saves.
"""

from __future__ import annotations

import argparse
import json
import importlib
import sys
from pathlib import Path

__all__ = ["TASKS", "task_module", "add_shared_arguments", "hyper_parameters", "start_run", "print_summary",
           "build_parser", "main"]

#: Task name -> module with DESCRIPTION, MODEL, HYPER_PARAMETERS, add_arguments(parser), run(args).
#: Adding a task (CONTRIBUTING.md): one line here.
TASKS = {
    "classification": "lectureutils.classification.cli",
    "qa": "lectureutils.qa.cli",
    "ner": "lectureutils.ner.cli",
    "nli": "lectureutils.nli.cli",
    "generation": "lectureutils.lm_finetuning.cli",
}


def task_module(name: str):
    """The command-line module of task ``name`` from :data:`TASKS` (05 §11)."""
    return importlib.import_module(TASKS[name])


def add_shared_arguments(parser: argparse.ArgumentParser, model: str, hyper) -> None:
    """The options every task shares, with the task's model and hyper-parameters as defaults (05 §11)."""
    shared = parser.add_argument_group("shared by every task")
    shared.add_argument("--model", default=model, help="pre-trained model name or local folder (default: %(default)s)")
    shared.add_argument("--output", required=True, type=Path, help="folder for the fine-tuned model")
    shared.add_argument("--epochs", type=float, default=hyper.epochs, help="default: %(default)s")
    shared.add_argument("--max-steps", type=int, default=hyper.max_steps,
                        help="stop after N optimizer steps; overrides --epochs (default: %(default)s, off)")
    shared.add_argument("--batch-size", type=int, default=hyper.batch_size, help="per process; default: %(default)s")
    shared.add_argument("--learning-rate", type=float, default=hyper.learning_rate, help="default: %(default)s")
    shared.add_argument("--max-length", "--max-seq-length", dest="max_length", type=int, default=hyper.max_length,
                        help="tokens per example (QA: per window); default: %(default)s")
    shared.add_argument("--seed", type=int, default=hyper.seed, help="default: %(default)s")
    shared.add_argument("--warmup-ratio", type=float, default=hyper.warmup_ratio, help="default: %(default)s")
    shared.add_argument("--weight-decay", type=float, default=hyper.weight_decay, help="default: %(default)s")
    shared.add_argument("--limit", type=int, help="use at most N examples of each split (a seeded random subset)")
    shared.add_argument("--train-limit", type=int, help="at most N training examples (default: --limit)")
    shared.add_argument("--eval-limit", "--dev-limit", dest="eval_limit", type=int,
                        help="at most N evaluation examples (default: --limit)")
    shared.add_argument("--eval-steps", type=int, help="also evaluate every N steps (default: only at the end)")
    shared.add_argument("--no-length-grouping", action="store_true",
                        help="random batches instead of length-grouped ones")


def hyper_parameters(args, base):
    """The ``HyperParameters`` of a run: ``base`` with the shared options' values (05 §11)."""
    return base.with_changes(
        learning_rate=args.learning_rate, batch_size=args.batch_size, epochs=args.epochs, max_length=args.max_length,
        seed=args.seed, max_steps=args.max_steps, warmup_ratio=args.warmup_ratio, weight_decay=args.weight_decay,
    )


def start_run(args):
    """The first steps of every task's training run: quiet libraries, no datasets bars, the seed; returns
    ``args.hyper`` (05 §11; the same for every ``python -m lectureutils.finetune <task>``)."""
    import datasets
    import transformers

    from .session import quiet_libraries

    quiet_libraries()
    datasets.disable_progress_bars()
    transformers.set_seed(args.hyper.seed)
    return args.hyper


def print_summary(summary: dict) -> int:
    """Print a run's summary as one JSON line (what scripts read) and return the exit code 0 (05 §11)."""
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``python -m lectureutils.finetune``: one subcommand per task of :data:`TASKS` (05 §11)."""
    parser = argparse.ArgumentParser(
        prog="python -m lectureutils.finetune",
        description="Fine-tune a pre-trained model as in the lecture notebooks (also under torchrun).",
    )
    commands = parser.add_subparsers(dest="task", required=True, metavar="{" + ",".join(TASKS) + "}")
    for name in TASKS:
        module = task_module(name)
        command = commands.add_parser(name, help=module.DESCRIPTION, description=module.DESCRIPTION)
        add_shared_arguments(command, module.MODEL, module.HYPER_PARAMETERS)
        module.add_arguments(command)
    return parser


def main(argv=None) -> int:
    """Parse the command line and run the task, rank 0 alone printing; the exit code (05 §11)."""
    from .training import main_process_output

    parser = build_parser()
    args = parser.parse_args(argv)
    module = task_module(args.task)
    for name in ("limit", "train_limit", "eval_limit"):
        if getattr(args, name) is not None and getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1.")
    args.train_limit = args.train_limit or args.limit
    args.eval_limit = args.eval_limit or args.limit
    try:
        args.hyper = hyper_parameters(args, module.HYPER_PARAMETERS)
    except ValueError as error:
        parser.error(str(error))
    with main_process_output():
        return int(module.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
