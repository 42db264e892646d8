"""What the web service's routes take: per served task an ``Endpoint`` (route, request model, loader), and the
limits. Taught in notebooks/05_document_classification.ipynb (§12 A web service for the classifier) and
notebooks/06_question_answering.ipynb (§10 A web service for question answering).

A route answers with what its task's own ``predict_batch`` returns (its docstring, shown in ``/docs``, says what
that is: one owner of each answer's shape). Every limit is refused with a message (413), never cut silently: a
review over ``MAX_TEXT_CHARS`` characters, a question over ``MAX_QUESTION_CHARS``, a passage over
``MAX_CONTEXT_CHARS`` or ``MAX_WINDOWS`` windows, a batch over ``MAX_BATCH`` reviews, a body over ``MAX_BODY_BYTES``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Annotated, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictStr, field_validator, model_validator
from pydantic_core import PydanticCustomError

__all__ = [
    "MAX_TEXT_CHARS", "MAX_QUESTION_CHARS", "MAX_CONTEXT_CHARS", "MAX_BATCH", "MAX_BODY_BYTES", "MAX_WINDOWS",
    "QUEUE_WAIT_SECONDS", "LIMITS", "checked_text", "TaskRequest", "ClassifyRequest", "AnswerRequest", "PairRequest",
    "EntitiesRequest", "Endpoint", "ENDPOINTS",
]

MAX_TEXT_CHARS = 2_000
MAX_QUESTION_CHARS = 300
MAX_CONTEXT_CHARS = 10_000
MAX_BATCH = 32
MAX_BODY_BYTES = 1_000_000
MAX_WINDOWS = 64  # sliding windows per QA request: bounds the time one request can hold the QA model
QUEUE_WAIT_SECONDS = 30.0  # a request not started within this time gets 503 (its client has given up by then)
LIMITS = {"text_chars": MAX_TEXT_CHARS, "batch": MAX_BATCH, "question_chars": MAX_QUESTION_CHARS, "context_chars":
          MAX_CONTEXT_CHARS, "windows": MAX_WINDOWS, "body_bytes": MAX_BODY_BYTES, "queue_seconds": QUEUE_WAIT_SECONDS}


def checked_text(value: str, limit: int) -> str:
    """``value`` if it is valid Unicode of at most ``limit`` characters with something a model can read (not only
    whitespace, control or format characters such as NUL or a zero-width space), else a validation error whose
    field the error handler adds (05 §12)."""
    if all(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
        raise PydanticCustomError("empty_text", "must not be empty or only whitespace")
    if len(value) > limit:
        raise PydanticCustomError("text_too_long", "is {length} characters long; the limit is {limit}",
                                  {"length": len(value), "limit": limit})
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise PydanticCustomError("invalid_unicode", "contains invalid Unicode (a lone surrogate) at character "
                                  "{position}", {"position": error.start}) from None
    return value


Review = Annotated[StrictStr, AfterValidator(lambda value: checked_text(value, MAX_TEXT_CHARS))]
Question = Annotated[StrictStr, AfterValidator(lambda value: checked_text(value, MAX_QUESTION_CHARS))]
Passage = Annotated[StrictStr, AfterValidator(lambda value: checked_text(value, MAX_CONTEXT_CHARS))]


class TaskRequest(BaseModel):
    """A request to a task's route: ``inputs()`` for its ``predict_batch``, ``reply(outputs)`` the answer (05 §12)."""

    model_config = ConfigDict(extra="forbid")

    def inputs(self) -> list:
        raise NotImplementedError

    def reply(self, outputs: list):
        return outputs[0]


