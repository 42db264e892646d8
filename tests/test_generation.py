"""Tests for lectureutils.generation (notebook 07's plumbing)."""

import math

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from lectureutils import generation  # noqa: E402


class FakeTokenizer:
    """Decodes ids through a fixed table, as a byte-level BPE tokenizer decodes one id."""

    table = {0: " the", 1: "cat", 2: "\n", 3: "\ufffd", 4: ""}

    def decode(self, ids):
        return "".join(self.table[i] for i in ids)

    def convert_ids_to_tokens(self, token_id):
        return {0: "\u0120the"}.get(token_id, "x")


def test_readable_tokens_mark_spaces_newlines_and_partial_characters():
    labels = generation.readable_tokens(FakeTokenizer(), [0, 1, 2, 3, 4])
    assert labels == ["·the", "cat", "¶", "?", "''"]


def test_readable_tokens_keep_kogpt2_word_starts():
    """KoGPT2 marks a word start with "▁"; decoding that token alone drops it, the label keeps it."""
    from lectureutils.models import load_tokenizer

    tokenizer = load_tokenizer("skt/kogpt2-base-v2")
    ids = tokenizer("근육이 커지기")["input_ids"]
    labels = generation.readable_tokens(tokenizer, ids)
    assert labels[0].startswith("·") and sum(label.startswith("·") for label in labels) == 2
    assert "".join(labels).replace("·", " ").strip() == "근육이 커지기"


def test_readable_tokens_accept_tensors():
    torch = pytest.importorskip("torch")
    assert generation.readable_tokens(FakeTokenizer(), torch.tensor([1, 0])) == ["cat", "·the"]


@pytest.mark.parametrize(
    "probabilities, expected",
    [([1.0, 0.0], 0.0), ([0.5, 0.5], math.log(2)), ([0.25] * 4, math.log(4))],
)
def test_entropy_known_values(probabilities, expected):
    assert generation.entropy(probabilities) == pytest.approx(expected)


@pytest.mark.parametrize("bad", [[0.5, 0.6], [-0.1, 1.1], [[0.5, 0.5]]])
def test_entropy_refuses_non_distributions(bad):
    with pytest.raises(ValueError):
        generation.entropy(bad)


def test_entropy_grows_with_temperature():
    logits = np.array([3.0, 1.0, 0.5, -2.0])
    values = []
    for temperature in (0.5, 1.0, 2.0):
        p = np.exp(logits / temperature)
        values.append(generation.entropy(p / p.sum()))
    assert values[0] < values[1] < values[2]


def test_repeated_ngrams_finds_repeats_only():
    ids = [5, 6, 7, 5, 6, 8, 5, 6]
    assert generation.repeated_ngrams(ids, 2) == {(5, 6): 3}
    assert generation.repeated_ngrams(ids, 3) == {}
    assert generation.repeated_ngrams(ids, 1) == {(5,): 3, (6,): 3}
    assert generation.repeated_ngrams([1, 2], 3) == {}
    with pytest.raises(ValueError):
        generation.repeated_ngrams(ids, 0)


def test_perplexity_from_loss():
    assert generation.perplexity_from_loss(0.0) == 1.0
    assert generation.perplexity_from_loss(math.log(50)) == pytest.approx(50)
    torch = pytest.importorskip("torch")
    assert generation.perplexity_from_loss(torch.tensor(math.log(7.0))) == pytest.approx(7.0)
    for bad in (-0.1, float("nan"), float("inf")):
        with pytest.raises(ValueError):
            generation.perplexity_from_loss(bad)


def test_perplexity_of_a_uniform_model_is_its_vocabulary_size():
    torch = pytest.importorskip("torch")
    vocabulary = 40
    logits = torch.zeros(1, 6, vocabulary)
    labels = torch.randint(0, vocabulary, (1, 6))
    loss = torch.nn.functional.cross_entropy(logits[0, :-1], labels[0, 1:])
    assert generation.perplexity_from_loss(loss) == pytest.approx(vocabulary, rel=1e-5)


def test_decoding_table_cuts_the_prompt_and_shortens():
    prompt = "Once upon"
    table = generation.decoding_table(
        prompt,
        {"greedy": ("do_sample=False", "Once upon a time a time"), "other": ("x", "Unrelated   text\nhere")},
        width=8,
    )
    assert list(table.columns) == ["settings", "continuation"]
    assert list(table.index) == ["greedy", "other"]
    assert table.loc["greedy", "continuation"] == "a time …"
    assert table.loc["other", "continuation"] == "Unrelat…"
    full = generation.decoding_table(prompt, {"greedy": ("s", "Once upon a time")})
    assert full.loc["greedy", "continuation"] == "a time"


def test_plot_attention_masks_draws_one_panel_per_mask():
    tokens = ["a", "b", "c"]
    causal = np.tril(np.ones((3, 3)))
    figure = generation.plot_attention_masks({"full": np.ones((3, 3)), "causal": causal}, tokens, title="t")
    assert len(figure.axes) == 2
    drawn = figure.axes[1].images[0].get_array()
    assert np.array_equal(np.asarray(drawn), causal)
    with pytest.raises(ValueError):
        generation.plot_attention_masks({"bad": np.ones((2, 2))}, tokens)


def test_plot_top_k_orders_bars_top_down():
    ax = generation.plot_top_k(["x", "y", "z"], [0.5, 0.3, 0.1], title="t")
    widths = [patch.get_width() for patch in ax.patches]
    heights = [patch.get_y() for patch in ax.patches]
    assert widths == pytest.approx([0.5, 0.3, 0.1])
    assert heights[0] > heights[1] > heights[2]  # the most probable token is drawn on top
    with pytest.raises(ValueError):
        generation.plot_top_k(["x"], [0.5, 0.5])


def test_plot_temperatures_groups_bars():
    ax = generation.plot_temperatures(["x", "y"], {0.5: [0.9, 0.1], 2.0: [0.6, 0.4]})
    assert len(ax.patches) == 4
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["T = 0.5", "T = 2.0"]
    with pytest.raises(ValueError):
        generation.plot_temperatures(["x", "y"], {1.0: [1.0]})
    with pytest.raises(ValueError):
        generation.plot_temperatures(["x"], {})


def test_plot_token_logprobs_one_line_per_sentence():
    ax = generation.plot_token_logprobs({"a": (["x", "y"], [-1.0, -2.0]), "b": (["z"], [-3.0])})
    assert len(ax.lines) == 2
    assert list(ax.lines[0].get_ydata()) == [-1.0, -2.0]
    with pytest.raises(ValueError):
        generation.plot_token_logprobs({"a": (["x"], [-1.0, -2.0])})


def test_the_plots_keep_the_title_they_are_given():
    """Notebook 07 appends standin_label(model) to its chart titles; the plots must show it unchanged."""
    label = " (offline stand-in, random weights)"
    assert generation.plot_top_k(["x", "y"], [0.6, 0.4], title="next token" + label).get_title() == "next token" + label
    ax = generation.plot_temperatures(["x", "y"], {1.0: [0.6, 0.4]}, title="temperatures" + label)
    assert ax.get_title() == "temperatures" + label
