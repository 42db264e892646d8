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

# %% 06.3
# Any reasoned answer that covers the points passes; this is one.
answer_06_3 = (
    "The lecture's function reads one input of 128 tokens, so the passage is cut after its first hundred or so "
    "tokens and the answer past them is never seen. It can only point at something in the first part: a wrong "
    "span, [CLS], or an empty answer when the arg-max end comes before the arg-max start. answer() cuts the "
    "passage into overlapping windows, a new one every 64 tokens, and keeps the best valid span over all of "
    "them, so it can find the answer. I would tell the company to use the windowed answer() for long manuals. "
    "It can still go wrong: an answer longer than the 30 tokens the windows guarantee may be cut in every "
    "window, a similar sentence in another window can score higher, and a question the manual does not answer "
    "still gets some span, so they should test it on questions with known answers first."
)
