"""Tests for lectureutils.serve.batching: length groups (optimal for their cost), the measured cost of a forward
pass, padding as the tokenizer pads, and grouped probabilities equal to the lecture's one padded batch."""

import itertools

import pytest
from serve_fixtures import untrained_checkpoints

from lectureutils import classification
from lectureutils.serve import batching, tasks

REVIEWS = ["배우들 연기가 정말 좋았고 스토리도 탄탄했어요", "시간 낭비", "그냥 그랬음 ㅋㅋ 😀", "최고의 영화!!! " * 20, "별로",
           "이 영화는 정말 최고의 영화!!! " * 40, "음악이 좋다", "ㅋ"]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    classifier_dir, _ = untrained_checkpoints(tmp_path_factory.mktemp("batching_checkpoints"))
    return tasks.TASKS["classification"].load(classifier_dir, "cpu")


def cost(lengths, groups, fixed):
    return sum(fixed + len(group) * max(lengths[index] for index in group) for group in groups)


def test_length_groups_cover_every_input_once_in_runs_of_similar_length():
    lengths = [12, 3, 40, 5, 11, 4, 39, 6]
    groups = batching.length_groups(lengths, fixed_tokens=10)
    assert sorted(index for group in groups for index in group) == list(range(len(lengths)))
    assert [[lengths[index] for index in group] for group in groups] == [[3, 4, 5, 6], [11, 12], [39, 40]]


def test_a_large_fixed_cost_keeps_one_group_and_a_small_one_cuts_off_the_long_input():
    lengths = [9, 8, 10, 120, 9]
    assert len(batching.length_groups(lengths, fixed_tokens=4096)) == 1
    assert [len(group) for group in batching.length_groups(lengths, fixed_tokens=50)] == [4, 1]
    assert batching.length_groups([7], 100) == [[0]] and batching.length_groups([], 100) == []


@pytest.mark.parametrize("fixed", [1, 15, 60, 500])
def test_length_groups_are_the_cheapest_cut(fixed):
    lengths = [3, 17, 9, 9, 44, 5, 21, 60, 8]
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    best = min(
        cost(lengths, [order[start:end] for start, end in zip((0, *cuts), (*cuts, len(order)))], fixed)
        for size in range(len(order)) for cuts in itertools.combinations(range(1, len(order)), size)
    )
    assert cost(lengths, batching.length_groups(lengths, fixed), fixed) == best


def test_forward_cost_is_measured_once_per_model(loaded):
    model, _ = loaded
    first = batching.forward_cost(model)
    assert 1 <= first <= 4096
    assert batching.forward_cost(model) == first  # remembered, not measured again


@pytest.mark.parametrize("side", ["right", "left"])
def test_padded_inputs_pad_as_the_tokenizer_does(loaded, side):
    _, tokenizer = loaded
    texts = REVIEWS[:3]
    encoded = tokenizer(texts)
    original = tokenizer.padding_side
    tokenizer.padding_side = side
    try:
        expected = tokenizer(texts, padding=True, return_tensors="pt")
        built = batching.padded_inputs(encoded, [0, 1, 2], tokenizer, "cpu")
    finally:
        tokenizer.padding_side = original
    assert set(built) == set(expected)
    for key in built:
        assert built[key].tolist() == expected[key].tolist(), key


@pytest.mark.parametrize("fixed", [1.0, 4096.0])
def test_grouped_probabilities_equal_the_lectures_one_padded_batch(loaded, fixed, monkeypatch):
    model, tokenizer = loaded
    monkeypatch.setitem(batching._COSTS, model, fixed)  # 1: a group per length; 4096: one group
    positives, truncated = batching.positive_probabilities(REVIEWS, model, tokenizer, 128)
    lecture = classification.positive_probabilities(REVIEWS, model, tokenizer, 128)
    assert positives == pytest.approx(lecture, abs=1e-5)
    lengths = [len(ids) for ids in tokenizer(REVIEWS)["input_ids"]]
    assert truncated == [length > 128 for length in lengths] and any(truncated)


def test_a_model_in_training_mode_is_read_in_evaluation_mode_and_put_back(loaded):
    model, tokenizer = loaded
    model.train()
    try:
        first, _ = batching.positive_probabilities(REVIEWS[:3], model, tokenizer, 128)
        again, _ = batching.positive_probabilities(REVIEWS[:3], model, tokenizer, 128)
        assert first == again and model.training  # no dropout, and the mode restored
    finally:
        model.eval()


def test_classification_fields_are_the_lectures_at_the_rounding_edge(monkeypatch):
    edge = [0.49996, 0.5, 0.49994, 0.9, 0.1]
    monkeypatch.setattr(batching, "positive_probabilities", lambda texts, *rest: (edge, [False] * len(edge)))
    results = tasks.classification_predict(None, None, ["리뷰"] * len(edge))
    for result, positive in zip(results, edge):
        assert result["prediction"] == classification.format_result("리뷰", positive)["prediction"]
        assert result["label"] == ("positive" if positive >= 0.5 else "negative") and result["positive"] == positive
