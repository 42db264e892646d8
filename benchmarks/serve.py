"""The web service (``lectureutils.serve``) under a classroom's load, on 127.0.0.1 only, bounded in count and time.

Starts ``python -m lectureutils.serve`` twice (batching on, and ``--no-batching``), each a real uvicorn in its own
process, and measures what issue 24 asks for (benchmarks/README.md, "Web service"):

1. Concurrent clients sending single reviews: classify requests/s with and without batching, the two servers in
   alternating rounds (on a shared machine, other jobs then slow both alike), and the server's CPU per request.
2. A burst of long-passage (9,000-character) QA requests: how many are answered and how many refused (503 with
   ``Retry-After`` for a request not started within the queue's time limit), that the server stays up, and its
   RSS after start-up and after the burst.
3. Head-of-line blocking: classify latency (p50/p95) while long QA requests are queued.
4. The fuzz set of tests/test_serve_fuzz.py: 5xx count, largest 4xx body, /health after every case.

The clients are a small HTTP/1.1 keep-alive client, an asyncio protocol (much cheaper than httpx, so that on
a small machine the client does not eat the server's CPU). Reviews, questions and passages come from data/ (NSMC and
KorQuAD samples). Prints Markdown tables. The size that matters is ``--size base`` (kcbert-base's shape, random
weights): there the model's forward passes, not the web framework, cost.

    python benchmarks/serve.py --threads 1                 # tiny stand-in checkpoints (about a minute)
    python benchmarks/serve.py --size base --clients 30 --requests 300 --rounds 4 --threads 1 --burst 20 \
        --queued 4 --during 40                             # kcbert-base's shape (about 8 minutes on 2 cores)
    python benchmarks/serve.py --classifier DIR --qa DIR   # your fine-tuned checkpoints
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # serve_fixtures (untrained checkpoints), test_serve_fuzz (the fuzz set)
from machine import describe  # noqa: E402  (benchmarks/machine.py)


def reviews() -> list[str]:
    rows = (ROOT / "data" / "nsmc_sample.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return [row.split("\t")[1] for row in rows if row.count("\t") == 2 and row.split("\t")[1].strip()]


def long_questions(limit_chars: int = 9_000) -> list[dict]:
    """KorQuAD-sample questions, each asked about the sample's passages joined to about ``limit_chars``."""
    squad = json.loads((ROOT / "data" / "korquad_sample.json").read_text(encoding="utf-8"))
    paragraphs = [paragraph for article in squad["data"] for paragraph in article["paragraphs"]]
    passage = ""
    while len(passage) < limit_chars:
        for paragraph in paragraphs:
            passage += paragraph["context"] + "\n"
    passage = passage[:limit_chars]
    return [{"question": qa["question"], "context": passage} for paragraph in paragraphs for qa in paragraph["qas"]]


