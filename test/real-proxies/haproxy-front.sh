#!/usr/bin/env bash
# haproxy-front.sh PORT KUBECONFIG: HAProxy on 127.0.0.1:PORT in front of a real `kubectl proxy`, as
# a proxy under test:  --proxy-command "bash test/real-proxies/haproxy-front.sh {port} {kubeconfig}"
#
# Why: nginx and HAProxy are the two most widely deployed general-purpose reverse proxies and both
# document a WebSocket recipe; putting one in front of kubectl proxy is what people do.
#
# Configuration: `mode http` and, verbatim, the example HAProxy's configuration manual gives under
# "timeout tunnel" ("timeout to use with WebSocket and CONNECT"; /usr/share/doc/haproxy/
# configuration.txt.gz of Debian's haproxy 2.6, section 4.2): option http-server-close, timeout
# connect 5s, client 30s, client-fin 30s, server 30s, tunnel 1h. HAProxy needs nothing else for
# upgrades and passes the Host header through unchanged. `timeout server 30s` also cuts a watch that
# is idle for 30s (a streamed response is not a tunnel): a finding to record, not to hide.
# The rest is running it from a temp dir: foreground (-db), no daemon/user/chroot, loopback only.
# Debian's haproxy is installed with apt-get if missing.
set -euo pipefail
port=${1:?usage: haproxy-front.sh PORT KUBECONFIG}
kubeconfig=${2:?usage: haproxy-front.sh PORT KUBECONFIG}
PATH="$PATH:/usr/sbin"
command -v haproxy >/dev/null ||
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy; } >&2
. "$(dirname "$0")/front-lib.sh"
start_kubectl_proxy "$kubeconfig"

cat >"$dir/haproxy.cfg" <<CONF
defaults
    mode http
    option http-server-close
    timeout connect 5s
    timeout client 30s
    timeout client-fin 30s
    timeout server 30s
    timeout tunnel 1h

frontend front
    bind 127.0.0.1:$port
    default_backend kubectl-proxy

backend kubectl-proxy
    server kubectl-proxy $upstream
CONF
haproxy -db -f "$dir/haproxy.cfg" &
pids+=($!)
wait -n
