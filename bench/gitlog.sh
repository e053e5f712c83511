#!/usr/bin/env bash
# bench/gitlog.sh REPO [N] [RUNS]
#
# Times the gitlog walker (tree diff + blob reads + line counts, default
# options: first-parent, Rust sources, no renames) on the newest N
# first-parent commits of REPO against the git CLI on the same commits, in
# the same run, interleaved, and prints medians, ratios and peak RSS. Then
# checks that the walker's line totals are within 0.5% of
# `git log --numstat --no-renames` on that history.
#
#   baseline A: git log --first-parent -p       HEAD~N..HEAD -- '*.rs'
#   baseline B: git log --first-parent --numstat HEAD~N..HEAD -- '*.rs'
#   walker:     BenchmarkWalkRepo (gitlog/bench_test.go), MaxCommits=N
set -euo pipefail
. "$(dirname "$0")/lib.sh"

repo=${1:?usage: bench/gitlog.sh REPO [N] [RUNS]}
n=${2:-2000}
runs=${3:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ -x /usr/bin/time ] || { echo "bench/gitlog.sh: needs /usr/bin/time (GNU time)" >&2; exit 1; }
repo=$(cd "$repo" && pwd)
git -C "$repo" rev-parse --verify -q "HEAD~$n" >"$tmp/rev" || { echo "bench/gitlog.sh: $repo has fewer than $n first-parent commits" >&2; exit 1; }

(cd "$root" && go test -c -o "$tmp/gitlog.test" ./gitlog)

# measure NAME CMD...: runs CMD once, appends "seconds peak_kb cpu_seconds"
# to $tmp/NAME.
# Output goes to a file, not /dev/null, so that both sides pay for writing.
measure() {
	local name=$1
	shift
	/usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "$@" >"$tmp/out.$name" 2>"$tmp/err.$name" || {
		echo "bench/gitlog.sh: $name failed:" >&2
		cat "$tmp/err.$name" >&2
		exit 1
	}
	awk '{print $1, $2, $3 + $4}' "$tmp/time" >>"$tmp/$name"
}

for i in $(seq "$runs"); do
	measure git_p git -C "$repo" log --first-parent -p "HEAD~$n..HEAD" -- '*.rs'
	measure git_numstat git -C "$repo" log --first-parent --numstat "HEAD~$n..HEAD" -- '*.rs'
	measure walker env GITLOG_BENCH_REPO="$repo" GITLOG_BENCH_N="$n" \
		"$tmp/gitlog.test" -test.run '^$' -test.bench '^BenchmarkWalkRepo$' -test.benchtime 1x
	echo "run $i/$runs done" >&2
done

med_time() { cut -d' ' -f1 "$tmp/$1" | median; }
med_rss() { cut -d' ' -f2 "$tmp/$1" | median; }
med_cpu() { cut -d' ' -f3 "$tmp/$1" | median; }

gp=$(med_time git_p); gn=$(med_time git_numstat); w=$(med_time walker)
cgp=$(med_cpu git_p); cgn=$(med_cpu git_numstat); cw=$(med_cpu walker)
echo
echo "repository: $repo, newest $n first-parent commits, median of $runs interleaved runs ($(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-44s %8s %8s %12s\n' "command" "wall s" "CPU s" "peak RSS MB"
printf '%-44s %8.2f %8.2f %12.0f\n' "git log --first-parent -p -- '*.rs'" "$gp" "$cgp" "$(echo "$(med_rss git_p)/1024" | bc -l)"
printf '%-44s %8.2f %8.2f %12.0f\n' "git log --first-parent --numstat -- '*.rs'" "$gn" "$cgn" "$(echo "$(med_rss git_numstat)/1024" | bc -l)"
printf '%-44s %8.2f %8.2f %12.0f\n' "gitlog walker (default options)" "$w" "$cw" "$(echo "$(med_rss walker)/1024" | bc -l)"
printf 'ratio walker / git -p:        %.2fx wall, %.2fx CPU\n' "$(echo "$w/$gp" | bc -l)" "$(echo "$cw/$cgp" | bc -l)"
printf 'ratio walker / git --numstat: %.2fx wall, %.2fx CPU\n' "$(echo "$w/$gn" | bc -l)" "$(echo "$cw/$cgn" | bc -l)"

# Totals check against git log --numstat --no-renames (the walker's default).
read -r commits files added deleted < <(git -C "$repo" log --first-parent --no-renames --numstat --format=%H "HEAD~$n..HEAD" -- '*.rs' |
	awk -F'\t' 'NF==1 && length($1)==40 {c++} NF==3 {f++; if ($1 != "-") {a += $1; d += $2}} END {print c+0, f+0, a+0, d+0}')
metric() { grep -o "[0-9.e+]* $1" "$tmp/out.walker" | tail -1 | cut -d' ' -f1; }
w_commits=$(metric commits); w_files=$(metric files); w_added=$(metric added); w_deleted=$(metric deleted); w_errs=$(metric file-errors)
echo
printf '%-10s %10s %10s %8s\n' "" "git" "walker" "diff %"
status=0
for row in "commits $commits $w_commits" "files $files $w_files" "added $added $w_added" "deleted $deleted $w_deleted"; do
	set -- $row
	pct=$(echo "($3-$2)*100/$2" | bc -l)
	printf '%-10s %10d %10.0f %+8.2f\n' "$1" "$2" "$3" "$pct"
done
total_pct=$(echo "(($w_added+$w_deleted)-($added+$deleted))*100/($added+$deleted)" | bc -l)
printf 'changed lines (added+deleted): %+.2f%% (limit 0.5%%); files with read errors: %s\n' "$total_pct" "$w_errs"
if [ "$(echo "${total_pct#-} > 0.5" | bc -l)" = 1 ]; then
	echo "FAIL: totals differ from git log --numstat by more than 0.5%"
	status=1
fi
exit $status
