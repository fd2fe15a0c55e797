# Tremplin — two commands: `make run` and `make test`. Needs only Python 3.11+, git and make.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium

.PHONY: install run test test-fast test-browser lint format migrations-check bench demo screenshots clean

$(STAMP): requirements/base.txt requirements/dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements/base.txt -r requirements/dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

run: install
	TREMPLIN_DEBUG=1 $(BIN)/tremplin migrate --noinput
	TREMPLIN_DEBUG=1 $(BIN)/tremplin seed-demo
	TREMPLIN_DEBUG=1 $(BIN)/tremplin runserver $(HOST):$(PORT)

demo: install
	TREMPLIN_DEBUG=1 $(BIN)/tremplin migrate --noinput
	TREMPLIN_DEBUG=1 $(BIN)/tremplin seed-demo

test: install
	@if [ -x "$(CHROMIUM)" ]; then \
		$(BIN)/pytest -n 2 --dist loadgroup; \
	else \
		echo ""; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo "!! Chromium is missing ($(CHROMIUM)): the BROWSER TESTS ARE NOT RUN.        !!"; \
		echo "!! Install it with: apt-get install -y chromium   (CI always installs it)   !!"; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo ""; \
		$(BIN)/pytest -n 2 -m "not browser"; \
	fi

test-fast: install
	$(BIN)/pytest -m "not browser"

test-browser: install
	$(BIN)/pytest -m browser

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	TREMPLIN_LOCAL_KEYS=1 $(BIN)/tremplin makemigrations --check --dry-run

bench: install
	$(BIN)/python -m bench

# The home of each role at 1,366 px and 390 px, for review, into var/screenshots/ (a demo
# database of its own; Chromium as the browser tests drive it). PAGES=1 adds a few pages.
screenshots: install
	TREMPLIN_CHROMIUM=$(CHROMIUM) $(BIN)/python scripts/screenshots.py $(if $(PAGES),--pages)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
