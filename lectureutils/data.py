"""The data catalogue: every corpus the notebooks use, and its reader and loader, in one place.

Each data set is one :class:`~lectureutils.corpus.Corpus` record kept with its task
(``lectureutils/<task>/corpus.py``); this module gathers them so that notebooks and tools have one entry
point:

* **NSMC** (05_document_classification, §1): :data:`NSMC`, :func:`read_nsmc`, :func:`load_nsmc`.
* **KorQuAD 1.0** (06_question_answering, §1): :data:`KORQUAD`, :func:`read_korquad`, :func:`load_korquad`.

:data:`CORPORA` lists every corpus (``python -m lectureutils.prefetch`` fetches them all); where a file
comes from is decided once, by :func:`lectureutils.corpus.load_corpus`.  Nothing happens at import time.
"""

from __future__ import annotations

from .classification.corpus import NSMC, NSMC_FILES, NSMC_SAMPLE, load_nsmc, nsmc_files, read_nsmc
from .corpus import Corpus, DataFormatError, RemoteFile, corpus_files, load_corpus
from .env import data_dir
from .qa.corpus import KORQUAD, KORQUAD_FILES, KORQUAD_SAMPLE, korquad_files, load_korquad, read_korquad

__all__ = [
    "DataFormatError", "RemoteFile", "Corpus", "CORPORA", "data_dir", "corpus_files", "load_corpus",
    "NSMC", "NSMC_FILES", "NSMC_SAMPLE", "nsmc_files", "load_nsmc", "read_nsmc",
    "KORQUAD", "KORQUAD_FILES", "KORQUAD_SAMPLE", "korquad_files", "load_korquad", "read_korquad",
]

# Adding a task (CONTRIBUTING.md, "Adding a task"): one import line and one __all__ line per task, e.g.
#   from .nli.corpus import KLUE_NLI, load_klue_nli, read_klue_nli
#   __all__ += ["KLUE_NLI", "load_klue_nli", "read_klue_nli"]
# CORPORA below then includes the new corpus.

from .nli.corpus import KLUE_NLI, load_klue_nli, read_klue_nli  # noqa: E402  (09)
__all__ += ["KLUE_NLI", "load_klue_nli", "read_klue_nli"]
from .ner.corpus import KLUE_NER, load_klue_ner, read_klue_ner  # noqa: E402  (10)
__all__ += ["KLUE_NER", "load_klue_ner", "read_klue_ner"]

#: Every corpus the notebooks use, collected from this module's names (``python -m lectureutils.prefetch``
#: downloads them all).
CORPORA: tuple[Corpus, ...] = tuple(dict.fromkeys(v for v in list(globals().values()) if isinstance(v, Corpus)))
