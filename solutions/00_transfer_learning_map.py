"""Solutions of notebook 00_transfer_learning_map's exercises, kept apart from the student notebook.

Each `# %% NN.k` block replaces that exercise's answer cell; its last assignment binds the answer.
`make solutions` (and `make test`) run them through the notebook's self-checks (lectureutils.exercises).
"""

# %% 00.1
# Brand names are entity names: a label per token (B-/I- tags), as in entity name recognition.
brand_tagging_notebook = "10_named_entity_recognition"

# %% 00.2
# One sentence in, one label (acceptable or not) out: document classification's shape.
acceptability_notebook = "05_document_classification"

# %% 00.3
# fine - tuning reuse ##s pre - trained weights . : 10 WordPieces; every piece after the first is predicted
# from the pieces before it, so 9 examples.
next_token_count = len(tokenizer.tokenize("Fine-tuning reuses pre-trained weights.")) - 1
