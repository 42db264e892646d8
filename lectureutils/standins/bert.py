"""Stand-ins of the BERT family (bert-base/large-uncased, klue/bert-base, beomi/kcbert-base, the multilingual
sentence encoder) in their real repositories' layouts, recorded in ``lectureutils.catalogue`` (01, "Offline
stand-ins")."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .sources import SEED, korean_lines, packaged_minilm_path, read_lines
from .vocab import train_korean_wordpiece, train_xlmr_unigram, write_json, write_vocab

__all__ = ["build_bert_english", "build_bert_korean", "build_sentence_multilingual"]


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


def build_bert_korean(folder: Path, max_positions: int = 512, layers: int = 2, hidden: int = 128,
                      vocab_size: int = 8000, layout: str = "klue"):
    """Tiny BertForPreTraining with a cased WordPiece trained on the Korean text (01, 02, 03, 05), laid out as
    klue/bert-base (``layout="klue"``) or as kcbert, vocab.txt and a class-less tokenizer_config (``"vocab_only"``)."""
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
