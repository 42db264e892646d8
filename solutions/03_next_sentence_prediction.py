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

# %% 03.3
# One reasoned answer (yours may choose other pairs and reach another verdict): it names the highest and the
# lowest P(IsNext), compares them with the expected labels, and says what the model seems to go by.
answer_03_3 = (
    "My pairs all start with 'I missed the bus this morning.'. The real continuation ('So I was late for the "
    "first meeting.') got the highest P(IsNext) and the capital of Australia the lowest, which is what I "
    "expected. For the tricky pair about buses in Seoul the model did not clearly agree with my NotNext label: "
    "it shares the word bus and stays on the topic of buses, and NSP was pre-trained to tell the next sentence "
    "from a random sentence of another document, so the same topic already looks like a continuation. I read "
    "the probability as 'B could come from the same text', not as proof that B logically follows A."
)
