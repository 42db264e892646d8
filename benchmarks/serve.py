"""The web service (``lectureutils.serve``) under a classroom's load, on 127.0.0.1 only, bounded in count and time.

Starts ``python -m lectureutils.serve`` twice (micro-batching on, and ``--no-batching``), each a real uvicorn in
its own process, and measures what issue 17 asks for:

1. 20 concurrent clients sending single reviews: classify requests/s with and without micro-batching.
2. Memory: the server's RSS after start-up and after a burst of 60 long-passage QA requests.
3. Head-of-line blocking: classify latency (p50/p95) while 40 long QA requests are queued.
4. The fuzz set of tests/test_serve_fuzz.py: 5xx count, largest 4xx body, /health after every case.

The clients are a small HTTP/1.1 keep-alive client on asyncio streams (cheaper than httpx, so that on a small
machine the client does not eat the server's CPU). Reviews, questions and passages come from data/ (NSMC and
KorQuAD samples). Prints a Markdown table.

    python benchmarks/serve.py                             # tiny stand-in checkpoints (about a minute)
    python benchmarks/serve.py --threads 1                 # one torch thread per server (steadier on a shared CPU)
    python benchmarks/serve.py --size base --requests 100 --burst 20 --queued 20   # kcbert-base's shape (slow)
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


class Client:
    """One keep-alive HTTP/1.1 connection: ``await post(path, payload) -> (status, seconds, body bytes)``."""

    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None

    async def post(self, path: str, payload) -> tuple[int, float, bytes]:
        body = json.dumps(payload, ensure_ascii=False).encode()
        began = time.perf_counter()
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writer.write(b"POST /%s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                          b"Content-Length: %d\r\n\r\n%s" % (path.encode(), len(body), body))
        status = int((await self.reader.readline()).split()[1])
        length, close = 0, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
            close = close or (name.lower() == "connection" and "close" in value.lower())
        answer = await self.reader.readexactly(length)
        if close:
            self.close()
        return status, time.perf_counter() - began, answer

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def run_load(port: int, path: str, payloads: list, clients: int, requests: int):
    """(seconds, latencies in ms, statuses) for ``requests`` POSTs from ``clients`` concurrent clients."""
    jobs = asyncio.Queue()
    for number in range(requests):
        jobs.put_nowait(payloads[number % len(payloads)])
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


def measure(port: int, process, batching: bool, args, texts, questions, rows: list, checks: dict) -> None:
    single = [{"text": text} for text in texts]
    checks["rss at start-up"] = rss_mb(process)
    asyncio.run(run_load(port, "api/classify", single, 4, 40))  # warm-up
    began = cpu_seconds(process)
    result = asyncio.run(run_load(port, "api/classify", single, args.clients, args.requests))
    cpu = cpu_seconds(process) - began
    rows.append(row("classify, one review per request", batching, args.clients, *result, cpu=cpu))
    checks[f"classify/s batching {'on' if batching else 'off'}"] = rows[-1][5]
    checks[f"classify cpu batching {'on' if batching else 'off'}"] = cpu
    if not batching:
        return
    asyncio.run(run_load(port, "api/answer", questions[:2], 1, 2))  # warm-up of the QA model
    checks["rss after warm-up"] = rss_mb(process)
    result = asyncio.run(run_load(port, "api/answer", questions, args.burst, args.burst))
    rows.append(row(f"answer, {len(questions[0]['context'])}-character passage, burst", batching, args.burst, *result))
    checks["rss after burst"] = rss_mb(process)

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
                    batching, 4, *classify))
    checks["p95 under QA"] = rows[-1][7]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--classifier", metavar="DIR", help="a classifier checkpoint (default: build one)")
    parser.add_argument("--qa", metavar="DIR", help="a QA checkpoint (default: build one)")
    parser.add_argument("--size", choices=["tiny", "base"], default="tiny",
                        help="built checkpoints: the tiny stand-in, or kcbert-base's shape with random weights (slow)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent classify clients (default 20)")
    parser.add_argument("--requests", type=int, default=600, help="classify requests per measurement (default 600)")
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
        for batching in (False, True):
            process, port = start_server(classifier_dir, qa_dir, batching, args.threads)
            try:
                measure(port, process, batching, args, texts, questions, rows, checks)
                if batching:
                    from test_serve_fuzz import run_fuzz

                    checks["fuzz"] = run_fuzz(port)
            finally:
                process.terminate()
                process.wait(timeout=30)

    import torch

    print(f"Web service, {what}, uvicorn on 127.0.0.1 (one process each); "
          f"{describe(f'server torch threads: {args.threads or torch.get_num_threads()}', f'torch {torch.__version__}')}")
    print()
    print("| workload | micro-batching | clients | requests | failed | requests/s | p50 ms | p95 ms | max ms "
          "| server CPU ms/request |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, batching, clients, requests, failed, rate, p50, p95, worst, cpu_ms in rows:
        print(f"| {name} | {batching} | {clients} | {requests} | {failed} | {rate:.1f} | {p50:.1f} | {p95:.1f} | "
              f"{worst:.1f} | {cpu_ms} |")
    speedup = checks["classify/s batching on"] / checks["classify/s batching off"]
    started, warm, after = (checks[f"rss {when}"] for when in ("at start-up", "after warm-up", "after burst"))
    fuzz = checks["fuzz"]
    print()
    print("| acceptance (issue 17) | measured | target |")
    print("|---|---|---|")
    cpu_ratio = checks["classify cpu batching off"] / checks["classify cpu batching on"]
    print(f"| classify requests/s, batching on / off, {args.clients} clients | {speedup:.1f}x (server CPU per "
          f"request: {cpu_ratio:.1f}x less) | >= 5x |")
    print(f"| server RSS after a burst of {args.burst} long QA requests / after start-up | {after:.0f} MB / "
          f"{started:.0f} MB = {after / started:.2f}x (after warm-up: {warm:.0f} MB) | <= 1.5x |")
    print(f"| classify p95 while {args.queued} QA requests wait | {checks['p95 under QA']:.1f} ms | <= 100 ms |")
    print(f"| fuzz set: {fuzz['cases']} cases | {fuzz['5xx']} x 5xx, largest 4xx body {fuzz['largest_4xx']} bytes, "
          f"/health after every case: {'yes' if fuzz['health_ok'] else 'NO'} | 0 x 5xx, <= 4096 bytes, yes |")


if __name__ == "__main__":
    main()
