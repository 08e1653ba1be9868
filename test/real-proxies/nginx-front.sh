#!/usr/bin/env bash
# nginx-front.sh PORT KUBECONFIG: nginx on 127.0.0.1:PORT in front of a real `kubectl proxy`, as a
# proxy under test:  --proxy-command "bash test/real-proxies/nginx-front.sh {port} {kubeconfig}"
#
# Why: nginx and HAProxy are the two most widely deployed general-purpose reverse proxies and both
# document a WebSocket recipe; putting one in front of kubectl proxy is what people do.
#
# Configuration: nginx defaults except exactly nginx's WebSocket recipe
# (http://nginx.org/en/docs/http/websocket.html: proxy_http_version 1.1, the Upgrade and Connection
# headers and the `map $http_upgrade $connection_upgrade` block, "default upgrade; '' close;"),
# `proxy_buffering off` for streaming,
# and `proxy_set_header Host $http_host` so kubectl proxy's Host check sees the client's Host, as a
# front would. proxy_read_timeout stays at its default 60s on purpose: that nginx cuts idle watches
# (and idle upgraded connections) after 60s is a finding to record, not to hide. Also still defaults:
# client_max_body_size 1m (larger bodies get 413), proxy_redirect default. The rest only runs nginx
# from a temp dir: foreground, no user switch, pid/temp paths/error log there, no access log.
# Debian's nginx-light (or nginx) is installed with apt-get if nginx is missing.
set -euo pipefail
port=${1:?usage: nginx-front.sh PORT KUBECONFIG}
kubeconfig=${2:?usage: nginx-front.sh PORT KUBECONFIG}
PATH="$PATH:/usr/sbin"
command -v nginx >/dev/null ||
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light; } >&2
. "$(dirname "$0")/front-lib.sh"
start_kubectl_proxy "$kubeconfig"

# Workers would switch to "nobody", who cannot use the root-owned temp dir; as root keep root.
user=""
[[ $EUID -eq 0 ]] && user="user root;"
cat >"$dir/nginx.conf" <<CONF
$user
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log;
events {}
http {
    access_log off;
    client_body_temp_path $dir/client_body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;

    # nginx.org/en/docs/http/websocket.html
    map \$http_upgrade \$connection_upgrade {
        default upgrade;
        ''      close;
    }
    server {
        listen 127.0.0.1:$port;
        location / {
            proxy_pass http://$upstream;
            proxy_http_version 1.1;
            proxy_set_header Upgrade \$http_upgrade;
            proxy_set_header Connection \$connection_upgrade;
            proxy_set_header Host \$http_host;
            proxy_buffering off;
        }
    }
}
CONF
nginx -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" &
pids+=($!)
wait -n
