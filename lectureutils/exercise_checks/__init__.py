"""The exercise checkers, one module per notebook (lectureutils.exercises; every notebook's Exercises section).

Each module registers its checkers with :func:`checker` (in ``_common``, with the registry :data:`CHECKERS`);
importing this package registers them all. ``lectureutils.exercises`` imports this package, never the other way.
A checker takes the answer (and the context the self-check cell passes) and returns None when it is correct, else a
hint that says why it is wrong and where to look.
"""

from ._common import CHECKERS, MODEL_ANSWERS, checker, judgement
from . import nb00, nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08, nb09, nb10, nb11, nb12  # noqa: F401

__all__ = ["CHECKERS", "MODEL_ANSWERS", "checker", "judgement",
           "nb00", "nb01", "nb02", "nb03", "nb04", "nb05", "nb06", "nb07", "nb08", "nb09", "nb10", "nb11", "nb12"]
