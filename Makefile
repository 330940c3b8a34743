# The two commands a user runs are `make demo` and `make test` (see README.md).
SWIFT ?= swift
VENV := .venv
PY := $(VENV)/bin/python
TIMED_SUITES := ChainClientTests|WakeupTests|HeadSubscriptionTests|GracefulShutdownTests

.PHONY: setup build test demo adversarial chaos failover latency clean gas format

## Install apt packages and the pinned Python environment (idempotent).
setup:
	@bash scripts/setup.sh

## Debug build of every Swift target.
build: setup
	$(SWIFT) build

## Every test: Swift (Swift Testing) and Python (contracts, local chain, cross-checks).
test: setup
	# The Swift sources are as `make format` leaves them (.swift-format, the toolchain's swift-format).
	$(SWIFT) format lint --strict --recursive --parallel Sources Tests Package.swift
	$(SWIFT) build --build-tests
	$(SWIFT) build --product cloister  # the Python suites drive this binary
	$(SWIFT) build --product cloister-adversary  # and tests/adversarial this test-only one
	# The store suites run on SQLite and on a PostgreSQL server started (and stopped) for them.
	scripts/test-postgres.sh run $(SWIFT) test --skip-build --skip "$(TIMED_SUITES)"
	# Suites that wait on real time run on their own: the JSON-RPC client's servers answer within
	# timeouts, the head wake-ups and the graceful shutdown are measured against the clock, and the
	# CPU-bound engine tests (MiniLM, the LLM's accuracy run), sharing the cooperative pool, could
	# otherwise hold them up for a minute.
	$(SWIFT) test --skip-build --filter "$(TIMED_SUITES)"
	$(PY) -m pytest -q --durations=15 tests

## The local dev network end to end: chain, contracts, nodes, a stream of requests (README's main command).
demo: setup
	$(SWIFT) build --product cloister
	$(PY) scripts/demo.py $(DEMO_ARGS)

## A cheating node among honest ones and an offline node: disputes, slashing, refunds, conservation (docs/adversarial.md).
adversarial: setup
	$(SWIFT) build --product cloister
	$(SWIFT) build --product cloister-adversary
	$(PY) scripts/adversarial.py $(ADVERSARIAL_ARGS)

## The fault campaign: reorgs, lagging RPC backends and kill -9 under traffic, checked from the chain (docs/operations.md).
chaos: setup
	$(SWIFT) build --product cloister
	$(PY) scripts/chaos.py $(CHAOS_ARGS)

## Failover between two node processes sharing a PostgreSQL store: the leader killed under traffic (docs/operations.md).
failover: setup
	$(SWIFT) build --product cloister
	$(PY) scripts/failover.py $(FAILOVER_ARGS)

## Latency in blocks: bursts of 1, 10, 40 and 200 requests at 2 s and 12 s blocks, measured from the chain (docs/benchmarks.md).
latency: setup
	$(SWIFT) build --product cloister
	$(PY) scripts/latency.py $(LATENCY_ARGS)

## Format the Swift sources with the project's .swift-format (layout only; swift-format from the toolchain).
format:
	$(SWIFT) format format --in-place --recursive --parallel Sources Tests Package.swift

clean:
	rm -rf .build

## Measure the contracts' gas on the local chain; writes docs/gas.md and docs/gas.json.
gas: setup
	$(PY) scripts/gas.py
