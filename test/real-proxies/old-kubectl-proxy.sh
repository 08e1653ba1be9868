#!/usr/bin/env bash
# old-kubectl-proxy.sh PORT KUBECONFIG: `kubectl proxy` of kubectl v1.35.4, an older minor than the
# project's kubectl, as a proxy under test (a version regression test):
#   --proxy-command "bash test/real-proxies/old-kubectl-proxy.sh {port} {kubeconfig}"
# The binary comes from build-old-kubectl.sh (built from the Go module proxy on first use).
# Configuration: none beyond the documented `kubectl proxy --port=PORT --kubeconfig=KUBECONFIG`.
set -euo pipefail
port=${1:?usage: old-kubectl-proxy.sh PORT KUBECONFIG}
kubeconfig=${2:?usage: old-kubectl-proxy.sh PORT KUBECONFIG}
kubectl=$(bash "$(dirname "$0")/build-old-kubectl.sh")
# argv[0] "kubectl" so its User-Agent is kubectl/v1.35.4 as from an installed kubectl, not kubectl-v1.35.4/...
exec -a kubectl "$kubectl" proxy --port="$port" --kubeconfig="$kubeconfig"
