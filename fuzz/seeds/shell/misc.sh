x=$(( (1 + 2) * 3 )); if [ "$x" -gt 5 ]; then echo big; elif true; then :; else exit 1; fi &
trap "echo bye" EXIT; (cd /tmp && ls -la) > /dev/null 2>&1
