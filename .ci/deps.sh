#!/usr/bin/env bash
# Installs what building, running and testing need when it is missing: a Java 17 JDK, Maven, curl, and
# the bootloader tools the OS plugins' tests check against (grub-editenv, fw_printenv/fw_setenv, mkenvimage),
# the OCI registry the release tests publish to (docker-registry), Podman, runc and busybox-static for the
# container runtime's tests, Chromium with chromedriver for the dashboard's browser tests, and nginx with its
# stream module for the local cluster (.ci/cluster.sh, ClusterIT), Prometheus with promtool (MetricsIT), the alert
# receivers' peers (ReceiverTest, AlertNodeIT): Alertmanager and an SMTP server (aiosmtpd), and Node.js with npm for
# the test OpenID Connect provider (WebIT).
set -euo pipefail
missing=()
javac -version 2>&1 | grep -q '^javac 17' || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || missing+=(maven)
command -v curl >/dev/null || missing+=(curl)
command -v grub-editenv >/dev/null || missing+=(grub-common)
command -v fw_printenv >/dev/null || missing+=(libubootenv-tool)
command -v mkenvimage >/dev/null || missing+=(u-boot-tools)
command -v docker-registry >/dev/null || missing+=(docker-registry)
# the node's CONTAINER runtime and its IT (AppNodeIT): Podman with runc, and busybox-static for the test image
command -v podman >/dev/null || missing+=(podman)
command -v runc >/dev/null || missing+=(runc)
file -L /bin/busybox 2>/dev/null | grep -q 'statically linked' || missing+=(busybox-static)
# the dashboard's browser tests (WebIT): Debian's Chromium and its WebDriver
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
# the local cluster (.ci/cluster.sh, ClusterIT): nginx load-balancing HTTP and passing the southbound's TLS through
[ -x /usr/sbin/nginx ] || missing+=(nginx)
ls /usr/lib/nginx/modules/ngx_stream_module.so >/dev/null 2>&1 || missing+=(libnginx-mod-stream)
# /metrics (MetricsIT): a real Prometheus scrapes the orchestrator; promtool checks the format
command -v prometheus >/dev/null || missing+=(prometheus)
# the dashboard's OpenID Connect login (WebIT): a real provider, node-oidc-provider, run by .ci/oidc/run.sh
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
# alert receivers (ReceiverTest, AlertNodeIT): a real Alertmanager (v2 API) and a real SMTP server
command -v prometheus-alertmanager >/dev/null || missing+=(prometheus-alertmanager)
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || missing+=(python3-aiosmtpd)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq "${missing[@]}" >&2
fi
# Karaf and the build run on Java 17 even when a newer JDK is the default.
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/javac" -version 2>&1 | grep -q '^javac 17'; then
  for d in /usr/lib/jvm/java-17-openjdk-* /usr/lib/jvm/temurin-17*; do
    [ -x "$d/bin/javac" ] && { echo "export JAVA_HOME=$d"; exit 0; }
  done
fi
[ -n "${JAVA_HOME:-}" ] && echo "export JAVA_HOME=$JAVA_HOME" || true
