# The two set-up commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Migrate the SQLite database, load demo data into an empty one, print the demo
# tokens, serve on http://127.0.0.1:8000 (OpenAPI docs at /docs).
run: $(STAMP)
	$(BIN)/pbxapi migrate
	$(BIN)/pbxapi demo --if-empty
	$(BIN)/pbxapi serve

# The whole suite, on SQLite and PostgreSQL (PBXAPI_TEST_POSTGRES_URL).
test: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/pytest

clean:
	rm -rf $(VENV) pbxapi.db pbxapi.db-wal pbxapi.db-shm
