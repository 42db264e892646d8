"""Solutions of notebook 01_bert_embeddings's exercises, kept apart from the student notebook.

Each `# %% NN.k` block replaces that exercise's answer cell. `make solutions` (and `make test`) run them through
the notebook's self-checks (lectureutils.exercises).
"""

# %% 01.1
# [CLS] i love paris [SEP] are real tokens (mask 1); the other 10 - 5 positions are [PAD] (mask 0).
zeros_at_10 = 10 - len(tokenizer(SENTENCE)["input_ids"])

# %% 01.2
# One pooled vector per sentence, each of hidden_size numbers (1024 for bert-large-uncased).
pooler_shape_for_3 = (3, config.hidden_size)

# %% 01.3
# The input embedding is the row of the token-id table for "bank": the same row in both sentences,
# whatever the context, so the cosine similarity is 1.
import torch

bank_row = model.get_input_embeddings().weight[tokenizer.convert_tokens_to_ids("bank")].detach()
static_cosine = float(torch.nn.functional.cosine_similarity(bank_row, bank_row, dim=0))
