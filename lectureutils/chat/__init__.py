"""Instruction tuning and preference tuning: from GPT to ChatGPT (notebooks/12_from_gpt_to_chatgpt.ipynb).

- ``corpus``: the project's instruction and preference data, strict readers, a split by topic (§2);
- ``constraints``: checkable instructions ("one sentence", "in Korean", "three items") (§2, §6);
- ``template``: the ChatML chat template with generation markers, assistant masks (§3);
- ``precision``: the one precision policy the model loads and trains in (bf16 or fp32, never fp16) (§3);
- ``lora``: what LoRA trains, r·(d_in + d_out) per matrix, and the end-of-turn row it trains beside (§4);
- ``preference``: response log-probabilities, DPO margins, chat generation and whether it stopped (§4, §5, §6);
- ``history``: the GPT → ChatGPT timeline and its figure (§1);
- ``settings``: what each ``RUN_SIZE`` trains and evaluates, ``for_run`` (Parameters).

The training loops are trl's ``SFTTrainer`` and ``DPOTrainer`` with a peft ``LoraConfig``, written out
in the notebook.
"""

from .constraints import CONSTRAINTS, satisfied_share, satisfies
from .corpus import load_instructions, load_preferences, read_instructions, read_preferences, split_by_topic
from .history import TIMELINE, plot_timeline
from .lora import adapted_matrices, expected_lora_parameters, expose_head_bias, total_parameters, trainable_parameters
from .precision import Precision, chat_precision
from .preference import chat_replies, preference_margins, response_logprob
from .template import CHATML_TEMPLATE, add_chat_template, assistant_text, encode_conversation

__all__ = [
    "CONSTRAINTS", "satisfies", "satisfied_share",
    "read_instructions", "read_preferences", "load_instructions", "load_preferences", "split_by_topic",
    "TIMELINE", "plot_timeline",
    "Precision", "chat_precision",
    "adapted_matrices", "expected_lora_parameters", "trainable_parameters", "total_parameters", "expose_head_bias",
    "response_logprob", "preference_margins", "chat_replies",
    "CHATML_TEMPLATE", "add_chat_template", "encode_conversation", "assistant_text",
]
