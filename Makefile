# The two commands the README opens with. Both work on a fresh machine with python3 (3.11+).
VENV ?= .venv
PYTHON ?= python3
DB ?= storyline.db
BIN = $(VENV)/bin

.PHONY: demo test install dev clean

demo: $(VENV)/.installed
	$(BIN)/storyline ingest examples/corpus --db $(DB)
	$(BIN)/storyline articles --db $(DB)
	$(BIN)/storyline people --db $(DB)
	$(BIN)/storyline quotes --db $(DB) --limit 10
	$(BIN)/storyline reuse --db $(DB)
	$(BIN)/storyline stories --db $(DB)
	$(BIN)/storyline story --db $(DB) $$($(BIN)/storyline stories --db $(DB) --no-update --json | $(BIN)/python -c "import json, sys; print(json.load(sys.stdin)[0]['id'])")
	@echo "Browse it: $(BIN)/storyline serve --db $(DB), then open http://127.0.0.1:8000/"

# Two worker processes, each test file on one worker (so a module's server or cluster fixture
# starts once): the suite waits on subprocesses, servers and Ray as much as it computes, so two
# workers took 7 min 51 s where one took 12 min 28 s on a 2-core machine (session 35). More workers than
# cores only add memory (each loads spaCy and torch). PYTEST_WORKERS= runs it in one process.
PYTEST_WORKERS ?= -n 2 --dist loadfile

test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest $(PYTEST_WORKERS) $(PYTEST_ARGS)

install: $(VENV)/.installed
dev: $(VENV)/.dev-installed

# requirements.lock pins every transitive dependency (pip freeze of a working install), so a
# fresh machine gets exactly what the tests ran with; pyproject.toml pins the direct ones.
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# torch first and alone, so that sentence-transformers finds it and asks for nothing more
	# (its CPU wheel is on the machine; any other torch spec pulls GBs of CUDA packages).
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -c requirements.lock -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed
	$(BIN)/python -m pip install -q -c requirements.lock -e '.[dev]'
	touch $@

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm
