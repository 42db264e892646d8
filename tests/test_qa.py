"""Sliding windows, answer labels, span decoding and answer() (lectureutils.qa); its command line: test_qa_cli.py."""

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from lectureutils.classification import softmax
from lectureutils import qa
from lectureutils.data import read_korquad

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "korquad_sample.json"
SETTINGS = [
    qa.LECTURE_WINDOWS,  # 128/64/32
    {"max_seq_length": 300, "doc_stride": 128, "max_query_length": 64},  # the recommended 384, capped at KcBERT's 300
    {"max_seq_length": 48, "doc_stride": 8, "max_query_length": 12},  # tiny windows: many per passage
]


@pytest.fixture(scope="module")
def tokenizer():
    from lectureutils.models import load_tokenizer

    return load_tokenizer("beomi/kcbert-base")


@pytest.fixture(scope="module")
def examples():
    rows = read_korquad(SAMPLE, as_dataset=False, verbose=False)
    assert all(row["answer_ok"] for row in rows)
    return rows


@pytest.fixture(scope="module")
def qa_model():
    import torch
    from transformers import AutoModelForQuestionAnswering

    from lectureutils.models import load_model

    torch.manual_seed(0)
    return load_model(AutoModelForQuestionAnswering, "beomi/kcbert-base").eval()


def gold_span(example):
    start = example["answers"]["answer_start"][0]
    return start, start + len(example["answers"]["text"][0])


def windows_of(example, tokenizer, settings):
    encoding = qa.encode_windows(example["question"], example["context"], tokenizer, **settings)
    return encoding, [qa.passage_offsets(encoding, w) for w in range(len(encoding["input_ids"]))]


# --- windows and labels -------------------------------------------------------------------------------


@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: "/".join(map(str, s.values())))
def test_every_gold_answer_is_recovered_from_its_labelled_token_span(examples, tokenizer, settings):
    features = qa.prepare_train_features(examples, tokenizer, **settings)
    validation = qa.prepare_validation_features(examples, tokenizer, **settings)
    assert len(features["input_ids"]) == len(validation["input_ids"])  # the same windows
    assert features["input_ids"] == validation["input_ids"]
    labelled = {example["id"]: 0 for example in examples}
    contexts = {example["id"]: example for example in examples}
    exact = 0
    for window, example_id in enumerate(validation["example_id"]):
        example = contexts[example_id]
        context, (start, end) = example["context"], gold_span(example)
        first, last = features["start_positions"][window], features["end_positions"][window]
        cls_index = features["input_ids"][window].index(tokenizer.cls_token_id)
        if (first, last) == (cls_index, cls_index):
            continue
        labelled[example_id] += 1
        offsets = validation["offset_mapping"][window]
        assert offsets[first] is not None and offsets[last] is not None and first <= last
        recovered = context[offsets[first][0]:offsets[last][1]]
        # the labelled tokens are the shortest run that covers the gold answer ...
        assert offsets[first][0] <= start < offsets[first][1], (example_id, recovered)
        assert offsets[last][0] < end <= offsets[last][1], (example_id, recovered)
        # ... so the text is recovered exactly whenever the answer starts and ends on token boundaries
        if offsets[first][0] == start and offsets[last][1] == end:
            assert recovered == example["answers"]["text"][0]
            exact += 1
        else:  # the gold answer ends inside a token (e.g. 1396년 inside 1396년에): the token's text is extra
            assert example["answers"]["text"][0] in recovered
    assert all(count >= 1 for count in labelled.values()), [i for i, c in labelled.items() if c == 0]
    assert exact >= len(examples) // 3


def test_answers_at_the_first_and_the_last_character(examples, tokenizer):
    at_start = [e for e in examples if gold_span(e)[0] == 0]
    at_end = [e for e in examples if gold_span(e)[1] == len(e["context"])]
    assert at_start and at_end, "the sample must have an answer at character 0 and one at the very end"
    for example in at_start + at_end:
        encoding, offsets = windows_of(example, tokenizer, qa.LECTURE_WINDOWS)
        spans = [qa.answer_token_span(window, *gold_span(example)) for window in offsets]
        holding = [w for w, span in enumerate(spans) if span is not None]
        assert holding, example["id"]
        if example in at_start:
            assert holding[0] == 0  # the first window
            first_passage_token = next(i for i, o in enumerate(offsets[0]) if o is not None)
            assert spans[0][0] == first_passage_token
            assert first_passage_token != 0  # position 0 is [CLS]: an answer at character 0 is still a real span
        else:
            assert holding[-1] == len(offsets) - 1  # the last window
            last_passage_token = max(i for i, o in enumerate(offsets[-1]) if o is not None)
            assert spans[-1][1] == last_passage_token
            assert offsets[-1][last_passage_token][1] == len(example["context"].rstrip())


