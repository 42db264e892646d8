"""Solutions of notebook 00_transfer_learning_map's exercises, kept apart from the student notebook.

Each `# %% NN.k` block replaces that exercise's answer cell; its last assignment binds the answer.
`make solutions` (and `make test`) run them through the notebook's self-checks (lectureutils.exercises).
"""

# %% 00.1
# Brand names are entity names: a label per token (B-/I- tags), as in entity name recognition.
brand_tagging_notebook = "10_named_entity_recognition"

# %% 00.2
# A judgement: any reasoned answer that names the model to copy, the data and why pre-trained passes.
answer_00_2 = """\
Copy notebook 05 (document classification): acceptability reads one learner's sentence and gives one label,
acceptable or not, so 05's classification head on the [CLS] vector fits. If the app should point at the wrong
word, notebook 10's shape (a label per token) is better, but someone must then mark the wrong words, which costs
more. The labelled data: a few thousand learners' sentences, each marked acceptable or not by a Korean teacher.
Start from a pre-trained Korean BERT, not from scratch: pre-training on raw text already taught it grammar and
meaning, so fine-tuning needs only those few thousand labels and minutes of training."""

# %% 00.3
# fine - tuning reuse ##s pre - trained weights . : 10 WordPieces; every piece after the first is predicted
# from the pieces before it, so 9 examples.
next_token_count = len(tokenizer.tokenize("Fine-tuning reuses pre-trained weights.")) - 1
