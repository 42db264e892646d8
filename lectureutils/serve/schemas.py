"""Request and response models of the web service, and the limits they enforce.

Taught in notebooks/05_document_classification.ipynb (§11 A web service for the classifier) and
notebooks/06_question_answering.ipynb (§10 A web service for question answering): the JSON a client
sends to ``/api/classify`` and ``/api/answer`` and what comes back.

Every limit is refused with a message, never cut silently: a review over ``MAX_TEXT_CHARS``
characters, a question over ``MAX_QUESTION_CHARS``, a passage over ``MAX_CONTEXT_CHARS`` or one that
needs more than ``MAX_WINDOWS`` windows, a batch over ``MAX_BATCH`` reviews, a body over
``MAX_BODY_BYTES`` bytes: 413.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictStr, field_validator, model_validator
from pydantic_core import PydanticCustomError

__all__ = [
    "MAX_TEXT_CHARS", "MAX_QUESTION_CHARS", "MAX_CONTEXT_CHARS", "MAX_BATCH", "MAX_BODY_BYTES", "MAX_WINDOWS",
    "QUEUE_WAIT_SECONDS", "is_blank", "checked_text", "Review", "Question", "Passage",
    "ClassifyRequest", "AnswerRequest", "Sentiment", "SentimentBatch", "Answer", "PairRequest", "PairLabel",
    "EntitiesRequest", "Entity", "Entities",
]

MAX_TEXT_CHARS = 2_000
MAX_QUESTION_CHARS = 300
MAX_CONTEXT_CHARS = 10_000
MAX_BATCH = 32
MAX_BODY_BYTES = 1_000_000
MAX_WINDOWS = 64  # sliding windows per QA request: bounds the time one request can hold the QA model
QUEUE_WAIT_SECONDS = 30.0  # a request not started within this time gets 503 (its client has given up by then)


def is_blank(text: str) -> bool:
    """True when ``text`` has nothing a model could read: only whitespace, control or format
    characters (NUL, zero-width space, direction marks). (05 §11, 06 §10)"""
    return all(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in text)


def checked_text(value: str, limit: int) -> str:
    """``value`` if it is non-blank valid Unicode of at most ``limit`` characters, else a validation
    error (the field name is added by the error handler). (05 §11, 06 §10)"""
    if is_blank(value):
        raise PydanticCustomError("empty_text", "must not be empty or only whitespace")
    if len(value) > limit:
        raise PydanticCustomError(
            "text_too_long", "is {length} characters long; the limit is {limit}", {"length": len(value), "limit": limit}
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise PydanticCustomError(
            "invalid_unicode", "contains invalid Unicode (a lone surrogate) at character {position}",
            {"position": error.start},
        ) from None
    return value


Review = Annotated[StrictStr, AfterValidator(lambda value: checked_text(value, MAX_TEXT_CHARS))]
Question = Annotated[StrictStr, AfterValidator(lambda value: checked_text(value, MAX_QUESTION_CHARS))]
Passage = Annotated[StrictStr, AfterValidator(lambda value: checked_text(value, MAX_CONTEXT_CHARS))]


class ClassifyRequest(BaseModel):
    """One review (``text``) or a batch of reviews (``texts``), not both. (05 §11)"""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"text": "정말 재미있는 영화였어요!"}, {"texts": ["최고의 영화", "시간 낭비"]}]},
    )
    text: Optional[Review] = Field(None, description=f"one review, at most {MAX_TEXT_CHARS} characters")
    texts: Optional[list[Review]] = Field(
        None, description=f"a batch of at most {MAX_BATCH} reviews, each at most {MAX_TEXT_CHARS} characters"
    )

    @field_validator("texts", mode="before")
    @classmethod
    def _check_batch_size(cls, value):
        if isinstance(value, list):
            if not value:
                raise PydanticCustomError("empty_text", "must hold at least one text")
            if len(value) > MAX_BATCH:
                raise PydanticCustomError(
                    "too_many_texts", "holds {count} texts; the limit is {limit} per request",
                    {"count": len(value), "limit": MAX_BATCH},
                )
        return value

    @model_validator(mode="after")
    def _exactly_one(self):
        if (self.text is None) == (self.texts is None):
            raise PydanticCustomError(
                "text_or_texts", 'send either "text" (one review) or "texts" (a list of reviews), exactly one of them'
            )
        return self


class AnswerRequest(BaseModel):
    """A question and the passage (context) that holds its answer. (06 §10)"""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{
            "question": "광합성은 주로 어디에서 일어나는가?",
            "context": "식물 세포에서 광합성은 주로 엽록체라는 세포 소기관에서 일어난다.",
        }]},
    )
    question: Question = Field(description=f"at most {MAX_QUESTION_CHARS} characters")
    context: Passage = Field(
        description=f"the passage, at most {MAX_CONTEXT_CHARS} characters and {MAX_WINDOWS} model windows"
    )


class Sentiment(BaseModel):
    """The sentiment of one review. (05 §11)"""

    text: str
    label: str = Field(description='"positive" or "negative"')
    prediction: str = Field(description='"긍정 (positive)" or "부정 (negative)", as in the lecture')
    positive: float = Field(description="probability of positive, 0..1")
    negative: float = Field(description="probability of negative, 0..1")
    truncated: bool = Field(False, description="the review has more tokens than the model reads; the rest was not read")


class SentimentBatch(BaseModel):
    """The sentiments of a batch of reviews, in input order. (05 §11)"""

    results: list[Sentiment]


class Answer(BaseModel):
    """The answer span found in the passage. (06 §10)"""

    question: str
    answer: str
    start: int = Field(description="character offset of the answer in the context (code points)")
    end: int = Field(description="end offset (exclusive): context[start:end] == answer")
    score: float = Field(description="P(start) x P(end) of the answer in its window")
    windows: int = Field(description="how many overlapping windows the passage was cut into")


class PairRequest(BaseModel):
    """A premise and a hypothesis for natural language inference (09_sentence_pair_classification, §5)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"premise": "힛걸 진심 최고다 그 어떤 히어로보다 멋지다", "hypothesis": "힛걸 진심 최고로 멋지다."}]})
    premise: Review = Field(description=f"at most {MAX_TEXT_CHARS} characters (and the model's tokens, with the hypothesis)")
    hypothesis: Review = Field(description=f"at most {MAX_TEXT_CHARS} characters")


class PairLabel(BaseModel):
    """Entailment, neutral or contradiction, with the three probabilities (09_sentence_pair_classification, §5)."""

    premise: str
    hypothesis: str
    label: str = Field(description='"entailment", "neutral" or "contradiction"')
    prediction: str = Field(description='e.g. "함의 (entailment)"')
    probabilities: dict[str, float]


class EntitiesRequest(BaseModel):
    """A sentence to find named entities in (10_named_entity_recognition, §5)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"text": "이순신은 1545년 서울에서 태어났다."}]})
    text: Review = Field(description=f"at most {MAX_TEXT_CHARS} characters (and the model's tokens)")


class Entity(BaseModel):
    """One entity: ``text[start:end] == entity.text`` (code points). (10_named_entity_recognition, §5)"""

    text: str
    type: str = Field(description="PS, LC, OG, DT, TI or QT (KLUE-NER)")
    start: int
    end: int


class Entities(BaseModel):
    """The entities found in a sentence, in order (10_named_entity_recognition, §5)."""

    text: str
    entities: list[Entity]
