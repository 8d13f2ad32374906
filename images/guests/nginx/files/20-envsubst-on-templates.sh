#!/bin/sh
# Renders /etc/nginx/templates/*.template into /etc/nginx/conf.d/ with the environment's
# variables substituted (envsubst), when that folder exists.

set -e

ME=$(basename "$0")

entrypoint_log() {
    if [ -z "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ]; then
        echo "$@"
    fi
}

template_dir="${NGINX_ENVSUBST_TEMPLATE_DIR:-/etc/nginx/templates}"
suffix="${NGINX_ENVSUBST_TEMPLATE_SUFFIX:-.template}"
output_dir="${NGINX_ENVSUBST_OUTPUT_DIR:-/etc/nginx/conf.d}"

[ -d "$template_dir" ] || exit 0
if [ ! -w "$output_dir" ]; then
    entrypoint_log "$ME: ERROR: $template_dir exists, but $output_dir is not writable"
    exit 0
fi
if ! command -v envsubst >/dev/null 2>&1; then
    entrypoint_log "$ME: ERROR: envsubst is not available in this image, templates are not rendered"
    exit 0
fi
for template in "$template_dir"/*"$suffix"; do
    [ -f "$template" ] || continue
    output_path="$output_dir/$(basename "$template" "$suffix")"
    entrypoint_log "$ME: Running envsubst on $template to $output_path"
    envsubst < "$template" > "$output_path"
done
