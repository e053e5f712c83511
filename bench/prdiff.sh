#!/bin/sh
# Times what `gather --repo-dir` computes per pull request (commits of
# base..head, merge base, full-index patch from it to head) with gitlog, with
# go-git's DiffTree and Patch (what --repo-dir used before gitlog) and with
# the git CLI in the same run, on up to 100 merge commits of REPO (first
# parent as base, second as head). Prints the median time of COUNT runs of
# each and their ratios. The machine is shared: read the ratios.
#
# REPO "" (or none) runs on a synthetic history of 60 merged pull requests
# built by the benchmark.
#
#   bench/prdiff.sh [REPO [COUNT]]
set -eu
repo=""
if [ -n "${1:-}" ]; then repo=$(cd "$1" && pwd); fi
count=${2:-5}
cd "$(dirname "$0")/.."
out=$(mktemp)
SFTFORGE_BENCH_REPO="$repo" go test -run '^$' -bench 'BenchmarkPRDiff' -benchtime 1x -count "$count" -timeout 60m ./gitlog/ | tee "$out"
awk '/^BenchmarkPRDiff\// {
	name=$1; sub(/-[0-9]+$/, "", name); sub(/^BenchmarkPRDiff\//, "", name); t[name]=t[name] " " $3; r=$5
} END {
	for (n in t) {
		c = split(t[n], v, " "); asort_n(v, c)
		m[n] = v[int((c+1)/2)]
		printf "%-8s median %8.3f s for %d ranges\n", n, m[n]/1e9, r
	}
	if (m["git-cli"] > 0) printf "gitlog / git CLI: %.3fx\n", m["gitlog"]/m["git-cli"]
	if (m["git-cli"] > 0) printf "go-git / git CLI: %.3fx\n", m["go-git"]/m["git-cli"]
	if (m["gitlog"] > 0) printf "go-git / gitlog: %.3fx\n", m["go-git"]/m["gitlog"]
}
function asort_n(a, n,   i, j, x) { for (i=2;i<=n;i++) { x=a[i]; for (j=i-1;j>0 && a[j]>x;j--) a[j+1]=a[j]; a[j+1]=x } }' "$out"
rm -f "$out"
