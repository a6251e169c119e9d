# Hostplane — make targets. `make help` lists them.
SHELL := /bin/bash
GO ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
# The modules are those go.work lists.
EXISTING_MODULES := $(shell sed -n 's|^[[:space:]]*\./||p' go.work)
TEST_TIMEOUT ?= 12m

.PHONY: help build run test test-unit vet modules bench stack infra-up infra-down fmt clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

build: ## build bin/hostplane
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/hostplane ./cmd/hostplane

run: build ## single-node mode: every service and the gateway on :8080
	bin/hostplane dev

vet: ## go vet every module
	$(GO) vet $(addsuffix /...,$(addprefix ./,$(EXISTING_MODULES)))

modules: ## build each module on its own (outside the workspace)
	@for m in $(EXISTING_MODULES); do (cd $$m && GOWORK=off $(GO) build ./... && GOWORK=off $(GO) vet ./...) || exit 1; done

infra-up: ## start PostgreSQL, Redis and a Consul dev agent when missing
	bash deploy/local/infra.sh up

infra-down: ## stop what infra-up started
	bash deploy/local/infra.sh down

test: build ## every test of every module against real PostgreSQL, Redis and Consul
	@bash deploy/local/infra.sh up || { [ -z "$$HOSTPLANE_TEST_REQUIRE" ] && echo "make test: infrastructure incomplete, integration tests will skip" >&2; }
	$(GO) vet $(addsuffix /...,$(addprefix ./,$(EXISTING_MODULES)))
	bash deploy/local/promtool-checks.sh
	HOSTPLANE_BIN=$(CURDIR)/bin/hostplane $(GO) test -timeout $(TEST_TIMEOUT) -count=1 $(addsuffix /...,$(addprefix ./,$(EXISTING_MODULES)))

test-unit: ## the tests that need no infrastructure (skips the rest)
	HOSTPLANE_TEST_REQUIRE= $(GO) test -short -count=1 $(addsuffix /...,$(addprefix ./,$(EXISTING_MODULES)))

bench: build ## benchmarks: the gateway (bench/run.sh), then each service's suite (bench/suites/*.sh)
	bash bench/run.sh
	@for s in bench/suites/*.sh; do [ -f "$$s" ] || continue; echo "== $$s"; bash "$$s" || exit 1; done

stack: build ## every service as its own process against real PostgreSQL, Redis and Consul
	bash deploy/local/stack.sh

fmt: ## gofmt everything
	gofmt -w $(EXISTING_MODULES)

clean: ## remove build output
	rm -rf bin

# --- ops: containers and observability -------------------------------------
.PHONY: up down ops-check

up: ## docker compose: the whole platform plus Prometheus, Grafana, OTel Collector, Jaeger (needs .env)
	@[ -f .env ] || { echo "make up: copy .env.example to .env and change its secrets" >&2; exit 1; }
	docker compose up -d --build

down: ## stop what `make up` started (volumes kept; `docker compose down -v` drops them)
	docker compose down

ops-check: build ## promtool checks of observability/prometheus, then the ops e2e tests (compose, Nomad, metrics, traces)
	bash deploy/local/promtool-checks.sh
	nomad=$$(bash deploy/local/build-nomad.sh) && cd e2e && HOSTPLANE_NOMAD_BIN=$$nomad HOSTPLANE_TEST_REQUIRE=postgres,redis,consul,nomad \
		HOSTPLANE_BIN=$(CURDIR)/bin/hostplane $(GO) test -count=1 -run 'TestOps' .
