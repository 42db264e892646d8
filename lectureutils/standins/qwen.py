"""The stand-in of Qwen/Qwen2.5-0.5B (12 §3, §4): a tiny random Qwen2ForCausalLM with the real repository's files
in kind (``catalogue.QWEN_FACTS``): config.json in its own keys, tied bf16 weights, generation_config.json, a
byte-level BPE with Qwen2's pre-tokeniser and its 22 added tokens, more embedding rows than tokens.
"""

from __future__ import annotations

import json
from pathlib import Path

from .sources import SEED, chat_lines, korean_lines, read_lines
from .vocab import train_byte_level_bpe, write_json

__all__ = ["QWEN_ADDED_TOKENS", "QWEN_BASE_CHAT_TEMPLATE", "train_qwen_bpe", "build_qwen2"]

# Qwen2.5's added tokens in id order (the real ids are 151643-151664), and whether each is special.
QWEN_ADDED_TOKENS = [
    ("<|endoftext|>", True), ("<|im_start|>", True), ("<|im_end|>", True),
    ("<|object_ref_start|>", True), ("<|object_ref_end|>", True), ("<|box_start|>", True), ("<|box_end|>", True),
    ("<|quad_start|>", True), ("<|quad_end|>", True), ("<|vision_start|>", True), ("<|vision_end|>", True),
    ("<|vision_pad|>", True), ("<|image_pad|>", True), ("<|video_pad|>", True),
    ("<tool_call>", False), ("</tool_call>", False), ("<|fim_prefix|>", False), ("<|fim_middle|>", False),
    ("<|fim_suffix|>", False), ("<|fim_pad|>", False), ("<|repo_name|>", False), ("<|file_sep|>", False),
]

# The base checkpoint's template rendered for conversations without tools (the real one also formats tool calls):
# a default system message, <|im_start|>role\ncontent<|im_end|>\n per message, and no {% generation %} markers,
# so it gives no assistant mask (notebook 12 §3 replaces it with lectureutils.chat.CHATML_TEMPLATE).
QWEN_BASE_CHAT_TEMPLATE = (
    "{%- if messages[0]['role'] == 'system' %}"
    "{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}"
    "{%- else %}{{- '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{%- endif %}"
    "{%- for message in messages %}"
    "{%- if not (message['role'] == 'system' and loop.first) %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{%- endif %}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)


def train_qwen_bpe(lines: list[str], vocab_size: int):
    """A ``Qwen2Tokenizer`` (its NFC and pre-tokeniser) whose BPE is trained on ``lines``, Qwen's 22 added tokens
    after it (12, §3)."""
    from tokenizers import AddedToken
    from transformers import Qwen2Tokenizer

    backend = train_byte_level_bpe(lines, vocab_size, [], tokenizer=Qwen2Tokenizer().backend_tokenizer)
    model = json.loads(backend.to_str())["model"]
    merges = [tuple(merge) if isinstance(merge, list) else tuple(merge.split(" ")) for merge in model["merges"]]
    tokenizer = Qwen2Tokenizer(vocab=model["vocab"], merges=merges, bos_token=None, eos_token="<|endoftext|>",
                               pad_token="<|endoftext|>", unk_token=None, model_max_length=131072)
    tokenizer.add_tokens([AddedToken(token, special=special, normalized=False) for token, special in QWEN_ADDED_TOKENS])
    return tokenizer


def qwen_tokenizer_config(tokenizer, max_length: int) -> dict:
    """tokenizer_config.json with the real file's keys and values (catalogue: QWEN_FACTS)."""
    decoder = {}
    for token, special in QWEN_ADDED_TOKENS:
        decoder[str(tokenizer.convert_tokens_to_ids(token))] = {
            "content": token, "lstrip": False, "normalized": False, "rstrip": False, "single_word": False,
            "special": special,
        }
    return {
        "add_prefix_space": False,
        "added_tokens_decoder": decoder,
        "additional_special_tokens": [token for token, special in QWEN_ADDED_TOKENS[1:] if special],
        "bos_token": None,
        "chat_template": QWEN_BASE_CHAT_TEMPLATE,
        "clean_up_tokenization_spaces": False,
        "eos_token": "<|endoftext|>",
        "errors": "replace",
        "model_max_length": max_length,
        "pad_token": "<|endoftext|>",
        "split_special_tokens": False,
        "tokenizer_class": "Qwen2Tokenizer",
        "unk_token": None,
    }


def build_qwen2(folder: Path, layers: int = 2, hidden: int = 128, heads: int = 4, kv_heads: int = 2,
                intermediate: int = 512, vocab_size: int = 8000, max_positions: int = 32768):
    """Tiny Qwen2ForCausalLM laid out as Qwen/Qwen2.5-0.5B (12, §3): see the module docstring."""
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    tokenizer = train_qwen_bpe(read_lines("corpus_en.txt") + korean_lines() + chat_lines(), vocab_size)
    end_of_text = tokenizer.convert_tokens_to_ids("<|endoftext|>")
    rows = -(-len(tokenizer) // 128) * 128  # as the real 151,936 rows for 151,665 tokens: a multiple of 128
    # config.json as the real file writes it (transformers 4.40); transformers 5 reads these keys as they are
    real_config = {
        "architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": end_of_text,
        "eos_token_id": end_of_text, "hidden_act": "silu", "hidden_size": hidden, "initializer_range": 0.02,
        "intermediate_size": intermediate, "max_position_embeddings": max_positions, "max_window_layers": layers,
        "model_type": "qwen2", "num_attention_heads": heads, "num_hidden_layers": layers,
        "num_key_value_heads": kv_heads, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0,
        "sliding_window": max_positions, "tie_word_embeddings": True, "torch_dtype": "bfloat16",
        "use_cache": True, "use_mrope": False, "use_sliding_window": False, "vocab_size": rows,
    }
    torch.manual_seed(SEED)
    settings = {key: value for key, value in real_config.items() if key not in {"architectures", "model_type", "torch_dtype"}}
    model = Qwen2ForCausalLM(Qwen2Config(**settings)).to(torch.bfloat16)  # the real weights are bf16
    model.save_pretrained(folder)
    write_json(folder / "config.json", real_config)
    write_json(folder / "generation_config.json", {"bos_token_id": end_of_text, "do_sample": False,
                                                   "eos_token_id": end_of_text, "max_new_tokens": 2048})
    tokenizer.save_pretrained(folder)
    write_json(folder / "tokenizer_config.json", qwen_tokenizer_config(tokenizer, 131072))
    backend = json.loads(tokenizer.backend_tokenizer.to_str())["model"]
    write_json(folder / "vocab.json", backend["vocab"])
    merges = [" ".join(merge) if isinstance(merge, list) else merge for merge in backend["merges"]]
    (folder / "merges.txt").write_text("#version: 0.2\n" + "".join(f"{merge}\n" for merge in merges), encoding="utf-8")
