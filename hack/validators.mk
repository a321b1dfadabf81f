# The precompiled spec validators (api/schema/validators: ajv standalone code generated from the kind
# schemas, loaded instead of compiling the schemas at start-up). Included by the top Makefile.

##@ Validators
.PHONY: validators
validators: build ## Regenerate api/schema/validators/ from the kind schemas (commit the result)
	node dist/hack/gen-validators.js
	$(NODE_BIN)/tsc -p .

.PHONY: verify-validators
verify-validators: build ## Fail when api/schema/validators/ is not what `make validators` generates
	node dist/hack/gen-validators.js --check
