#!/usr/bin/env bash
# bench/interrupt_merge.sh: the latency of Ctrl-C during the merge. Runs
# sftforge on each repository (offline, commits as PRs), sends SIGINT as
# soon as the merge stage begins (its debug line "stage name=merge", plus
# DELAY seconds) and prints the seconds from the signal to the exit, the
# exit code and whether the output directory was left absent.
#   bench/interrupt_merge.sh [DELAY] [REPO.git...]
set -euo pipefail
cd "$(dirname "$0")/.."
delay=${1:-1}; shift || true
repos=("$@")
[ ${#repos[@]} -gt 0 ] || repos=(/work/repos/embassy.git)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/sftforge" ./examples/sftforge
printf '%-14s %8s %5s %s\n' repo latency_s exit output
for repo in "${repos[@]}"; do
	name=$(basename "$repo" .git)
	"$tmp/sftforge" --repo "$repo" -o "$tmp/out-$name" -v 2>"$tmp/$name.log" &
	pid=$!
	until grep -q 'stage.*name=merge' "$tmp/$name.log" 2>/dev/null; do
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	sleep "$delay"
	start=$(date +%s.%N)
	kill -INT $pid 2>/dev/null || true
	rc=0; wait $pid || rc=$?
	end=$(date +%s.%N)
	out=absent; [ -e "$tmp/out-$name" ] && out=PRESENT
	printf '%-14s %8.2f %5s %s (%s)\n' "$name" "$(echo "$end - $start" | bc)" $rc $out "$(tail -1 "$tmp/$name.log" | cut -c1-100)"
done
