# The AWS API front end's service models (controllers/aws), generated from botocore like the schemas.
# Included by the top Makefile (`-include hack/*.mk`).

##@ AWS API
.PHONY: aws-models
aws-models: ## Regenerate api/aws-models/*.json from botocore 1.43.11 (pip install botocore==1.43.11)
	python3 hack/gen-aws-models.py

.PHONY: verify-aws-models
verify-aws-models: ## Fail if api/aws-models/*.json are stale
	python3 hack/gen-aws-models.py --check