class Client(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection: ``await post(path, body) -> (status, seconds, body bytes)``.

    An ``asyncio.Protocol`` that parses the status line, ``Content-Length`` and ``Connection`` itself: the
    client process spends about 0.04 ms of CPU per request (with asyncio streams about 0.06), so that on a
    2-core machine the client takes little from the server it measures. One request at a time."""

    def __init__(self, port: int):
        self.port = port
        self.transport = self.waiter = None
        self.buffer = bytearray()

    async def post(self, path: str, body) -> tuple[int, float, bytes]:
        if not isinstance(body, bytes):
            body = json.dumps(body, ensure_ascii=False).encode()
        loop = asyncio.get_running_loop()
        began = time.perf_counter()
        if self.transport is None:
            await loop.create_connection(lambda: self, "127.0.0.1", self.port)
        self.waiter = loop.create_future()
        self.transport.write(b"POST /%s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                             b"Content-Length: %d\r\n\r\n%s" % (path.encode(), len(body), body))
        status, answer, close = await self.waiter
        if close:
            self.close()
        return status, time.perf_counter() - began, answer

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        lines = self.buffer[:end].decode("latin-1").split("\r\n")
        length, close = 0, False
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            close = close or (name == "connection" and "close" in value.lower())
        if len(self.buffer) < end + 4 + length:
            return
        answer = bytes(self.buffer[end + 4:end + 4 + length])
        del self.buffer[:end + 4 + length]
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result((int(lines[0].split()[1]), answer, close))

    def connection_lost(self, exc) -> None:
        self.transport = None
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError("the server closed the connection"))

    def close(self):
        if self.transport is not None:
            self.transport.close()
        self.transport = None
        self.buffer.clear()


async def run_load(port: int, path: str, payloads: list, clients: int, requests: int):
    """(seconds, latencies in ms, statuses) for ``requests`` POSTs from ``clients`` concurrent clients."""
    bodies = [json.dumps(payload, ensure_ascii=False).encode() for payload in payloads]
    jobs = asyncio.Queue()
    for number in range(requests):
        jobs.put_nowait(bodies[number % len(bodies)])
    latencies, statuses = [], []

    async def client():
        connection = Client(port)
        while not jobs.empty():
            status, seconds, _ = await connection.post(path, jobs.get_nowait())
            latencies.append(seconds * 1000)
            statuses.append(status)
        connection.close()

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return time.perf_counter() - began, latencies, statuses


def percentile(values, fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(classifier_dir, qa_dir, batching: bool, threads) -> tuple[subprocess.Popen, int]:
    port = free_port()
    command = [sys.executable, "-m", "lectureutils.serve", "--classifier", classifier_dir, "--qa", qa_dir,
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    command += [] if batching else ["--no-batching"]
    command += [] if threads is None else ["--threads", str(threads)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server stopped:\n" + process.stderr.read().decode(errors="replace")[-2000:])
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return process, port
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise TimeoutError("the server did not answer /health within 300 s")


def rss_mb(process) -> float:
    import psutil

    return psutil.Process(process.pid).memory_info().rss / 2**20


def cpu_seconds(process) -> float:
    import psutil

    times = psutil.Process(process.pid).cpu_times()
    return times.user + times.system


def row(name, batching, clients, seconds, latencies, statuses, cpu=None):
    failed = sum(status != 200 for status in statuses)
    cpu_ms = "" if cpu is None else f"{cpu / len(statuses) * 1000:.2f}"
    return (name, "on" if batching else "off", clients, len(statuses), failed, len(statuses) / seconds,
            statistics.median(latencies), percentile(latencies, 0.95), max(latencies), cpu_ms)


def load_average() -> float:
    """The 1-minute load average (other jobs on a shared machine), or NaN where there is none."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return float("nan")


def measure_classify(servers: dict, args, single: list, rows: list, checks: dict) -> None:
    """20 clients sending single reviews to both servers (batching off and on) in alternating rounds, so that
    other jobs on a shared machine slow both alike; requests/s, latencies and server CPU over all rounds."""
    for process, port in servers.values():
        asyncio.run(run_load(port, "api/classify", single, 4, 40))  # warm-up
    totals = {batching: [0.0, [], [], 0.0] for batching in servers}  # seconds, latencies, statuses, cpu
    per_round = max(args.clients, -(-args.requests // args.rounds))
    loads = [load_average()]
    for number in range(args.rounds):
        for batching in (False, True) if number % 2 == 0 else (True, False):
            process, port = servers[batching]
            began = cpu_seconds(process)
            seconds, latencies, statuses = asyncio.run(run_load(port, "api/classify", single, args.clients, per_round))
            total = totals[batching]
            total[0] += seconds
            total[1] += latencies
            total[2] += statuses
            total[3] += cpu_seconds(process) - began
        loads.append(load_average())
    checks["load during classify"] = (min(loads), max(loads))
    for batching in (False, True):
        seconds, latencies, statuses, cpu = totals[batching]
        rows.append(row("classify, one review per request", batching, args.clients, seconds, latencies, statuses,
                        cpu=cpu))
        checks[f"classify/s batching {'on' if batching else 'off'}"] = rows[-1][5]
        checks[f"classify cpu batching {'on' if batching else 'off'}"] = cpu


def measure_batched(port: int, process, args, single: list, questions: list, rows: list, checks: dict) -> None:
    """Memory after a burst of long QA requests, and classify latency while QA requests wait (batching on)."""
    asyncio.run(run_load(port, "api/answer", questions[:2], 1, 2))  # warm-up of the QA model
    checks["rss after warm-up"] = rss_mb(process)
    result = asyncio.run(run_load(port, "api/answer", questions, args.burst, args.burst))
    rows.append(row(f"answer, {len(questions[0]['context'])}-character passage, burst", True, args.burst, *result))
    checks["rss after burst"] = rss_mb(process)
    checks["burst statuses"] = {status: result[2].count(status) for status in sorted(set(result[2]))}
    health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=10)
    checks["up after burst"] = health.status_code == 200 and process.poll() is None

    async def classify_while_qa_is_queued():
        qa_load = asyncio.ensure_future(run_load(port, "api/answer", questions, args.queued, args.queued))
        async with httpx.AsyncClient(timeout=10) as http:
            for _ in range(200):
                queued = (await http.get(f"http://127.0.0.1:{port}/health")).json()["models"]["qa"]["queued"]
                if queued >= args.queued - 10:
                    break
                await asyncio.sleep(0.05)
        classify = await run_load(port, "api/classify", single, 4, args.during)
        async with httpx.AsyncClient(timeout=10) as http:
            still = (await http.get(f"http://127.0.0.1:{port}/health")).json()["models"]["qa"]["queued"]
        await qa_load
        return classify, queued, still

    classify, queued, still = asyncio.run(classify_while_qa_is_queued())
    rows.append(row(f"classify while {args.queued} QA requests wait ({queued} queued at start, {still} at end)",
                    True, 4, *classify))
    checks["p95 under QA"] = rows[-1][7]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--classifier", metavar="DIR", help="a classifier checkpoint (default: build one)")
    parser.add_argument("--qa", metavar="DIR", help="a QA checkpoint (default: build one)")
    parser.add_argument("--size", choices=["tiny", "base"], default="tiny",
                        help="built checkpoints: the tiny stand-in, or kcbert-base's shape with random weights (slow)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent classify clients (default 20)")
    parser.add_argument("--requests", type=int, default=1200,
                        help="classify requests to each server (default 1200)")
    parser.add_argument("--rounds", type=int, default=6,
                        help="alternating rounds the classify requests are split into (default 6)")
    parser.add_argument("--burst", type=int, default=60, help="long QA requests sent at once (default 60)")
    parser.add_argument("--queued", type=int, default=40, help="QA requests waiting during the latency test")
    parser.add_argument("--during", type=int, default=200, help="classify requests while QA waits (default 200)")
    parser.add_argument("--threads", type=int, help="the servers' torch threads (their --threads)")
    args = parser.parse_args(argv)
    if (args.classifier is None) != (args.qa is None):
        parser.error("give both --classifier and --qa, or neither")
    texts, questions = reviews(), long_questions()
    rows, checks = [], {}
    with tempfile.TemporaryDirectory(prefix="serve-bench-") as folder:
        if args.classifier is None:
            from serve_fixtures import untrained_checkpoints

            classifier_dir, qa_dir = untrained_checkpoints(folder, size=args.size)
            what = f"untrained {args.size} stand-in checkpoints"
        else:
            classifier_dir, qa_dir, what = args.classifier, args.qa, f"{args.classifier}, {args.qa}"
        servers = {}
        try:
            for batching in (False, True):
                servers[batching] = start_server(classifier_dir, qa_dir, batching, args.threads)
            checks["rss at start-up"] = rss_mb(servers[True][0])
            single = [{"text": text} for text in texts]
            measure_classify(servers, args, single, rows, checks)
            stopped = servers.pop(False)[0]
            stopped.terminate()
            stopped.wait(timeout=30)
            measure_batched(servers[True][1], servers[True][0], args, single, questions, rows, checks)
            from test_serve_fuzz import run_fuzz

            checks["fuzz"] = run_fuzz(servers[True][1])
        finally:
            for process, _ in servers.values():
                process.terminate()
                process.wait(timeout=30)

    import torch

    low, high = checks["load during classify"]
    print(f"Web service, {what}, uvicorn on 127.0.0.1 (one process each); "
          f"{describe(f'server torch threads: {args.threads or torch.get_num_threads()}', f'torch {torch.__version__}')}"
          f"; load average {low:.2f}-{high:.2f} during the {args.rounds} alternating classify rounds")
    print()
    print("| workload | batching | clients | requests | failed | requests/s | p50 ms | p95 ms | max ms "
          "| server CPU ms/request |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, batching, clients, requests, failed, rate, p50, p95, worst, cpu_ms in rows:
        print(f"| {name} | {batching} | {clients} | {requests} | {failed} | {rate:.1f} | {p50:.1f} | {p95:.1f} | "
              f"{worst:.1f} | {cpu_ms} |")
    speedup = checks["classify/s batching on"] / checks["classify/s batching off"]
    started, warm, after = (checks[f"rss {when}"] for when in ("at start-up", "after warm-up", "after burst"))
    fuzz = checks["fuzz"]
    print()
    print("| check (issue 24) | measured | target |")
    print("|---|---|---|")
    cpu_ratio = checks["classify cpu batching off"] / checks["classify cpu batching on"]
    print(f"| classify requests/s, batching on / off, {args.clients} clients | {checks['classify/s batching on']:.1f}"
          f" / {checks['classify/s batching off']:.1f} = {speedup:.2f}x (server CPU per request: {cpu_ratio:.1f}x "
          "less) | about 4x at --size base; on: >= 90 % of the code before issue 24, run just before |")
    statuses = ", ".join(f"{count} x {status}" for status, count in checks["burst statuses"].items())
    print(f"| a burst of {args.burst} long QA requests | {statuses}; server up after it: "
          f"{'yes' if checks['up after burst'] else 'NO'} | up; what is not started in time refused (503) |")
    print(f"| server RSS after the burst / after warm-up (both models run once) | {after:.0f} MB / {warm:.0f} MB = "
          f"{after / warm:.2f}x (at start-up: {started:.0f} MB, weights not yet read) | bounded |")
    print(f"| classify p95 while {args.queued} QA requests wait | {checks['p95 under QA']:.1f} ms | |")
    print(f"| fuzz set: {fuzz['cases']} cases | {fuzz['5xx']} x 5xx, largest 4xx body {fuzz['largest_4xx']} bytes, "
          f"/health after every case: {'yes' if fuzz['health_ok'] else 'NO'} | 0 x 5xx, <= 4096 bytes, yes |")


if __name__ == "__main__":
    main()
