# Two commands on a fresh machine with only python3:
#   make run    build and validate the universe, then serve it
#   make test   run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test build validate stats bench bench-dump bench-push bench-web bench-sparql bench-search clean

$(STAMP): pyproject.toml
	@echo "make: setting up $(VENV) and installing the project (once, and again when pyproject.toml changes)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --editable '.[test]'
	touch $(STAMP)

run: $(STAMP)  # the port: make run PORT=8000 (or KG_PORT=8000 make run)
	$(BIN)/kg serve $(if $(PORT),--port $(PORT))

test: $(STAMP)
	$(BIN)/python -m pytest

build validate stats: $(STAMP)
	$(BIN)/kg $@

bench: $(STAMP)
	$(BIN)/python -m bench.build_bench

bench-dump: $(STAMP)  # kg dump on the shipped universe and the 1M-triple one (generated into bench/out/ if missing)
	$(BIN)/python -m bench.dump_bench --sizes shipped,1M

bench-push: $(STAMP)  # kg push to a real Oxigraph server (PyPI oxigraph, in the test extra), shipped and 1M
	$(BIN)/python -m bench.push_bench --sizes shipped,1M

bench-web: $(STAMP)  # needs wrk (apt-get install -y wrk)
	$(BIN)/python -m bench.web_bench

bench-search: $(STAMP)  # the search index in process, shipped and 1M
	$(BIN)/python -m bench.search_bench --sizes shipped,1M

bench-sparql: $(STAMP)  # needs wrk; installs the bench extra (rdflib-endpoint, uvicorn, oxigraph)
	$(BIN)/python -m pip install --quiet --editable '.[test,bench]'
	$(BIN)/python -m bench.sparql_bench

clean:
	rm -rf $(VENV) build .pytest_cache .hypothesis
