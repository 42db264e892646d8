"""Tests for lectureutils.training: hyper-parameters, TrainingArguments, dynamic padding, checkpoints."""

import json
import types

import pytest
import torch

from lectureutils import batching, corpus, curves, env, training


@pytest.fixture(scope="module")
def tokenizer():
    from lectureutils.models import load_tokenizer

    return load_tokenizer("beomi/kcbert-base")


def tiny_classifier(tokenizer, seed=0):
    from transformers import BertConfig, BertForSequenceClassification

    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64,
        max_position_embeddings=64, num_labels=2, pad_token_id=tokenizer.pad_token_id,
    )
    return BertForSequenceClassification(config)


def test_lecture_hyper_parameters_are_the_defaults(monkeypatch):
    monkeypatch.delenv("LECTUREUTILS_SEED", raising=False)
    hyper = training.HyperParameters()
    assert (hyper.learning_rate, hyper.batch_size, hyper.epochs, hyper.max_length, hyper.seed) == (5e-5, 32, 3, 128, 7)
    assert hyper.max_steps == -1
    changed = hyper.with_changes(max_steps=40, learning_rate=1e-3)
    assert changed.max_steps == 40 and changed.learning_rate == 1e-3 and hyper.max_steps == -1
    assert changed.as_dict()["batch_size"] == 32
    monkeypatch.setenv("LECTUREUTILS_SEED", "11")  # the seed's one owner is lectureutils.env
    assert training.HyperParameters().seed == 11 and training.HyperParameters(seed=3).seed == 3


@pytest.mark.parametrize(
    "bad", [dict(learning_rate=0), dict(batch_size=0), dict(max_length=2), dict(epochs=0), dict(warmup_ratio=1.0)]
)
def test_bad_hyper_parameters_are_refused(bad):
    with pytest.raises(ValueError):
        training.HyperParameters(**bad)


def test_training_arguments_carry_the_hyper_parameters(tmp_path):
    hyper = training.HyperParameters(max_steps=30)
    args = training.training_arguments(tmp_path, hyper)
    assert args.learning_rate == 5e-5
    assert args.per_device_train_batch_size == 32
    assert args.seed == 7 and args.data_seed == 7
    assert args.max_steps == 30
    assert args.train_sampling_strategy == "group_by_length"
    assert args.save_strategy == "no"
    assert not args.fp16 and not args.bf16  # this machine has no GPU
    assert args.logging_steps == 1  # about 20 points over 30 steps
    random = training.training_arguments(tmp_path, hyper, group_by_length=False, evaluate_every=10, seed=3)
    assert random.train_sampling_strategy == "random"
    assert random.eval_strategy == "steps" and random.eval_steps == 10
    assert random.seed == 3  # overrides win


def test_several_cpu_processes_use_gloo_and_cpu(tmp_path, monkeypatch):
    monkeypatch.setenv("WORLD_SIZE", "2")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    # TrainingArguments itself would start the process group here, so check what it is given
    settings = training.training_settings(tmp_path, training.HyperParameters())
    assert settings["use_cpu"] is True and settings["ddp_backend"] == "gloo"
    assert training.world_size() == 2
    monkeypatch.setenv("RANK", "1")
    assert not training.is_main_process()
    monkeypatch.setenv("RANK", "0")
    assert training.is_main_process()


def test_mixed_precision_only_on_an_nvidia_gpu(monkeypatch):
    """Issue 19.3: bf16 only from compute capability 8.0; a T4 (7.5) reports bf16 support through emulation."""
    assert training.mixed_precision("cpu") == {}
    assert training.mixed_precision("mps") == {}
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *args, **kwargs: True)  # as on a T4
    capability = {"value": (8, 0)}  # an A100
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda device=None: capability["value"])
    assert training.mixed_precision("cuda") == {"bf16": True}
    assert training.mixed_precision() == {"bf16": True}
    capability["value"] = (9, 0)  # an H100 / H200
    assert training.mixed_precision("cuda:0") == {"bf16": True}
    capability["value"] = (7, 5)  # a T4: emulated bf16 would be slow
    assert training.mixed_precision("cuda") == {"fp16": True}
    capability["value"] = (6, 0)  # a P100
    assert training.mixed_precision("cuda") == {"fp16": True}
    assert training.mixed_precision("cpu") == {}


