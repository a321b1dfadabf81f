# moto's server (from PyPI) in a local virtual environment, for the side-by-side API figures of
# `make bench` (test/bench/suites/api.ts). Included by the top Makefile. Without it the api suite
# prints moto's lines as n/a and measures ecsplane alone.
MOTO_VERSION := 5.2.5
MOTO_VENV := .venv-moto
PYTHON ?= python3

.PHONY: moto
moto: ## Install moto[server] (pinned above) into .venv-moto/ for `make bench` (skipped when already there)
	@set -e; \
	if [ -x $(MOTO_VENV)/bin/moto_server ] && $(MOTO_VENV)/bin/python -c 'import importlib.metadata as m, sys; sys.exit(m.version("moto") != "$(MOTO_VERSION)")' 2>/dev/null; then \
	  echo "moto: moto $(MOTO_VERSION) already in $(MOTO_VENV)/"; \
	else \
	  $(PYTHON) -m venv $(MOTO_VENV); \
	  $(MOTO_VENV)/bin/pip install --quiet --disable-pip-version-check "moto[server]==$(MOTO_VERSION)"; \
	  $(MOTO_VENV)/bin/python -c 'import importlib.metadata as m; print("moto", m.version("moto"), "in $(MOTO_VENV)/")'; \
	fi
