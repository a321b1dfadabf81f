#!/usr/bin/env bash
# A real kube-apiserver + etcd on 127.0.0.1 for the Kubernetes bridge's end-to-end tests (envtest-style, no Docker).
#
#   hack/test-apiserver.sh start              build the binaries if needed (hack/build-k8s-bins.sh), start etcd
#                                             and kube-apiserver, wait for /readyz; a no-op when already running
#   hack/test-apiserver.sh stop               SIGTERM kube-apiserver then etcd (by pidfile; SIGKILL after 20 s) and
#                                             remove the run directory
#   hack/test-apiserver.sh restart-apiserver  restart only kube-apiserver against the same etcd and wait for /readyz
#   hack/test-apiserver.sh status             show what runs; exit status 0 only when both run and /readyz is ok
#   hack/test-apiserver.sh env                print `export KUBECONFIG=...`: eval "$(hack/test-apiserver.sh env)"
#
# Environment (read by start; the other commands use the values recorded in the run directory):
#   ECSPLANE_APISERVER_DIR   run directory (default /dev/shm/ecsplane-apiserver; ${TMPDIR:-/tmp}/... without /dev/shm)
#   APISERVER_PORT           kube-apiserver HTTPS port on 127.0.0.1 (default 16443)
#   ETCD_PORT, ETCD_PEER_PORT  etcd client and peer ports on 127.0.0.1 (default 23790, 23800)
#   APISERVER_READY_TIMEOUT  seconds to wait for /readyz (default 90)
#   ECSPLANE_K8S_BIN_DIR     take kube-apiserver and etcd from this directory instead of building them
#   KUBEBUILDER_ASSETS       the same, as envtest names it (e.g. "$(setup-envtest use -p path 1.33.x)"); used
#                            when ECSPLANE_K8S_BIN_DIR is not set
#
# Only one start/stop/restart runs at a time (a lock); one that waits says who holds the lock and for how long.
# A port already in use is reported with the process listening on it before anything starts.
#
# The run directory holds pki/ (throw-away CA, serving certificate, service-account key), tokens.csv, kubeconfig
# (cluster, user and context "ecsplane-test", bearer token of a system:masters user), etcd-data/, and the pid and
# log files of both processes. Everything listens on 127.0.0.1 only. Processes are only ever signalled through
# their pidfiles, never by name.
set -euo pipefail

hack_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [[ -n "${ECSPLANE_APISERVER_DIR:-}" ]]; then
  run_dir="$ECSPLANE_APISERVER_DIR"
elif [[ -d /dev/shm && -w /dev/shm ]]; then
  run_dir=/dev/shm/ecsplane-apiserver # tmpfs: etcd's fsyncs cost nothing
else
  run_dir="${TMPDIR:-/tmp}/ecsplane-apiserver"
