"""Helpers for the BERT & GPT lecture notebooks.

The lesson stays in the notebooks; this package holds the plumbing, one module per topic:

- ``modes``, ``session`` (``setup()``), ``models`` and ``standins``: online/offline/fast modes, the
  model catalogue and the offline stand-ins (every notebook);
- ``inputs``, ``plots``: input checks and plots with Korean labels (every notebook);
- ``mlm``, ``nsp``: fill-mask and next-sentence helpers (notebooks 02, 03);
- ``keywords`` (and ``keywords_reference``, the lecture's loops): KeyBERT, exact and fast (notebook 04);
- ``download``, ``data``: cached, verified downloads and the NSMC / KorQuAD readers (notebooks 05, 06);
- ``training``, ``classification``, ``qa``, ``qa_metrics``, ``finetune``: fine-tuning, inference and
  evaluation, also from the command line (notebooks 05, 06);
- ``serve``: the web service (notebooks 05, 06);
- ``generation``, ``pretraining``: GPT decoding and mini-BERT pre-training helpers (notebooks 07, 08);
- ``prefetch``: prepare an offline classroom.

Importing the package does no work: no downloads, no seeding, no printing.
"""

from .modes import is_fast, is_offline, pick
from .session import setup

__version__ = "0.1.0"
__all__ = ["setup", "pick", "is_fast", "is_offline", "__version__"]
