# Rempart — the two commands of the README, and their set-up.
#   make run    set up the virtual environment, then open the app on the bundled sample
#   make test   set up everything the checks need (chromium, postgresql), then lint, type-check and test
#   make i18n   after changing a message of the interface: extract, update the catalogues, compile them

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8501

.PHONY: run test lint types pytest sample system-deps clean i18n

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.run-deps: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.run-deps

run: $(VENV)/.run-deps
	$(BIN)/streamlit run serve.py --server.address $(HOST) --server.port $(PORT) --browser.gatherUsageStats false

system-deps:
	bash scripts/install-system-deps.sh

test: system-deps $(VENV)/.dev-deps lint types pytest

lint: $(VENV)/.dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(VENV)/.dev-deps
	$(BIN)/mypy

# The store tests also run on PostgreSQL: REMPART_TEST_POSTGRES_URL, else the local server that
# scripts/start-test-postgres.sh starts (as root) with a rempart role and a rempart_test database.
pytest: $(VENV)/.dev-deps
	REMPART_TEST_POSTGRES_URL="$${REMPART_TEST_POSTGRES_URL:-$$(bash scripts/start-test-postgres.sh)}" $(BIN)/python -m pytest

# The interface's messages (English msgids in app.py and app_pages/, and the importer's issues marked
# N_("…") in roadmap/, and the checks of an edit in roadmap/editing.py) → roadmap/locales/rempart.pot →
# the fr and en catalogues (new messages arrive untranslated or fuzzy: translate them in the .po,
# then run this again) → the compiled .mo files the app reads. Commit the .po and .mo files:
# tests/test_i18n.py fails when they are out of date.
LOCALES := roadmap/locales
IMPORTER := roadmap/models.py roadmap/importing/values.py roadmap/importing/rows.py roadmap/importing/cells.py roadmap/importing/sheets.py roadmap/importing/checks.py roadmap/importing/colours.py roadmap/importing/load.py \
	roadmap/importing/durations.py roadmap/importing/tools roadmap/editing.py
i18n: $(VENV)/.run-deps
	$(BIN)/pybabel extract -F babel.cfg --project=Rempart --version=0.1.0 --copyright-holder=Rempart \
		--msgid-bugs-address= --add-comments=TRANSLATORS: --sort-by-file -k N_ -k NP_:1,2 -o $(LOCALES)/rempart.pot \
		app.py app_pages $(IMPORTER)
	$(BIN)/pybabel update -i $(LOCALES)/rempart.pot -d $(LOCALES) -D rempart --ignore-obsolete
	$(BIN)/pybabel compile -d $(LOCALES) -D rempart --statistics

sample: $(VENV)/.run-deps
	$(BIN)/python scripts/build_sample.py
	$(BIN)/python scripts/build_tool_samples.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache artifacts
