"""Fine-tuning GPT (KoGPT2) to write movie reviews of a requested sentiment: the generation task.

Taught in notebooks/11_gpt_finetuning.ipynb; trained from the command line with
``python -m lectureutils.finetune generation``. The task shape of every fine-tuning task:

- ``corpus``: NSMC (the reader and files of notebook 05) as sentiment-conditioned reviews;
- ``features``: control codes, labels masked to the review, padding and packing;
- ``metrics``: control accuracy, distinct-n, repeated n-grams, perplexity, the sentiment judge;
- ``inference``: ``generate_review`` with checked decoding settings, ``load_generator`` (safetensors only);
- ``settings``: the lecture's model, hyper-parameters and batching;
- ``spec``: what the ``generation`` subcommand adds to the task runner.
"""

from .corpus import CORPUS, KOREAN_NAMES, LABELS, NEGATIVE, POSITIVE, SENTIMENTS, load_reviews, sentiment_name
from .features import (
    CONTROL_CODES,
    IGNORE_INDEX,
    PackedCollator,
    PaddingCollator,
    control_ids,
    count_tokens,
    encode_review,
    pack_examples,
    pad_batch,
    pad_id,
    tokenize_reviews,
)
from .inference import (
    DECODING_STRATEGIES,
    check_decoding,
    generate_review,
    generate_reviews,
    load_generator,
    load_pretrained_generator,
    predict_batch,
)
from .metrics import control_accuracy, distinct_n, load_judge, perplexity, repeated_ngram_rate, tfidf_judge

__all__ = [
    "CORPUS", "NEGATIVE", "POSITIVE", "SENTIMENTS", "LABELS", "KOREAN_NAMES", "sentiment_name", "load_reviews",
    "IGNORE_INDEX", "CONTROL_CODES", "control_ids", "encode_review", "tokenize_reviews", "pad_id", "pad_batch",
    "PaddingCollator", "pack_examples", "PackedCollator", "count_tokens",
    "DECODING_STRATEGIES", "check_decoding", "generate_review", "generate_reviews", "predict_batch",
    "load_pretrained_generator", "load_generator",
    "control_accuracy", "distinct_n", "repeated_ngram_rate", "perplexity", "tfidf_judge", "load_judge",
]
