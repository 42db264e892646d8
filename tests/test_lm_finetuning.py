"""Tests of lectureutils.lm_finetuning (notebook 11): control codes, label masking, packing, metrics, decoding."""

import math

import pytest
import torch

from lectureutils.training import IGNORE_INDEX
from lectureutils.lm_finetuning import (
    CONTROL_CODES,
    PackedCollator,
    PaddingCollator,
    check_decoding,
    control_accuracy,
    control_ids,
    count_tokens,
    distinct_n,
    encode_review,
    generate_review,
    generate_reviews,
    load_generator,
    load_judge,
    pack_examples,
    pad_batch,
    pad_id,
    perplexity,
    repeated_ngram_rate,
    sentiment_name,
    tfidf_judge,
    tokenize_reviews,
)

REVIEWS = ["감동 그자체.. 눈물 콧물 다 쏟음", "오글거리는 로맨스 실망이다", "스토리가 탄탄하고 배우들 연기가 훌륭함",
           "최악", "시간 아깝다 진짜 돈 아까운 영화"]
SENTIMENTS = ["positive", "negative", "positive", "negative", "negative"]


@pytest.fixture(scope="module")
def tokenizer():
    import os

    os.environ["LECTUREUTILS_OFFLINE"] = "1"  # module-scoped fixture: before the function-scoped offline fixture
    from lectureutils.models import load_tokenizer

    return load_tokenizer("skt/kogpt2-base-v2")


@pytest.fixture(scope="module")
def tiny_model(tokenizer):
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(0)
    config = GPT2Config(vocab_size=len(tokenizer), n_positions=256, n_embd=32, n_layer=2, n_head=2,
                        eos_token_id=tokenizer.eos_token_id, pad_token_id=pad_id(tokenizer))
    return GPT2LMHeadModel(config).eval()


def examples(tokenizer, max_length=128):
    return [encode_review(tokenizer, review, sentiment, max_length) for review, sentiment in zip(REVIEWS, SENTIMENTS)]


# --- corpus -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value, name", [("positive", "positive"), ("긍정", "positive"), (1, "positive"),
                                         (" Negative ", "negative"), ("부정", "negative"), (0, "negative")])
def test_sentiment_names(value, name):
    assert sentiment_name(value) == name


@pytest.mark.parametrize("value", ["postive", "neutral", 2, "", None])
def test_unknown_sentiment_is_an_error(value):
    with pytest.raises(ValueError, match="Unknown sentiment"):
        sentiment_name(value)
    with pytest.raises(TypeError):
        sentiment_name(True)


# --- features: control codes and labels -------------------------------------------------------------------


def test_control_code_is_plain_text_at_the_start(tokenizer):
    positive, negative = control_ids(tokenizer, "긍정"), control_ids(tokenizer, "negative")
    assert positive != negative and positive and negative
    assert tokenizer.decode(negative).strip() == CONTROL_CODES["negative"]
    # the offline stand-in's BPE, trained on the project's text, has never seen 긍 and writes <unk> for it;
    # the real KoGPT2 (51,200 tokens) knows it. Either way the code is fixed ids, different from the other.
    assert tokenizer.decode(positive).strip().replace(tokenizer.unk_token, "긍") == CONTROL_CODES["positive"]
    for review in REVIEWS:  # the same ids whatever the review's first word
        assert encode_review(tokenizer, review, 1)["input_ids"][: len(positive)] == positive
        assert encode_review(tokenizer, review, 0)["input_ids"][: len(negative)] == negative


def test_labels_keep_exactly_the_review_tokens_and_eos(tokenizer):
    for review, sentiment in zip(REVIEWS, SENTIMENTS):
        example = encode_review(tokenizer, review, sentiment)
        review_ids = tokenizer(review, add_special_tokens=False)["input_ids"]
        code = control_ids(tokenizer, sentiment)
        kept = [label for label in example["labels"] if label != IGNORE_INDEX]
        assert kept == review_ids + [tokenizer.eos_token_id]
        assert example["labels"][: len(code)] == [IGNORE_INDEX] * len(code)
        assert example["input_ids"] == code + review_ids + [tokenizer.eos_token_id]


def test_truncation_keeps_the_code_and_the_eos(tokenizer):
    long_review = " ".join(REVIEWS * 10)
    example = encode_review(tokenizer, long_review, "positive", max_length=24)
    assert len(example["input_ids"]) == 24
    assert example["input_ids"][-1] == tokenizer.eos_token_id
    with pytest.raises(ValueError, match="no room"):
        encode_review(tokenizer, long_review, "positive", max_length=len(control_ids(tokenizer, 1)) + 1)
    with pytest.raises(ValueError, match="non-empty"):
        encode_review(tokenizer, "  ", "positive")


