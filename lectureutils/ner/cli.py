"""``python -m lectureutils.finetune ner``: fine-tune a BERT on KLUE-NER from the command line.

Taught in notebooks/10_named_entity_recognition.ipynb (§6, "The same training from the command line").

    python -m lectureutils.finetune ner --output checkpoints/klue-ner
    python -m lectureutils.finetune ner --output /tmp/ner --max-steps 40 --limit 2000
    torchrun --nproc_per_node 2 -m lectureutils.finetune ner --output checkpoints/klue-ner

The shared options (model, output, epochs, batch size, limits, ...) come from ``lectureutils.finetune`` with
their defaults read from :data:`MODEL` and :data:`HYPER_PARAMETERS` (klue/bert-base; lr 5e-5, batch 32 per
process, 3 epochs, 128 training tokens per sentence, seed 7); :func:`add_arguments` adds this task's own. Evaluation is KLUE's: entity and character macro F1 on the
dev sentences' characters (``lectureutils.ner.klue_ner_scores``). Offline the model is a stand-in and the
data the project's sample (unless prefetched). Only rank 0 prints and saves; the folder holds safetensors
weights, the config with the 13 labels, the tokenizer and ``training_args.json``. Reload it with
``lectureutils.ner.load_tagger(folder)``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ..finetune import print_summary, start_run
from ..training import HyperParameters

__all__ = ["DESCRIPTION", "MODEL", "HYPER_PARAMETERS", "add_arguments", "run", "read_split", "train", "make_ner_trainer"]

DESCRIPTION = "KLUE-NER named-entity recognition (notebook 10)"
#: The model the notebook fine-tunes.
MODEL = "klue/bert-base"
#: The lecture's hyper-parameters: lr 5e-5, batch 32, 3 epochs, 128 training tokens per sentence, seed 7.
HYPER_PARAMETERS = HyperParameters()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """This task's own options, after the shared ones of ``lectureutils.finetune`` (10 §6)."""
    parser.add_argument("--train-file", type=Path, help="a KLUE-NER TSV file to train on (default: the train split)")
    parser.add_argument("--dev-file", type=Path, help="a KLUE-NER TSV file to evaluate on (default: the dev split)")
    parser.add_argument("--sample", action="store_true", help="use the project's sample even online (a quick run)")


def read_split(split: str, path, limit: int | None, seed: int, sample: bool = False) -> list[dict]:
    """One KLUE-NER split: ``path`` if given, else ``load_klue_ner`` (the sample offline), at most
    ``limit`` sentences, a seeded random subset (10 §6)."""
    import random

    from .corpus import load_klue_ner, read_klue_ner

    rows = read_klue_ner(path) if path is not None else load_klue_ner(split, sample=sample)
    if limit is not None and limit < len(rows):
        rows = random.Random(seed).sample(rows, limit)
    if not rows:
        raise ValueError(f"The {split} split has no sentences.")
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
    """Train, evaluate with KLUE's scores and save; print one JSON summary line; exit code (10 §6)."""
    return print_summary(train(args))


def train(args) -> dict:
    """The training run behind :func:`run`: returns the summary that is also saved (10 §6)."""

    from .. import training
    from ..models import load_tokenizer
    from .features import encode_sentences
    from .inference import load_pretrained_tagger, predict_char_tags
    from .metrics import klue_ner_scores, token_metrics

    hyper = start_run(args)
    train_rows = read_split("train", args.train_file, args.train_limit, hyper.seed, args.sample)
    dev_rows = read_split("dev", args.dev_file, args.eval_limit, hyper.seed, args.sample)
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
        "precision": training.precision_name(arguments),
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
