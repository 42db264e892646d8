"""Helpers for the BERT & GPT lecture notebooks.

The lesson stays in the notebooks; this package holds the plumbing, one module per topic:

- ``env`` (the one owner of offline/fast/cache/data/seed), ``session`` (``setup()``), ``models`` and
  ``standins``: modes, the model catalogue and the offline stand-ins (every notebook);
- ``inputs``, ``plots``: input checks and plots with Korean labels (every notebook);
- ``mlm``, ``nsp``: fill-mask and next-sentence helpers (notebooks 02, 03);
- ``keywords``: KeyBERT, exact and fast (notebook 04);
- ``download``, ``corpus``, ``data``: cached, verified downloads and the data sets' readers (notebooks 05, 06, 09, 10);
- ``training``, ``finetune`` and one folder per task (``classification``, ``qa``, ``nli``, ``ner``,
  ``lm_finetuning``): fine-tuning, inference and evaluation, also from the command line (notebooks 05, 06, 09-11);
- ``chat``: instruction tuning with LoRA and preference tuning with DPO (notebook 12);
- ``serve``: the web service (notebooks 05, 06, 09, 10); ``colab``: badges, setup cells, Drive checkpoints;
- ``attention_view``: bertviz's attention view with its scripts shipped, so it works offline (notebook 01);
- ``exercises``, ``slides``, ``verify``: self-checks, reveal.js slides, real-model verification (instructors);
- ``generation``, ``pretraining``: GPT decoding and mini-BERT pre-training helpers (notebooks 07, 08);
- ``prefetch``: prepare an offline classroom.

Importing the package does no work: no downloads, no seeding, no printing.
"""

from .session import setup

__version__ = "0.1.0"
__all__ = ["setup", "__version__"]
