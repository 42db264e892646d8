"""Offline, the plain ``from_pretrained(name)`` students write loads the real cached model or the stand-in (issue 26.4).

After ``lectureutils.setup()`` offline, ``HF_HUB_CACHE`` names lectureutils' offline view (``standins.hub``): each
catalogued name loads the student's real cached model when it is there, else its stand-in, and ``is_standin`` tells
on the object. Each run is a fresh interpreter (huggingface_hub reads its settings when imported), with a Hugging
Face home of its own (the student's "real" cache) and a lectureutils cache of its own whose stand-ins are the shared
ones (built once). The real cache is compared file by file before and after: nothing is written into it.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lectureutils import env, standins
from lectureutils.catalogue import CATALOGUE
from lectureutils.standins import MARKER

ROOT = Path(__file__).resolve().parents[1]
FAKE_REAL = "0123456789abcdef0123456789abcdef01234567"  # the "real" gpt2's revision in the fake real cache

# Each catalogued model loaded as a student loads it: the real repositories' arguments, visible.
LOAD = """
import json, sys
{before}
import lectureutils
session = lectureutils.setup()
from transformers import AutoModel, AutoModelForCausalLM, AutoTokenizer, BertForMaskedLM, PreTrainedTokenizerFast
from sentence_transformers import SentenceTransformer
from huggingface_hub import constants
from lectureutils.models import is_standin

KOGPT2 = dict(bos_token="</s>", eos_token="</s>", unk_token="<unk>", pad_token="<pad>", mask_token="<mask>")
result = {{"banner": session.banner, "cache": constants.HF_HUB_CACHE, "offline": constants.HF_HUB_OFFLINE, "loaded": {{}}}}
for name in {names!r}:
    if name.startswith("sentence-transformers/"):
        encoder = SentenceTransformer(name, device="cpu")
        result["loaded"][name] = [is_standin(encoder), is_standin(encoder)]
        continue
    if name == "skt/kogpt2-base-v2":
        tokenizer = PreTrainedTokenizerFast.from_pretrained(name, **KOGPT2)
    elif name in ("klue/bert-base", "beomi/kcbert-base"):
        tokenizer = AutoTokenizer.from_pretrained(name, do_lower_case=False)
    else:
        tokenizer = AutoTokenizer.from_pretrained(name)
    if name.startswith("bert") or "/bert" in name or "kcbert" in name:
        model = BertForMaskedLM.from_pretrained(name)
    elif "gpt2" in name or "Qwen" in name:
        model = AutoModelForCausalLM.from_pretrained(name)
    else:
        model = AutoModel.from_pretrained(name)
    result["loaded"][name] = [is_standin(model), is_standin(tokenizer)]
print("RESULT" + json.dumps(result))
"""


def tree(folder: Path) -> dict:
    """Every path under ``folder`` with its size and modification time (links not followed)."""
    return {str(path.relative_to(folder)): (path.lstat().st_size, path.lstat().st_mtime_ns)
            for path in sorted(folder.rglob("*"))}


@pytest.fixture(scope="module")
def shared_standins():
    """The shared stand-ins' hub cache, every catalogued stand-in built (once per machine)."""
    for name, entry in CATALOGUE.items():
        if isinstance(entry.offline, standins.StandIn):
            standins.build(name, entry.offline)
    return standins.standins_hub()


@pytest.fixture
def student(tmp_path, shared_standins):
    """A student's machine: a Hugging Face home (the real cache) and a lectureutils cache of its own."""
    cache = tmp_path / "lectureutils"
    cache.mkdir()
    (cache / "standins").symlink_to(shared_standins, target_is_directory=True)
    home = tmp_path / "hf"
    (home / "hub").mkdir(parents=True)
    return {"cache": cache, "home": home, "real": home / "hub"}


