"""The model runner: one dedicated worker thread per model, a bounded queue, micro-batching.

Plumbing behind the services of notebooks/05_document_classification.ipynb (§11) and
notebooks/06_question_answering.ipynb (§10). Why one thread per model: a fast tokenizer must not be
called from two threads at once, two forward passes on a small CPU only slow each other down, and a
thread pool that runs each forward on whichever of its ~40 threads is free lets every thread grow its
own memory arena (a measured 0.4 -> 3.5 GB). Why micro-batching: while one forward pass runs, the
requests that arrive meanwhile wait in the queue; the worker then takes all of them (up to
``max_batch`` inputs) into one forward pass, which costs little more than a pass for one, and waits for more
only while they keep coming (each within ``max_gap`` seconds of the last: the event loop is still reading a
burst of requests), at most ``max_wait`` seconds in all, and not once the batch is as large as the recent
ones (the burst is complete). A fixed wait would delay every batch: 20 requests take about 2 ms to read.
``batching=False`` runs one request at a time (for comparison).

- A full queue: ``Busy`` (the app answers 503 with ``Retry-After``).
- A request not started within ``queue_seconds``: ``WaitedTooLong`` (503).
- A request whose client went away (``Job.cancel()``) is dropped before its turn.
- If a batch fails, each request in it runs again alone, so one bad input fails only its own request.
- A request submitted from an event loop (``submit(inputs, loop)``) also gets ``job.waiter``, an asyncio
  future; the worker settles the waiters of a whole batch with one ``call_soon_threadsafe`` (one wake-up
  of the loop per batch, not per request).
"""

from __future__ import annotations

import collections
import concurrent.futures
import math
import queue
import threading
import time
from dataclasses import dataclass, field

__all__ = ["Busy", "WaitedTooLong", "Job", "ModelWorker"]


class Busy(Exception):
    """The model's queue is full. ``retry_after``: seconds a client should wait."""

    def __init__(self, queued: int, retry_after: int):
        super().__init__(f"{queued} requests waiting")
        self.queued = queued
        self.retry_after = retry_after


class WaitedTooLong(Exception):
    """The request was not started within the queue's time limit."""


@dataclass
class Job:
    """One request: its inputs (one or more), the future for its outputs, and when it stops waiting; for a
    request from an event loop, ``waiter`` (an asyncio future of ``loop``) instead of ``future``."""

    inputs: list
    deadline: float
    future: concurrent.futures.Future | None = field(default_factory=concurrent.futures.Future)
    cancelled: bool = False
    loop: object = None
    waiter: object = None

    def cancel(self) -> None:
        """The client went away: drop the job if it has not started."""
        self.cancelled = True


