# The two commands a newcomer needs: `make site` and `make test`.
# Only Python 3.10+ and make are required; everything else goes into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test serve ingest build check bench same-site screenshots lock clean

# Every dependency comes pinned from requirements.lock (the same versions on every
# clone); the project itself is installed on top, without resolving anything again.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
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

## make screenshots: build site/, then photograph home, a topic and a paper page at 375 and
## 1280 px, light and dark, into screenshots/ (ignored by git), for reviewers
screenshots: $(STAMP)
	$(BIN)/readinglist build
	$(BIN)/python -m readinglist.bench.screenshots site screenshots

## make lock: pin every dependency again after a change in pyproject.toml (needs the
## package index; uv resolves for Python 3.10+ on every platform at once)
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	UV_PYTHON_DOWNLOADS=never $(BIN)/python -m uv pip compile --quiet --universal --python-version 3.10 \
		--extra test --no-header pyproject.toml -o requirements.lock.new
	{ sed -n '1,/^$$/p' requirements.lock; cat requirements.lock.new; } > requirements.lock.tmp
	rm requirements.lock.new && mv requirements.lock.tmp requirements.lock

clean:
	rm -rf site build .pytest_cache
