"""RUN_SIZE (issue 26, item 5): "quick" in fast mode, and "class"/"full" stop at once on a CPU with a real model."""

import pytest

from lectureutils import env
from lectureutils.session import RunSizeError, run_size

REAL = "a-real/model-not-in-the-catalogue"
STANDIN = "beomi/kcbert-base"  # offline without a cached copy: its stand-in


@pytest.fixture(autouse=True)
def no_overrides(monkeypatch):
    monkeypatch.delenv("LECTUREUTILS_FAST", raising=False)
    monkeypatch.delenv("LECTUREUTILS_RUN_SIZE", raising=False)


def test_fast_mode_means_quick_and_the_run_size_variable_overrides(monkeypatch):
    assert run_size("class", REAL, "cuda") == "class"
    monkeypatch.setenv("LECTUREUTILS_FAST", "1")
    assert run_size("full", REAL, "cpu") == "quick"
    monkeypatch.setenv("LECTUREUTILS_FAST", "0")
    monkeypatch.setenv("LECTUREUTILS_RUN_SIZE", "full")
    assert run_size("class", REAL, "cuda") == "full"
    monkeypatch.setenv("LECTUREUTILS_RUN_SIZE", "huge")
    with pytest.raises(ValueError, match="LECTUREUTILS_RUN_SIZE='huge'"):
        run_size("class", REAL, "cuda")


@pytest.mark.parametrize("size", ["class", "full"])
def test_class_and_full_stop_on_a_cpu_with_a_real_model_and_say_how_to_get_a_gpu(size, monkeypatch):
    import lectureutils.models

    monkeypatch.setattr(lectureutils.models, "is_standin", lambda obj: obj == STANDIN)
    with pytest.raises(RunSizeError) as stopped:
        run_size(size, REAL, "cpu")
    message = str(stopped.value)
    assert f"RUN_SIZE = {size!r}" in message and REAL in message
    assert "Runtime → Change runtime type → T4 GPU" in message and 'RUN_SIZE = "quick"' in message
    assert run_size(size, REAL, "cuda") == size  # a GPU runtime trains it
    assert run_size(size, STANDIN, "cpu") == size  # a stand-in runs every size on a CPU (CI's full-size pass)
    assert run_size("quick", REAL, "cpu") == "quick"


def test_an_unknown_size_is_refused():
    with pytest.raises(ValueError, match="use one of 'quick', 'class', 'full'"):
        run_size("medium", REAL, "cuda")
    assert env.RUN_SIZES == ("quick", "class", "full")


# --- every task's run sizes: one rule, lectureutils.training.RunSizes -------------------------------------------


def sizes_for(module, model, standin: bool, monkeypatch):
    monkeypatch.setattr("lectureutils.models.is_standin", lambda obj: standin)
    monkeypatch.setattr("lectureutils.models.resolve", lambda name: None)
    monkeypatch.setattr("lectureutils.models.announce", lambda resolved: None)
    return {size: module.RUNS.for_run(size, model) for size in env.RUN_SIZES}


@pytest.mark.parametrize("task", ["classification", "qa", "nli", "ner", "lm_finetuning"])
def test_a_real_model_keeps_each_size_and_a_standin_learns_faster(task, monkeypatch, capsys):
    import importlib

    settings = importlib.import_module(f"lectureutils.{task}.settings")
    real = sizes_for(settings, settings.MODEL, False, monkeypatch)
    assert real["full"][0].learning_rate == settings.HYPER_PARAMETERS.learning_rate == 5e-5
    assert real["quick"][1].sample and not real["full"][1].sample
    assert real["quick"][0].max_steps > 0 and real["class"][0].epochs == 1
    standin = sizes_for(settings, settings.MODEL, True, monkeypatch)
    assert "starts from random weights" in capsys.readouterr().out
    for size in env.RUN_SIZES:
        hyper, limits = standin[size]
        assert hyper.learning_rate > 5e-5 and limits == real[size][1]  # the size's data all the same
        assert hyper.max_steps > 0 or task == "qa"  # a stand-in trains steps, not epochs (QA: its learning rate only)
    with pytest.raises(ValueError, match="'huge'"):
        settings.RUNS.for_run("huge", settings.MODEL)


def test_the_sizes_of_notebooks_05_and_12(monkeypatch):
    from lectureutils.chat import settings as chat
    from lectureutils.classification import settings as classification
    from lectureutils.training import Limits

    real = sizes_for(classification, classification.MODEL, False, monkeypatch)
    assert real["class"][1] == Limits(sample=False, train=20_000, test=5_000)
    standin = sizes_for(classification, classification.MODEL, True, monkeypatch)
    assert {(hyper.max_steps, hyper.batch_size) for hyper, _ in standin.values()} == {(120, 16)}  # "quick"'s schedule
    runs = sizes_for(chat, "a/real-model", False, monkeypatch)
    assert runs["quick"].sft_max_steps == 8 and runs["full"].eval_prompts == 24
    standin = sizes_for(chat, "a/stand-in", True, monkeypatch)
    assert all(run.sft_learning_rate == run.dpo_learning_rate == 1e-3 for run in standin.values())
    assert standin["quick"].eval_prompts == runs["quick"].eval_prompts


def test_a_checkpoint_is_a_saved_safetensors_folder_or_a_hub_id(tmp_path):
    from lectureutils.checkpoints import is_hub_id, saved_model_folder

    assert is_hub_id("someone/kcbert-nsmc") and not is_hub_id(tmp_path)
    assert not is_hub_id("/content/drive/MyDrive/05_nsmc") and not is_hub_id("./checkpoints/nsmc")
    with pytest.raises(FileNotFoundError, match="no config.json"):
        saved_model_folder(tmp_path / "missing", "nli")
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "pytorch_model.bin").write_bytes(b"")
    with pytest.raises(FileNotFoundError, match="only safetensors"):
        saved_model_folder(tmp_path, "nli")
