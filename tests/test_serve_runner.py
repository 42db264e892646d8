"""Tests for lectureutils.serve.runner (one worker per model, bounded queue, micro-batching) and for
batched predictions being the same as one-at-a-time predictions on the real (stand-in) models."""

import asyncio
import threading
import time

import pytest
from fastapi.testclient import TestClient
from serve_fixtures import untrained_checkpoints

from lectureutils import qa, serve
from lectureutils.serve import tasks
from lectureutils.serve.runner import Busy, Job, ModelWorker, WaitedTooLong

REVIEWS = ["배우들 연기가 정말 좋았고 스토리도 탄탄했어요", "시간 낭비", "그냥 그랬음 ㅋㅋ 😀", "최고의 영화!!! " * 20, "별로"]
QUESTION = "광합성은 주로 어디에서 일어나는가?"
CONTEXT = "식물 세포에서 광합성은 주로 엽록체라는 세포 소기관에서 일어난다. 엽록체 안에는 엽록소라는 초록색 색소가 있다."


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    classifier_dir, qa_dir = untrained_checkpoints(tmp_path_factory.mktemp("runner_checkpoints"))
    return tasks.TASKS["classification"].load(classifier_dir, "cpu"), tasks.TASKS["qa"].load(qa_dir, "cpu")


class Gate:
    """predict_batch that records its batches and waits until released."""

    def __init__(self):
        self.batches = []
        self.release = threading.Event()
        self.entered = threading.Event()

    def __call__(self, inputs):
        self.entered.set()
        self.release.wait(10)
        self.batches.append(list(inputs))
        return [f"out:{item}" for item in inputs]


def test_concurrent_requests_are_gathered_into_one_batch():
    gate = Gate()
    worker = ModelWorker("t", gate, max_batch=8, queue_size=16)
    try:
        first = worker.submit(["a"])
        assert gate.entered.wait(5)  # the worker is busy with "a": the next ones queue up
        later = [worker.submit([f"b{number}"]) for number in range(5)] + [worker.submit(["c1", "c2"])]
        gate.release.set()
        assert first.future.result(5) == ["out:a"]
        assert [job.future.result(5) for job in later] == [[f"out:b{n}"] for n in range(5)] + [["out:c1", "out:c2"]]
        assert gate.batches == [["a"], ["b0", "b1", "b2", "b3", "b4", "c1", "c2"]]
        assert worker.stats["largest_batch"] == 7 and worker.stats["requests"] == 7
    finally:
        worker.close()


def test_batches_never_exceed_max_batch_and_keep_the_order():
    gate = Gate()
    worker = ModelWorker("t", gate, max_batch=3, queue_size=16)
    try:
        blocker = worker.submit(["x"])
        assert gate.entered.wait(5)
        jobs = [worker.submit([str(number)]) for number in range(7)]
        gate.release.set()
        blocker.future.result(5)
        assert [job.future.result(5) for job in jobs] == [[f"out:{number}"] for number in range(7)]
        assert all(len(batch) <= 3 for batch in gate.batches)
        assert [item for batch in gate.batches[1:] for item in batch] == [str(number) for number in range(7)]
    finally:
        worker.close()


def test_without_batching_one_request_at_a_time():
    gate = Gate()
    gate.release.set()
    worker = ModelWorker("t", gate, max_batch=8, batching=False)
    try:
        jobs = [worker.submit([str(number)]) for number in range(4)]
        [job.future.result(5) for job in jobs]
        assert gate.batches == [["0"], ["1"], ["2"], ["3"]]
    finally:
        worker.close()


def test_a_full_queue_is_busy_with_a_retry_time():
    gate = Gate()
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


def test_a_cancelled_job_is_dropped_and_a_stale_one_times_out():
    gate = Gate()
    worker = ModelWorker("t", gate, queue_seconds=0.2)
    try:
        worker.submit(["running"])
        assert gate.entered.wait(5)
        gone = worker.submit(["client went away"])
        gone.cancel()
        stale = worker.submit(["waited"])
        time.sleep(0.3)
        gate.release.set()
        with pytest.raises(WaitedTooLong):
            stale.future.result(5)
        assert gone.future.cancelled()
        assert worker.stats["dropped"] == 1 and worker.stats["timed_out"] == 1
        assert ["client went away"] not in gate.batches
    finally:
        gate.release.set()
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
        assert jobs[0].future.result(5) == ["OK"] and jobs[2].future.result(5) == ["FINE"]
        with pytest.raises(ValueError, match="cannot read"):
            jobs[1].future.result(5)
        assert worker.run(["again"], timeout=5) == ["AGAIN"], "the worker thread survives"
    finally:
        worker.close()


def test_the_waiters_of_a_batch_are_settled_with_one_wake_up_of_the_event_loop():
    gate = Gate()
    worker = ModelWorker("t", gate, max_batch=8, queue_size=16)

    async def main():
        loop = asyncio.get_running_loop()
        wake_ups = []
        original = loop.call_soon_threadsafe
        loop.call_soon_threadsafe = lambda *args: (wake_ups.append(args), original(*args))[1]
        blocker = worker.submit(["x"], loop)
        while not gate.entered.is_set():
            await asyncio.sleep(0.01)
        jobs = [worker.submit([str(number)], loop) for number in range(5)]
        gate.release.set()
        assert await blocker.waiter == ["out:x"]
        assert [await job.waiter for job in jobs] == [[f"out:{number}"] for number in range(5)]
        assert len(wake_ups) == 2 and all(job.future is None for job in jobs)  # one per batch, no thread futures

    try:
        asyncio.run(main())
    finally:
        gate.release.set()
        worker.close()


def test_gathering_waits_for_a_burst_only_until_the_batch_is_as_large_as_recent_ones():
    worker = ModelWorker("t", lambda inputs: inputs, max_batch=8, max_wait=1.0, max_gap=0.3)
    worker.close()  # the thread stops: _gather is driven by hand below

    def gather(count):
        for number in range(count - 1):
            worker._queue.put(Job([number], time.monotonic() + 10))
        began = time.monotonic()
        jobs, _ = worker._gather(Job(["first"], time.monotonic() + 10))
        return len(jobs), time.monotonic() - began

    size, waited = gather(3)
    assert size == 3 and 0.25 <= waited < 0.9, "no batch seen yet: waits max_gap after the last request"
    size, waited = gather(3)
    assert size == 3 and waited < 0.2, "as large as the last batch: starts at once"
    size, waited = gather(5)
    assert size == 5 and waited < 0.2, "and takes every request already queued"


# ----------------------------------------------------------------------------- batched == one at a time
def test_batched_classification_equals_one_at_a_time(loaded):
    model, tokenizer = loaded[0]
    batched = tasks.classification_predict(model, tokenizer, REVIEWS)
    for review, together in zip(REVIEWS, batched):
        [alone] = tasks.classification_predict(model, tokenizer, [review])
        assert together["positive"] == pytest.approx(alone["positive"], abs=1e-5)
        assert together["label"] == alone["label"] and together["truncated"] == alone["truncated"]


def test_batched_answers_equal_qa_answer_one_at_a_time(loaded):
    model, tokenizer = loaded[1]
    pairs = [(QUESTION, CONTEXT), ("엽록소는 무슨 색인가?", CONTEXT * 25), ("어디?", "😀 " + CONTEXT),
             ("무엇?", "가나다라마 " * 300)]
    batched = tasks.qa_predict(model, tokenizer, pairs)
    assert batched[1]["windows"] > 1 and batched[3]["windows"] > 1
    for (question, context), together in zip(pairs, batched):
        alone = qa.answer(question, context, model, tokenizer)
        assert (together["start"], together["end"], together["answer"]) == (alone["start"], alone["end"], alone["answer"])
        assert together["score"] == pytest.approx(alone["score"], abs=1e-5)
        assert together["windows"] == alone["windows"]


def test_the_service_batches_concurrent_requests(tmp_path):
    classifier_dir, _ = untrained_checkpoints(tmp_path)
    app = serve.create_app(classifier_dir=classifier_dir)
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
        blocker.future.result(10)
        for thread in threads:
            thread.join(10)
        assert worker.stats["largest_batch"] == 6 and worker.stats["batches"] == 2
        served = app.state.served["classification"]
        alone = tasks.classification_predict(served.model, served.tokenizer, [REVIEWS[0]])[0]
        assert results[0]["positive"] == pytest.approx(alone["positive"], abs=1e-5)


def test_a_full_queue_answers_503_with_retry_after(tmp_path):
    classifier_dir, _ = untrained_checkpoints(tmp_path)
    app = serve.create_app(classifier_dir=classifier_dir)
    with TestClient(app) as client:
        worker = app.state.served["classification"].worker
        gate = Gate()
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