def real_model_in(real: Path, name: str, source: Path) -> Path:
    """Put a "real" model ``name`` into the real cache, in the hub's layout: the stand-in's files without its marker."""
    entry = real / ("models--" + name.replace("/", "--"))
    snapshot = entry / "snapshots" / FAKE_REAL
    shutil.copytree(source, snapshot)
    for config in ("config.json", "tokenizer_config.json"):
        path = snapshot / config
        if path.exists():
            content = json.loads(path.read_text(encoding="utf-8"))
            content.pop(MARKER, None)
            path.write_text(json.dumps(content), encoding="utf-8")
    (entry / "refs").mkdir()
    (entry / "refs" / "main").write_text(FAKE_REAL)
    return snapshot


def run(student, script: str, **extra) -> dict:
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("HF_", "HUGGINGFACE_", "LECTUREUTILS_", "TRANSFORMERS_"))}
    environment.update(LECTUREUTILS_OFFLINE="1", LECTUREUTILS_FAST="1", MPLBACKEND="Agg",
                       LECTUREUTILS_CACHE=str(student["cache"]), HF_HOME=str(student["home"]),
                       PYTHONPATH=os.pathsep.join([str(ROOT), environment.get("PYTHONPATH", "")]), **extra)
    done = subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True, text=True,
                          timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    line = [line for line in done.stdout.splitlines() if line.startswith("RESULT")][-1]
    return {**json.loads(line[len("RESULT"):]), "stderr": done.stderr}


def test_every_catalogued_name_loads_its_standin_or_the_real_cached_model(student):
    """Offline, with transformers imported before setup() as many notebooks do: a plain from_pretrained of every
    catalogued name loads the stand-in, except the model prefetched into the real cache (gpt2 here) and the
    packaged real all-MiniLM-L6-v2; the real cache is left exactly as it was."""
    gpt2 = standins.standin_path("gpt2", CATALOGUE["gpt2"].offline)
    real_model_in(student["real"], "gpt2", gpt2)
    real_model_in(student["real"], "someone/own-model", gpt2)  # a model of the student's own, not catalogued
    before = tree(student["home"])
    script = LOAD.format(before="import transformers, huggingface_hub", names=list(CATALOGUE)) + """
from transformers import AutoConfig
own = AutoModelForCausalLM.from_pretrained("someone/own-model")
print("RESULT" + json.dumps({**result, "own": is_standin(own)}))
"""
    result = run(student, script)
    view = student["cache"] / "hub"
    assert Path(result["cache"]) == view and result["offline"] is True
    real = {"gpt2", "sentence-transformers/all-MiniLM-L6-v2"}
    assert result["loaded"] == {name: [name not in real] * 2 for name in CATALOGUE}
    assert result["own"] is False
    assert "(real, from the local Hugging Face cache: gpt2)" in result["banner"]
    assert "klue/bert-base" in result["banner"].split("stand-ins: ")[1]
    assert (view / "models--gpt2").resolve() == (student["real"] / "models--gpt2").resolve()
    assert "Could not reach the Hub" not in result["stderr"]
    assert tree(student["home"]) == before  # nothing written into the student's real cache


def test_setup_before_any_import_sets_what_huggingface_hub_reads(student):
    """The usual order (setup first): HF_HUB_OFFLINE and HF_HUB_CACHE are read when huggingface_hub is imported;
    the real cache stays recorded for processes the notebook starts, and a second setup() keeps it."""
    script = LOAD.format(before="", names=["beomi/kcbert-base", "skt/kogpt2-base-v2"]) + """
import os
lectureutils.setup()
from lectureutils import env
print("RESULT" + json.dumps({**result, "env": [os.environ["HF_HUB_OFFLINE"], os.environ["HF_HUB_CACHE"],
                                            str(env.hf_hub_cache())]}))
"""
    result = run(student, script)
    assert result["loaded"] == {"beomi/kcbert-base": [True, True], "skt/kogpt2-base-v2": [True, True]}
    assert result["env"] == ["1", str(student["cache"] / "hub"), str(student["real"])]
    assert list(student["real"].iterdir()) == []


