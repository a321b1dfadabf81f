# ecsplane — `make help` lists the targets.
SHELL := /bin/bash
NODE_BIN := node_modules/.bin
CLI := node dist/controllers/cli/main.js
EXAMPLE ?= examples/quickstart

.DEFAULT_GOAL := help

##@ General
.PHONY: help
help: ## Show this help
	@awk 'BEGIN {FS = ":.*##"; printf "Usage: make <target>\n"} /^[a-zA-Z0-9_-]+:.*?##/ { printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2 } /^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) }' $(MAKEFILE_LIST)

##@ Development
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

.PHONY: deps
deps: node_modules/.package-lock.json ## Install npm dependencies (npm ci)

.PHONY: build
build: deps ## Compile TypeScript to dist/
	$(NODE_BIN)/tsc -p .

.PHONY: lint
lint: deps ## Type-check and refuse focused tests
	$(NODE_BIN)/tsc -p . --noEmit
	@$(MAKE) --no-print-directory verify-manifests
	@! grep -rnE '\b(it|describe)\.only\(' test/ || (echo "focused test (.only) found" && exit 1)

.PHONY: run
run: build ## Run the embedded control plane on examples/quickstart (Ctrl-C to stop)
	$(CLI) run -f $(EXAMPLE) $(RUN_ARGS)

.PHONY: simulate
simulate: build ## Simulate the quickstart for 5 virtual minutes and print the timeline
	$(CLI) simulate $(EXAMPLE) --until 5m --sample-every 30s

##@ Tests
.PHONY: test
test: build ## Run unit and integration tests (ends with `N passed, N failed`)
	$(NODE_BIN)/mocha 'dist/test/unit/**/*.spec.js' 'dist/test/integration/**/*.spec.js'

# Targets of the Kubernetes bridge, benchmarks and other parts live beside their code.
-include hack/*.mk
