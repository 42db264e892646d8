"""The data sets of the fine-tuning notebooks in one place: each task's corpus record, reader and loader.

Each record lives with its task (``lectureutils/<task>/corpus.py``); this module gathers them for notebooks and
tools: NSMC (05 §1), KorQuAD 1.0 (06 §1), KLUE-NLI (09 §1) and KLUE-NER (10 §1). :data:`CORPORA` lists every corpus
(``python -m lectureutils.prefetch`` fetches them all). Adding a task adds its line here (CONTRIBUTING.md).
"""

from __future__ import annotations

from .classification.corpus import NSMC, load_nsmc, read_nsmc
from .corpus import Corpus
from .corpus import DataFormatError  # noqa: F401  still imported from here by tests/test_chat.py, test_ner_corpus.py
from .env import data_dir  # noqa: F401  still imported from here by benchmarks/padding.py, tests/test_nli.py
from .ner.corpus import KLUE_NER, load_klue_ner, read_klue_ner
from .nli.corpus import KLUE_NLI, load_klue_nli, read_klue_nli
from .qa.corpus import KORQUAD, load_korquad, read_korquad

__all__ = [
    "CORPORA",
    "NSMC", "load_nsmc", "read_nsmc",
    "KORQUAD", "load_korquad", "read_korquad",
    "KLUE_NLI", "load_klue_nli", "read_klue_nli",
    "KLUE_NER", "load_klue_ner", "read_klue_ner",
]

#: Every corpus the notebooks use, in the order of ``__all__`` (05, 06, 09, 10).
CORPORA: tuple[Corpus, ...] = tuple(obj for obj in map(globals().get, __all__) if isinstance(obj, Corpus))
