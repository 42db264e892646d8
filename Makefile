# Two commands do all set-up on a fresh machine (see README.md):
#   make lab   - create .venv, install everything, open JupyterLab on notebooks/
#   make test  - create/use .venv, install, run the unit tests and every notebook (offline + fast)
# Also: make html (execute every notebook, export HTML handouts to build/), make bench.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# pip reads constraints.txt so that torch stays the CPU build CI carries (a bare `torch`
# would pull a multi-GB CUDA build). On a GPU machine, install torch first; it satisfies the bound.
PIP := $(BIN)/pip install --quiet --constraint constraints.txt
STAMP := $(VENV)/.installed
OFFLINE_FAST := LECTUREUTILS_OFFLINE=1 LECTUREUTILS_FAST=1 HF_HUB_OFFLINE=1 MPLBACKEND=Agg

.PHONY: lab test unit notebooks html bench clean

$(STAMP): pyproject.toml constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(PIP) -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (lectureutils)" > /dev/null
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/ $$(test "$$(id -u)" = 0 && echo --allow-root)  # root: containers, classroom VMs

test: $(STAMP)
	$(OFFLINE_FAST) $(BIN)/python -m lectureutils.prefetch --standins
	$(OFFLINE_FAST) $(BIN)/pytest tests/ notebooks/ --nbval-lax --nbval-current-env --nbval-cell-timeout=900 -p no:cacheprovider

unit: $(STAMP)
	$(OFFLINE_FAST) $(BIN)/pytest tests/

notebooks: $(STAMP)
	$(OFFLINE_FAST) $(BIN)/pytest notebooks/ --nbval-lax --nbval-current-env --nbval-cell-timeout=900 -p no:cacheprovider

html: $(STAMP)
	mkdir -p build
	$(BIN)/jupyter nbconvert --to html --execute --ExecutePreprocessor.timeout=3600 --output-dir build notebooks/*.ipynb

bench: $(STAMP)
	for script in benchmarks/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf build .pytest_cache
