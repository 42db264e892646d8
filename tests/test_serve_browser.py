"""A real browser drives the web service's page: headless Chromium types a review and a question,
clicks the buttons, and the test reads what the page rendered.

No Selenium or Playwright: Chromium is driven over the DevTools protocol on a pipe
(``--remote-debugging-pipe``: JSON messages separated by NUL bytes on file descriptors 3 and 4),
which needs nothing beyond the standard library. Chromium is the Debian package ``chromium``
(installed by .ci/run); without it the test is skipped. A screenshot is saved to
build/serve_page.png. Only 127.0.0.1 traffic.
"""

import base64
import json
import os
import queue
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from lectureutils import serve

CHROMIUM = next((path for path in (shutil.which("chromium"), "/usr/bin/chromium") if path and os.path.exists(path)), None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (Debian package `chromium`; .ci/run installs it)"
)
SCREENSHOT = Path(__file__).resolve().parent.parent / "build" / "serve_page.png"
REVIEW = "배우들 연기가 정말 좋았고 스토리도 탄탄했어요 👍"
QUESTION = "광합성은 주로 어디에서 일어나는가?"
# An emoji before the answer: the page must turn the server's code-point offsets into JavaScript's UTF-16 ones.
CONTEXT = "🌱 식물 세포에서 광합성은 주로 엽록체라는 세포 소기관에서 일어난다. 엽록체 안에는 엽록소라는 초록색 색소가 있다."
KOREAN_FONT = re.compile(r"Nanum|나눔|Noto Sans (CJK|KR)|Noto Serif (CJK|KR)|Malgun|Apple SD Gothic|Un(Dotum|Batang)|Baekmuk")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-dev-shm-usage", "--disable-extensions", "--mute-audio",
    "--no-default-browser-check", "--window-size=1000,1300", "--remote-debugging-pipe",
]


class Browser:
    """Headless Chromium over the DevTools protocol on a pipe (fd 3: our commands, fd 4: its replies)."""

    def __init__(self, user_data_dir: Path, log: Path):
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()
        # bash puts the pipe ends on fds 3 and 4, closes the originals, then becomes Chromium.
        script = f'exec "$0" "$@" 3<&{to_browser_read} 4>&{from_browser_write} {to_browser_read}<&- {from_browser_write}>&-'
        self._log = open(log, "wb")
        self.process = subprocess.Popen(
            ["bash", "-c", script, CHROMIUM, *FLAGS, f"--user-data-dir={user_data_dir}", "about:blank"],
            pass_fds=(to_browser_read, from_browser_write), stdin=subprocess.DEVNULL, stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._next_id = 0
        self._replies: dict[int, queue.Queue] = {}
        self._lock = threading.Lock()
        self.events: list[dict] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        buffer = b""
        while True:
            try:
                chunk = os.read(self._from_browser, 65536)
            except OSError:
                return
            if not chunk:
                return
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "id" in message:
                    with self._lock:
                        waiting = self._replies.get(message["id"])
                    if waiting is not None:
                        waiting.put(message)
                else:
                    self.events.append(message)

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 30.0):
        with self._lock:
            self._next_id += 1
            number = self._next_id
            self._replies[number] = queue.Queue()
        message = {"id": number, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        try:
            reply = self._replies[number].get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError(f"Chromium did not answer {method} within {timeout} s") from None
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def wait_for_event(self, method: str, timeout: float = 30.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in self.events:
                if event.get("method") == method:
                    return event
            time.sleep(0.05)
        raise TimeoutError(f"no {method} within {timeout} s")

    def close(self):
        with contextlib_suppress():
            self.send("Browser.close", timeout=5)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        for descriptor in (self._to_browser, self._from_browser):
            with contextlib_suppress():
                os.close(descriptor)
        self._log.close()


def contextlib_suppress():
    import contextlib

    return contextlib.suppress(Exception)


class Page:
    """One tab: evaluate JavaScript, type, click, wait."""

    def __init__(self, browser: Browser):
        self.browser = browser
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log", "DOM", "CSS"):
            self.send(f"{domain}.enable")

    def send(self, method, params=None, timeout: float = 30.0):
        return self.browser.send(method, params, self.session, timeout)

    def open(self, url: str):
        self.browser.events.clear()
        self.send("Page.navigate", {"url": url})
        self.browser.wait_for_event("Page.loadEventFired")

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def type_into(self, selector: str, text: str):
        """Focus the field, clear it, and type ``text`` as the keyboard (or an IME) would insert it."""
        self.evaluate(f"(() => {{ const f = document.querySelector({json.dumps(selector)}); f.focus(); f.select(); }})()")
        self.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": "Delete", "code": "Delete",
                                             "windowsVirtualKeyCode": 46})
        self.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": "Delete", "code": "Delete",
                                             "windowsVirtualKeyCode": 46})
        self.send("Input.insertText", {"text": text})

    def click(self, selector: str):
        """A real mouse click in the middle of the element."""
        box = self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.scrollIntoView({{block: 'center'}});"
            " const r = e.getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent",
                      {"type": kind, "x": box["x"], "y": box["y"], "button": "left", "clickCount": 1})

    def wait_until(self, expression: str, timeout: float = 60.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.1)
        raise TimeoutError(f"still false after {timeout} s: {expression}")

    def fonts_rendering(self, selector: str) -> list[dict]:
        """The platform fonts Chromium used for the text of an element (familyName, glyphCount)."""
        root = self.send("DOM.getDocument")["root"]["nodeId"]
        node = self.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        return self.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]

    def text(self, selector: str) -> str:
        return self.evaluate(f"document.querySelector({json.dumps(selector)}).textContent")

    def screenshot(self, path: Path):
        height = self.evaluate("document.documentElement.scrollHeight")
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": 1000, "height": int(height) + 20, "deviceScaleFactor": 1, "mobile": False})
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LECTUREUTILS_OFFLINE", "1")
        patch.setenv("HF_HUB_OFFLINE", "1")
        classifier_dir, qa_dir = serve.untrained_checkpoints(tmp_path_factory.mktemp("browser_checkpoints"))
    handle = serve.start_in_background(classifier_dir, qa_dir, port=0, show=False)
    yield handle
    handle.stop()


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("chromium")
    browser = Browser(folder / "profile", folder / "chromium.log")
    try:
        yield Page(browser)
    except Exception:
        print((folder / "chromium.log").read_text(errors="replace")[-3000:])
        raise
    finally:
        browser.close()


