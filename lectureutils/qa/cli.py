"""``python -m lectureutils.finetune qa``: notebook 06's KorQuAD fine-tuning as a command-line job.

Taught in notebooks/06_question_answering.ipynb (§4 "Fine-tuning", §9 "Save, reload, and train from the
command line").

    python -m lectureutils.finetune qa --output checkpoints/06_korquad_kcbert
    python -m lectureutils.finetune qa --output /tmp/qa --max-steps 40 --train-limit 500
    torchrun --nproc_per_node 2 -m lectureutils.finetune qa --output checkpoints/06_korquad_kcbert

The shared options come from ``lectureutils.finetune`` with defaults from :data:`HYPER_PARAMETERS`
(``--max-length``, also spelled ``--max-seq-length``, is the window length); :func:`add_arguments` adds the
other window settings. The checkpoint stores its window settings in its config.
"""

from __future__ import annotations

import time

from ..finetune import print_summary, start_run
from ..training import HyperParameters
from .decoding import MAX_ANSWER_LENGTH
from .features import LECTURE_WINDOWS

__all__ = ["DESCRIPTION", "MODEL", "HYPER_PARAMETERS", "add_arguments", "run", "train_qa", "qa_hyper_parameters",
           "make_qa_trainer"]

DESCRIPTION = "KorQuAD 1.0 question answering (notebook 06)"
#: The lecture's model.
MODEL = "beomi/kcbert-base"
#: The lecture's QA hyper-parameters (ratsnlp ``QATrainArguments``): lr 5e-5, batch 32, 3 epochs, 128-token windows.
HYPER_PARAMETERS = HyperParameters(max_length=LECTURE_WINDOWS["max_seq_length"])


def qa_hyper_parameters(**changes) -> HyperParameters:
    """The lecture's QA hyper-parameters (:data:`HYPER_PARAMETERS`) with ``changes`` (06 §4)."""
    return HYPER_PARAMETERS.with_changes(**changes)


def make_qa_trainer(model, tokenizer, train_features, output_dir, hyper=None, windows: dict | None = None,
                    **argument_overrides):
    """A ``Trainer`` for QA windows, from ``lectureutils.training`` (06 §4).

    The lecture's hyper-parameters, dynamic padding, mixed precision on a GPU. Windows are nearly all the
    same length, so batches are not grouped by length. ``windows`` (``max_seq_length``, ``doc_stride``,
    ``max_query_length``; default the lecture's 128/64/32) are written into the model's config, so that the
    saved checkpoint carries them and ``answer()`` and the web service read passages the same way.
    """
    from ..training import make_trainer, training_arguments
    from .inference import store_window_settings

    hyper = hyper or qa_hyper_parameters()
    store_window_settings(model, **(windows or {**LECTURE_WINDOWS, "max_seq_length": hyper.max_length}))
    arguments = training_arguments(output_dir, hyper, group_by_length=False, **argument_overrides)
    return make_trainer(model, arguments, tokenizer, train_dataset=train_features)


def add_arguments(parser) -> None:
    """This task's own options, after the shared ones of ``lectureutils.finetune`` (06 §9)."""
    parser.add_argument("--doc-stride", type=int, default=LECTURE_WINDOWS["doc_stride"],
                        help="passage tokens between two windows' starts (default: %(default)s)")
    parser.add_argument("--max-query-length", type=int, default=LECTURE_WINDOWS["max_query_length"],
                        help="question tokens kept (default: %(default)s)")
    parser.add_argument("--max-answer-length", type=int, default=MAX_ANSWER_LENGTH,
                        help="longest answer in tokens (default: %(default)s)")
    parser.add_argument("--no-eval", action="store_true", help="skip the EM/F1 evaluation on dev")


def run(args) -> int:
    """Train, evaluate and save a QA model; print one JSON summary line; exit code (06 §9)."""
    return print_summary(train_qa(args))


def train_qa(args) -> dict:
    """Fine-tune a QA model on KorQuAD 1.0 train, report EM/F1 on dev and save it: the notebook's steps (06 §9).

    ``args`` are the parsed options of ``python -m lectureutils.finetune qa`` (``args.hyper`` the
    hyper-parameters). Returns the summary that is also stored in the checkpoint's ``training_args.json``.
    """
    from transformers import AutoModelForQuestionAnswering

    from ..models import load_model, load_tokenizer
    from ..training import precision_name, save_checkpoint, take
    from .corpus import load_korquad
    from .features import check_window_settings, map_features, prepare_train_features
    from .inference import evaluate_qa

    hyper = start_run(args)
    settings = {"max_seq_length": hyper.max_length, "doc_stride": args.doc_stride,
                "max_query_length": args.max_query_length}
    tokenizer = load_tokenizer(args.model)
    check_window_settings(tokenizer, **settings)
    model = load_model(AutoModelForQuestionAnswering, args.model)
    train = take(load_korquad("train").filter(lambda example: example["answer_ok"]), args.train_limit, hyper.seed)
    train_features = map_features(train, prepare_train_features, tokenizer, **settings)
    trainer = make_qa_trainer(model, tokenizer, train_features, args.output, hyper, windows=settings)
    precision = precision_name(trainer.args)
    print(f"training {args.model} on {len(train):,} questions ({len(train_features):,} windows of "
          f"{hyper.max_length} tokens), {trainer.args.world_size} process(es), device {trainer.args.device}, {precision}")
    started = time.perf_counter()
    result = trainer.train()
    summary = {
        "model": args.model,
        "output": str(args.output),
        "windows": settings,
        "train_questions": len(train),
        "train_windows": len(train_features),
        "processes": trainer.args.world_size,
        "precision": precision,
        "steps": result.global_step,
        "train_loss": round(result.training_loss, 4),
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    if not args.no_eval:
        dev = take(load_korquad("dev").filter(lambda example: example["answer_ok"]), args.eval_limit, hyper.seed)
        scores, _ = evaluate_qa(trainer, tokenizer, dev, max_answer_length=args.max_answer_length, **settings)
        summary.update(dev_questions=len(dev), exact_match=round(scores["exact_match"], 2), f1=round(scores["f1"], 2))
    save_checkpoint(trainer, args.output, extra={"summary": summary, "hyper_parameters": hyper.as_dict()})
    return summary
