# The two commands a newcomer needs: `make site` and `make test`.
# Only Python 3.10+ and make are required; everything else goes into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test serve ingest build check bench same-site clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## make site: install, ingest sources/ into content/papers/, build site/ (strict)
site: $(STAMP)
	$(BIN)/readinglist ingest
	$(BIN)/readinglist build

## make test: the whole test suite
test: $(STAMP)
	$(BIN)/python -m pytest

## make serve: preview at http://127.0.0.1:8000 with live reload
serve: $(STAMP)
	$(BIN)/readinglist serve

ingest: $(STAMP)
	$(BIN)/readinglist ingest

build: $(STAMP)
	$(BIN)/readinglist build

check: $(STAMP)
	$(BIN)/readinglist check

## make bench: time ingest + build on N synthetic papers against the bare MkDocs floor
## (PAPERS=2000 by default; writes bench-results/bench-$(PAPERS).json; see BENCHMARKS.md)
PAPERS ?= 2000
bench: $(STAMP)
	mkdir -p bench-results
	$(BIN)/readinglist bench --papers $(PAPERS) --json bench-results/bench-$(PAPERS).json

## make same-site REF=<commit>: is site/ byte-identical when built with the code of REF? (for refactors)
same-site: $(STAMP)
	$(BIN)/python -m readinglist.bench.samesite $(REF)

clean:
	rm -rf site .pytest_cache
