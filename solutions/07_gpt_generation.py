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
