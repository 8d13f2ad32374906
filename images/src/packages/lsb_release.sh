#!/bin/sh
# lsb_release: prints the distribution's identity (LSB), read from /etc/os-release.
usage() {
	cat <<'USAGE'
Usage: lsb_release [options]

Options:
  -h, --help         show this help message and exit
  -v, --version      show LSB modules this system supports
  -i, --id           show distributor ID
  -d, --description  show description of this distribution
  -r, --release      show release number of this distribution
  -c, --codename     show code name of this distribution
  -a, --all          show all of the above information
  -s, --short        show requested information in short format
USAGE
}
show_id= show_desc= show_rel= show_code= show_ver= short=
for arg in "$@"; do
	case "$arg" in
	--help) usage; exit 0 ;;
	--version) show_ver=1 ;;
	--id) show_id=1 ;;
	--description) show_desc=1 ;;
	--release) show_rel=1 ;;
	--codename) show_code=1 ;;
	--all) show_ver=1 show_id=1 show_desc=1 show_rel=1 show_code=1 ;;
	--short) short=1 ;;
	--*) usage >&2; echo "lsb_release: error: no such option: $arg" >&2; exit 2 ;;
	-?*)
		flags=${arg#-}
		while [ -n "$flags" ]; do
			rest=${flags#?}
			case "${flags%"$rest"}" in
			h) usage; exit 0 ;;
			v) show_ver=1 ;;
			i) show_id=1 ;;
			d) show_desc=1 ;;
			r) show_rel=1 ;;
			c) show_code=1 ;;
			a) show_ver=1 show_id=1 show_desc=1 show_rel=1 show_code=1 ;;
			s) short=1 ;;
			*) usage >&2; echo "lsb_release: error: no such option: -${flags%"$rest"}" >&2; exit 2 ;;
			esac
			flags=$rest
		done
		;;
	*) usage >&2; exit 2 ;;
	esac
done
[ -z "$show_id$show_desc$show_rel$show_code" ] && [ -z "$show_ver" ] && show_ver=1
if [ -r /etc/os-release ]; then
	. /etc/os-release
else
	ID= PRETTY_NAME= VERSION_ID= VERSION_CODENAME=
fi
rest=${ID#?}
first=$(printf '%s' "${ID%"$rest"}" | tr 'a-z' 'A-Z')
[ -n "$show_ver" ] && echo "No LSB modules are available." >&2
field() {
	if [ -n "$short" ]; then
		printf '%s\n' "$2"
	else
		printf '%s\t%s\n' "$1" "$2"
	fi
}
[ -n "$show_id" ] && field "Distributor ID:" "$first$rest"
[ -n "$show_desc" ] && field "Description:" "$PRETTY_NAME"
[ -n "$show_rel" ] && field "Release:" "$VERSION_ID"
[ -n "$show_code" ] && field "Codename:" "$VERSION_CODENAME"
exit 0
