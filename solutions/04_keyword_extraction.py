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
# MMR 0.7 from the truncated document embedding (first 128 tokens), with the notebook's own mmr loop,
# compared with the keywords from the embedding in parts.
truncated_mmr = mmr(truncated_embedding, korean_candidate_embeddings, list(korean_candidate_words), TOP_N, 0.7)
changed_keywords = len(set(korean_mmr_07) - set(truncated_mmr))
