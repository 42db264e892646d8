"""Error answers of the web service: JSON, in Korean and English, short, never an echo of the input. Taught in
notebooks/05_document_classification.ipynb (§12: an empty review is refused) and 06_question_answering (§10).

A body is ``{"detail": "field: message; ...", "detail_ko": "...", "errors": [{"field", "type", "message",
"message_ko"}, ...]}`` with at most ``MAX_ERRORS`` entries (``"more_errors": N`` counts the rest), field names cut
to ``MAX_FIELD_CHARS`` characters: at most ``MAX_ERROR_BYTES`` whatever was sent. No stack trace reaches a client.
"""

from __future__ import annotations

import json
import logging

from .schemas import MAX_BODY_BYTES

__all__ = ["MAX_ERRORS", "MAX_FIELD_CHARS", "MAX_ERROR_BYTES", "MESSAGES", "error", "describe_errors",
           "error_response", "body_too_large", "install_error_handlers"]

MAX_ERRORS = 5
MAX_FIELD_CHARS = 40
MAX_ERROR_BYTES = 4_096
TOO_LARGE = {"text_too_long", "too_many_texts"}  # validation errors answered with 413
logger = logging.getLogger("lectureutils.serve")

# type -> (English, Korean); {placeholders} ({{ }} for a brace) come from the error's context (numbers, never client text).
MESSAGES = {
    "empty_text": ("must not be empty or only whitespace", "비어 있거나 공백뿐이면 안 됩니다"),
    "text_too_long": ("is {length} characters long; the limit is {limit}", "{length}자입니다. 최대 {limit}자까지 받습니다"),
    "too_many_texts": ("holds {count} texts; the limit is {limit} per request",
                       "{count}개입니다. 한 번에 최대 {limit}개까지 받습니다"),
    "too_long_for_model": ("is {length} tokens long; the model reads at most {limit} (shorten it)",
                           "토큰 {length}개입니다. 모델은 최대 {limit}개까지 읽으니 줄여 주세요"),
    "too_many_windows": ("needs {length} windows of the model; the limit is {limit} (shorten the passage)",
                         "모델 창(window)이 {length}개 필요합니다. 최대 {limit}개까지이니 지문을 줄여 주세요"),
    "invalid_unicode": ("contains invalid Unicode (a lone surrogate) at character {position}",
                        "{position}번째 문자가 잘못된 유니코드(짝 없는 서로게이트)입니다"),
    "text_or_texts": ('send either "text" (one review) or "texts" (a list of reviews), exactly one of them',
                      '"text"(리뷰 하나)와 "texts"(리뷰 목록) 중 정확히 하나만 보내 주세요'),
    "json_invalid": ("is not valid JSON", "올바른 JSON이 아닙니다"),
    "body_missing": ('is missing: send a JSON object such as {{"text": "..."}}',
                     '본문이 없습니다: {{"text": "..."}} 같은 JSON 객체를 보내 주세요'),
    "body_type": ('must be a JSON object such as {{"text": "..."}}, sent as Content-Type: application/json',
                  '{{"text": "..."}} 같은 JSON 객체를 Content-Type: application/json으로 보내 주세요'),
    "body_too_large": ("is larger than the limit of {limit} bytes", "요청 본문이 최대 {limit}바이트를 넘습니다"),
    "extra_forbidden": ("is not a field of this request", "이 요청에 없는 필드입니다"),
    "missing": ("is required", "꼭 필요한 항목입니다"),
    "string_type": ("must be a string", "문자열이어야 합니다"),
    "model_input": ("cannot be read by the model", "모델이 읽을 수 없는 입력입니다"),
    "busy": ("the {task} model is busy ({queued} requests waiting); try again in {seconds} s",
             "{task} 모델이 바쁩니다(대기 {queued}건). {seconds}초 뒤에 다시 시도해 주세요"),
    "waited_too_long": ("waited more than {seconds} s for the {task} model; try again later",
                        "{task} 모델을 {seconds}초 넘게 기다렸습니다. 잠시 뒤에 다시 시도해 주세요"),
    "no_model": ("this server has no {task} model loaded (start it with --{option} DIR)",
                 "이 서버에는 {task} 모델이 없습니다(--{option} DIR 옵션으로 시작하세요)"),
    "not_found": ("Not Found", "찾을 수 없습니다"),
    "method_not_allowed": ("Method Not Allowed", "허용되지 않는 메서드입니다"),
    "internal": ("Internal server error (see the server log).", "서버 내부 오류입니다(서버 로그를 보세요)."),
    "invalid": ("is not valid", "올바른 값이 아닙니다"),
}


