# Two commands do all the set-up on a fresh machine:
#   make verify   create .venv, install, run `workbench verify --out report`
#   make test     create .venv, install, run the default test suite (which builds the docs strictly)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install verify test test-slow test-census test-all bench docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,docs]'
	touch $(STAMP)

install: $(STAMP)

verify: $(STAMP)
	$(BIN)/workbench verify --out report

test: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

test-slow: $(STAMP)
	$(BIN)/python -m pytest -q -m "slow and not census"

# the full 4-state census as a test (about 20 minutes); its counts are in docs/conjecture-lab.md
test-census: $(STAMP)
	$(BIN)/python -m pytest -q -m census

test-all: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_rs.py

docs: $(STAMP)
	$(BIN)/mkdocs build --strict

clean:
	rm -rf $(VENV) report site .pytest_cache .hypothesis
