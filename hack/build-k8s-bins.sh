#!/usr/bin/env bash
# Builds the binaries behind hack/test-apiserver.sh from the Go wrapper modules in hack/k8s-bin/:
#
#   kube-apiserver  from hack/k8s-bin/kube-apiserver (k8s.io/kubernetes, version read from its go.mod)
#   etcd            from hack/k8s-bin/etcd (go.etcd.io/etcd/server/v3); if that build is impossible or fails,
#                   falls back to an etcd already on PATH, else to Debian's etcd-server (apt-get install -y etcd-server)
#   kubectl         only when no kubectl is on PATH (or with --with-kubectl), from the kube-apiserver wrapper module
#
# into the cache ${ECSPLANE_K8S_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ecsplane/k8s}/<k8s-version>/, keyed by the
# Kubernetes version. Binaries already in the cache are not rebuilt. A cold build of kube-apiserver takes ~6-10 min
# on 2 cores (later builds reuse the Go build cache); it needs Go (>= the go line of each wrapper's go.mod) and the
# Go module proxy.
#
# Usage: hack/build-k8s-bins.sh [--with-kubectl] [--force] [--print-dir]
#   --with-kubectl  build kubectl into the cache even when one is on PATH
#   --force         rebuild the binaries even if they are cached
#   --print-dir     only print the cache directory
#
# Environment: ECSPLANE_K8S_CACHE (cache root), ECSPLANE_ETCD_FROM_APT=1 (skip the etcd build, use the fallback),
# BUILD_PROGRESS_EVERY (seconds between progress lines of a running build or a wait for the lock; default 30).
# Progress goes to stderr (what is built, elapsed time, who holds the build lock while waiting for it); the last
# line on stdout is the directory holding the binaries.
set -euo pipefail

hack_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
apiserver_mod="$hack_dir/k8s-bin/kube-apiserver"
etcd_mod="$hack_dir/k8s-bin/etcd"

log() { echo "build-k8s-bins: $*" >&2; }
die() {
  echo "build-k8s-bins: error: $*" >&2
  exit 1
}

with_kubectl=0
force=0
print_dir=0
for arg in "$@"; do
  case "$arg" in
    --with-kubectl) with_kubectl=1 ;;
    --force) force=1 ;;
    --print-dir) print_dir=1 ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown argument '$arg' (see --help)" ;;
  esac
done

# module_version GO_MOD MODULE: the version MODULE is required at in GO_MOD (no go command needed)
module_version() {
  awk -v m="$2" '
    $1 == "require" && $2 == m { print $3; exit }
    $1 == m && $2 ~ /^v[0-9]/ { print $2; exit }
  ' "$1"
}

# go_directive GO_MOD: the go line of GO_MOD, e.g. 1.24.0
go_directive() {
  awk '$1 == "go" { print $2; exit }' "$1"
}

