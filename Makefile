# The two set-up commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint install clean bench bench-http bench-clean bench-sip stack

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
	$(BIN)/ruff check src tests harness bench
	$(BIN)/pytest -n auto --dist loadscope

# Everything on this machine: PostgreSQL (database pbxapi), the API on :8000, provisioning
# on :8080, Kamailio on udp :5060 (needs the kamailio packages). Ctrl-C stops it.
stack: $(STAMP)
	deploy/stack.sh

clean:
	rm -rf $(VENV) pbxapi.db pbxapi.db-wal pbxapi.db-shm

# The list at operator scale (1,000,000 phones) on SQLite and PostgreSQL: p50/p90/p99
# through the ASGI app next to the SQL alone. Makes its databases once (minutes).
bench: $(STAMP)
	bench/run.sh

# Over HTTP: 2 workers, wrk on loopback, requests 1, 2 and 5 (after `make bench`).
bench-http: $(STAMP)
	bench/http.sh $${BENCH_HTTP_URL:-postgresql://postgres@127.0.0.1:5432/pbxapi_bench_1000000}

bench-clean:
	rm -rf bench/data
	for n in 10000 100000 1000000; do \
	  psql -q postgresql://postgres@127.0.0.1:5432/postgres -c "DROP DATABASE IF EXISTS pbxapi_bench_$$n"; \
	done

# Registrations per second through Kamailio (sipp rate ramp) and REGISTER-to-online latency.
bench-sip: $(STAMP)
	$(BIN)/python -m bench.sip
