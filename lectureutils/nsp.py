"""Next sentence prediction plumbing for notebook 03: probabilities for many pairs in one batch and their table
("Many pairs"), and the pictures ("Encoding a pair"). The lesson, for one pair, is written out in the notebook.
"""

from __future__ import annotations

import warnings

from .inputs import check_text, max_model_length

__all__ = ["IS_NEXT", "NOT_NEXT", "NSP_LABELS", "nsp_probabilities", "nsp_table", "segment_strip", "nsp_chart"]

# BERT's convention (google-research/bert, run_pretraining.py): label 0 = B really followed A, 1 = B is random
IS_NEXT = 0
NOT_NEXT = 1
NSP_LABELS = {IS_NEXT: "B continues A (IsNext)", NOT_NEXT: "B is random (NotNext)"}


def nsp_probabilities(model, tokenizer, pairs):
    """Probabilities [pairs, 2] of a ``*ForNextSentencePrediction`` model for (A, B) pairs, in one padded batch;
    an over-long pair is truncated with a warning (03, "Many pairs")."""
    import torch

    pairs = [tuple(pair) for pair in pairs]
    if not pairs:
        raise ValueError("No sentence pairs given.")
    for pair in pairs:
        if len(pair) != 2:
            raise ValueError(f"Each pair needs exactly two sentences (A, B), got {pair!r}.")
        with warnings.catch_warnings():  # length is judged for the pair below, not for each sentence
            warnings.simplefilter("ignore")
            check_text(pair[0], tokenizer, model, truncate=True, what="sentence A")
            check_text(pair[1], tokenizer, model, truncate=True, what="sentence B")
    limit = max_model_length(tokenizer, model)
    firsts = [pair[0] for pair in pairs]
    seconds = [pair[1] for pair in pairs]
    full_lengths = [len(ids) for ids in tokenizer(firsts, seconds, truncation=False)["input_ids"]]
    for number, length in enumerate(full_lengths):
        if length > limit:
            warnings.warn(f"Pair {number} is {length} tokens long, more than this model's maximum of {limit}; "
                          "the longer sentence is cut to fit.", stacklevel=2)
    encoding = tokenizer(firsts, seconds, padding=True, truncation="longest_first", max_length=limit, return_tensors="pt")
    encoding = encoding.to(model.device)
    with torch.no_grad():
        logits = model(**encoding).logits
    if logits.shape[-1] != 2:
        raise ValueError(f"Expected 2 logits per pair from a next-sentence-prediction head, got {logits.shape[-1]}.")
    return logits.float().softmax(dim=-1).cpu()


def nsp_table(model, tokenizer, pairs, language: str | None = None):
    """NSP results, one row per (A, B, expected label or None): language, A, B, expected, P(IsNext), P(NotNext),
    predicted, correct (03, "Many pairs")."""
    import pandas as pd

    rows = [tuple(pair) for pair in pairs]
    for row in rows:
        if len(row) != 3:
            raise ValueError(f"Each row needs (sentence A, sentence B, expected label), got {row!r}.")
        if row[2] not in (IS_NEXT, NOT_NEXT, None):
            raise ValueError(f"Expected label must be 0 (IsNext), 1 (NotNext) or None, got {row[2]!r}.")
    probabilities = nsp_probabilities(model, tokenizer, [(first, second) for first, second, _ in rows])
    predicted = probabilities.argmax(dim=-1).tolist()
    table = pd.DataFrame({
        "language": [language] * len(rows),
        "A": [row[0] for row in rows],
        "B": [row[1] for row in rows],
        "expected": pd.Series([row[2] for row in rows], dtype=object),  # None stays None, not NaN
        "P(IsNext)": probabilities[:, IS_NEXT].tolist(),
        "P(NotNext)": probabilities[:, NOT_NEXT].tolist(),
        "predicted": predicted,
    })
    correct = [None if expected is None else expected == guess for expected, guess in zip(table["expected"], predicted)]
    table["correct"] = pd.Series(correct, dtype=object)
    return table


