"""Maintainers' and instructors' tools, run from the repository root (``python -m tools.<name>``, or through make).

They are not part of the ``lectureutils`` package a student installs: no notebook imports them.
"""
