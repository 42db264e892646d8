""".ci/lower_bounds.py turns pyproject's lower bounds into the exact pins `make lower-bounds` installs."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("lower_bounds", ROOT / ".ci" / "lower_bounds.py")
lower_bounds = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lower_bounds)


def test_a_lower_bound_becomes_an_exact_pin():
    assert lower_bounds.minimum("datasets>=4.0") == "datasets==4.0"
    assert lower_bounds.minimum("tokenizers>=0.22.1,!=0.23.1,!=0.23.2") == "tokenizers==0.22.1"
    assert lower_bounds.minimum("huggingface_hub>=1.3") == "huggingface-hub==1.3"
    assert lower_bounds.minimum("fsspec[http] >= 2023.1") == "fsspec==2023.1"
    assert lower_bounds.minimum('tomli>=2.0; python_version < "3.11"') == 'tomli==2.0 ; python_version < "3.11"'


def test_torch_the_package_itself_and_unbounded_requirements_are_left_out():
    assert lower_bounds.minimum("torch>=2.6") is None
    assert lower_bounds.minimum("lectureutils[test]") is None
    assert lower_bounds.minimum("numpy") is None


def test_the_declared_bounds_of_issue_19():
    pins = set(lower_bounds.lower_bounds())
    assert {"datasets==4.0", "peft==0.18", "transformers==5.2"} <= pins
    assert not any(pin.startswith("torch==") for pin in pins)
    assert any(pin.startswith("trl==") for pin in pins) and any(pin.startswith("pytest==") for pin in pins)


def test_torch_bound_is_what_transformers_v5_needs():
    assert '"torch>=2.6"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
