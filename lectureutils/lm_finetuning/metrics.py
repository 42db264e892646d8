"""Does the control work, and is the text varied? Metrics for sentiment-controlled generation.

Taught in notebooks/11_gpt_finetuning.ipynb (§4 "Fine-tuning with the Trainer": perplexity; §6 "Does the
control work?": control accuracy, distinct-n, repeated n-grams, the judge).
"""

from __future__ import annotations

import math
from pathlib import Path

from ..generation import repeated_ngrams
from ..classification.inference import SENTIMENT_LABELS
from ..training import IGNORE_INDEX
from .corpus import sentiment_name

__all__ = ["control_accuracy", "distinct_n", "repeated_ngram_rate", "perplexity", "tfidf_judge", "load_judge"]


def control_accuracy(conditioned, predicted) -> dict:
    """Per sentiment and overall, the share of samples judged to have the sentiment asked for (11 §6).

    A sentiment with no samples is NaN; a model that ignores the code scores about 50 % overall.
    """
    conditioned = [sentiment_name(value) for value in conditioned]
    predicted = [sentiment_name(value) for value in predicted]
    if len(conditioned) != len(predicted):
        raise ValueError(f"{len(conditioned)} conditions for {len(predicted)} predictions.")
    if not conditioned:
        raise ValueError("No samples to score.")
    result = {}
    for name in SENTIMENT_LABELS[::-1]:
        hits = [asked == judged for asked, judged in zip(conditioned, predicted) if asked == name]
        result[name] = sum(hits) / len(hits) if hits else math.nan
    result["overall"] = sum(asked == judged for asked, judged in zip(conditioned, predicted)) / len(conditioned)
    return result


def _sequences(samples) -> list[list]:
    if isinstance(samples, str):
        raise TypeError("Give a list of samples (token lists, or strings split on whitespace), not one string.")
    return [sample.split() if isinstance(sample, str) else list(sample) for sample in samples]


def distinct_n(samples, n: int) -> float:
    """Distinct n-grams / all n-grams over all ``samples`` (strings are split on whitespace) (11 §6)."""
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}.")
    grams = [tuple(tokens[start:start + n]) for tokens in _sequences(samples) for start in range(len(tokens) - n + 1)]
    return len(set(grams)) / len(grams) if grams else 0.0


def repeated_ngram_rate(samples, n: int = 3) -> float:
    """Share of n-grams that repeat an earlier n-gram of the same sample, over all ``samples`` (11 §6)."""
    repeats = 0
    total = 0
    for tokens in _sequences(samples):
        total += max(0, len(tokens) - n + 1)
        repeats += sum(count - 1 for count in repeated_ngrams(tokens, n).values())
    return repeats / total if total else 0.0


def perplexity(model, dataset, padding_id: int, batch_size: int = 32) -> float:
    """Perplexity of ``model`` on ``encode_review`` examples, every labelled token weighted equally (11 §4)."""
    import torch

    from .features import pad_batch

    examples = list(dataset)
    if not examples:
        raise ValueError("No examples to score.")
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    total_loss = 0.0
    total_tokens = 0
    try:
        for start in range(0, len(examples), batch_size):
            batch = pad_batch(examples[start:start + batch_size], padding_id)
            with torch.inference_mode():
                logits = model(input_ids=batch["input_ids"].to(device),
                               attention_mask=batch["attention_mask"].to(device), use_cache=False).logits
            targets = batch["labels"][:, 1:].to(device)
            losses = torch.nn.functional.cross_entropy(
                logits[:, :-1].float().transpose(1, 2), targets, ignore_index=IGNORE_INDEX, reduction="sum")
            total_loss += float(losses)
            total_tokens += int((targets != IGNORE_INDEX).sum())
    finally:
        model.train(was_training)
    return math.exp(total_loss / total_tokens)


def tfidf_judge(frame, text_column: str = "document", label_column: str = "label", seed: int | None = None):
    """A TF-IDF (character 1-3-grams within words) + logistic regression sentiment classifier (11 §6)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from .. import env

    labels = sorted(set(frame[label_column]))
    if labels != [0, 1]:
        raise ValueError(f"The judge needs reviews of both sentiments (labels 0 and 1); got {labels}.")
    judge = make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, max_features=100_000),
        LogisticRegression(max_iter=1000, C=10.0, random_state=env.seed() if seed is None else seed),
    )
    return judge.fit(frame[text_column].tolist(), frame[label_column].tolist())


def load_judge(train_frame, checkpoint=None, device: str | None = None):
    """The sentiment judge of §6 as ``(predict, description)``; ``predict(texts)`` gives NSMC labels (11 §6).

    Notebook 05's ``checkpoint`` unless missing or from a stand-in; else a ``tfidf_judge`` on ``train_frame``.
    """
    if checkpoint is not None and (Path(checkpoint) / "config.json").is_file():
        from ..models import is_standin

        if not is_standin(str(checkpoint)):
            from ..classification import load_classifier, positive_probabilities

            model, tokenizer = load_classifier(checkpoint, device=device)

            def predict_checkpoint(texts):
                return [int(p >= 0.5) for p in positive_probabilities(list(texts), model, tokenizer)]

            return predict_checkpoint, f"notebook 05's fine-tuned classifier ({checkpoint})"
    judge = tfidf_judge(train_frame)

    def predict_tfidf(texts):
        return [int(label) for label in judge.predict(list(texts))]

    return predict_tfidf, f"TF-IDF + logistic regression trained here on {len(train_frame):,} NSMC reviews"
