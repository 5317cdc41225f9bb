# Two commands do everything on a fresh machine:
#   make run   - virtualenv, install, migrate, seed, Temporal dev server, worker, web server
#   make test  - install what the tests need (incl. Debian's chromium and PostgreSQL) and run the suite

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
PYTEST_WORKERS ?= 2
PYTEST := $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --timeout 900 --durations 15
# The suite in two halves, so it stays within CI's time on 2 cores: the tests of what the database
# does (models, services, edits, the API and admin, permissions and tenancy, deploy records, migrations,
# concurrent writes, the production server) run on PostgreSQL, as in production; the rest, including
# every test that mostly waits on a Temporal server, a worker process or a browser, runs on SQLite, as
# in `make run`. POSTGRES_SKIPS are those waiting tests inside the PostgreSQL folders: SQLite runs them.
# Concurrent writes and migrations run on both.
POSTGRES_TESTS := tests/projects tests/workflows tests/config \
	tests/compiler/builds/test_deploy.py tests/compiler/builds/test_build_revisions.py \
	tests/compiler/test_tenancy.py tests/compiler/test_pipeline.py
POSTGRES_SKIPS := tests/workflows/runs tests/workflows/api/test_queries.py tests/workflows/api/test_runs.py \
	tests/workflows/api/test_schedules.py tests/workflows/editor/test_deploy.py
SQLITE_LOCKING_TESTS := tests/workflows/test_concurrent_writes.py tests/workflows/test_migrations.py

.PHONY: run test install install-dev browser-deps postgres-deps lint format migrate seed clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(PY)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt $(STAMP)
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(STAMP)

install-dev: $(DEV_STAMP)

migrate: install
	mkdir -p var
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_package_management

run: seed
	# DEBUG serves static files from runserver; production uses config.production.
	DEBUG=$${DEBUG:-true} $(PY) manage.py devstack

# Debian's chromium for the Playwright browser tests (no browser download).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Debian's PostgreSQL server for the PostgreSQL half of the suite; scripts/with_postgres.sh starts
# a throw-away cluster of it. The package lists are refreshed only when the install needs them.
postgres-deps:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
		echo "Installing Debian's postgresql for the PostgreSQL tests..."; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1 || { \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }; }

test: install-dev browser-deps postgres-deps
	mkdir -p var
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run >/dev/null
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PYTEST) $(addprefix --ignore=,$(POSTGRES_TESTS))
	$(PYTEST) $(POSTGRES_SKIPS)
	$(PYTEST) $(SQLITE_LOCKING_TESTS)
	scripts/with_postgres.sh $(PYTEST) $(addprefix --ignore=,$(POSTGRES_SKIPS)) $(POSTGRES_TESTS)

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) var
