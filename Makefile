# Two commands for a newcomer: `make demo` and `make test` (see README.md).
PY_VERSION := $(shell cat .python-version)
BASE_PYTHON ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/$(PY_VERSION)/bin/python) $(shell command -v python$(basename $(PY_VERSION)) 2>/dev/null) python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

.PHONY: demo test install messages lint format makemessages

$(VENV)/.installed: requirements.txt requirements-dev.txt .python-version
	@$(BASE_PYTHON) -c 'import sys; assert sys.version_info >= (3, 12), "Python 3.12+ is needed, found " + sys.version' 
	test -x $(PY) || $(BASE_PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed messages

# Browser-side test tools (axe-core), pinned in package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# Compiled catalogues are built, never committed (pure Python: no system gettext needed).
messages: $(VENV)/.installed
	$(VENV)/bin/pybabel compile --domain django --directory locale --statistics 2>&1 | grep -v '^compiling' || true

demo: install
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	$(MANAGE) demo_banner
	$(MANAGE) runserver 127.0.0.1:8000

test: install node_modules/.installed
	SECM_PROFILE=test $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# For developers: refresh the .po files after changing user-facing strings.
makemessages: $(VENV)/.installed
	$(MANAGE) makemessages --all --no-obsolete --no-location --ignore=.venv --ignore=var --ignore=node_modules
