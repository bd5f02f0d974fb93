# Quick start: `make run` (set up, demo data, serve) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1:8000
# The suite runs on every core (pytest-xdist: a test database per worker; a file's tests stay
# on one worker, which shares its module fixtures). PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile

.PHONY: setup test-setup system-packages test-system-packages run test test-fast lint benchmark messages

setup: system-packages $(VENV)/.installed

# The tests also need Debian's chromium (browser tests) and poppler-utils (PDF pages as images).
test-setup: test-system-packages $(VENV)/.installed

system-packages:
	@scripts/system-packages.sh

test-system-packages:
	@scripts/system-packages.sh test

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

run: setup
	DEBUG=1 $(MANAGE) migrate --no-input
	DEBUG=1 $(MANAGE) bootstrap
	DEBUG=1 $(MANAGE) runserver $(HOST)

test: test-setup
	DEBUG=1 $(MANAGE) check
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(PYTEST) $(PYTEST_ARGS)

test-fast: test-setup
	$(PYTEST) -m "not browser and not slow" -x $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Measured on PostgreSQL (DATABASE_URL, else the local server); SCALE=province for the full size.
BENCH_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/disclosure)
SCALE ?= small
benchmark: setup
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python benchmarks/run.py --scale $(SCALE)

# Catalogues in locale/: extract the Chinese source strings of the code and templates (domain
# django) and of our own JavaScript (domain djangojs) into the English catalogue, then compile.
# The zh_Hans catalogue is hand-kept overrides of libraries' strings (README, "Languages").
MESSAGES_IGNORE := --ignore=.venv --ignore=node_modules --ignore=tests --ignore=benchmarks \
	--ignore=var --ignore=docs --ignore=build --ignore=staticfiles --ignore=media --ignore=static/vendor
messages: setup
	DEBUG=1 $(MANAGE) makemessages --locale=en --domain=django --add-location=file --no-obsolete $(MESSAGES_IGNORE)
	DEBUG=1 $(MANAGE) makemessages --locale=en --domain=djangojs --add-location=file --no-obsolete $(MESSAGES_IGNORE)
	DEBUG=1 $(MANAGE) compilemessages --ignore=.venv --ignore=node_modules
