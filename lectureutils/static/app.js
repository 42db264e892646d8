// The page of lectureutils.serve: posts the forms to the JSON API and renders the results.
// Relative URLs only, so that the page also works behind Colab's port proxy or a path prefix.
"use strict";

async function postJSON(path, payload) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(payload),
  });
  let body = null;
  try { body = await response.json(); } catch (error) { body = null; }
  if (!response.ok) {
    const detail = body && body.detail ? body.detail : response.status + " " + response.statusText;
    throw new Error(detail);
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

async function submitForm(form, button, errorBox, resultBox, work) {
  button.disabled = true;
  resultBox.dataset.state = "pending";
  showError(errorBox, "");
  try {
    await work();
    resultBox.hidden = false;
    resultBox.dataset.state = "done";
  } catch (error) {
    resultBox.hidden = true;
    resultBox.dataset.state = "error";
    showError(errorBox, error.message);
  } finally {
    button.disabled = false;
  }
}

function setUpClassifier() {
  const form = document.getElementById("classify-form");
  if (!form) return;  // no classifier loaded
  const result = document.getElementById("classify-result");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = document.getElementById("review").value;
    submitForm(form, document.getElementById("classify-button"), document.getElementById("classify-error"), result,
      async () => {
        const sentiment = await postJSON("api/classify", { text: text });
        document.getElementById("classify-label").textContent = sentiment.prediction;
        setBar(document.getElementById("positive-bar"), document.getElementById("positive-value"), sentiment.positive);
        setBar(document.getElementById("negative-bar"), document.getElementById("negative-value"), sentiment.negative);
      });
  });
}

function setUpQuestionAnswering() {
  const form = document.getElementById("qa-form");
  if (!form) return;  // no QA model loaded
  const result = document.getElementById("qa-result");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const question = document.getElementById("question").value;
    const context = document.getElementById("context").value;
    submitForm(form, document.getElementById("qa-button"), document.getElementById("qa-error"), result,
      async () => {
        const found = await postJSON("api/answer", { question: question, context: context });
        document.getElementById("qa-answer").textContent = found.answer || "(답을 찾지 못함 · no answer)";
        document.getElementById("qa-score").textContent = "score " + found.score.toFixed(3);
        // The server's offsets count Unicode code points (Python), JavaScript strings count UTF-16 units.
        const points = Array.from(context);
        const passage = document.getElementById("qa-passage");
        passage.replaceChildren();
        passage.append(points.slice(0, found.start).join(""));
        const mark = document.createElement("mark");
        mark.id = "qa-mark";
        mark.textContent = points.slice(found.start, found.end).join("");
        passage.append(mark);
        passage.append(points.slice(found.end).join(""));
      });
  });
}

setUpClassifier();
setUpQuestionAnswering();
