"""``python -m lectureutils.finetune ner``: fine-tune a BERT on KLUE-NER from the command line.

Taught in notebooks/10_named_entity_recognition.ipynb (§6, "The same training from the command line").

    python -m lectureutils.finetune ner --output checkpoints/klue-ner
    python -m lectureutils.finetune ner --output /tmp/ner --max-steps 40 --limit 2000
    torchrun --nproc_per_node 2 -m lectureutils.finetune ner --output checkpoints/klue-ner

Defaults: klue/bert-base with the lecture's hyper-parameters (lr 5e-5, batch 32 per process, 3 epochs,
max length 128 tokens for training, seed 7). Evaluation is KLUE's: entity and character macro F1 on the
dev sentences' characters (``lectureutils.ner.klue_ner_scores``). Offline the model is a stand-in and the
data the project's sample (unless prefetched). Only rank 0 prints and saves; the folder holds safetensors
weights, the config with the 13 labels, the tokenizer and ``training_args.json``. Reload it with
``lectureutils.ner.load_tagger(folder)``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from ..training import HyperParameters

__all__ = ["MODEL", "HYPER_PARAMETERS", "add_arguments", "run", "train", "make_ner_trainer"]

MODEL = "klue/bert-base"
HYPER_PARAMETERS = HyperParameters()  # the lecture's: lr 5e-5, batch 32, 3 epochs, max length 128, seed 7


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``ner`` subcommand's options; defaults from :data:`HYPER_PARAMETERS` (10 §6)."""
    hyper = HYPER_PARAMETERS
    parser.add_argument("--model", default=MODEL, help="model name or local folder (default: %(default)s)")
    parser.add_argument("--output", required=True, type=Path, help="folder for the fine-tuned model")
    parser.add_argument("--max-steps", type=int, default=hyper.max_steps, help="stop after N optimizer steps (overrides --epochs)")
    parser.add_argument("--epochs", type=float, default=hyper.epochs, help="default: %(default)s")
    parser.add_argument("--batch-size", type=int, default=hyper.batch_size, help="per process; default: %(default)s")
    parser.add_argument("--learning-rate", type=float, default=hyper.learning_rate, help="default: %(default)s")
    parser.add_argument("--max-length", type=int, default=hyper.max_length, help="training tokens per sentence; default: %(default)s")
    parser.add_argument("--seed", type=int, default=hyper.seed, help="default: %(default)s")
    parser.add_argument("--warmup-ratio", type=float, default=hyper.warmup_ratio, help="default: %(default)s")
    parser.add_argument("--train-file", type=Path, help="a KLUE-NER TSV file to train on (default: the train split)")
    parser.add_argument("--dev-file", type=Path, help="a KLUE-NER TSV file to evaluate on (default: the dev split)")
    parser.add_argument("--sample", action="store_true", help="use the project's sample even online (a quick run)")
    parser.add_argument("--limit", type=int, help="use at most N sentences of each split (a random subset)")
    parser.add_argument("--eval-steps", type=int, help="also evaluate (token-level) every N steps (default: only at the end)")
    parser.add_argument("--no-length-grouping", action="store_true", help="random batches instead of length-grouped ones")


def _split(split: str, path, args) -> list[dict]:
    import random

    from .corpus import load_klue_ner, read_klue_ner

    rows = read_klue_ner(path) if path is not None else load_klue_ner(split, sample=args.sample)
    if args.limit is not None and args.limit < len(rows):
        rows = random.Random(args.seed).sample(rows, args.limit)
    return rows