SEGMENT_COLORS = ("#9ecae1", "#fdae6b")  # segment 0 (sentence A): blue, segment 1 (sentence B): orange


def segment_strip(tokens, token_type_ids, title: str = "", ax=None, special_tokens=()):
    """One box per token, blue for segment 0 (A) and orange for 1 (B), its id under it; ``special_tokens`` in bold
    (03, "Encoding a pair")."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch, Rectangle

    values = token_type_ids.tolist() if hasattr(token_type_ids, "tolist") else list(token_type_ids)
    if values and isinstance(values[0], (list, tuple)):
        raise ValueError("Pass the token_type_ids of one pair (a flat list), not a batch.")
    segments = [int(value) for value in values]
    if len(tokens) != len(segments):
        raise ValueError(f"{len(tokens)} tokens but {len(segments)} segment ids: they must match one to one.")
    if any(value not in (0, 1) for value in segments):
        raise ValueError(f"Segment ids must be 0 or 1, got {sorted(set(segments))}.")
    per_row = 20
    rows = max(1, -(-len(tokens) // per_row))
    if ax is None:
        _, ax = plt.subplots(figsize=(min(per_row, max(len(tokens), 4)) * 0.75 + 0.5, 0.9 * rows + 0.7))
    special = set(special_tokens)
    for index, (token, segment) in enumerate(zip(tokens, segments)):
        column, row = index % per_row, index // per_row
        ax.add_patch(Rectangle((column, -row), 0.95, 0.6, color=SEGMENT_COLORS[segment]))
        weight = "bold" if token in special else "normal"
        ax.text(column + 0.475, -row + 0.3, token, ha="center", va="center", fontsize=7, rotation=0, weight=weight)
        ax.text(column + 0.475, -row - 0.15, str(segment), ha="center", va="center", fontsize=6, color="dimgray")
    ax.set_xlim(-0.1, min(per_row, max(len(tokens), 1)) + 0.05)
    ax.set_ylim(-rows + 0.5, 0.8)
    ax.axis("off")
    ax.legend(handles=[Patch(color=SEGMENT_COLORS[0], label="segment 0: [CLS] A [SEP]"),
                       Patch(color=SEGMENT_COLORS[1], label="segment 1: B [SEP]")],
              loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8, frameon=False)
    if title:
        ax.set_title(title, fontsize=10, pad=22)
    return ax


def nsp_chart(table, ax=None, label_width: int = 38):
    """Bars of P(B continues A) per row of an ``nsp_table``, coloured by the expected label (03, "Many pairs")."""
    import matplotlib.pyplot as plt
    import pandas as pd

    for column in ("A", "B", "expected", "P(IsNext)"):
        if column not in table:
            raise ValueError(f"Not an nsp_table: column {column!r} is missing.")
    if len(table) == 0:
        raise ValueError("The table is empty.")
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 0.5 * len(table) + 1.2))
    colors = {IS_NEXT: "tab:green", NOT_NEXT: "tab:red", None: "tab:gray"}
    positions = list(range(len(table)))[::-1]
    labels = []
    for position, (_, row) in zip(positions, table.iterrows()):
        expected = None if pd.isna(row["expected"]) else int(row["expected"])
        ax.barh(position, row["P(IsNext)"], color=colors[expected])
        ax.text(row["P(IsNext)"], position, f" {row['P(IsNext)']:.3f}", va="center", fontsize=8)
        labels.append(_shorten(row["B"], label_width))
    ax.set_yticks(positions, labels, fontsize=8)
    ax.axvline(0.5, color="black", linewidth=0.8, linestyle="--")
    ax.set_xlim(0, 1.15)
    ax.set_xlabel("P(B continues A)  (index 0 of the NSP head)")
    ax.set_ylabel("sentence B")
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=colors[IS_NEXT], label="B really continues A"),
                       Patch(color=colors[NOT_NEXT], label="B is unrelated")], fontsize=8, loc="lower right")
    return ax


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