@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: "/".join(map(str, s.values())))
def test_windows_cover_the_whole_context(examples, tokenizer, settings):
    seen = set()
    long_contexts = 0
    for example in examples:
        if example["context"] in seen:
            continue
        seen.add(example["context"])
        encoding, offsets = windows_of(example, tokenizer, settings)
        alone = [tuple(o) for o in tokenizer(example["context"], add_special_tokens=False,
                                             return_offsets_mapping=True)["offset_mapping"]]
        covered = sorted({o for window in offsets for o in window if o is not None})
        assert covered == sorted(set(alone))  # every passage token is in some window
        firsts = [alone.index(next(o for o in window if o is not None)) for window in offsets]
        assert firsts[0] == 0
        assert all(b - a == settings["doc_stride"] for a, b in zip(firsts, firsts[1:]))  # lecture meaning
        assert all(len(ids) <= settings["max_seq_length"] for ids in encoding["input_ids"])
        question_tokens = [encoding.sequence_ids(w).count(0) for w in range(len(offsets))]
        assert max(question_tokens) <= settings["max_query_length"]
        long_contexts += len(alone) > 512
    assert long_contexts >= 2, "the sample needs contexts longer than 512 tokens"


@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: "/".join(map(str, s.values())))
def test_every_answer_up_to_the_guaranteed_length_lies_wholly_in_a_window(tokenizer, settings):
    """Issue 19.7: what a window size and stride guarantee, checked at every position of a long passage."""
    guaranteed = qa.guaranteed_answer_length(tokenizer, **settings)
    special = tokenizer.num_special_tokens_to_add(pair=True)
    assert guaranteed == settings["max_seq_length"] - settings["max_query_length"] - special - settings["doc_stride"] + 1
    context = " ".join(f"{n}번째 문장은 여기에 있다" for n in range(60))
    question = "질문 " * (settings["max_query_length"] + 5)  # truncated to max_query_length: the fewest passage tokens
    encoding, offsets = windows_of({"question": question, "context": context}, tokenizer, settings)
    passage = tokenizer(context, add_special_tokens=False, return_offsets_mapping=True)["offset_mapping"]
    assert len(encoding["input_ids"]) > 3
    for length in (1, guaranteed):
        for first in range(0, len(passage) - length + 1):
            start, end = passage[first][0], passage[first + length - 1][1]
            assert any(qa.answer_token_span(window, start, end) for window in offsets), (length, first)
    # one token more than guaranteed is cut by every window somewhere
    longer = guaranteed + 1
    missed = [first for first in range(len(passage) - longer + 1)
              if not any(qa.answer_token_span(w, passage[first][0], passage[first + longer - 1][1]) for w in offsets)]
    assert missed


def test_windows_without_the_answer_point_at_cls(examples, tokenizer):
    example = max(examples, key=lambda e: len(e["context"]))
    features = qa.prepare_train_features([example], tokenizer, **qa.LECTURE_WINDOWS)
    cls_positions = [ids.index(tokenizer.cls_token_id) for ids in features["input_ids"]]
    without = [w for w, c in enumerate(cls_positions) if features["start_positions"][w] == c]
    assert len(without) >= 2 and len(without) < len(cls_positions)
    for window in without:
        assert features["end_positions"][window] == cls_positions[window]


def test_questions_are_truncated_to_max_query_length(tokenizer):
    question = "숭례문이 축성된 연도는 언제이며 누가 지휘하였고 편액은 누가 썼다고 알려져 있는가? " * 4
    full = tokenizer(question.strip(), add_special_tokens=False)["input_ids"]
    short = qa.truncate_question(question, tokenizer, 10)
    assert tokenizer(short, add_special_tokens=False)["input_ids"] == full[:10]
    assert qa.truncate_question("연도는?", tokenizer, 10) == "연도는?"
    encoding = qa.encode_windows(question, "숭례문은 1396년에 축성하였다.", tokenizer, 64, 16, 10)
    assert encoding.sequence_ids(0).count(0) == 10


