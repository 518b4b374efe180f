# The one entry point for people and CI. `make run` and `make test` install what they need.
PY := .venv/bin/python
SERVICES := catalog quoting orders inventory billing procurement gateway woocommerce web
UNIT_TESTS := $(wildcard libs/*/tests/unit services/*/tests/unit tests/contracts bench/tests)
INTEGRATION_TESTS := $(wildcard libs/*/tests/integration services/*/tests/integration)
TYPED := $(filter-out libs/contracts/src,$(wildcard libs/*/src services/*/src)) examples bench

.PHONY: help setup contracts contracts-check contracts-lock reference release lint test test-unit \
	test-integration test-e2e test-fuzz soak run walkthrough token migration woo web-admin dlq bench clean

help:             ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "%-17s %s\n", $$1, $$2}'

setup:            ## Install system packages, the virtualenv, contracts and Kafka jars (idempotent)
	@bash deploy/setup.sh

contracts: setup  ## Regenerate Python stubs from proto/
	$(PY) -m devstack.contracts generate

contracts-check: setup ## Fail if proto/ breaks the descriptor set main accepted
	$(PY) -m devstack.contracts check

contracts-lock: setup ## Accept the current proto/ as the compatibility baseline
	$(PY) -m devstack.contracts lock

reference: setup  ## Rewrite docs/reference/ from proto/ and its comments
	$(PY) -m devstack.reference write

release: setup    ## dist/oms-contracts-<version>.binpb and its reference: make release [VERSION=1.2.0]
	$(PY) -m devstack.release $(if $(VERSION),--version $(VERSION))

lint: setup       ## ruff, mypy (strict), import-linter, contract compatibility, reference current
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy $(TYPED)
	.venv/bin/lint-imports
	$(PY) -m devstack.contracts check
	$(PY) -m devstack.reference check

test: setup lint  ## Every tier: unit, integration (real Kafka + PostgreSQL), end-to-end (all processes), API fuzzing, faults
	$(PY) -m pytest -q -n auto $(UNIT_TESTS)
	$(PY) -m pytest -q $(INTEGRATION_TESTS)
	$(PY) -m pytest -q tests/e2e
	$(PY) -m pytest -q tests/fuzz
	OMS_TEST_INFRA=processes $(PY) -m pytest -q tests/faults

test-unit: setup  ## Unit tests only (seconds)
	$(PY) -m pytest -q -n auto $(UNIT_TESTS)

test-integration: setup ## Integration tests only
	$(PY) -m pytest -q $(INTEGRATION_TESTS)

test-e2e: setup   ## End-to-end tests only
	$(PY) -m pytest -q tests/e2e

test-fuzz: setup  ## Schemathesis against the gateway's OpenAPI document (all processes; ~3 min)
	$(PY) -m pytest -q tests/fuzz

soak: setup       ## The fault suite for longer: make soak [SOAK_SECONDS=900] [FAULT_WORKERS=6]
	OMS_TEST_INFRA=processes SOAK_SECONDS=$(or $(SOAK_SECONDS),900) \
		FAULT_WORKERS=$(or $(FAULT_WORKERS),6) \
		$(PY) -m pytest -q tests/faults

run: setup        ## Start broker, database, every service and the gateway; Ctrl-C stops all
	$(PY) -m devstack run

walkthrough: setup ## One order from product to invoice through the REST API, against `make run`
	@bash examples/walkthrough.sh

token: setup      ## Development token: make token ROLE=sales [SUBJECT=alice]
	@$(PY) -m servicekit.auth issue --role $(or $(ROLE),admin) --subject $(or $(SUBJECT),dev-$(or $(ROLE),admin))

migration: setup  ## New Alembic migration from a service's tables: make migration SERVICE=orders MSG="..."
	$(PY) -m devstack.migration $(SERVICE) "$(MSG)"

woo: setup        ## WooCommerce connector admin against `make run`: make woo ARGS="stores"
	$(PY) -m devstack.woo $(ARGS)

web-admin: setup  ## The web pages' first admin against `make run`: make web-admin ADMIN=alice (asks the password)
	$(PY) -m devstack.web_admin --role admin --username $(or $(ADMIN),admin)

dlq: setup        ## Dead letters: make dlq [ARGS="redrive --id <ce_id>"]
	$(PY) -m messaging.dlq $(or $(ARGS),list)

bench: setup      ## Benchmarks (closed loop, open-loop sweep, ceiling, search, quotes); reports in bench/reports/
	$(PY) -m bench.order_flow --mode both --orders 400 --concurrency 16 \
		--rates 10,25,50,75,100 --duration 15 --ceiling
	$(PY) -m bench.catalog_search
	$(PY) -m bench.quote_total

clean:            ## Remove local state (data folders, logs); keeps caches
	rm -rf .run
