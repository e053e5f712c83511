#!/usr/bin/env bash
# bench/generate.sh REPO [N] [RUNS]
#
# Times the per-commit identifier export (examples/generate: walk, blob
# reads, incremental tree-sitter parses, item extraction, identifier diff,
# JSONL writes) on the newest N first-parent commits of REPO against the git
# CLI printing the same commits as patches, in the same run, interleaved,
# and prints the medians, the ratio and peak RSS, then the time per phase of
# the last run.
#
#   baseline: git log --first-parent -p HEAD~N..HEAD -- '*.rs'
#   sftforge: generate REPO -n N -o DIR
set -euo pipefail

repo=${1:?usage: bench/generate.sh REPO [N] [RUNS]}
n=${2:-2000}
runs=${3:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ -x /usr/bin/time ] || { echo "bench/generate.sh: needs /usr/bin/time (GNU time)" >&2; exit 1; }
repo=$(cd "$repo" && pwd)
git -C "$repo" rev-parse --verify -q "HEAD~$n" >/dev/null || { echo "bench/generate.sh: $repo has fewer than $n first-parent commits" >&2; exit 1; }

(cd "$root" && go build -o "$tmp/generate.bin" ./examples/generate)

# measure NAME CMD...: runs CMD once, appends "seconds peak_kb" to $tmp/NAME.
measure() {
	local name=$1
	shift
	/usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >"$tmp/out.$name" 2>"$tmp/err.$name" || {
		echo "bench/generate.sh: $name failed:" >&2
		cat "$tmp/err.$name" >&2
		exit 1
	}
	cat "$tmp/time" >>"$tmp/$name"
}

for i in $(seq "$runs"); do
	measure git git -C "$repo" log --first-parent -p "HEAD~$n..HEAD" -- '*.rs'
	measure generate "$tmp/generate.bin" "$repo" -n "$n" -o "$tmp/export"
	echo "run $i/$runs done" >&2
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
med_time() { cut -d' ' -f1 "$tmp/$1" | median; }
med_rss() { cut -d' ' -f2 "$tmp/$1" | median; }

g=$(med_time git); s=$(med_time generate)
echo
echo "repository: $repo at $(git -C "$repo" rev-parse --short HEAD), newest $n first-parent commits"
echo "median of $runs interleaved runs on $(nproc) CPUs (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-48s %8s %12s\n' "command" "seconds" "peak RSS MB"
printf '%-48s %8.2f %12.0f\n' "git log --first-parent -p -- '*.rs'" "$g" "$(echo "$(med_rss git)/1024" | bc -l)"
printf '%-48s %8.2f %12.0f\n' "generate -n $n" "$s" "$(echo "$(med_rss generate)/1024" | bc -l)"
printf 'ratio generate / git log -p: %.2f\n' "$(echo "$s/$g" | bc -l)"
echo "last run:"
sed 's/^/  /' "$tmp/out.generate"
