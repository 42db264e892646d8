"""Untrained checkpoints for the web service's tests and benchmarks/serve.py (not part of the package).

``untrained_checkpoints(folder)`` saves a classifier and a QA checkpoint of the Korean BERT (offline: its
stand-in) with new, random task heads, marked with ``lectureutils.serve.UNTRAINED`` in config.json so that the
service's page and /health say the answers mean nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

UNTRAINED_NOTE = "untrained: random task head, saved for tests"


def untrained_checkpoints(directory, name: str = "beomi/kcbert-base", size: str = "tiny") -> tuple[str, str]:
    """(classifier_dir, qa_dir) under ``directory``. ``size="base"``: the same vocabulary in kcbert-base's shape
    (12 layers, 768 wide, random weights), to measure what a real fine-tuned model costs."""
    from transformers import BertConfig, BertForQuestionAnswering, BertForSequenceClassification
    from transformers.utils import logging as transformers_logging

    from lectureutils.models import load_model, load_tokenizer
    from lectureutils.serve import UNTRAINED

    os.environ.setdefault("LECTUREUTILS_OFFLINE", "1")
    directory = Path(directory)
    classifier_dir, qa_dir = directory / "classifier", directory / "qa"
    tokenizer = load_tokenizer(name)
    verbosity = transformers_logging.get_verbosity()
    transformers_logging.set_verbosity_error()  # the load report would only say that the heads are new
    transformers_logging.disable_progress_bar()
    try:
        for model_class, target, extra in ((BertForSequenceClassification, classifier_dir, {"num_labels": 2}),
                                           (BertForQuestionAnswering, qa_dir, {})):
            model = load_model(model_class, name, **extra)
            if size == "base":
                small = model.config
                config = BertConfig(vocab_size=small.vocab_size, hidden_size=768, num_hidden_layers=12,
                                    num_attention_heads=12, intermediate_size=3072, max_position_embeddings=300,
                                    pad_token_id=small.pad_token_id, **extra)
                for key in ("lectureutils_standin", "id2label", "label2id"):
                    if hasattr(small, key):
                        setattr(config, key, getattr(small, key))
                model = model_class(config)
            setattr(model.config, UNTRAINED, UNTRAINED_NOTE)
            model.save_pretrained(target)
            tokenizer.save_pretrained(target)
    finally:
        transformers_logging.set_verbosity(verbosity)
    return str(classifier_dir), str(qa_dir)


def untrained_pair_and_entity_checkpoints(directory, name: str = "klue/bert-base") -> tuple[str, str]:
    """(nli_dir, ner_dir): untrained KLUE-NLI and KLUE-NER checkpoints (offline: the stand-in) with the tasks'
    labels, for the web service's NLI and NER endpoints."""
    from transformers import BertForSequenceClassification, BertForTokenClassification
    from transformers.utils import logging as transformers_logging

    from lectureutils import ner, nli
    from lectureutils.models import load_model, load_tokenizer
    from lectureutils.serve import UNTRAINED

    os.environ.setdefault("LECTUREUTILS_OFFLINE", "1")
    directory = Path(directory)
    tokenizer = load_tokenizer(name)
    verbosity = transformers_logging.get_verbosity()
    transformers_logging.set_verbosity_error()
    try:
        targets = []
        for model_class, folder, labels in ((BertForSequenceClassification, "nli", nli.NLI_ID2LABEL),
                                            (BertForTokenClassification, "ner", ner.NER_ID2LABEL)):
            labels = {int(key): value for key, value in labels.items()}
            model = load_model(model_class, name, num_labels=len(labels), id2label=labels,
                               label2id={value: key for key, value in labels.items()})
            setattr(model.config, UNTRAINED, UNTRAINED_NOTE)
            model.save_pretrained(directory / folder)
            tokenizer.save_pretrained(directory / folder)
            targets.append(str(directory / folder))
    finally:
        transformers_logging.set_verbosity(verbosity)
    return targets[0], targets[1]
