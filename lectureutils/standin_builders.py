"""Builders of the offline stand-ins, each with the file layout of the real repository it replaces.

Taught in notebooks/01_bert_embeddings.ipynb ("Offline stand-ins"). The facts each layout copies (tokenizer class
or its absence, pre-tokenizer, special tokens, lower-casing, positions, heads) are recorded with their sources in
``lectureutils.catalogue``; tests/test_standins.py checks every built stand-in against them. Each builder writes
a complete model folder into ``folder``; ``lectureutils.standins.build`` marks it and moves it into the cache.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .standins import KOGPT2_SPECIALS, KOREAN_SPECIALS, SEED, XLMR_SPECIALS, korean_lines, packaged_minilm_path, read_lines

__all__ = [
    "BUILDERS",
    "build_bert_english",
    "build_bert_korean",
    "build_gpt2_english",
    "build_gpt2_korean",
    "build_sentence_multilingual",
    "train_korean_wordpiece",
    "train_metaspace_bpe",
    "train_xlmr_unigram",
]


def tiny_bert_config(vocab_size: int, max_positions: int, layers: int, hidden: int, **ids):
    from transformers import BertConfig

    return BertConfig(
        vocab_size=vocab_size,
        hidden_size=hidden,
        num_hidden_layers=layers,
        num_attention_heads=max(2, hidden // 64),
        intermediate_size=4 * hidden,
        max_position_embeddings=max_positions,
        **ids,
    )


def save_bert_for_pretraining(folder: Path, vocab_size: int, pad_token_id: int, max_positions: int, layers: int, hidden: int):
    """A random tiny BertForPreTraining (MLM and NSP heads) in ``folder``."""
    import torch
    from transformers import BertForPreTraining

    torch.manual_seed(SEED)
    config = tiny_bert_config(vocab_size, max_positions, layers, hidden, pad_token_id=pad_token_id)
    BertForPreTraining(config).save_pretrained(folder)


def build_bert_english(folder: Path, max_positions: int = 512, layers: int = 2, hidden: int = 128):
    """Tiny BertForPreTraining with the real bert-base-uncased WordPiece vocabulary (01, "Offline stand-ins")."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(packaged_minilm_path()))
    tokenizer.model_max_length = max_positions
    save_bert_for_pretraining(folder, len(tokenizer), tokenizer.pad_token_id, max_positions, layers, hidden)
    tokenizer.save_pretrained(folder)
    write_vocab(folder, tokenizer)


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


def write_vocab(folder: Path, tokenizer) -> None:
    """vocab.txt, one WordPiece token a line in id order, as BERT repositories ship it."""
    vocabulary = sorted(tokenizer.get_vocab().items(), key=lambda item: item[1])
    (folder / "vocab.txt").write_text("".join(f"{token}\n" for token, _ in vocabulary), encoding="utf-8")


def write_json(path: Path, content: dict) -> None:
    path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def build_bert_korean(folder: Path, max_positions: int = 512, layers: int = 2, hidden: int = 128,
                      vocab_size: int = 8000, layout: str = "klue"):
    """Tiny BertForPreTraining with a cased WordPiece vocabulary trained on the project's Korean text. (01, 02, 03, 05)

    ``layout="klue"``: tokenizer.json, vocab.txt and a tokenizer_config.json naming BertTokenizer (klue/bert-base);
    ``layout="vocab_only"``: vocab.txt and a tokenizer_config.json without a class (beomi/kcbert-base), so that
    transformers builds the tokenizer from the vocabulary, as it does for the real kcbert.
    """
    tokenizer = train_korean_wordpiece(korean_lines(), vocab_size)
    save_bert_for_pretraining(folder, len(tokenizer), tokenizer.pad_token_id, max_positions, layers, hidden)
    write_vocab(folder, tokenizer)
    if layout == "vocab_only":
        write_json(folder / "tokenizer_config.json", {"do_lower_case": False, "model_max_length": max_positions})
        return
    tokenizer.model_max_length = max_positions
    tokenizer.save_pretrained(folder)
    config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
    write_json(folder / "tokenizer_config.json", {**config, "tokenizer_class": "BertTokenizer", "do_lower_case": False})


def train_byte_level_bpe(lines: list[str], vocab_size: int, specials: list[str]):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

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
    """Tiny GPT2LMHeadModel laid out as skt/kogpt2-base-v2 (07, §7).

    A "▁"-marked character BPE trained on the project's Korean text, with kogpt2's special tokens at ids 0-6,
    saved as tokenizer.json only: no tokenizer class and no special-tokens map, as the real repository. (The
    tokenizer_config.json written next to it holds nothing but the stand-in marker.) Load it as the model card
    says, ``PreTrainedTokenizerFast`` with the special tokens: ``lectureutils.models.load_tokenizer`` does.
    """
    bpe = train_metaspace_bpe(korean_lines(), vocab_size, KOGPT2_SPECIALS, unk_token="<unk>")
    bpe.save(str(folder / "tokenizer.json"))
    write_json(folder / "tokenizer_config.json", {})
    ids = {"bos_token_id": bpe.token_to_id("</s>"), "eos_token_id": bpe.token_to_id("</s>"),
           "pad_token_id": bpe.token_to_id("<pad>")}
    save_tiny_gpt2(folder, bpe.get_vocab_size(), ids, max_positions, layers, hidden)


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


def build_sentence_multilingual(folder: Path, max_positions: int = 512, max_seq_length: int = 128, layers: int = 2,
                                hidden: int = 128, vocab_size: int = 8000):
    """Tiny BERT + mean pooling SentenceTransformer with an XLM-R-style tokenizer, as
    paraphrase-multilingual-MiniLM-L12-v2 (04)."""
    import torch
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertModel

    tokenizer = train_xlmr_unigram(read_lines("corpus_en.txt") + korean_lines(), vocab_size)
    tokenizer.model_max_length = max_seq_length
    torch.manual_seed(SEED)
    config = tiny_bert_config(len(tokenizer), max_positions, layers, hidden, pad_token_id=tokenizer.pad_token_id)
    encoder_dir = folder / "encoder"
    BertModel(config).save_pretrained(encoder_dir)
    tokenizer.save_pretrained(encoder_dir)
    transformer = models.Transformer(str(encoder_dir), max_seq_length=max_seq_length)
    pooling = models.Pooling(config.hidden_size, pooling_mode="mean")
    SentenceTransformer(modules=[transformer, pooling], device="cpu").save(str(folder))
    shutil.rmtree(encoder_dir)
    # name the class as the real repository does: transformers before 5.24 would write "TokenizersBackend"
    config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
    write_json(folder / "tokenizer_config.json", {**config, "tokenizer_class": "XLMRobertaTokenizer"})


BUILDERS = {
    "bert_english": build_bert_english,
    "bert_korean": build_bert_korean,
    "gpt2_english": build_gpt2_english,
    "gpt2_korean": build_gpt2_korean,
    "sentence_multilingual": build_sentence_multilingual,
}
