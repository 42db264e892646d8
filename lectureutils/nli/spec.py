"""``python -m lectureutils.finetune nli``: what notebook 09's fine-tuning adds to the task runner (§6).

    python -m lectureutils.finetune nli --output /tmp/nli --max-steps 40 --limit 2000
    python -m lectureutils.finetune nli --output /tmp/nli-hyp --hypothesis-only   # the baseline of §4

Reload the folder with ``lectureutils.nli.load_nli_model(folder)``; its config names the labels.
"""

from __future__ import annotations

from ..finetune import TaskSpec, pretrained, reader, trainer_scores
from . import settings
from .corpus import NLI_LABELS, load_klue_nli, read_klue_nli
from .features import TRUNCATIONS
from .metrics import compute_metrics

__all__ = ["SPEC"]


def add_arguments(group) -> None:
    """How pairs are encoded (09 §2, §4)."""
    group.add_argument("--truncation", choices=TRUNCATIONS, default="longest_first",
                       help="how a pair longer than --max-length is cut (default: %(default)s)")
    group.add_argument("--hypothesis-only", action="store_true",
                       help="train on hypotheses alone (the baseline of 09 §4)")


def encode(frame, tokenizer, args, split: str):
    """Pairs to token ids (09 §2)."""
    from .features import encode_nli_pairs

    return encode_nli_pairs(frame, tokenizer, max_length=args.hyper.max_length, truncation=args.truncation,
                            hypothesis_only=args.hypothesis_only)


SPEC = TaskSpec(
    description="KLUE-NLI natural language inference, sentence-pair classification (notebook 09)",
    settings=settings,
    unit="pairs",
    read=reader(load_klue_nli, read_klue_nli),
    load_model=pretrained("AutoModelForSequenceClassification", NLI_LABELS),
    encode=encode,
    compute_metrics=compute_metrics,
    evaluate=trainer_scores("accuracy", "macro_f1"),
    file_format="a KLUE-NLI JSON file",
    add_arguments=add_arguments,
    details=lambda args, train_dataset: {"hypothesis_only": bool(args.hypothesis_only)},
    reload="lectureutils.nli.load_nli_model(folder)",
)
