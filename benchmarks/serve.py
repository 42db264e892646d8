"""Throughput and latency of the web service (``lectureutils.serve``) under a bounded load.

Starts ``python -m lectureutils.serve`` (a real uvicorn on 127.0.0.1, in its own process), sends
``--requests`` POSTs from ``--clients`` concurrent clients (and a third as many from one client;
httpx, 60 s timeout), and prints a Markdown table: requests/s and p50/p95/max latency for classify
(one review per request), classify in batches of 32 reviews, and answer (a KorQuAD-sample question
and passage). Reviews, questions and passages come from ``data/`` (NSMC and KorQuAD samples).

    python benchmarks/serve.py                     # tiny stand-in checkpoints (a minute)
    python benchmarks/serve.py --size base --requests 60   # kcbert-base shape, random weights (slow on a CPU)
    python benchmarks/serve.py --classifier DIR --qa DIR   # your fine-tuned checkpoints

Speed does not depend on the weights, so ``--size base`` measures what a fine-tuned kcbert-base costs.
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

from lectureutils.modes import DATA_DIR
from machine import describe  # noqa: E402  (benchmarks/machine.py)

BATCH = 32


def build_checkpoints(folder: Path, size: str) -> tuple[str, str]:
    """Untrained classifier and QA checkpoints: the kcbert stand-in (tiny) or its bert-base shape."""
    from lectureutils import serve

    os.environ.setdefault("LECTUREUTILS_OFFLINE", "1")
    classifier_dir, qa_dir = serve.untrained_checkpoints(folder)
    if size == "base":
        from transformers import BertConfig, BertForQuestionAnswering, BertForSequenceClassification
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()

        for model_class, target in ((BertForSequenceClassification, classifier_dir), (BertForQuestionAnswering, qa_dir)):
            small = BertConfig.from_pretrained(target)
            config = BertConfig(vocab_size=small.vocab_size, hidden_size=768, num_hidden_layers=12,
                                num_attention_heads=12, intermediate_size=3072, max_position_embeddings=300,
                                num_labels=2, pad_token_id=small.pad_token_id)
            model_class(config).save_pretrained(target)
    return classifier_dir, qa_dir


def workloads():
    from lectureutils.data import read_nsmc

    reviews = [text for text in read_nsmc(DATA_DIR / "nsmc_sample.tsv", verbose=False)["document"] if text.strip()]
    squad = json.loads((DATA_DIR / "korquad_sample.json").read_text(encoding="utf-8"))
    questions = [(qa["question"], paragraph["context"]) for article in squad["data"]
                 for paragraph in article["paragraphs"] for qa in paragraph["qas"]]
    return {
        "classify": ("api/classify", [{"text": review} for review in reviews]),
        f"classify, batch of {BATCH}": ("api/classify", [{"texts": [reviews[(start + i) % len(reviews)] for i in range(BATCH)]}
                                                         for start in range(len(reviews))]),
        "answer": ("api/answer", [{"question": question, "context": context} for question, context in questions]),
    }


async def run_load(url: str, path: str, payloads: list, clients: int, requests: int, timeout: float = 60.0):
    """(seconds, latencies in ms, failures) for ``requests`` POSTs from ``clients`` concurrent clients."""
    jobs = asyncio.Queue()
    for number in range(requests):
        jobs.put_nowait(payloads[number % len(payloads)])
    latencies, failures = [], []

    async def client():
        async with httpx.AsyncClient(base_url=url, timeout=timeout) as http:
            while not jobs.empty():
                payload = jobs.get_nowait()
                began = time.perf_counter()
                try:
                    response = await http.post(path, json=payload)
                    ok = response.status_code == 200
                except httpx.HTTPError as error:
                    ok, response = False, error
                latencies.append((time.perf_counter() - began) * 1000)
                if not ok:
                    failures.append(response)

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return time.perf_counter() - began, latencies, failures


def percentile(values, fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(classifier_dir: str, qa_dir: str, port: int, threads: int | None) -> subprocess.Popen:
    command = [sys.executable, "-m", "lectureutils.serve", "--classifier", classifier_dir, "--qa", qa_dir,
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    if threads is not None:
        command += ["--threads", str(threads)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server stopped:\n" + process.stderr.read().decode(errors="replace")[-2000:])
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise TimeoutError("the server did not answer /health within 300 s")


def machine(server_threads) -> str:
    import torch

    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no GPU"
    threads = server_threads or torch.get_num_threads()
    return describe(f"server: {threads} torch threads", gpu, f"torch {torch.__version__}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--classifier", metavar="DIR", help="a classifier checkpoint (default: build one)")
    parser.add_argument("--qa", metavar="DIR", help="a QA checkpoint (default: build one)")
    parser.add_argument("--size", choices=["tiny", "base"], default="tiny", help="size of the built checkpoints")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument("--requests", type=int, default=300, help="requests per row (default 300)")
    parser.add_argument("--warmup", type=int, default=10, help="requests before each measurement")
    parser.add_argument("--threads", type=int, help="the server's torch threads (its --threads)")
    parser.add_argument("--timeout", type=float, default=60.0, help="client timeout per request, s (default 60)")
    args = parser.parse_args(argv)
    if (args.classifier is None) != (args.qa is None):
        parser.error("give both --classifier and --qa, or neither")

    with tempfile.TemporaryDirectory(prefix="serve-bench-") as folder:
        if args.classifier is None:
            classifier_dir, qa_dir = build_checkpoints(Path(folder), args.size)
            what = f"untrained {args.size} checkpoints"
        else:
            classifier_dir, qa_dir, what = args.classifier, args.qa, f"{args.classifier}, {args.qa}"
        port = free_port()
        server = start_server(classifier_dir, qa_dir, port, args.threads)
        url = f"http://127.0.0.1:{port}/"
        try:
            rows = []
            for name, (path, payloads) in workloads().items():
                asyncio.run(run_load(url, path, payloads, 1, args.warmup))
                for clients in (1, args.clients):
                    requests = args.requests if clients > 1 else max(args.warmup, args.requests // 3)
                    seconds, latencies, failures = asyncio.run(
                        run_load(url, path, payloads, clients, requests, args.timeout))
                    rows.append((name, clients, requests, len(failures), requests / seconds,
                                 statistics.median(latencies), percentile(latencies, 0.95), max(latencies)))
                    print(f"{name}, {clients} clients: {requests / seconds:.1f} requests/s", file=sys.stderr, flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)

    print(f"Web service, {what}, uvicorn on 127.0.0.1 (one process); {machine(args.threads)}")
    print()
    print("| workload | clients | requests | failed | requests/s | p50 ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, clients, requests, failed, rate, p50, p95, worst in rows:
        print(f"| {name} | {clients} | {requests} | {failed} | {rate:.1f} | {p50:.1f} | {p95:.1f} | {worst:.1f} |")
    if any(row[3] for row in rows):
        sys.exit("some requests failed")


if __name__ == "__main__":
    main()
