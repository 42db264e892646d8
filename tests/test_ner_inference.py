"""lectureutils.ner.inference: exact offsets on odd text, batching, HTML, safetensors-only loading."""

import pytest

from lectureutils.ner import (
    NER_ID2LABEL,
    NER_LABEL2ID,
    NER_LABELS,
    entities_from_tags,
    entities_html,
    extract_entities,
    load_tagger,
    predict_batch,
    predict_char_tags,
)

ODD_TEXTS = [
    "김도현 씨는 어제 서울에 갔다 😀",  # an emoji (the tokenizer's [UNK])
    "  앞뒤에   공백이  많은   문장  ",  # runs of spaces, leading and trailing
    "서울ABC에서 iPhone 15를 샀다",  # Latin letters inside Hangul words
    "마지막 단어가 개체명인 문장은 부산",  # an entity at the very end
    "😀😀",
]


@pytest.fixture(scope="module")
def tokenizer():
    from lectureutils.models import load_tokenizer

    return load_tokenizer("klue/bert-base")


def rigged_model(tokenizer, label: str):
    """A tiny token classifier that predicts ``label`` for every token (its head's bias decides)."""
    import torch
    from transformers import BertConfig, BertForTokenClassification

    config = BertConfig(vocab_size=len(tokenizer), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=512, num_labels=len(NER_LABELS),
                        id2label=NER_ID2LABEL, label2id=NER_LABEL2ID)
    torch.manual_seed(0)
    model = BertForTokenClassification(config)
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.fill_(-10.0)
        model.classifier.bias[NER_LABEL2ID[label]] = 10.0
    return model.eval()


def check_offsets(text, entities):
    previous_end = 0
    for entity in entities:
        assert set(entity) == {"text", "type", "start", "end"}
        assert text[entity["start"]:entity["end"]] == entity["text"] and entity["text"] == entity["text"].strip()
        assert entity["type"] in {"PS", "LC", "OG", "DT", "TI", "QT"}
        assert previous_end <= entity["start"] < entity["end"] <= len(text)
        previous_end = entity["end"]


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_every_token_an_entity_gives_the_tokens_exact_offsets(tokenizer, text):
    model = rigged_model(tokenizer, "B-PS")
    entities = extract_entities(text, model, tokenizer)
    check_offsets(text, entities)
    offsets = [(s, e) for s, e in tokenizer(text, return_offsets_mapping=True)["offset_mapping"] if e > s]
    assert [(entity["start"], entity["end"]) for entity in entities] == offsets
    assert entities[-1]["end"] == len(text.rstrip())  # the last entity reaches the text's last character


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_one_entity_across_spaces_covers_the_whole_text(tokenizer, text):
    entities = extract_entities(text, rigged_model(tokenizer, "I-LC"), tokenizer)
    check_offsets(text, entities)
    stripped = text.strip()
    start = text.index(stripped)
    assert entities == [{"text": stripped, "type": "LC", "start": start, "end": start + len(stripped)}]


def test_nothing_found_and_batches_keep_the_order(tokenizer):
    model = rigged_model(tokenizer, "O")
    assert extract_entities("아무 개체명도 없다", model, tokenizer) == []
    texts = ["짧다", "이 문장은 조금 더 길어서 다른 배치 순서가 된다", "중간 길이 문장"]
    everything = predict_batch(texts, rigged_model(tokenizer, "B-QT"), tokenizer)
    one_by_one = [extract_entities(text, rigged_model(tokenizer, "B-QT"), tokenizer) for text in texts]
    assert everything == [{"text": text, "entities": entities} for text, entities in zip(texts, one_by_one)]
    tags = predict_char_tags(texts, model, tokenizer, batch_size=2)
    assert [len(t) for t in tags] == [len(text) for text in texts]


def test_long_text_is_cut_at_the_model_limit_and_tagged_o_beyond(tokenizer):
    text = "서울 " * 600
    [tags] = predict_char_tags([text], rigged_model(tokenizer, "B-LC"), tokenizer)
    assert len(tags) == len(text) and tags[0] == "B-LC" and tags[-2] == "O"
    with pytest.raises(ValueError, match="tokens long, more than the .* this model reads") as refused:
        predict_batch(["짧다", text], rigged_model(tokenizer, "B-LC"), tokenizer)  # never cut silently
    assert "position 1" in str(refused.value) and refused.value.length > refused.value.limit


def test_empty_or_wrong_input_is_refused(tokenizer):
    model = rigged_model(tokenizer, "O")
    with pytest.raises(ValueError, match="empty"):
        extract_entities("   ", model, tokenizer)
    with pytest.raises(ValueError, match="position 1"):
        predict_batch(["좋다", ""], model, tokenizer)
    with pytest.raises(TypeError):
        predict_batch("한 문장", model, tokenizer)
    with pytest.raises(TypeError):
        extract_entities(None, model, tokenizer)


def test_entities_from_tags_trims_spaces_and_accepts_a_leading_i():
    text = "서울 삼성동 김"
    tags = ["I-LC", "I-LC", "I-LC", "I-LC", "I-LC", "I-LC", "O", "B-PS"]
    assert entities_from_tags(text, tags) == [
        {"text": "서울 삼성동", "type": "LC", "start": 0, "end": 6},
        {"text": "김", "type": "PS", "start": 7, "end": 8},
    ]


def test_entities_html_is_escaped_and_self_contained():
    text = "<b>김도현</b> & 서울"
    entities = [{"text": "김도현", "type": "PS", "start": 3, "end": 6}, {"text": "서울", "type": "LC", "start": 13, "end": 15}]
    page = entities_html(text, entities)
    assert "&lt;b&gt;" in page and "&amp;" in page and "<b>" not in page
    assert page.count("<mark") == 2 and "PS" in page and "#" in page
    assert "<script" not in page and "http" not in page


def test_load_tagger_round_trip_and_refusals(tokenizer, tmp_path):
    model = rigged_model(tokenizer, "B-DT")
    model.save_pretrained(tmp_path / "ok")
    tokenizer.save_pretrained(tmp_path / "ok")
    loaded, loaded_tokenizer = load_tagger(tmp_path / "ok")
    text = "어제 서울"
    assert extract_entities(text, loaded, loaded_tokenizer) == extract_entities(text, model, tokenizer)
    with pytest.raises(FileNotFoundError, match="no config.json"):
        load_tagger(tmp_path / "missing")
    (tmp_path / "pickle").mkdir()
    (tmp_path / "pickle" / "config.json").write_text((tmp_path / "ok" / "config.json").read_text())
    (tmp_path / "pickle" / "pytorch_model.bin").write_bytes(b"not loaded")
    with pytest.raises(FileNotFoundError, match="safetensors"):
        load_tagger(tmp_path / "pickle")