def test_tokenize_reviews_from_a_frame(tokenizer):
    import pandas as pd

    frame = pd.DataFrame({"document": REVIEWS, "sentiment": SENTIMENTS})
    dataset = tokenize_reviews(frame, tokenizer)
    assert dataset[3] == encode_review(tokenizer, REVIEWS[3], SENTIMENTS[3])
    with pytest.raises(KeyError):
        tokenize_reviews(frame.rename(columns={"sentiment": "label"}), tokenizer)


def test_padding_masks_padding_out_of_the_loss(tokenizer):
    batch = PaddingCollator(tokenizer)(examples(tokenizer))
    lengths = [len(example["input_ids"]) for example in examples(tokenizer)]
    assert batch["input_ids"].shape == (len(REVIEWS), max(lengths))
    assert batch["attention_mask"].sum(dim=1).tolist() == lengths
    assert (batch["labels"][batch["attention_mask"] == 0] == IGNORE_INDEX).all()
    fixed = PaddingCollator(tokenizer, pad_to=128)(examples(tokenizer))
    assert fixed["input_ids"].shape[1] == 128
    assert count_tokens(fixed)["useful"] == count_tokens(batch)["useful"]
    with pytest.raises(ValueError, match="shorter"):
        pad_batch(examples(tokenizer), 0, pad_to=4)


# --- features: packing -----------------------------------------------------------------------------------


def test_packing_boundaries(tokenizer):
    items = examples(tokenizer) * 4
    block_size = 48
    blocks = pack_examples(items, block_size, pad_id(tokenizer))
    assert all(len(block[key]) == block_size for block in blocks for key in ("input_ids", "labels", "position_ids"))
    # reading the blocks back by their position restarts gives every example, whole and in order
    recovered = []
    for block in blocks:
        starts = [i for i, position in enumerate(block["position_ids"]) if position == 0] + [block_size]
        for start, end in zip(starts, starts[1:]):
            segment = block["input_ids"][start:end]
            if set(segment) == {pad_id(tokenizer)}:  # the padding tail
                assert set(block["labels"][start:end]) == {IGNORE_INDEX}
                continue
            recovered.append({"input_ids": segment, "labels": block["labels"][start:end]})
    assert recovered == items
    for example in recovered:  # control code first, EOS last, in every block
        code = control_ids(tokenizer, "positive"), control_ids(tokenizer, "negative")
        assert example["input_ids"][: len(code[0])] == code[0] or example["input_ids"][: len(code[1])] == code[1]
        assert example["input_ids"][-1] == tokenizer.eos_token_id
    assert sum(count_tokens(PackedCollator()([b]))["useful"] for b in blocks) == sum(
        sum(label != IGNORE_INDEX for label in example["labels"]) for example in items)
    with pytest.raises(ValueError, match="more than block_size"):
        pack_examples(items, 8, pad_id(tokenizer))


def test_packed_reviews_do_not_see_each_other(tokenizer, tiny_model):
    items = examples(tokenizer)
    separate_sum = 0.0
    count = 0
    with torch.no_grad():
        for example in items:
            batch = pad_batch([example], pad_id(tokenizer))
            loss = tiny_model(**batch, use_cache=False).loss
            tokens = sum(label != IGNORE_INDEX for label in example["labels"][1:])
            separate_sum += float(loss) * tokens
            count += tokens
        [block] = pack_examples(items, 128, pad_id(tokenizer))
        batch = PackedCollator()([block])
        assert batch["use_cache"] is False
        packed = float(tiny_model(**batch).loss)
        leaky = float(tiny_model(**{**batch, "use_cache": True}).loss)  # transformers ignores the restarts
        naive = float(tiny_model(input_ids=batch["input_ids"], labels=batch["labels"]).loss)  # no restarts at all
    assert packed == pytest.approx(separate_sum / count, abs=1e-5)
    assert abs(leaky - packed) > 1e-6 and abs(naive - packed) > 1e-6


# --- metrics ---------------------------------------------------------------------------------------------


def test_control_accuracy_on_hand_made_cases():
    result = control_accuracy(["positive", "positive", "negative", "negative"], [1, 0, 0, 0])
    assert result == {"positive": 0.5, "negative": 1.0, "overall": 0.75}
    assert control_accuracy(["긍정"] * 3, ["positive"] * 3)["overall"] == 1.0
    assert math.isnan(control_accuracy(["긍정"], ["긍정"])["negative"])
    with pytest.raises(ValueError):
        control_accuracy(["positive"], [])
    with pytest.raises(ValueError):
        control_accuracy(["happy"], [1])


