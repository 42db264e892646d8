"""A real browser drives the web service's page: headless Chromium, through Selenium and Debian's
chromium-driver (both offline: the driver is the system's /usr/bin/chromedriver, no Selenium Manager
download), types a review and a question, clicks, and the test reads what the page rendered.

Needs the Debian packages ``chromium`` and ``chromium-driver`` (installed by .ci/run) and ``selenium``;
without them the tests are skipped. Screenshots are saved to build/serve_page.png (the page with the
untrained stand-in checkpoints: the warning must be visible, the Korean must render). Only 127.0.0.1 traffic.
"""

import json
import os
import re
import shutil
import threading
from pathlib import Path

import httpx
import pytest
from serve_fixtures import untrained_checkpoints, untrained_pair_and_entity_checkpoints

from lectureutils import serve

CHROMIUM = next((p for p in (shutil.which("chromium"), "/usr/bin/chromium") if p and os.path.exists(p)), None)
DRIVER = next((p for p in (shutil.which("chromedriver"), "/usr/bin/chromedriver") if p and os.path.exists(p)), None)
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
pytestmark = pytest.mark.skipif(CHROMIUM is None or DRIVER is None,
                                reason="Chromium or its driver is missing (Debian: chromium chromium-driver)")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

BUILD = Path(__file__).resolve().parent.parent / "build"
REVIEW = "배우들 연기가 정말 좋았고 스토리도 탄탄했어요"
QUESTION = "광합성은 주로 어디에서 일어나는가?"
# An emoji before the answer: the page must turn the server's code-point offsets into JavaScript's UTF-16 ones.
CONTEXT = "🌱 식물 세포에서 광합성은 주로 엽록체라는 세포 소기관에서 일어난다. 엽록체 안에는 엽록소라는 초록색 색소가 있다."
KOREAN_FONT = re.compile(r"Nanum|나눔|Noto Sans (CJK|KR)|Noto Serif (CJK|KR)|Malgun|Apple SD Gothic|Un(Dotum|Batang)|Baekmuk")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    classifier_dir, qa_dir = untrained_checkpoints(tmp_path_factory.mktemp("browser_checkpoints"))
    handle = serve.start_in_background(classifier_dir, qa_dir, port=0, show=False)
    yield handle
    handle.stop()


@pytest.fixture(scope="module")
def browser():
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run",
                 "--disable-sync", "--disable-extensions", "--window-size=1000,1300"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def state(browser, prefix: str, timeout: float = 60) -> str:
    """Wait until the panel's result is "done" or "error" and return which."""
    script = f"const s = document.getElementById('{prefix}-result').dataset.state; return s === 'done' || s === 'error' ? s : null;"
    return WebDriverWait(browser, timeout).until(lambda driver: driver.execute_script(script))


def set_value(browser, selector: str, text: str):
    """Put ``text`` in a field as a paste would (ChromeDriver cannot type characters outside the BMP, e.g. emoji)."""
    browser.execute_script("const f = document.querySelector(arguments[0]); f.value = arguments[1];"
                           " f.dispatchEvent(new Event('input'));", selector, text)


def type_into(browser, selector: str, text: str):
    field = browser.find_element(By.CSS_SELECTOR, selector)
    field.clear()
    field.send_keys(text)


def text(browser, selector: str) -> str:
    return browser.execute_script("return document.querySelector(arguments[0]).textContent;", selector)


def fonts_rendering(browser, selector: str) -> list[dict]:
    """The platform fonts Chromium used for an element's text (DevTools CSS domain, through Selenium)."""
    browser.execute_cdp_cmd("DOM.enable", {})
    browser.execute_cdp_cmd("CSS.enable", {})
    root = browser.execute_cdp_cmd("DOM.getDocument", {})["root"]["nodeId"]
    node = browser.execute_cdp_cmd("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return browser.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]


def screenshot(browser, name: str) -> Path:
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1000, int(height) + 140)
    path = BUILD / name
    path.parent.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(path))
    return path


def test_the_page_warns_classifies_and_answers(server, browser):
    browser.get(server.url)
    assert browser.title.startswith("BERT")
    banner = browser.find_element(By.ID, "standin-banner")
    assert banner.is_displayed() and "학습된 모델이 아닙니다" in banner.text and "Not a trained model" in banner.text
    assert len([note for note in browser.find_elements(By.CSS_SELECTOR, ".standin[role=note]") if note.is_displayed()]) == 2
    fonts = fonts_rendering(browser, "#classify-title")  # its text is Korean: "문서 분류"
    assert any(KOREAN_FONT.search(font["familyName"]) for font in fonts), (
        f"Hangul rendered with {fonts}: install a Korean font (Debian: fonts-nanum, as .ci/run does)")
    assert browser.execute_script("return getComputedStyle(document.body).wordBreak") == "keep-all"

    type_into(browser, "#review", REVIEW)
    browser.find_element(By.ID, "classify-button").click()
    assert state(browser, "classify") == "done", text(browser, "#classify-error")
    expected = httpx.post(server.url + "api/classify", json={"text": REVIEW}, timeout=10).json()
    assert text(browser, "#classify-label") == expected["prediction"]
    assert text(browser, "#positive-value") == f"{expected['positive'] * 100:.1f}%"
    WebDriverWait(browser, 10).until(lambda driver: driver.execute_script("return document.getAnimations().length === 0"))
    widths = browser.execute_script(
        "return ['positive-bar', 'negative-bar'].map(id => { const e = document.getElementById(id);"
        " return e.getBoundingClientRect().width / e.parentElement.getBoundingClientRect().width; })")
    assert widths[0] == pytest.approx(expected["positive"], abs=0.01)
    assert widths[1] == pytest.approx(expected["negative"], abs=0.01)

    type_into(browser, "#question", QUESTION)
    set_value(browser, "#context", CONTEXT)
    browser.find_element(By.ID, "qa-button").click()
    assert state(browser, "qa") == "done", text(browser, "#qa-error")
    expected = httpx.post(server.url + "api/answer", json={"question": QUESTION, "context": CONTEXT}, timeout=10).json()
    assert text(browser, "#qa-passage") == CONTEXT, "the passage is shown whole"
    assert text(browser, "#qa-mark") == CONTEXT[expected["start"]:expected["end"]] == expected["answer"]

    path = screenshot(browser, "serve_page.png")
    assert path.stat().st_size > 10_000

    events = [json.loads(entry["message"])["message"] for entry in browser.get_log("performance")]
    requested = [event["params"]["request"]["url"] for event in events if event["method"] == "Network.requestWillBeSent"]
    assert requested and all(url.startswith(server.url) or url.startswith("data:") for url in requested), requested
    problems = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert not problems, problems


