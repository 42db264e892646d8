"""Helpers for the BERT & GPT lecture notebooks.

The lesson stays in the notebooks; this package holds the plumbing: modes and offline
stand-ins (``modes``, ``models``, ``standins``), ``setup()`` (``session``), input checks
(``inputs``), plots (``plots``), data (``data``), and more, one module per topic.
Importing the package does no work: no downloads, no seeding, no printing.
"""

from .modes import is_fast, is_offline, pick
from .session import setup

__version__ = "0.1.0"
__all__ = ["setup", "pick", "is_fast", "is_offline", "__version__"]