def test_distinct_n_on_hand_made_cases():
    assert distinct_n([["a", "b", "c"], ["a", "b", "d"]], 1) == pytest.approx(4 / 6)
    assert distinct_n([["a", "b", "c"], ["a", "b", "d"]], 2) == pytest.approx(3 / 4)
    assert distinct_n(["정말 재밌다", "정말 재밌다"], 1) == pytest.approx(2 / 4)
    assert distinct_n([[1, 2, 3, 4]], 2) == 1.0
    assert distinct_n([["a"]], 2) == 0.0
    with pytest.raises(TypeError):
        distinct_n("정말 재밌다", 1)
    with pytest.raises(ValueError):
        distinct_n([["a"]], 0)


def test_repeated_ngram_rate_on_hand_made_cases():
    assert repeated_ngram_rate([[1, 2, 3, 4, 5]], 2) == 0.0
    assert repeated_ngram_rate([[1, 2, 1, 2, 1, 2]], 2) == pytest.approx(3 / 5)  # (1,2)x3, (2,1)x2: 3 repeats of 5
    # repeats are counted within a sample, never across samples
    assert repeated_ngram_rate([[1, 2, 3], [1, 2, 3]], 2) == 0.0
    assert repeated_ngram_rate([[1]], 3) == 0.0


def test_perplexity_is_exp_of_the_model_loss(tokenizer, tiny_model):
    example = encode_review(tokenizer, REVIEWS[0], "positive")
    batch = pad_batch([example], pad_id(tokenizer))
    with torch.no_grad():
        loss = float(tiny_model(**batch).loss)
    assert perplexity(tiny_model, [example], pad_id(tokenizer)) == pytest.approx(math.exp(loss), rel=1e-4)
    # batching and padding do not change it
    items = examples(tokenizer)
    assert perplexity(tiny_model, items, pad_id(tokenizer), batch_size=2) == pytest.approx(
        perplexity(tiny_model, items, pad_id(tokenizer), batch_size=5), rel=1e-5)


def test_tfidf_judge_and_its_fallback(tmp_path):
    import pandas as pd

    frame = pd.DataFrame({"document": ["최고 재밌다", "정말 최고", "재밌다 최고다", "최악 지루", "지루하다 최악", "정말 최악"],
                          "label": [1, 1, 1, 0, 0, 0]})
    judge = tfidf_judge(frame)
    assert judge.predict(["최고다", "최악이다"]).tolist() == [1, 0]
    predict, description = load_judge(frame, checkpoint=tmp_path / "missing")
    assert "TF-IDF" in description and predict(["최고", "최악"]) == [1, 0]
    with pytest.raises(ValueError, match="both sentiments"):
        tfidf_judge(frame[frame.label == 1])


# --- inference -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("settings, error", [
    ({"temperature": 0.0, "do_sample": True}, ValueError),
    ({"top_p": 1.5, "do_sample": True}, ValueError),
    ({"top_k": -1, "do_sample": True}, ValueError),
    ({"top_k": 50}, ValueError),  # without do_sample generate would ignore it
    ({"repetition_penalty": 0}, ValueError),
    ({"max_new_tokens": 0}, ValueError),
    ({"num_beams": 2.5}, ValueError),
    ({"temprature": 0.7}, TypeError),
])
def test_bad_decoding_settings_are_errors(settings, error):
    with pytest.raises(error):
        check_decoding(**settings)


def test_check_decoding_fills_defaults():
    assert check_decoding() == {"max_new_tokens": 40, "do_sample": False}
    assert check_decoding(do_sample=True, top_p=0.9)["top_p"] == 0.9


def test_generate_review(tokenizer, tiny_model):
    text = generate_review("긍정", tiny_model, tokenizer, max_new_tokens=8)
    assert isinstance(text, str)
    texts = generate_reviews("negative", tiny_model, tokenizer, 3, seed=1, do_sample=True, top_k=20, max_new_tokens=8)
    assert len(texts) == 3
    assert texts == generate_reviews("negative", tiny_model, tokenizer, 3, seed=1, do_sample=True, top_k=20, max_new_tokens=8)
    assert generate_reviews("부정", tiny_model, tokenizer, 2, max_new_tokens=5) == [
        generate_review("부정", tiny_model, tokenizer, max_new_tokens=5)] * 2
    with pytest.raises(ValueError, match="Unknown sentiment"):
        generate_review("neutral", tiny_model, tokenizer)
    with pytest.raises(ValueError, match="do_sample"):
        generate_review("긍정", tiny_model, tokenizer, top_p=0.9)


def test_load_generator_is_safetensors_only(tmp_path, tokenizer, tiny_model):
    with pytest.raises(FileNotFoundError, match="config.json"):
        load_generator(tmp_path)
    tiny_model.config.to_json_file(tmp_path / "config.json")
    (tmp_path / "pytorch_model.bin").write_bytes(b"not loaded")
    with pytest.raises(FileNotFoundError, match="safetensors"):
        load_generator(tmp_path)
    saved = tmp_path / "saved"
    tiny_model.save_pretrained(saved)
    tokenizer.save_pretrained(saved)
    model, reloaded = load_generator(saved)
    assert reloaded(REVIEWS[0])["input_ids"] == tokenizer(REVIEWS[0])["input_ids"]
    assert generate_review(1, model, reloaded, max_new_tokens=6) == generate_review(1, tiny_model, tokenizer, max_new_tokens=6)


