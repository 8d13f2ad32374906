#!/bin/sh
# Adds `listen [::]:80;` next to `listen 80;` in the default server, when the kernel has IPv6.

set -e

entrypoint_log() {
    if [ -z "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ]; then
        echo "$@"
    fi
}

ME=$(basename "$0")
DEFAULT_CONF_FILE="etc/nginx/conf.d/default.conf"

if [ ! -f "/proc/net/if_inet6" ]; then
    entrypoint_log "$ME: info: ipv6 not available"
    exit 0
fi

if [ ! -f "/$DEFAULT_CONF_FILE" ]; then
    entrypoint_log "$ME: info: /$DEFAULT_CONF_FILE is not a file or does not exist"
    exit 0
fi

if [ ! -w "/$DEFAULT_CONF_FILE" ]; then
    entrypoint_log "$ME: info: can not modify /$DEFAULT_CONF_FILE (read-only file system?)"
    exit 0
fi

if grep -q "listen  \[::]\:80;" "/$DEFAULT_CONF_FILE"; then
    entrypoint_log "$ME: info: IPv6 listen already enabled"
    exit 0
fi

sed -i -e 's,listen       80;,listen       80;\n    listen  [::]:80;,' "/$DEFAULT_CONF_FILE"
entrypoint_log "$ME: info: Enabled listen on IPv6 in /$DEFAULT_CONF_FILE"

exit 0