class ModelWorker:
    """One model served by one thread. ``predict_batch(inputs) -> outputs`` (same length, same order). (05 §11)"""

    def __init__(self, name: str, predict_batch, max_batch: int = 32, max_wait: float = 0.002,
                 queue_size: int = 128, queue_seconds: float = 30.0, batching: bool = True, max_gap: float = 0.0005):
        self.name = name
        self.predict_batch = predict_batch
        self.max_batch = max(1, max_batch)
        self.max_wait = max_wait
        self.max_gap = min(max_gap, max_wait)
        self._recent: collections.deque = collections.deque(maxlen=8)  # inputs in the last batches
        self.queue_seconds = queue_seconds
        self.batching = batching
        self._queue: queue.Queue = queue.Queue(maxsize=queue_size)
        self._held: collections.deque = collections.deque()  # a job taken that did not fit into the last batch
        self._settled: dict = {}  # event loop -> outcomes for waiters, sent by _wake
        self._seconds_per_job = 0.05
        self.stats = {"requests": 0, "batches": 0, "largest_batch": 0, "dropped": 0, "timed_out": 0, "refused": 0}
        self._thread = threading.Thread(target=self._run, name=f"model-{name}", daemon=True)
        self._thread.start()

    @property
    def queued(self) -> int:
        return self._queue.qsize() + len(self._held)

    def submit(self, inputs: list, loop=None) -> Job:
        """Queue a request; raises ``Busy`` when the queue is full. Called in the running event loop ``loop``,
        the job's outcome comes in ``job.waiter`` (an asyncio future of that loop), else in ``job.future``."""
        deadline = time.monotonic() + self.queue_seconds
        if loop is None:
            job = Job(list(inputs), deadline)
        else:
            job = Job(list(inputs), deadline, future=None, loop=loop, waiter=loop.create_future())
        try:
            self._queue.put_nowait(job)
        except queue.Full:
            self.stats["refused"] += 1
            estimate = self.queued * self._seconds_per_job / (self.max_batch if self.batching else 1)
            raise Busy(self.queued, max(1, math.ceil(estimate))) from None
        return job

    def run(self, inputs: list, timeout: float | None = None) -> list:
        """Submit and wait (for code outside the event loop: tests, notebooks)."""
        return self.submit(inputs).future.result(timeout)

    def close(self, timeout: float = 10.0) -> None:
        """Stop the thread after the jobs already queued."""
        self._queue.put(None)
        self._thread.join(timeout)

    # --------------------------------------------------------------------------------- the thread
    def _next(self, timeout: float | None):
        if self._held:
            return self._held.popleft()
        if timeout is None:
            return self._queue.get()
        return self._queue.get(timeout=timeout) if timeout > 0 else self._queue.get_nowait()

    def _gather(self, first: Job) -> tuple[list[Job], bool]:
        """``first`` and the jobs that join its batch: those already queued, then each one that arrives within
        ``max_gap`` of the last (a burst of requests the event loop is still reading), for at most ``max_wait``
        in all, and no longer once the batch is as large as the largest of the last few (the burst is then
        complete: 20 clients that were just answered send 20 requests); True when the stop signal was seen."""
        jobs, count = [first], len(first.inputs)
        if not self.batching:
            return jobs, False
        until, expected = time.monotonic() + self.max_wait, max(self._recent, default=self.max_batch)
        while count < self.max_batch:
            now = time.monotonic()
            try:
                job = self._next(0 if count >= expected else min(until, now + self.max_gap) - now)
            except queue.Empty:
                break
            if job is None:
                return jobs, True
            if count + len(job.inputs) > self.max_batch:
                self._held.append(job)
                break
            jobs.append(job)
            count += len(job.inputs)
        self._recent.append(count)
        return jobs, False

    def _usable(self, job: Job) -> bool:
        if job.cancelled:
            self.stats["dropped"] += 1
            self._settle(job, None, None, cancelled=True)
            return False
        if time.monotonic() > job.deadline:
            self.stats["timed_out"] += 1
            self._settle(job, None, WaitedTooLong(f"waited more than {self.queue_seconds:.0f} s"))
            return False
        if job.future is None or job.future.set_running_or_notify_cancel():
            return True
        self._settle(job, None, None, cancelled=True)
        return False

    def _settle(self, job: Job, result, problem, cancelled: bool = False) -> None:
        """Give ``job`` its outcome: its future now, its waiter at the next ``_wake``."""
        if job.future is not None:
            if cancelled:
                job.future.cancel()
            elif problem is None:
                job.future.set_result(result)
            else:
                job.future.set_exception(problem)
        if job.waiter is not None:
            self._settled.setdefault(job.loop, []).append((job.waiter, result, problem, cancelled))

    def _wake(self) -> None:
        """One ``call_soon_threadsafe`` per event loop for all the waiters settled since the last call."""
        settled, self._settled = self._settled, {}
        for loop, outcomes in settled.items():
            try:
                loop.call_soon_threadsafe(_settle_waiters, outcomes)
            except RuntimeError:  # the loop was closed (the app stopped): nobody waits any more
                pass

    def _run(self) -> None:
        stopping = False
        while not stopping or self._held:
            first = self._next(None)
            if first is None:
                stopping = True
                continue
            jobs, stopping_now = self._gather(first)
            stopping = stopping or stopping_now
            jobs = [job for job in jobs if self._usable(job)]
            if jobs:
                self._serve(jobs)
            self._wake()

    def _serve(self, jobs: list[Job]) -> None:
        began = time.perf_counter()
        inputs = [item for job in jobs for item in job.inputs]
        try:
            outputs = self.predict_batch(inputs)
            if len(outputs) != len(inputs):
                raise RuntimeError(f"{self.name}: {len(outputs)} outputs for {len(inputs)} inputs")
        except BaseException as problem:  # noqa: BLE001 (every failure goes to the requests, never kills the thread)
            if len(jobs) > 1:  # find the request that failed: each alone
                for job in jobs:
                    self._serve_alone(job)
            else:
                self._settle(jobs[0], None, problem)
            return
        position = 0
        for job in jobs:
            self._settle(job, outputs[position:position + len(job.inputs)], None)
            position += len(job.inputs)
        self._account(jobs, time.perf_counter() - began)

    def _serve_alone(self, job: Job) -> None:
        try:
            outputs = self.predict_batch(job.inputs)
        except BaseException as problem:  # noqa: BLE001
            self._settle(job, None, problem)
        else:
            self._settle(job, outputs, None)
        self._account([job], None)

    def _account(self, jobs: list[Job], seconds: float | None) -> None:
        self.stats["requests"] += len(jobs)
        self.stats["batches"] += 1
        self.stats["largest_batch"] = max(self.stats["largest_batch"], sum(len(job.inputs) for job in jobs))
        if seconds is not None:
            self._seconds_per_job = 0.8 * self._seconds_per_job + 0.2 * seconds / len(jobs)


def _settle_waiters(outcomes) -> None:
    """In the event loop: settle the waiters of one batch (a waiter already settled by a disconnect is left;
    a dropped job's waiter gets None, as for a client that went away)."""
    for waiter, result, problem, cancelled in outcomes:
        if waiter.done():
            continue
        if cancelled:
            waiter.set_result(None)
        elif problem is not None:
            waiter.set_exception(problem)
        else:
            waiter.set_result(result)
