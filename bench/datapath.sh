#!/usr/bin/env bash
# bench/datapath.sh OLD_BIN NEW_BIN REPO [N] [RUNS]
#
# Compares two sftforge binaries (e.g. built before and after a change of
# the data path) on the offline pipeline, `sftforge --repo REPO -n N`,
# against the git CLI printing the same commits as patches, in the same
# run, interleaved (git, old, new; RUNS times, default 1). N=0 is the whole
# first-parent history. For each it prints the median wall time, the
# export, merge and write stage times sftforge reports, peak RSS
# (/usr/bin/time), the ratios to git and new/old, and whether the two
# outputs are byte-identical.
#
#   baseline: git log --first-parent -p HEAD~N..HEAD -- '*.rs'
#             (N=0: git log --first-parent -p HEAD -- '*.rs')
#
# Build the binaries first, e.g.:
#   git worktree/archive of the old revision; go build -o /tmp/old/ ./examples/sftforge
#   go build -o /tmp/new/ ./examples/sftforge
#   bench/datapath.sh /tmp/old/sftforge /tmp/new/sftforge /work/repos/hyperswitch.git 2000
set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage="usage: bench/datapath.sh OLD_BIN NEW_BIN REPO [N] [RUNS]"
old=${1:?$usage}
new=${2:?$usage}
repo=${3:?$usage}
n=${4:-2000}
runs=${5:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ -x /usr/bin/time ] || { echo "bench/datapath.sh: needs /usr/bin/time (GNU time)" >&2; exit 1; }
repo=$(cd "$repo" && pwd)
range=HEAD
if [ "$n" -gt 0 ]; then
	git -C "$repo" rev-parse --verify -q "HEAD~$n" >/dev/null || { echo "bench/datapath.sh: $repo has fewer than $n first-parent commits" >&2; exit 1; }
	range="HEAD~$n..HEAD"
fi

# measure NAME CMD...: runs CMD once; appends "wall peak_kb export merge
# write" to $tmp/NAME (stage times 0 for git).
measure() {
	local name=$1
	shift
	/usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >"$tmp/out.$name" 2>"$tmp/err.$name" || {
		echo "bench/datapath.sh: $name failed:" >&2
		tail -20 "$tmp/err.$name" >&2
		exit 1
	}
	local e=0 m=0 w=0
	if [ "$name" != git ]; then
		read -r e m w <<<"$(stage_secs "$tmp/out.$name")"
	fi
	echo "$(cat "$tmp/time") $e $m $w" >>"$tmp/$name"
}

for i in $(seq "$runs"); do
	measure git git -C "$repo" log --first-parent -p "$range" -- '*.rs'
	rm -rf "$tmp/o.old" "$tmp/o.new"
	measure old "$old" --repo "$repo" -n "$n" -o "$tmp/o.old"
	measure new "$new" --repo "$repo" -n "$n" -o "$tmp/o.new"
	echo "run $i/$runs done" >&2
done

col() { awk -v c="$2" '{print $c}' "$tmp/$1" | median; }

echo
echo "repository: $repo at $(git -C "$repo" rev-parse --short HEAD), $([ "$n" -gt 0 ] && echo "newest $n" || echo "all") first-parent commits"
echo "median of $runs interleaved runs on $(nproc) CPUs (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-34s %8s %8s %8s %8s %10s %8s\n' "command" "total s" "export" "merge" "write" "RSS MB" "vs git"
g=$(col git 1)
for name in git old new; do
	label="git log --first-parent -p"
	[ "$name" = git ] || label="sftforge ($name) -n $n"
	printf '%-34s %8.2f %8.2f %8.2f %8.2f %10.0f %8.2f\n' "$label" "$(col $name 1)" "$(col $name 3)" "$(col $name 4)" \
		"$(col $name 5)" "$(echo "$(col $name 2)/1024" | bc -l)" "$(echo "$(col $name 1)/$g" | bc -l)"
done
ratio() { echo "$(col new "$1")/$(col old "$1")" | bc -l; }
printf 'new/old: total %.2f, export %.2f, merge %.2f, write %.2f, peak RSS %.2f\n' \
	"$(ratio 1)" "$(ratio 3)" "$(ratio 4)" "$(ratio 5)" "$(ratio 2)"
if diff -r "$tmp/o.old" "$tmp/o.new" >/dev/null; then
	echo "outputs: byte-identical"
else
	echo "outputs: DIFFER:"
	diff -rq "$tmp/o.old" "$tmp/o.new" | head -20
fi
