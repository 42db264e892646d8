"""Chat templates: turning a list of messages into the exact text a model is trained on.

Taught in notebooks/12_from_gpt_to_chatgpt.ipynb (§3 "The chat template"). Every base model gets the same ChatML
template, with the ``{% generation %}`` markers trl's ``assistant_only_loss`` needs.
"""

from __future__ import annotations

__all__ = ["CHATML_TEMPLATE", "START", "END", "add_chat_template", "encode_conversation", "assistant_text"]

START, END = "<|im_start|>", "<|im_end|>"

CHATML_TEMPLATE = (
    "{%- for message in messages %}"
    "{%- if message['role'] == 'assistant' %}"
    "{{- '<|im_start|>assistant\\n' }}"
    "{%- generation %}{{- message['content'] + '<|im_end|>' }}{%- endgeneration %}"
    "{{- '\\n' }}"
    "{%- else %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{%- endif %}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)


def add_chat_template(tokenizer, model=None) -> int:
    """Give ``tokenizer`` the ChatML template, adding ``<|im_start|>``/``<|im_end|>`` if missing (12, §3).

    Pass ``model`` when tokens may be added (its embeddings are resized). Returns the number of tokens added.
    """
    missing = [token for token in (START, END) if tokenizer.convert_tokens_to_ids(token) in (None, tokenizer.unk_token_id)]
    added = tokenizer.add_special_tokens({"additional_special_tokens": missing}) if missing else 0
    if added and model is None:
        raise ValueError(f"The tokenizer lacked {missing}: pass the model so its embeddings can grow to match.")
    if added:
        model.resize_token_embeddings(len(tokenizer))
    tokenizer.chat_template = CHATML_TEMPLATE
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token if tokenizer.eos_token is not None else END
    if model is not None:
        end_id = tokenizer.convert_tokens_to_ids(END)
        model.generation_config.eos_token_id = end_id
        model.generation_config.pad_token_id = tokenizer.pad_token_id
    return added


def encode_conversation(tokenizer, messages) -> dict:
    """Token ids, the assistant mask (1 on the tokens the model learns to write) and the text (12, §3)."""
    encoded = tokenizer.apply_chat_template(messages, tokenize=True, return_dict=True, return_assistant_tokens_mask=True)
    ids = list(encoded["input_ids"])
    return {
        "input_ids": ids,
        "assistant_masks": list(encoded["assistant_masks"]),
        "text": tokenizer.apply_chat_template(messages, tokenize=False),
    }


def assistant_text(tokenizer, encoded: dict) -> str:
    """The text of the tokens under the assistant mask, for checking the mask by eye (12, §3)."""
    kept = [token for token, keep in zip(encoded["input_ids"], encoded["assistant_masks"]) if keep]
    return tokenizer.decode(kept)
