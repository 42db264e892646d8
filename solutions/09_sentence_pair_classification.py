"""Solutions of notebook 09_sentence_pair_classification's exercises, kept apart from the student notebook.

Each `# %% NN.k` block replaces that exercise's answer cell. `make solutions` (and `make test`) run them through
the notebook's self-checks (lectureutils.exercises).
"""

# %% 09.1
def to_names(ids, id2label):
    return [id2label[int(index)] for index in ids]  # the model's own mapping; int() for numpy ids

# %% 09.2
import re


def has_negation(text):
    return re.search("않|없|못|아니", text) is not None

# %% 09.3
def swap(frame):
    return frame.rename(columns={"premise": "hypothesis", "hypothesis": "premise"})[list(frame.columns)].copy()
