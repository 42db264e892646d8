"""KorQuAD 1.0 EM/F1 (lectureutils.qa.metrics): the official script's normalisation and character-level F1, by hand."""

import math

import pytest

from lectureutils.qa.metrics import exact_match_score, f1_score, korquad_metrics, normalize_answer


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("  《토지》(소설) ", "토지 소설"),  # Korean book-title brackets and parentheses become spaces
        ("‘남대문’", "남대문"),  # curly single quotes
        ("〈훈민정음〉", "훈민정음"),
        ('"숭례문"', "숭례문"),
        ("<태조>", "태조"),
        ("서울,부산.", "서울부산"),  # ASCII punctuation is deleted, not replaced by a space
        ("1447-1479", "14471479"),
        ("AI   MBA\t과정\n", "ai mba 과정"),  # lower-case; whitespace runs collapse to one space
        ("김·이", "김·이"),  # the middle dot is not ASCII punctuation: it stays
        ("“인용”", "“인용”"),  # curly double quotes are not in the official list either
        ("The Beatles", "the beatles"),  # unlike SQuAD, English articles are kept
        ("", ""),
    ],
)
def test_normalize_answer_matches_the_official_rules(raw, expected):
    assert normalize_answer(raw) == expected


def test_exact_match_keeps_single_spaces():
    assert exact_match_score("《1396년》", "1396년")
    assert exact_match_score("AI MBA", "ai mba")
    assert not exact_match_score("2020 년", "2020년")  # a space is still a difference for EM ...
    assert f1_score("2020 년", "2020년") == 1.0  # ... but not for the character F1


def test_character_f1_by_hand():
    # prediction characters 1 3 9 6 년 태 조 5 년 (9), gold 1 3 9 6 년 (5), 5 in common
    precision, recall = 5 / 9, 5 / 5
    assert math.isclose(f1_score("1396년(태조 5년)", "1396년"), 2 * precision * recall / (precision + recall))
    assert math.isclose(f1_score("1396년(태조 5년)", "1396년"), 10 / 14)
    # repeated characters count as a multiset: 아 once in common, precision 1/3, recall 1
    assert math.isclose(f1_score("아아아", "아"), 0.5)
    # the middle dot survives normalisation and costs precision: 2 of 3 characters match
    assert math.isclose(f1_score("김·이", "김이"), 0.8)
    # articles are kept: "thebeatles" (10 characters) vs "beatles" (7), all 7 in common
    assert math.isclose(f1_score("The Beatles", "Beatles"), 2 * 0.7 / 1.7)
    assert f1_score("서울", "부산") == 0.0


def test_empty_answers_follow_the_official_script():
    assert exact_match_score("", "")
    assert f1_score("", "") == 0.0  # no common character: the official script returns 0
    assert f1_score("", "1396년") == 0.0
    assert f1_score("()", "1396년") == 0.0


def test_corpus_scores_are_percentages_with_max_over_gold_answers():
    references = [
        {"id": "q1", "answers": {"text": ["1396년", "1396년(태조 5년)"], "answer_start": [0, 0]}},
        {"id": "q2", "answers": {"text": ["남대문"], "answer_start": [5]}},
        {"id": "q3", "answers": {"text": ["2020년"], "answer_start": [12]}},
        {"id": "q4", "answers": {"text": ["서울"], "answer_start": [0]}},
    ]
    predictions = {
        "q1": "1396년(태조 5년)",  # exact match with the second gold answer
        "q2": "남대문이라고도",  # 3 of 7 characters: F1 = 2*(3/7)*1/(3/7+1) = 0.6
        "q3": "2020 년",  # F1 1, EM 0
        # q4 unanswered: scores 0 but counts
    }
    scores = korquad_metrics(predictions, references)
    assert set(scores) == {"exact_match", "f1"}
    assert math.isclose(scores["exact_match"], 100 * 1 / 4)
    assert math.isclose(scores["f1"], 100 * (1 + 0.6 + 1 + 0) / 4)


def test_references_in_other_shapes_give_the_same_scores():
    predictions = {"a": "숭례문", "b": "1396"}
    as_examples = [{"id": "a", "answers": {"text": ["숭례문"]}}, {"id": "b", "answers": {"text": ["1396년"]}}]
    as_squad = [{"id": "a", "answers": [{"text": "숭례문", "answer_start": 0}]}, {"id": "b", "answers": [{"text": "1396년"}]}]
    as_mapping = {"a": "숭례문", "b": ["1396년"]}
    expected = korquad_metrics(predictions, as_examples)
    assert korquad_metrics(predictions, as_squad) == expected == korquad_metrics(predictions, as_mapping)
    assert math.isclose(expected["f1"], 100 * (1 + 2 * 0.8 / 1.8) / 2)  # "1396" vs "1396년": P 1, R 4/5


def test_no_questions_is_an_error():
    with pytest.raises(ValueError):
        korquad_metrics({}, [])
    with pytest.raises(ValueError):
        korquad_metrics({"a": "x"}, {"a": []})
