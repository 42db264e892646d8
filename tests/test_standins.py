from pathlib import Path

import pytest
import torch

from lectureutils import standins
from lectureutils.catalogue import CATALOGUE, ENGLISH_GPT2


def state_dict(folder):
    from safetensors.torch import load_file

    return load_file(str(folder / "model.safetensors"))


def test_builds_are_deterministic(tmp_path, monkeypatch):
    folders = []
    for run in ["first", "second"]:
        monkeypatch.setenv("LECTUREUTILS_CACHE", str(tmp_path / run))
        folders.append(standins.build("gpt2", ENGLISH_GPT2))
    first, second = (state_dict(folder) for folder in folders)
    assert first.keys() == second.keys()
    assert all(torch.equal(first[key], second[key]) for key in first)
    assert (folders[0] / "tokenizer.json").read_bytes() == (folders[1] / "tokenizer.json").read_bytes()


def test_an_interrupted_build_leaves_nothing_that_looks_valid(fresh_cache, monkeypatch):
    def broken_builder(folder, **options):
        (folder / "config.json").write_text("{}")
        raise RuntimeError("power cut")

    monkeypatch.setitem(standins.BUILDERS, "broken", broken_builder)
    recipe = standins.StandIn("broken", "a builder that fails half-way")
    with pytest.raises(RuntimeError, match="power cut"):
        standins.build("broken-model", recipe)
    assert not standins.is_built("broken-model", recipe)
    assert list((fresh_cache / "standins").iterdir()) == []


def test_a_built_standin_is_reused(fresh_cache, monkeypatch):
    calls = []
    monkeypatch.setitem(standins.BUILDERS, "counting", lambda folder, **options: calls.append((folder / "config.json").write_text("{}")))
    recipe = standins.StandIn("counting", "counts builds")
    first = standins.build("m", recipe)
    second = standins.build("m", recipe)
    assert first == second and len(calls) == 1


def test_the_cache_key_changes_with_the_recipe():
    small = standins.StandIn("bert_korean", "x", {"max_positions": 300})
    large = standins.StandIn("bert_korean", "x", {"max_positions": 512})
    assert small.key() != large.key()


@pytest.mark.parametrize("name", [name for name, entry in CATALOGUE.items() if isinstance(entry.offline, standins.StandIn)])
def test_every_catalogued_standin_builds_and_loads(name):
    from transformers import AutoConfig

    folder = standins.build(name, CATALOGUE[name].offline)
    config = AutoConfig.from_pretrained(str(folder))
    assert config.model_type in {"bert", "gpt2", "qwen2"}
    assert (folder / "tokenizer.json").exists() or (folder / "tokenizer_config.json").exists()


def test_korean_vocabulary_is_trained_on_project_text():
    tokenizer = standins.train_korean_wordpiece(["드론이 미세먼지를 측정한다.", "드론 활용 범위가 넓어진다."] * 20, 200)
    assert tokenizer.convert_ids_to_tokens([0, 1, 2, 3, 4]) == standins.KOREAN_SPECIALS
    assert "[UNK]" not in tokenizer.tokenize("드론이 미세먼지를 측정한다.")


@pytest.mark.parametrize("name", [name for name, entry in CATALOGUE.items() if isinstance(entry.offline, standins.StandIn)])
def test_every_standin_carries_its_marker_in_config_and_tokenizer_config(name):
    import json

    folder = standins.build(name, CATALOGUE[name].offline)
    summary = CATALOGUE[name].offline.summary
    assert json.loads((folder / "config.json").read_text())[standins.MARKER] == summary
    assert json.loads((folder / "tokenizer_config.json").read_text())[standins.MARKER] == summary


# --- each stand-in is laid out as the real repository it replaces (issue 19) ----------------------------

FACT_ENTRIES = [name for name, entry in CATALOGUE.items() if entry.facts is not None and isinstance(entry.offline, standins.StandIn)]


def component_types(node) -> set[str]:
    """Every "type" in a tokenizers component's JSON (a Sequence lists its parts)."""
    if isinstance(node, dict):
        own = {node["type"]} if "type" in node else set()
        return own.union(*(component_types(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(component_types(value) for value in node))
    return set()


def lowercases(normalizer) -> bool:
    if not normalizer:
        return False
    if normalizer.get("type") == "BertNormalizer":
        return bool(normalizer.get("lowercase"))
    if normalizer.get("type") == "Sequence":
        return any(lowercases(part) for part in normalizer["normalizers"])
    return normalizer.get("type") == "Lowercase"


@pytest.mark.parametrize("name", FACT_ENTRIES)
def test_standin_matches_the_published_facts(name):
    import json

    from transformers import AutoConfig

    from lectureutils.models import load_tokenizer

    entry = CATALOGUE[name]
    facts = entry.facts
    folder = standins.build(name, entry.offline)
    config = AutoConfig.from_pretrained(str(folder))
    assert config.model_type == facts.model_type
    positions = getattr(config, "max_position_embeddings", None) or config.n_positions
    assert positions == facts.max_positions

    tokenizer_config = json.loads((folder / "tokenizer_config.json").read_text())
    if "tokenizer_class" not in facts.unverified:
        assert tokenizer_config.get("tokenizer_class") == facts.tokenizer_class, tokenizer_config
    for file in ["tokenizer.json", "vocab.txt"]:
        assert (folder / file).exists() == (file in facts.tokenizer_files), file

    keys = state_dict(folder).keys()
    assert any(key.startswith("cls.predictions") for key in keys) == ("mlm" in facts.heads)
    assert any(key.startswith("cls.seq_relationship") for key in keys) == ("nsp" in facts.heads)
    causal = ("LMHeadModel", "ForCausalLM")
    assert any(architecture.endswith(causal) for architecture in config.architectures) == ("lm" in facts.heads)
    written = json.loads((folder / "config.json").read_text())
    if facts.dtype is not None:  # the key the real file uses (transformers 5 writes "dtype")
        assert (written.get("torch_dtype") or written.get("dtype")) == facts.dtype
    if facts.tied_embeddings is not None:
        assert config.tie_word_embeddings == facts.tied_embeddings

    tokenizer = load_tokenizer(name)
    backend = json.loads(tokenizer.backend_tokenizer.to_str())
    assert backend["model"]["type"] == facts.tokenizer_model
    assert facts.pre_tokenizer in component_types(backend["pre_tokenizer"])
    assert lowercases(backend["normalizer"]) == facts.lowercase
    normalizer = tokenizer.backend_tokenizer.normalizer
    assert (normalizer is not None and normalizer.normalize_str("Paris") == "paris") == facts.lowercase
    for role, (token, token_id) in facts.special_tokens.items():
        assert getattr(tokenizer, f"{role}_token") == token, role
        if token_id is not None:
            assert tokenizer.convert_tokens_to_ids(token) == token_id, (role, token)
    assert ("token_type_ids" in tokenizer("a b", "c d")) == facts.token_type_ids
    for token in facts.vocabulary:  # one token each, never split
        assert tokenizer.tokenize(token) == [token] and tokenizer.convert_tokens_to_ids(token) is not None, token
    if facts.generation:
        generation = json.loads((folder / "generation_config.json").read_text())
        for key, token in facts.generation.items():
            assert generation[key] == tokenizer.convert_tokens_to_ids(token), key
    if entry.offline.builder == "sentence_multilingual":
        from lectureutils.models import load_sentence_transformer

        assert load_sentence_transformer(name, device="cpu").max_seq_length == facts.model_max_length
    elif facts.model_max_length is None:  # the repository sets none: transformers' "no limit" (a huge number)
        assert tokenizer.model_max_length > 1e20
    else:
        assert tokenizer.model_max_length == facts.model_max_length


def test_kogpt2_standin_needs_the_authors_tokenizer_class(capsys):
    """As the real repository, the stand-in names no tokenizer class. Observed with transformers 5.24:
    AutoTokenizer then falls back to GPT2Tokenizer, which rebuilds a byte-level pre-tokenizer around the
    "▁" vocabulary and encodes the model card's prompt to [] (no tokens at all); PreTrainedTokenizerFast,
    as the authors load it, gives 9 tokens that decode back to the prompt."""
    from transformers import AutoTokenizer

    from lectureutils.models import load_tokenizer, resolve

    prompt = "근육이 커지기 위해서는"
    folder = resolve("skt/kogpt2-base-v2").source
    auto = AutoTokenizer.from_pretrained(folder)
    assert type(auto).__name__ == "GPT2Tokenizer" and auto(prompt)["input_ids"] == []
    tokenizer = load_tokenizer("skt/kogpt2-base-v2")
    ids = tokenizer(prompt)["input_ids"]
    assert ids and tokenizer.unk_token_id not in ids
    assert tokenizer.tokenize(prompt)[0].startswith("▁")
    assert tokenizer.decode(ids) == prompt
    assert tokenizer.eos_token == "</s>" and tokenizer.pad_token == "<pad>" and tokenizer.pad_token_id != tokenizer.eos_token_id


@pytest.mark.parametrize("name", ["klue/bert-base", "beomi/kcbert-base"])
def test_korean_bert_standins_keep_hangul_with_the_catalogue_arguments(name):
    from lectureutils.models import load_tokenizer

    text = "근육이 커지기 위해서는"  # words of the project's Korean text, which the stand-in vocabulary knows
    tokens = load_tokenizer(name).tokenize(text)
    assert "[UNK]" not in tokens and tokens[0] == "근"
    assert CATALOGUE[name].tokenizer_kwargs == {"do_lower_case": False}


def test_kcbert_standin_breaks_when_lowercased():
    """19.8: kcbert ships vocab.txt only, so transformers builds its tokenizer from the arguments it is given;
    lower-casing (BertTokenizer's default) decomposes Hangul into jamo, and every word becomes [UNK]."""
    from transformers import BertTokenizer

    from lectureutils.models import resolve

    lowered = BertTokenizer.from_pretrained(resolve("beomi/kcbert-base").source, do_lower_case=True)
    assert set(lowered.tokenize("근육이 커지기 위해서는")) == {"[UNK]"}


def test_qwen_standin_has_the_real_layout():
    """Qwen/Qwen2.5-0.5B: tied bf16 weights without an lm_head tensor, Qwen's added tokens right after the learned
    vocabulary (<|endoftext|>, <|im_start|>, <|im_end|>, ...), more embedding rows than tokens, and a base chat
    template without the {% generation %} markers trl's assistant_only_loss needs (catalogue: QWEN_FACTS)."""
    import json

    from transformers import AutoModelForCausalLM

    from lectureutils.models import load_tokenizer, resolve
    from lectureutils.standins.qwen import QWEN_ADDED_TOKENS

    folder = Path(resolve("Qwen/Qwen2.5-0.5B").source)
    weights = state_dict(folder)
    assert not any(key.startswith("lm_head") for key in weights), "tied: the head is the embedding matrix"
    assert {tensor.dtype for tensor in weights.values()} == {torch.bfloat16}
    assert {"vocab.json", "merges.txt", "generation_config.json"} <= {path.name for path in folder.iterdir()}
    tokenizer = load_tokenizer("Qwen/Qwen2.5-0.5B")
    added = [token for token, _ in QWEN_ADDED_TOKENS]
    first = tokenizer.convert_tokens_to_ids("<|endoftext|>")
    assert tokenizer.convert_tokens_to_ids(added) == list(range(first, first + len(added)))
    assert first == len(json.loads((folder / "vocab.json").read_text())) and len(tokenizer) == first + len(added)
    assert tokenizer.bos_token is None and tokenizer.eos_token == tokenizer.pad_token == "<|endoftext|>"
    assert "endgeneration" not in tokenizer.chat_template, "no {% generation %} markers: no assistant mask"
    rendered = tokenizer.apply_chat_template([{"role": "user", "content": "안녕?"}], tokenize=False, add_generation_prompt=True)
    assert rendered == "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n안녕?<|im_end|>\n<|im_start|>assistant\n"
    model = AutoModelForCausalLM.from_pretrained(folder)
    rows = model.get_input_embeddings().weight.shape[0]
    assert rows > len(tokenizer) and rows % 128 == 0
    assert model.get_output_embeddings().weight.data_ptr() == model.get_input_embeddings().weight.data_ptr()
    text = "전이 학습은 BERT를 미세 조정합니다."
    assert tokenizer.decode(tokenizer(text)["input_ids"]) == text and tokenizer.unk_token is None


def test_the_standins_package_imports_without_a_circle():
    """Issue 24: one module per concern, each importing only the ones before it (sources, vocab -> the builders
    of each family -> builders -> cache), every import at the top of its file."""
    import ast

    package = Path(standins.__file__).parent
    imports = {}
    for path in sorted(package.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        statements = [node for node in tree.body if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]
        first_other = next((i for i, node in enumerate(statements) if not isinstance(node, (ast.Import, ast.ImportFrom))),
                           len(statements))
        assert all(not isinstance(node, (ast.Import, ast.ImportFrom)) for node in statements[first_other:]), path.name
        imports[path.stem] = {node.module for node in tree.body
                              if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module}

    def reaches(start, goal, seen=()):
        return any(name == goal or (name not in seen and reaches(name, goal, (*seen, name)))
                   for name in imports.get(start, ()))

    assert not [name for name in imports if reaches(name, name)], imports
    assert imports["cache"] == {"builders", "sources"} and not imports["sources"] and not imports["vocab"]


def test_a_standin_is_kept_in_the_hugging_face_cache_layout(fresh_cache, monkeypatch):
    """refs/main names the snapshot a plain from_pretrained reads, as in a hub cache (issue 26.4)."""
    from huggingface_hub import snapshot_download

    monkeypatch.setitem(standins.BUILDERS, "tiny", lambda folder, **options: (folder / "config.json").write_text("{}"))
    folder = standins.build("org/model", standins.StandIn("tiny", "a tiny one"))
    entry = fresh_cache / "standins" / "models--org--model"
    assert folder.parent == entry / "snapshots" and len(folder.name) == 40
    assert (entry / "refs" / "main").read_text() == folder.name
    assert Path(snapshot_download("org/model", cache_dir=str(fresh_cache / "standins"), local_files_only=True)) == folder
