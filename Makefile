# Two commands do all set-up on a fresh machine (see README.md):
#   make lab   - create .venv, install everything, open JupyterLab on notebooks/
#   make test  - create/use .venv, install, run the unit tests and every notebook (offline + fast;
#                then every notebook but 08 offline at full size), then `make lower-bounds`
# Also: make lower-bounds (the unit tests against the declared minimum versions, in build/lower-bounds/venv),
# make html (execute every notebook, export HTML handouts without the check cells to build/), make bench.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# pip reads constraints.txt so that torch stays the CPU build CI carries (a bare `torch`
# would pull a multi-GB CUDA build). On a GPU machine, install torch first; it satisfies the bound.
PIP := $(BIN)/pip install --quiet --constraint constraints.txt
STAMP := $(VENV)/.installed
OFFLINE := LECTUREUTILS_OFFLINE=1 HF_HUB_OFFLINE=1 MPLBACKEND=Agg
OFFLINE_FAST := $(OFFLINE) LECTUREUTILS_FAST=1

.PHONY: lab test unit notebooks lower-bounds html bench clean ko

$(STAMP): pyproject.toml constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(PIP) -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (lectureutils)" > /dev/null
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/ $$(test "$$(id -u)" = 0 && echo --allow-root)  # root: containers, classroom VMs

# Every notebook but 08 also runs offline at full size (what an offline classroom runs; the fine-tuning notebooks
# at RUN_SIZE "full", the lecture's settings, on the samples); 08's full run
# pre-trains for about 6 minutes and is left out of the test. New notebooks are included by the pattern.
FULL_SIZE_NOTEBOOKS := $(filter-out notebooks/08_%,$(wildcard notebooks/[0-9][0-9]_*.ipynb))
NBVAL := --nbval-lax --nbval-current-env --nbval-cell-timeout=900 -p no:cacheprovider

# The notebooks that fine-tune with the Trainer's mixed precision also run their fast pass with
# LECTUREUTILS_PRECISION=bf16: bf16 autocast on the CPU, the path every GPU run takes (their fp32 path runs in the
# full-size pass), so a check that only holds in fp32 fails here and not on a student's GPU.
PRECISION_NOTEBOOKS := $(wildcard notebooks/05_*.ipynb notebooks/09_*.ipynb notebooks/11_*.ipynb)
FAST_NOTEBOOKS := $(filter-out $(PRECISION_NOTEBOOKS),$(wildcard notebooks/[0-9][0-9]_*.ipynb))

# The Korean edition's 00 and 05 run too (issue 25; the English runs cover the others' code): the plugin fails a cell
# that prints a package message in English and prints the edition's translated / stale / missing counts.
test: $(STAMP)
	$(OFFLINE_FAST) $(BIN)/python -m lectureutils.prefetch --standins
	$(OFFLINE_FAST) $(BIN)/pytest tests/ $(FAST_NOTEBOOKS) $(NBVAL)
	$(OFFLINE_FAST) LECTUREUTILS_PRECISION=bf16 $(BIN)/pytest $(PRECISION_NOTEBOOKS) $(NBVAL)
	$(OFFLINE_FAST) $(BIN)/pytest notebooks/ko/00_*.ipynb notebooks/ko/05_*.ipynb $(NBVAL) -p tools.i18n.pytest_plugin
	$(OFFLINE) LECTUREUTILS_FAST=0 LECTUREUTILS_RUN_SIZE=full $(BIN)/pytest $(FULL_SIZE_NOTEBOOKS) $(NBVAL)
	$(MAKE) lower-bounds

unit: $(STAMP)
	$(OFFLINE_FAST) $(BIN)/pytest tests/

notebooks: $(STAMP)
	$(OFFLINE_FAST) $(BIN)/pytest notebooks/ --ignore=notebooks/ko $(NBVAL)  # the Korean edition: its code is the English

# The declared lower bounds, tested: a separate environment gets exactly the minimum version of every
# dependency in pyproject.toml (.ci/lower_bounds.py writes them as == constraints; torch excepted, it stays
# the CPU build of constraints.txt) and runs the unit tests offline + fast. Rebuilt from scratch whenever
# pyproject.toml or constraints.txt change, so no newer version is left over.
LOWER := build/lower-bounds
LOWER_STAMP := $(LOWER)/venv/.installed

$(LOWER_STAMP): pyproject.toml constraints.txt .ci/lower_bounds.py
	rm -rf $(LOWER)/venv $(LOWER)/cache
	mkdir -p $(LOWER)
	$(PYTHON) .ci/lower_bounds.py > $(LOWER)/constraints.txt
	$(PYTHON) -m venv $(LOWER)/venv
	$(LOWER)/venv/bin/pip install --quiet --no-compile --disable-pip-version-check \
		--constraint constraints.txt --constraint $(LOWER)/constraints.txt -e ".[test]"
	touch $(LOWER_STAMP)