# version_ge A B: true when dotted version A >= B (missing parts count as 0)
version_ge() {
  local -a a b
  local i x y
  IFS=. read -r -a a <<<"$1"
  IFS=. read -r -a b <<<"$2"
  for i in 0 1 2; do
    x="${a[i]:-0}"
    y="${b[i]:-0}"
    x="${x%%[!0-9]*}"
    y="${y%%[!0-9]*}"
    ((10#${x:-0} > 10#${y:-0})) && return 0
    ((10#${x:-0} < 10#${y:-0})) && return 1
  done
  return 0
}

# check_go MODULE_DIR: true when a go command able to build MODULE_DIR is available; explains why not on stderr
check_go() {
  local need have out
  need="$(go_directive "$1/go.mod")"
  if ! command -v go >/dev/null 2>&1; then
    log "go is not on PATH; building $(basename "$1") needs Go >= $need (https://go.dev/dl/)"
    return 1
  fi
  # Inside the module so that a GOTOOLCHAIN switch (if the user allows one) is taken into account.
  if ! out="$(cd "$1" && go env GOVERSION 2>&1)"; then
    log "'go env GOVERSION' failed in $1: $out"
    log "building $(basename "$1") needs Go >= $need (or GOTOOLCHAIN=go$need)"
    return 1
  fi
  have="$(grep -oE 'go[0-9]+(\.[0-9]+)*' <<<"$out" | head -n 1)"
  have="${have#go}"
  if [[ -z "$have" ]] || ! version_ge "$have" "$need"; then
    log "$(command -v go) is ${out}; building $(basename "$1") needs Go >= $need (or GOTOOLCHAIN=go$need)"
    return 1
  fi
}

[[ -f "$apiserver_mod/go.mod" && -f "$etcd_mod/go.mod" ]] || die "wrapper modules missing under $hack_dir/k8s-bin"
k8s_version="$(module_version "$apiserver_mod/go.mod" k8s.io/kubernetes)"
etcd_version="$(module_version "$etcd_mod/go.mod" go.etcd.io/etcd/server/v3)"
[[ "$k8s_version" =~ ^v1\.([0-9]+)\.[0-9]+$ ]] || die "cannot read the k8s.io/kubernetes version from $apiserver_mod/go.mod"
k8s_minor="${BASH_REMATCH[1]}"
[[ -n "$etcd_version" ]] || die "cannot read the go.etcd.io/etcd/server/v3 version from $etcd_mod/go.mod"

cache_root="${ECSPLANE_K8S_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ecsplane/k8s}"
bin_dir="$cache_root/$k8s_version"
if ((print_dir)); then
  echo "$bin_dir"
  exit 0
fi
mkdir -p "$bin_dir"

progress_every="${BUILD_PROGRESS_EVERY:-30}"
[[ "$progress_every" =~ ^[1-9][0-9]*$ ]] || die "BUILD_PROGRESS_EVERY must be a whole number of seconds, not '$progress_every'"

tmp_files=()
holder_file="$bin_dir/.lock-holder"
cleanup() {
  local f
  for f in ${tmp_files[@]+"${tmp_files[@]}"}; do rm -f -- "$f"; done
}
trap cleanup EXIT

# One build at a time per cache directory (two test runs may start together). The holder writes who it is next
# to the lock, so a waiting build says whom it waits for, and for how long.
if command -v flock >/dev/null 2>&1; then
  exec 9>>"$bin_dir/.lock"
  if ! flock -n 9; then
    wait_start="$(date +%s)"
    log "another build into $bin_dir is running; waiting for it (held by $(cat "$holder_file" 2>/dev/null || echo 'unknown'))"
    while ! flock -w "$progress_every" 9; do
      log "still waiting for the build lock after $(($(date +%s) - wait_start)) s (held by $(cat "$holder_file" 2>/dev/null || echo 'unknown'))"
    done
    log "got the build lock after $(($(date +%s) - wait_start)) s"
  fi
  printf 'pid %s (%s) since %s, in %s\n' "$$" "$0" "$(date -u +%H:%M:%SZ)" "$PWD" >"$holder_file"
  tmp_files+=("$holder_file")
fi

# Version stamping exactly as upstream's release build does; wrong values break startup (kubernetes#129842).
version_ldflags="-X k8s.io/component-base/version.gitVersion=$k8s_version"
version_ldflags+=" -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$k8s_minor"

# go_build NAME MODULE_DIR PACKAGE [go build flags...]: builds PACKAGE into $bin_dir/NAME atomically
go_build() {
  local name="$1" dir="$2" pkg="$3" start tmp
  shift 3
  tmp="$bin_dir/.$name.tmp.$$"
  tmp_files+=("$tmp")
  start="$(date +%s)"
  # -mod=readonly: the committed go.sum must be complete. Output of go itself goes to stderr. A line every
  # $progress_every s while it runs (a cold kube-apiserver build takes minutes and go itself says nothing).
  (cd "$dir" && exec go build -mod=readonly -buildvcs=false "$@" -o "$tmp" "$pkg") >&2 &
  local pid=$! rc=0 last="$start" t
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    t="$(date +%s)"
    if ((t - last >= progress_every)) && kill -0 "$pid" 2>/dev/null; then
      last="$t"
      log "still building $name: $((t - start)) s elapsed"
    fi
  done
  wait "$pid" || rc=$?
  if ((rc != 0)); then
    log "building $name failed after $(($(date +%s) - start)) s (go build exit status $rc)"
    return 1
  fi
  mv -f -- "$tmp" "$bin_dir/$name"
  log "built $name in $(($(date +%s) - start)) s -> $bin_dir/$name"
}

# ------------------------------------------------------------------------------------------------ kube-apiserver
if [[ -x "$bin_dir/kube-apiserver" && $force -eq 0 ]]; then
  log "kube-apiserver $k8s_version: cached"
else
  check_go "$apiserver_mod" || die "cannot build kube-apiserver $k8s_version (see above)"
  log "building kube-apiserver $k8s_version with $(go env GOVERSION) (cold: ~6-10 min on 2 cores, 2.2 GB RAM) ..."
  go_build kube-apiserver "$apiserver_mod" . -ldflags "$version_ldflags" ||
    die "building kube-apiserver failed (module: $apiserver_mod)"
fi

# ------------------------------------------------------------------------------------------------ etcd
# Runs apt-get as root, or through passwordless sudo.
as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    return 1
  fi
}

etcd_fallback() {
  local found version
  found="$(command -v etcd 2>/dev/null || true)"
  if [[ -n "$found" && "$(cd "$(dirname "$found")" && pwd -P)" == "$(cd "$bin_dir" && pwd -P)" ]]; then
    found="" # that is our own cache entry (its directory is on PATH), not a system etcd
  fi
  if [[ -z "$found" ]]; then
    command -v apt-get >/dev/null 2>&1 ||
      die "no etcd: the build failed, none is on PATH and apt-get is missing; install etcd 3.5 and put it on PATH"
    log "installing Debian's etcd-server: apt-get update && apt-get install -y etcd-server"
    if ! as_root apt-get update >&2 ||
      ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y etcd-server >&2; then
      die "apt-get install etcd-server failed (needs root or passwordless sudo); run it yourself and retry"
    fi
    found="$(command -v etcd 2>/dev/null || true)"
    [[ -n "$found" ]] || die "etcd-server installed but no etcd on PATH"
  fi
  version="$("$found" --version 2>/dev/null | head -n 1 || true)"
  ln -sfn -- "$found" "$bin_dir/etcd"
  echo "fallback $found ($version)" >"$bin_dir/etcd.version"
  log "etcd: using fallback $found ($version); delete $bin_dir/etcd to try the $etcd_version build again"
}

etcd_stamp=""
[[ -f "$bin_dir/etcd.version" ]] && etcd_stamp="$(cat "$bin_dir/etcd.version")"
if [[ -x "$bin_dir/etcd" && $force -eq 0 && ("$etcd_stamp" == "$etcd_version" || "$etcd_stamp" == fallback*) ]]; then
  log "etcd: cached (${etcd_stamp})"
elif [[ "${ECSPLANE_ETCD_FROM_APT:-0}" == 1 ]]; then
  etcd_fallback
elif ! check_go "$etcd_mod"; then
  log "cannot build etcd $etcd_version; trying the fallback"
  etcd_fallback
else
  log "building etcd $etcd_version with $(go env GOVERSION) (1-3 min cold) ..."
  if go_build etcd "$etcd_mod" .; then
    echo "$etcd_version" >"$bin_dir/etcd.version"
  else
    log "building etcd $etcd_version failed; trying the fallback"
    etcd_fallback
  fi
fi

# ------------------------------------------------------------------------------------------------ kubectl
if ((with_kubectl)) || ! command -v kubectl >/dev/null 2>&1; then
  if [[ -x "$bin_dir/kubectl" && $force -eq 0 ]]; then
    log "kubectl $k8s_version: cached"
  else
    check_go "$apiserver_mod" || die "no kubectl on PATH and cannot build one (see above)"
    log "building kubectl $k8s_version (no kubectl on PATH, or --with-kubectl) ..."
    go_build kubectl "$apiserver_mod" k8s.io/kubernetes/cmd/kubectl -ldflags "$version_ldflags" ||
      die "building kubectl failed (module: $apiserver_mod)"
  fi
fi

echo "$bin_dir"
