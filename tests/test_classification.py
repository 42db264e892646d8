"""Tests for lectureutils.classification: tokenising, metrics, result fields, inference, reloading."""

import math

import numpy as np
import pandas as pd
import pytest
import torch

from lectureutils import classification

REVIEWS = ["이 핸드폰 배터리 수명이 정말 길다", "최악의 영화 돈 아깝다", '"인생영화"라는 말이 딱 맞다', "지루함", "배우들 연기가 훌륭함"]


@pytest.fixture(scope="module")
def tokenizer():
    from lectureutils.models import load_tokenizer

    return load_tokenizer("beomi/kcbert-base")


@pytest.fixture(scope="module")
def model(tokenizer):
    from transformers import BertConfig, BertForSequenceClassification

    torch.manual_seed(3)
    config = BertConfig(
        vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64,
        max_position_embeddings=300, num_labels=2, pad_token_id=tokenizer.pad_token_id,
        id2label=classification.SENTIMENT_ID2LABEL, label2id=classification.SENTIMENT_LABEL2ID,
    )
    model = BertForSequenceClassification(config)
    with torch.no_grad():  # make the two classes clearly apart, so rounding is not the whole story
        model.classifier.weight.mul_(20)
    return model.eval()


def test_tokenize_dataset_keeps_labels_and_does_not_pad(tokenizer):
    frame = pd.DataFrame({"id": range(5), "document": REVIEWS, "label": [1, 0, 1, 0, 1]})
    dataset = classification.tokenize_dataset(frame, tokenizer)
    assert set(dataset.column_names) >= {"input_ids", "attention_mask", "label"}
    assert "document" not in dataset.column_names and "id" not in dataset.column_names
    assert dataset["label"] == [1, 0, 1, 0, 1]
    lengths = [len(ids) for ids in dataset["input_ids"]]
    assert len(set(lengths)) > 1  # dynamic padding happens later, in the collator
    assert dataset[0]["input_ids"] == tokenizer(REVIEWS[0])["input_ids"]
    assert tokenizer.pad_token_id not in dataset[3]["input_ids"]
    short = classification.tokenize_dataset(frame, tokenizer, max_length=8)
    assert max(len(ids) for ids in short["input_ids"]) == 8
    assert all(ids[-1] == tokenizer.sep_token_id for ids in short["input_ids"])  # truncation keeps [SEP]


def test_tokenize_dataset_other_column_names_and_missing_ones(tokenizer):
    frame = pd.DataFrame({"text": REVIEWS[:2], "y": [1, 0]})
    dataset = classification.tokenize_dataset(frame, tokenizer, text_column="text", label_column="y")
    assert dataset["label"] == [1, 0]
    with pytest.raises(KeyError, match="document"):
        classification.tokenize_dataset(frame, tokenizer)


def test_compute_metrics_by_hand():
    from transformers import EvalPrediction

    logits = np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])  # predicts 1, 0, 1, 0
    labels = np.array([1, 0, 0, 1])
    metrics = classification.compute_metrics(EvalPrediction(predictions=logits, label_ids=labels))
    assert metrics["accuracy"] == pytest.approx(0.5)
    assert metrics["f1"] == pytest.approx(0.5)  # precision 1/2, recall 1/2
    perfect = classification.compute_metrics(EvalPrediction(predictions=(logits,), label_ids=np.array([1, 0, 1, 0])))
    assert perfect == {"accuracy": 1.0, "f1": 1.0}


def test_softmax_rows_sum_to_one():
    probabilities = classification.softmax([[1000.0, 1001.0], [0.0, 0.0]])
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    assert probabilities[1].tolist() == [0.5, 0.5]
    assert probabilities[0, 1] == pytest.approx(1 / (1 + math.exp(-1)))


def test_format_result_has_the_lectures_fields_without_float_noise():
    result = classification.format_result("이 핸드폰 배터리 수명이 정말 길다", 0.545712)
    assert result == {
        "sentence": "이 핸드폰 배터리 수명이 정말 길다",
        "prediction": "긍정 (positive)",
        "positive_data": "긍정 0.5457",
        "negative_data": "부정 0.4543",
        "positive_width": "54.57",  # the lecture printed '54.56999999999999'
        "negative_width": "45.43",
    }
    negative = classification.format_result("별로", 0.12345)
    assert negative["prediction"] == "부정 (negative)"
    positive = float(negative["positive_data"].split()[1])
    assert positive + float(negative["negative_data"].split()[1]) == pytest.approx(1.0, abs=1e-9)
    assert float(negative["positive_width"]) + float(negative["negative_width"]) == pytest.approx(100.0)
    certain = classification.format_result("최고", 0.999996)
    assert certain["positive_data"] == "긍정 1.0000" and certain["negative_width"] == "0.00"


