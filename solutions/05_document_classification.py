"""Solutions of notebook 05_document_classification's exercises, kept apart from the student notebook.

Each `# %% NN.k` block replaces that exercise's answer cell. `make solutions` (and `make test`) run them through
the notebook's self-checks (lectureutils.exercises).
"""

# %% 05.1
lengths = [12, 30, 7, 51]
dynamic_padding_tokens = max(lengths) * len(lengths) - sum(lengths)  # every review padded to 51: 104
fixed_padding_tokens = 128 * len(lengths) - sum(lengths)  # every review padded to 128: 412

# %% 05.2
import math

full_run_steps = math.ceil(150_000 / 32) * 3  # 4,688 batches per epoch (the last one smaller), 3 epochs: 14,064
full_run_eval_steps = full_run_steps // 10  # 1,406
