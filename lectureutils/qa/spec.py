"""``python -m lectureutils.finetune qa``: what notebook 06's KorQuAD fine-tuning adds to the task runner (§4, §9).

``--max-length`` is the window length; the checkpoint stores the window settings. Windows are all about as long,
so batches are never grouped by length.
"""

from __future__ import annotations

from ..finetune import TaskSpec
from . import settings
from .decoding import MAX_ANSWER_LENGTH
from .features import LECTURE_WINDOWS

__all__ = ["SPEC"]


def windows(args) -> dict:
    """The run's window settings: ``max_seq_length`` (``--max-length``), ``doc_stride``, ``max_query_length``."""
    return {"max_seq_length": args.hyper.max_length, "doc_stride": args.doc_stride,
            "max_query_length": args.max_query_length}


def add_arguments(group) -> None:
    """The window and answer settings, and ``--no-eval`` (06 §9)."""
    group.add_argument("--doc-stride", type=int, default=LECTURE_WINDOWS["doc_stride"],
                       help="passage tokens between two windows' starts (default: %(default)s)")
    group.add_argument("--max-query-length", type=int, default=LECTURE_WINDOWS["max_query_length"],
                       help="question tokens kept (default: %(default)s)")
    group.add_argument("--max-answer-length", type=int, default=MAX_ANSWER_LENGTH,
                       help="longest answer in tokens (default: %(default)s)")
    group.add_argument("--no-eval", action="store_true", help="skip the EM/F1 evaluation on dev")


def read(split: str, path, args):
    """One KorQuAD split, the questions whose answer is where it says it is (06 §1)."""
    from .corpus import load_korquad

    return load_korquad(split, sample=args.sample).filter(lambda example: example["answer_ok"])


def load_model(args, tokenizer):
    """kcbert with a new start/end head, its config carrying the run's window settings (06 §4)."""
    from transformers import AutoModelForQuestionAnswering

    from ..models import load_model as load
    from .features import check_window_settings
    from .inference import store_window_settings

    check_window_settings(tokenizer, **windows(args))
    model = load(AutoModelForQuestionAnswering, args.model)
    store_window_settings(model, **windows(args))
    return model


def encode(examples, tokenizer, args, split: str):
    """Training windows with their answer labels; none for dev, whose windows ``evaluate_qa`` makes (06 §3)."""
    from .features import map_features, prepare_train_features

    return map_features(examples, prepare_train_features, tokenizer, **windows(args)) if split == "train" else None


def evaluate(trainer, tokenizer, examples, dataset, args) -> dict:
    """KorQuAD exact match and F1 in percent on the dev questions (06 §6)."""
    from .inference import evaluate_qa

    scores, _ = evaluate_qa(trainer, tokenizer, examples, max_answer_length=args.max_answer_length, **windows(args))
    return {"exact_match": round(scores["exact_match"], 2), "f1": round(scores["f1"], 2)}


SPEC = TaskSpec(
    description="KorQuAD 1.0 question answering (notebook 06)",
    settings=settings,
    unit="questions",
    read=read,
    load_model=load_model,
    encode=encode,
    evaluate=evaluate,
    add_arguments=add_arguments,
    group_by_length=lambda args: False,
    details=lambda args, train_dataset: {"windows": windows(args), "train_windows": len(train_dataset)},
    reload="lectureutils.qa.load_qa_model(folder)",
)