def make_ner_trainer(model, arguments, tokenizer, train_dataset=None, eval_dataset=None, compute_metrics=None):
    """The house ``Trainer`` (``lectureutils.training``: tight length-grouped batches, ordered evaluation)
    with ``DataCollatorForTokenClassification``, which pads the labels with -100 as well (10 §4)."""
    from transformers import DataCollatorForTokenClassification

    from .. import training

    model.accepts_loss_kwargs = False  # a plain mean loss: see training.make_trainer
    multiple = 8 if (arguments.fp16 or arguments.bf16) else None
    return training.length_grouped_trainer_class()(
        model=model, args=arguments, train_dataset=train_dataset, eval_dataset=eval_dataset, processing_class=tokenizer,
        data_collator=DataCollatorForTokenClassification(tokenizer, pad_to_multiple_of=multiple),
        compute_metrics=compute_metrics,
    )


def run(args) -> int:
    """Train, evaluate and save (the ``ner`` subcommand); prints one JSON summary line (10 §6)."""
    from ..training import is_main_process, main_process_output

    if args.limit is not None and args.limit < 1:
        print("error: --limit must be at least 1.", file=sys.stderr)
        return 2
    with main_process_output():  # only rank 0 talks under torchrun
        summary = train(args)
    if is_main_process():
        print(json.dumps(summary, ensure_ascii=False))
    return 0


def train(args) -> dict:
    """The training run behind :func:`run`: returns the summary that is also saved (10 §6)."""
    import datasets
    import transformers

    from .. import training
    from ..models import load_tokenizer
    from ..session import quiet_libraries
    from .features import encode_sentences
    from .inference import load_pretrained_tagger, predict_char_tags
    from .metrics import klue_ner_scores, token_metrics

    quiet_libraries()
    datasets.disable_progress_bars()
    hyper = HYPER_PARAMETERS.with_changes(
        learning_rate=args.learning_rate, batch_size=args.batch_size, epochs=args.epochs, max_length=args.max_length,
        seed=args.seed, max_steps=args.max_steps, warmup_ratio=args.warmup_ratio,
    )
    transformers.set_seed(hyper.seed)
    train_rows = _split("train", args.train_file, args)
    dev_rows = _split("dev", args.dev_file, args)
    tokenizer = load_tokenizer(args.model)
    model = load_pretrained_tagger(args.model)
    train_dataset = encode_sentences(train_rows, tokenizer, hyper.max_length)
    dev_dataset = encode_sentences(dev_rows, tokenizer, hyper.max_length)
    arguments = training.training_arguments(args.output, hyper, group_by_length=not args.no_length_grouping,
                                            evaluate_every=args.eval_steps)
    trainer = make_ner_trainer(model, arguments, tokenizer, train_dataset, dev_dataset, token_metrics)
    print(f"training {args.model} on {len(train_rows):,} sentences, evaluating on {len(dev_rows):,} "
          f"({arguments.world_size} process(es), device {arguments.device}, {training.precision_name(arguments)})")
    start = time.perf_counter()
    result = trainer.train()
    seconds = time.perf_counter() - start
    predicted = predict_char_tags([row["text"] for row in dev_rows], trainer.model, tokenizer,
                                  batch_size=hyper.batch_size * 2)
    scores = klue_ner_scores(dev_rows, predicted)
    summary = {
        "task": "ner",
        "model": args.model,
        "output": str(args.output),
        "train_sentences": len(train_rows),
        "dev_sentences": len(dev_rows),
        "processes": arguments.world_size,
        "steps": result.global_step,
        "train_loss": round(result.training_loss, 4),
        "train_seconds": round(seconds, 1),
        "entity_macro_f1": round(scores["entity_macro_f1"], 2),
        "char_macro_f1": round(scores["char_macro_f1"], 2),
    }
    training.save_checkpoint(trainer, args.output, extra={"summary": summary, "hyper_parameters": hyper.as_dict()})
    print(f"entity macro F1 {summary['entity_macro_f1']:.2f}, character macro F1 {summary['char_macro_f1']:.2f} "
          f"after {summary['steps']} steps ({seconds:.0f} s); saved to {args.output} "
          "(reload: lectureutils.ner.load_tagger(folder))")
    return summary
