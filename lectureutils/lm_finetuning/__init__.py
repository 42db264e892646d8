"""Fine-tuning KoGPT2 to write movie reviews of a requested sentiment, taught in notebooks/11_gpt_finetuning.ipynb.

The parts of every task (CONTRIBUTING.md, "Adding a task").
"""

from .corpus import KOREAN_NAMES, load_reviews, sentiment_name
from .features import (CONTROL_CODES, PackedCollator, PaddingCollator, control_ids, count_tokens, encode_review,
                       pack_examples, pad_batch, pad_id, tokenize_reviews)
from .inference import (DECODING_STRATEGIES, check_decoding, generate_review, generate_reviews, load_generator,
                        predict_batch)
from .metrics import control_accuracy, distinct_n, load_judge, perplexity, repeated_ngram_rate, tfidf_judge

__all__ = [
    "KOREAN_NAMES", "sentiment_name", "load_reviews",
    "CONTROL_CODES", "control_ids", "encode_review", "tokenize_reviews", "pad_id", "pad_batch", "PaddingCollator",
    "pack_examples", "PackedCollator", "count_tokens",
    "DECODING_STRATEGIES", "check_decoding", "generate_review", "generate_reviews", "predict_batch", "load_generator",
    "control_accuracy", "distinct_n", "repeated_ngram_rate", "perplexity", "tfidf_judge", "load_judge",
]
