"""The data catalogue: every corpus the notebooks use, and its reader and loader, in one place.

Each data set is one :class:`~lectureutils.corpus.Corpus` record kept with its task
(``lectureutils/<task>/corpus.py``); this module gathers them so that notebooks and tools have one entry
point:

* **NSMC** (05_document_classification, §1): :data:`NSMC`, :func:`read_nsmc`, :func:`load_nsmc`.
* **KorQuAD 1.0** (06_question_answering, §1): :data:`KORQUAD`, :func:`read_korquad`, :func:`load_korquad`.
* **KLUE-NLI** (09_sentence_pair_classification, §1): :data:`KLUE_NLI`, :func:`read_klue_nli`, :func:`load_klue_nli`.
* **KLUE-NER** (10_named_entity_recognition, §1): :data:`KLUE_NER`, :func:`read_klue_ner`, :func:`load_klue_ner`.

:data:`CORPORA` lists every corpus (``python -m lectureutils.prefetch`` fetches them all); where a file
comes from is decided once, by :func:`lectureutils.corpus.load_corpus`.  Nothing happens at import time.
Adding a task (CONTRIBUTING.md, "Adding a task") adds its corpus's import line and ``__all__`` line here.
"""

from __future__ import annotations

from .classification.corpus import NSMC, NSMC_FILES, NSMC_SAMPLE, load_nsmc, read_nsmc
from .corpus import Corpus, DataFormatError, RemoteFile, corpus_files, load_corpus
from .env import data_dir
from .ner.corpus import KLUE_NER, load_klue_ner, read_klue_ner
from .nli.corpus import KLUE_NLI, load_klue_nli, read_klue_nli
from .qa.corpus import KORQUAD, KORQUAD_FILES, KORQUAD_SAMPLE, load_korquad, read_korquad

__all__ = [
    "DataFormatError", "RemoteFile", "Corpus", "CORPORA", "data_dir", "corpus_files", "load_corpus",
    "NSMC", "NSMC_FILES", "NSMC_SAMPLE", "load_nsmc", "read_nsmc",
    "KORQUAD", "KORQUAD_FILES", "KORQUAD_SAMPLE", "load_korquad", "read_korquad",
    "KLUE_NLI", "load_klue_nli", "read_klue_nli",
    "KLUE_NER", "load_klue_ner", "read_klue_ner",
]

#: Every corpus the notebooks use: the Corpus records named in ``__all__``, in that order
#: (``python -m lectureutils.prefetch`` downloads them all).
CORPORA: tuple[Corpus, ...] = tuple(obj for obj in map(globals().get, __all__) if isinstance(obj, Corpus))
