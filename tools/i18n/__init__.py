"""The Korean edition's maintainer tools (i18n/README.md; run from the repository root):

- ``python -m tools.i18n refresh ko``: catalogues ``i18n/ko/*.po`` in step with the English notebooks (``catalogue``);
- ``python -m tools.i18n status ko``: translated / stale / missing per notebook, glossary misses (``glossary``);
- ``python -m tools.i18n build ko [--check]``: ``notebooks/ko/`` generated and the package's messages compiled
  (``build``); ``make ko`` runs refresh and build;
- ``-p tools.i18n.pytest_plugin``: the Korean notebooks' nbval run checks that the package speaks Korean.

What is translatable in a notebook: ``extract``. What runs in a notebook (``_()``) is ``lectureutils.i18n``.
"""
