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
