"""Tests for lectureutils.pretraining (notebook 08's plumbing)."""

import math

import matplotlib
import pytest

matplotlib.use("Agg")

torch = pytest.importorskip("torch")

from lectureutils import plots, pretraining  # noqa: E402
from lectureutils.nsp import IS_NEXT, NOT_NEXT  # noqa: E402
from lectureutils.env import data_dir  # noqa: E402

DOCUMENTS = [
    ["a1.", "a2.", "a3.", "a4."],
    ["b1.", "b2.", "b3."],
    ["c1.", "c2."],
    ["d1.", "d2.", "d3.", "d4.", "d5."],
]


def where(sentence):
    """(document, position) of a one-sentence segment of DOCUMENTS."""
    for number, document in enumerate(DOCUMENTS):
        if sentence in document:
            return number, document.index(sentence)
    raise AssertionError(sentence)


def test_read_documents_splits_on_blank_lines(tmp_path):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n\nOne.\nTwo.  \n\n\nThree.\n   \nFour.\nFive.\n", encoding="utf-8")
    assert pretraining.read_documents(corpus) == [["One.", "Two."], ["Three."], ["Four.", "Five."]]
    with pytest.raises(FileNotFoundError):
        pretraining.read_documents(tmp_path / "missing.txt")


def test_the_project_corpus_has_documents_of_several_sentences():
    documents = pretraining.read_documents(data_dir() / "corpus_en.txt")
    assert len(documents) >= 20
    assert sum(len(document) >= 2 for document in documents) >= 0.9 * len(documents)


def test_split_documents_is_by_document_and_seeded():
    documents = [[f"doc{n} s{i}." for i in range(3)] for n in range(20)]
    training, held_out = pretraining.split_documents(documents, 0.2, seed=3)
    assert len(held_out) == 4 and len(training) == 16
    assert sorted(map(tuple, training + held_out)) == sorted(map(tuple, documents))
    assert not set(map(tuple, training)) & set(map(tuple, held_out))
    assert pretraining.split_documents(documents, 0.2, seed=3) == (training, held_out)
    assert pretraining.split_documents(documents, 0.2, seed=4) != (training, held_out)
    with pytest.raises(ValueError):
        pretraining.split_documents(documents, 1.5)
    with pytest.raises(ValueError):
        pretraining.split_documents(documents[:3], 0.2)


def test_nsp_pairs_true_continuations_and_random_other_documents():
    pairs = pretraining.make_nsp_pairs(DOCUMENTS, seed=1)
    assert len(pairs) == sum(len(document) - 1 for document in DOCUMENTS)
    for pair in pairs:
        doc_a, position_a = where(pair.first)
        doc_b, position_b = where(pair.second)
        assert (doc_a, doc_b) == (pair.document, pair.second_document)
        if pair.label == IS_NEXT:
            assert doc_b == doc_a and position_b == position_a + 1
        else:
            assert pair.label == NOT_NEXT and doc_b != doc_a
    assert {pair.label for pair in pairs} == {0, 1}


def test_nsp_pairs_are_half_positive_and_reproducible():
    documents = [[f"d{n} s{i}." for i in range(10)] for n in range(40)]
    pairs = pretraining.make_nsp_pairs(documents, seed=0)
    positives = sum(pair.label == IS_NEXT for pair in pairs) / len(pairs)
    assert 0.45 < positives < 0.55
    assert pretraining.make_nsp_pairs(documents, seed=0) == pairs
    assert pretraining.make_nsp_pairs(documents, seed=1) != pairs
    all_random = pretraining.make_nsp_pairs(documents, seed=0, positive_fraction=0.0)
    assert all(pair.label == NOT_NEXT for pair in all_random)


def test_nsp_pairs_with_segments_of_several_sentences():
    pairs = pretraining.make_nsp_pairs(DOCUMENTS, seed=2, sentences_per_segment=2, positive_fraction=1.0)
    first_of_d = [pair for pair in pairs if pair.document == 3]
    assert [(pair.first, pair.second) for pair in first_of_d] == [
        ("d1.", "d2. d3."),
        ("d1. d2.", "d3. d4."),
        ("d2. d3.", "d4. d5."),
        ("d3. d4.", "d5."),
    ]
    with pytest.raises(ValueError):
        pretraining.make_nsp_pairs(DOCUMENTS, sentences_per_segment=0)
    with pytest.raises(ValueError):
        pretraining.make_nsp_pairs(DOCUMENTS[:1])


