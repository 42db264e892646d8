"""Running the web service from a notebook: uvicorn in a background thread, shown through Colab's port proxy on
Colab (no ngrok); and uvicorn's settings that bound what a client can hold. Taught in
notebooks/05_document_classification.ipynb (§12 A web service for the classifier) and
notebooks/06_question_answering.ipynb (§10 A web service for question answering):
``service = start_in_background(classifier_dir=..., port=...)``, then ``service.url`` and ``service.stop()``.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time

from .app import create_app

__all__ = ["MAX_CONNECTIONS", "KEEP_ALIVE_SECONDS", "MAX_HEADER_BYTES", "uvicorn_settings", "bind", "RunningServer",
           "start_in_background"]

MAX_CONNECTIONS = 200  # beyond this many open connections and tasks uvicorn answers 503
KEEP_ALIVE_SECONDS = 5
MAX_HEADER_BYTES = 16_384


def uvicorn_settings(log_level: str = "warning") -> dict:
    """Keyword arguments for ``uvicorn.Config``: uvicorn's own limits on connections, idle keep-alive connections
    and header size (h11's), so that a classroom of students (or one careless
    script) cannot hold the server (05 §12)."""
    return {"http": "h11", "limit_concurrency": MAX_CONNECTIONS, "timeout_keep_alive": KEEP_ALIVE_SECONDS,
            "h11_max_incomplete_event_size": MAX_HEADER_BYTES, "backlog": 256, "log_level": log_level,
            "lifespan": "on", "timeout_graceful_shutdown": 5, "server_header": False}


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on (host, port); port 0 picks a free port (05 §12)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(256)
    except OSError as problem:
        sock.close()
        raise OSError(f"Cannot listen on {host}:{port} ({problem.strerror or problem}). Another server (an earlier run "
                      "of this cell?) may hold the port: stop it with handle.stop(), or pick another port.") from None
    return sock


class RunningServer:
    """A uvicorn server running in a background thread (from ``start_in_background``) (05 §12, 06 §10)."""

    def __init__(self, server, thread, sock, host: str, port: int, app):
        self._server, self._thread, self._socket = server, thread, sock
        self.host, self.port, self.app = host, port, app
        shown = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(host, host)  # "all addresses": local
        self.url = f"http://{shown if ':' not in shown else '[' + shown + ']'}:{port}/"
        self.proxy_url = None  # the Colab proxy address, on Colab

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server and wait for its thread to end."""
        self._server.should_exit = True
        self._thread.join(timeout)
        with contextlib.suppress(OSError):
            self._socket.close()
        if _RUNNING.get(self.port) is self:
            _RUNNING.pop(self.port, None)

    def __repr__(self) -> str:
        return f"<RunningServer {self.url} {'running' if self.running else 'stopped'}>"


_RUNNING: dict[int, RunningServer] = {}


def _wait_until_healthy(handle: RunningServer, timeout: float) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not handle.running:
            handle.stop()
            problem = handle.app.state.status["load_error"]
            if problem is not None:
                raise RuntimeError(f"The web service could not load its models: {problem}") from problem
            raise RuntimeError("The web service stopped while starting; see the log above.")
        with contextlib.suppress(httpx.HTTPError):
            if handle._server.started and httpx.get(handle.url + "health", timeout=2.0).status_code == 200:
                return
        time.sleep(0.1)
    handle.stop()
    raise TimeoutError(f"The web service did not answer {handle.url}health within {timeout:.0f} s.")


def _show_on_colab(handle: RunningServer, height: int) -> None:
    """Show the page through Colab's port proxy (no ngrok): a link for a new tab, and the page in an iframe below
    the cell. (``serve_kernel_port_as_window`` opens https://localhost:PORT, which current browsers no longer route
    to the kernel, so the link comes from ``proxyPort``.)"""
    from google.colab import output  # only on Colab

    try:
        handle.proxy_url = output.eval_js(f"google.colab.kernel.proxyPort({handle.port})")
    except Exception:  # noqa: BLE001 (an old Colab front end: the iframe below still works)
        handle.proxy_url = None
    print(f"Web service running: {handle.proxy_url} (API docs: {handle.proxy_url.rstrip('/')}/docs)" if handle.proxy_url
          else f"Web service running on the kernel's port {handle.port}; the page is shown below.")
    output.serve_kernel_port_as_iframe(handle.port, height=str(height))


def start_in_background(classifier_dir=None, qa_dir=None, port: int = 8000, host: str = "127.0.0.1",
                        timeout: float = 300.0, show: bool = True, height: int = 700, batching: bool = True,
                        **task_dirs) -> RunningServer:
    """Start the web service in a background thread and wait until ``/health`` answers (05 §12, 06 §10).

    On Colab the page is shown through Colab's port proxy (an iframe and a link); elsewhere the URL is printed.
    ``port=0`` picks a free port. Running the cell again stops the server this function started earlier on the
    same port. Returns a handle with ``.url`` and ``.stop()``. Other tasks' checkpoints: ``nli_dir=...``,
    ``ner_dir=...``.
    """
    import uvicorn

    if port in _RUNNING:
        _RUNNING[port].stop()
    app = create_app(classifier_dir=classifier_dir, qa_dir=qa_dir, batching=batching, **task_dirs)
    sock = bind(host, port)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, **uvicorn_settings("warning")))

    def run() -> None:
        with contextlib.suppress(SystemExit):  # how uvicorn stops when start-up fails (the reason is logged)
            server.run(sockets=[sock])

    thread = threading.Thread(target=run, name=f"web-service-{port}", daemon=True)
    handle = RunningServer(server, thread, sock, host, port, app)
    thread.start()
    _wait_until_healthy(handle, timeout)
    _RUNNING[port] = handle
    if show and "google.colab" in sys.modules:
        _show_on_colab(handle, height)
    elif show:
        print(f"Web service running at {handle.url} (API docs: {handle.url}docs); stop it with .stop()")
    return handle
