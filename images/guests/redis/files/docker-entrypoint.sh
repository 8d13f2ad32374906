#!/bin/sh
# The redis image's entrypoint: options alone (`docker run redis --appendonly yes`) or a
# configuration file (`docker run redis /etc/redis/redis.conf`) are given to redis-server.

set -e

if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
    set -- redis-server "$@"
fi

exec "$@"
