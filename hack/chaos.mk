# Chaos suite (issue #10): kill -9 of `run --state` under load, the stale-lock race, fuzzed manifests
# through `validate` and `apply`. Bounded for CI (a few minutes on 2 cores); CHAOS_FULL=1 runs the
# full-size figures recorded in docs/reliability.md. Included by the top Makefile.

CHAOS_ARGS ?=

##@ Reliability
.PHONY: test-chaos
test-chaos: build ## Chaos suite: kill -9 under load, stale-lock race, fuzzed manifests (CHAOS_FULL=1 for the full size)
	$(NODE_BIN)/mocha --timeout 1800000 'dist/test/chaos/**/*.spec.js' $(CHAOS_ARGS)
