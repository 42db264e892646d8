"""Solutions of notebook 07_gpt_generation's exercises, kept apart from the student notebook.

Each `# %% NN.k` block replaces that exercise's answer cell. `make solutions` (and `make test`) run them through
the notebook's self-checks (lectureutils.exercises).
"""

# %% 07.1
# Top-k keeps the k most probable tokens and renormalises them to sum to 1.
p_first_under_top_k = (top.values[0] / top.values.sum()).item()

# %% 07.2
# Every token has probability 1/V, so the loss is -log(1/V) = log V and the perplexity exp(log V) = V.
uniform_perplexity = config.vocab_size

# %% 07.3
# Any reasoned answer that covers the points passes; this is one.
answer_07_3 = (
    "I would use top-p sampling (top_p=0.9) with temperature 0.7 and no_repeat_ngram_size=3. Greedy and beam "
    "search would loop and repeat phrases, and similar products would all get the same dull text. Sampling gives "
    "variety; the low temperature and top-p keep it close to the facts in the prompt. I would fix the seed to "
    "reproduce a text, and a person should review every description, because the model can invent a feature "
    "the product does not have."
)
