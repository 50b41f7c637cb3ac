# The two set-up commands are `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
# pytest-xdist workers; each builds its own test database with the province.
TEST_WORKERS ?= auto

.PHONY: run test test-fast test-browser lint format bench install migrate demo check-deploy clean messages

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.txt -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP) messages

messages: $(STAMP)
	@if [ -d cchc/locale/vi/LC_MESSAGES ]; then \
	  for d in django djangojs; do \
	    [ -f cchc/locale/vi/LC_MESSAGES/$$d.po ] && $(VENV)/bin/pybabel compile -d cchc/locale -D $$d -l vi >/dev/null || exit 1; \
	  done; fi

migrate: install
	mkdir -p var
	$(PY) manage.py migrate --no-input -v0

demo: migrate
	$(PY) manage.py load_demo

## Serve the product with demo data on http://127.0.0.1:8000, and the background worker
run: demo
	@$(PY) manage.py db_worker --backend background & worker=$$!; \
	  trap 'pkill -TERM -P $$worker 2>/dev/null; kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	  $(PY) manage.py runserver 127.0.0.1:8000

## Run the whole test suite (browser tests included), in parallel
test: install
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

## Everything but the browser tests, in parallel
test-fast: install
	$(PY) -m pytest -n $(TEST_WORKERS) -m "not browser" $(PYTEST_ARGS)

## Browser tests only (headless Chromium)
test-browser: install
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## Benchmarks; figures are ratios against a baseline measured in the same run
bench: install
	$(PY) -m pip install --quiet --require-hashes -r bench/requirements.txt
	$(PY) bench/run.py

check-deploy: install
	DJANGO_ENV=production SECRET_KEY=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(60))') \
	  ALLOWED_HOSTS=cchc.example.vn $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var
