#!/usr/bin/env bash
# kind helpers for the Kubernetes bridge (`make kind-up`, `make kind-down`, `make deploy`).
#
#   hack/kind.sh up   [CLUSTER]        create the kind cluster (default: ecsplane) unless it exists; switch to it
#   hack/kind.sh down [CLUSTER]        delete it
#   hack/kind.sh load [CLUSTER] IMAGE  load a locally built image into it
#
# Needs kind (https://kind.sigs.k8s.io) and a running Docker (or Podman with KIND_EXPERIMENTAL_PROVIDER).
set -euo pipefail

die() {
  echo "kind.sh: error: $*" >&2
  exit 1
}

need() {
  command -v "${KIND:-kind}" >/dev/null 2>&1 ||
    die "kind is not installed: https://kind.sigs.k8s.io/docs/user/quick-start/#installation (e.g. 'go install sigs.k8s.io/kind@latest')"
  if [[ "${KIND_EXPERIMENTAL_PROVIDER:-docker}" == docker ]]; then
    command -v "${DOCKER:-docker}" >/dev/null 2>&1 || die "docker is not installed (kind runs its nodes as containers)"
    "${DOCKER:-docker}" info >/dev/null 2>&1 || die "docker is installed but not running (or this user may not use it): start it and retry"
  fi
}

exists() { "${KIND:-kind}" get clusters 2>/dev/null | grep -qx "$1"; }

cmd="${1:-}"
shift || true
case "$cmd" in
  up)
    cluster="${1:-ecsplane}"
    need
    if exists "$cluster"; then
      echo "kind.sh: cluster '$cluster' exists"
      "${KIND:-kind}" export kubeconfig --name "$cluster"
    else
      "${KIND:-kind}" create cluster --name "$cluster" --wait 120s
    fi
    echo "kind.sh: kubectl context is now kind-$cluster"
    ;;
  down)
    cluster="${1:-ecsplane}"
    need
    if exists "$cluster"; then "${KIND:-kind}" delete cluster --name "$cluster"; else echo "kind.sh: no cluster '$cluster'"; fi
    ;;
  load)
    [[ $# -ge 2 ]] || die "usage: hack/kind.sh load CLUSTER IMAGE"
    cluster="$1"
    image="$2"
    need
    exists "$cluster" || die "no kind cluster '$cluster': run 'make kind-up' first"
    "${KIND:-kind}" load docker-image "$image" --name "$cluster"
    ;;
  *)
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
    [[ -z "$cmd" || "$cmd" == -h || "$cmd" == --help ]] || exit 1
    ;;
esac
