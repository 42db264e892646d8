"""The exercise checkers, one module per notebook (lectureutils.exercises; every notebook's Exercises section).

Importing this package registers every checker in :data:`CHECKERS`. A checker takes the answer (and the context the
self-check cell passes) and returns None when it is correct, else a hint (through ``_()``: in the student's
language) that says why it is wrong and where to look.
"""

from ._common import CHECKERS, MODEL_ANSWERS, checker, judgement
from . import nb00, nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08, nb09, nb10, nb11, nb12  # noqa: F401

__all__ = ["CHECKERS", "MODEL_ANSWERS", "checker", "judgement"]
