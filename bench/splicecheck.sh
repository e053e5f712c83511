#!/usr/bin/env bash
# bench/splicecheck.sh [-n N] REPO...
#
# Checks the splicing parser on real history: builds sftforge with
# rustparse's spliceCheck on (through `go build -overlay`, nothing in the
# tree changes), so that every version the export splices is compared with
# a full parse of the same source and a difference panics, then runs
# `sftforge --repo REPO -n N` (default 0: the whole first-parent history)
# on each repository. Prints, per repository, whether it passed and how
# long it took. A read-only repository is fine.
#
#   bench/splicecheck.sh /work/repos/hyperswitch.git /work/repos/sqlx.git
set -euo pipefail
n=0
while getopts "n:" o; do
	case $o in
	n) n=$OPTARG ;;
	*) echo "usage: bench/splicecheck.sh [-n N] REPO..." >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "usage: bench/splicecheck.sh [-n N] REPO..." >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'package rustparse\n\nfunc init() { spliceCheck = true }\n' >"$tmp/splicecheck.go"
printf '{"Replace": {"%s/rustparse/zz_splicecheck.go": "%s/splicecheck.go"}}\n' "$root" "$tmp" >"$tmp/overlay.json"
(cd "$root" && go build -overlay "$tmp/overlay.json" -o "$tmp/sftforge" ./examples/sftforge)
status=0
for repo in "$@"; do
	start=$(date +%s)
	if "$tmp/sftforge" --repo "$repo" -n "$n" -o "$tmp/out" >"$tmp/log" 2>&1; then
		echo "$(basename "$repo" .git): every spliced version equals a full parse ($(grep '^export' "$tmp/log" | awk '{print $2, $3}' | tr -d ,), $(($(date +%s) - start)) s)"
	else
		echo "$(basename "$repo" .git): FAILED" >&2
		grep -m1 -A3 'differs from Parse\|panic' "$tmp/log" >&2 || tail -5 "$tmp/log" >&2
		status=1
	fi
	rm -rf "$tmp/out"
done
exit $status
