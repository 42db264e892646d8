"""KorQuAD 1.0 exact match and F1: the same names as :mod:`lectureutils.qa.metrics`, where they live.

Taught in notebooks/06_question_answering.ipynb (§6). Kept so that ``from lectureutils.qa_metrics import
korquad_metrics`` keeps working.
"""

from .qa.metrics import *  # noqa: F401,F403
from .qa.metrics import __all__  # noqa: F401
