#!/usr/bin/env bash
# bench/phases.sh REPO [N]
#
# Where the commit export's CPU time goes, by phase: runs `generate` on the
# newest N first-parent commits of REPO with a CPU profile and sums the
# profile (cumulative CPU seconds of the functions that make up each phase,
# over all goroutines; the phases overlap nowhere). The walk's phases run
# on the walker goroutines, the others on the parsing workers.
#
#   tree diff       gitlog's diff of the commit trees
#   blob read       blob lookups, delta resolution and inflating
#   line diff       the line diff behind the counts and the tree edits
#   tree edits      line diff hunks turned into tree-sitter edits
#   parse           tree-sitter (incremental re-parses and cold parses)
#   extract         the shallow C walk, item extraction, syntax errors
#   identifier diff rustparse.Diff between consecutive versions
#   tree free       freeing the previous version's syntax tree
#   records         rendering and writing the JSONL records and index
#   GC              the Go garbage collector's background work
set -euo pipefail

repo=${1:?usage: bench/phases.sh REPO [N]}
n=${2:-2000}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

repo=$(cd "$repo" && pwd)
(cd "$root" && go build -o "$tmp/generate" ./examples/generate)
"$tmp/generate" "$repo" -n "$n" -o "$tmp/out" --cpuprofile "$tmp/cpu.prof" >"$tmp/log" 2>&1 || {
	cat "$tmp/log" >&2
	exit 1
}
go tool pprof -top -cum -nodecount 100000 "$tmp/generate" "$tmp/cpu.prof" 2>/dev/null >"$tmp/top"

# cum NAME: cumulative seconds of the function named exactly NAME.
cum() {
	awk -v name="$1" '
		$NF == name || $(NF-1) " " $NF == name {
			v = $4
			if (v ~ /ms$/) { sub(/ms$/, "", v); v /= 1000 } else if (v ~ /min$/) { sub(/min$/, "", v); v *= 60 } else { sub(/s$/, "", v) }
			print v; exit
		}' "$tmp/top"
}
sum() {
	local t=0 v
	for f in "$@"; do
		v=$(cum "$f")
		t=$(echo "$t + ${v:-0}" | bc -l)
	done
	echo "$t"
}

total=$(awk '/Total samples/ { for (i = 1; i <= NF; i++) if ($i == "=") { v = $(i+1); sub(/s$/, "", v); print v } }' "$tmp/top")
p=github.com/sftforge/sftforge
row() { printf '%-16s %8.2f %6.1f%%\n' "$1" "$2" "$(echo "100 * $2 / $total" | bc -l)"; }

echo "repository: $repo at $(git -C "$repo" rev-parse --short HEAD), newest $n first-parent commits"
sed 's/^/  /' "$tmp/log" | tail -n 2
printf '%-16s %8s %7s\n' phase "CPU s" share
row "tree diff" "$(sum "$p/gitlog.(*treeDiff).diff")"
row "blob read" "$(sum "$p/gitlog.(*Repository).readBlob")"
row "line diff" "$(sum "$p/gitlog.diffLines")"
row "tree edits" "$(sum "$p/rustparse.editTreeHunks")"
row "parse" "$(sum "github.com/tree-sitter/go-tree-sitter.(*Parser).ParseWithOptions")"
row "extract" "$(sum "$p/rustparse.(*Parser).walk" "$p/rustparse.(*Tracker).extract" "$p/rustparse.(*Parser).parseErrors" "$p/rustparse.(*Parser).errorsTouch")"
row "identifier diff" "$(sum "$p/rustparse.Diff")"
row "tree free" "$(sum "github.com/tree-sitter/go-tree-sitter._Cfunc_ts_tree_delete")"
row "records" "$(sum "$p/dataset.buildCommitRecord" "$p/dataset.writeCommitRecord")"
row "GC" "$(sum "runtime.gcBgMarkWorker")"
row "total" "$total"
