# careerpath: `make run` to try it, `make test` to check it. See README.md.

VENV    := .venv
VPY     := $(VENV)/bin/python
MANAGE  := $(VPY) manage.py
HOST    ?= 127.0.0.1
PORT    ?= 8000
DEMO_ENGINEERS ?= 100

.DEFAULT_GOAL := help
.PHONY: help run setup test lint format migrations-check bench clean

help:
	@echo "make run    set up everything (venv, dependencies, database, catalog, demo organisation) and serve on http://$(HOST):$(PORT)"
	@echo "make test   run the whole test suite"
	@echo "make lint   ruff check and format check"
	@echo "make bench  run the benchmarks (see docs/benchmarks.md)"

# The first Python >= 3.12 found: python3.13, python3.12, then any pyenv-installed 3.12+.
$(VPY):
	@PY=""; \
	for p in python3.13 python3.12 $$(ls -d $$(pyenv root 2>/dev/null || echo /nonexistent)/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	  if "$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then PY="$$p"; break; fi; \
	done; \
	if [ -z "$$PY" ]; then \
	  echo "careerpath needs Python 3.12 or newer (python3.13 or python3.12 on PATH); found none." >&2; \
	  echo "Install one, e.g. 'apt-get install python3.12' or 'pyenv install 3.12', then run make again." >&2; \
	  exit 1; \
	fi; \
	echo "Creating $(VENV) with $$PY ($$("$$PY" --version))"; \
	"$$PY" -m venv $(VENV)

# Installs are stamped, so a second `make run` or `make test` installs nothing.
$(VENV)/.runtime-installed: requirements.txt | $(VPY)
	$(VPY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(VPY)
	$(VPY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime-installed

setup: $(VENV)/.runtime-installed
	$(MANAGE) migrate --noinput --verbosity 0
	$(MANAGE) load_catalog
	$(MANAGE) load_questionnaire
	$(MANAGE) create_demo_users
	$(MANAGE) seed_demo --engineers $(DEMO_ENGINEERS)

# runserver serves; run_schedule runs the periodic tasks (reminder sweep, HR dashboard) beside it, in-process,
# and stops with it. HOST and PORT reach both, so links in emails point at the address served (SITE_URL).
run: setup
	@echo "Serving careerpath on http://$(HOST):$(PORT)/ (Ctrl+C to stop); reminder emails print here"
	@HOST=$(HOST) PORT=$(PORT) $(MANAGE) run_schedule & schedule=$$!; \
	trap 'kill $$schedule 2>/dev/null' EXIT INT TERM; \
	HOST=$(HOST) PORT=$(PORT) $(MANAGE) runserver $(HOST):$(PORT)

test: $(VENV)/.dev-installed
	$(VPY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: $(VENV)/.dev-installed
	$(MANAGE) makemigrations --check --dry-run

bench: $(VENV)/.dev-installed
	$(VPY) bench/run.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache bench/results/tmp
