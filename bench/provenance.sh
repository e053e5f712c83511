#!/usr/bin/env bash
# bench/provenance.sh [N] [RUNS] [REPO...]: issue 15's record fields on
# real history (licences, test changes, difficulty) and the time each step
# adds, per repository (see bench/provenance/main.go). The repositories
# (default: hyperswitch, ripgrep, sqlx and embassy under /work/repos) are
# copied first: nothing writes into them.
set -euo pipefail
n=${1:-500}
runs=${2:-3}
shift $(( $# < 2 ? $# : 2 ))
repos=("$@")
[ ${#repos[@]} -gt 0 ] || repos=(/work/repos/hyperswitch.git /work/repos/ripgrep.git /work/repos/sqlx.git /work/repos/embassy.git)
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/provenance" ./bench/provenance
for r in "${repos[@]}"; do
	copy="$tmp/$(basename "$r")"
	cp -r "$r" "$copy"
	nice -n 10 "$tmp/provenance" --repo "$copy" -n "$n" --runs "$runs"
	echo
	rm -rf "$copy"
done
