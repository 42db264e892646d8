"""The exercises of notebook 11: the solutions, kept apart from the notebook, pass its self-check cells,
and a wrong answer fails them."""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "11_gpt_finetuning.ipynb"

SOLUTIONS = {
    1: '''
special_tokenizer.add_special_tokens({"additional_special_tokens": ["<pos>", "<neg>"]})
special_model.resize_token_embeddings(len(special_tokenizer))

def encode_special(review, sentiment):
    code = special_tokenizer.convert_tokens_to_ids("<pos>" if sentiment == "positive" else "<neg>")
    body = special_tokenizer(review, add_special_tokens=False)["input_ids"] + [special_tokenizer.eos_token_id]
    return {"input_ids": [code] + body, "labels": [IGNORE_INDEX] + body}
''',
    2: '''
real_control = control_accuracy(test_frame.sentiment, judge(test_frame.document.tolist()))
''',
    3: '''
def first_fit_decreasing(lengths, block_size):
    blocks, room = [], []
    for index in sorted(range(len(lengths)), key=lambda i: -lengths[i]):
        for number, free in enumerate(room):
            if lengths[index] <= free:
                blocks[number].append(index)
                room[number] -= lengths[index]
                break
        else:
            blocks.append([index])
            room.append(block_size - lengths[index])
    return blocks
''',
}
WRONG = {
    1: '''
special_tokenizer.add_special_tokens({"additional_special_tokens": ["<pos>", "<neg>"]})

def encode_special(review, sentiment):  # labels the code too, and the embeddings were not resized
    code = special_tokenizer.convert_tokens_to_ids("<pos>" if sentiment == "positive" else "<neg>")
    ids = [code] + special_tokenizer(review, add_special_tokens=False)["input_ids"] + [special_tokenizer.eos_token_id]
    return {"input_ids": ids, "labels": ids}
''',
    2: '''
real_control = control_accuracy(test_frame.sentiment, test_frame.sentiment)  # the labels judged by themselves
''',
    3: '''
def first_fit_decreasing(lengths, block_size):
    return [[index] for index in range(len(lengths))]  # one block per review
''',
}


def cell(prefix: str) -> str:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    [source] = ["".join(c["source"]) for c in cells if c["cell_type"] == "code" and "".join(c["source"]).startswith(prefix)]
    return source


@pytest.fixture(scope="module")
def namespace():
    import os

    import pandas as pd
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    os.environ["LECTUREUTILS_OFFLINE"] = "1"
    from lectureutils.lm_finetuning import IGNORE_INDEX, control_accuracy, encode_review, pack_examples, pad_id
    from lectureutils.models import load_tokenizer

    tokenizer = load_tokenizer("skt/kogpt2-base-v2")
    torch.manual_seed(0)
    pretrained = GPT2LMHeadModel(GPT2Config(vocab_size=len(tokenizer), n_positions=64, n_embd=16, n_layer=1, n_head=2))
    reviews = ["정말 최고", "최악이다", "재밌다 강추", "지루하다", "배우 연기 좋다", "돈 아깝다"]
    test_frame = pd.DataFrame({"document": reviews, "label": [1, 0, 1, 0, 1, 0],
                               "sentiment": ["positive", "negative"] * 3})

    def judge(texts):  # a judge that is right on 4 of 6
        return [1, 0, 1, 0, 0, 1][: len(texts)]

    examples = [encode_review(tokenizer, review, sentiment) for review, sentiment in zip(reviews, test_frame.sentiment)]
    return {"tokenizer": tokenizer, "pretrained": pretrained, "IGNORE_INDEX": IGNORE_INDEX,
            "control_accuracy": control_accuracy, "test_frame": test_frame, "judge": judge, "judge_accuracy": 4 / 6,
            "examples": examples, "lengths": [len(example["input_ids"]) for example in examples] * 5,
            "BLOCK_SIZE": 32, "pack_examples": pack_examples, "pad_id": pad_id}


def run(number, answer, namespace):
    scope = dict(namespace)
    scope["examples"] = namespace["examples"] * 5
    exec(cell(f"# Exercise {number}: your answer"), scope)
    exec(answer, scope)
    exec(cell(f"# Self-check for exercise {number}\n"), scope)


@pytest.mark.parametrize("number", sorted(SOLUTIONS))
def test_the_solution_passes_the_self_check(number, namespace, capsys):
    run(number, SOLUTIONS[number], namespace)
    assert f"exercise {number} passed" in capsys.readouterr().out


@pytest.mark.parametrize("number", sorted(WRONG))
def test_a_wrong_answer_fails_the_self_check(number, namespace):
    with pytest.raises(AssertionError):
        run(number, WRONG[number], namespace)


@pytest.mark.parametrize("number", sorted(SOLUTIONS))
def test_no_answer_is_not_an_error(number, namespace, capsys):
    run(number, "", namespace)
    assert f"Exercise {number}: not attempted yet" in capsys.readouterr().out
