// The page of lectureutils.serve: posts the forms to the JSON API and renders the results as pictures.
// Relative URLs only, so that the page also works behind Colab's port proxy or a path prefix.
// Text is never cut: a field over its limit is refused with a message (server limits are the same).
"use strict";

const NO_ANSWER = "(답을 찾지 못함 · no answer)";

async function postJSON(path, payload) {
  let response;
  try {
    response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(payload),
    });
  } catch (error) {
    throw new Error("서버에 연결할 수 없습니다 · cannot reach the server (" + error.message + ")");
  }
  let body = null;
  try { body = await response.json(); } catch (error) { body = null; }
  if (!response.ok) {
    let message = response.status + " " + response.statusText;
    if (body && body.detail) {
      message = body.detail_ko ? body.detail_ko + "\n" + body.detail : body.detail;
    }
    throw new Error(message);
  }
  return body;
}

function showError(element, message) {
  element.textContent = message;
  element.hidden = !message;
}

function percent(probability) {
  return (probability * 100).toFixed(1) + "%";
}

function setBar(bar, label, probability) {
  bar.style.width = Math.max(0, Math.min(100, probability * 100)).toFixed(1) + "%";
  label.textContent = percent(probability);
}

function characters(text) {
  return Array.from(text).length;  // code points, as the server counts
}

function tooLong(form) {
  // The first field over its limit, as a bilingual message; "" when every field fits.
  for (const field of form.querySelectorAll("[data-limit]")) {
    const limit = Number(field.dataset.limit);
    const length = characters(field.value);
    if (length > limit) {
      const name = field.dataset.name;
      return name + ": " + length + "자입니다. 최대 " + limit + "자까지 받습니다 · is " + length +
        " characters long; the limit is " + limit + " (nothing was sent, nothing was cut)";
    }
  }
  return "";
}

function updateCounts() {
  for (const count of document.querySelectorAll(".count[data-for]")) {
    const field = document.getElementById(count.dataset.for);
    const length = characters(field.value);
    count.textContent = String(length);
    count.classList.toggle("over", length > Number(field.dataset.limit));
  }
}

async function submitForm(form, button, errorBox, resultBox, work) {
  const refused = tooLong(form);
  showError(errorBox, refused);
  if (refused) { resultBox.hidden = true; resultBox.dataset.state = "error"; return; }
  button.disabled = true;
  button.textContent = "처리 중… · working…";
  form.setAttribute("aria-busy", "true");
  resultBox.dataset.state = "pending";
  resultBox.classList.add("stale");
  try {
    await work();
    resultBox.hidden = false;
    resultBox.dataset.state = "done";
  } catch (error) {
    resultBox.hidden = true;
    resultBox.dataset.state = "error";
    showError(errorBox, error.message);
  } finally {
    resultBox.classList.remove("stale");
    form.removeAttribute("aria-busy");
    button.textContent = button.dataset.label;
    button.disabled = false;
  }
}

function onSubmit(prefix, work) {
  const form = document.getElementById(prefix + "-form");
  if (!form) return;  // this model is not served
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitForm(form, document.getElementById(prefix + "-button"), document.getElementById(prefix + "-error"),
      document.getElementById(prefix + "-result"), work);
  });
}

function highlight(container, text, spans, markId) {
  // text with <mark>s at the spans (code-point offsets, as the server counts; JavaScript counts UTF-16 units).
  const points = Array.from(text);
  container.replaceChildren();
  let position = 0;
  for (const span of spans) {
    container.append(points.slice(position, span.start).join(""));
    const mark = document.createElement("mark");
    if (markId) mark.id = markId;
    if (span.type) { mark.dataset.label = span.type; mark.className = "entity entity-" + span.type; mark.title = span.type; }
    mark.textContent = points.slice(span.start, span.end).join("");
    container.append(mark);
    position = span.end;
  }
  container.append(points.slice(position).join(""));
}

onSubmit("classify", async () => {
  const sentiment = await postJSON("api/classify", { text: document.getElementById("review").value });
  document.getElementById("classify-label").textContent = sentiment.prediction;
  setBar(document.getElementById("positive-bar"), document.getElementById("positive-value"), sentiment.positive);
  setBar(document.getElementById("negative-bar"), document.getElementById("negative-value"), sentiment.negative);
  document.getElementById("classify-truncated").hidden = !sentiment.truncated;
});

onSubmit("qa", async () => {
  const context = document.getElementById("context").value;
  const question = document.getElementById("question").value;
  const found = await postJSON("api/answer", { question: question, context: context });
  document.getElementById("qa-answer").textContent = found.answer || NO_ANSWER;
  document.getElementById("qa-score").textContent = "score " + found.score.toFixed(3) + " · " + found.windows + (found.windows === 1 ? " window" : " windows");
  highlight(document.getElementById("qa-passage"), context, [{ start: found.start, end: found.end }], "qa-mark");
});

onSubmit("nli", async () => {
  const result = await postJSON("api/nli", {
    premise: document.getElementById("premise").value, hypothesis: document.getElementById("hypothesis").value,
  });
  const korean = { entailment: "함의", neutral: "중립", contradiction: "모순" };
  document.getElementById("nli-label").textContent = (korean[result.label] || "") + " (" + result.label + ")";
  const bars = document.getElementById("nli-bars");
  bars.replaceChildren();
  for (const [label, probability] of Object.entries(result.probabilities || {})) {
    const row = document.createElement("div");
    row.className = "bar-row";
    const name = document.createElement("span");
    name.className = "bar-name";
    name.textContent = (korean[label] ? korean[label] + " " : "") + label;
    const bar = document.createElement("div");
    bar.className = "bar";
    const fill = document.createElement("div");
    fill.className = "fill " + (label === result.label ? "positive" : "neutral");
    bar.append(fill);
    const value = document.createElement("span");
    value.className = "bar-value";
    row.append(name, bar, value);
    bars.append(row);
    setBar(fill, value, probability);
  }
});

onSubmit("ner", async () => {
  const text = document.getElementById("sentence").value;
  const result = await postJSON("api/ner", { text: text });
  const entities = (result.entities || []).slice().sort((a, b) => a.start - b.start);
  highlight(document.getElementById("ner-text"), text, entities, null);
  const labels = [...new Set(entities.map((entity) => entity.type))];
  document.getElementById("ner-legend").textContent = entities.length
    ? "개체 " + entities.length + "개 · " + entities.length + " entities: " + labels.join(", ")
    : "개체를 찾지 못함 · no entities found";
});

for (const field of document.querySelectorAll("[data-limit]")) field.addEventListener("input", updateCounts);
updateCounts();