class ClassifyRequest(TaskRequest):
    """One review (``text``) or a batch of reviews (``texts``), not both (05 §12)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"text": "정말 재미있는 영화였어요!"}, {"texts": ["최고의 영화", "시간 낭비"]}]})
    text: Optional[Review] = Field(None, description=f"one review, at most {MAX_TEXT_CHARS} characters")
    texts: Optional[list[Review]] = Field(
        None, description=f"a batch of at most {MAX_BATCH} reviews, each at most {MAX_TEXT_CHARS} characters")

    @field_validator("texts", mode="before")
    @classmethod
    def _check_batch_size(cls, value):
        if isinstance(value, list) and not 0 < len(value) <= MAX_BATCH:
            raise PydanticCustomError("too_many_texts" if value else "empty_text", "holds {count} texts; send 1 to "
                                      "{limit}", {"count": len(value), "limit": MAX_BATCH})
        return value

    @model_validator(mode="after")
    def _exactly_one(self):
        if (self.text is None) == (self.texts is None):
            raise PydanticCustomError("text_or_texts", 'send either "text" (one review) or "texts" (a list of '
                                      "reviews), exactly one of them")
        return self

    def inputs(self) -> list:
        return [self.text] if self.text is not None else list(self.texts)

    def reply(self, outputs: list):
        return outputs[0] if self.text is not None else {"results": outputs}


class AnswerRequest(TaskRequest):
    """A question and the passage (context) that holds its answer (06 §10)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "question": "광합성은 주로 어디에서 일어나는가?",
        "context": "식물 세포에서 광합성은 주로 엽록체라는 세포 소기관에서 일어난다."}]})
    question: Question = Field(description=f"at most {MAX_QUESTION_CHARS} characters")
    context: Passage = Field(description=f"the passage, at most {MAX_CONTEXT_CHARS} characters and {MAX_WINDOWS} "
                                         "model windows")

    def inputs(self) -> list:
        return [(self.question, self.context)]


class PairRequest(TaskRequest):
    """A premise and a hypothesis for natural language inference (09_sentence_pair_classification, §5)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"premise": "힛걸 진심 최고다 그 어떤 히어로보다 멋지다", "hypothesis": "힛걸 진심 최고로 멋지다."}]})
    premise: Review = Field(description=f"at most {MAX_TEXT_CHARS} characters (and the model's tokens, with the "
                                        "hypothesis)")
    hypothesis: Review = Field(description=f"at most {MAX_TEXT_CHARS} characters")

    def inputs(self) -> list:
        return [(self.premise, self.hypothesis)]


class EntitiesRequest(TaskRequest):
    """A sentence to find named entities in (10_named_entity_recognition, §5)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"text": "이순신은 1545년 서울에서 태어났다."}]})
    text: Review = Field(description=f"at most {MAX_TEXT_CHARS} characters (and the model's tokens)")

    def inputs(self) -> list:
        return [self.text]


@dataclass(frozen=True)
class Endpoint:
    """How a served task of ``lectureutils.tasks.TASKS`` is served: route, option (``--OPTION DIR``,
    ``create_app(OPTION_dir=...)``), names, request model, its inference module's loader, and the keyword
    arguments for its ``predict_batch`` (05 §12)."""

    route: str
    option: str
    title: str
    title_ko: str
    request: type
    load: str
    max_batch: int = 32  # inputs per call of predict_batch
    options: dict = field(default_factory=dict)


ENDPOINTS = {
    "classification": Endpoint("/api/classify", "classifier", "sentiment classification (NSMC)", "문서 분류",
                               ClassifyRequest, "load_classifier", max_batch=64),
    "qa": Endpoint("/api/answer", "qa", "question answering (KorQuAD)", "질의 응답", AnswerRequest, "load_qa_model",
                   max_batch=8, options={"max_windows": MAX_WINDOWS}),
    "nli": Endpoint("/api/nli", "nli", "natural language inference (KLUE-NLI)", "자연어 추론", PairRequest,
                    "load_nli_model"),
    "ner": Endpoint("/api/ner", "ner", "named entities (KLUE-NER)", "개체명 인식", EntitiesRequest, "load_tagger"),
}
