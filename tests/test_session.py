import os

import torch

import lectureutils
from lectureutils import session as session_module


def test_setup_prints_one_banner_line_naming_mode_device_versions_and_standins(capsys):
    result = lectureutils.setup(models=["bert-base-uncased", "sentence-transformers/all-MiniLM-L6-v2"])
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    banner = out[0]
    assert "offline (LECTUREUTILS_OFFLINE=1)" in banner
    assert f"device: {result.device}" in banner
    assert f"torch {torch.__version__}" in banner and "transformers" in banner
    assert "stand-ins: bert-base-uncased" in banner and "MiniLM" not in banner
    assert result.offline and result.standins == ("bert-base-uncased",)
    assert result.banner == banner
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_setup_seeds_every_generator(capsys):
    lectureutils.setup(seed=3)
    first = torch.rand(3)
    lectureutils.setup(seed=3)
    assert torch.equal(first, torch.rand(3))


def test_fast_mode_is_reported_and_shrinks_parameters(monkeypatch, capsys):
    monkeypatch.setenv("LECTUREUTILS_FAST", "1")
    result = lectureutils.setup()
    assert "+ fast" in capsys.readouterr().out
    assert result.pick(full=3, fast=1) == 1


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

    code = "import lectureutils, sys; print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
    assert result.stderr == ""
