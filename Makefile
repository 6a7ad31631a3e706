# The front door. `make run` serves the site locally; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve worker messages screenshots test test-sqlite test-postgres test-lane-sqlite test-lane-postgres test-lane-browser lint clean

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
	@# The alerts' worker beside the server (mail lands in var/mail/), stopped with it.
	DEBUG=1 $(MANAGE) alerts_worker --no-reload --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

# A worker for the alerts' queue in production (README, "Email alerts"): run one or more.
worker: $(VENV)/.installed
	$(MANAGE) alerts_worker --no-reload

serve: $(VENV)/.installed
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) migrate --noinput
	HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn osce_site.wsgi --config python:osce_site.gunicorn_conf

# The interface's catalogues (README, "Adding a language"): each language's django.po
# brought up to date with the templates and the code, then compiled; both are committed.
# Needs GNU gettext (apt-get install gettext); serving the site does not.
messages: $(VENV)/.installed
	DEBUG=1 $(MANAGE) makemessages --no-obsolete
	DEBUG=1 $(MANAGE) compilemessages --ignore '.venv*' --ignore var --ignore node_modules

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run

test-sqlite: $(VENV)/.installed
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

# pytest on PostgreSQL wherever its server programs are installed (or DATABASE_URL names
# one), with the arguments given; in CI PostgreSQL's absence is a failure.
define pytest_on_postgres
	@if [ -n "$${DATABASE_URL:-}" ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		scripts/with-postgres $(BIN)/pytest $(1) $(PYTEST_ARGS); \
	elif [ -n "$${CI:-}" ]; then \
		echo "CI needs PostgreSQL: apt-get install postgresql" >&2; exit 1; \
	else \
		echo "PostgreSQL's server programs are not installed: tests ran on SQLite only."; \
	fi
endef

test-postgres: $(VENV)/.installed
	$(call pytest_on_postgres,)

# `make test` in three lanes run at once on 2 cores, each lane's output printed whole when
# it ends (the tests wait on databases, browsers, servers and commands in other processes
# often enough that a third lane keeps the cores busier; a fourth made it slower): SQLite;
# PostgreSQL; and on PostgreSQL the tests only it has (marked postgres: the 100,000-release
# archive is most of their time) with the browser tests (marked e2e: what they test is the
# browser's side, so they run once, on the production database), then the reference data's
# tests and those that wait on other processes (WAITING, on both databases), which even the
# lanes out. Each PostgreSQL run has a throwaway cluster of its own. When DATABASE_URL names one database for everything, or
# PostgreSQL is not installed, the suite runs whole on SQLite and whole on PostgreSQL (if
# any), side by side.
HAVE_POSTGRES := $(shell ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && echo yes)
ifeq ($(DATABASE_URL)$(HAVE_POSTGRES),yes)
LANES := test-lane-sqlite test-lane-postgres test-lane-browser
# Tests that mostly wait on other processes (workers, servers, killed imports): the third
# lane, which has the time, runs them on both databases.
WAITING := tests/alerts/test_worker_processes.py tests/test_freshness_processes.py \
	tests/press/test_import_interrupted.py
IGNORE_WAITING := $(foreach path,$(WAITING),--ignore=$(path))
test-lane-sqlite: $(VENV)/.installed
	env -u DATABASE_URL $(BIN)/pytest -m "not e2e" $(IGNORE_WAITING) $(PYTEST_ARGS)
test-lane-postgres: $(VENV)/.installed
	$(call pytest_on_postgres,-m "not postgres and not e2e" --ignore=tests/taxonomy $(IGNORE_WAITING))
test-lane-browser: $(VENV)/.installed
	$(call pytest_on_postgres,-m "postgres or e2e")
	$(call pytest_on_postgres,-m "not postgres and not e2e" tests/taxonomy $(WAITING))
	env -u DATABASE_URL $(BIN)/pytest -m "not e2e" $(WAITING) $(PYTEST_ARGS)
else
LANES := test-sqlite test-postgres
endif

test: lint
	$(MAKE) --no-print-directory -j3 --output-sync=target $(LANES)

# Pictures of the finder (phone, desktop) and the release form, for the README.
screenshots: $(VENV)/.installed
	$(BIN)/python -m scripts.screenshots

clean:
	rm -rf $(VENV) var
