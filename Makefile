# cecto — `make help` lists the targets. Two commands on a fresh machine: `make demo`, `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The machine's own Python 3.11, by its real path: uv must never download an interpreter, and
# pyenv shims confuse it (see ../shared/stack-notes.md).
PYTHON ?= $(shell command -v python3.11 >/dev/null && python3.11 -c 'import sys; print(sys.executable)' || python3 -c 'import sys; print(sys.executable)')
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
UV := $(PYTHON) -m uv
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
# The import benchmark's size (the issue's figure is 1,000,000 rows; see README "Benchmarks").
BENCH_ROWS ?= 1000000
# `make test-postgres` makes a throw-away database there (trust authentication on loopback).
PG_URL_BASE ?= postgres://postgres@127.0.0.1:5432
# `make bench-http`: the generated database it measures (bench/README.md; `cecto generate` makes them),
# any extra options for bench/http_load.py, and where `make bench-quick` generates its small database.
DATABASE ?= sqlite
SCALE ?= national
BENCH_HTTP_ARGS ?=
QUICK_DB ?= /tmp/cecto-bench-quick.sqlite3
# `make generate`: the synthetic dataset's scale and seed (into DATABASE_URL); `make bench-generate`: the
# scales it times on both databases (national takes minutes: BENCH_GENERATE_SCALES="small state national").
GENERATE_SCALE ?= small
SEED ?= 1
BENCH_GENERATE_SCALES ?= small state

.PHONY: help
help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-18s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(BIN)/cecto: pyproject.toml uv.lock
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen
	@touch $@

.PHONY: venv
venv: $(BIN)/cecto ## Create or update the virtual environment from uv.lock

.PHONY: demo
demo: venv ## Migrate, load the NC CeCTO demo, print the logins and serve on http://127.0.0.1:8000
	$(BIN)/cecto demo

.PHONY: demo-load
demo-load: venv ## Load the demo programme without serving
	$(BIN)/cecto demo --no-serve

.PHONY: serve
serve: venv ## Serve the configured database with gunicorn (`cecto serve`)
	$(BIN)/cecto serve

.PHONY: browser-deps
browser-deps: ## Install Debian's chromium (apt) and axe-core (npm) for the browser tests, if missing
	@test -x /usr/lib/chromium/chromium || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; }
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund --loglevel=error

.PHONY: test
test: venv browser-deps ## Run the whole test suite on SQLite (browser tests included)
	$(BIN)/pytest -n auto --cov --cov-report=term --cov-fail-under=95 $(PYTEST_ARGS)

.PHONY: test-postgres
test-postgres: venv browser-deps ## Run the whole test suite on a fresh PostgreSQL database
	@db=cecto_test_$$(date +%s)_$$$$; \
	  createdb -h 127.0.0.1 -U postgres "$$db" && echo "PostgreSQL database: $$db (dropped afterwards)" && \
	  trap 'dropdb -h 127.0.0.1 -U postgres --if-exists "'"$$db"'"' EXIT && \
	  DATABASE_URL=$(PG_URL_BASE)/$$db $(BIN)/pytest -n auto $(PYTEST_ARGS)

.PHONY: lint
lint: venv ## ruff, mypy, import contracts and the migrations check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy cecto config
	$(BIN)/lint-imports
	$(BIN)/cecto makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings CECTO_ENV=production SECRET_KEY=$$(printf 'x%.0s' {1..60})-check ALLOWED_HOSTS=cecto.example \
	  SITE_URL=https://cecto.example CECTO_KEY_ENCRYPTION_KEY=$$($(BIN)/python -c 'import base64,os;print(base64.urlsafe_b64encode(os.urandom(32)).decode())') \
	  $(BIN)/cecto check --deploy --fail-level WARNING

.PHONY: bench
bench: bench-ledger bench-import bench-mentoring bench-credentials bench-generate ## Run every benchmark on SQLite and PostgreSQL (figures printed and saved to bench/results/)
	@status=0; \
	  $(MAKE) --no-print-directory bench-http DATABASE=sqlite || status=$$?; \
	  $(MAKE) --no-print-directory bench-http DATABASE=postgres || status=$$?; \
	  exit $$status

.PHONY: bench-http
bench-http: venv ## gunicorn under load at concurrency 8: p50/p95, req/s, queries per page; DATABASE=sqlite|postgres SCALE=small|state|national
	$(BIN)/python bench/http_load.py --database $(DATABASE) --scale $(SCALE) $(BENCH_HTTP_ARGS)

.PHONY: bench-quick
bench-quick: venv ## Smoke run of bench-http on a freshly generated small SQLite database (fails only on errors)
	rm -f $(QUICK_DB) $(QUICK_DB)-wal $(QUICK_DB)-shm
	DATABASE_URL=sqlite:///$(QUICK_DB) $(BIN)/cecto generate --scale small --seed 1 >/dev/null
	$(BIN)/python bench/http_load.py --database sqlite --scale small --url sqlite:///$(QUICK_DB) \
	  --requests 100 --seconds 10 --others latest --fail-on errors $(BENCH_HTTP_ARGS)

.PHONY: generate
generate: venv ## Generate a synthetic dataset into the configured empty database; GENERATE_SCALE=small|state|national SEED=N
	$(BIN)/cecto generate --scale $(GENERATE_SCALE) --seed $(SEED)

.PHONY: bench-generate
bench-generate: venv ## Time `cecto generate` (rows/s) on both databases; BENCH_GENERATE_SCALES="small state national"
	@for scale in $(BENCH_GENERATE_SCALES); do \
	  $(BIN)/python bench/generate.py --database sqlite --scale $$scale || exit 1; \
	  $(BIN)/python bench/generate.py --database postgres --scale $$scale || exit 1; \
	done

.PHONY: bench-ledger
bench-ledger: venv ## Recompute 150,000 balances over 5,000,000 ledger entries, on both databases
	$(BIN)/python bench/ledger_recompute.py --database sqlite
	$(BIN)/python bench/ledger_recompute.py --database postgres

.PHONY: bench-import
bench-import: venv ## Import attendance CSV through the real service (rows/s), on both databases; BENCH_ROWS=N
	$(BIN)/python bench/attendance_import.py --database sqlite --rows $(BENCH_ROWS)
	$(BIN)/python bench/attendance_import.py --database postgres --rows $(BENCH_ROWS)

.PHONY: bench-mentoring
bench-mentoring: venv ## Match 2,000 mentees with 600 mentors: time, optimal vs greedy score
	$(BIN)/python bench/mentoring_match.py

.PHONY: bench-credentials
bench-credentials: venv ## Issue and verify OB 3.0 and CLR 2.0 credentials per core, beside raw Ed25519 sign/verify
	$(BIN)/python bench/credentials.py

.PHONY: fmt
fmt: venv ## Format the code and fix what ruff can
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

.PHONY: clean
clean: ## Remove the virtual environment, the local database and caches
	rm -rf $(VENV) var node_modules .coverage
