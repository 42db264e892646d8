"""The registry of fine-tuning tasks, read by both ``python -m lectureutils.finetune`` and the web service.

Taught in notebooks/05_document_classification.ipynb (the command-line and web-service sections) and used the
same way by every task notebook. Each task is a package with the same parts (CONTRIBUTING.md, "Adding a task"):
``corpus``, ``features``, ``metrics``, ``inference`` (``predict_batch(inputs, model, tokenizer)`` and the
checkpoint loader) and ``spec`` (what the task runner needs: the lecture's settings, reader, encoder, collator,
metrics, summary). Adding a task = its package, one entry here, its notebook, its tests.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TaskEntry", "TASKS", "InputTooLong"]


@dataclass(frozen=True)
class TaskEntry:
    """One task: its package, the notebook that teaches it, and whether the web service serves it."""

    package: str   # "lectureutils.classification"
    notebook: str  # "05_document_classification"
    served: bool   # the web service gets a route for it


TASKS: dict[str, TaskEntry] = {
    "classification": TaskEntry("lectureutils.classification", "05_document_classification", served=True),
    "qa": TaskEntry("lectureutils.qa", "06_question_answering", served=True),
    "nli": TaskEntry("lectureutils.nli", "09_sentence_pair_classification", served=True),
    "ner": TaskEntry("lectureutils.ner", "10_named_entity_recognition", served=True),
    "generation": TaskEntry("lectureutils.lm_finetuning", "11_gpt_finetuning", served=False),
}


class InputTooLong(ValueError):
    """What a task's ``predict_batch`` raises for an input the model cannot read whole (refused, never cut):
    ``field`` is the part that is too long ("text", "premise", "context"), ``length`` and ``limit`` are counted in
    ``unit`` ("tokens" or "windows"). The web service answers it with 413 and a bilingual message (05 §12)."""

    def __init__(self, message: str, field: str, length: int, limit: int, unit: str = "tokens"):
        super().__init__(message)
        self.field, self.length, self.limit, self.unit = field, length, limit, unit