def test_the_page_shows_working_then_the_result(server, browser):
    worker = server.app.state.served["classification"].worker
    predict, release = worker.predict_batch, threading.Event()
    worker.predict_batch = lambda inputs: (release.wait(20), predict(inputs))[1]
    try:
        browser.get(server.url)
        browser.find_element(By.ID, "classify-button").click()
        button = browser.find_element(By.ID, "classify-button")
        WebDriverWait(browser, 10).until(lambda driver: "working" in button.text)
        assert "처리 중" in button.text and not button.is_enabled()
        assert browser.find_element(By.ID, "classify-form").get_attribute("aria-busy") == "true"
    finally:
        release.set()
        worker.predict_batch = predict
    assert state(browser, "classify") == "done"
    assert button.text == "분류하기 · Classify" and button.is_enabled()


def test_an_over_long_review_is_refused_on_the_page_never_cut(server, browser):
    browser.get(server.url)
    requests_before = httpx.get(server.url + "health", timeout=5).json()["models"]["classification"]["stats"]["requests"]
    long_review = "정말 좋아요 " * 400  # 2,800 characters
    set_value(browser, "#review", long_review)
    assert browser.execute_script("return document.getElementById('review').value.length") == len(long_review)
    assert "over" in browser.find_element(By.CSS_SELECTOR, ".count[data-for=review]").get_attribute("class")
    browser.find_element(By.ID, "classify-button").click()
    assert state(browser, "classify") == "error"
    message = text(browser, "#classify-error")
    assert "2800자" in message and f"limit is {serve.MAX_TEXT_CHARS}" in message and "nothing was cut" in message
    assert browser.execute_script("return document.getElementById('review').value.length") == len(long_review)
    health = httpx.get(server.url + "health", timeout=5).json()
    assert health["models"]["classification"]["stats"]["requests"] == requests_before, "nothing was sent"


def test_the_page_shows_a_server_error_in_korean_and_english(server, browser):
    browser.get(server.url)
    type_into(browser, "#review", "   ")  # blank: the API answers 422
    browser.find_element(By.ID, "classify-button").click()
    assert state(browser, "classify") == "error"
    assert text(browser, "#classify-error") == "text: 비어 있거나 공백뿐이면 안 됩니다\ntext: must not be empty or only whitespace"
    assert browser.execute_script("return document.getElementById('classify-result').hidden") is True


def test_the_api_docs_render_offline(server, browser):
    browser.get(server.url + "docs")
    WebDriverWait(browser, 30).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".opblock"))
    paths = [element.text for element in browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")]
    assert "/api/classify" in paths and "/api/answer" in paths
    events = [json.loads(entry["message"])["message"] for entry in browser.get_log("performance")]
    requested = [event["params"]["request"]["url"] for event in events if event["method"] == "Network.requestWillBeSent"]
    assert all(url.startswith(server.url) or url.startswith("data:") for url in requested), requested


def test_nli_bars_and_highlighted_entities(tmp_path_factory, browser):
    nli_dir, ner_dir = untrained_pair_and_entity_checkpoints(tmp_path_factory.mktemp("browser_pair_entity"))
    handle = serve.start_in_background(nli_dir=nli_dir, ner_dir=ner_dir, port=0, show=False)
    try:
        browser.get(handle.url)
        assert browser.find_element(By.ID, "standin-banner").is_displayed()
        browser.find_element(By.ID, "nli-button").click()
        assert state(browser, "nli") == "done", text(browser, "#nli-error")
        assert len(browser.find_elements(By.CSS_SELECTOR, "#nli-bars .bar-row")) == 3
        sentence = "이순신은 1545년 서울 건천동에서 태어났다."
        type_into(browser, "#sentence", sentence)
        browser.find_element(By.ID, "ner-button").click()
        assert state(browser, "ner") == "done", text(browser, "#ner-error")
        expected = httpx.post(handle.url + "api/ner", json={"text": sentence}, timeout=10).json()["entities"]
        marks = browser.find_elements(By.CSS_SELECTOR, "#ner-text mark.entity")
        assert [(mark.get_attribute("data-label"), mark.get_attribute("textContent")) for mark in marks] == [
            (entity["type"], entity["text"]) for entity in expected]
        assert text(browser, "#ner-text") == sentence, "the sentence is shown whole"
        screenshot(browser, "serve_page_nli_ner.png")
    finally:
        handle.stop()