def test_inference_fn_matches_the_model(model, tokenizer):
    sentence = REVIEWS[0]
    result = classification.inference_fn(sentence, model, tokenizer)
    assert tuple(result) == ("sentence", "prediction", "positive_data", "negative_data", "positive_width",
                             "negative_width")
    with torch.no_grad():
        logits = model(**tokenizer(sentence, return_tensors="pt")).logits
    positive = logits.softmax(dim=-1)[0, 1].item()
    assert result["positive_data"] == f"긍정 {round(positive, 4):.4f}"
    expected = "긍정 (positive)" if logits[0, 1] > logits[0, 0] else "부정 (negative)"
    assert result["prediction"] == expected
    assert result["sentence"] == sentence


def test_inference_fn_restores_training_mode(model, tokenizer):
    model.train()
    try:
        first = classification.inference_fn(REVIEWS[1], model, tokenizer)
        second = classification.inference_fn(REVIEWS[1], model, tokenizer)
        assert first == second  # dropout is off while predicting
        assert model.training
    finally:
        model.eval()


@pytest.mark.parametrize("bad", ["", "   ", "\t\n"])
def test_empty_sentences_are_refused(model, tokenizer, bad):
    with pytest.raises(ValueError, match="empty"):
        classification.inference_fn(bad, model, tokenizer)
    with pytest.raises(ValueError, match="position 1"):
        classification.predict_batch(["좋다", bad], model, tokenizer)


def test_non_strings_are_refused(model, tokenizer):
    with pytest.raises(TypeError):
        classification.inference_fn(None, model, tokenizer)
    with pytest.raises(TypeError, match="list of sentences"):
        classification.predict_batch("좋다", model, tokenizer)
    with pytest.raises(ValueError):
        classification.predict_batch(["좋다"], model, tokenizer, batch_size=0)


def test_predict_batch_agrees_with_inference_fn_in_input_order(model, tokenizer):
    sentences = REVIEWS * 3 + ["아주 " * 200 + "긴 리뷰"]  # one longer than max_length: truncated
    results = classification.predict_batch(sentences, model, tokenizer, batch_size=4)
    assert [result["sentence"] for result in results] == sentences
    for sentence, result in zip(sentences, results):
        single = classification.inference_fn(sentence, model, tokenizer)
        assert single["prediction"] == result["prediction"]
        assert abs(float(single["positive_width"]) - float(result["positive_width"])) <= 0.011
    assert classification.predict_batch([], model, tokenizer) == []


def test_save_and_load_classifier_round_trip(model, tokenizer, tmp_path):
    model.save_pretrained(tmp_path)
    tokenizer.save_pretrained(tmp_path)
    assert (tmp_path / "model.safetensors").exists()
    reloaded, reloaded_tokenizer = classification.load_classifier(tmp_path)
    assert not reloaded.training
    assert reloaded.config.id2label == classification.SENTIMENT_ID2LABEL
    assert classification.predict_batch(REVIEWS, reloaded, reloaded_tokenizer) == classification.predict_batch(
        REVIEWS, model, tokenizer
    )


def test_load_classifier_refuses_what_it_cannot_load_safely(model, tmp_path):
    with pytest.raises(FileNotFoundError, match="config.json"):
        classification.load_classifier(tmp_path / "nothing")
    model.config.save_pretrained(tmp_path)
    torch.save(model.state_dict(), tmp_path / "pytorch_model.bin")  # a pickle: never loaded
    with pytest.raises(FileNotFoundError, match="safetensors"):
        classification.load_classifier(tmp_path)


def test_the_runner_adds_a_two_class_head(capsys):
    from types import SimpleNamespace

    from lectureutils.classification.spec import SPEC

    model = SPEC.load_model(SimpleNamespace(model="beomi/kcbert-base"), None)
    assert model.config.num_labels == 2
    assert model.config.id2label == {0: "negative", 1: "positive"}
    assert "STAND-IN" in capsys.readouterr().out  # offline: says which model it loaded
    logits = model(input_ids=torch.tensor([[2, 10, 3]])).logits
    assert logits.shape == (1, 2)


def test_a_hub_id_that_is_not_on_the_hub(tmp_path):
    with pytest.raises(FileNotFoundError, match="neither a saved model folder"):
        classification.load_classifier("nobody-here/no-such-model")  # offline: not on the Hub either