def test_the_corpus_is_notebook_05s_nsmc():
    from lectureutils.lm_finetuning import load_reviews

    frame = load_reviews("train", sample=True, limit=20, seed=1)
    assert list(frame.columns) == ["document", "label", "sentiment"] and len(frame) == 20
    assert (frame.label == frame.sentiment.map({"negative": 0, "positive": 1})).all()
    assert frame.equals(load_reviews("train", sample=True, limit=20, seed=1))


def test_predict_batch_keeps_the_order(tokenizer, tiny_model):
    from lectureutils.lm_finetuning import predict_batch

    reviews = predict_batch(["긍정", 0, "positive"], tiny_model, tokenizer, max_new_tokens=5)
    assert reviews[0] == reviews[2] == generate_review("positive", tiny_model, tokenizer, max_new_tokens=5)
    assert reviews[1] == generate_review("negative", tiny_model, tokenizer, max_new_tokens=5)
    with pytest.raises(ValueError, match="position 1"):
        predict_batch(["긍정", "meh"], tiny_model, tokenizer)
    with pytest.raises(TypeError):
        predict_batch("긍정", tiny_model, tokenizer)


def test_the_runner_loads_a_causal_lm():
    from types import SimpleNamespace

    from lectureutils.lm_finetuning.spec import SPEC
    from lectureutils.models import is_standin

    model = SPEC.load_model(SimpleNamespace(model="skt/kogpt2-base-v2"), None)
    assert type(model).__name__ == "GPT2LMHeadModel" and is_standin(model)


# ---------------------------------------------------------------- RUN_SIZE and CHECKPOINT (notebook 11 Parameters, §4)


def test_for_run_sizes_and_the_standin_learning_rate(monkeypatch):
    """Issue 26.5: one call gives each RUN_SIZE's hyper-parameters and data limits, and owns the stand-in's rate."""
    import lectureutils.models
    from lectureutils import env
    from lectureutils.lm_finetuning import settings

    monkeypatch.setattr(lectureutils.models, "is_standin", lambda obj: obj == "a/stand-in")
    monkeypatch.setattr(lectureutils.models, "announce", lambda resolved: None)
    monkeypatch.setattr(lectureutils.models, "resolve", lambda name: None)
    (quick, quick_limits), (in_class, class_limits), (full, full_limits) = (
        settings.RUNS.for_run(size, "a/real-model") for size in env.RUN_SIZES)
    assert quick_limits.sample and not class_limits.sample and not full_limits.sample
    assert quick.max_steps > 0 and in_class.max_steps == full.max_steps == -1 and full.epochs == 1
    assert 0 < class_limits.train_reviews < 150_000 and full_limits.train_reviews is None
    assert {quick.learning_rate, in_class.learning_rate, full.learning_rate} == {5e-5}  # the lecture's
    assert quick.batch_size < in_class.batch_size == full.batch_size and quick.warmup_ratio == 0.1
    for size in env.RUN_SIZES:
        hyper, limits = settings.RUNS.for_run(size, "a/stand-in")
        assert (hyper.learning_rate, hyper.max_steps) == (1e-3, 60)
        assert limits == settings.RUNS.sizes[size][1]
    with pytest.raises(ValueError, match="use one of 'quick', 'class', 'full'"):
        settings.RUNS.for_run("medium", "a/real-model")


def test_load_generator_takes_a_hub_id_when_no_such_folder_exists(monkeypatch, tmp_path):
    """A CHECKPOINT may be a fine-tuned model's Hub id: loaded with from_pretrained, safetensors only."""
    import transformers

    calls = []

    class Loaded:
        def to(self, device):
            calls.append(device)
            return self

        def eval(self):
            return self

    monkeypatch.setattr(transformers.AutoModelForCausalLM, "from_pretrained",
                        lambda source, **options: calls.append((source, options)) or Loaded())
    monkeypatch.setattr(transformers.AutoTokenizer, "from_pretrained", lambda source, **options: f"tokenizer {source}")
    monkeypatch.chdir(tmp_path)
    model, tokenizer = load_generator("someone/kogpt2-nsmc", device="cpu")
    assert calls == [("someone/kogpt2-nsmc", {"use_safetensors": True}), "cpu"]
    assert tokenizer == "tokenizer someone/kogpt2-nsmc"
    (tmp_path / "someone" / "kogpt2-nsmc").mkdir(parents=True)
    with pytest.raises(FileNotFoundError, match="config.json"):  # a folder of that name is a local checkpoint
        load_generator("someone/kogpt2-nsmc")
