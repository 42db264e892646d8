"""Solutions of notebook 03_next_sentence_prediction's exercises, kept apart from the student notebook.

Each `# %% NN.k` block replaces that exercise's answer cell. `make solutions` (and `make test`) run them through
the notebook's self-checks (lectureutils.exercises).
"""

# %% 03.1
# Segment B (token_type_ids 1) is B's word pieces and the [SEP] that closes it.
segment_b_tokens = len(tokenizer.tokenize(NEXT_SENTENCE)) + 1

# %% 03.2
import math

p_is_next = math.exp(2.0) / (math.exp(2.0) + math.exp(-1.0))  # softmax at index 0: about 0.953
