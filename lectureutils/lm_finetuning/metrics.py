"""Does the control work, and is the text varied? Metrics for sentiment-controlled generation.

Taught in notebooks/11_gpt_finetuning.ipynb (§4 "Fine-tuning with the Trainer": perplexity; §6 "Does the
control work?": control accuracy, distinct-n, repeated n-grams, the judge).

- **control accuracy**: the share of reviews generated for a sentiment that a sentiment classifier (the
  *judge*) assigns to that sentiment, per sentiment and overall. A model that ignores the code scores about
  50 % overall (it writes one kind of review, or a mix, whatever it is asked).
- **distinct-n** (Li et al., 2016): distinct n-grams / all n-grams over all samples; low = the samples repeat
  each other (or themselves).
- **repeated n-gram rate**: the share of each sample's n-grams that repeat an earlier n-gram of the same
  sample (``lectureutils.generation.repeated_ngrams``, notebook 07), over all samples; high = loops.
- **perplexity** on held-out reviews: exp of the mean negative log-likelihood of the review tokens given the
  control code (the tokens ``labels`` keeps, see ``features``).
- **the judge**: notebook 05's fine-tuned classifier when its checkpoint exists and is not a stand-in's, else
  a TF-IDF + logistic regression (character 1-3-grams) trained on NSMC's training split.
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
    """Per sentiment and overall, the share of samples whose judged sentiment is the one asked for (11 §6).

    ``conditioned`` and ``predicted`` are sentiments (names, 긍정/부정 or labels 1/0), one per sample. Returns
    ``{"positive": share, "negative": share, "overall": share}`` (a sentiment with no samples is NaN).
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
    """Distinct n-grams / all n-grams over all ``samples`` (token lists; strings are split on whitespace) (11 §6).

    1.0 = no n-gram occurs twice anywhere; 0.0 when there is no n-gram at all.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}.")
    grams = [tuple(tokens[start:start + n]) for tokens in _sequences(samples) for start in range(len(tokens) - n + 1)]
    return len(set(grams)) / len(grams) if grams else 0.0


def repeated_ngram_rate(samples, n: int = 3) -> float:
    """Share of n-grams that repeat an earlier n-gram of the same sample, over all ``samples`` (11 §6).

    Uses ``lectureutils.generation.repeated_ngrams`` (notebook 07); 0.0 when there is no n-gram at all.
    """
    repeats = 0
    total = 0
    for tokens in _sequences(samples):
        total += max(0, len(tokens) - n + 1)
        repeats += sum(count - 1 for count in repeated_ngrams(tokens, n).values())
    return repeats / total if total else 0.0


def perplexity(model, dataset, padding_id: int, batch_size: int = 32) -> float:
    """Perplexity of ``model`` on ``encode_review`` examples: exp(summed NLL of labelled tokens / their count) (11 §4).

    Summing over all tokens (not averaging batch means) gives every review token the same weight.
    """
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
    """A TF-IDF (character 1-3-grams within words) + logistic regression sentiment classifier (11 §6).

    Trained on ``frame`` (NSMC rows, label 1 = positive). Returns the fitted scikit-learn pipeline; its
    ``predict`` gives NSMC labels. ``seed``: the session's by default.
    """
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

    ``checkpoint``: notebook 05's saved classifier folder. It is used when it exists and was not fine-tuned
    from an offline stand-in (``lectureutils.models.is_standin``); otherwise a ``tfidf_judge`` is trained on
    ``train_frame``. ``description`` says which.
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