# Its own cache: stand-ins are built (and tested) by the minimum versions, not read from a newer build.
# LOWER_BOUNDS_TESTS narrows the run if it grows too slow (e.g. make lower-bounds LOWER_BOUNDS_TESTS="tests/ --ignore=...").
# By default it leaves out the tests that re-execute notebooks, drive a browser or export slides (minutes each, and
# the slides need a newer nbconvert than the minimum that the package itself needs: 7.16's Markdown filter breaks on
# today's mistune); the library calls they make are covered by the unit tests.
LOWER_BOUNDS_TESTS ?= tests/ --ignore=tests/test_notebook_parameters.py --ignore=tests/test_serve_browser.py \
	--ignore=tests/test_attention_view.py --ignore=tests/test_slides.py \
	--deselect tests/test_korean_edition.py::test_korean_slides_export_with_the_english_structure
lower-bounds: $(LOWER_STAMP)
	$(OFFLINE_FAST) LECTUREUTILS_CACHE=$(LOWER)/cache $(LOWER)/venv/bin/python -m lectureutils.prefetch --standins > /dev/null
	$(OFFLINE_FAST) LECTUREUTILS_CACHE=$(LOWER)/cache $(LOWER)/venv/bin/pytest $(LOWER_BOUNDS_TESTS) -p no:cacheprovider -q

# `make html LANG=ko`: the Korean edition's handouts, notebooks/ko/ -> build/ko/ (only a LANG given on make's command
# line counts, as for slides).
HTML_LANG := $(if $(filter command line,$(origin LANG)),$(filter-out en,$(LANG)))
html: $(STAMP)
	mkdir -p build$(HTML_LANG:%=/%)
	$(BIN)/jupyter nbconvert --to html --execute --ExecutePreprocessor.timeout=3600 --output-dir build$(HTML_LANG:%=/%) \
		--HTMLExporter.language_code=$(or $(HTML_LANG),en) \
		--TagRemovePreprocessor.enabled=True --TagRemovePreprocessor.remove_cell_tags='["check"]' \
		notebooks/$(HTML_LANG:%=%/)[0-9][0-9]_*.ipynb

bench: $(STAMP)
	for script in benchmarks/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf build .pytest_cache

# The Korean edition (issue 25; i18n/README.md): catalogues i18n/ko/*.po in step with the English notebooks, then
# notebooks/ko/*.ipynb generated from both, and the package's Korean messages compiled. Commit what changes.
ko: $(STAMP)
	$(BIN)/python -m tools.i18n refresh ko
	$(BIN)/python -m tools.i18n build ko

# For instructors (issue 18): make slides, make solutions, make verify-online (README, "For instructors").
.PHONY: slides solutions verify-online
# Slides: executes the notebooks (offline + fast unless told otherwise: `make slides SLIDES_MODE=` runs them online at
# full size) and exports reveal.js slides to build/slides/, with reveal.js, require.js and jQuery copied next to them.
# `make slides LANG=ko`: the Korean edition, notebooks/ko/ -> build/slides/ko/ (its slide metadata is the English
# notebooks', kept by the build). Only a LANG given on make's command line counts (the environment's is the locale).
SLIDES_MODE ?= $(OFFLINE_FAST)
SLIDES_LANG := $(if $(filter command line,$(origin LANG)),$(filter-out en,$(LANG)))
slides: $(STAMP)
	$(BIN)/python -m tools.slides check notebooks/[0-9][0-9]_*.ipynb
	$(SLIDES_MODE) PYTHONUTF8=1 $(BIN)/python -m tools.slides export --execute \
		--output build/slides$(SLIDES_LANG:%=/%) notebooks/$(SLIDES_LANG:%=%/)[0-9][0-9]_*.ipynb
# Exercises: `make test` runs every notebook (nbval) in solve mode, where each self-check of an untouched answer also
# runs that exercise's solution from solutions/ and fails the cell if the solution fails its check (costs only the
# solution blocks). `make solutions` does the same per notebook and reports (offline + fast).
test: export LECTUREUTILS_SOLVE_EXERCISES := 1
solutions: $(STAMP)
	$(OFFLINE_FAST) $(BIN)/python -m lectureutils.exercises solve notebooks/[0-9][0-9]_*.ipynb
# Real-model verification (needs the network; refuses at once offline): every notebook online in fast mode; the
# values notebooks record (lectureutils.verify.record) and the lecture's published outputs -> build/real_results.md.
verify-online: $(STAMP)
	rm -rf build/results
	LECTUREUTILS_OFFLINE=0 LECTUREUTILS_FAST=1 MPLBACKEND=Agg LECTUREUTILS_RESULTS=$(CURDIR)/build/results \
		$(BIN)/python -m tools.verify run notebooks/[0-9][0-9]_*.ipynb --output build/real_results.md
