#!/usr/bin/env bash
# bench/beam.sh REPO [N] [RUNS] [WORKERS]
#
# The Beam pipeline (examples/beam, on the in-process Prism runner with
# WORKERS workers, default 2: GOMAXPROCS=WORKERS, one path shard a worker)
# against the single-machine run `sftforge --repo REPO -n N` on the same
# cores, offline (PRs from the history), in the same run, interleaved,
# RUNS times (default 3). Prints each run, the medians, the ratio
# beam/sftforge (issue 14's target: at most 1.2 on hyperswitch's newest
# 2,000 commits), the shards, peak RSS, and whether the two outputs hold
# the same records (merged_dataset, train, validation: the same lines in
# any order) and the same statistics.json. BEAM_ARGS adds flags to the
# Beam runs (e.g. BEAM_ARGS="--shards 4"). BEAM_BASE=BINARY adds a third
# command to the same interleaved runs: another build of sftforge-beam
# (e.g. main's), to compare before and after on the same load. Besides
# wall seconds it reports CPU seconds (user + system), the steadier figure
# on a machine shared with other work.
#
#   bench/beam.sh /work/repos/hyperswitch.git 2000 3
set -euo pipefail
. "$(dirname "$0")/lib.sh"
usage="usage: bench/beam.sh REPO [N] [RUNS] [WORKERS]"
repo=${1:?$usage}
n=${2:-2000}
runs=${3:-3}
workers=${4:-2}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -x /usr/bin/time ] || { echo "bench/beam.sh: needs /usr/bin/time (GNU time)" >&2; exit 1; }
repo=$(cd "$repo" && pwd)
(cd "$root" && go build -o "$tmp/sftforge" ./examples/sftforge)
(cd "$root/examples/beam" && go build -o "$tmp/sftforge-beam" .)
echo "$repo" >"$tmp/sources.txt"

# measure NAME CMD...: runs CMD with GOMAXPROCS=$workers; appends
# "seconds peak_kb user_s system_s" to $tmp/NAME.
measure() {
	local name=$1
	shift
	GOMAXPROCS=$workers /usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "$@" >"$tmp/log.$name" 2>&1 || {
		echo "bench/beam.sh: $name failed:" >&2
		tail -30 "$tmp/log.$name" >&2
		exit 1
	}
	cat "$tmp/time" >>"$tmp/$name"
}

for r in $(seq "$runs"); do
	rm -rf "$tmp/single-out" "$tmp/beam-out"
	measure single "$tmp/sftforge" --repo "$repo" -n "$n" -o "$tmp/single-out"
	measure beam "$tmp/sftforge-beam" --sources "$tmp/sources.txt" -n "$n" -o "$tmp/beam-out" ${BEAM_ARGS:-}
	base=""
	if [ -n "${BEAM_BASE:-}" ]; then
		rm -rf "$tmp/base-out"
		measure base "$BEAM_BASE" --sources "$tmp/sources.txt" -n "$n" -o "$tmp/base-out" ${BEAM_ARGS:-}
		base=", base $(tail -1 "$tmp/base" | cut -d' ' -f1)s"
	fi
	echo "run $r/$runs: sftforge $(tail -1 "$tmp/single" | cut -d' ' -f1)s, beam $(tail -1 "$tmp/beam" | cut -d' ' -f1)s$base (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
done

# cpu NAME: the median CPU seconds (user + system) of NAME's runs.
cpu() { awk '{print $3 + $4}' "$tmp/$1" | median; }

s=$(cut -d' ' -f1 "$tmp/single" | median)
b=$(cut -d' ' -f1 "$tmp/beam" | median)
echo
echo "repository: $repo at $(git -C "$repo" rev-parse --short HEAD), newest $n first-parent commits, $workers workers on $(nproc) CPUs"
printf '%-36s %8s %8s %8s\n' "command" "median s" "CPU s" "RSS MiB"
printf '%-36s %8.2f %8.2f %8.0f\n' "sftforge --repo -n $n" "$s" "$(cpu single)" "$(echo "$(cut -d' ' -f2 "$tmp/single" | median)/1024" | bc -l)"
printf '%-36s %8.2f %8.2f %8.0f\n' "sftforge-beam (Prism, $workers workers)" "$b" "$(cpu beam)" "$(echo "$(cut -d' ' -f2 "$tmp/beam" | median)/1024" | bc -l)"
if [ -n "${BEAM_BASE:-}" ]; then
	printf '%-36s %8.2f %8.2f %8.0f\n' "base: $(basename "$BEAM_BASE")" "$(cut -d' ' -f1 "$tmp/base" | median)" "$(cpu base)" \
		"$(echo "$(cut -d' ' -f2 "$tmp/base" | median)/1024" | bc -l)"
fi
printf 'beam/sftforge: %.2f (median of %d interleaved runs), CPU %.2f\n' "$(echo "$b/$s" | bc -l)" "$runs" "$(echo "$(cpu beam)/$(cpu single)" | bc -l)"
if [ -n "${BEAM_BASE:-}" ]; then
	printf 'base/sftforge: %.2f, CPU %.2f\n' "$(echo "$(cut -d' ' -f1 "$tmp/base" | median)/$s" | bc -l)" "$(echo "$(cpu base)/$(cpu single)" | bc -l)"
fi
grep -o 'shards=[0-9]*' "$tmp/log.beam" | tail -1 || true
same=yes
for f in merged_dataset train validation; do
	a=$(sort "$tmp/single-out/$f.jsonl" | sha256sum | cut -c1-16)
	c=$(cat "$tmp/beam-out/$f"-*.jsonl | sort | sha256sum | cut -c1-16)
	[ "$a" = "$c" ] || same=no
	echo "$f: sftforge $a beam $c $([ "$a" = "$c" ] && echo same || echo DIFFERENT)"
done
if diff "$tmp/single-out/statistics.json" "$tmp/beam-out/statistics.json" >/dev/null; then
	echo "statistics.json: same"
else
	same=no
	echo "statistics.json: DIFFERENT"
fi
echo "outputs identical: $same"
