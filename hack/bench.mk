# Benchmarks (issue #6): `make bench` prints every figure against its target; docs/benchmarks.md
# records the table. Included by the top Makefile (`-include hack/*.mk`).
#
# The bridge figures need a real kube-apiserver: this starts a private one (hack/test-apiserver.sh,
# its own run directory and ports, stopped afterwards). BENCH_BRIDGE=0 skips it (those lines print
# n/a). BENCH_ARGS is passed to the harness, e.g. BENCH_ARGS=--quick (one run each, a smoke test)
# or BENCH_ARGS='--only placement,store' or BENCH_ARGS='--markdown /tmp/bench.md'.

BENCH_ARGS ?=
# With --only and no bridge suite, no kube-apiserver is started (its CPU would weigh on the other figures).
BENCH_BRIDGE ?= $(if $(and $(findstring --only,$(BENCH_ARGS)),$(if $(findstring bridge,$(BENCH_ARGS)),,1)),0,1)
BENCH_APISERVER_DIR ?= $(if $(wildcard /dev/shm),/dev/shm,$${TMPDIR:-/tmp})/ecsplane-bench-apiserver

##@ Benchmarks
.PHONY: bench
bench: build ## Run the benchmark suite and print each figure with its target (BENCH_ARGS=--quick for a smoke run)
	@# moto's server for the side-by-side API figures (hack/bench-moto.mk); without it those lines print n/a.
	-@$(MAKE) --no-print-directory moto
	@set -e; \
	export ECSPLANE_APISERVER_DIR="$(BENCH_APISERVER_DIR)" APISERVER_PORT=$${BENCH_APISERVER_PORT:-17443} ETCD_PORT=$${BENCH_ETCD_PORT:-24790} ETCD_PEER_PORT=$${BENCH_ETCD_PEER_PORT:-24800}; \
	started=0; \
	if [ "$(BENCH_BRIDGE)" != 0 ]; then \
	  if hack/test-apiserver.sh status >/dev/null 2>&1; then :; \
	  elif hack/test-apiserver.sh start >/dev/null 2>"$${ECSPLANE_APISERVER_DIR}.start.log"; then started=1; \
	  else echo "bench: could not start the test kube-apiserver (see $${ECSPLANE_APISERVER_DIR}.start.log); the bridge lines will be n/a" >&2; fi; \
	  if hack/test-apiserver.sh status >/dev/null 2>&1; then eval "$$(hack/test-apiserver.sh env)"; else unset KUBECONFIG; fi; \
	else unset KUBECONFIG; export BENCH_BRIDGE=0; fi; \
	rc=0; node dist/test/bench/main.js $(BENCH_ARGS) || rc=$$?; \
	if [ "$$started" = 1 ]; then hack/test-apiserver.sh stop >/dev/null 2>&1 || true; fi; \
	exit $$rc
