"""``python -m lectureutils.serve``: see ``lectureutils.serve.cli`` (notebooks 05 §12 and 06 §10)."""

from .cli import main

__all__ = ["main"]

if __name__ == "__main__":
    main()
