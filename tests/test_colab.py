"""Tests for lectureutils.colab and tools/colab.py: one repository address, badges and setup cells made from it,
Drive folders."""

import re
from pathlib import Path

import nbformat
import pytest
import torch

from lectureutils import colab
from tools import colab as colab_tool

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
KOREAN = sorted((ROOT / "notebooks" / "ko").glob("[0-9][0-9]_*.ipynb"))  # generated (lectureutils.i18n)
OLD_SETUP = '''import sys
if "google.colab" in sys.modules:  # on Colab: fetch the course helpers
    !git clone --quiet --depth 1 https://github.com/someone/old.git /content/bert-gpt-lectures
    !pip install --quiet -e /content/bert-gpt-lectures
    sys.path.insert(0, "/content/bert-gpt-lectures")

import lectureutils

session = lectureutils.setup()
'''


def make_notebook(folder: Path, name: str = "05_example.ipynb") -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell(
            f"# 05 · Example\n\n[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
            f"(https://colab.research.google.com/github/someone/old/blob/main/notebooks/{name})\n"),
        nbformat.v4.new_markdown_cell("## Setup"),
        nbformat.v4.new_code_cell(OLD_SETUP),
    ]
    path = folder / name
    nbformat.write(notebook, path)
    return path


def test_every_notebook_agrees_with_the_one_repository_address():
    """Both editions and both READMEs: what `python -m tools.colab --check` checks."""
    assert len(KOREAN) == len(NOTEBOOKS)
    problems = [problem for path in NOTEBOOKS + KOREAN for problem in colab_tool.notebook_problems(path)]
    problems += [problem for name in colab_tool.READMES for problem in colab_tool.readme_problems(ROOT / name)]
    assert not problems, "run `python -m tools.colab` to rewrite them:\n" + "\n".join(problems)
    assert colab_tool.main(["--check"]) == 0


def test_a_korean_notebook_badge_opens_the_korean_edition(tmp_path):
    name = NOTEBOOKS[0].name
    assert colab.badge_url(name, "o/r", "ko") == f"https://colab.research.google.com/github/o/r/blob/main/notebooks/ko/{name}"
    assert colab.edition_of(KOREAN[0]) == "ko" and colab.edition_of(NOTEBOOKS[0]) == ""
    folder = tmp_path / "ko"
    folder.mkdir()
    english_badge = make_notebook(folder)  # a Korean notebook whose badge opens the English edition
    problems = colab_tool.notebook_problems(english_badge)
    assert any("notebooks/ko/05_example.ipynb" in problem for problem in problems)
    assert any("make ko" in problem for problem in problems)
    with pytest.raises(ValueError, match="generated"):
        colab_tool.rewrite_notebook(english_badge)


def test_readme_badges_are_checked_and_rewritten_for_their_edition(tmp_path):
    names = ["05_example.ipynb", "06_other.ipynb"]
    readme = tmp_path / "README.ko.md"
    readme.write_text(f"[05]({colab.badge_url(names[0], 'someone/old')})\n"
                      f"[06]({colab.badge_url(names[1], 'someone/old', 'ko')})\n", encoding="utf-8")
    assert len(colab_tool.readme_problems(readme, notebooks=names)) == 2
    assert colab_tool.rewrite_readme(readme, "fork/lectures") is True
    assert colab_tool.readme_problems(readme, "fork/lectures", notebooks=names) == []
    assert colab.badge_url(names[0], "fork/lectures", "ko") in readme.read_text(encoding="utf-8")
    assert colab_tool.readme_problems(readme, "fork/lectures", notebooks=names + ["07_third.ipynb"]) == [
        "README.ko.md: no Colab badge for 07_third.ipynb"]


