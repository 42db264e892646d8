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

# %% 05.3
# Any reasoned answer that covers the points passes; this is one.
answer_05_3 = (
    "I would choose TF-IDF character n-grams with logistic regression. It trains on 3,000 reviews in seconds "
    "on a laptop CPU, no GPU needed, and the table of section 7 shows it is a strong baseline: on real NSMC "
    "such baselines typically get 80-85 % accuracy where a fine-tuned KcBERT gets about 90 %. Fine-tuning on a "
    "CPU would take hours for a few more points, which a shop that loses little on a wrong label does not "
    "need. Feature extraction would be my second try. I would check the choice on a held-out quarter of the "
    "shop's labelled reviews: accuracy, the confusion matrix and the most confident mistakes."
)
