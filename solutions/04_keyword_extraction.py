"""Solutions of notebook 04_keyword_extraction's exercises, kept apart from the student notebook.

Each `# %% NN.k` block replaces that exercise's answer cell; its last assignment binds the answer.
`make solutions` (and `make test`) run them through the notebook's self-checks (lectureutils.exercises).
"""

# %% 04.1
import math

# The lecture's loop scores itertools.combinations(range(nr_candidates), top_n): every 6 of the 25.
combinations_25_6 = math.comb(25, 6)  # 177,100

# %% 04.2
import numpy as np
from sklearn.metrics.pairwise import cosine_similarity

# Diversity 1: score = 0 * (similarity to the document) - 1 * (largest similarity to a picked keyword).
# The first pick is the most document-similar candidate; the second is the one least similar to it.
first = int(np.argmax(cosine_similarity(doc_embedding, candidate_embeddings)[0]))
similarity_to_first = cosine_similarity(candidate_embeddings)[first]
similarity_to_first[first] = np.inf  # already picked
second_at_diversity_1 = candidates[int(np.argmin(similarity_to_first))]

# %% 04.3
# One reasoned answer (yours may choose another list and still be right): it names the list, says how relevant
# and how repetitive it is (section 4's table), and what more diversity buys and costs.
answer_04_3 = (
    "I would give the marketing team MMR with diversity 0.2 or Max Sum with nr_candidates=20, not the cosine "
    "top 5. The cosine list is the most relevant one in the table, but its keywords repeat each other (the "
    "highest redundancy), so five tags say two things. Max Sum over 20 candidates loses a little relevance and "
    "halves the redundancy, so the tags cover more of the text. MMR with diversity 0.7 covers the most but "
    "costs too much relevance: some of its keywords are off-topic fragments a customer would never search for."
)
