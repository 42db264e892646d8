"""``python -m lectureutils.finetune ner`` (lectureutils.ner.spec): a tiny offline run trains with the token
collator, scores with KLUE's metrics and saves safetensors that reload with KLUE-NER's labels (notebook 10 shows
the command; this test runs it)."""

import json

from lectureutils import finetune


def test_ner_is_registered_with_the_lectures_settings():
    from lectureutils.ner import settings, spec

    assert finetune.TASKS["ner"].package == "lectureutils.ner" and finetune.task_spec("ner") is spec.SPEC
    assert settings.MODEL == "klue/bert-base" and settings.HYPER_PARAMETERS.learning_rate == 5e-5
    args = finetune.parse_arguments(["ner", "--output", "x", "--sample", "--dev-file", "d.tsv", "--train-file", "t.tsv"])
    assert args.sample and str(args.dev_file) == "d.tsv" and args.batch_size == 32 and args.max_length == 128


def test_the_collator_pads_labels_with_minus_100():
    from lectureutils.models import load_tokenizer
    from lectureutils.ner import encode_sentences, spec
    from lectureutils.training import training_arguments

    tokenizer = load_tokenizer("klue/bert-base")
    rows = [{"text": "서울", "tags": ["B-LC", "I-LC"]}, {"text": "김도현 씨를 만났다", "tags": ["B-PS", "I-PS", "I-PS"] + ["O"] * 7}]
    args = finetune.parse_arguments(["ner", "--output", "x"])
    collate = spec.SPEC.collator(tokenizer, args, training_arguments("x", args.hyper))
    batch = collate(list(encode_sentences(rows, tokenizer, 32)))
    short = int(batch["attention_mask"].sum(1).argmin())
    assert batch["labels"].shape == batch["input_ids"].shape
    assert (batch["labels"][short][batch["attention_mask"][short] == 0] == -100).all()


def test_tiny_run_trains_scores_and_saves(tmp_path, capsys):
    from lectureutils.models import is_standin
    from lectureutils.ner import NER_ID2LABEL, extract_entities, load_tagger
    from lectureutils.training import checkpoint_files

    output = tmp_path / "ner"
    code = finetune.main(["ner", "--output", str(output), "--sample", "--max-steps", "2", "--batch-size", "4",
                          "--train-limit", "12", "--eval-limit", "6", "--max-length", "32"])
    assert code == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["task"] == "ner" and summary["steps"] == 2
    assert summary["train_sentences"] == 12 and summary["dev_sentences"] == 6
    assert 0.0 <= summary["entity_macro_f1"] <= 100.0 and 0.0 <= summary["char_macro_f1"] <= 100.0
    files = checkpoint_files(output)
    assert "model.safetensors" in files and "training_args.json" in files
    assert not any(name.endswith((".bin", ".pt", ".pth")) for name in files)
    saved = json.loads((output / "training_args.json").read_text())
    assert saved["summary"] == summary
    model, tokenizer = load_tagger(output)
    assert model.config.id2label == NER_ID2LABEL  # the 13 labels travel with the saved folder
    assert is_standin(model) == is_standin("klue/bert-base") == is_standin(output)  # and so does stand-in status
    text = "어제 서울에서 김도현 씨를 만났다"
    for entity in extract_entities(text, model, tokenizer):
        assert text[entity["start"]:entity["end"]] == entity["text"]