def test_precision_name_and_take():
    import pandas as pd

    assert training.precision_name(types.SimpleNamespace(bf16=True, fp16=False)) == "bf16"
    assert training.precision_name(types.SimpleNamespace(bf16=False, fp16=True)) == "fp16"
    assert training.precision_name(types.SimpleNamespace()) == "fp32"
    frame = pd.DataFrame({"x": range(10)})
    assert corpus.take(frame, None) is frame and len(corpus.take(frame, 3)) == 3
    assert list(corpus.take(frame, 3)["x"]) == list(corpus.take(frame, 3)["x"])  # seeded
    with pytest.raises(ValueError):
        corpus.take(frame, 0)
    rows = [{"n": n} for n in range(10)]
    assert corpus.take(rows, 3) == corpus.take(rows, 3, seed=env.seed()) != corpus.take(rows, 3, seed=env.seed() + 1)
    assert len(corpus.take(rows, 3)) == 3 and corpus.take(rows, 10) is rows


def test_evaluation_interval_gives_at_least_five_points():
    """Issue 16.7: the evaluation interval follows the number of training steps."""
    hyper = training.HyperParameters()
    for examples, batch, epochs, steps in [(150_000, 32, 3, -1), (180, 16, 3, 120), (134, 32, 3, -1), (40, 8, 1, -1)]:
        run = hyper.with_changes(batch_size=batch, epochs=epochs, max_steps=steps)
        total = curves.training_steps(examples, run)
        interval = curves.evaluation_interval(examples, run)
        assert total // interval >= 5, (examples, total, interval)
    assert curves.training_steps(150_000, hyper) == 3 * 4688
    assert curves.training_steps(180, hyper.with_changes(max_steps=120)) == 120


def test_padding_collator_pads_each_batch_to_its_longest(tokenizer):
    collate = batching.padding_collator(tokenizer)
    features = [tokenizer(text) for text in ["재밌다", "정말 최고의 영화였다 배우들 연기도 좋고"]]
    lengths = [len(feature["input_ids"]) for feature in features]
    batch = collate(features)
    assert batch["input_ids"].shape == (2, max(lengths))
    assert batch["attention_mask"].sum(dim=1).tolist() == lengths
    short = lengths.index(min(lengths))
    assert (batch["input_ids"][short, min(lengths):] == tokenizer.pad_token_id).all()
    assert batching.padding_collator(tokenizer, pad_to_multiple_of=8)(features)["input_ids"].shape[1] % 8 == 0


def test_make_batches_cover_every_example_once():
    lengths = [(i * 37) % 50 + 3 for i in range(300)]
    for strategy in ("sequential", "random", "group_by_length", "transformers_group_by_length"):
        batches = batching.make_batches(lengths, 32, strategy)
        flat = [index for batch in batches for index in batch]
        assert sorted(flat) == list(range(300)), strategy
        assert all(len(batch) <= 32 for batch in batches)
    assert batching.make_batches(lengths, 32, "sequential")[0] == list(range(32))
    seed = env.seed()  # the default: the session's seed
    assert batching.make_batches(lengths, 32, "random") == batching.make_batches(lengths, 32, "random", seed=seed)
    assert batching.make_batches(lengths, 32, "random") != batching.make_batches(lengths, 32, "random", seed=seed + 1)
    with pytest.raises(ValueError):
        batching.make_batches(lengths, 32, "shortest-first")


def test_padding_waste_by_hand():
    lengths = [2, 4, 3, 3]
    dynamic = batching.padding_waste(lengths, [[0, 1], [2, 3]])
    assert dynamic == {"real_tokens": 12, "padded_tokens": 14, "waste": pytest.approx(2 / 14)}
    fixed = batching.padding_waste(lengths, [[0, 1], [2, 3]], pad_to=5)
    assert fixed["padded_tokens"] == 20 and fixed["waste"] == pytest.approx(0.4)
    with pytest.raises(ValueError):
        batching.padding_waste(lengths, [[0, 1]], pad_to=3)


