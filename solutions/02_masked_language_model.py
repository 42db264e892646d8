"""Solutions of notebook 02_masked_language_model's exercises, kept apart from the student notebook.

Each `# %% NN.k` block replaces that exercise's answer cell. `make solutions` (and `make test`) run them through
the notebook's self-checks (lectureutils.exercises).
"""

# %% 02.1
# 15 % of the tokens are chosen for prediction; 80 % of the chosen become [MASK] (10 % random, 10 % unchanged).
masked_of_20000 = 20_000 * MLM_PROBABILITY * 0.8  # 2,400

# %% 02.2
soccer_ids = tokenizer(SOCCER)["input_ids"]
soccer_length = len(soccer_ids)  # [CLS] soccer is a really fun [MASK] . [SEP]: 9
soccer_mask_position = soccer_ids.index(tokenizer.mask_token_id)  # 6, counting [CLS] as 0

# %% 02.3
my_probe = f"The capital of France is {tokenizer.mask_token}."
