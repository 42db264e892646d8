"""The stand-ins' vocabularies, each the real model's kind of tokenizer trained on the project's text, the special
tokens at their real ids (01, "Offline stand-ins"; 07 §7, KoGPT2's "▁"-marked BPE).
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = [
    "KOREAN_SPECIALS", "KOGPT2_SPECIALS", "XLMR_SPECIALS",
    "train_korean_wordpiece", "train_byte_level_bpe", "train_metaspace_bpe", "train_xlmr_unigram",
]

KOREAN_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]  # ids 0-4, as in kcbert and klue
KOGPT2_SPECIALS = ["<s>", "</s>", "<usr>", "<pad>", "<sys>", "<unk>", "<mask>"]  # ids 0-6, as in kogpt2
XLMR_SPECIALS = ["<s>", "<pad>", "</s>", "<unk>"]  # ids 0-3, as in XLM-R; <mask> comes last


def train_korean_wordpiece(lines: list[str], vocab_size: int):
    """Cased WordPiece with [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 [MASK]=4, as in kcbert and klue (01, "Offline stand-ins")."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import BertTokenizerFast

    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=False, strip_accents=False)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.decoder = decoders.WordPiece()
    trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, special_tokens=KOREAN_SPECIALS, show_progress=False)
    tokenizer.train_from_iterator(lines, trainer=trainer)
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", 2), ("[SEP]", 3)],
    )
    return BertTokenizerFast(tokenizer_object=tokenizer, do_lower_case=False, strip_accents=False)


def train_byte_level_bpe(lines: list[str], vocab_size: int, specials: list[str], tokenizer=None):
    """A byte-level BPE, as GPT-2's and Qwen2.5's (07, §1); ``tokenizer`` gives the normaliser and pre-tokeniser to
    keep (Qwen2's), else GPT-2's."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    if tokenizer is None:
        tokenizer = Tokenizer(models.BPE())
        tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
        tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=specials,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(lines, trainer=trainer)
    return tokenizer


def train_metaspace_bpe(lines: list[str], vocab_size: int, specials: list[str], unk_token: str):
    """A character BPE whose word starts are marked with "▁" (not byte-level), as KoGPT2's (07, §7)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.BPE(unk_token=unk_token))
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=specials, show_progress=False)
    tokenizer.train_from_iterator(lines, trainer=trainer)
    return tokenizer


def train_xlmr_unigram(lines: list[str], vocab_size: int):
    """A unigram tokenizer with XLM-R's special tokens: <s>=0 <pad>=1 </s>=2 <unk>=3, <mask> last (04)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import XLMRobertaTokenizer

    tokenizer = Tokenizer(models.Unigram())
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    trainer = trainers.UnigramTrainer(vocab_size=vocab_size, special_tokens=XLMR_SPECIALS, unk_token="<unk>",
                                      show_progress=False)
    tokenizer.train_from_iterator(lines, trainer=trainer)
    tokenizer.add_special_tokens(["<mask>"])
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>", special_tokens=[("<s>", 0), ("</s>", 2)]
    )
    return XLMRobertaTokenizer(tokenizer_object=tokenizer, bos_token="<s>", eos_token="</s>", sep_token="</s>",
                               cls_token="<s>", unk_token="<unk>", pad_token="<pad>", mask_token="<mask>")


def write_vocab(folder: Path, tokenizer) -> None:
    """vocab.txt, one WordPiece token a line in id order, as BERT repositories ship it."""
    vocabulary = sorted(tokenizer.get_vocab().items(), key=lambda item: item[1])
    (folder / "vocab.txt").write_text("".join(f"{token}\n" for token, _ in vocabulary), encoding="utf-8")


def write_json(path: Path, content: dict) -> None:
    """``content`` as indented UTF-8 JSON (Hangul kept readable), as the hub's files are written."""
    path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