def heavy_tailed_lengths(count=1000, seed=0):
    torch.manual_seed(seed)
    return torch.distributions.LogNormal(2.8, 0.6).sample((count,)).clamp(4, 128).int().tolist()


def test_length_grouping_wastes_less_than_random_batches():
    lengths = heavy_tailed_lengths()
    random = batching.padding_waste(lengths, batching.make_batches(lengths, 32, "random"))["waste"]
    grouped = batching.padding_waste(lengths, batching.make_batches(lengths, 32, "group_by_length"))["waste"]
    fixed = batching.padding_waste(lengths, batching.make_batches(lengths, 32, "random"), pad_to=128)["waste"]
    assert grouped < 0.10 < random < fixed


def test_length_grouped_indices_shuffle_batches_and_keep_the_partial_one_last():
    lengths = heavy_tailed_lengths(1000)
    order = batching.length_grouped_indices(lengths, 32, generator=torch.Generator().manual_seed(1))
    assert sorted(order) == list(range(1000))
    batches = [order[start:start + 32] for start in range(0, 1000, 32)]
    assert len(batches[-1]) == 1000 % 32  # the one partial batch is last: every other batch is full
    maxima = [max(lengths[i] for i in batch) for batch in batches[:-1]]
    assert maxima[0] == max(maxima)  # the full batch with the longest review first
    maxima = [max(lengths[i] for i in batch) for batch in batches[1:-1]]
    assert maxima != sorted(maxima, reverse=True) and maxima != sorted(maxima)  # not longest-to-shortest
    other = batching.length_grouped_indices(lengths, 32, generator=torch.Generator().manual_seed(2))
    assert other != order
    assert batching.length_grouped_indices([], 32) == []
    assert sorted(batching.length_grouped_indices([5, 3, 9], 32)) == [0, 1, 2]


def test_trainer_trains_saves_safetensors_and_logs(tokenizer, tmp_path):
    from datasets import Dataset

    texts = ["최고의 영화", "정말 재밌다 강추", "돈 아깝다", "지루하고 별로", "배우 연기 좋다", "최악 시간 낭비"] * 4
    labels = [1, 1, 0, 0, 1, 0] * 4
    dataset = Dataset.from_dict({"text": texts, "label": labels}).map(
        lambda batch: tokenizer(batch["text"]), batched=True, remove_columns=["text"]
    )
    model = tiny_classifier(tokenizer)
    args = training.training_arguments(
        tmp_path / "run", training.HyperParameters(batch_size=4, max_steps=6, learning_rate=1e-3),
        evaluate_every=3, logging_steps=1, disable_tqdm=True,
    )
    trainer = training.make_trainer(model, args, tokenizer, dataset, dataset)
    assert model.accepts_loss_kwargs is False  # the loss is not multiplied by the number of processes
    assert type(trainer._get_train_sampler()).__name__ == "TightLengthGroupedSampler"
    trainer.train()
    predicted = trainer.predict(dataset)  # in the data set's order, although training groups by length
    assert predicted.label_ids.tolist() == labels
    assert predicted.predictions.shape == (len(labels), 2)
    train_log, eval_log = curves.log_history(trainer)
    assert list(train_log["step"]) == [1, 2, 3, 4, 5, 6]
    assert (train_log["loss"] > 0).all()
    assert list(eval_log["step"]) == [3, 6] and "eval_loss" in eval_log

    folder = training.save_checkpoint(trainer, tmp_path / "saved", extra={"note": "test"})
    files = training.checkpoint_files(folder)
    assert "model.safetensors" in files and "config.json" in files and "tokenizer.json" in files
    assert not [name for name in files if name.endswith((".bin", ".pt", ".pth", ".pkl"))], files
    record = json.loads((folder / training.ARGUMENTS_FILE).read_text(encoding="utf-8"))
    assert record["note"] == "test" and record["training_arguments"]["learning_rate"] == 1e-3

    from transformers import AutoModelForSequenceClassification

    reloaded = AutoModelForSequenceClassification.from_pretrained(folder, use_safetensors=True)
    for name, tensor in model.state_dict().items():
        assert torch.equal(tensor.cpu(), reloaded.state_dict()[name]), name


