#!/usr/bin/env bash
# bench/vs_git.sh STAGE REPO [N] [RUNS]
#
# Times an sftforge binary on the newest N first-parent commits of REPO
# against the git CLI printing the same commits as patches, in the same run,
# interleaved, and prints the medians, the ratio and peak RSS, then the last
# run's own report. STAGE is
#
#   generate: the per-commit identifier export (walk, blob reads,
#             incremental tree-sitter parses, extraction, diff, JSONL)
#             generate REPO -n N -o DIR
#   sftforge: the whole offline pipeline (export, PRs from the history,
#             merge, redaction, tokens, splits, statistics)
#             sftforge --repo REPO -n N -o DIR
#
#   baseline: git log --first-parent -p HEAD~N..HEAD -- '*.rs'
#
# bench/generate.sh and bench/pipeline.sh call this script.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

stage=${1:?usage: bench/vs_git.sh generate|sftforge REPO [N] [RUNS]}
repo=${2:?usage: bench/vs_git.sh generate|sftforge REPO [N] [RUNS]}
n=${3:-2000}
runs=${4:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ -x /usr/bin/time ] || { echo "bench/vs_git.sh: needs /usr/bin/time (GNU time)" >&2; exit 1; }
repo=$(cd "$repo" && pwd)
git -C "$repo" rev-parse --verify -q "HEAD~$n" >/dev/null || { echo "bench/vs_git.sh: $repo has fewer than $n first-parent commits" >&2; exit 1; }

case $stage in
generate) args=("$repo" -n "$n" -o "$tmp/out") ;;
sftforge) args=(--repo "$repo" -n "$n" -o "$tmp/out") ;;
*) echo "bench/vs_git.sh: unknown stage $stage (want generate or sftforge)" >&2; exit 2 ;;
esac
(cd "$root" && go build -o "$tmp/$stage.bin" "./examples/$stage")

# measure NAME CMD...: runs CMD once, appends "seconds peak_kb" to $tmp/NAME.
measure() {
	local name=$1
	shift
	/usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >"$tmp/out.$name" 2>"$tmp/err.$name" || {
		echo "bench/vs_git.sh: $name failed:" >&2
		cat "$tmp/err.$name" >&2
		exit 1
	}
	cat "$tmp/time" >>"$tmp/$name"
}

for i in $(seq "$runs"); do
	measure git git -C "$repo" log --first-parent -p "HEAD~$n..HEAD" -- '*.rs'
	measure "$stage" "$tmp/$stage.bin" "${args[@]}"
	echo "run $i/$runs done" >&2
done

med_time() { cut -d' ' -f1 "$tmp/$1" | median; }
med_rss() { cut -d' ' -f2 "$tmp/$1" | median; }

g=$(med_time git); s=$(med_time "$stage")
echo
echo "repository: $repo at $(git -C "$repo" rev-parse --short HEAD), newest $n first-parent commits"
echo "median of $runs interleaved runs on $(nproc) CPUs (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-48s %8s %12s\n' "command" "seconds" "peak RSS MB"
printf '%-48s %8.2f %12.0f\n' "git log --first-parent -p -- '*.rs'" "$g" "$(echo "$(med_rss git)/1024" | bc -l)"
printf '%-48s %8.2f %12.0f\n' "$stage -n $n" "$s" "$(echo "$(med_rss "$stage")/1024" | bc -l)"
printf 'ratio %s / git log -p: %.2f\n' "$stage" "$(echo "$s/$g" | bc -l)"
echo "last run:"
sed 's/^/  /' "$tmp/out.$stage"
