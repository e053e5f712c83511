#!/bin/sh
# Times github.Gather against the in-repo fake GitHub with 50 ms latency per
# request and 500 merged PRs: the seed script's four sequential requests per
# PR (baseline), then Gather through REST and through GraphQL, each without
# and with a local clone (--repo-dir). Reports requests/PR and wall time (ns/op, one op = one whole
# gather), median of COUNT runs. The machine is shared: compare the rows of
# one run as ratios, not absolute times across runs.
#
#   bench/gather.sh [COUNT] [PRS]
set -eu
cd "$(dirname "$0")/.."
count=${1:-3}
prs=${2:-500}
out=$(mktemp)
go test -run '^$' -bench 'BenchmarkGather' -benchtime 1x -count "$count" -timeout 60m \
	./github/ -args -gather.prs "$prs" -gather.latency 50ms | tee "$out"
awk '/^BenchmarkGather\// {
	name=$1; sub(/-[0-9]+$/, "", name); t[name]=t[name] " " $3; r[name]=$5
} END {
	for (n in t) {
		c = split(t[n], v, " "); asort_n(v, c)
		med = v[int((c+1)/2)]
		printf "%-40s median %8.2f s   %s requests/PR\n", n, med/1e9, r[n]
		m[n]=med
	}
	base = m["BenchmarkGather/baseline-4-sequential"]
	if (base > 0) for (n in m) printf "%-40s %.3fx the baseline wall time\n", n, m[n]/base
}
function asort_n(a, n,   i, j, x) { for (i=2;i<=n;i++) { x=a[i]; for (j=i-1;j>0 && a[j]>x;j--) a[j+1]=a[j]; a[j+1]=x } }' "$out"
rm -f "$out"
