# Developer tasks. `make` alone runs the fast tests and the linters.
PY ?= .venv/bin/python

.PHONY: default test e2e all lint format eval bench setup
default: test lint

setup:
	python3 -m venv .venv && $(PY) -m pip install -q --upgrade pip && $(PY) -m pip install -q -e '.[test]' && $(PY) -m pip install -q --group dev

test:  ## unit, handler and CLI tests (no subprocess bot)
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -m "not e2e"

e2e:  ## the real bot process against the fake Bot API
	$(PY) -m pytest -m e2e

all:  ## everything, as CI runs it
	$(PY) -m pytest

lint:
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy --strict bot/

format:
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

eval:
	$(PY) -m bot eval
	$(PY) -m bot eval tests/data/holdout.jsonl

bench:
	$(PY) -m bot bench
