"""Writing a review on demand: ``generate_review(sentiment, model, tokenizer, **decoding)``, and reloading.

Taught in notebooks/11_gpt_finetuning.ipynb (§5 "Generation per sentiment", §7 "Command line, saving and
reloading"). Decoding settings are checked first: ``generate`` silently ignores some bad ones.
"""

from __future__ import annotations

from ..checkpoints import load_checkpoint
from .features import control_ids, pad_id

__all__ = ["DEFAULT_DECODING", "DECODING_STRATEGIES", "check_decoding", "generate_reviews", "generate_review",
           "predict_batch", "load_generator"]

DEFAULT_DECODING = {"max_new_tokens": 40, "do_sample": False}  # explicit: a model's generation_config may sample
# The strategies of notebook 07, as compared in notebook 11 §5.
DECODING_STRATEGIES = {
    "greedy": {"do_sample": False},
    "greedy + repetition penalty 1.3": {"do_sample": False, "repetition_penalty": 1.3},
    "top-k 50": {"do_sample": True, "top_k": 50},
    "top-p 0.9": {"do_sample": True, "top_k": 0, "top_p": 0.9},
    "top-p 0.9, temperature 0.7": {"do_sample": True, "top_k": 0, "top_p": 0.9, "temperature": 0.7},
}
ALLOWED = {"max_new_tokens", "min_new_tokens", "do_sample", "top_k", "top_p", "temperature", "repetition_penalty",
           "no_repeat_ngram_size", "num_beams"}
SAMPLING_ONLY = ("top_k", "top_p", "temperature")


def check_decoding(**decoding) -> dict:
    """The decoding settings with defaults filled in, or ValueError/TypeError saying what is wrong (11 §5).

    Refuses unknown names, out-of-range values, and sampling settings without ``do_sample=True``.
    """
    unknown = sorted(set(decoding) - ALLOWED)
    if unknown:
        raise TypeError(f"Unknown decoding setting(s) {unknown}; use some of {sorted(ALLOWED)}.")
    settings = {**DEFAULT_DECODING, **decoding}
    integers = {"max_new_tokens": 1, "min_new_tokens": 0, "top_k": 0, "no_repeat_ngram_size": 0, "num_beams": 1}
    for name, lowest in integers.items():
        if name in settings and (isinstance(settings[name], bool) or not isinstance(settings[name], int)
                                 or settings[name] < lowest):
            raise ValueError(f"{name} must be an integer >= {lowest}, not {settings[name]!r}.")
    if "do_sample" in settings and not isinstance(settings["do_sample"], bool):
        raise ValueError(f"do_sample must be True or False, not {settings['do_sample']!r}.")
    if "temperature" in settings and not (isinstance(settings["temperature"], (int, float)) and settings["temperature"] > 0):
        raise ValueError(f"temperature must be > 0 (1 = the model's distribution), not {settings['temperature']!r}; "
                         "for the most probable token use do_sample=False (greedy).")
    if "top_p" in settings and not (isinstance(settings["top_p"], (int, float)) and 0 < settings["top_p"] <= 1):
        raise ValueError(f"top_p must be in (0, 1], not {settings['top_p']!r}.")
    if "repetition_penalty" in settings and not (isinstance(settings["repetition_penalty"], (int, float))
                                                 and settings["repetition_penalty"] > 0):
        raise ValueError(f"repetition_penalty must be > 0 (1 = none), not {settings['repetition_penalty']!r}.")
    sampling = [name for name in SAMPLING_ONLY if name in settings]
    if sampling and not settings.get("do_sample", False):
        raise ValueError(f"{sampling} only act when sampling: add do_sample=True (greedy decoding ignores them).")
    if settings.get("min_new_tokens", 0) > settings["max_new_tokens"]:
        raise ValueError("min_new_tokens is larger than max_new_tokens.")
    return settings


def generate_reviews(sentiment, model, tokenizer, num_samples: int = 1, seed: int | None = None, **decoding) -> list[str]:
    """``num_samples`` reviews of the given sentiment (positive/negative, 긍정/부정 or 1/0) (11 §5).

    Prompted with the control code; returns continuations cut at the first EOS. ``seed``: repeatable sampling.
    """
    import torch

    settings = check_decoding(**decoding)
    if num_samples < 1:
        raise ValueError(f"num_samples must be at least 1, not {num_samples}.")
    if num_samples > 1 and not settings.get("do_sample", False) and settings.get("num_beams", 1) < num_samples:
        # greedy search gives one text: repeat it instead of asking generate for what it cannot return
        return generate_reviews(sentiment, model, tokenizer, 1, seed, **decoding) * num_samples
    prompt = control_ids(tokenizer, sentiment)
    device = next(model.parameters()).device
    input_ids = torch.tensor([prompt], device=device)
    if seed is not None:
        torch.manual_seed(seed)
    was_training = model.training
    model.eval()
    try:
        with torch.inference_mode():
            output = model.generate(
                input_ids, attention_mask=torch.ones_like(input_ids), num_return_sequences=num_samples,
                eos_token_id=tokenizer.eos_token_id, pad_token_id=pad_id(tokenizer), **settings,
            )
    finally:
        model.train(was_training)
    texts = []
    for row in output[:, len(prompt):].tolist():
        if tokenizer.eos_token_id in row:
            row = row[: row.index(tokenizer.eos_token_id)]
        texts.append(tokenizer.decode(row, skip_special_tokens=True).strip())
    return texts


def generate_review(sentiment, model, tokenizer, seed: int | None = None, **decoding) -> str:
    """One review of the given sentiment (11 §5, §7); see ``generate_reviews``."""
    return generate_reviews(sentiment, model, tokenizer, 1, seed, **decoding)[0]


def predict_batch(sentiments, model, tokenizer, seed: int | None = None, **decoding) -> list[str]:
    """One review per requested sentiment, in input order (11 §7); an unknown one raises naming its position."""
    from .corpus import sentiment_name

    if isinstance(sentiments, (str, int)):
        raise TypeError("predict_batch takes a list of sentiments; for one review use generate_review.")
    names = []
    for position, sentiment in enumerate(sentiments):
        try:
            names.append(sentiment_name(sentiment))
        except (TypeError, ValueError) as error:
            raise ValueError(f"sentiment at position {position}: {error}") from None
    check_decoding(**decoding)
    reviews = {name: iter(generate_reviews(name, model, tokenizer, names.count(name), seed, **decoding))
               for name in set(names)}
    return [next(reviews[name]) for name in names]


def load_generator(directory, device: str | None = None):
    """``(model, tokenizer)`` of a fine-tuned generator: a saved folder or a Hub id (11's ``CHECKPOINT``),
    safetensors only, in evaluation mode (11 §7).
    """
    from transformers import AutoModelForCausalLM

    return load_checkpoint(AutoModelForCausalLM, directory, "generation", device)
