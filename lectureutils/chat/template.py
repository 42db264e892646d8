"""Chat templates: turning a list of messages into the exact text a model is trained on.

Taught in notebooks/12_from_gpt_to_chatgpt.ipynb (§3 "The chat template"). A base model has no chat
format of its own (or, like Qwen2.5's base checkpoint, one without the ``{% generation %}`` markers
trl needs to find the assistant's tokens). We give every base model the same ChatML template, the
format Qwen's chat models use: ``<|im_start|>role\\ncontent<|im_end|>\\n`` per message, with the
assistant's content and closing ``<|im_end|>`` between generation markers, so that
``apply_chat_template(..., return_assistant_tokens_mask=True)`` and trl's ``assistant_only_loss``
mark exactly the tokens the model must learn to write.
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
    """Give ``tokenizer`` the ChatML template; add ``<|im_start|>``/``<|im_end|>`` if its vocabulary lacks them (12, §3).

    New tokens get new rows in ``model``'s embedding matrix (``resize_token_embeddings``), so pass the
    model whenever the tokenizer may lack them. ``<|im_end|>`` becomes the end-of-turn token the model
    learns to write, so generation stops there. Returns the number of tokens added.
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
