"""Tests for lectureutils.serve.worker (one thread per model, a bounded queue, the waiting requests as one batch)
and for each task's ``predict_batch`` giving, in a batch, what it gives one input at a time."""

import threading
import time

import pytest
from fastapi.testclient import TestClient
from serve_fixtures import untrained_checkpoints

from lectureutils import classification, qa, serve
from lectureutils.serve.worker import Busy, ModelWorker, WaitedTooLong

REVIEWS = ["배우들 연기가 정말 좋았고 스토리도 탄탄했어요", "시간 낭비", "그냥 그랬음 ㅋㅋ 😀", "최고의 영화!!! " * 20, "별로"]
QUESTION = "광합성은 주로 어디에서 일어나는가?"
CONTEXT = "식물 세포에서 광합성은 주로 엽록체라는 세포 소기관에서 일어난다. 엽록체 안에는 엽록소라는 초록색 색소가 있다."


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    return untrained_checkpoints(tmp_path_factory.mktemp("worker_checkpoints"))


class Gate:
    """predict_batch that records its batches and waits until released."""

    def __init__(self):
        self.batches, self.release, self.entered = [], threading.Event(), threading.Event()

    def __call__(self, inputs):
        self.entered.set()
        self.release.wait(10)
        self.batches.append(list(inputs))
        return [f"out:{item}" for item in inputs]


@pytest.fixture
def gate():
    gate = Gate()
    yield gate
    gate.release.set()


def test_the_requests_waiting_are_taken_as_one_batch(gate):
    worker = ModelWorker("t", gate, max_batch=8, queue_size=16)
    try:
        first = worker.submit(["a"])
        assert gate.entered.wait(5)  # the worker is busy with "a": the next ones queue up
        later = [worker.submit([f"b{number}"]) for number in range(5)] + [worker.submit(["c1", "c2"])]
        gate.release.set()
        assert first.result(5) == ["out:a"]
        assert [job.result(5) for job in later] == [[f"out:b{n}"] for n in range(5)] + [["out:c1", "out:c2"]]
        assert gate.batches == [["a"], ["b0", "b1", "b2", "b3", "b4", "c1", "c2"]]
        assert worker.stats["largest_batch"] == 7 and worker.stats["requests"] == 7 and worker.stats["batches"] == 2
    finally:
        worker.close()


def test_a_batch_stops_at_max_batch_and_keeps_the_order(gate):
    worker = ModelWorker("t", gate, max_batch=3, queue_size=16)
    try:
        blocker = worker.submit(["x"])
        assert gate.entered.wait(5)
        jobs = [worker.submit([str(number)]) for number in range(7)]
        gate.release.set()
        blocker.result(5)
        assert [job.result(5) for job in jobs] == [[f"out:{number}"] for number in range(7)]
        assert [len(batch) for batch in gate.batches] == [1, 3, 3, 1]
        assert [item for batch in gate.batches[1:] for item in batch] == [str(number) for number in range(7)]
    finally:
        worker.close()


def test_requests_arriving_just_after_the_first_join_its_batch(gate):
    gate.release.set()
    worker = ModelWorker("t", gate, max_batch=8, gather_seconds=0.5)  # the event loop reads a burst one by one
    try:
        jobs = [worker.submit(["0"])]
        time.sleep(0.05)
        jobs += [worker.submit([str(number)]) for number in (1, 2)]
        assert [job.result(5) for job in jobs] == [["out:0"], ["out:1"], ["out:2"]]
        assert gate.batches == [["0", "1", "2"]]
    finally:
        worker.close()


def test_without_batching_one_request_at_a_time(gate):
    gate.release.set()
    worker = ModelWorker("t", gate, max_batch=8, batching=False)
    try:
        [job.result(5) for job in [worker.submit([str(number)]) for number in range(4)]]
        assert gate.batches == [["0"], ["1"], ["2"], ["3"]]
    finally:
        worker.close()


def test_a_full_queue_is_busy_with_a_retry_time(gate):
    worker = ModelWorker("t", gate, queue_size=2)
    try:
        worker.submit(["running"])
        assert gate.entered.wait(5)
        worker.submit(["1"]), worker.submit(["2"])
        with pytest.raises(Busy) as busy:
            worker.submit(["3"])
        assert busy.value.retry_after >= 1 and busy.value.queued == 2 and worker.stats["refused"] == 1
    finally:
        gate.release.set()
        worker.close()


def test_a_cancelled_request_is_dropped_and_a_stale_one_times_out(gate):
    worker = ModelWorker("t", gate, queue_seconds=0.2)
    try:
        worker.submit(["running"])
        assert gate.entered.wait(5)
        gone = worker.submit(["client went away"])
        assert gone.cancel()
        stale = worker.submit(["waited"])
        time.sleep(0.3)
        gate.release.set()
        with pytest.raises(WaitedTooLong):
            stale.result(5)
        assert worker.stats["timed_out"] == 1 and ["client went away"] not in gate.batches
    finally:
        worker.close()