def test_a_model_removed_from_the_real_cache_falls_back_to_its_standin(student):
    """The view follows the real cache at each setup(): a link to a model no longer there is replaced."""
    real_model_in(student["real"], "gpt2", standins.standin_path("gpt2", CATALOGUE["gpt2"].offline))
    run(student, LOAD.format(before="", names=[]))
    shutil.rmtree(student["real"] / "models--gpt2")
    result = run(student, LOAD.format(before="", names=["gpt2"]))
    assert result["loaded"] == {"gpt2": [True, True]}


def test_online_setup_leaves_the_hugging_face_settings_alone(monkeypatch, capsys):
    """Online nothing changes: no HF_HUB_CACHE, no HF_HUB_OFFLINE, huggingface_hub's constants as they were."""
    import lectureutils
    from huggingface_hub import constants

    monkeypatch.setenv("LECTUREUTILS_OFFLINE", "0")
    monkeypatch.delenv("HF_HUB_OFFLINE")
    for name in ("HF_HUB_CACHE", env.REAL_HF_HUB_CACHE):
        monkeypatch.delenv(name, raising=False)
    before = (constants.HF_HUB_CACHE, constants.HF_HUB_OFFLINE)
    session = lectureutils.setup()
    assert not session.offline and session.banner.endswith("stand-ins: none")
    assert "HF_HUB_CACHE" not in os.environ and "HF_HUB_OFFLINE" not in os.environ
    assert env.REAL_HF_HUB_CACHE not in os.environ
    assert (constants.HF_HUB_CACHE, constants.HF_HUB_OFFLINE) == before


def test_a_catalogued_model_only_partly_in_the_real_cache_is_its_fallback(tmp_path):
    """An interrupted prefetch (no config.json in the snapshot) is not the real model: the view links the fallback,
    and links the student's other entries as they are."""
    from lectureutils.standins.hub import refresh_view

    real, view = tmp_path / "real", tmp_path / "view"
    partial = real / "models--gpt2" / "snapshots" / FAKE_REAL
    partial.mkdir(parents=True)
    (real / "models--gpt2" / "refs").mkdir()
    (real / "models--gpt2" / "refs" / "main").write_text(FAKE_REAL)
    (real / "datasets--someone--data").mkdir()
    fallback = tmp_path / "standin-entry"
    fallback.mkdir()
    kinds = refresh_view(["gpt2", "klue/bert-base"], lambda name: fallback if name == "gpt2" else None, view, real)
    assert kinds == {"gpt2": "fallback", "klue/bert-base": "none"}
    assert (view / "models--gpt2").resolve() == fallback.resolve()
    assert (view / "datasets--someone--data").resolve() == (real / "datasets--someone--data").resolve()
    assert not (view / "models--klue--bert-base").exists()


def test_the_students_cache_is_read_as_huggingface_hub_reads_it_and_is_never_the_view(tmp_path, monkeypatch):
    for name in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_HOME", "XDG_CACHE_HOME", env.REAL_HF_HUB_CACHE):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LECTUREUTILS_CACHE", str(tmp_path / "lectureutils"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert env.hf_hub_cache() == tmp_path / "xdg" / "huggingface" / "hub"
    monkeypatch.setenv("HF_HOME", str(tmp_path / "home"))
    assert env.hf_hub_cache() == tmp_path / "home" / "hub"
    monkeypatch.setenv("HF_HUB_CACHE", str(env.offline_hub_cache()))  # inherited from an offline parent: not it
    assert env.hf_hub_cache() == tmp_path / "home" / "hub"
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "own"))
    assert env.hf_hub_cache() == tmp_path / "own"
    monkeypatch.setenv(env.REAL_HF_HUB_CACHE, str(tmp_path / "kept"))  # what setup() recorded wins
    assert env.hf_hub_cache() == tmp_path / "kept"
    assert env.offline_hub_cache() == tmp_path / "lectureutils" / "hub"
