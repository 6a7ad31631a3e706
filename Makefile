# The front door. `make run` serves the site locally; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test test-sqlite test-postgres lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed
	DEBUG=1 $(MANAGE) migrate --noinput
	DEBUG=1 $(MANAGE) load_reference_data
	DEBUG=1 $(MANAGE) import_releases press/sample_pages
	DEBUG=1 $(MANAGE) ensure_local_admin
	DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

serve: $(VENV)/.installed
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) migrate --noinput
	HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn osce_site.wsgi --config python:osce_site.gunicorn_conf

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run

test-sqlite: $(VENV)/.installed
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

# On PostgreSQL wherever its server programs are installed (or DATABASE_URL names one);
# in CI its absence is a failure.
test-postgres: $(VENV)/.installed
	@if [ -n "$${DATABASE_URL:-}" ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		scripts/with-postgres $(BIN)/pytest $(PYTEST_ARGS); \
	elif [ -n "$${CI:-}" ]; then \
		echo "CI needs PostgreSQL: apt-get install postgresql" >&2; exit 1; \
	else \
		echo "PostgreSQL's server programs are not installed: tests ran on SQLite only."; \
	fi

# Both databases at once (2 cores: the suite is one process, PostgreSQL another), each
# one's output printed whole when it ends.
test: lint
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

clean:
	rm -rf $(VENV) var
