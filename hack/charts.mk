# Charts of the examples (issue #14): `make charts` regenerates the SVGs the README shows, in
# docs/images/ (committed). test/integration/cli/charts.spec.ts runs `make charts-svg` into a
# temporary directory and fails when a committed chart differs from what the code draws now.
# Included by the top Makefile (`-include hack/*.mk`).

CHART_EXAMPLES := examples/scheduler/rolling-50-100.yaml examples/scheduler/circuit-breaker-rollback.yaml examples/scaling/cluster-autoscaling.yaml
CHARTS_DIR ?= docs/images

##@ Charts
.PHONY: charts charts-svg
charts: build ## Regenerate the example charts in docs/images/ (SVG; deterministic, commit them)
	@$(MAKE) --no-print-directory charts-svg

charts-svg: # the charts without the build step (the staleness test calls it on a built tree)
	@mkdir -p $(CHARTS_DIR)
	@set -e; for f in $(CHART_EXAMPLES); do \
	  out=$(CHARTS_DIR)/$$(basename $$f .yaml).svg; \
	  $(CLI) simulate $$f --output svg --out $$out; \
	  echo "$$out"; \
	done
