"""Tests for lectureutils.serve: the JSON API, its validation, the page, the checkpoint checks, and that the
service is built from FastAPI's and uvicorn's public API only.

The checkpoints are untrained stand-ins (random heads, tests/serve_fixtures.py): the tests check the
contract (shapes, probabilities, offsets, errors, stand-in warnings), not the quality of the answers.
The worker (queues, batches) is in test_serve_worker.py, a real uvicorn in test_serve_server.py,
the fuzz set in test_serve_fuzz.py, a real browser in test_serve_browser.py.
"""

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from serve_fixtures import untrained_checkpoints

from lectureutils import serve

REVIEW = "배우들 연기가 정말 좋았고 스토리도 탄탄했어요"
QUESTION = "광합성은 주로 어디에서 일어나는가?"
CONTEXT = "식물 세포에서 광합성은 주로 엽록체라는 세포 소기관에서 일어난다. 엽록체 안에는 엽록소라는 초록색 색소가 있다."


@pytest.fixture(scope="session")
def checkpoints(tmp_path_factory):
    """(classifier_dir, qa_dir): untrained kcbert-base stand-ins saved with save_pretrained."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LECTUREUTILS_OFFLINE", "1")
        patch.setenv("HF_HUB_OFFLINE", "1")
        return untrained_checkpoints(tmp_path_factory.mktemp("serve_checkpoints"))


@pytest.fixture(scope="module")
def client(checkpoints):
    app = serve.create_app(classifier_dir=checkpoints[0], qa_dir=checkpoints[1])
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


# ----------------------------------------------------------------------------- checkpoints
def test_create_app_needs_a_checkpoint(tmp_path):
    with pytest.raises(ValueError, match="classifier checkpoint directory, a QA"):
        serve.create_app()
    with pytest.raises(FileNotFoundError, match="does-not-exist.*no config.json"):
        serve.create_app(classifier_dir=tmp_path / "does-not-exist")
    with pytest.raises(FileNotFoundError, match="no config.json.*finetune qa"):
        serve.create_app(qa_dir=tmp_path)
    with pytest.raises(TypeError, match="unexpected keyword argument 'tokenizer_dir'"):
        serve.create_app(classifier_dir=tmp_path, tokenizer_dir=tmp_path)


def test_a_pickled_checkpoint_is_refused_with_the_reason(tmp_path, checkpoints):
    (tmp_path / "config.json").write_text((Path(checkpoints[0]) / "config.json").read_text())
    (tmp_path / "pytorch_model.bin").write_bytes(b"not even a pickle")
    with pytest.raises(FileNotFoundError, match=r"no .safetensors weights \(only pytorch_model.bin\).*save_pretrained"):
        serve.create_app(classifier_dir=tmp_path)


def test_checkpoint_status_reads_the_markers(tmp_path, checkpoints):
    from lectureutils.standins import MARKER

    status = serve.checkpoint_status(checkpoints[0])
    assert status["untrained"] is True and status["note"]
    (tmp_path / "config.json").write_text('{"model_type": "bert"}')
    assert serve.checkpoint_status(tmp_path) == {"checkpoint": tmp_path.name, "standin": False, "untrained": False,
                                                 "note": None}
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "bert", MARKER: "tiny random BERT"}))
    assert serve.checkpoint_status(tmp_path)["standin"] is True
    assert serve.checkpoint_status(tmp_path)["note"] == "tiny random BERT"


def test_no_framework_internals_are_overridden_or_patched():
    """Limits come from uvicorn's settings and FastAPI's public API; nothing private is replaced or patched."""
    folder = Path(serve.__file__).parent
    source = "\n".join(path.read_text(encoding="utf-8") for path in folder.glob("*.py"))
    for internal in (r"\bdata_received\b", r"\bon_header\b", r"\bon_url\b", r"\bon_message_begin\b",
                     r"\bconnection_made\b", r"\.cycle\b", r"httptools_impl", r"h11_impl", r"Protocol\b",
                     r"\bhttp=", r"class \w+\((FastAPI|Starlette)\)", r"__call__ = ",
                     r"FastAPI\.__call__", r"setattr\((FastAPI|Starlette|uvicorn)", r"fast_?lane"):
        assert not re.search(internal, source), f"lectureutils/serve overrides or patches {internal!r}"
    assert not (folder / "fastlane.py").exists() and not (folder / "batching.py").exists()
    lines = sum(len(path.read_text(encoding="utf-8").splitlines()) for path in folder.glob("*.py"))
    assert lines <= 900, f"the service stays lecture-sized ({lines} lines)"


def test_every_served_task_of_the_registry_has_a_route_answered_by_its_own_predict_batch():
    import importlib
    import inspect

    from lectureutils.tasks import TASKS

    served = {name for name, entry in TASKS.items() if entry.served}
    assert served == set(serve.ENDPOINTS)
    routes = [endpoint.route for endpoint in serve.ENDPOINTS.values()]
    assert len(set(routes)) == len(routes)
    for name in served:
        inference = importlib.import_module(TASKS[name].package + ".inference")
        assert list(inspect.signature(inference.predict_batch).parameters)[1:3] == ["model", "tokenizer"], name
        assert callable(getattr(inference, serve.ENDPOINTS[name].load))


# ----------------------------------------------------------------------------- health, page, docs
def test_health_says_what_is_loaded_and_that_it_is_untrained(client):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["classifier"] is True and body["qa"] is True
    assert body["limits"]["batch"] == serve.MAX_BATCH and body["limits"]["windows"] == serve.MAX_WINDOWS
    for name in ("classification", "qa"):
        model = body["models"][name]
        assert model["loaded"] and model["untrained"] and model["note"] and model["batching"]


def test_head_works_on_the_page_and_health(client):
    for path in ("/", "/health"):
        response = client.head(path)
        assert response.status_code == 200 and response.content == b""


def test_every_answer_says_nosniff(client):
    for response in (client.get("/"), client.get("/health"), client.get("/static/app.js"), client.get("/nope"),
                     client.post("/api/classify", json={"text": ""})):
        assert response.headers["x-content-type-options"] == "nosniff"


def test_a_trailing_slash_is_404_never_a_redirect_to_the_host_header(client):
    response = client.post("/api/classify/", json={"text": REVIEW}, headers={"host": "evil.example"},
                           follow_redirects=False)
    assert response.status_code == 404 and "location" not in response.headers
    assert "evil" not in response.text


def test_page_warns_about_untrained_models_and_loads_nothing_from_outside(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    page = response.text
    assert 'id="classify-form"' in page and 'id="qa-form"' in page and 'id="nli-form"' not in page
    assert "{{" not in page, "a template placeholder was left unfilled"
    assert 'id="standin-banner"' in page and page.count('class="standin" role="note"') == 2
    assert "maxlength" not in page, "the browser would cut a pasted text silently"
    assert f'data-limit="{serve.MAX_TEXT_CHARS}"' in page
    script, css = client.get("/static/app.js").text, client.get("/static/style.css").text
    for text in (page, script, css):
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), "the page must not load from a CDN"
        assert "@import" not in text and "fonts.googleapis" not in text
    assert "working…" in script and "detail_ko" in script
    assert "word-break: keep-all" in css
    assert "Noto Sans KR" in css and "Malgun Gothic" in css and "NanumGothic" in css and "Apple SD Gothic Neo" in css


def test_page_shows_only_served_panels(checkpoints):
    with TestClient(serve.create_app(classifier_dir=checkpoints[0])) as only_classifier:
        page = only_classifier.get("/").text
        assert 'id="classify-form"' in page and 'id="qa-form"' not in page
        response = only_classifier.post("/api/answer", json={"question": QUESTION, "context": CONTEXT})
        assert response.status_code == 404 and "--qa" in response.json()["detail"]
        assert only_classifier.get("/health").json()["qa"] is False


def test_api_docs_work_offline(client):
    schema = client.get("/openapi.json").json()
    assert {"/api/classify", "/api/answer", "/health"} <= set(schema["paths"])
    assert str(serve.MAX_BATCH) in schema["info"]["description"]
    docs = client.get("/docs")
    assert docs.status_code == 200
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", docs.text)
    assert assets and all(not asset.startswith(("http", "//")) for asset in assets), assets
    for asset in assets:
        if not asset.startswith("data:"):
            assert client.get("/" + asset).status_code == 200, asset
    assert "Apache License" in client.get("/static/swagger-ui/LICENSE").text


# ----------------------------------------------------------------------------- classify and answer
def test_classify_one_text(client):
    response = client.post("/api/classify", json={"text": REVIEW})
    assert response.status_code == 200
    result = response.json()  # the lecture's inference_fn fields, and the numbers
    assert result["sentence"] == REVIEW and result["truncated"] is False
    assert result["positive"] + result["negative"] == pytest.approx(1.0, abs=1e-6)
    assert result["prediction"] == ("긍정 (positive)" if result["positive"] >= 0.5 else "부정 (negative)")
    assert result["positive_data"] == f"긍정 {result['positive']:.4f}"
    assert result["positive_width"] == f"{round(result['positive'], 4) * 100:.2f}"


def test_classify_says_when_a_review_is_longer_than_the_model_reads(client):
    result = client.post("/api/classify", json={"text": "정말 " * 600}).json()
    assert result["truncated"] is True


def test_classify_batch_agrees_with_one_by_one(client):
    texts = [REVIEW, "시간 낭비였다", "그냥 그랬음 ㅋㅋ 😀"]
    results = client.post("/api/classify", json={"texts": texts}).json()["results"]
    assert [result["sentence"] for result in results] == texts
    for text, result in zip(texts, results):
        alone = client.post("/api/classify", json={"text": text}).json()
        assert alone["positive"] == pytest.approx(result["positive"], abs=1e-5)
        assert alone["prediction"] == result["prediction"]


def test_answer_is_a_span_of_the_context(client):
    result = client.post("/api/answer", json={"question": QUESTION, "context": CONTEXT}).json()
    assert result["question"] == QUESTION
    assert 0 <= result["start"] <= result["end"] <= len(CONTEXT)
    assert CONTEXT[result["start"]:result["end"]] == result["answer"]
    assert isinstance(result["score"], float) and result["windows"] == 1


def test_a_passage_needing_too_many_windows_is_refused_not_cut(client):
    context = "가나다라마바사 " * 1250
    response = client.post("/api/answer", json={"question": QUESTION, "context": context})
    assert response.status_code == 413, response.text
    error = response.json()["errors"][0]
    assert error["field"] == "context" and error["type"] == "too_many_windows"
    assert str(serve.MAX_WINDOWS) in error["message"] and "창" in error["message_ko"]


VALID_ODD_UNICODE = ["좋아요 😀👍🏽 최고", "\u200b좋\u200d아요", "\u202eשלום עולם\u202c 좋아", "مرحبا بالعالم", "좋은\x00영화",
                     "ㅈㅗㅎㅇㅏ", "e\u0301\u0301\u0301 combining", "\ufeffBOM first", "a"]


@pytest.mark.parametrize("text", VALID_ODD_UNICODE)
def test_odd_but_valid_unicode_is_classified(client, text):
    response = client.post("/api/classify", json={"text": text})
    assert response.status_code == 200, response.text
    assert response.json()["sentence"] == text


@pytest.mark.parametrize("prefix", ["😀👍🏽 ", "\u202e", "\x00 ", "e\u0301 "])
def test_answer_offsets_count_code_points(client, prefix):
    context = prefix + CONTEXT
    result = client.post("/api/answer", json={"question": QUESTION, "context": context}).json()
    assert context[result["start"]:result["end"]] == result["answer"]


@pytest.mark.parametrize("context", ["\ue000\ue001", "\u0301\u0301", "😀", "\u2800", "\U000e0001 x", "가나 " * 1000])
def test_odd_passages_give_an_answer_or_a_422(client, context):
    response = client.post("/api/answer", json={"question": QUESTION, "context": context})
    assert response.status_code in (200, 422), response.text
    if response.status_code == 200:
        result = response.json()
        assert context[result["start"]:result["end"]] == result["answer"]
    else:
        assert response.json()["errors"][0]["field"] == "context"


# ----------------------------------------------------------------------------- bad input
BAD_CLASSIFY = {
    "empty text": ({"text": ""}, 422, "text"),
    "whitespace": ({"text": " \t\n\u3000 "}, 422, "text"),
    "zero-width only": ({"text": "\u200b\u200c\u200d\ufeff"}, 422, "text"),
    "number": ({"text": 5}, 422, "text"),
    "null": ({"text": None}, 422, "text"),
    "nested object": ({"text": {"text": "좋아요"}}, 422, "text"),
    "both fields": ({"text": "a", "texts": ["b"]}, 422, "text"),
    "no fields": ({}, 422, "text"),
    "unknown field": ({"review": "좋아요"}, 422, "review"),
    "texts empty": ({"texts": []}, 422, "texts"),
    "texts with a number": ({"texts": ["좋아요", 3]}, 422, "texts[1]"),
    "texts with a blank": ({"texts": ["좋아요", "  "]}, 422, "texts[1]"),
    "body is a list": ([{"text": "좋아요"}], 422, "body"),
    "body is null": (None, 422, "body"),
    "huge text": ({"text": "가" * (serve.MAX_TEXT_CHARS + 1)}, 413, "text"),
    "too many texts": ({"texts": ["좋아요"] * (serve.MAX_BATCH + 1)}, 413, "texts"),
}


@pytest.mark.parametrize("case", list(BAD_CLASSIFY))
def test_bad_classify_input_gives_a_clear_bilingual_4xx(client, case):
    payload, status, field = BAD_CLASSIFY[case]
    response = client.post("/api/classify", json=payload)
    assert response.status_code == status, response.text
    body = response.json()
    assert field in [error["field"] for error in body["errors"]], body
    assert body["detail"].startswith(field) or f"{field}:" in body["detail"]
    assert body["detail_ko"] and all(error["message_ko"] for error in body["errors"])
    assert "Traceback" not in response.text and len(response.content) <= 4096


def raw(body: bytes, content_type: str = "application/json"):
    return {"content": body, "headers": {"content-type": content_type}}


@pytest.mark.parametrize("body", [b"[" * 100_000 + b"]" * 100_000, b'{"text": ' + b"9" * 5_000 + b"}",
                                  b'{"text": "\xff\xfe"}', b'{"text": '])
def test_unreadable_bodies_are_a_422_not_a_crash(client, body):
    response = client.post("/api/classify", **raw(body))
    assert response.status_code == 422
    assert response.json()["errors"][0]["type"] == "json_invalid" and response.json()["detail_ko"]


def test_error_bodies_are_capped_and_never_echo_the_input(client):
    many = "{" + ",".join(f'"k{number}": 1' for number in range(50_000)) + "}"
    response = client.post("/api/classify", **raw(many.encode()))
    body = response.json()
    assert response.status_code == 422 and len(response.content) <= 4096
    assert len(body["errors"]) <= 5 and body["more_errors"] >= 49_995
    secret = "비밀" * 130_000
    body = json.dumps({secret: 1, "text": "좋아요"}, ensure_ascii=False).encode()  # raw UTF-8 (httpx 0.27 escapes it)
    response = client.post("/api/classify", **raw(body))
    assert response.status_code == 422 and len(response.content) <= 4096 and "비밀" * 30 not in response.text


def test_content_type_other_than_json_is_refused(client):
    response = client.post("/api/classify", **raw(b'{"text": "a"}', "text/plain"))
    assert response.status_code == 422 and "application/json" in response.json()["detail"]


def test_chunked_body_over_the_limit_gives_413(client):
    def chunks():
        for _ in range(serve.MAX_BODY_BYTES // 65_536 + 2):
            yield b"a" * 65_536

    response = client.post("/api/classify", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    [entry] = response.json()["errors"]
    assert entry["type"] == "body_too_large" and str(serve.MAX_BODY_BYTES) in entry["message"] and entry["message_ko"]


def test_a_declared_length_over_the_limit_gives_413(client):
    body = b'{"text": "' + b"a" * serve.MAX_BODY_BYTES + b'"}'
    response = client.post("/api/classify", **raw(body, "application/json"))
    assert response.status_code == 413 and response.json()["errors"][0]["type"] == "body_too_large"


def test_a_crash_is_a_bare_bilingual_500(checkpoints):
    app = serve.create_app(classifier_dir=checkpoints[0])
    with TestClient(app, raise_server_exceptions=False) as test_client:
        def crash(inputs):
            raise RuntimeError("secret internal detail /home/someone/model.py line 12")

        app.state.served["classification"].worker.predict_batch = crash
        response = test_client.post("/api/classify", json={"text": REVIEW})
        assert response.status_code == 500
        assert response.json()["detail"] == "server: Internal server error (see the server log)."
        assert "secret" not in response.text and "Traceback" not in response.text
        assert test_client.get("/health").status_code == 200


def test_unknown_route_and_method_are_json(client):
    assert client.get("/nope").json()["detail"] == "path: Not Found"
    assert client.get("/api/classify").status_code == 405
