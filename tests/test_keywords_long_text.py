"""Tests for lectureutils.keywords.long_text: documents longer than the encoder reads (notebook 04, §5)."""

from __future__ import annotations

import numpy as np
import pytest

from lectureutils.keywords import encode_in_parts, split_for_encoder


@pytest.fixture(scope="module")
def tokenizer():
    from transformers import AutoTokenizer

    from lectureutils.standins import packaged_minilm_path

    return AutoTokenizer.from_pretrained(str(packaged_minilm_path()))


TEXT = ("Rain fell all night. The river rose two metres before dawn! Did the barriers hold? "
        "Engineers checked every gate.\nThe city opened its shelters.")


def count(tokenizer, text):
    return len(tokenizer(text)["input_ids"])  # with [CLS] and [SEP]


@pytest.mark.parametrize("max_tokens", [8, 12, 20, 40, 512])
def test_parts_fit_and_keep_every_word_in_order(tokenizer, max_tokens):
    parts = split_for_encoder(TEXT, tokenizer, max_tokens)
    assert all(count(tokenizer, part) <= max_tokens for part in parts)
    assert " ".join(parts).split() == TEXT.split()


def test_parts_are_whole_sentences_when_they_fit(tokenizer):
    assert split_for_encoder(TEXT, tokenizer, 14) == [
        "Rain fell all night.", "The river rose two metres before dawn!",
        "Did the barriers hold? Engineers checked every gate.", "The city opened its shelters."]
    assert split_for_encoder(TEXT, tokenizer, 512) == [" ".join(TEXT.split())]


def test_a_long_sentence_is_cut_between_words(tokenizer):
    sentence = " ".join(["flood"] * 30) + "."  # 31 tokens, 10 per part
    parts = split_for_encoder(sentence, tokenizer, 12)
    assert len(parts) == 4 and all(count(tokenizer, part) <= 12 for part in parts)


def test_empty_text_and_bad_budget(tokenizer):
    assert split_for_encoder("  \n ", tokenizer, 16) == []
    with pytest.raises(ValueError, match="max_tokens"):
        split_for_encoder(TEXT, tokenizer, 0)


class MeanOfWords:
    """A stand-in encoder: fixed vector per word, a text is the sum; records what it was given."""

    def __init__(self, tokenizer, max_seq_length):
        self.tokenizer, self.max_seq_length, self.calls = tokenizer, max_seq_length, []

    def encode(self, texts, batch_size=32, show_progress_bar=None, convert_to_numpy=True):
        self.calls.append(list(texts))
        return np.array([[len(text), text.count(" ")] for text in texts], dtype=np.float32)


def test_encode_in_parts_is_the_mean_of_the_parts(tokenizer):
    model = MeanOfWords(tokenizer, 12)
    embedding = encode_in_parts(model, TEXT)
    parts = split_for_encoder(TEXT, tokenizer, 12)
    assert model.calls == [parts] and len(parts) > 1
    assert embedding.shape == (1, 2)
    assert np.allclose(embedding, model.encode(parts).mean(axis=0))


def test_a_short_text_is_encoded_as_it_is(tokenizer):
    model = MeanOfWords(tokenizer, 128)
    assert np.array_equal(encode_in_parts(model, "The river rose."), model.encode(["The river rose."]))
    with pytest.raises(ValueError, match="empty"):
        encode_in_parts(model, "")