def test_a_fork_gets_korean_badges_and_keeps_its_translations(tmp_path, monkeypatch):
    """--repo on a fork: the English badge and setup cell rewritten, then the Korean edition rebuilt
    (rebuild_editions, what --repo runs): its badge opens the fork's notebooks/ko/, and a translation whose English
    changed only in the badge's repository stays translated (not stale)."""
    import polib

    from tools.i18n import catalogue

    from test_i18n import tiny_notebook, translate

    english = tiny_notebook(tmp_path)
    root = tmp_path / "i18n"
    catalogue.refresh(english, "ko", root)
    po_path = catalogue.catalogue_path("ko", english, root)
    title = next(e for e in polib.pofile(str(po_path)) if e.msgctxt == "cell-00")
    translate(po_path, {("cell-00", title.msgid): title.msgid.replace("A tiny notebook\n\nIt fine-tunes a model.",
                                                                      "작은 노트북\n\n모델을 파인튜닝합니다.")})
    monkeypatch.setattr(colab, "REPOSITORY", "fork-owner/lectures")  # what --repo sets before rebuilding
    assert colab_tool.rewrite_notebook(english) is True
    assert colab_tool.rebuild_editions(english.parent, root) == {"ko": 1}
    korean = english.parent / "ko" / english.name
    title_cell = nbformat.read(korean, as_version=4).cells[0].source
    assert title_cell.startswith("# 05 · 작은 노트북") and "번역 갱신 필요" not in title_cell
    assert colab.badge_url(english.name, "fork-owner/lectures", "ko") in title_cell
    entry = next(e for e in polib.pofile(str(po_path)) if e.msgctxt == "cell-00")
    assert "fork-owner/lectures" in entry.msgid and "fuzzy" not in entry.flags
    assert colab_tool.rebuild_editions(english.parent, root) == {"ko": 0}


def test_rewrite_makes_badge_and_setup_cell_agree_and_keeps_the_rest(tmp_path):
    path = make_notebook(tmp_path)
    assert len(colab_tool.notebook_problems(path)) == 2
    assert colab_tool.rewrite_notebook(path) is True
    assert colab_tool.notebook_problems(path) == []
    assert colab_tool.rewrite_notebook(path) is False, "a second rewrite changes nothing"
    cells = nbformat.read(path, as_version=4).cells
    assert colab.badge_url(path.name) in cells[0].source
    setup = cells[2].source
    assert setup.startswith("import sys\n") and setup.endswith("session = lectureutils.setup()\n")
    # re-runnable: update the clone if it is there, else clone (never `git -C` a missing folder: "fatal: cannot change to")
    assert "if [ -d /content/bert-gpt-lectures ]; then git -C /content/bert-gpt-lectures pull --quiet; else git clone" in setup
    assert '"peft>=0.18"' in setup


def test_rewrite_for_another_repository_and_check_against_it(tmp_path):
    path = make_notebook(tmp_path)
    colab_tool.rewrite_notebook(path, "fork-owner/lectures")
    assert colab_tool.notebook_problems(path, "fork-owner/lectures") == []
    assert colab_tool.notebook_problems(path) != []
    assert "github.com/fork-owner/lectures.git" in nbformat.read(path, as_version=4).cells[2].source


def test_command_line_check_and_bad_repository_name(tmp_path, capsys):
    path = make_notebook(tmp_path)
    assert colab_tool.main(["--check", str(path)]) == 1
    with pytest.raises(SystemExit):
        colab_tool.main(["--repo", "not a repo", str(path)])
    assert colab_tool.main([str(path)]) == 0
    assert colab_tool.main(["--check", str(path)]) == 0
    assert "agree" in capsys.readouterr().out


