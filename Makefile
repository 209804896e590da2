# Two commands for a newcomer: `make run` (set up and serve the demo) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The local PostgreSQL used by `make test-postgres` and CI (a throwaway role on loopback).
PG_URL ?= postgres://cchc:cchc@127.0.0.1:5432/cchc

PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run worker test install messages lint format postgres test-postgres mutation clean

run: install $(MO_FILES)
	DJANGO_DEBUG=true $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=true $(BIN)/python manage.py load_demo
	@# The background worker publishes decisions queued on the drafting pages; it stops
	@# with the server (Ctrl+C reaches both).
	DJANGO_DEBUG=true $(BIN)/python manage.py db_worker --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; \
	DJANGO_DEBUG=true $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The background worker alone (make run starts one beside the server).
worker: install
	DJANGO_DEBUG=true $(BIN)/python manage.py db_worker

test: install $(MO_FILES)
	$(BIN)/pytest

# Installing also compiles the translations: a production process refuses to start
# without them (cchc_portal/checks.py).
install: $(BIN)/.installed $(MO_FILES)

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

messages: $(MO_FILES)

%.mo: %.po
	msgfmt --check -o $@ $<

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Starts the machine's PostgreSQL 15 and makes sure the `cchc` role and database exist.
postgres:
	bash .ci/postgres-up

test-postgres: postgres
	DATABASE_URL=$(PG_URL) $(MAKE) test

# Mutation testing of the core (slow, never part of CI; tools/README.md):
# `make mutation MODULES="calculations workflow"` runs some of the modules only.
mutation: install $(MO_FILES)
	$(BIN)/python tools/mutation.py $(MODULES)

clean:
	rm -rf $(VENV) staticfiles artifacts .pytest_cache $(MO_FILES)
