# Everyday commands. `make run` and `make test` are the README's two commands.
# The distribution's Python 3.11 where there is one: Debian builds it with profile-guided and
# link-time optimisation into a static binary, and it renders a PDF report about 20 % faster
# than a default pyenv build (docs/performance.md). `make run PYTHON=python3.12` picks another
# for a new .venv (an existing one is kept; `venv-check` says when another interpreter made it).
PYTHON ?= $(or $(wildcard /usr/bin/python3.11),python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# collectstatic writes its manifest on every run: its time says when it last ran.
STATIC_STAMP := staticfiles/staticfiles.json


.PHONY: run serve worker setup test lint check-migrations messages makemessages db demo clean benchmark venv-check load-test system-run system-serve system-test

## Set everything up (system packages, venv, translations, database, demo data) and start the app.
run: setup
	@echo "Starting City Digital Maturity at http://$(HOST):$(PORT)/ and its report worker (Ctrl+C stops both)"
	@mkdir -p var
	@$(MANAGE) db_worker --no-reload > var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

# The production settings of `make serve`. SECRET_KEY: the environment's, or one made once and
# kept in var/secret-key. Plain HTTP here, so cookies are not marked secure unless SECURE_COOKIES=1.
SERVE_ENV = DEBUG=0 SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret-key)}" SECURE_COOKIES="$${SECURE_COOKIES:-0}" \
  ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}"
# Where `make serve` keeps nginx's config, pid, logs and temporary files (SERVE_DIR/nginx/) and
# the worker's log.
SERVE_DIR ?= var

## The production stack on this machine, against DATABASE_URL (default: the SQLite file): nginx on
## HOST:PORT buffering every request in front of gunicorn (config/gunicorn.conf.py, DEBUG off,
## static files from whitenoise), and the report worker, restarted when it exits
## (scripts/serve.py). Never loads demo data. A restart runs only `migrate`: translations and
## static files are rebuilt when their sources changed.
serve: system-serve venv-check $(VENV)/.requirements messages var/secret-key $(STATIC_STAMP)
	@$(SERVE_ENV) $(MANAGE) prepare_database
	@$(SERVE_ENV) exec $(PY) scripts/serve.py --host $(HOST) --port $(PORT) --state-dir $(SERVE_DIR)

# collectstatic only when a static file or the requirements (packages bring static files) changed.
$(STATIC_STAMP): $(shell find static -type f) requirements.txt | $(VENV)/.requirements var/secret-key
	@echo "Collecting static files"
	@$(SERVE_ENV) $(MANAGE) collectstatic --no-input -v0
	@touch $@

var/secret-key:
	@[ -n "$$SECRET_KEY" ] || { mkdir -p var; umask 077; $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@; }

## The background worker alone (bulk reports), e.g. beside a production web server.
worker: $(VENV)/.requirements
	$(MANAGE) db_worker

setup: system-run venv-check $(VENV)/.requirements messages db demo

## Run the whole test suite (lint, missing migrations, pytest) on SQLite, or DATABASE_URL if set.
test: system-test venv-check $(VENV)/.requirements-dev messages lint check-migrations
	$(VENV)/bin/pytest

system-run:
	@PYTHON=$(PYTHON) scripts/system-packages.sh run

system-serve:
	@PYTHON=$(PYTHON) scripts/system-packages.sh serve

system-test:
	@PYTHON=$(PYTHON) scripts/system-packages.sh test

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }
	$(PY) -m pip install --quiet --upgrade pip

# An existing .venv is kept; say so when another interpreter than $(PYTHON) made it.
venv-check:
	@if [ -f $(VENV)/pyvenv.cfg ]; then \
	  made=$$(sed -n 's/^home = //p' $(VENV)/pyvenv.cfg); \
	  wanted=$$($(PYTHON) -c 'import os, sys; print(os.path.dirname(os.path.realpath(sys.executable)))' 2>/dev/null); \
	  [ "$$made" = "$$wanted" ] || echo "Note: $(VENV) was made with the Python in $$made, not $(PYTHON); remove $(VENV) and run this again to rebuild it with $(PYTHON)."; \
	fi

$(VENV)/.requirements: requirements.txt $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.requirements-load: requirements.txt requirements-load.txt $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-load.txt
	@touch $@

## The load test (never in CI): gunicorn with 4 workers on a private PostgreSQL server, 50
## respondents autosaving and 2 consultants downloading reports for 2 minutes; then every
## acknowledged save is checked in the database (docs/performance.md). LOAD_SECONDS, LOAD_USERS.
load-test: system-run venv-check $(VENV)/.requirements-load messages
	PG_PORT=$${PG_PORT:-54331} scripts/with-postgres.sh $(PY) benchmarks/load.py

$(VENV)/.requirements-dev: requirements.txt requirements-dev.txt $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.requirements

# Compiled translations, each rebuilt only when its .po is newer (what compilemessages runs).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
messages: $(MO_FILES)

%.mo: %.po
	@echo "Compiling translations: $<"
	@msgfmt --check-format -o $@ $<

makemessages: $(VENV)/.requirements
	$(MANAGE) makemessages -l zh_Hans --ignore=$(VENV) --ignore=staticfiles --ignore=tests --ignore=var --ignore=benchmarks --no-obsolete

db: $(VENV)/.requirements
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) createcachetable

demo: db
	HOST=$(HOST) PORT=$(PORT) $(MANAGE) seed_demo

lint: $(VENV)/.requirements-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache --no-logo

check-migrations: $(VENV)/.requirements
	$(MANAGE) makemigrations --check --dry-run -v0

benchmark: $(VENV)/.requirements-dev
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles .pytest_cache .ruff_cache