def test_drive_folder_off_colab_is_local_and_last_checkpoint_skips_incomplete_ones(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    folder = colab.drive_folder("05_nsmc", use_drive=True)  # not on Colab: a local folder, no Drive
    assert folder == Path("outputs/05_nsmc") and folder.is_dir()
    assert colab.last_checkpoint(folder) is None
    for step in (10, 30, 200):
        (folder / f"checkpoint-{step}").mkdir()
    for step in (10, 30):
        (folder / f"checkpoint-{step}" / "trainer_state.json").write_text(
            '{"global_step": %d, "max_steps": 100, "epoch": 0.5, "num_train_epochs": 1}' % step)
    (folder / "checkpoint-99.tmp").mkdir()
    assert colab.last_checkpoint(folder).endswith("checkpoint-30")  # checkpoint-200 has no trainer_state.json
    assert "checkpoint-200: incomplete" in capsys.readouterr().out
    assert colab.last_checkpoint(tmp_path / "missing") is None


class Disconnect(Exception):
    """What a Colab disconnect looks like to the training loop here."""


def small_run(folder: Path, max_steps: int, batch_size: int = 4, disconnect_at: int | None = None):
    """A tiny classifier's Trainer that keeps a checkpoint every 2 steps (16 examples: 4 steps an epoch)."""
    from datasets import Dataset
    from transformers import TrainerCallback

    from lectureutils import training
    from lectureutils.models import load_tokenizer

    from test_training import tiny_classifier

    tokenizer = load_tokenizer("beomi/kcbert-base")
    data = Dataset.from_dict({"text": ["최고의 영화", "정말 재밌다", "돈 아깝다", "지루하고 별로"] * 4,
                              "label": [1, 1, 0, 0] * 4}).map(lambda batch: tokenizer(batch["text"]), batched=True,
                                                              remove_columns=["text"])
    hyper = training.HyperParameters(batch_size=batch_size, max_steps=max_steps, learning_rate=1e-3)
    arguments = training.training_arguments(folder, hyper, evaluate_every=2, logging_steps=1, disable_tqdm=True,
                                            save_strategy="steps", save_steps=2, save_total_limit=1)
    trainer = training.make_trainer(tiny_classifier(tokenizer), arguments, tokenizer, data, data)

    class DisconnectAt(TrainerCallback):
        def on_step_end(self, args, state, control, **kwargs):
            if state.global_step == disconnect_at:
                raise Disconnect()

    if disconnect_at is not None:
        trainer.add_callback(DisconnectAt())
    return trainer


def weights(trainer):
    return {name: tensor.detach().clone() for name, tensor in trainer.model.state_dict().items()}


def test_an_interrupted_run_resumes_where_it_stopped_and_ends_as_an_uninterrupted_one(tmp_path):
    uninterrupted = small_run(tmp_path / "whole", max_steps=6)
    uninterrupted.train()
    interrupted = small_run(tmp_path / "run", max_steps=6, disconnect_at=5)
    with pytest.raises(Disconnect):
        interrupted.train()
    resumed = small_run(tmp_path / "run", max_steps=6)
    checkpoint = colab.last_checkpoint(tmp_path / "run", resumed.args)
    assert checkpoint.endswith("checkpoint-4")
    result = resumed.train(resume_from_checkpoint=checkpoint)
    assert result.global_step == 6
    losses = [entry["step"] for entry in resumed.state.log_history if "loss" in entry]
    assert losses == [1, 2, 3, 4, 5, 6]  # the history before the disconnect comes back with the checkpoint
    expected = weights(uninterrupted)
    for name, tensor in weights(resumed).items():
        assert torch.allclose(tensor, expected[name], atol=1e-6), name


def test_a_finished_run_resumes_without_training_or_starts_over_inside_an_epoch(tmp_path, capsys):
    whole_epochs = small_run(tmp_path / "whole", max_steps=8)  # 2 epochs of 4 steps
    whole_epochs.train()
    again = small_run(tmp_path / "whole", max_steps=8)
    checkpoint = colab.last_checkpoint(tmp_path / "whole", again.args)
    assert checkpoint.endswith("checkpoint-8") and "without training further" in capsys.readouterr().out
    assert again.train(resume_from_checkpoint=checkpoint).global_step == 8
    finished = weights(whole_epochs)
    assert all(torch.equal(tensor, finished[name]) for name, tensor in weights(again).items())

    inside_an_epoch = small_run(tmp_path / "inside", max_steps=6)  # stops after 2 of the second epoch's 4 steps
    inside_an_epoch.train()
    (tmp_path / "inside" / "checkpoint-notes.txt").write_text("a student's file, not a checkpoint")
    assert colab.last_checkpoint(tmp_path / "inside", inside_an_epoch.args) is None
    assert "starting over" in capsys.readouterr().out
    assert [path.name for path in (tmp_path / "inside").glob("checkpoint-*")] == ["checkpoint-notes.txt"]


def test_a_checkpoint_of_another_run_is_refused(tmp_path):
    first = small_run(tmp_path / "run", max_steps=6, disconnect_at=3)
    with pytest.raises(Disconnect):
        first.train()
    with pytest.raises(ValueError, match=r"batch size 4 there, 8 now.*delete"):
        colab.last_checkpoint(tmp_path / "run", small_run(tmp_path / "run", max_steps=6, batch_size=8).args)
    with pytest.raises(ValueError, match="steps 6 there, 10 now"):
        colab.last_checkpoint(tmp_path / "run", small_run(tmp_path / "run", max_steps=10).args)
    assert colab.last_checkpoint(tmp_path / "run").endswith("checkpoint-2")  # without arguments: no comparison


def test_every_notebook_that_trains_can_keep_checkpoints_on_drive_and_resume():
    training_notebooks = []
    for path in NOTEBOOKS:
        cells = nbformat.read(path, as_version=4).cells
        code = "\n".join(cell.source for cell in cells if cell.cell_type == "code")
        calls = [code[match.end():match.end() + 160] for match in re.finditer(r"\b\w*trainer\.train\(", code)]
        if not calls:
            continue
        training_notebooks.append(path.name[:2])
        parameters = next(cells[index + 1].source for index, cell in enumerate(cells)
                          if cell.cell_type == "markdown" and cell.source.startswith("## Parameters"))
        assert "SAVE_TO_DRIVE = False" in parameters and "drive_folder(" in parameters, path.name
        for call in calls:
            assert re.match(r"\s*resume_from_checkpoint=last_checkpoint\([^()]*, [\w.]+\) if SAVE_TO_DRIVE else None",
                            call), f"{path.name}: a trainer.train( call that does not resume: {call}"
        assert 'save_strategy="no"' not in code, f"{path.name}: a Trainer that never keeps checkpoints"
    assert training_notebooks == ["05", "06", "09", "10", "11", "12"]


def lora_sft_run(folder: Path, disconnect_at: int | None = None):
    """trl's SFTTrainer with a LoRA adapter on the GPT-2 stand-in, as notebook 12 trains (4 steps, a checkpoint every 2)."""
    from datasets import Dataset
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM, TrainerCallback
    from trl import SFTConfig, SFTTrainer

    from lectureutils.chat import add_chat_template
    from lectureutils.models import load_model, load_tokenizer

    torch.manual_seed(0)
    tokenizer = load_tokenizer("gpt2")
    model = load_model(AutoModelForCausalLM, "gpt2")
    add_chat_template(tokenizer, model)
    conversations = [[{"role": "user", "content": f"{n} 더하기 {n}은?"}, {"role": "assistant", "content": f"{2 * n}입니다."}]
                     for n in range(8)]
    arguments = SFTConfig(output_dir=str(folder), max_steps=4, per_device_train_batch_size=2, learning_rate=1e-3,
                          assistant_only_loss=True, gradient_checkpointing=False, eos_token="<|im_end|>",
                          logging_steps=1, save_strategy="steps", save_steps=2, save_total_limit=1, report_to="none",
                          seed=0, bf16=False, fp16=False, disable_tqdm=True)
    trainer = SFTTrainer(model=model, args=arguments, processing_class=tokenizer,
                         train_dataset=Dataset.from_list([{"messages": messages} for messages in conversations]),
                         peft_config=LoraConfig(r=4, lora_alpha=8, target_modules="all-linear", task_type="CAUSAL_LM"))

    class DisconnectAt(TrainerCallback):
        def on_step_end(self, args, state, control, **kwargs):
            if state.global_step == disconnect_at:
                raise Disconnect()

    trainer.add_callback(DisconnectAt())
    return trainer


def test_a_lora_adapter_run_resumes_as_notebook_12_does(tmp_path):
    uninterrupted = lora_sft_run(tmp_path / "whole")
    uninterrupted.train()
    with pytest.raises(Disconnect):
        lora_sft_run(tmp_path / "run", disconnect_at=3).train()
    resumed = lora_sft_run(tmp_path / "run")
    checkpoint = colab.last_checkpoint(tmp_path / "run", resumed.args)
    assert checkpoint.endswith("checkpoint-2") and (Path(checkpoint) / "adapter_model.safetensors").is_file()
    assert resumed.train(resume_from_checkpoint=checkpoint).global_step == 4
    expected = {name: tensor for name, tensor in uninterrupted.model.named_parameters() if "lora_" in name}
    adapters = {name: tensor for name, tensor in resumed.model.named_parameters() if "lora_" in name}
    assert adapters and adapters.keys() == expected.keys()
    for name, tensor in adapters.items():
        assert torch.allclose(tensor, expected[name], atol=1e-6), name


def test_contributing_shows_the_setup_cell_that_colab_writes():
    contributing = (Path(__file__).resolve().parents[1] / "CONTRIBUTING.md").read_text(encoding="utf-8")
    shown = "".join("   " + line + "\n" for line in colab_tool.colab_lines().splitlines())  # inside a list item
    assert shown in contributing, "CONTRIBUTING.md's setup cell differs from tools.colab.colab_lines()"
