#!/usr/bin/env bash
# Prints an nginx configuration for orchestrators behind one address (used by .ci/cluster.sh and ClusterIT):
# HTTP load-balanced for REST, SOAP and the dashboard on one port, and the southbound passed through at TLS level
# (stream module), so mutual TLS still ends at an orchestrator.
#   .ci/nginx-conf.sh DIR HTTP_PORT SOUTHBOUND_PORT HTTP1:SOUTHBOUND1 [HTTP2:SOUTHBOUND2 ...]
# DIR holds nginx's pid file, logs and temporary files. Run: nginx -p DIR -c DIR/nginx.conf
set -euo pipefail
dir=$1 http=$2 southbound=$3
shift 3
[ $# -ge 1 ] || { echo "usage: $0 DIR HTTP_PORT SOUTHBOUND_PORT HTTP:SOUTHBOUND..." >&2; exit 2; }
http_servers="" southbound_servers=""
for pair in "$@"; do
  # a failed backend is left alone for 2 s, then tried again
  http_servers+="    server 127.0.0.1:${pair%%:*} max_fails=1 fail_timeout=2s;"$'\n'
  southbound_servers+="    server 127.0.0.1:${pair##*:} max_fails=1 fail_timeout=2s;"$'\n'
done
module=/usr/lib/nginx/modules/ngx_stream_module.so
cat <<CONF
load_module $module;
worker_processes 1;
# nginx started as root would otherwise run its worker as nobody, unable to write DIR
$( [ "$(id -u)" = 0 ] && echo "user root;" )
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 8192; }

http {
  access_log off;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  upstream orchestrators {
$http_servers    keepalive 16;
  }
  server {
    listen 127.0.0.1:$http;
    client_max_body_size 0;
    location / {
      proxy_pass http://orchestrators;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto http;
      proxy_connect_timeout 2s;
      proxy_read_timeout 300s;
      proxy_buffering off;
      proxy_request_buffering off;
      # a dead orchestrator: the request goes to the next (non-idempotent ones only if nothing was sent yet)
      proxy_next_upstream error timeout http_502 http_503;
    }
  }
}

stream {
  upstream southbound {
$southbound_servers  }
  server {
    listen 127.0.0.1:$southbound;
    proxy_pass southbound;
    proxy_connect_timeout 2s;
    proxy_timeout 10m;
  }
}
CONF
