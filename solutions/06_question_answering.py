"""Solutions of notebook 06_question_answering's exercises, kept apart from the student notebook.

Each `# %% NN.k` block replaces that exercise's answer cell. `make solutions` (and `make test`) run them through
the notebook's self-checks (lectureutils.exercises).
"""

# %% 06.1
# A window holds 300 - 64 - 3 = 233 passage tokens and the next one starts 128 tokens later, so two neighbours
# share 233 - 128 = 105 tokens; any answer of up to 105 + 1 = 106 tokens lies wholly inside one window.
longest_guaranteed_answer = 300 - 64 - 3 - 128 + 1

# %% 06.2
import math

per_window = 128 - 20 - 3  # 105 passage tokens per window, each starting 64 tokens after the previous one
windows_needed = 1 + math.ceil((500 - per_window) / 64)  # 8
