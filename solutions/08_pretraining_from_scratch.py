"""Solutions of notebook 08_pretraining_from_scratch's exercises, kept apart from the student notebook.

Each `# %% NN.k` block replaces that exercise's answer cell. `make solutions` (and `make test`) run them through
the notebook's self-checks (lectureutils.exercises).
"""

# %% 08.1
import math

uniform_mlm_loss = math.log(VOCAB_SIZE)  # cross-entropy of probability 1/V

# %% 08.2
unchanged_of_4000 = 4000 * MASK_PROBABILITY * 0.1  # 600 chosen, 10 % of them left as they are: 60
