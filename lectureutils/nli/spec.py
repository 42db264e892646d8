"""``python -m lectureutils.finetune nli``: what notebook 09's fine-tuning adds to the task runner.

Taught in notebooks/09_sentence_pair_classification.ipynb (§6, "The same training from the command line").

    python -m lectureutils.finetune nli --output checkpoints/klue-nli
    python -m lectureutils.finetune nli --output /tmp/nli --max-steps 40 --limit 2000
    python -m lectureutils.finetune nli --output /tmp/nli-hyp --hypothesis-only   # the baseline of §4

The folder holds safetensors weights, the config with ``id2label`` (so the model answers with label names), the
tokenizer and ``training_args.json``. Reload it with ``lectureutils.nli.load_nli_model(folder)``.
"""

from __future__ import annotations

from ..finetune import TaskSpec, trainer_scores
from . import settings
from .metrics import compute_metrics

__all__ = ["SPEC"]


def add_arguments(group) -> None:
    """How pairs are encoded (09 §2, §4)."""
    group.add_argument("--truncation", choices=("longest_first", "only_first"), default="longest_first",
                       help="how a pair longer than --max-length is cut (default: %(default)s)")
    group.add_argument("--hypothesis-only", action="store_true",
                       help="train on hypotheses alone (the baseline of 09 §4)")


def read(split: str, path, args):
    """One KLUE-NLI split: ``path`` if given, else ``load_klue_nli`` (the sample offline or with ``--sample``)
    (09 §6)."""
    from .corpus import load_klue_nli, read_klue_nli

    return read_klue_nli(path) if path is not None else load_klue_nli(split, sample=args.sample)


def load_model(args, tokenizer):
    """BERT with a new 3-way head that names its labels (09 §3)."""
    from .inference import load_pretrained_nli

    return load_pretrained_nli(args.model)


def encode(frame, tokenizer, args, split: str):
    """Pairs to token ids (09 §2)."""
    from .features import encode_pairs

    return encode_pairs(frame, tokenizer, max_length=args.hyper.max_length, truncation=args.truncation,
                        hypothesis_only=args.hypothesis_only)


SPEC = TaskSpec(
    description="KLUE-NLI natural language inference, sentence-pair classification (notebook 09)",
    settings=settings,
    unit="pairs",
    read=read,
    load_model=load_model,
    encode=encode,
    compute_metrics=compute_metrics,
    evaluate=trainer_scores("accuracy", "macro_f1"),
    file_format="a KLUE-NLI JSON file",
    sample_option=True,
    add_arguments=add_arguments,
    details=lambda args, train_dataset: {"hypothesis_only": bool(args.hypothesis_only)},
    reload="lectureutils.nli.load_nli_model(folder)",
)
