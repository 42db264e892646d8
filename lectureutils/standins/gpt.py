"""Stand-ins of GPT-2 (07 §1) and KoGPT2 (07 §7): tiny random GPT2LMHeadModels in their real repositories'
tokenizer layouts, recorded in ``lectureutils.catalogue``."""

from __future__ import annotations

import json
from pathlib import Path

from .sources import SEED, korean_lines, read_lines
from .vocab import KOGPT2_SPECIALS, train_byte_level_bpe, train_metaspace_bpe, write_json

__all__ = ["build_gpt2_english", "build_gpt2_korean"]


def save_tiny_gpt2(folder: Path, vocab_size: int, ids: dict, max_positions: int, layers: int, hidden: int):
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(SEED)
    config = GPT2Config(vocab_size=vocab_size, n_positions=max_positions, n_embd=hidden, n_layer=layers,
                        n_head=max(2, hidden // 64), **ids)
    GPT2LMHeadModel(config).save_pretrained(folder)


def build_gpt2_english(folder: Path, max_positions: int = 1024, layers: int = 2, hidden: int = 128, vocab_size: int = 4000):
    """Tiny GPT2LMHeadModel with a byte-level BPE trained on the project's English text (07, §1)."""
    from transformers import GPT2TokenizerFast

    bpe = train_byte_level_bpe(read_lines("corpus_en.txt"), vocab_size, ["<|endoftext|>"])
    tokenizer = GPT2TokenizerFast(
        tokenizer_object=bpe,
        bos_token="<|endoftext|>",
        eos_token="<|endoftext|>",
        unk_token="<|endoftext|>",
        model_max_length=max_positions,
    )
    ids = {"bos_token_id": tokenizer.bos_token_id, "eos_token_id": tokenizer.eos_token_id}
    save_tiny_gpt2(folder, len(tokenizer), ids, max_positions, layers, hidden)
    tokenizer.save_pretrained(folder)
    config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
    config.pop("tokenizer_class", None)  # gpt2's tokenizer_config.json names none: AutoTokenizer goes by model_type
    write_json(folder / "tokenizer_config.json", config)


def build_gpt2_korean(folder: Path, max_positions: int = 1024, layers: int = 2, hidden: int = 128, vocab_size: int = 6000):
    """Tiny GPT2LMHeadModel laid out as skt/kogpt2-base-v2, tokenizer.json only (its tokenizer_config.json holds
    just the stand-in marker): a "▁"-marked BPE with kogpt2's special tokens at ids 0-6 (07, §7)."""
    bpe = train_metaspace_bpe(korean_lines(), vocab_size, KOGPT2_SPECIALS, unk_token="<unk>")
    bpe.save(str(folder / "tokenizer.json"))
    write_json(folder / "tokenizer_config.json", {})
    ids = {"bos_token_id": bpe.token_to_id("</s>"), "eos_token_id": bpe.token_to_id("</s>"),
           "pad_token_id": bpe.token_to_id("<pad>")}
    save_tiny_gpt2(folder, bpe.get_vocab_size(), ids, max_positions, layers, hidden)
