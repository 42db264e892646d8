"""The web service's NLI and NER routes (made from the task registry, answered by ``nli.predict_batch`` and
``ner.predict_batch``): the same contract as classification and QA, with untrained KLUE-NLI / KLUE-NER
checkpoints (tests/serve_fixtures.py)."""

import pytest
from fastapi.testclient import TestClient
from serve_fixtures import untrained_pair_and_entity_checkpoints

from lectureutils import ner, nli, serve

PREMISE = "힛걸 진심 최고다 그 어떤 히어로보다 멋지다"
HYPOTHESIS = "힛걸 진심 최고로 멋지다."
SENTENCE = "이순신은 1545년 서울 건천동에서 태어났다."


@pytest.fixture(scope="module")
def directories(tmp_path_factory):
    return untrained_pair_and_entity_checkpoints(tmp_path_factory.mktemp("pair_entity_checkpoints"))


@pytest.fixture(scope="module")
def client(directories):
    app = serve.create_app(nli_dir=directories[0], ner_dir=directories[1])
    with TestClient(app, raise_server_exceptions=False) as test_client:
        test_client.app_state = app.state
        yield test_client


def test_every_served_task_has_a_command_line_option():
    from lectureutils.serve.cli import build_parser

    assert {"classification", "qa", "nli", "ner"} <= set(serve.ENDPOINTS)
    help_text = build_parser().format_help()
    assert all(f"--{endpoint.option} DIR" in help_text for endpoint in serve.ENDPOINTS.values())


def test_nli_answers_as_nli_fn_does(client):
    response = client.post("/api/nli", json={"premise": PREMISE, "hypothesis": HYPOTHESIS})
    assert response.status_code == 200, response.text
    result = response.json()
    assert set(result["probabilities"]) == set(nli.NLI_LABELS)
    assert sum(result["probabilities"].values()) == pytest.approx(1.0, abs=1e-5)
    served = client.app_state.served["nli"]
    alone = nli.nli_fn(PREMISE, HYPOTHESIS, served.model, served.tokenizer)
    assert result["label"] == alone["label"]
    for label, probability in alone["probabilities"].items():
        assert result["probabilities"][label] == pytest.approx(probability, abs=1e-5)


def test_ner_answers_as_extract_entities_does_and_the_page_highlights(client):
    response = client.post("/api/ner", json={"text": SENTENCE})
    assert response.status_code == 200, response.text
    result = response.json()
    served = client.app_state.served["ner"]
    assert result == {"text": SENTENCE, "entities": ner.extract_entities(SENTENCE, served.model, served.tokenizer)}
    for entity in result["entities"]:
        assert SENTENCE[entity["start"]:entity["end"]] == entity["text"]
    page = client.get("/").text
    assert 'id="nli-form"' in page and 'id="ner-form"' in page and 'id="classify-form"' not in page
    assert "entity-PS" in client.get("/static/style.css").text


def test_batched_pairs_and_sentences_equal_one_at_a_time(client):
    pairs = [(PREMISE, HYPOTHESIS), ("비가 온다.", "날씨가 맑다."), ("고양이가 잔다 " * 10, "고양이")]
    served = client.app_state.served["nli"]
    together = nli.predict_batch(pairs, served.model, served.tokenizer, batch_size=2)
    for pair, result in zip(pairs, together):
        [alone] = nli.predict_batch([pair], served.model, served.tokenizer)
        assert result["label"] == alone["label"]
        for label in nli.NLI_LABELS:
            assert result["probabilities"][label] == pytest.approx(alone["probabilities"][label], abs=1e-5)
    texts = [SENTENCE, "서울에서 만나요", "내일 오후 3시에 부산역 앞"]
    served = client.app_state.served["ner"]
    assert ner.predict_batch(texts, served.model, served.tokenizer, batch_size=2) == [
        ner.predict_batch([text], served.model, served.tokenizer)[0] for text in texts]


@pytest.mark.parametrize("route, payload, field", [
    ("/api/nli", {"premise": "가나다라 " * 300, "hypothesis": HYPOTHESIS}, "premise"),
    ("/api/ner", {"text": "가 나 다 라 " * 240}, "text"),
])
def test_a_text_longer_than_the_model_reads_is_refused_not_cut(client, route, payload, field):
    response = client.post(route, json=payload)
    assert response.status_code == 413, response.text
    error = response.json()["errors"][0]
    assert error["field"] == field and error["type"] == "too_long_for_model" and "토큰" in error["message_ko"]


@pytest.mark.parametrize("route, payload, field", [
    ("/api/nli", {"premise": PREMISE}, "hypothesis"),
    ("/api/nli", {"premise": " ", "hypothesis": HYPOTHESIS}, "premise"),
    ("/api/ner", {"text": ""}, "text"),
    ("/api/ner", {"sentence": SENTENCE}, "sentence"),
])
def test_bad_input_is_a_bilingual_422(client, route, payload, field):
    response = client.post(route, json=payload)
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]


def test_health_lists_the_pair_and_entity_models(client):
    body = client.get("/health").json()
    assert body["nli"] is True and body["ner"] is True and body["classifier"] is False
    assert body["models"]["nli"]["untrained"] and body["models"]["ner"]["route"] == "/api/ner"
    assert client.post("/api/classify", json={"text": "좋아요"}).status_code == 404
