"""lectureutils.ner.metrics: KLUE's entity and character macro F1, checked on hand-computed cases."""

import pytest

from lectureutils.ner import klue_ner_scores, per_type_scores, type_confusion
from lectureutils.ner.metrics import token_metrics, without_spaces


def row(text, tags, guid="s"):
    assert len(text) == len(tags)
    return {"guid": guid, "text": text, "chars": list(text), "tags": list(tags)}


SENTENCE = row("김도현 서울", ["B-PS", "I-PS", "I-PS", "O", "B-LC", "I-LC"])


def test_perfect_predictions_score_100():
    assert klue_ner_scores([SENTENCE], [SENTENCE["tags"]]) == {"entity_macro_f1": 100.0, "char_macro_f1": 100.0}


def test_wrong_type_by_hand():
    predicted = ["B-PS", "I-PS", "I-PS", "O", "B-OG", "I-OG"]
    scores = klue_ner_scores([SENTENCE], [predicted])
    # entities: PS right (F1 1), LC missed (0), OG invented (0); macro over the types seen: 1/3
    assert scores["entity_macro_f1"] == pytest.approx(100 / 3)
    # characters (the space left out): B-PS, I-PS right (F1 1 each); B-LC, I-LC, B-OG, I-OG wrong (0 each);
    # the 7 labels absent from gold and prediction (O among them) count 1 each (zero_division=1): 9/13
    assert scores["char_macro_f1"] == pytest.approx(100 * 9 / 13)


def test_strict_iob2_needs_the_b():
    predicted = ["I-PS", "I-PS", "I-PS", "O", "B-LC", "I-LC"]
    scores = klue_ner_scores([SENTENCE], [predicted])
    # strict mode: an entity that starts with I- is not an entity: PS 0, LC 1 -> 50
    assert scores["entity_macro_f1"] == pytest.approx(50.0)
    # characters: B-PS missed (precision 1 by zero_division, recall 0: F1 0); I-PS: 2 of 3 predicted right,
    # recall 1 -> F1 0.8; B-LC, I-LC 1; the other 9 labels absent from both: 1 each -> (0 + 0.8 + 2 + 9) / 13
    assert scores["char_macro_f1"] == pytest.approx(100 * 11.8 / 13)


def test_spaces_are_left_out():
    wrong_on_space = ["B-PS", "I-PS", "I-PS", "B-QT", "B-LC", "I-LC"]
    assert klue_ner_scores([SENTENCE], [wrong_on_space]) == klue_ner_scores([SENTENCE], [SENTENCE["tags"]])
    gold, predicted = without_spaces([SENTENCE], [wrong_on_space])
    assert gold == [["B-PS", "I-PS", "I-PS", "B-LC", "I-LC"]] and len(predicted[0]) == 5


def test_entities_never_run_across_sentences():
    first = row("서울", ["B-LC", "I-LC"], "a")
    second = row("부산", ["B-LC", "I-LC"], "b")
    # the second sentence predicted as a continuation (I-LC I-LC): in strict IOB2 it is no entity,
    # and it does not extend the first sentence's entity: LC precision 1/1, recall 1/2 -> F1 2/3
    scores = klue_ner_scores([first, second], [["B-LC", "I-LC"], ["I-LC", "I-LC"]])
    assert scores["entity_macro_f1"] == pytest.approx(100 * 2 / 3)


def test_inputs_are_checked():
    with pytest.raises(ValueError, match="2 predicted tags"):
        klue_ner_scores([SENTENCE], [["O", "O"]])
    with pytest.raises(ValueError, match="not KLUE-NER labels"):
        klue_ner_scores([SENTENCE], [["B-PER"] * 6])
    with pytest.raises(ValueError, match="1 sentences but 2 predictions"):
        klue_ner_scores([SENTENCE], [SENTENCE["tags"]] * 2)


def test_per_type_scores_and_confusion_by_hand():
    predicted = ["B-PS", "I-PS", "I-PS", "O", "B-OG", "I-OG"]
    scores = per_type_scores([SENTENCE], [predicted])
    assert set(scores) == {"PS", "LC", "OG", "DT", "TI", "QT"}
    assert scores["PS"] == {"precision": 100.0, "recall": 100.0, "f1": 100.0, "support": 1}
    assert scores["LC"]["recall"] == 0.0 and scores["LC"]["support"] == 1
    assert scores["OG"]["precision"] == 0.0 and scores["OG"]["support"] == 0
    table = type_confusion([SENTENCE], [predicted])
    assert list(table.index) == ["O", "PS", "LC", "OG", "DT", "TI", "QT"] == list(table.columns)
    assert table.loc["PS", "PS"] == 3 and table.loc["LC", "OG"] == 2 and int(table.values.sum()) == 5


def test_token_metrics_leave_out_ignored_labels():
    import numpy as np
    from transformers import EvalPrediction

    from lectureutils.ner import NER_LABEL2ID

    labels = np.array([[-100, NER_LABEL2ID["B-PS"], NER_LABEL2ID["O"], -100]])
    logits = np.full((1, 4, 13), -5.0)
    for position, label in enumerate(["O", "B-PS", "B-LC", "B-LC"]):
        logits[0, position, NER_LABEL2ID[label]] = 5.0
    metrics = token_metrics(EvalPrediction(predictions=logits, label_ids=labels))
    assert metrics["token_accuracy"] == pytest.approx(0.5)
    assert metrics["token_entity_f1"] == pytest.approx(0.5)  # PS right (1), LC invented (0)
