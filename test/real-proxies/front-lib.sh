# shellcheck shell=bash
# Shared by nginx-front.sh and haproxy-front.sh: a temp dir, a real `kubectl proxy` behind the front,
# and a trap that stops everything started here and removes the temp dir. Sourced, never run.
dir=$(mktemp -d)
pids=()
cleanup() {
  trap - EXIT INT TERM
  kill "${pids[@]}" 2>/dev/null || true
  wait
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# start_kubectl_proxy KUBECONFIG: `kubectl proxy` on a free port (--port=0) in the background;
# sets $upstream to the host:port from its "Starting to serve on 127.0.0.1:NNNN" line.
start_kubectl_proxy() {
  : >"$dir/kubectl-proxy.out" # before the background job opens it, so the loop can read it at once
  "${KAC_KUBECTL:-kubectl}" proxy --port=0 --kubeconfig="$1" >"$dir/kubectl-proxy.out" &
  pids+=($!)
  local _
  for _ in $(seq 300); do
    upstream=$(sed -n 's/^Starting to serve on //p' "$dir/kubectl-proxy.out")
    [[ -n $upstream ]] && return 0
    kill -0 "${pids[-1]}" 2>/dev/null || { echo "kubectl proxy exited before serving" >&2; return 1; }
    sleep 0.1
  done
  echo "kubectl proxy did not start serving within 30s" >&2
  return 1
}
