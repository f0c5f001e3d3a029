# Two commands for a newcomer: `make demo` and `make test` (see README.md).
PY_VERSION := $(shell cat .python-version)
BASE_PYTHON ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/$(PY_VERSION)/bin/python) $(shell command -v python$(basename $(PY_VERSION)) 2>/dev/null) python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
DATA_DIR := $(or $(SECM_DATA_DIR),var)

# The suite runs on every core (pytest-xdist); PYTEST_ARGS="-n 0 -x" runs it in one process.
PYTEST_ARGS ?= -n auto

.PHONY: demo test install messages lint format makemessages audit system-packages screenshots typecheck prod-local prod-local-stop fault-tests

$(VENV)/.installed: requirements.txt requirements-dev.txt .python-version
	@$(BASE_PYTHON) -c 'import sys; assert sys.version_info >= (3, 12), "Python 3.12+ is needed, found " + sys.version' 
	test -x $(PY) || $(BASE_PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed devidp/node_modules/.installed messages

# The development identity provider (node, pinned by devidp/package-lock.json): demo and tests only.
devidp/node_modules/.installed: devidp/package.json devidp/package-lock.json
	cd devidp && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Browser-side test tools (axe-core), pinned in package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# Compiled catalogues are built, never committed (pure Python: no system gettext needed).
messages: $(VENV)/.installed
	$(VENV)/bin/pybabel compile --domain django --directory locale --statistics 2>&1 | grep -v '^compiling' || true

# The development identity provider runs in the background on 127.0.0.1:8089 (DEVIDP_PORT) while runserver runs,
# and clamd (manage.py demo_clamd: the project's configuration, local signatures) when clamav-daemon is installed.
demo: install
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	$(MANAGE) devidp_config
	$(MANAGE) demo_banner
	@node devidp/server.js $(DATA_DIR)/devidp/config.json > $(DATA_DIR)/devidp/devidp.log 2>&1 & devidp=$$!; \
	  clamd=; \
	  if command -v clamd >/dev/null || [ -x /usr/sbin/clamd ]; then \
	    $(MANAGE) demo_clamd > $(DATA_DIR)/clamd.log 2>&1 & clamd=$$!; \
	    for _ in $$(seq 60); do [ -S $(DATA_DIR)/clamd/clamd.sock ] && break; sleep 0.5; done; \
	    export CLAMD_ADDRESS=unix:$(abspath $(DATA_DIR))/clamd/clamd.sock; \
	  else echo "  clamd is not installed: files are released unscanned (the pages say so); make system-packages"; fi; \
	  trap 'kill $$devidp $$clamd 2>/dev/null' EXIT INT TERM; \
	  sleep 1; kill -0 $$devidp 2>/dev/null || { cat $(DATA_DIR)/devidp/devidp.log; exit 1; }; \
	  $(MANAGE) runserver 127.0.0.1:8000

# The whole production stack on 127.0.0.1 (deploy/prod_local.py, docs/deployment.md): two gunicorn nodes behind
# nginx (TLS, local CA), the worker, the scheduler, its own PostgreSQL and Redis, clamd, S3 (moto), a TSA and the
# development identity provider, with SECM_PROFILE=production; everything in var/prod-local/. Ended by prod-local-stop.
prod-local: install
	$(PY) deploy/prod_local.py start

prod-local-stop:
	$(PY) deploy/prod_local.py stop

# Faults survived on that stack (eservices/operations/tests/test_faults.py), in its own var/prod-local-test/.
fault-tests: install
	SECM_PROFILE=test SECM_STACK_TESTS=1 $(VENV)/bin/pytest -n 0 -p no:randomly -v eservices/operations/tests/test_faults.py

# The Debian packages of the services the tests use (PostgreSQL, Redis, clamd, Chromium, poppler, nginx); as root.
system-packages:
	bash .ci/system-packages

test: install node_modules/.installed
	SECM_PROFILE=test $(VENV)/bin/pytest $(PYTEST_ARGS)

# The main screens, in French at desktop width, saved by the journey tests into docs/screenshots/ (README, guide).
screenshots: install node_modules/.installed
	SECM_PROFILE=test $(VENV)/bin/pytest journeys -p no:randomly -q --screenshots docs/screenshots

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Types: mypy with django-stubs (configuration and the strictly typed modules in pyproject.toml).
typecheck: $(VENV)/.installed
	SECM_PROFILE=test $(VENV)/bin/mypy

# Supply chain and code gates (CI runs them): known vulnerabilities in the pinned dependencies (needs PyPI),
# bandit on the code, and no secret in the files git tracks (.secrets.baseline lists accepted findings).
audit: $(VENV)/.installed
	mkdir -p var
	$(VENV)/bin/pip-audit -r requirements.txt -r requirements-dev.txt --no-deps --disable-pip \
	  --progress-spinner off --format json --output var/pip-audit.json || true
	$(PY) .ci/dependency_gate.py var/pip-audit.json
	$(VENV)/bin/bandit -c pyproject.toml -r eservices config -q
	$(PY) .ci/secret_scan.py

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# For developers: refresh the .po files after changing user-facing strings.
makemessages: $(VENV)/.installed
	$(MANAGE) makemessages --all --no-obsolete --no-location --ignore=.venv --ignore=var --ignore=node_modules
