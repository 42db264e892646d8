"""The precision switch (env.precision, training.mixed_precision) and what mixed precision leaves behind on
``trainer.model`` (training.without_autocast): the GPU's bf16 path, run on a CPU with autocast."""

import pytest
import torch

from lectureutils import env, training


def test_precision_reads_the_switch(monkeypatch):
    monkeypatch.delenv("LECTUREUTILS_PRECISION", raising=False)
    assert env.precision() == "auto"
    monkeypatch.setenv("LECTUREUTILS_PRECISION", " BF16 ")
    assert env.precision() == "bf16"
    monkeypatch.setenv("LECTUREUTILS_PRECISION", "fp8")
    with pytest.raises(ValueError, match="LECTUREUTILS_PRECISION='fp8'"):
        env.precision()


def test_bf16_switch_gives_cpu_autocast_and_fp32_switch_turns_gpu_precision_off(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setenv("LECTUREUTILS_PRECISION", "bf16")
    assert training.mixed_precision() == {"bf16": True, "use_cpu": True}
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda device=None: (7, 5))
    assert training.mixed_precision("cuda") == {"bf16": True}  # asked for: bf16 even on a T4
    monkeypatch.setenv("LECTUREUTILS_PRECISION", "fp16")
    assert training.mixed_precision("cuda") == {"fp16": True}
    with pytest.raises(ValueError, match="needs an NVIDIA GPU"):
        training.mixed_precision("cpu")
    monkeypatch.setenv("LECTUREUTILS_PRECISION", "fp32")
    assert training.mixed_precision("cuda") == {}
    monkeypatch.setenv("LECTUREUTILS_PRECISION", "auto")
    assert training.mixed_precision("cuda") == {"fp16": True}


def _train_tiny_classifier(tmp_path, tiny_bert_config, precision_settings):
    from datasets import Dataset
    from transformers import BertForSequenceClassification, Trainer, TrainingArguments

    torch.manual_seed(0)
    model = BertForSequenceClassification(tiny_bert_config(vocab_size=50, max_positions=16))
    generator = torch.Generator().manual_seed(1)
    rows = [{"input_ids": torch.randint(1, 50, (8,), generator=generator).tolist(), "labels": index % 2}
            for index in range(16)]
    arguments = TrainingArguments(output_dir=str(tmp_path / "run"), max_steps=2, per_device_train_batch_size=8,
                                  report_to="none", save_strategy="no", disable_tqdm=True, learning_rate=1e-3,
                                  dataloader_pin_memory=False,
                                  **precision_settings)
    trainer = Trainer(model=model, args=arguments, train_dataset=Dataset.from_list(rows))
    trainer.train()
    return trainer


def test_mixed_precision_leaves_autocast_on_trainer_model_and_trained_model_takes_it_off(
        tmp_path, tiny_bert_config, monkeypatch):
    from transformers import BertForSequenceClassification

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setenv("LECTUREUTILS_PRECISION", "bf16")
    trainer = _train_tiny_classifier(tmp_path, tiny_bert_config, training.mixed_precision())
    inputs = {"input_ids": torch.randint(1, 50, (4, 8), generator=torch.Generator().manual_seed(2))}
    trainer.model.save_pretrained(tmp_path / "saved")
    reloaded = BertForSequenceClassification.from_pretrained(tmp_path / "saved").eval()
    with torch.no_grad():
        wrapped = trainer.model.eval()(**inputs).logits
        after = reloaded(**inputs).logits
    # accelerate's wrapper is still there after train(): the model in memory computes in bf16 ...
    assert "_original_forward" in trainer.model.__dict__
    assert not torch.allclose(wrapped, after, rtol=1e-3, atol=0)  # bf16 keeps about 3 significant digits
    model = training.without_autocast(trainer)
    assert model is trainer.model and "_original_forward" not in model.__dict__
    with torch.no_grad():
        unwrapped = model(**inputs).logits
    # ... and without it, exactly what the reloaded checkpoint computes
    assert torch.allclose(unwrapped, after, rtol=1e-5, atol=1e-7)


def test_trained_model_changes_nothing_in_fp32(tmp_path, tiny_bert_config, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setenv("LECTUREUTILS_PRECISION", "auto")
    trainer = _train_tiny_classifier(tmp_path, tiny_bert_config, training.mixed_precision())
    forward = trainer.model.forward
    assert training.without_autocast(trainer).forward == forward
