# A real browser for the HTML report's test (test/integration/cli/report-browser.spec.ts): Debian's
# chromium, driven by playwright-core. CI runs `make chromium` and sets REQUIRE_BROWSER=1, so a
# missing browser fails the test there instead of skipping it. CHROMIUM=/path overrides the binary.
# Included by the top Makefile (`-include hack/*.mk`).

CHROMIUM ?= /usr/bin/chromium

##@ Browser
.PHONY: chromium
chromium: ## Install Debian's chromium (apt-get) for the HTML report's browser test, unless present
	@if [ -x "$(CHROMIUM)" ]; then echo "chromium: $(CHROMIUM) ($$($(CHROMIUM) --version 2>/dev/null))"; \
	else \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core; \
	  "$(CHROMIUM)" --version; \
	fi
