"""``lectureutils.ner.settings.for_run``: notebook 10's run sizes in one call (issue 26, item 5), and the loader's
``CHECKPOINT`` sources (a saved folder or a Hub id)."""

import pytest

from lectureutils.ner import settings
from lectureutils.ner.inference import _checkpoint_source


def test_the_three_sizes(monkeypatch):
    monkeypatch.setattr("lectureutils.models.is_standin", lambda model: False)  # as with the real klue/bert-base
    quick, quick_limits = settings.for_run("quick", "klue/bert-base")
    class_size, class_limits = settings.for_run("class", "klue/bert-base")
    full, full_limits = settings.for_run("full", "klue/bert-base")
    assert quick.max_steps == 30 and quick.batch_size == 16 and quick_limits.sample
    assert class_size.epochs == 1 and class_size.max_steps == -1 and not class_limits.sample
    assert full == settings.HYPER_PARAMETERS and not full_limits.sample  # the lecture's settings
    assert {quick.learning_rate, class_size.learning_rate, full.learning_rate} == {5e-5}  # a real model keeps 5e-5


def test_a_standin_learns_faster_at_every_size():
    from lectureutils.models import is_standin

    if not is_standin("klue/bert-base"):
        pytest.skip("the real klue/bert-base is cached here")
    for size in ("quick", "class", "full"):
        hyper, _ = settings.for_run(size, "klue/bert-base")
        assert hyper.learning_rate == settings.STANDIN_LEARNING_RATE and hyper.warmup_ratio == 0.1
        assert hyper.max_steps == (settings.for_run("quick")[0].max_steps if size == "quick" else settings.STANDIN_STEPS)


def test_an_unknown_size_is_refused():
    with pytest.raises(ValueError, match="'huge'"):
        settings.for_run("huge")


def test_a_checkpoint_is_a_saved_folder_or_a_hub_id(tmp_path):
    assert _checkpoint_source("someone/klue-bert-ner") == "someone/klue-bert-ner"  # downloaded by from_pretrained
    with pytest.raises(FileNotFoundError, match="no config.json"):
        _checkpoint_source(tmp_path / "missing")
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "pytorch_model.bin").write_bytes(b"")
    with pytest.raises(FileNotFoundError, match="only safetensors"):
        _checkpoint_source(tmp_path)
