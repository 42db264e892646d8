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
# A judgement: any reasoned answer that gives the value and why, picks a vector for the chatbot and says how to
# check it passes.
answer_01_3 = """\
The cosine similarity is exactly 1: the input embedding of "bank" is one row of the embedding table, looked up by
its token id before the model has read the sentence, so sentence 1 (money) and sentence 4 (river) get the very
same vector. The chatbot needs BERT's contextual output instead, last_hidden_state at the position of "bank" (or a
sentence vector built from last_hidden_state for the whole message), because it is computed from the words around
"bank". To check my choice I would write ten money messages and ten river messages, compute their vectors and
compare them with cosine similarity as section 4 does: same-sense pairs must be clearly more similar than
cross-sense pairs, with the real model, not an untrained offline one."""
