"""Solutions of notebook 10_named_entity_recognition's exercises, kept apart from the student notebook.

Each `# %% NN.k` block replaces that exercise's answer cell. `make solutions` (and `make test`) run them through
the notebook's self-checks (lectureutils.exercises).
"""

# %% 10.1
from collections import Counter


def type_counts_of(rows):
    return Counter(tag[2:] for row in rows for tag in row["tags"] if tag.startswith("B-"))

# %% 10.2
def char_accuracy(rows, predicted):
    pairs = [(gold, guess) for row, tags in zip(rows, predicted)
             for char, gold, guess in zip(row["chars"], row["tags"], tags) if char != " "]
    return sum(gold == guess for gold, guess in pairs) / len(pairs)

# %% 10.3
def mask(text, entities, kinds=("PS",)):
    chars = list(text)
    for entity in entities:
        if entity["type"] in kinds:
            chars[entity["start"]:entity["end"]] = "＊" * (entity["end"] - entity["start"])
    return "".join(chars)