def test_the_page_classifies_a_review_and_answers_a_question(server, page):
    page.open(server.url)
    assert page.evaluate("document.title").startswith("BERT")
    fonts = page.fonts_rendering("#classify-title")  # its text is Korean: "문서 분류"
    assert any(KOREAN_FONT.search(font["familyName"]) for font in fonts), (
        f"Hangul rendered with {fonts}: install a Korean font (Debian: fonts-nanum, as .ci/run does)"
    )

    # Sentiment: type a review, click, read the label and the bars.
    page.type_into("#review", REVIEW)
    page.click("#classify-button")
    state = page.wait_until("(() => { const s = document.getElementById('classify-result').dataset.state;"
                            " return s === 'done' || s === 'error' ? s : null; })()")
    assert state == "done", page.text("#classify-error")
    expected = httpx.post(server.url + "api/classify", json={"text": REVIEW}, timeout=10).json()
    assert page.text("#classify-label") == expected["prediction"]
    assert page.text("#positive-value") == f"{expected['positive'] * 100:.1f}%"
    assert page.text("#negative-value") == f"{expected['negative'] * 100:.1f}%"
    page.wait_until("document.getAnimations().length === 0")  # the bars grow with a CSS transition
    widths = page.evaluate(
        "['positive-bar', 'negative-bar'].map(id => { const e = document.getElementById(id);"
        " return e.getBoundingClientRect().width / e.parentElement.getBoundingClientRect().width; })"
    )
    assert widths[0] == pytest.approx(expected["positive"], abs=0.01)
    assert widths[1] == pytest.approx(expected["negative"], abs=0.01)

    # Question answering: type a question and a passage, click, read the highlighted answer.
    page.type_into("#question", QUESTION)
    page.type_into("#context", CONTEXT)
    page.click("#qa-button")
    state = page.wait_until("(() => { const s = document.getElementById('qa-result').dataset.state;"
                            " return s === 'done' || s === 'error' ? s : null; })()")
    assert state == "done", page.text("#qa-error")
    expected = httpx.post(server.url + "api/answer", json={"question": QUESTION, "context": CONTEXT}, timeout=10).json()
    assert page.text("#qa-passage") == CONTEXT, "the passage is shown whole"
    assert page.text("#qa-mark") == CONTEXT[expected["start"]:expected["end"]] == expected["answer"]
    assert page.text("#qa-answer") == (expected["answer"] or "(답을 찾지 못함 · no answer)")
    assert page.evaluate("getComputedStyle(document.getElementById('qa-mark')).backgroundColor") != "rgba(0, 0, 0, 0)"

    page.screenshot(SCREENSHOT)
    assert SCREENSHOT.stat().st_size > 10_000

    # Everything came from the server itself (no CDN), and nothing went wrong in the page.
    requested = [event["params"]["request"]["url"] for event in page.browser.events
                 if event.get("method") == "Network.requestWillBeSent"]
    assert requested and all(url.startswith(server.url) or url.startswith("data:") for url in requested), requested
    problems = [event["params"] for event in page.browser.events if event.get("method") == "Runtime.exceptionThrown"]
    problems += [event["params"]["entry"] for event in page.browser.events
                 if event.get("method") == "Log.entryAdded" and event["params"]["entry"]["level"] == "error"]
    assert not problems, problems


def test_the_page_shows_a_server_error_message(server, page):
    page.open(server.url)
    page.type_into("#review", "   ")  # blank: the browser's `required` does not stop spaces; the API answers 422
    page.click("#classify-button")
    state = page.wait_until("(() => { const s = document.getElementById('classify-result').dataset.state;"
                            " return s === 'done' || s === 'error' ? s : null; })()")
    assert state == "error"
    assert page.text("#classify-error") == "text: must not be empty or only whitespace"
    assert page.evaluate("document.getElementById('classify-result').hidden") is True