fi
run_dir="${run_dir%/}"
case "$run_dir" in
  /*) ;;
  *) run_dir="$PWD/$run_dir" ;;
esac
[[ "$run_dir" != / && -n "${run_dir//\//}" ]] || {
  echo "test-apiserver: error: refusing run directory '$run_dir'" >&2
  exit 1
}

# Requested by the environment; start records them in state.env, which the other commands then read.
req_etcd_port="${ETCD_PORT:-23790}"
req_etcd_peer_port="${ETCD_PEER_PORT:-23800}"
req_apiserver_port="${APISERVER_PORT:-16443}"

state_file="$run_dir/state.env"
pki="$run_dir/pki"
kubeconfig="$run_dir/kubeconfig"
ready_timeout="${APISERVER_READY_TIMEOUT:-90}"
stop_timeout=20
cluster_name=ecsplane-test

log() { echo "test-apiserver: $*" >&2; }
die() {
  echo "test-apiserver: error: $*" >&2
  exit 1
}

now_ms() { date +%s%3N; }
elapsed() { # elapsed START_MS -> "12.3"
  local ms=$(($(now_ms) - $1))
  printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100))
}

# ------------------------------------------------------------------------------------------------ state
load_state() {
  [[ -f "$state_file" ]] || return 1
  # shellcheck source=/dev/null
  source "$state_file"
}

write_state() {
  {
    printf 'ETCD_PORT=%q\n' "$ETCD_PORT"
    printf 'ETCD_PEER_PORT=%q\n' "$ETCD_PEER_PORT"
    printf 'APISERVER_PORT=%q\n' "$APISERVER_PORT"
    printf 'BIN_DIR=%q\n' "$BIN_DIR"
  } >"$state_file"
}

# ------------------------------------------------------------------------------------------------ processes
pid_of() { # NAME -> pid from NAME.pid, or nothing
  local pid=""
  if [[ -f "$run_dir/$1.pid" ]]; then
    read -r pid <"$run_dir/$1.pid" || true
  fi
  [[ "$pid" =~ ^[0-9]+$ ]] && echo "$pid"
  return 0
}

# pid_alive PID: the process exists, is not a zombie, and belongs to this run directory (guards against a
# recycled pid: both command lines name a path inside the run directory).
pid_alive() {
  local pid="$1" stat cmdline
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/stat" ]]; then
    stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || return 1
    stat="${stat##*) }"
    [[ "${stat:0:1}" != Z ]] || return 1
    cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
    [[ "$cmdline" == *"$run_dir/"* ]] || return 1
  fi
  return 0
}

alive() { # NAME
  local pid
  pid="$(pid_of "$1")"
  [[ -n "$pid" ]] && pid_alive "$pid"
}

# launch NAME COMMAND...: starts COMMAND in the background, detached from the terminal, logging to NAME.log
launch() {
  local name="$1"
  shift
  echo "---- $(date -u +%Y-%m-%dT%H:%M:%SZ) starting: $*" >>"$run_dir/$name.log"
  # 9>&-: do not hand the lock descriptor to the long-running child.
  nohup "$@" </dev/null >>"$run_dir/$name.log" 2>&1 9>&- &
  echo "$!" >"$run_dir/$name.pid"
}

# stop_one NAME: SIGTERM through the pidfile, up to $stop_timeout s, then SIGKILL
stop_one() {
  local name="$1" pid i
  pid="$(pid_of "$name")"
  if [[ -z "$pid" ]] || ! pid_alive "$pid"; then
    rm -f -- "$run_dir/$name.pid"
    return 0
  fi
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < stop_timeout * 10; i++)); do
    pid_alive "$pid" || break
    sleep 0.1
  done
  if pid_alive "$pid"; then
    log "$name (pid $pid) still running after ${stop_timeout} s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      pid_alive "$pid" || break
      sleep 0.1
    done
    pid_alive "$pid" && die "$name (pid $pid) survived SIGKILL"
  fi
  rm -f -- "$run_dir/$name.pid"
}

port_in_use() { # PORT: true when something accepts connections on 127.0.0.1:PORT
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

port_owner() { # PORT: " (pid 123: etcd ...)" for the process listening on PORT, when ss can tell
  local line pid cmd
  command -v ss >/dev/null 2>&1 || return 0
  line="$(ss -Hltnp "sport = :$1" 2>/dev/null | head -n 1)"
  [[ "$line" =~ pid=([0-9]+) ]] || return 0
  pid="${BASH_REMATCH[1]}"
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-100)"
  printf ' (pid %s: %s)' "$pid" "${cmd% }"
}

show_log() { # NAME
  if [[ -f "$run_dir/$1.log" ]]; then
    echo "---- last 50 lines of $run_dir/$1.log" >&2
    tail -n 50 "$run_dir/$1.log" >&2
    echo "----" >&2
  fi
}

# ------------------------------------------------------------------------------------------------ health
find_kubectl() {
  if [[ -n "${KUBECTL:-}" ]]; then
    echo "$KUBECTL"
  elif command -v kubectl >/dev/null 2>&1; then
    command -v kubectl
  elif [[ -n "${BIN_DIR:-}" && -x "$BIN_DIR/kubectl" ]]; then
    echo "$BIN_DIR/kubectl"
  else
    return 1
  fi
}

etcd_healthy() {
  local response=""
  if command -v curl >/dev/null 2>&1; then
    response="$(curl -sS --max-time 2 "http://127.0.0.1:$ETCD_PORT/health" 2>/dev/null)" || return 1
  else
    response="$(
      {
        exec 3<>"/dev/tcp/127.0.0.1/$ETCD_PORT" || exit 1
        printf 'GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
        timeout 2 cat <&3
      } 2>/dev/null
    )" || return 1
  fi
  [[ "$response" == *'"health":"true"'* || "$response" == *'"health": "true"'* ]]
}

# /readyz answers 200 "ok" once every post-start hook (RBAC bootstrap included) is done.
apiserver_ready() {
  local kubectl
  if command -v curl >/dev/null 2>&1; then
    [[ "$(curl -sS --max-time 3 --cacert "$pki/ca.crt" "https://127.0.0.1:$APISERVER_PORT/readyz" 2>/dev/null)" == ok ]]
  elif kubectl="$(find_kubectl)"; then
    [[ "$("$kubectl" --kubeconfig "$kubeconfig" --request-timeout=3s get --raw /readyz 2>/dev/null)" == ok ]]
  else
    die "need curl or kubectl to check /readyz"
  fi
}

# wait_until NAME TIMEOUT_S CHECK: polls CHECK every 0.25 s while process NAME lives
wait_until() {
  local name="$1" timeout="$2" check="$3" deadline
  deadline=$(($(now_ms) + timeout * 1000))
  while (($(now_ms) < deadline)); do
    "$check" && return 0
    alive "$name" || {
      log "$name exited during startup"
      return 1
    }
    sleep 0.25
  done
  "$check" && return 0
  log "$name not ready after ${timeout} s"
  return 1
}

# ------------------------------------------------------------------------------------------------ setup
make_pki() {
  mkdir -p "$pki"
  cat >"$pki/openssl.cnf" <<'EOF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = ecsplane-test
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash
[v3_server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = IP:127.0.0.1, DNS:localhost
EOF
  local -a quiet=(-config "$pki/openssl.cnf")
  {
    openssl req -x509 -new -nodes -newkey rsa:2048 -sha256 -days 3650 "${quiet[@]}" -extensions v3_ca \
      -subj "/CN=ecsplane-test-ca" -keyout "$pki/ca.key" -out "$pki/ca.crt" &&
      openssl req -new -nodes -newkey rsa:2048 -sha256 "${quiet[@]}" \
        -subj "/CN=kube-apiserver" -keyout "$pki/apiserver.key" -out "$pki/apiserver.csr" &&
      openssl x509 -req -sha256 -days 3650 -in "$pki/apiserver.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" \
        -set_serial "0x$(openssl rand -hex 16)" -extfile "$pki/openssl.cnf" -extensions v3_server \
        -out "$pki/apiserver.crt" &&
      openssl genrsa -out "$pki/sa.key" 2048
  } >/dev/null 2>"$pki/openssl.log" || {
    cat "$pki/openssl.log" >&2
    die "openssl failed"
  }
}

write_auth() {
  local token
  token="$(openssl rand -hex 32)"
  # token,user,uid,"groups"
  printf '%s,ecsplane-test-admin,ecsplane-test-admin,"system:masters"\n' "$token" >"$run_dir/tokens.csv"
  cat >"$kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: $cluster_name
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority: $pki/ca.crt
users:
- name: $cluster_name
  user:
    token: $token
contexts:
- name: $cluster_name
  context:
    cluster: $cluster_name
    user: $cluster_name
current-context: $cluster_name
preferences: {}
EOF
}

start_etcd() {
  local etcd="$BIN_DIR/etcd" help
  local -a args=(
    --name "$cluster_name"
    --data-dir "$run_dir/etcd-data"
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT"
    --advertise-client-urls "http://127.0.0.1:$ETCD_PORT"
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT"
    --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT"
    --initial-cluster "$cluster_name=http://127.0.0.1:$ETCD_PEER_PORT"
    --initial-cluster-state new
    --initial-cluster-token "$cluster_name"
    --logger zap
  )
  help="$("$etcd" --help 2>&1 || true)"
  [[ "$help" == *--unsafe-no-fsync* ]] && args+=(--unsafe-no-fsync=true) # 3.5 has it, Debian's 3.4.23 does not
  local t0
  t0="$(now_ms)"
  launch etcd "$etcd" "${args[@]}"
  if ! wait_until etcd 20 etcd_healthy; then
    show_log etcd
    return 1
  fi
  log "etcd ready on http://127.0.0.1:$ETCD_PORT in $(elapsed "$t0") s (pid $(pid_of etcd))"
}

start_apiserver() {
  local -a args=(
    --etcd-servers "http://127.0.0.1:$ETCD_PORT"
    --bind-address 127.0.0.1
    --secure-port "$APISERVER_PORT"
    --advertise-address 127.0.0.1
    --endpoint-reconciler-type none
    --cert-dir "$pki"
    --tls-cert-file "$pki/apiserver.crt"
    --tls-private-key-file "$pki/apiserver.key"
    --token-auth-file "$run_dir/tokens.csv"
    --authorization-mode RBAC
    --disable-admission-plugins ServiceAccount
    --service-cluster-ip-range 10.0.0.0/24
    --allow-privileged=true
    --service-account-issuer "https://127.0.0.1:$APISERVER_PORT/"
    --service-account-key-file "$pki/sa.key"
    --service-account-signing-key-file "$pki/sa.key"
    # On SIGTERM, end open watches within 2 s (clients see a clean end of stream) instead of keeping them, and
    # with them the process, until the 60 s HTTP shutdown timeout runs out.
    --shutdown-watch-termination-grace-period 2s
  )
  if port_in_use "$APISERVER_PORT"; then
    log "127.0.0.1:$APISERVER_PORT is already in use$(port_owner "$APISERVER_PORT") (set APISERVER_PORT)"
    return 1
  fi
  local t0
  t0="$(now_ms)"
  launch kube-apiserver "$BIN_DIR/kube-apiserver" "${args[@]}"
  if ! wait_until kube-apiserver "$ready_timeout" apiserver_ready; then
    show_log kube-apiserver
    return 1
  fi
  log "kube-apiserver ready on https://127.0.0.1:$APISERVER_PORT in $(elapsed "$t0") s (pid $(pid_of kube-apiserver))"
}

resolve_bins() {
  if [[ -n "${ECSPLANE_K8S_BIN_DIR:-}" ]]; then
    BIN_DIR="$(cd "$ECSPLANE_K8S_BIN_DIR" && pwd)" || die "ECSPLANE_K8S_BIN_DIR=$ECSPLANE_K8S_BIN_DIR does not exist"
    log "binaries from ECSPLANE_K8S_BIN_DIR=$BIN_DIR"
  elif [[ -n "${KUBEBUILDER_ASSETS:-}" ]]; then
    # envtest's convention: a directory holding kube-apiserver, etcd (and kubectl).
    BIN_DIR="$(cd "$KUBEBUILDER_ASSETS" && pwd)" || die "KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS does not exist"
    log "binaries from KUBEBUILDER_ASSETS=$BIN_DIR"
  else
    BIN_DIR="$("$hack_dir/build-k8s-bins.sh" | tail -n 1)" || die "building the binaries failed (see above)"
  fi
  local b
  for b in kube-apiserver etcd; do
    [[ -x "$BIN_DIR/$b" ]] || die "$BIN_DIR/$b is missing or not executable"
  done
}

print_env() {
  printf 'export KUBECONFIG=%q\n' "$kubeconfig"
  if ! command -v kubectl >/dev/null 2>&1 && [[ -n "${BIN_DIR:-}" && -x "$BIN_DIR/kubectl" ]]; then
    # shellcheck disable=SC2016 # $PATH is for the shell that evals this line
    printf 'export PATH=%q:"$PATH"\n' "$BIN_DIR"
  fi
}

# Serialises start/stop/restart: an flock on the run directory's parent (e.g. /dev/shm). The descriptor is closed
# for the servers (see launch). The holder writes who it is to $run_dir.lock-holder (removed when it exits), so a
# waiting command can say who holds the lock and since when, every 10 s, instead of hanging silently.
lock_holder_file="$run_dir.lock-holder"
lock() {
  local parent t0 holder
  command -v flock >/dev/null 2>&1 || return 0
  parent="$(dirname "$run_dir")"
  mkdir -p "$parent"
  exec 9<"$parent"
  if ! flock -n 9; then
    t0="$(now_ms)"
    holder="$(cat "$lock_holder_file" 2>/dev/null || echo 'unknown (no holder file)')"
    log "waiting for the lock on $parent (another start/stop runs); held by $holder"
    while ! flock -w "${LOCK_PROGRESS_EVERY:-10}" 9; do
      holder="$(cat "$lock_holder_file" 2>/dev/null || echo 'unknown (no holder file)')"
      log "still waiting for the lock on $parent after $(elapsed "$t0") s; held by $holder"
    done
    log "got the lock after $(elapsed "$t0") s"
  fi
  printf 'pid %s (%s %s) since %s, in %s\n' "$$" "$0" "${1:-}" "$(date -u +%H:%M:%SZ)" "$PWD" >"$lock_holder_file"
  trap 'rm -f -- "$lock_holder_file"' EXIT
}

# ------------------------------------------------------------------------------------------------ commands
cmd_start() {
  lock start
  if load_state; then
    if alive etcd && alive kube-apiserver; then
      if wait_until kube-apiserver "$ready_timeout" apiserver_ready; then
        log "already running and ready: https://127.0.0.1:$APISERVER_PORT (run directory $run_dir)"
        print_env
        return 0
      fi
      show_log kube-apiserver
      die "kube-apiserver runs but is not ready; '$0 stop' and start again"
    fi
    log "found a stopped or partial instance in $run_dir; cleaning it up and starting afresh"
  fi
  [[ -e "$run_dir" ]] && do_stop

  ETCD_PORT="$req_etcd_port"
  ETCD_PEER_PORT="$req_etcd_peer_port"
  APISERVER_PORT="$req_apiserver_port"
  local p
  for p in ETCD_PORT ETCD_PEER_PORT APISERVER_PORT; do
    [[ "${!p}" =~ ^[0-9]+$ ]] || die "$p must be a port number, not '${!p}'"
  done
  command -v openssl >/dev/null 2>&1 || die "openssl is required"
  resolve_bins

  for p in "$ETCD_PORT" "$ETCD_PEER_PORT" "$APISERVER_PORT"; do
    port_in_use "$p" && die "127.0.0.1:$p is already in use$(port_owner "$p"); set ETCD_PORT / ETCD_PEER_PORT / APISERVER_PORT"
  done

  local t0
  t0="$(now_ms)"
  (
    umask 077
    mkdir -p "$run_dir"
    write_state
    make_pki
    write_auth
  )

  if ! start_etcd || ! start_apiserver; then
    stop_one kube-apiserver
    stop_one etcd
    die "start failed; logs kept in $run_dir ('$0 stop' removes it)"
  fi
  log "started in $(elapsed "$t0") s; kubeconfig: $kubeconfig"
  print_env
}

# do_stop: stops both processes and removes what start created. Only known entries are deleted, so a mistaken
# ECSPLANE_APISERVER_DIR pointing at a directory with other content loses nothing else.
do_stop() {
  stop_one kube-apiserver
  stop_one etcd
  [[ -d "$run_dir" ]] || return 0
  rm -rf -- "$run_dir/etcd-data" "$run_dir/pki"
  rm -f -- "$run_dir"/{state.env,tokens.csv,kubeconfig,etcd.log,etcd.pid,kube-apiserver.log,kube-apiserver.pid}
  rmdir -- "$run_dir" 2>/dev/null || log "warning: $run_dir holds other files; left in place"
}

cmd_stop() {
  lock stop
  if [[ ! -e "$run_dir" ]]; then
    log "not running ($run_dir does not exist)"
    return 0
  fi
  do_stop
  log "stopped; removed $run_dir"
}

cmd_restart_apiserver() {
  lock restart-apiserver
  load_state || die "not started ($state_file missing); use '$0 start'"
  alive etcd || die "etcd is not running; use '$0 stop' and '$0 start'"
  stop_one kube-apiserver
  local i
  for ((i = 0; i < 50; i++)); do # the listening socket closes with the process; allow a moment
    port_in_use "$APISERVER_PORT" || break
    sleep 0.1
  done
  if ! start_apiserver; then
    stop_one kube-apiserver
    die "kube-apiserver did not come back"
  fi
}

cmd_status() {
  if ! load_state; then
    echo "not running (no $state_file)"
    return 1
  fi
  local rc=0 name pid
  echo "run directory: $run_dir"
  echo "binaries:      $BIN_DIR"
  for name in etcd kube-apiserver; do
    pid="$(pid_of "$name")"
    if alive "$name"; then
      echo "$name: running (pid $pid)"
    else
      echo "$name: not running"
      rc=1
    fi
  done
  if alive etcd && etcd_healthy; then
    echo "etcd /health:  ok (http://127.0.0.1:$ETCD_PORT)"
  else
    echo "etcd /health:  failing"
    rc=1
  fi
  if alive kube-apiserver && apiserver_ready; then
    echo "apiserver /readyz: ok (https://127.0.0.1:$APISERVER_PORT)"
  else
    echo "apiserver /readyz: failing"
    rc=1
  fi
  echo "kubeconfig:    $kubeconfig"
  return "$rc"
}

cmd_env() {
  if ! load_state || [[ ! -f "$kubeconfig" ]]; then
    die "not running; use '$0 start'"
  fi
  print_env
}

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  restart-apiserver) cmd_restart_apiserver ;;
  status) cmd_status ;;
  env) cmd_env ;;
  -h | --help | help) usage ;;
  *)
    usage >&2
    exit 2
    ;;
esac
