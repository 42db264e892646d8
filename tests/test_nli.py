"""Tests for lectureutils.nli: the KLUE-NLI reader, the label mapping, features, metrics and inference."""

import json

import pytest

from lectureutils import data
from lectureutils.corpus import DataFormatError
from lectureutils.nli import corpus, features, inference, metrics
from lectureutils.nli.corpus import NLI_ID2LABEL, NLI_LABEL2ID, NLI_LABELS, label_ids, read_klue_nli


def pair(number=0, **changes):
    row = {"guid": f"klue-nli-v1_dev_{number:05d}", "source": "airbnb", "premise": "체크인은 오후 3시부터입니다.",
           "hypothesis": "오후 3시 이후에 들어갈 수 있다.", "gold_label": "entailment", "author": "entailment",
           "label2": "entailment", "label3": "entailment", "label4": "neutral", "label5": "entailment"}
    row.update(changes)
    return {key: value for key, value in row.items() if value is not DROP}


DROP = object()


def write(tmp_path, content, name="klue-nli-v1.1_dev.json"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- reader


def test_reader_reads_a_good_file_with_every_column(tmp_path):
    path = write(tmp_path, [pair(0), pair(1, gold_label="neutral", author="neutral", label2="neutral", label3="neutral",
                                         label4="neutral", label5="neutral")])
    frame = read_klue_nli(path)
    assert list(frame.columns) == ["guid", "source", "premise", "hypothesis", "label", "author", "label2", "label3",
                                   "label4", "label5", "votes"]
    assert frame["label"].tolist() == ["entailment", "neutral"]
    assert frame["votes"].tolist() == [4, 5]  # one validator disagreed with the gold label in the first pair
    assert frame.attrs["source"] == str(path)


def test_train_files_call_the_source_genre(tmp_path):
    row = pair(0, source=DROP, genre="NSMC", guid="klue-nli-v1_train_00000")
    frame = read_klue_nli(write(tmp_path, [row]))
    assert frame.loc[0, "source"] == "NSMC"


BAD_PAIRS = {
    "not an object": (["a string"], "must be an object"),
    "missing premise": ([pair(0, premise=DROP)], "'premise' is missing"),
    "missing a validator": ([pair(0, label5=DROP)], "'label5' is missing"),
    "hypothesis not a string": ([pair(0, hypothesis=3)], "'hypothesis' must be a string"),
    "no source or genre": ([pair(0, source=DROP)], "exactly one of 'source'"),
    "both source and genre": ([pair(0, genre="NSMC")], "exactly one of 'source'"),
    "empty source": ([pair(0, source=" ")], "'source' must be a non-empty string"),
    "empty premise": ([pair(0, premise="  ")], "'premise' is empty"),
    "empty hypothesis": ([pair(0, hypothesis="")], "'hypothesis' is empty"),
    "unknown gold label": ([pair(0, gold_label="contradictory")], "'gold_label' is 'contradictory'"),
    "SNLI's no-consensus label": ([pair(0, gold_label="-")], "'gold_label' is '-'"),
    "unknown annotator label": ([pair(0, label3="")], "'label3' is ''"),
    "empty guid": ([pair(0, guid="")], "'guid' is empty"),
}


@pytest.mark.parametrize("case", sorted(BAD_PAIRS))
def test_reader_rejects_a_bad_pair_naming_file_and_index(tmp_path, case):
    rows, message = BAD_PAIRS[case]
    path = write(tmp_path, [pair(7), *rows])  # the bad pair is the second one: index [1]
    with pytest.raises(DataFormatError) as error:
        read_klue_nli(path)
    assert str(path) in str(error.value) and "pair [1]" in str(error.value) and message in str(error.value)


def test_reader_rejects_a_repeated_guid(tmp_path):
    path = write(tmp_path, [pair(0), pair(1), pair(0, hypothesis="다른 가설입니다.")])
    with pytest.raises(DataFormatError, match=r"pair \[2\]: guid 'klue-nli-v1_dev_00000' repeats the guid of pair \[0\]"):
        read_klue_nli(path)


@pytest.mark.parametrize("content, message", [
    ("[{", "not valid JSON"),
    (b"[\"\xff\"]", "not valid UTF-8"),
    ({"data": []}, "must be a JSON array"),
    ([], "holds no pairs"),
])
def test_reader_rejects_a_bad_file(tmp_path, content, message):
    path = write(tmp_path, content)
    with pytest.raises(DataFormatError, match=message) as error:
        read_klue_nli(path)
    assert str(path) in str(error.value)


def test_data_format_error_is_a_value_error_and_reexported():
    assert issubclass(DataFormatError, ValueError)
    assert data.read_klue_nli is read_klue_nli and data.load_klue_nli is corpus.load_klue_nli
    assert corpus.KLUE_NLI in data.CORPORA


# --------------------------------------------------------------------------- sample and loader


def test_sample_has_the_real_shape_and_quirks(capsys):
    train = corpus.load_klue_nli("train", sample=True)
    dev = corpus.load_klue_nli("validation", sample=True)
    assert "comes from the sample" in capsys.readouterr().out
    assert 200 <= len(train) and 45 <= len(dev) and 250 <= len(train) + len(dev) <= 350
    assert set(train["guid"]).isdisjoint(dev["guid"]) and set(train["premise"]).isdisjoint(dev["premise"])
    for frame in (train, dev):
        counts = frame["label"].value_counts()
        assert set(counts.index) == set(NLI_LABELS) and counts.max() - counts.min() <= 1  # balanced
        assert set(frame["source"]) == {"airbnb", "NSMC", "policy", "wikinews", "wikipedia", "wikitree"}
    assert (train["votes"] < 5).sum() >= 10  # annotator disagreement rows
    assert train.duplicated(["premise", "hypothesis"]).sum() >= 1  # a pair twice under two guids (KLUE issue #42)
    assert train["premise"].str.len().max() > 200  # long premises
    assert train["hypothesis"].str.contains("[0-9]").any() and train["premise"].str.contains("[A-Za-z]").any()
    raw = json.loads((data.data_dir() / corpus.KLUE_NLI_SAMPLE).read_text(encoding="utf-8"))
    assert all(("genre" in row) == ("_train_" in row["guid"]) for row in raw)  # train 'genre', dev 'source'


def test_published_files_are_pinned_and_checksummed():
    assert set(corpus.KLUE_NLI_FILES) == {"train", "dev"}
    for spec in corpus.KLUE_NLI_FILES.values():
        assert corpus.KLUE_NLI_REVISION in spec.url and len(spec.sha256) == 64
    assert corpus.KLUE_NLI_FILES["dev"].num_bytes == 1_498_298
    assert corpus.KLUE_NLI_FILES["train"].num_examples == 24_998 and corpus.KLUE_NLI_FILES["dev"].num_examples == 3_000


# --------------------------------------------------------------------------- labels


def test_labels_map_to_ids_in_one_order():
    assert NLI_LABELS == ("entailment", "neutral", "contradiction")  # the Hub's klue/nli order
    assert NLI_ID2LABEL == {0: "entailment", 1: "neutral", 2: "contradiction"}
    assert all(NLI_LABEL2ID[name] == index for index, name in NLI_ID2LABEL.items())
    assert label_ids(["contradiction", "entailment"]) == [2, 0]
    with pytest.raises(ValueError, match="unknown NLI label 'neutrall' at position 1"):
        label_ids(["neutral", "neutrall"])


# --------------------------------------------------------------------------- features


@pytest.fixture(scope="module")
def tokenizer():
    from lectureutils.models import load_tokenizer

    return load_tokenizer("klue/bert-base")


@pytest.fixture(scope="module")
def frame():
    import pandas as pd

    return pd.DataFrame({"premise": ["숙소는 역에서 가깝다.", "영화가 지루했다 " * 60],
                         "hypothesis": ["역까지 걸어갈 수 있다.", "영화가 재미있었다."],
                         "label": ["entailment", "contradiction"]})


def test_pairs_encode_with_segment_ids_and_label_ids(tokenizer, frame):
    dataset = features.encode_nli_pairs(frame, tokenizer, max_length=32)
    assert dataset.column_names == ["label", "input_ids", "token_type_ids", "attention_mask"]
    assert dataset["label"] == [0, 2]
    ids, types = dataset[0]["input_ids"], dataset[0]["token_type_ids"]
    first_sep = ids.index(tokenizer.sep_token_id)
    assert ids[0] == tokenizer.cls_token_id and ids[-1] == tokenizer.sep_token_id
    assert types == [0] * (first_sep + 1) + [1] * (len(ids) - first_sep - 1)
    assert len(dataset[1]["input_ids"]) == 32  # the long pair is cut


def test_truncation_only_first_keeps_the_hypothesis_whole(tokenizer, frame):
    hypothesis = tokenizer(frame.loc[1, "hypothesis"], add_special_tokens=False)["input_ids"]
    for truncation in features.TRUNCATIONS:
        ids = features.encode_nli_pairs(frame, tokenizer, max_length=24, truncation=truncation)[1]["input_ids"]
        assert len(ids) == 24 and ids[-len(hypothesis) - 1:-1] == hypothesis  # short hypothesis: kept by both
    longer = frame.assign(hypothesis=["역까지 걸어갈 수 있다.", "영화가 재미있었다 " * 20])
    cut = features.encode_nli_pairs(longer, tokenizer, max_length=24, truncation="longest_first")[1]
    assert cut["token_type_ids"].count(1) < 12  # longest_first cut the hypothesis too
    with pytest.raises(ValueError, match="truncation must be one of"):
        features.encode_nli_pairs(frame, tokenizer, truncation="only_second_please")


def test_hypothesis_only_encodes_the_hypothesis_alone(tokenizer, frame):
    dataset = features.encode_nli_pairs(frame, tokenizer, hypothesis_only=True)
    expected = tokenizer(frame["hypothesis"].tolist())["input_ids"]
    assert dataset["input_ids"] == expected and all(set(types) == {0} for types in dataset["token_type_ids"])


def test_pair_lengths_count_special_tokens_and_do_not_truncate(tokenizer, frame):
    lengths = features.pair_lengths(frame, tokenizer)
    assert lengths[0] == len(tokenizer(frame.loc[0, "premise"], frame.loc[0, "hypothesis"])["input_ids"])
    assert lengths[1] > 128
    with pytest.raises(KeyError, match="premise"):
        features.pair_lengths(frame.drop(columns="premise"), tokenizer)


# --------------------------------------------------------------------------- metrics


def test_scores_confusion_and_accuracy_per_source():
    import numpy as np
    from transformers import EvalPrediction

    labels = [0, 0, 1, 2, 2, 2]
    predictions = [0, 1, 1, 2, 2, 0]
    result = metrics.scores(labels, predictions)
    assert result["accuracy"] == pytest.approx(4 / 6)
    assert result["macro_f1"] == pytest.approx(np.mean([0.5, 2 / 3, 0.8]))
    logits = np.eye(3)[predictions]
    assert metrics.compute_metrics(EvalPrediction(predictions=logits, label_ids=np.array(labels))) == result
    matrix = metrics.confusion(labels, predictions)
    assert matrix.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    table = metrics.accuracy_by_source(["a", "a", "b", "b", "b", "b"], labels, predictions)
    assert table.loc["a", "accuracy"] == 0.5 and table.loc["b", "pairs"] == 4 and table.loc["all", "pairs"] == 6
    assert table.loc["all", "accuracy"] == pytest.approx(4 / 6)
    with pytest.raises(ValueError, match="differ in length"):
        metrics.accuracy_by_source(["a"], labels, predictions)
    fig = metrics.plot_confusion_matrix(matrix, title="t")
    assert fig.axes[0].get_title() == "t"


# --------------------------------------------------------------------------- inference


@pytest.fixture(scope="module")
def model(tokenizer, tiny_bert_config):
    import torch
    from transformers import BertForSequenceClassification

    torch.manual_seed(0)
    config = tiny_bert_config(len(tokenizer), 64)
    # another project's id order: the names must still come out right (they come from the config)
    config.num_labels, config.id2label = 3, {0: "entailment", 1: "contradiction", 2: "neutral"}
    config.label2id = {name: index for index, name in config.id2label.items()}
    return BertForSequenceClassification(config).eval()


def test_predictions_are_names_with_three_probabilities_in_input_order(model, tokenizer):
    pairs = [("숙소는 역에서 가깝다.", "역까지 걸어갈 수 있다."), ("영화가 지루했다", "영화가 재미있었다."), ("비가 온다.", "맑다.")]
    results = inference.predict_batch(pairs, model, tokenizer, batch_size=2)
    assert [(r["premise"], r["hypothesis"]) for r in results] == pairs
    for result, one in zip(results, pairs):
        probabilities = result["probabilities"]
        assert set(probabilities) == set(NLI_LABELS) and sum(probabilities.values()) == pytest.approx(1.0, abs=1e-5)
        assert result["label"] == max(probabilities, key=probabilities.get)
        single = inference.nli_fn(*one, model, tokenizer)
        assert single["label"] == result["label"]
        assert single["probabilities"] == pytest.approx(probabilities, abs=1e-5)
    import torch

    with torch.inference_mode():
        logits = model(**tokenizer(*pairs[0], return_tensors="pt")).logits[0]
    assert results[0]["label"] == model.config.id2label[int(logits.argmax())]


def test_bad_input_gives_a_clear_message(model, tokenizer):
    with pytest.raises(ValueError, match="The premise is empty"):
        inference.nli_fn("  ", "가설", model, tokenizer)
    with pytest.raises(TypeError, match="The hypothesis must be a string, not NoneType"):
        inference.nli_fn("전제", None, model, tokenizer)
    with pytest.raises(ValueError, match="The hypothesis at position 1 is empty"):
        inference.predict_batch([("전제", "가설"), ("전제", "")], model, tokenizer)
    with pytest.raises(TypeError, match="for one pair use nli_fn"):
        inference.predict_batch(("전제", "가설"), model, tokenizer)
    with pytest.raises(ValueError, match="has 3 parts"):
        inference.predict_batch([("전제", "가설", "셋째")], model, tokenizer)
    long_premise = "영화가 너무 길고 지루했다 " * 30
    with pytest.raises(ValueError, match=r"tokens long, more than the 64 this model reads.*truncate=True"):
        inference.nli_fn(long_premise, "영화가 짧았다.", model, tokenizer)
    result = inference.nli_fn(long_premise, "영화가 짧았다.", model, tokenizer, truncate=True)
    assert result["label"] in NLI_LABELS
    with pytest.raises(ValueError, match="hypothesis alone fills"):
        inference.nli_fn("전제", long_premise, model, tokenizer, truncate=True)


def test_reload_needs_safetensors_and_the_nli_labels(tmp_path, model, tokenizer):
    with pytest.raises(FileNotFoundError, match="no config.json"):
        inference.load_nli_model(tmp_path)
    model.save_pretrained(tmp_path / "ok")
    tokenizer.save_pretrained(tmp_path / "ok")
    reloaded, reloaded_tokenizer = inference.load_nli_model(tmp_path / "ok")
    assert reloaded.config.id2label == model.config.id2label and not reloaded.training
    assert inference.nli_fn("비가 온다.", "맑다.", reloaded, reloaded_tokenizer)["label"] in NLI_LABELS
    (tmp_path / "ok" / "model.safetensors").unlink()
    with pytest.raises(FileNotFoundError, match="only safetensors"):
        inference.load_nli_model(tmp_path / "ok")


def test_offline_mode_reads_a_verified_prefetched_file_else_the_sample(tmp_path, monkeypatch, capsys):
    import hashlib

    from lectureutils.corpus import RemoteFile

    monkeypatch.setenv("LECTUREUTILS_CACHE", str(tmp_path / "cache"))
    content = json.dumps([pair(0), pair(1, hypothesis="오후 2시에 들어갈 수 있다.", gold_label="contradiction",
                                        author="contradiction", label2="contradiction", label3="contradiction",
                                        label4="contradiction", label5="contradiction")], ensure_ascii=False).encode()
    spec = corpus.KLUE_NLI_FILES["dev"]
    monkeypatch.setitem(corpus.KLUE_NLI_FILES, "dev", RemoteFile(spec.url, hashlib.sha256(content).hexdigest(),
                                                                 len(content), 2))
    folder = tmp_path / "cache" / "klue_nli"
    folder.mkdir(parents=True)
    (folder / "klue-nli-v1.1_dev.json").write_bytes(content)
    frame = corpus.load_klue_nli("dev", offline=True)
    assert frame["label"].tolist() == ["entailment", "contradiction"]
    assert "is the real file, downloaded earlier and verified" in capsys.readouterr().out
    (folder / "klue-nli-v1.1_dev.json").write_bytes(content.replace(b"2\\uc2dc", b"3\\uc2dc").replace("2시".encode(), "3시".encode()))
    assert len(corpus.load_klue_nli("dev", offline=True)) > 2  # a changed copy is not trusted: the sample
    assert "comes from the sample" in capsys.readouterr().out
