"""KLUE-NER's two official scores, per-type scores and a type confusion matrix, from character tags.

Taught in notebooks/10_named_entity_recognition.ipynb (§4 "Fine-tuning and KLUE's scores"). As KLUE-baseline,
on characters without spaces, in percent, except that each sentence is scored separately and in full.
"""

from __future__ import annotations

from .corpus import ENTITY_TYPES, NER_LABELS

__all__ = ["klue_ner_scores", "per_type_scores", "type_confusion", "token_metrics", "without_spaces"]


def without_spaces(sentences, predicted_tags) -> tuple[list[list[str]], list[list[str]]]:
    """Gold and predicted tags per sentence with the space characters left out, as KLUE scores them (10, §4).

    Raises ValueError when a prediction's length differs from its sentence's or a tag is not a KLUE label.
    """
    sentences, predicted_tags = list(sentences), list(predicted_tags)
    if len(sentences) != len(predicted_tags):
        raise ValueError(f"{len(sentences)} sentences but {len(predicted_tags)} predictions.")
    gold, predicted = [], []
    labels = set(NER_LABELS)
    for number, (row, tags) in enumerate(zip(sentences, predicted_tags)):
        tags = list(tags)
        if len(tags) != len(row["chars"]):
            raise ValueError(f"sentence {number} ({row.get('guid', '?')}) has {len(row['chars'])} characters "
                             f"but {len(tags)} predicted tags.")
        unknown = set(tags) - labels
        if unknown:
            raise ValueError(f"sentence {number}: {sorted(unknown)} are not KLUE-NER labels ({', '.join(NER_LABELS)}).")
        keep = [position for position, char in enumerate(row["chars"]) if char != " "]
        gold.append([row["tags"][position] for position in keep])
        predicted.append([tags[position] for position in keep])
    return gold, predicted


def klue_ner_scores(sentences, predicted_tags) -> dict:
    """KLUE-NER's ``entity_macro_f1`` and ``char_macro_f1`` in percent (10, §4; see the module docstring).

    ``predicted_tags``: one list of character tags per :func:`read_klue_ner` row, as long as its ``chars``.
    """
    from seqeval.metrics import f1_score as entity_f1
    from seqeval.scheme import IOB2
    from sklearn.metrics import f1_score

    gold, predicted = without_spaces(sentences, predicted_tags)
    entity = entity_f1(gold, predicted, average="macro", mode="strict", scheme=IOB2, zero_division=0)
    flat_gold = [tag for tags in gold for tag in tags]
    flat_predicted = [tag for tags in predicted for tag in tags]
    char = f1_score(flat_gold, flat_predicted, labels=NER_LABELS, average="macro", zero_division=1)
    return {"entity_macro_f1": float(entity) * 100.0, "char_macro_f1": float(char) * 100.0}


def per_type_scores(sentences, predicted_tags) -> dict[str, dict]:
    """Entity precision, recall, F1 (percent) and support for each of the six types, seqeval strict IOB2 (10, §4)."""
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2

    gold, predicted = without_spaces(sentences, predicted_tags)
    report = classification_report(gold, predicted, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    scores = {}
    for kind in ENTITY_TYPES:
        row = report.get(kind, {})
        scores[kind] = {"precision": 100.0 * row.get("precision", 0.0), "recall": 100.0 * row.get("recall", 0.0),
                        "f1": 100.0 * row.get("f1-score", 0.0), "support": int(row.get("support", 0))}
    return scores


def type_confusion(sentences, predicted_tags):
    """Characters by gold type (rows) and predicted type (columns), spaces left out: a 7 × 7 DataFrame (10, §4)."""
    import pandas as pd

    gold, predicted = without_spaces(sentences, predicted_tags)
    names = ["O", *ENTITY_TYPES]
    table = pd.DataFrame(0, index=pd.Index(names, name="gold"), columns=pd.Index(names, name="predicted"))
    for gold_tags, predicted_tags_ in zip(gold, predicted):
        for gold_tag, predicted_tag in zip(gold_tags, predicted_tags_):
            table.loc[gold_tag[2:] or "O", predicted_tag[2:] or "O"] += 1
    return table


def token_metrics(eval_prediction) -> dict:
    """``compute_metrics`` for the ``Trainer``: entity F1 and accuracy on **tokens**, a quick signal;
    the official scores are computed on characters with :func:`klue_ner_scores` (10, §4).
    """
    import numpy as np
    from seqeval.metrics import f1_score
    from seqeval.scheme import IOB2

    logits, label_ids = eval_prediction.predictions, eval_prediction.label_ids
    if isinstance(logits, tuple):
        logits = logits[0]
    predictions = np.asarray(logits).argmax(axis=-1)
    gold, predicted = [], []
    for prediction_row, label_row in zip(predictions, np.asarray(label_ids)):
        keep = label_row != -100
        gold.append([NER_LABELS[index] for index in label_row[keep]])
        predicted.append([NER_LABELS[index] for index in prediction_row[keep]])
    total = sum(len(row) for row in gold)
    correct = sum(a == b for gold_row, predicted_row in zip(gold, predicted) for a, b in zip(gold_row, predicted_row))
    return {
        "token_entity_f1": float(f1_score(gold, predicted, average="macro", mode="strict", scheme=IOB2, zero_division=0)),
        "token_accuracy": correct / total if total else 0.0,
    }