def test_impossible_window_settings_are_refused(tokenizer):
    with pytest.raises(ValueError, match="maximum"):
        qa.check_window_settings(tokenizer, 512, 128, 64)  # the stand-in, like KcBERT, takes 300 tokens
    with pytest.raises(ValueError, match="doc_stride"):
        qa.check_window_settings(tokenizer, 128, 100, 32)  # 93 passage tokens per window < 100: gaps


# --- from logits to spans -----------------------------------------------------------------------------


def test_postprocessing_never_returns_an_invalid_span(examples, tokenizer):
    settings = {"max_seq_length": 48, "doc_stride": 8, "max_query_length": 12}
    features = qa.prepare_validation_features(examples, tokenizer, **settings)
    rng = np.random.default_rng(0)
    for trial in range(3):
        start_logits = [rng.normal(size=len(ids)) * 5 for ids in features["input_ids"]]
        end_logits = [rng.normal(size=len(ids)) * 5 for ids in features["input_ids"]]
        if trial == 1:  # the worst case for independent arg-max: every end logit peaks before every start
            for starts, ends in zip(start_logits, end_logits):
                starts[:] = np.linspace(-5, 5, len(starts))
                ends[:] = np.linspace(5, -5, len(ends))
        if trial == 2:  # [CLS] and the question get the highest logits
            for window, (starts, ends) in enumerate(zip(start_logits, end_logits)):
                outside = [i for i, o in enumerate(features["offset_mapping"][window]) if o is None]
                starts[outside] += 50
                ends[outside] += 50
        results = qa.postprocess_predictions(examples, features, start_logits, end_logits, n_best=5,
                                             max_answer_length=7)
        assert set(results) == {e["id"] for e in examples}
        for example in examples:
            spans = results[example["id"]]
            assert len(spans) == 5
            assert [s.score for s in spans] == sorted((s.score for s in spans), reverse=True)
            assert len({(s.start, s.end) for s in spans}) == len(spans)
            for span in spans:
                assert 0 <= span.start < span.end <= len(example["context"])
                assert span.text == example["context"][span.start:span.end] and span.text.strip()
                assert span.start_token <= span.end_token < span.start_token + 7
                assert 0 < span.score <= 1


def test_best_span_is_the_best_valid_pair():
    rng = np.random.default_rng(1)
    context = "가나다라마바사아자차카타파하" * 3
    offsets = [None, None, None] + [(i, i + 1) for i in range(20)] + [None]  # [CLS] q q | 20 passage | [SEP]
    for _ in range(20):
        starts, ends = rng.normal(size=24) * 3, rng.normal(size=24) * 3
        best = qa.best_spans(context, [starts], [ends], [offsets], n_best=1, max_answer_length=4)[0]
        p_start, p_end = softmax(starts), softmax(ends)
        brute = max((p_start[i] * p_end[j], i, j) for i in range(3, 23) for j in range(i, min(i + 4, 23)))
        assert (best.start_token, best.end_token) == brute[1:]
        assert best.score == pytest.approx(brute[0])


def test_an_answer_in_a_later_window_is_found_and_mapped_to_characters(examples, tokenizer):
    example = max(examples, key=lambda e: gold_span(e)[0])  # the answer furthest into its passage
    start, end = gold_span(example)
    features = qa.prepare_validation_features([example], tokenizer, **qa.LECTURE_WINDOWS)
    start_logits, end_logits = [], []
    target = None
    for window, offsets in enumerate(features["offset_mapping"]):
        starts, ends = np.zeros(len(offsets)), np.zeros(len(offsets))
        span = qa.answer_token_span([tuple(o) if o else None for o in offsets], start, end)
        if span is not None and target is None:
            target = (window, span)
            starts[span[0]], ends[span[1]] = 12.0, 12.0
        start_logits.append(starts)
        end_logits.append(ends)
    assert target is not None and target[0] > 0  # not in the first window
    best = qa.postprocess_predictions([example], features, start_logits, end_logits)[example["id"]][0]
    assert best.window == target[0]
    assert best.start <= start and best.end >= end and example["answers"]["text"][0] in best.text