def masked_example():
    original = torch.tensor([[2, 10, 11, 12, 13, 3, 0], [2, 20, 21, 22, 23, 24, 3]])
    special = torch.tensor([[1, 0, 0, 0, 0, 1, 1], [1, 0, 0, 0, 0, 0, 1]])
    masked = original.clone()
    labels = torch.full_like(original, -100)
    for row, column, new in [(0, 1, 4), (0, 2, 4), (0, 4, 99), (1, 1, 4), (1, 5, 24)]:
        labels[row, column] = original[row, column]
        masked[row, column] = new
    return original, masked, labels, special


def test_masking_statistics_counts_the_three_cases():
    original, masked, labels, special = masked_example()
    stats = pretraining.masking_statistics(original, masked, labels, special, mask_token_id=4)
    assert stats["maskable tokens"] == 9
    assert stats["chosen"] == 5
    assert stats["chosen share"] == pytest.approx(5 / 9)
    assert stats["[MASK] share"] == pytest.approx(3 / 5)
    assert stats["random share"] == pytest.approx(1 / 5)
    assert stats["unchanged share"] == pytest.approx(1 / 5)


def test_masking_statistics_refuses_inconsistent_masking():
    original, masked, labels, special = masked_example()
    bad_special = special.clone()
    bad_special[0, 1] = 1
    with pytest.raises(ValueError, match="special"):
        pretraining.masking_statistics(original, masked, labels, bad_special, 4)
    bad_masked = masked.clone()
    bad_masked[1, 2] = 4  # changed but not chosen
    with pytest.raises(ValueError, match="not chosen"):
        pretraining.masking_statistics(original, bad_masked, labels, special, 4)
    bad_labels = labels.clone()
    bad_labels[0, 1] = 7
    with pytest.raises(ValueError, match="labels"):
        pretraining.masking_statistics(original, masked, bad_labels, special, 4)


