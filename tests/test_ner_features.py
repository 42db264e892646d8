"""lectureutils.ner.features: character tags ↔ subword tokens, and the round trip over the sample."""

from pathlib import Path

import pytest

from lectureutils.ner import NER_LABEL2ID, NER_LABELS, read_klue_ner
from lectureutils.training import IGNORE_INDEX
from lectureutils.ner.features import (
    chars_from_tokens,
    encode_sentences,
    roundtrip_report,
    token_tags_from_chars,
)

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "klue_ner_sample.tsv"


@pytest.fixture(scope="module")
def korean_tokenizer():
    """The Korean BERT tokenizer notebook 10 uses (offline: the stand-in's WordPiece, cased, [UNK] id 1)."""
    from lectureutils.models import load_tokenizer

    return load_tokenizer("klue/bert-base")


@pytest.fixture(scope="module")
def character_tokenizer():
    """A WordPiece tokenizer whose vocabulary holds single characters only: no token covers two characters."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    chars = sorted({char for row in read_klue_ner(SAMPLE) for char in row["chars"] if char != " "})
    vocab = {token: index for index, token in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]"] + chars + ["##" + c for c in chars])}
    backend = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]"))
    backend.normalizer = normalizers.BertNormalizer(lowercase=False, strip_accents=False)
    backend.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    backend.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    return PreTrainedTokenizerFast(tokenizer_object=backend, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                                   sep_token="[SEP]")


def test_token_labels_take_the_first_characters_tag():
    offsets = [(0, 0), (0, 2), (2, 4), (5, 6), (0, 0)]  # [CLS] 서울 ##에서 봄 [SEP]
    tags = ["B-LC", "I-LC", "O", "O", "O", "B-DT"]
    assert token_tags_from_chars(offsets, tags) == [None, "B-LC", "O", "B-DT", None]


def test_chars_from_tokens_b_only_at_the_first_character_and_spaces_inside_entities():
    # [CLS] 서울 삼성 ##동 에 [SEP]  over "서울 삼성동에"
    offsets = [(0, 0), (0, 2), (3, 5), (5, 6), (6, 7), (0, 0)]
    token_tags = [None, "B-LC", "I-LC", "I-LC", "O", None]
    assert chars_from_tokens(offsets, token_tags, 7) == ["B-LC", "I-LC", "I-LC", "I-LC", "I-LC", "I-LC", "O"]
    # a space between two entities, or after one, is O; characters past the last token (cut off) are O
    offsets = [(0, 0), (0, 1), (2, 3), (0, 0)]
    assert chars_from_tokens(offsets, [None, "B-PS", "B-PS", None], 5) == ["B-PS", "O", "B-PS", "O", "O"]


def test_encode_sentences_labels_every_token_and_ignores_special_tokens(korean_tokenizer):
    rows = read_klue_ner(SAMPLE)[:20]
    dataset = encode_sentences(rows, korean_tokenizer, max_length=16)
    assert len(dataset) == 20 and {"input_ids", "attention_mask", "labels"} <= set(dataset.column_names)
    for example, row in zip(dataset, rows):
        labels = example["labels"]
        assert len(labels) == len(example["input_ids"]) <= 16
        assert labels[0] == IGNORE_INDEX and labels[-1] == IGNORE_INDEX
        assert all(label in NER_LABEL2ID.values() for label in labels[1:-1])
        first = korean_tokenizer(row["text"], return_offsets_mapping=True)["offset_mapping"][1]
        assert NER_LABELS[labels[1]] == row["tags"][first[0]]


def test_round_trip_over_the_sample_changes_no_tag_the_tokenizer_does_not_explain(korean_tokenizer):
    rows = read_klue_ner(SAMPLE)
    report = roundtrip_report(rows, korean_tokenizer)
    assert report["sentences"] == len(rows) and report["characters"] == sum(len(row["chars"]) for row in rows)
    assert report["changed_by"]["alignment"] == 0
    assert report["changed_by"]["cut off at max_length"] == 0
    assert report["changed"] == sum(report["changed_by"].values())
    for example in report["examples"]:
        assert example["gold"] != example["round_trip"]


def test_round_trip_over_the_sample_changes_nothing_with_character_tokens(character_tokenizer):
    rows = read_klue_ner(SAMPLE)
    report = roundtrip_report(rows, character_tokenizer)
    assert report["changed"] == 0 and report["unk_tokens"] == 0
    assert report["tokens"] == sum(1 for row in rows for char in row["chars"] if char != " ")


def test_round_trip_reports_unk_and_cut_off(character_tokenizer):
    row = {"guid": "x", "text": "😀씨 서울", "chars": list("😀씨 서울"), "tags": ["B-PS", "O", "O", "B-LC", "I-LC"]}
    report = roundtrip_report([row], character_tokenizer)
    # the emoji and 씨 form one word; the emoji is not in the vocabulary, so the word becomes one [UNK]
    assert report["unk_tokens"] == 1 and report["changed_by"]["[UNK]"] == 1
    short = roundtrip_report([row], character_tokenizer, max_length=3)  # [CLS] [UNK] [SEP]: 서울 is cut off
    assert short["changed_by"]["cut off at max_length"] == 2
