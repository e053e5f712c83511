#!/usr/bin/env bash
# Classify every changed path of a real Rust repository with archmap and
# report the share of paths (and of .rs paths under crates/) that land in no
# layer, for: the first-parent history of HEAD, the whole history reachable
# from HEAD, HEAD's tree, and the distinct paths of the history.
# Also times classification against listing the same history with git
# (median of RUNS runs, reported as a ratio; the machine is shared).
#
# Usage: bench/archmap_coverage.sh [BARE_REPO] [PRESET]
#   BARE_REPO defaults to the peach-payments/hyperswitch mirror (read only),
#   PRESET is hyperswitch (default) or default.
set -euo pipefail

repo=${1:-/work/.mirror/peach-payments+hyperswitch/repo}
preset=${2:-hyperswitch}
runs=${RUNS:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

git() { command git --git-dir="$repo" "$@"; }

(cd "$here" && go build -o "$tmp/archmap_coverage" ./bench/archmap_coverage)
cov() { "$tmp/archmap_coverage" -preset "$preset" "$@"; }

echo "repo: $repo at $(git rev-parse --short HEAD) ($(git rev-list --count HEAD) commits, $(git rev-list --count --first-parent HEAD) first-parent)"
git log --first-parent --name-only --format= HEAD | sed '/^$/d' >"$tmp/first-parent"
git log --name-only --format= HEAD | sed '/^$/d' >"$tmp/all"
git ls-tree -r --name-only HEAD >"$tmp/tree"
sort -u "$tmp/all" >"$tmp/distinct"

cov -label "first-parent history of HEAD (one line per changed path per commit)" <"$tmp/first-parent"
cov -label "whole history reachable from HEAD" -show 0 <"$tmp/all"
cov -label "HEAD tree" -show 0 <"$tmp/tree"
cov -label "distinct paths ever changed" -show 0 <"$tmp/distinct"

# The generic classifiers, without the preset: Default (crates inferred from
# src/ tests/ …) and ForWorkspace on HEAD's real Cargo manifests.
mkdir -p "$tmp/ws"
for m in Cargo.toml $(git ls-tree -r --name-only HEAD | grep -E '^crates/[^/]+/Cargo.toml$'); do
	mkdir -p "$tmp/ws/$(dirname "$m")"
	git show "HEAD:$m" >"$tmp/ws/$m"
done
"$tmp/archmap_coverage" -preset default -label "first-parent history of HEAD" -show 0 <"$tmp/first-parent"
"$tmp/archmap_coverage" -preset workspace -root "$tmp/ws" -label "first-parent history of HEAD" -show 0 <"$tmp/first-parent"

# Intent detection on the first-parent subjects (titles only: no bodies or
# labels in a bare repository).
git log --first-parent --format=%s HEAD | "$tmp/archmap_coverage" -subjects -label "first-parent subjects" -show 5

# Speed: classify the first-parent list vs let git produce it, median of $runs.
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }
for _ in $(seq "$runs"); do
	t0=$(now); git log --first-parent --name-only --format= HEAD >/dev/null; t1=$(now)
	cov -show 0 <"$tmp/first-parent" >/dev/null; t2=$(now)
	echo "$t0 $t1 $t2" >>"$tmp/times"
done
g=$(awk '{print $2-$1}' "$tmp/times" | median)
c=$(awk '{print $3-$2}' "$tmp/times" | median)
n=$(wc -l <"$tmp/first-parent")
awk -v g="$g" -v c="$c" -v n="$n" 'BEGIN {
	printf "speed (median of runs): git log lists %d paths in %.3fs; archmap classifies them in %.3fs (%.2fx the git listing, %.1f us/path)\n", n, g, c, c/g, 1e6*c/n
}'

# Per-call cost of the presets against a glob-only classifier with the same
# preset globs (the baseline), medians of $runs benchmark runs.
(cd "$here" && go test ./archmap -run '^$' -bench 'Classify' -benchtime 20000x -count "$runs") |
	awk '/^Benchmark/ { name=$1; sub(/-[0-9]+$/, "", name); print name, $3 }' | sort -k1,1 -k2,2n |
	awk '{ vals[$1]=vals[$1] " " $2; n[$1]++ }
	END {
		for (k in vals) { split(substr(vals[k],2), a, " "); med[k]=a[int((n[k]+1)/2)] }
		base=med["BenchmarkClassify/globs-only"]
		for (k in med) printf "%-32s median %8.0f ns/op  (%.2fx the glob-only baseline)\n", k, med[k], med[k]/base
	}' | sort
