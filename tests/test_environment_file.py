"""environment.yml (the conda route, README) installs the same package with the same constraints as make."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def load():
    return yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


def test_environment_file_names_the_package_and_the_constraints():
    spec = load()
    assert spec["name"]
    dependencies = spec["dependencies"]
    conda = [item for item in dependencies if isinstance(item, str)]
    pip_lists = [item["pip"] for item in dependencies if isinstance(item, dict) and "pip" in item]
    assert "pip" in conda
    assert len(pip_lists) == 1
    pip = [line.strip() for line in pip_lists[0]]
    assert "-e .[dev]" in pip
    assert "--constraint constraints.txt" in pip
    assert pip.index("--constraint constraints.txt") < pip.index("-e .[dev]")
    assert (ROOT / "constraints.txt").is_file()


def test_environment_python_matches_requires_python():
    python = [item for item in load()["dependencies"] if isinstance(item, str) and item.startswith("python")]
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    required = re.search(r'requires-python\s*=\s*"([^"]+)"', pyproject).group(1)
    assert python == [f"python{required}"]


def test_dev_extra_exists():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r"^dev = \[", pyproject, re.MULTILINE)
