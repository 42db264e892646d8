"""Instruction tuning and preference tuning: from GPT to ChatGPT (notebooks/12_from_gpt_to_chatgpt.ipynb).

Data (§2), constraints (§2, §6), template (§3), precision (§3), lora (§4), preference (§4, §5, §6), history (§1),
settings (Parameters). The training loops are trl's ``SFTTrainer``/``DPOTrainer`` with peft, in the notebook.
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
