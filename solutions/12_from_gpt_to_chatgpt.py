"""Solutions of notebook 12_from_gpt_to_chatgpt's exercises, kept apart from the student notebook.

Each `# %% NN.k` block replaces that exercise's answer cell. `make solutions` (and `make test`) run them through
the notebook's self-checks (lectureutils.exercises).
"""

# %% 12.1
import copy

from peft import LoraConfig, get_peft_model

probe = get_peft_model(copy.deepcopy(model), LoraConfig(r=4, target_modules="all-linear", task_type="CAUSAL_LM"))
r4_parameters = trainable_parameters(probe)  # a quarter of r=16's: LoRA's cost is linear in r

# %% 12.2
def at_most_ten_words(text):
    return len(text.split()) <= 10


short_demonstrations = [c["id"] for c in conversations if at_most_ten_words(c["messages"][-1]["content"])]

# %% 12.3
import torch


def dpo_loss(policy_margin, reference_margin, beta):
    difference = torch.tensor(beta * (policy_margin - reference_margin))
    return float(-torch.nn.functional.logsigmoid(difference))
