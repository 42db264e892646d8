"""Plumbing for text generation with GPT (notebook 07): pictures, perplexity and a table of decoded texts. The
lesson (causal mask, temperature, the greedy loop with the KV cache, sentence log-probability) is in the notebook.
"""

from __future__ import annotations

import math

__all__ = ["readable_tokens", "plot_attention_masks", "plot_top_k", "plot_temperatures", "entropy", "repeated_ngrams",
           "perplexity_from_loss", "plot_token_logprobs", "decoding_table"]

SPACE_MARK = "·"  # drawn for the space a token starts with (the Korean fonts have no ␣)
NEWLINE_MARK = "¶"
PARTIAL_MARK = "?"  # a token that is only part of a character's bytes


def readable_tokens(tokenizer, token_ids) -> list[str]:
    """Each token id decoded on its own, a leading space shown as ``·``: GPT-2's ``Ġthe`` reads ``·the``, part of a
    character's bytes ``?``, and KoGPT2's ``▁근`` keeps its word start as ``·근`` (07, §1 and §7)."""
    labels = []
    for token_id in token_ids:
        text = tokenizer.decode([int(token_id)])
        token = tokenizer.convert_ids_to_tokens(int(token_id))
        if isinstance(token, str) and token.startswith("\u2581") and not text.startswith(" "):
            text = " " + text  # a "▁" word start, which the Metaspace decoder strips from a text's first token
        text = text.replace(" ", SPACE_MARK).replace("\n", NEWLINE_MARK).replace("\ufffd", PARTIAL_MARK)
        labels.append(text or repr(text))
    return labels


def plot_attention_masks(masks: dict, tokens, title: str = "", axes=None):
    """Heatmaps of attention masks or weights side by side: ``masks`` maps a title to a square array, rows the
    query tokens (07, "Decoder-only vs encoder-only")."""
    import matplotlib.pyplot as plt
    import numpy as np

    arrays = {name: np.asarray(mask, dtype=float) for name, mask in masks.items()}
    for name, array in arrays.items():
        if array.shape != (len(tokens), len(tokens)):
            raise ValueError(f"{name!r}: need a {len(tokens)}x{len(tokens)} array, got {array.shape}.")
    if axes is None:
        size = 1.2 + 0.45 * len(tokens)
        _, axes = plt.subplots(1, len(arrays), figsize=(size * len(arrays), size), squeeze=False)
        axes = axes[0]
    for ax, (name, array) in zip(axes, arrays.items()):
        ax.imshow(array, cmap="Blues", vmin=0.0, vmax=1.0)
        ax.set_xticks(range(len(tokens)), tokens, rotation=90, fontsize=8)
        ax.set_yticks(range(len(tokens)), tokens, fontsize=8)
        ax.set_xlabel("may attend to (key)")
        ax.set_ylabel("token (query)")
        ax.set_title(name, fontsize=10)
    figure = axes[0].figure
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure


def plot_top_k(labels, probabilities, title: str = "", ax=None, color: str = "tab:blue"):
    """Bar chart of the most probable next tokens, the most probable on top (07, "Next-token distribution")."""
    import matplotlib.pyplot as plt
    import numpy as np

    probabilities = np.asarray(probabilities, dtype=float)
    if len(labels) != len(probabilities):
        raise ValueError(f"{len(labels)} labels for {len(probabilities)} probabilities.")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 0.35 * len(labels) + 1.2))
    positions = np.arange(len(labels))[::-1]
    ax.barh(positions, probabilities, color=color)
    ax.set_yticks(positions, labels)
    for position, probability in zip(positions, probabilities):
        ax.text(probability, position, f" {probability:.3g}", va="center", fontsize=8)
    ax.set_xlim(0, min(1.0, probabilities.max() * 1.25 + 1e-6))
    ax.set_xlabel("probability of the next token")
    ax.set_title(title)
    return ax


