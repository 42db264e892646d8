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


# ---------------------------------------------------------------- precision, the end-of-turn row, stopping


def test_precision_policy_is_fp32_below_capability_8_and_bf16_from_8(monkeypatch):
    """Issue 23.3: a T4 (7.5) only emulates bf16 and fp16 training of Qwen2 is reported to give NaN losses."""
    import torch

    from lectureutils import training
    from lectureutils.chat import chat_precision

    monkeypatch.delenv("LECTUREUTILS_PRECISION", raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda device=None: (7, 5))
    t4 = chat_precision("cuda")
    assert (t4.name, t4.dtype, t4.arguments["bf16"]) == ("fp32", torch.float32, False) and "7.5" in t4.reason
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda device=None: (8, 0))
    a100 = chat_precision("cuda:0")
    assert (a100.name, a100.dtype, a100.arguments) == ("bf16", torch.bfloat16, {"bf16": True, "fp16": False})
    assert chat_precision("cuda", capability=(9, 0)).name == "bf16"
    assert chat_precision("cuda", capability=(7, 0)).name == "fp32"
    assert chat_precision("cpu").name == "fp32" and chat_precision("mps").name == "fp32"
    assert t4.arguments == {"bf16": False, "fp16": False}, "said explicitly: trl's configs default to bf16"
    # LECTUREUTILS_PRECISION (env, the one owner) overrides the machine: the GPU's bf16 path on a CPU, or no bf16
    monkeypatch.setenv("LECTUREUTILS_PRECISION", "bf16")
    on_cpu = chat_precision("cpu")
    assert on_cpu.dtype == torch.bfloat16 and on_cpu.arguments == {**training.mixed_precision("cpu"), "fp16": False}
    monkeypatch.setenv("LECTUREUTILS_PRECISION", "fp32")
    assert chat_precision("cuda", capability=(8, 0)).name == "fp32"
    monkeypatch.setenv("LECTUREUTILS_PRECISION", "fp16")  # a T4's path forced on a bf16 GPU: fp32 for Qwen2, as a T4
    assert chat_precision("cuda").arguments == {"bf16": False, "fp16": False}


@pytest.fixture(scope="module")
def qwen_pair():
    import torch
    from transformers import AutoModelForCausalLM

    from lectureutils.models import load_model, load_tokenizer

    tokenizer = load_tokenizer("Qwen/Qwen2.5-0.5B")
    model = load_model(AutoModelForCausalLM, "Qwen/Qwen2.5-0.5B", dtype=torch.float32)
    assert add_chat_template(tokenizer, model) == 0, "Qwen's vocabulary has the ChatML tokens"
    return tokenizer, model


def test_sft_trains_the_end_of_turn_row_and_no_other(qwen_pair, tmp_path):
    """Issue 23.4: with LoRA on the linear layers only, the embeddings and the tied head stay frozen, and a base
    model never learns to write <|im_end|>. peft's trainable_token_indices trains that one row (the tied head's
    too); every other row stays as it was, also after merge_and_unload."""
    import copy

    import torch
    from datasets import Dataset
    from peft import LoraConfig
    from trl import SFTConfig, SFTTrainer

    from lectureutils.chat import expose_head_bias

    tokenizer, base = qwen_pair
    model = copy.deepcopy(base)
    end = tokenizer.convert_tokens_to_ids("<|im_end|>")
    before = model.get_input_embeddings().weight.detach().clone()
    conversations = [[{"role": "user", "content": f"{n} 더하기 {n}은?"}, {"role": "assistant", "content": f"{2 * n}입니다."}]
                     for n in range(4)]
    arguments = SFTConfig(output_dir=str(tmp_path), max_steps=1, per_device_train_batch_size=4, learning_rate=1e-2,
                          assistant_only_loss=True, gradient_checkpointing=False, eos_token="<|im_end|>",
                          save_strategy="no", report_to="none", seed=0, bf16=False, fp16=False, disable_tqdm=True,
                          dataloader_pin_memory=False)
    lora = LoraConfig(r=4, lora_alpha=8, target_modules="all-linear", task_type="CAUSAL_LM", trainable_token_indices=[end])
    trainer = SFTTrainer(model=model, args=arguments, processing_class=tokenizer, peft_config=lora,
                         train_dataset=Dataset.from_list([{"messages": messages} for messages in conversations]))
    expose_head_bias(trainer.model)
    width = model.config.hidden_size
    assert trainable_parameters(trainer.model) == expected_lora_parameters(trainer.model) + width
    trainer.train()
    merged = trainer.model.merge_and_unload()
    after = merged.get_input_embeddings().weight.detach()
    changed = (after != before).any(dim=1).nonzero().flatten().tolist()
    assert changed == [end]
    assert merged.get_output_embeddings().weight.data_ptr() == merged.get_input_embeddings().weight.data_ptr()
    assert torch.equal(merged.get_output_embeddings().weight, after), "the head writes <|im_end|> with the new row"


def test_chat_replies_say_whether_the_reply_ended_with_the_end_of_turn_token(qwen_pair):
    from lectureutils.chat import chat_replies

    tokenizer, model = qwen_pair
    end = tokenizer.convert_tokens_to_ids("<|im_end|>")
    prompts = [[{"role": "user", "content": "한 문장으로 답하세요."}]]
    texts, stopped = chat_replies(model, tokenizer, prompts, max_new_tokens=3)
    assert len(texts) == 1 and isinstance(texts[0], str) and stopped == [False], "random weights run to the limit"
    texts, stopped = chat_replies(model, tokenizer, prompts, max_new_tokens=3, forced_eos_token_id=end)
    assert stopped == [True] and "<|im_end|>" not in texts[0]
    with pytest.raises(ValueError):
        chat_replies(model, tokenizer, prompts, max_new_tokens=0)


# ---------------------------------------------------------------- RUN_SIZE (notebook 12 Parameters)


def test_for_run_sizes_and_the_standin_learning_rate(monkeypatch):
    """Issue 26.5: one call gives each RUN_SIZE's steps, prompts and learning rates, and owns the stand-in's rate."""
    import lectureutils.models
    from lectureutils import env
    from lectureutils.chat import settings

    monkeypatch.setattr(lectureutils.models, "is_standin", lambda obj: obj == "a/stand-in")
    monkeypatch.setattr(lectureutils.models, "announce", lambda resolved: None)
    monkeypatch.setattr(lectureutils.models, "resolve", lambda name: None)
    quick, in_class, full = (settings.RUNS.for_run(size, "a/real-model") for size in env.RUN_SIZES)
    assert quick.sft_max_steps > 0 and quick.dpo_max_steps > 0 and quick.margin_pairs
    assert in_class.sft_max_steps == full.sft_max_steps == in_class.dpo_max_steps == full.dpo_max_steps == -1
    assert (in_class.sft_epochs, in_class.dpo_epochs) == (full.sft_epochs, full.dpo_epochs)
    assert quick.eval_prompts < in_class.eval_prompts < full.eval_prompts
    assert {run.sft_learning_rate for run in (quick, in_class, full)} == {2e-4}
    assert {run.dpo_learning_rate for run in (quick, in_class, full)} == {5e-5}
    for size in env.RUN_SIZES:
        standin = settings.RUNS.for_run(size, "a/stand-in")
        assert standin.sft_learning_rate == standin.dpo_learning_rate == 1e-3
        assert standin.eval_prompts == settings.RUNS.sizes[size].eval_prompts
    with pytest.raises(ValueError, match="use one of 'quick', 'class', 'full'"):
        settings.RUNS.for_run("medium", "a/real-model")
