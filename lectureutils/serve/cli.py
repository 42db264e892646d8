"""``python -m lectureutils.serve --classifier DIR --qa DIR --port 8000``: the web service from a terminal.

Named in notebooks/05_document_classification.ipynb (§12) and notebooks/06_question_answering.ipynb (§10) as
the way to serve a checkpoint outside a notebook (an instructor's laptop in class).
"""

from __future__ import annotations

import argparse
import os

from ..i18n import _
from ..tasks import TASKS
from .app import create_app
from .background import uvicorn_settings
from .schemas import ENDPOINTS

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The command line: one ``--OPTION DIR`` per served task, address, threads, batching (05 §12)."""
    parser = argparse.ArgumentParser(
        prog="python -m lectureutils.serve",
        description=_("Serve fine-tuned checkpoints (a page, a JSON API, /health, /docs) with FastAPI and uvicorn."))
    for name, entry in TASKS.items():
        if entry.served:
            endpoint = ENDPOINTS[name]
            parser.add_argument(f"--{endpoint.option}", metavar="DIR",
                                help=_("checkpoint folder for {task}").format(task=endpoint.title))
    parser.add_argument("--host", default="127.0.0.1", help=_("address to listen on (default 127.0.0.1)"))
    parser.add_argument("--port", type=int, default=8000, help=_("port (default 8000)"))
    parser.add_argument("--threads", type=int, metavar="N",
                        help=_("torch CPU threads (default: torch's choice). On a CPU shared with other busy processes, "
                               "1 can be much faster: a thread that waits for a descheduled sibling stalls every layer"))
    parser.add_argument("--no-batching", dest="batching", action="store_false",
                        help=_("run one request at a time instead of taking the waiting requests as one batch"))
    parser.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    return parser


def main(argv=None) -> None:
    """Parse the command line and run uvicorn in this process (Ctrl+C stops it) (05 §12, 06 §10)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    options = [ENDPOINTS[name].option for name, entry in TASKS.items() if entry.served]
    directories = {f"{option}_dir": getattr(args, option) for option in options}
    if all(value is None for value in directories.values()):
        parser.error(f"give --classifier DIR, --qa DIR, or both (or any of {', '.join(f'--{o} DIR' for o in options)})")
    if args.threads is not None and args.threads < 1:
        parser.error("--threads must be at least 1")
    try:
        app = create_app(batching=args.batching, **directories)
    except (ValueError, FileNotFoundError) as problem:
        parser.error(str(problem))
    # One worker thread per model keeps a core busy; a tokenizer's own thread pool (on by default) would only
    # compete with the event loop for the other one (notebooks get the same from lectureutils.setup()).
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if args.threads is not None:
        import torch

        torch.set_num_threads(args.threads)
    import uvicorn

    uvicorn.run(app, host=args.host, port=args.port, **uvicorn_settings(args.log_level))