def test_make_trainer_takes_a_collator_and_leaves_a_language_model_its_token_weighted_loss(tokenizer, tmp_path):
    from transformers import DataCollatorForTokenClassification, DataCollatorWithPadding, GPT2Config, GPT2LMHeadModel

    args = training.training_arguments(tmp_path, training.HyperParameters(max_steps=1))
    classifier = tiny_classifier(tokenizer)
    default = training.make_trainer(classifier, args, tokenizer)
    assert isinstance(default.data_collator, DataCollatorWithPadding) and default.data_collator.pad_to_multiple_of is None
    assert classifier.accepts_loss_kwargs is False and not default.model_accepts_loss_kwargs
    collator = DataCollatorForTokenClassification(tokenizer)
    assert training.make_trainer(classifier, args, tokenizer, collator=collator).data_collator is collator
    language_model = GPT2LMHeadModel(GPT2Config(vocab_size=len(tokenizer), n_embd=16, n_layer=1, n_head=2, n_positions=32))
    trainer = training.make_trainer(language_model, args, tokenizer, collator=collator)
    assert trainer.model_accepts_loss_kwargs  # GPT's loss weights every token with num_items_in_batch
    assert type(trainer).__name__ == "LengthGroupedTrainer"
    assert batching.padding_multiple(args) is None
    assert batching.padding_multiple(types.SimpleNamespace(fp16=False, bf16=True)) == 8


def test_log_history_and_curves_from_a_plain_list():
    import matplotlib

    matplotlib.use("Agg")
    history = [
        {"loss": 0.7, "step": 1, "epoch": 0.5, "learning_rate": 1e-3, "grad_norm": 1.0},
        {"loss": 0.5, "step": 2, "epoch": 1.0, "learning_rate": 5e-4, "grad_norm": 1.0},
        {"eval_loss": 0.6, "eval_accuracy": 0.7, "step": 2, "epoch": 1.0},
        {"train_runtime": 1.0, "train_loss": 0.6, "step": 2, "epoch": 1.0},
    ]
    train_log, eval_log = curves.log_history(history)
    assert list(train_log["loss"]) == [0.7, 0.5]  # the final summary row is not a loss point
    assert list(eval_log["eval_accuracy"]) == [0.7]
    fig = curves.plot_training_curves(history, reference=0.65, reference_label="TF-IDF")
    loss_ax, metric_ax = fig.axes
    assert len(loss_ax.lines) == 2 and len(metric_ax.lines) == 2
    assert metric_ax.lines[1].get_ydata()[0] == 0.65


def test_padding_waste_of_what_the_trainer_sees_never_raises_on_long_reviews():
    """Issue 19.4: lengths cut at max_length (what the Trainer sees) fit a fixed padding to max_length."""
    lengths = [12, 140, 30, 129, 64, 7]
    batches = batching.make_batches(lengths, 2, "random")
    with pytest.raises(ValueError):
        batching.padding_waste(lengths, batches, pad_to=128)
    seen = [min(int(length), 128) for length in lengths]
    assert max(seen) == 128 and seen[0] == 12
    fixed = batching.padding_waste(seen, batches, pad_to=128)
    assert fixed["padded_tokens"] == 128 * len(lengths) and fixed["real_tokens"] == sum(seen)


def test_tight_grouping_wastes_no_more_padding_than_transformers_on_small_data():
    import random

    rng = random.Random(7)
    lengths = [min(128, int(rng.lognormvariate(3.0, 0.6))) + 2 for _ in range(600)]
    ours = batching.padding_waste(lengths, batching.make_batches(lengths, 16, "group_by_length"))
    stock = batching.padding_waste(lengths, batching.make_batches(lengths, 16, "transformers_group_by_length"))
    shuffled = batching.padding_waste(lengths, batching.make_batches(lengths, 16, "random"))
    assert ours["waste"] <= stock["waste"] < shuffled["waste"]