def test_oracle_logits_score_full_marks_where_tokens_allow(examples, tokenizer):
    features = qa.prepare_validation_features(examples, tokenizer, **qa.LECTURE_WINDOWS)
    by_id = {e["id"]: e for e in examples}
    start_logits, end_logits = [], []
    for window, offsets in enumerate(features["offset_mapping"]):
        starts, ends = np.zeros(len(offsets)), np.zeros(len(offsets))
        span = qa.answer_token_span([tuple(o) if o else None for o in offsets], *gold_span(by_id[features["example_id"][window]]))
        if span is not None:
            starts[span[0]], ends[span[1]] = 20.0, 20.0
        start_logits.append(starts)
        end_logits.append(ends)
    predictions = qa.prediction_texts(qa.postprocess_predictions(examples, features, start_logits, end_logits))
    from lectureutils.qa.metrics import korquad_metrics

    scores = korquad_metrics(predictions, examples)
    exact = sum(predictions[e["id"]] == e["answers"]["text"][0] for e in examples)
    assert scores["exact_match"] == pytest.approx(100 * exact / len(examples))
    assert exact >= len(examples) // 3 and scores["f1"] > 80


# --- answer() -----------------------------------------------------------------------------------------


class PointingModel:
    """A stand-in QA model whose logits point at two given token ids in the passage."""

    def __init__(self, start_id, end_id):
        import torch

        self.start_id, self.end_id = start_id, end_id
        self.weight = torch.nn.Parameter(torch.zeros(1))
        self.training = False
        self.config = SimpleNamespace(max_position_embeddings=300)

    def parameters(self):
        yield self.weight

    def eval(self):
        return self

    def train(self, mode=True):
        return self

    def __call__(self, input_ids, token_type_ids, attention_mask):
        passage = token_type_ids == 1
        return SimpleNamespace(start_logits=((input_ids == self.start_id) & passage).float() * 10,
                               end_logits=((input_ids == self.end_id) & passage).float() * 10)


def test_answer_finds_an_answer_beyond_the_first_window(tokenizer):
    filler = "서울 4대문 및 보신각의 이름은 오행사상을 따라 지어졌다. " * 40
    context = filler + "숭례문은 1396년에 최유경의 지휘로 축성하였다."
    at = context.index("1396")
    encoding = tokenizer(context, add_special_tokens=False, return_offsets_mapping=True)
    first = next(i for i, (s, e) in enumerate(encoding["offset_mapping"]) if e > at)
    last = next(i for i, (s, e) in enumerate(encoding["offset_mapping"]) if e >= at + len("1396년"))
    ids = encoding["input_ids"]
    model = PointingModel(ids[first], ids[last])
    result = qa.answer("숭례문이 축성된 연도는?", context, model, tokenizer, n_best=3)
    expected = context[encoding["offset_mapping"][first][0]:encoding["offset_mapping"][last][1]]
    assert result["answer"] == expected and "1396" in expected
    assert context[result["start"]:result["end"]] == result["answer"]
    assert result["start"] > 300 and result["windows"] > 1  # default 384 capped at the model's 300 tokens
    assert set(result) == {"question", "context", "answer", "start", "end", "score", "windows", "n_best"}
    assert result["n_best"][0]["answer"] == result["answer"] and len(result["n_best"]) == 3
    assert 0 < result["score"] <= 1


def test_answer_with_a_real_architecture_returns_a_valid_span(tokenizer, qa_model):
    context = ("서강대 AI MBA는 2020년에 개설되었으며, 인공지능 빅데이터 기술을 겸비한 비즈니스 역량을 갖춘 인재 양성에 "
               "주력하고 있다. 2023년 현재 4기 신입생을 선발하였고, 졸업생은 2024년 기준으로 120여명을 넘을 예정이다.")
    result = qa.answer("서강대 AI MBA는 언제 개설되었나요?", context, qa_model, tokenizer, n_best=2)
    assert context[result["start"]:result["end"]] == result["answer"] != ""
    assert result["windows"] == 1
    assert result["n_best"][0]["score"] >= result["n_best"][1]["score"]


