# Kubernetes bridge: CRDs, end-to-end tests against a real kube-apiserver, kind and deployment.
# Included by the top Makefile (`-include hack/*.mk`); `make help` lists these targets.

KUBECTL ?= kubectl
KIND ?= kind
DOCKER ?= docker
KIND_CLUSTER ?= ecsplane
IMG ?= ecsplane:dev
# Namespace `make run-k8s` mirrors into (the deployment always uses its own namespace, `ecsplane`).
K8S_NAMESPACE ?= default
DEPLOY_NAMESPACE := ecsplane
E2E_ARGS ?=

##@ Kubernetes bridge
.PHONY: manifests
manifests: build ## Generate the CRDs in api/crd/ from the kind registry (commit the result)
	node dist/hack/gen-crds.js --out api/crd

.PHONY: verify-manifests
verify-manifests: build ## Fail when api/crd/ is not what `make manifests` generates
	node dist/hack/gen-crds.js --out api/crd --check

.PHONY: install
install: ## Install the CRDs into the current kubectl context and wait until they are Established
	$(KUBECTL) apply --server-side --force-conflicts -f api/crd
	$(KUBECTL) wait --for condition=established --timeout=60s -f api/crd

.PHONY: uninstall
uninstall: ## Delete the CRDs (and with them every ecsplane.io object) from the current context
	$(KUBECTL) delete --ignore-not-found -f api/crd

.PHONY: run-k8s
run-k8s: build install ## Run ecsplane with the bridge against the current context (K8S_NAMESPACE=default)
	$(KUBECTL) create namespace $(K8S_NAMESPACE) --dry-run=client -o yaml | $(KUBECTL) apply -f -
	$(CLI) run --kubeconfig "$${KUBECONFIG:-$$HOME/.kube/config}" --namespace $(K8S_NAMESPACE) $(RUN_ARGS)

.PHONY: test-e2e
test-e2e: build ## End-to-end test of the bridge against a real kube-apiserver + etcd (hack/test-apiserver.sh)
	@set -e; \
	if hack/test-apiserver.sh status >/dev/null 2>&1; then started=0; else started=1; hack/test-apiserver.sh start; fi; \
	eval "$$(hack/test-apiserver.sh env)"; \
	rc=0; REQUIRE_APISERVER=1 $(NODE_BIN)/mocha --timeout 600000 'dist/test/e2e/**/*.spec.js' $(E2E_ARGS) || rc=$$?; \
	if [ "$$started" = 1 ] && [ -z "$$E2E_KEEP_APISERVER" ]; then hack/test-apiserver.sh stop; fi; \
	exit $$rc

.PHONY: kind-up
kind-up: ## Create the kind cluster (KIND_CLUSTER=ecsplane; needs kind and Docker) and install the CRDs
	hack/kind.sh up $(KIND_CLUSTER)
	$(MAKE) --no-print-directory install

.PHONY: kind-down
kind-down: ## Delete the kind cluster (KIND_CLUSTER=ecsplane)
	hack/kind.sh down $(KIND_CLUSTER)

.PHONY: docker-build
docker-build: ## Build the image (IMG=ecsplane:dev) from hack/deploy/Dockerfile
	$(DOCKER) build -f hack/deploy/Dockerfile -t $(IMG) .

.PHONY: deploy
deploy: docker-build install ## Build the image, load it into kind, deploy the bridge (namespace ecsplane) and wait for it
	hack/kind.sh load $(KIND_CLUSTER) $(IMG)
	$(KUBECTL) apply -f hack/deploy/
	$(KUBECTL) -n $(DEPLOY_NAMESPACE) set image deployment/ecsplane-bridge bridge=$(IMG)
	$(KUBECTL) -n $(DEPLOY_NAMESPACE) rollout status deployment/ecsplane-bridge --timeout=180s

.PHONY: undeploy
undeploy: ## Remove the bridge deployment, its RBAC and namespace (CRDs stay; `make uninstall`)
	$(KUBECTL) delete --ignore-not-found -f hack/deploy/
