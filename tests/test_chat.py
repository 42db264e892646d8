"""Tests for lectureutils.chat (notebook 12): data readers, constraints, chat template, assistant mask, LoRA count."""

import json

import pytest

from lectureutils.chat import (
    CHATML_TEMPLATE,
    add_chat_template,
    assistant_text,
    encode_conversation,
    expected_lora_parameters,
    load_instructions,
    load_preferences,
    read_instructions,
    read_preferences,
    satisfied_share,
    satisfies,
    split_by_topic,
    trainable_parameters,
)
from lectureutils.chat.constraints import hangul_share, list_items, sentence_count
from lectureutils.data import DataFormatError

GOOD_CONVERSATION = {
    "id": "a", "topic": "t", "constraint": "one_sentence",
    "messages": [{"role": "user", "content": "질문?"}, {"role": "assistant", "content": "답입니다."}],
}
GOOD_PAIR = {
    "id": "p", "topic": "t", "constraint": "korean",
    "prompt": [{"role": "user", "content": "Answer in Korean."}],
    "chosen": [{"role": "assistant", "content": "네, 알겠습니다."}],
    "rejected": [{"role": "assistant", "content": "Sure."}],
}


def write_lines(tmp_path, rows, name="data.jsonl"):
    path = tmp_path / name
    path.write_text("".join((row if isinstance(row, str) else json.dumps(row, ensure_ascii=False)) + "\n" for row in rows),
                    encoding="utf-8")
    return path


def changed(row, **changes):
    """A copy of ``row`` with a new id (so only the named defect is wrong) and ``changes``."""
    return {**json.loads(json.dumps(row)), "id": row["id"] + "-2", **changes}


# ---------------------------------------------------------------- the project's data


def test_project_data_reads_and_every_demonstration_follows_its_constraint():
    conversations, pairs = load_instructions(), load_preferences()
    assert len(conversations) >= 200 and len(pairs) >= 100
    assert any(sum(m["role"] == "user" for m in c["messages"]) > 1 for c in conversations)
    assert {c["constraint"] for c in conversations} == {"one_sentence", "korean", "english", "three_items"}
    for conversation in conversations:
        assert satisfies(conversation["constraint"], conversation["messages"][-1]["content"]), conversation["id"]
    for pair in pairs:
        assert satisfies(pair["constraint"], pair["chosen"][0]["content"]), pair["id"]
        assert not satisfies(pair["constraint"], pair["rejected"][0]["content"]), pair["id"]


def test_split_by_topic_keeps_topics_apart_and_is_deterministic():
    rows = load_instructions()
    train, held_out = split_by_topic(rows, 5, seed=7)
    assert len(train) + len(held_out) == len(rows)
    assert len({r["topic"] for r in held_out}) == 5
    assert not {r["topic"] for r in train} & {r["topic"] for r in held_out}
    assert split_by_topic(rows, 5, seed=7)[1] == held_out
    with pytest.raises(ValueError):
        split_by_topic(rows, 0)


# ---------------------------------------------------------------- strict readers


@pytest.mark.parametrize("bad, message", [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "expected a JSON object"),
    (changed(GOOD_CONVERSATION, extra=1), "wrong keys"),
    (changed(GOOD_CONVERSATION, id=""), "'id'"),
    (changed(GOOD_CONVERSATION, topic=" "), "'topic'"),
    (changed(GOOD_CONVERSATION, constraint="haiku"), "unknown constraint"),
    (changed(GOOD_CONVERSATION, messages=[]), "non-empty list"),
    (changed(GOOD_CONVERSATION, messages=[{"role": "user", "content": "q"}]), "must end with a assistant"),
    (changed(GOOD_CONVERSATION, messages=[{"role": "bot", "content": "q"}]), "unknown role"),
    (changed(GOOD_CONVERSATION, messages=[{"role": "user", "content": " "}, {"role": "assistant", "content": "a"}]), "empty"),
    (changed(GOOD_CONVERSATION, messages=[{"role": "user", "content": "q"}, {"role": "user", "content": "q"}]), "alternate"),
    (changed(GOOD_CONVERSATION, messages=[{"role": "assistant", "content": "a"}]), "expected a user turn"),
    (changed(GOOD_CONVERSATION, messages=[{"role": "user", "content": "q"}, {"role": "system", "content": "s"},
                                          {"role": "assistant", "content": "a"}]), "only come first"),
    (changed(GOOD_CONVERSATION, messages=[{"role": "user", "text": "q"}]), "exactly 'role' and 'content'"),
])
def test_read_instructions_rejects_each_defect_naming_file_and_line(tmp_path, bad, message):
    path = write_lines(tmp_path, [GOOD_CONVERSATION, bad])
    with pytest.raises(DataFormatError, match=message) as error:
        read_instructions(path)
    assert f"{path}, line 2" in str(error.value)


def test_read_instructions_rejects_repeated_ids_and_empty_files(tmp_path):
    with pytest.raises(DataFormatError, match="repeated id"):
        read_instructions(write_lines(tmp_path, [GOOD_CONVERSATION, GOOD_CONVERSATION]))
    with pytest.raises(DataFormatError, match="no conversations"):
        read_instructions(write_lines(tmp_path, ["", "  "], "empty.jsonl"))


