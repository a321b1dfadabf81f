# The real AWS CLI (v1, from PyPI) in a local virtual environment, for the tests that drive ecsplane's
# AWS API with it (test/integration/aws-cli/, examples/aws-cli/). Included by the top Makefile.
# awscli 1.45.11 pins botocore 1.43.11: the same service model api/aws-models/ is generated from.
AWS_CLI_VERSION := 1.45.11
AWS_VENV := .venv-aws
PYTHON ?= python3

.PHONY: aws-cli
aws-cli: ## Install the AWS CLI (awscli 1.45.11, the pin above) into .venv-aws/ (skipped when already there)
	@set -e; \
	if [ -x $(AWS_VENV)/bin/aws ] && $(AWS_VENV)/bin/python -c 'import importlib.metadata as m, sys; sys.exit(m.version("awscli") != "$(AWS_CLI_VERSION)")' 2>/dev/null; then \
	  echo "aws-cli: awscli $(AWS_CLI_VERSION) already in $(AWS_VENV)/"; \
	else \
	  $(PYTHON) -m venv $(AWS_VENV); \
	  $(AWS_VENV)/bin/pip install --quiet --disable-pip-version-check "awscli==$(AWS_CLI_VERSION)"; \
	  $(AWS_VENV)/bin/aws --version; \
	fi

.PHONY: aws-session
aws-session: aws-cli ## Run the seed's aws CLI session (examples/aws-cli/seed-session.sh) against `make run` on :4566
	PATH="$(CURDIR)/$(AWS_VENV)/bin:$$PATH" examples/aws-cli/seed-session.sh
