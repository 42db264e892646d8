"""Log-probabilities of responses, preference margins and chat generation.

Taught in notebooks/12_from_gpt_to_chatgpt.ipynb (§4, whether the model stops; §5 "Preference tuning with DPO";
§6 "Before and after").
"""

from __future__ import annotations

__all__ = ["response_logprob", "preference_margins", "chat_replies"]


def response_logprob(model, tokenizer, prompt_messages, response: str) -> float:
    """Σ log p(response tokens | prompt), the response rendered as the assistant's turn (12, §5)."""
    import torch

    prompt_ids = tokenizer.apply_chat_template(prompt_messages, add_generation_prompt=True, tokenize=True, return_dict=True)["input_ids"]
    conversation = list(prompt_messages) + [{"role": "assistant", "content": response}]
    full_ids = tokenizer.apply_chat_template(conversation, tokenize=True, return_dict=True)["input_ids"]
    if list(full_ids[: len(prompt_ids)]) != list(prompt_ids):
        raise ValueError("The chat template does not render the prompt as a prefix of the conversation.")
    device = next(model.parameters()).device
    ids = torch.tensor([list(full_ids)], device=device)
    with torch.no_grad():
        logits = model(input_ids=ids).logits[0, :-1].float()
    log_probs = torch.log_softmax(logits, dim=-1)
    targets = ids[0, 1:]
    picked = log_probs.gather(1, targets.unsqueeze(1)).squeeze(1)
    return float(picked[len(prompt_ids) - 1 :].sum())


def preference_margins(model, tokenizer, pairs) -> list[float]:
    """log p(chosen) − log p(rejected) for each conversational preference pair (12, §5)."""
    was_training = model.training
    model.eval()
    try:
        return [
            response_logprob(model, tokenizer, pair["prompt"], pair["chosen"][0]["content"])
            - response_logprob(model, tokenizer, pair["prompt"], pair["rejected"][0]["content"])
            for pair in pairs
        ]
    finally:
        model.train(was_training)


def chat_replies(model, tokenizer, prompts, max_new_tokens: int = 64, **decoding) -> tuple[list[str], list[bool]]:
    """Each prompt's reply (greedy by default) and whether it ended with ``<|im_end|>`` (12, §4 and §6)."""
    import torch

    from .template import END

    if max_new_tokens < 1:
        raise ValueError(f"max_new_tokens must be at least 1, not {max_new_tokens}.")
    device = next(model.parameters()).device
    end = tokenizer.convert_tokens_to_ids(END)
    settings = {"do_sample": False, "repetition_penalty": 1.2, **decoding}
    replies, stopped = [], []
    was_training = model.training
    model.eval()
    try:
        for messages in prompts:
            ids = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=True, return_dict=True,
                                                return_tensors="pt")
            ids = {key: value.to(device) for key, value in ids.items()}
            with torch.no_grad():
                output = model.generate(**ids, max_new_tokens=max_new_tokens, pad_token_id=tokenizer.pad_token_id,
                                        **settings)
            new_tokens = output[0, ids["input_ids"].shape[1]:]
            replies.append(tokenizer.decode(new_tokens, skip_special_tokens=True).strip())
            stopped.append(bool(len(new_tokens)) and int(new_tokens[-1]) == end)
    finally:
        model.train(was_training)
    return replies, stopped