def error(field: str, kind: str, english: str | None = None, **context) -> dict:
    """One error entry: ``{"field", "type", "message", "message_ko"}`` from ``MESSAGES[kind]`` filled with
    ``context`` (numbers and names the server chose), or ``english`` for a model's own message (05 §12)."""
    template_en, template_ko = MESSAGES.get(kind, MESSAGES["invalid"])
    message = english if english is not None else template_en.format(**context)
    field = field if len(field) <= MAX_FIELD_CHARS else field[:MAX_FIELD_CHARS - 1] + "…"
    return {"field": field, "type": kind, "message": message[:300], "message_ko": template_ko.format(**context)}


def _field_name(location) -> str:
    """("body", "texts", 3) -> "texts[3]"; ("body",) -> "body"."""
    name = ""
    for part in location[1:] if location[:1] == ("body",) else location:
        name += f"[{part}]" if isinstance(part, int) else ("." if name else "") + str(part)
    return name or "body"


def describe_errors(errors) -> list[dict]:
    """Pydantic/FastAPI validation errors as bilingual entries, never echoing the input (05 §12, 06 §10)."""
    described = []
    for item in errors:
        kind, field = item.get("type", "value_error"), _field_name(tuple(item.get("loc", ())))
        context = {key: value for key, value in (item.get("ctx") or {}).items() if isinstance(value, (int, float))}
        if kind == "json_invalid":
            field = "body"
        elif field == "body" and kind == "missing":
            kind = "body_missing"
        elif field == "body" and kind in ("model_attributes_type", "dict_type", "model_type"):
            kind = "body_type"
        elif kind.startswith("string_type"):
            kind = "string_type"
        elif kind == "text_or_texts":
            field = "text"
        if kind in MESSAGES:
            described.append(error(field, kind, **context))
        else:  # a pydantic message (they describe the rule, not the input)
            described.append(error(field, kind, str(item.get("msg", "is not valid"))))
    return described


def error_response(status: int, errors: list[dict], headers: dict | None = None):
    """A JSON error answer with at most ``MAX_ERRORS`` entries and at most ``MAX_ERROR_BYTES`` bytes (05 §12)."""
    from fastapi.responses import JSONResponse

    shown = errors[:MAX_ERRORS]
    body = {"detail": "; ".join(f"{item['field']}: {item['message']}" for item in shown),
            "detail_ko": "; ".join(f"{item['field']}: {item['message_ko']}" for item in shown), "errors": shown}
    if len(errors) > len(shown):
        body["more_errors"] = len(errors) - len(shown)
    while len(json.dumps(body, ensure_ascii=False).encode()) > MAX_ERROR_BYTES and len(body["errors"]) > 1:
        body["errors"] = body["errors"][:-1]
        body["more_errors"] = body.get("more_errors", 0) + 1
    return JSONResponse(body, status_code=status, headers=headers)


def body_too_large(headers=None):
    """The bilingual 413 for a body over ``MAX_BODY_BYTES``, declared or streamed (05 §12)."""
    return error_response(413, [error("body", "body_too_large", limit=MAX_BODY_BYTES)], headers=headers)


def install_error_handlers(app) -> None:
    """Route every error of ``app`` through ``error_response`` (422 for bad input, 413 over a limit) (05 §12)."""
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request, exc):
        errors = describe_errors(exc.errors())
        return error_response(413 if errors and all(item["type"] in TOO_LARGE for item in errors) else 422, errors)

    @app.exception_handler(HTTPException)
    async def on_http_error(request, exc):
        if exc.status_code == 400:  # FastAPI could not read the body (not UTF-8, nested too deeply, a huge number)
            return error_response(422, [error("body", "json_invalid")])
        if exc.status_code == 413:  # FastAPI's max_body_size
            return body_too_large(exc.headers)
        kind = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "invalid")
        return error_response(exc.status_code, [error("path", kind)], headers=exc.headers)

    @app.exception_handler(Exception)
    async def on_crash(request, exc):
        logger.exception("Unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, [error("server", "internal")])