@pytest.mark.parametrize("question, context, message", [
    ("", "숭례문은 1396년에 축성하였다.", "question is empty"),
    ("  \n\t", "숭례문은 1396년에 축성하였다.", "question is empty"),
    ("숭례문이 축성된 연도는?", "", "context is empty"),
    ("숭례문이 축성된 연도는?", "   ", "context is empty"),
])
def test_answer_refuses_an_empty_question_or_context(tokenizer, qa_model, question, context, message):
    with pytest.raises(ValueError, match=message):
        qa.answer(question, context, qa_model, tokenizer)


def test_answer_refuses_what_is_not_text(tokenizer, qa_model):
    with pytest.raises(TypeError):
        qa.answer(None, "숭례문은 1396년에 축성하였다.", qa_model, tokenizer)


def test_saved_model_reloads_and_answers_the_same(tmp_path, tokenizer, qa_model):
    qa_model.save_pretrained(tmp_path)
    tokenizer.save_pretrained(tmp_path)
    model, reloaded_tokenizer = qa.load_qa_model(tmp_path)
    assert not model.training
    question, context = "숭례문이 축성된 연도는?", "숭례문은 조선의 수도였던 서울의 남쪽 대문이다. 1396년에 축성하였다."
    assert qa.answer(question, context, model, reloaded_tokenizer) == qa.answer(question, context, qa_model, tokenizer)
    with pytest.raises(FileNotFoundError):
        qa.load_qa_model(tmp_path / "missing")


def test_load_qa_model_refuses_a_folder_with_only_a_pickle(tmp_path, tokenizer, qa_model):
    qa_model.save_pretrained(tmp_path)
    tokenizer.save_pretrained(tmp_path)
    (tmp_path / "model.safetensors").rename(tmp_path / "pytorch_model.bin")  # what an old checkpoint holds
    with pytest.raises(FileNotFoundError, match=r"no \.safetensors weights \(only pytorch_model\.bin\)"):
        qa.load_qa_model(tmp_path)


def test_answer_uses_the_checkpoints_windows_and_agrees_with_the_evaluation_path(tmp_path, tokenizer, qa_model):
    """Issue 16.9: the checkpoint carries its window settings; answer() and the notebook's evaluation path
    (prepare_validation_features -> predict_spans, as in 06 §6) give the same answer for the same question."""
    from datasets import Dataset

    settings = {"max_seq_length": 48, "doc_stride": 16, "max_query_length": 12}
    qa.store_window_settings(qa_model, **settings)
    qa_model.save_pretrained(tmp_path)
    tokenizer.save_pretrained(tmp_path)
    config = json.loads((tmp_path / "config.json").read_text(encoding="utf-8"))
    assert {name: config[name] for name in qa.WINDOW_SETTINGS} == settings
    model, reloaded_tokenizer = qa.load_qa_model(tmp_path)
    assert qa.window_settings(model) == settings
    question = "숭례문이 축성된 연도는?"
    context = "한양도성은 조선의 도읍을 둘러싼 성곽이다. " * 6 + "숭례문은 1396년에 최유경의 지휘로 축성하였다."
    ours = qa.answer(question, context, model, reloaded_tokenizer)
    examples = Dataset.from_list([{"id": "q1", "question": question, "context": context,
                                   "answers": {"text": ["1396년"], "answer_start": [context.index("1396년")]}}])
    [best, *_] = qa.predict_spans(model, reloaded_tokenizer, examples, **qa.window_settings(model))["q1"]
    windows = qa.encode_windows(question, context, reloaded_tokenizer, **settings)
    assert ours["windows"] == len(windows["input_ids"]) > 2
    service_windows, service_offsets = qa.answer_windows(question, context, model, reloaded_tokenizer)  # the service's
    assert [w["input_ids"] for w in service_windows] == windows["input_ids"] and len(service_offsets) == ours["windows"]
    assert (ours["answer"], ours["start"], ours["end"]) == (best.text, best.start, best.end)
    assert abs(ours["score"] - best.score) < 1e-6
    # a model without stored settings reads with the usual 384/128/64 (capped at the model's maximum)
    del model.config.max_seq_length, model.config.doc_stride, model.config.max_query_length
    assert qa.window_settings(model) == qa.DEFAULT_WINDOWS
    assert qa.answer(question, context, model, reloaded_tokenizer)["windows"] == 1
