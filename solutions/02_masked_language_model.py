"""Solutions of notebook 02_masked_language_model's exercises, kept apart from the student notebook.

Each `# %% NN.k` block replaces that exercise's answer cell. `make solutions` (and `make test`) run them through
the notebook's self-checks (lectureutils.exercises).
"""

# %% 02.1
# A judgement: the number (15 % chosen, 80 % of those masked: 2,400) and reasoned advice on an all-[MASK] recipe.
answer_02_1 = """\
About 2,400 tokens become [MASK]: 15 % of the 20,000 tokens are chosen (3,000) and 80 % of those are masked;
300 become a random token and 300 stay unchanged. I would tell my colleague to keep the 80/10/10 recipe. [MASK]
never appears later, when the model is fine-tuned or used: every input token is then a real one. With only
[MASK] the model would learn to predict at [MASK] positions and take every other token at face value; because a
chosen token may also be random or unchanged, it must check every token against its context, which gives better
vectors for fine-tuning. It is the collator's default, so keeping it costs nothing."""

# %% 02.2
morning_ids = tokenizer(MORNING)["input_ids"]
morning_length = len(morning_ids)  # [CLS] i went to [MASK] this morning . [SEP]: 9
morning_mask_position = morning_ids.index(tokenizer.mask_token_id)  # 4, counting [CLS] as 0

# %% 02.3
my_probe = f"The capital of France is {tokenizer.mask_token}."
