#!/usr/bin/env bash
# examples/beam/bench.sh REPO [N] [RUNS]: wall time of the Beam pipeline on
# Prism (in-process, GOMAXPROCS=1 and 2 as 1 and 2 workers) against the
# single-machine sftforge run on the last N commits of REPO, in the same
# run, alternating, RUNS times; prints each time, the medians, the ratios
# and the number of shards, and checks the outputs are the same. Offline
# (no GitHub data): PRs from the history. BEAM_ARGS adds flags to the Beam
# runs (e.g. BEAM_ARGS="--shards 2").
set -euo pipefail
repo=${1:?usage: bench.sh REPO [N] [RUNS]}
n=${2:-2000}
runs=${3:-3}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$here/../.." && go build -o "$tmp/sftforge" ./examples/sftforge)
(cd "$here" && go build -o "$tmp/sftforge-beam" .)
echo "$repo" >"$tmp/sources.txt"
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now() { date +%s.%N; }
: >"$tmp/single"; : >"$tmp/beam1"; : >"$tmp/beam2"
for r in $(seq "$runs"); do
	t0=$(now); "$tmp/sftforge" --repo "$repo" -n "$n" -o "$tmp/single-out" >/dev/null 2>&1; t1=$(now)
	echo "$t1 - $t0" | bc >>"$tmp/single"
	for w in 1 2; do
		t0=$(now)
		GOMAXPROCS=$w "$tmp/sftforge-beam" --sources "$tmp/sources.txt" -n "$n" -o "$tmp/beam$w-out" ${BEAM_ARGS:-} \
			>"$tmp/beam$w.log" 2>&1 || { cat "$tmp/beam$w.log"; exit 1; }
		t1=$(now)
		echo "$t1 - $t0" | bc >>"$tmp/beam$w"
	done
	echo "run $r: single $(tail -1 "$tmp/single")s, beam 1 worker $(tail -1 "$tmp/beam1")s, beam 2 workers $(tail -1 "$tmp/beam2")s (load $(cut -d' ' -f1-3 /proc/loadavg))"
done
s=$(median <"$tmp/single"); b1=$(median <"$tmp/beam1"); b2=$(median <"$tmp/beam2")
echo "median: single ${s}s, beam 1 worker ${b1}s ($(echo "scale=2; $b1 / $s" | bc)x), beam 2 workers ${b2}s ($(echo "scale=2; $b2 / $s" | bc)x)"
grep -o 'shards=[0-9]*' "$tmp/beam2.log" | tail -1 || true
for f in merged_dataset train validation; do
	a=$(cat "$tmp/single-out/$f.jsonl" | sort | sha256sum | cut -c1-16)
	b=$(cat "$tmp/beam2-out/$f"-*.jsonl | sort | sha256sum | cut -c1-16)
	echo "$f: single $a beam $b $([ "$a" = "$b" ] && echo same || echo DIFFERENT)"
done
diff "$tmp/single-out/statistics.json" "$tmp/beam2-out/statistics.json" && echo "statistics.json: same" || echo "statistics.json: DIFFERENT"
