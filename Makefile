# The README's two commands: `make demo` and `make test`.
VENV ?= .venv

.PHONY: demo test lint format

demo:
	scripts/setup.sh run
	scripts/demo.sh

test:
	scripts/test.sh

lint:
	$(VENV)/bin/ruff check src tests benchmarks scripts
	$(VENV)/bin/mypy

format:
	$(VENV)/bin/ruff format src tests benchmarks scripts
	$(VENV)/bin/ruff check --fix src tests benchmarks scripts
