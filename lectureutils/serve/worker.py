"""One worker thread per model, with a bounded queue: the requests waiting go into one batch. Plumbing behind the
web services of notebooks/05_document_classification.ipynb (§12) and 06_question_answering.ipynb (§10).

One thread per model: a fast tokenizer must not be called from two threads at once, and two forward passes on a
small CPU only slow each other down. Batches: while the model works, new requests wait in the queue; the worker
then takes all of them, and those that arrive within ``gather_seconds`` (5 ms: the event loop reads a burst of
requests one at a time), up to ``max_batch`` inputs, into one call of the task's ``predict_batch``, which costs
little more than a call for one (benchmarks/README.md, "Web service"). ``batching=False``: one at a time.
A full queue raises ``Busy`` (503 with ``Retry-After``); a request not started within ``queue_seconds`` gets
``WaitedTooLong`` (503); a cancelled one is dropped; if a batch fails, each request in it runs again alone.
"""

from __future__ import annotations

import concurrent.futures
import math
import queue
import threading
import time

__all__ = ["Busy", "WaitedTooLong", "ModelWorker"]


class Busy(Exception):
    """The model's queue is full: ``queued`` requests wait; a client should retry after ``retry_after`` seconds."""

    def __init__(self, queued: int, retry_after: int):
        super().__init__(f"{queued} requests waiting")
        self.queued, self.retry_after = queued, retry_after


class WaitedTooLong(Exception):
    """The request was not started within the queue's time limit."""


class ModelWorker:
    """One model served by one thread: ``predict_batch(inputs) -> outputs`` (same length, same order) (05 §12)."""

    def __init__(self, name: str, predict_batch, max_batch: int = 32, queue_size: int = 128,
                 queue_seconds: float = 30.0, batching: bool = True, gather_seconds: float = 0.005):
        self.name, self.predict_batch, self.max_batch = name, predict_batch, max(1, max_batch)
        self.queue_seconds, self.batching, self.gather_seconds = queue_seconds, batching, gather_seconds
        self._queue: queue.Queue = queue.Queue(maxsize=queue_size)
        self._seconds_per_input = 0.05  # recent cost, for Retry-After
        self.stats = {"requests": 0, "batches": 0, "largest_batch": 0, "timed_out": 0, "refused": 0}
        self._thread = threading.Thread(target=self._run, name=f"model-{name}", daemon=True)
        self._thread.start()

    @property
    def queued(self) -> int:
        return self._queue.qsize()

    def submit(self, inputs: list) -> concurrent.futures.Future:
        """Queue a request; its outputs come in the returned future. Raises ``Busy`` when the queue is full."""
        future: concurrent.futures.Future = concurrent.futures.Future()
        try:
            self._queue.put_nowait((list(inputs), time.monotonic() + self.queue_seconds, future))
        except queue.Full:
            self.stats["refused"] += 1
            raise Busy(self.queued, max(1, math.ceil(self.queued * self._seconds_per_input))) from None
        return future

    def close(self, timeout: float = 10.0) -> None:
        """Stop the thread after the requests already queued."""
        self._queue.put(None)
        self._thread.join(timeout)

    def _run(self) -> None:
        stopping = False
        while not stopping:
            jobs, count, job = [], 0, self._queue.get()
            until = time.monotonic() + self.gather_seconds
            while job is not None:
                inputs, deadline, future = job
                if not future.set_running_or_notify_cancel():
                    pass  # cancelled: nobody waits for it
                elif time.monotonic() > deadline:
                    self.stats["timed_out"] += 1
                    future.set_exception(WaitedTooLong(f"waited more than {self.queue_seconds:.0f} s"))
                else:
                    jobs.append(job)
                    count += len(inputs)
                if not self.batching and jobs or count >= self.max_batch:
                    break
                try:
                    job = self._queue.get(timeout=max(0.0, until - time.monotonic()))
                except queue.Empty:
                    break
            stopping = job is None
            if jobs:
                self._serve(jobs)

    def _serve(self, jobs: list) -> None:
        inputs = [item for job in jobs for item in job[0]]
        began = time.perf_counter()
        try:
            outputs = self.predict_batch(inputs)
            if len(outputs) != len(inputs):
                raise RuntimeError(f"{self.name}: {len(outputs)} outputs for {len(inputs)} inputs")
        except Exception as problem:  # noqa: BLE001 (every failure goes to the requests, never kills the thread)
            if len(jobs) > 1:  # find the request that failed: each alone
                for job in jobs:
                    self._serve([job])
            else:
                jobs[0][2].set_exception(problem)
            return
        position = 0
        for job_inputs, _, future in jobs:
            future.set_result(outputs[position:position + len(job_inputs)])
            position += len(job_inputs)
        self.stats["requests"] += len(jobs)
        self.stats["batches"] += 1
        self.stats["largest_batch"] = max(self.stats["largest_batch"], len(inputs))
        self._seconds_per_input = 0.8 * self._seconds_per_input + 0.2 * (time.perf_counter() - began) / len(inputs)