def plot_temperatures(labels, distributions: dict, title: str = "", ax=None):
    """Grouped bars of the same tokens under several temperatures: ``distributions`` maps a temperature to the
    tokens' probabilities (07, "Temperature")."""
    import matplotlib.pyplot as plt
    import numpy as np

    if not distributions:
        raise ValueError("Give at least one temperature.")
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6, 0.8 * len(labels) + 2), 4))
    width = 0.8 / len(distributions)
    positions = np.arange(len(labels))
    for number, (temperature, probabilities) in enumerate(distributions.items()):
        probabilities = np.asarray(probabilities, dtype=float)
        if len(probabilities) != len(labels):
            raise ValueError(f"T={temperature}: {len(probabilities)} probabilities for {len(labels)} labels.")
        ax.bar(positions + (number - (len(distributions) - 1) / 2) * width, probabilities, width, label=f"T = {temperature}")
    ax.set_xticks(positions, labels, rotation=45, ha="right")
    ax.set_ylabel("probability")
    ax.legend()
    ax.set_title(title)
    return ax


def entropy(probabilities) -> float:
    """Shannon entropy in nats of a probability vector, zeros allowed (07, "Temperature")."""
    import numpy as np

    p = np.asarray(probabilities, dtype=float)
    if p.ndim != 1 or (p < 0).any() or not math.isclose(p.sum(), 1.0, abs_tol=1e-4):
        raise ValueError("Need a 1-D vector of non-negative probabilities summing to 1.")
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())


def repeated_ngrams(token_ids, n: int) -> dict[tuple, int]:
    """The n-grams that occur more than once in ``token_ids``, with their counts: empty under
    ``no_repeat_ngram_size=n`` (07, "Decoding strategies")."""
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}.")
    ids = [int(token_id) for token_id in token_ids]
    counts: dict[tuple, int] = {}
    for start in range(len(ids) - n + 1):
        gram = tuple(ids[start : start + n])
        counts[gram] = counts.get(gram, 0) + 1
    return {gram: count for gram, count in counts.items() if count > 1}


def perplexity_from_loss(mean_negative_log_likelihood) -> float:
    """exp(mean negative log-likelihood per token), the ``loss`` a causal LM returns for ``labels=input_ids``
    (07, "Sentence probability and perplexity")."""
    value = float(mean_negative_log_likelihood)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"A mean negative log-likelihood is a finite number >= 0, not {value}.")
    return math.exp(value)


def plot_token_logprobs(sentences: dict, title: str = "", ax=None):
    """Per-token log-probabilities, one line per sentence: ``sentences`` maps a label to ``(tokens,
    log_probabilities)`` (07, "Sentence probability and perplexity")."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4))
    for label, (tokens, log_probabilities) in sentences.items():
        values = [float(value) for value in log_probabilities]
        if len(tokens) != len(values):
            raise ValueError(f"{label!r}: {len(tokens)} tokens for {len(values)} log-probabilities.")
        line = ax.plot(range(len(values)), values, marker="o", label=label)[0]
        for position, (token, value) in enumerate(zip(tokens, values)):
            ax.annotate(token, (position, value), textcoords="offset points", xytext=(0, 6), ha="center",
                        fontsize=7, color=line.get_color())
    ax.set_xlabel("position of the predicted token")
    ax.set_ylabel("log p(token | tokens before it)")
    ax.legend()
    ax.set_title(title)
    return ax


def decoding_table(prompt: str, outputs: dict, width: int = 0):
    """One row per decoding strategy, its settings and continuation (the prompt cut off, shortened to ``width``
    when > 0): ``outputs`` maps a strategy to ``(settings, generated_text)`` (07, "Decoding strategies")."""
    import pandas as pd

    rows = []
    for strategy, (settings, text) in outputs.items():
        continuation = text[len(prompt):] if text.startswith(prompt) else text
        continuation = " ".join(continuation.split())
        if width and len(continuation) > width:
            continuation = continuation[: width - 1] + "…"
        rows.append({"strategy": strategy, "settings": settings, "continuation": continuation})
    return pd.DataFrame(rows, columns=["strategy", "settings", "continuation"]).set_index("strategy")
