import pytest

from lectureutils.inputs import check_text, max_model_length
from lectureutils.models import load_model, load_tokenizer


@pytest.fixture(scope="module")
def english():
    from transformers import BertModel

    return load_tokenizer("bert-base-uncased"), load_model(BertModel, "bert-base-uncased")


def test_good_text_passes(english):
    tokenizer, model = english
    assert check_text("I love Paris", tokenizer, model) == "I love Paris"


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text_is_refused(english, text):
    tokenizer, model = english
    with pytest.raises(ValueError, match="empty"):
        check_text(text, tokenizer, model)


def test_over_long_text_is_refused_or_truncated_with_a_warning(english):
    tokenizer, model = english
    text = "word " * 600
    with pytest.raises(ValueError, match="maximum of 512"):
        check_text(text, tokenizer, model)
    with pytest.warns(UserWarning, match="first 512 tokens"):
        assert check_text(text, tokenizer, model, truncate=True) == text


def test_non_string_is_a_type_error(english):
    tokenizer, model = english
    with pytest.raises(TypeError, match="string"):
        check_text(["a list"], tokenizer, model)


def test_limit_is_the_smaller_of_config_and_tokenizer(english):
    tokenizer, model = english
    assert max_model_length(tokenizer, model) == 512
    kcbert = load_tokenizer("beomi/kcbert-base")
    assert max_model_length(kcbert) == 300


def test_without_a_tokenizer_only_type_and_emptiness_are_checked():
    assert check_text("word " * 5000) == "word " * 5000
    with pytest.raises(ValueError, match="The review is empty"):
        check_text(" \n", what="review")
    with pytest.raises(TypeError, match="question must be a string"):
        check_text(None, what="question")