def test_one_bad_input_fails_only_its_own_request():
    def predict(inputs):
        if "bad" in inputs:
            raise ValueError("cannot read 'bad'")
        return [item.upper() for item in inputs]

    release = threading.Event()
    worker = ModelWorker("t", lambda inputs: (release.wait(5), predict(inputs))[1], max_batch=8)
    try:
        jobs = [worker.submit([item]) for item in ("ok", "bad", "fine")]
        release.set()
        assert jobs[0].result(5) == ["OK"] and jobs[2].result(5) == ["FINE"]
        with pytest.raises(ValueError, match="cannot read"):
            jobs[1].result(5)
        assert worker.submit(["again"]).result(5) == ["AGAIN"], "the worker thread survives"
    finally:
        worker.close()


# ----------------------------------------------------------------------------- batched == one at a time
def test_batched_classification_equals_one_at_a_time(folders):
    model, tokenizer = classification.load_classifier(folders[0])
    batched = classification.predict_batch(REVIEWS, model, tokenizer, batch_size=2)
    for review, together in zip(REVIEWS, batched):
        [alone] = classification.predict_batch([review], model, tokenizer)
        assert together["positive"] == pytest.approx(alone["positive"], abs=1e-5)
        assert together["prediction"] == alone["prediction"] and together["truncated"] == alone["truncated"]
    [long] = classification.predict_batch(["정말 " * 600], model, tokenizer)
    assert long["truncated"] is True, "a review longer than the model reads is flagged, never cut silently"


def test_batched_answers_equal_qa_answer_one_at_a_time(folders):
    model, tokenizer = qa.load_qa_model(folders[1])
    pairs = [(QUESTION, CONTEXT), ("엽록소는 무슨 색인가?", CONTEXT * 25), ("어디?", "😀 " + CONTEXT),
             ("무엇?", "가나다라마 " * 300)]
    batched = qa.predict_batch(pairs, model, tokenizer, batch_size=4)
    assert batched[1]["windows"] > 1 and batched[3]["windows"] > 1
    for (question, context), together in zip(pairs, batched):
        alone = qa.answer(question, context, model, tokenizer)
        assert (together["start"], together["end"], together["answer"]) == (alone["start"], alone["end"], alone["answer"])
        assert together["score"] == pytest.approx(alone["score"], abs=1e-5)
        assert together["windows"] == alone["windows"]
    with pytest.raises(ValueError, match="position 1 needs .* windows, more than the 2") as refused:
        qa.predict_batch(pairs[:2], model, tokenizer, max_windows=2)
    assert refused.value.unit == "windows" and refused.value.field == "context"


# ----------------------------------------------------------------------------- the worker in the app
def test_the_service_batches_concurrent_requests(folders):
    app = serve.create_app(classifier_dir=folders[0])
    with TestClient(app) as client:
        worker = app.state.served["classification"].worker
        predict, release, entered = worker.predict_batch, threading.Event(), threading.Event()
        worker.predict_batch = lambda inputs: (entered.set(), release.wait(10), predict(inputs))[2]
        blocker = worker.submit(["막는 리뷰"])
        assert entered.wait(10)  # the worker is busy: the requests below wait together
        results = [None] * 6

        def ask(number):
            results[number] = client.post("/api/classify", json={"text": REVIEWS[number % len(REVIEWS)]}).json()

        threads = [threading.Thread(target=ask, args=(number,)) for number in range(6)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 10
        while worker.queued < 6 and time.monotonic() < deadline:
            time.sleep(0.01)
        release.set()
        blocker.result(10)
        for thread in threads:
            thread.join(10)
        assert worker.stats["largest_batch"] == 6 and worker.stats["batches"] == 2
        served = app.state.served["classification"]
        [alone] = classification.predict_batch([REVIEWS[0]], served.model, served.tokenizer)
        assert results[0]["positive"] == pytest.approx(alone["positive"], abs=1e-5)


def test_a_full_queue_answers_503_with_retry_after(folders, gate):
    app = serve.create_app(classifier_dir=folders[0])
    with TestClient(app) as client:
        worker = app.state.served["classification"].worker
        worker.predict_batch = gate
        worker.submit(["x"])
        assert gate.entered.wait(5)  # the worker is busy: nothing leaves the queue now
        with pytest.raises(Busy):
            for _ in range(worker._queue.maxsize + 1):
                worker.submit(["x"])
        response = client.post("/api/classify", json={"text": "좋아요"})
        gate.release.set()
        assert response.status_code == 503
        assert int(response.headers["retry-after"]) >= 1
        assert "바쁩니다" in response.json()["detail_ko"] and "busy" in response.json()["detail"]