@pytest.fixture(scope="module")
def tiny_setup(tiny_bert_config):
    """A WordPiece tokenizer trained on the toy documents and a tiny BertForPreTraining."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import BertForPreTraining, BertTokenizerFast

    backend = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    backend.normalizer = normalizers.BertNormalizer(lowercase=True)
    backend.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    lines = [sentence for document in DOCUMENTS for sentence in document] * 3
    backend.train_from_iterator(lines, trainers.WordPieceTrainer(vocab_size=200, special_tokens=specials, show_progress=False))
    backend.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", 2), ("[SEP]", 3)]
    )
    tokenizer = BertTokenizerFast(tokenizer_object=backend)
    torch.manual_seed(0)
    return tokenizer, BertForPreTraining(tiny_bert_config(len(tokenizer), max_positions=32))


def test_encode_and_batch_pairs_for_the_collator(tiny_setup):
    from transformers import DataCollatorForLanguageModeling

    tokenizer, _ = tiny_setup
    pairs = pretraining.make_nsp_pairs(DOCUMENTS, seed=0)
    features = pretraining.encode_nsp_pairs(tokenizer, pairs, max_length=16)
    assert len(features) == len(pairs)
    first = features[0]
    assert first["next_sentence_label"] == pairs[0].label
    assert first["input_ids"][0] == tokenizer.cls_token_id
    assert first["token_type_ids"][-1] == 1 and first["token_type_ids"][0] == 0
    collator = DataCollatorForLanguageModeling(tokenizer, mlm_probability=0.5, seed=0)
    batches = pretraining.masked_batches(features, collator, batch_size=4, seed=0)
    assert [len(batch["input_ids"]) for batch in batches] == [4, 4, 2]
    assert len(pretraining.masked_batches(features, collator, batch_size=4, drop_last=True)) == 2
    for batch in batches:
        assert set(batch) >= {"input_ids", "attention_mask", "token_type_ids", "labels", "next_sentence_label"}
        chosen = batch["labels"] != -100
        assert not (chosen & (batch["attention_mask"] == 0)).any()  # padding is never a target
    labels_in_batches = sorted(int(label) for batch in batches for label in batch["next_sentence_label"])
    assert labels_in_batches == sorted(pair.label for pair in pairs)


def test_evaluate_counts_correct_predictions(tiny_setup):
    tokenizer, model = tiny_setup
    input_ids = torch.tensor([[2, 10, 11, 3, 12, 3]])
    labels = torch.full_like(input_ids, -100)
    labels[0, 1] = 10
    labels[0, 4] = 12
    batch = {"input_ids": input_ids, "attention_mask": torch.ones_like(input_ids),
             "token_type_ids": torch.tensor([[0, 0, 0, 0, 1, 1]]), "labels": labels,
             "next_sentence_label": torch.tensor([1])}
    model.eval()  # no dropout, as in evaluate
    with torch.no_grad():
        outputs = model(input_ids=input_ids, token_type_ids=batch["token_type_ids"])
    predicted = outputs.prediction_logits[0].argmax(-1)
    expected_mlm = ((predicted[1] == 10).float() + (predicted[4] == 12).float()).item() / 2
    expected_nsp = float(outputs.seq_relationship_logits.argmax(-1).item() == 1)
    model.train()
    result = pretraining.evaluate_pretraining(model, [batch])
    assert model.training  # evaluate puts the model back in the mode it found
    assert result["mlm_accuracy"] == pytest.approx(expected_mlm)
    assert result["nsp_accuracy"] == pytest.approx(expected_nsp)
    assert result["masked_tokens"] == 2 and result["pairs"] == 1
    log_probs = torch.log_softmax(outputs.prediction_logits[0], -1)
    assert result["mlm_loss"] == pytest.approx(-(log_probs[1, 10] + log_probs[4, 12]).item() / 2, rel=1e-4)
    nsp_log_probs = torch.log_softmax(outputs.seq_relationship_logits[0], -1)
    assert result["nsp_loss"] == pytest.approx(-nsp_log_probs[1].item(), rel=1e-4)
    empty = dict(batch, labels=torch.full_like(input_ids, -100))
    with pytest.raises(ValueError):
        pretraining.evaluate_pretraining(model, [empty])


def test_top_mask_tokens_returns_the_top_tokens(tiny_setup):
    tokenizer, model = tiny_setup
    sentence = f"a1. {tokenizer.mask_token} b2."
    top = pretraining.top_mask_tokens(model, tokenizer, sentence, top_k=3)
    inputs = tokenizer(sentence, return_tensors="pt")
    position = inputs["input_ids"][0].tolist().index(tokenizer.mask_token_id)
    model.eval()
    with torch.no_grad():
        logits = model(**inputs).prediction_logits[0, position]
    assert top == tokenizer.convert_ids_to_tokens(logits.topk(3).indices.tolist())
    with pytest.raises(ValueError):
        pretraining.top_mask_tokens(model, tokenizer, "no mask here")


def test_smooth_is_a_running_mean():
    assert plots.smooth([1, 2, 3, 4, 5], window=2) == [1.0, 1.5, 2.5, 3.5, 4.5]
    assert plots.smooth([4.0], window=10) == [4.0]
    with pytest.raises(ValueError):
        plots.smooth([1], window=0)


def test_plots_draw_losses_and_accuracies():
    figure = plots.plot_losses([5.0, 4.0, 3.0], [0.7, 0.69, 0.6], window=2, title="t")
    mlm_axis, nsp_axis = figure.axes
    assert list(mlm_axis.lines[0].get_ydata()) == [5.0, 4.0, 3.0]
    assert any(list(line.get_ydata()) == [math.log(2)] * 2 for line in nsp_axis.lines)
    before = {"mlm_accuracy": 0.01, "nsp_accuracy": 0.5}
    after = {"mlm_accuracy": 0.3, "nsp_accuracy": 0.8}
    figure = plots.plot_before_after(before, after)
    heights = [[bar.get_height() for bar in axis.patches] for axis in figure.axes]
    assert heights == [[0.01, 0.3], [0.5, 0.8]]
    assert figure.axes[1].get_ylim() == (0, 1)
    assert figure.axes[0].get_ylim()[1] == pytest.approx(0.39)  # small accuracies get a zoomed axis


def test_a_pretrained_mini_bert_saves_as_safetensors_and_reloads_the_same(tiny_setup, tmp_path):
    """Notebook 08 §10 saves its model with save_pretrained: safetensors weights, never a pickled .bin, and
    from_pretrained gives back the same weights and tokenizer (the repository's rule: never load a .bin)."""
    from transformers import BertForPreTraining, BertTokenizerFast

    tokenizer, model = tiny_setup
    model.save_pretrained(tmp_path)
    tokenizer.save_pretrained(tmp_path)
    assert (tmp_path / "model.safetensors").exists() and not list(tmp_path.glob("*.bin"))
    reloaded = BertForPreTraining.from_pretrained(tmp_path)
    for name, tensor in model.state_dict().items():
        assert torch.equal(tensor, reloaded.state_dict()[name]), name
    sentence = "a1 b2 c3."
    assert BertTokenizerFast.from_pretrained(tmp_path)(sentence)["input_ids"] == tokenizer(sentence)["input_ids"]
