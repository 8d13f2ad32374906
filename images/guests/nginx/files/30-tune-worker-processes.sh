#!/bin/sh
# With NGINX_ENTRYPOINT_WORKER_PROCESSES_AUTOTUNE set, sizes worker_processes to the CPUs the
# container may use. This nginx runs one process whatever the setting, so there is nothing to
# tune: the script says so.

set -eu

ME=$(basename "$0")

[ "${NGINX_ENTRYPOINT_WORKER_PROCESSES_AUTOTUNE:-}" ] || exit 0

echo "$ME: info: worker_processes left as configured (this nginx serves from one process)"