def test_read_instructions_accepts_a_system_message_and_multi_turn(tmp_path):
    row = changed(GOOD_CONVERSATION, messages=[
        {"role": "system", "content": "s"}, {"role": "user", "content": "q1"}, {"role": "assistant", "content": "a1"},
        {"role": "user", "content": "q2"}, {"role": "assistant", "content": "a2"}])
    assert read_instructions(write_lines(tmp_path, [row]))[0]["messages"][-1]["content"] == "a2"


@pytest.mark.parametrize("bad, message", [
    (changed(GOOD_PAIR, prompt=[{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]), "must end with a user"),
    (changed(GOOD_PAIR, chosen=[]), "one assistant message"),
    (changed(GOOD_PAIR, chosen="text"), "one assistant message"),
    (changed(GOOD_PAIR, rejected=[{"role": "user", "content": "x"}]), "alternate"),
    (changed(GOOD_PAIR, rejected=[{"role": "assistant", "content": "네, 알겠습니다. "}]), "the same"),
    (changed(GOOD_PAIR, constraint=3), "unknown constraint"),
])
def test_read_preferences_rejects_each_defect(tmp_path, bad, message):
    path = write_lines(tmp_path, [GOOD_PAIR, bad])
    with pytest.raises(DataFormatError, match=message) as error:
        read_preferences(path)
    assert f"{path}, line 2" in str(error.value)


# ---------------------------------------------------------------- constraints


def test_constraint_checkers_on_hand_made_answers():
    assert sentence_count("하나입니다. 둘입니다.") == 2 and sentence_count("no stop") == 1
    assert satisfies("one_sentence", "BERT는 2018년에 나왔습니다.")
    assert satisfies("one_sentence", "GPT-3.5 came out in 2022.")  # a decimal point is not a full stop
    assert not satisfies("one_sentence", "One. Two.")
    assert not satisfies("one_sentence", "line one\nline two")
    assert not satisfies("one_sentence", "dream dream dream"), "a sentence ends with its full stop"
    assert hangul_share("BERT 모델") == pytest.approx(2 / 6)
    assert satisfies("korean", "BERT는 양방향 모델입니다.") and not satisfies("korean", "BERT is bidirectional.")
    assert satisfies("english", "It works.") and not satisfies("english", "It works 잘.") and not satisfies("english", "123")
    assert list_items("1. a\n- b\n* c\nnot an item") == ["1. a", "- b", "* c"]
    assert satisfies("three_items", "1. a\n2. b\n3. c")
    assert not satisfies("three_items", "Here they are:\n1. a\n2. b\n3. c")
    assert not satisfies("three_items", "1. a\n2. b")
    assert satisfied_share(["english", "korean"], ["Yes.", "Yes."]) == 0.5
    with pytest.raises(ValueError, match="Unknown constraint"):
        satisfies("haiku", "x")
    with pytest.raises(ValueError):
        satisfied_share(["english"], [])


# ---------------------------------------------------------------- template, mask, LoRA


@pytest.fixture(scope="module")
def gpt2_pair():
    from transformers import AutoModelForCausalLM

    from lectureutils.models import load_model, load_tokenizer

    tokenizer = load_tokenizer("gpt2")
    model = load_model(AutoModelForCausalLM, "gpt2")
    return tokenizer, model


def test_chat_template_round_trip_and_assistant_mask(gpt2_pair):
    tokenizer, model = gpt2_pair
    rows = model.get_input_embeddings().weight.shape[0]
    added = add_chat_template(tokenizer, model)
    assert added == 2 and model.get_input_embeddings().weight.shape[0] == rows + 2
    assert add_chat_template(tokenizer, model) == 0, "a second call adds nothing"
    assert tokenizer.chat_template == CHATML_TEMPLATE
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "안녕?"},
                {"role": "assistant", "content": "안녕하세요."}, {"role": "user", "content": "Bye?"},
                {"role": "assistant", "content": "Bye."}]
    encoded = encode_conversation(tokenizer, messages)
    assert encoded["text"] == ("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n안녕?<|im_end|>\n"
                               "<|im_start|>assistant\n안녕하세요.<|im_end|>\n<|im_start|>user\nBye?<|im_end|>\n"
                               "<|im_start|>assistant\nBye.<|im_end|>\n")
    assert tokenizer.decode(encoded["input_ids"]) == encoded["text"]
    assert assistant_text(tokenizer, encoded) == "안녕하세요.<|im_end|>Bye.<|im_end|>"
    assert model.generation_config.eos_token_id == tokenizer.convert_tokens_to_ids("<|im_end|>")


def test_add_chat_template_needs_the_model_when_tokens_are_added():
    from lectureutils.models import load_tokenizer

    with pytest.raises(ValueError, match="pass the model"):
        add_chat_template(load_tokenizer("gpt2"))


def test_lora_trains_r_times_d_in_plus_d_out_per_adapted_matrix(gpt2_pair):
    from peft import LoraConfig, get_peft_model

    _, model = gpt2_pair
    config = model.config
    peft_model = get_peft_model(model, LoraConfig(r=4, target_modules=["c_attn", "c_fc"], task_type="CAUSAL_LM"))
    width = config.n_embd
    per_layer = 4 * (width + 3 * width) + 4 * (width + 4 * width)  # c_attn: d -> 3d, c_fc: d -> 4d
    assert expected_lora_parameters(peft_model) == config.n_layer * per_layer
    assert trainable_parameters(peft_model) == expected_lora_parameters(peft_model)
    peft_model.unload()
