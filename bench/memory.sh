#!/usr/bin/env bash
# bench/memory.sh [-r RUNS] [-b SFTFORGE_BIN] REPO|synthetic[:COMMITS]...
#
# Issue 14's memory and speed figures on whole first-parent histories: for
# each repository, the offline pipeline `sftforge --repo REPO -n 0` against
# the git CLI printing the same history as patches, in the same run,
# interleaved (git, sftforge; RUNS times, default 1), and for each the
# median wall time, the export, merge and write stage times sftforge
# reports, merge + write as a share of the export, peak RSS (GNU time's
# maximum resident set size, /usr/bin/time -v), the ratio to git, and the
# CPU seconds of the export and of the merge and write together (on all
# cores: CPU / wall is the cores a stage kept busy).
#
#   baseline: git log --first-parent -p HEAD -- '*.rs'
#
# Targets (issue 14, item 8): peak RSS <= 1 GiB, merge + write <= 20% of
# the export, total <= 3.0x git.
#
# "synthetic" is a history built with `git fast-import` (default 100,001
# commits; "synthetic:N" for N): a workspace of 20 crates of 25 small Rust
# files each, every commit editing one file (a function added, changed or
# removed, the subject naming a PR number), built once into
# $BENCH_CACHE (default ${TMPDIR:-/tmp}/sftforge-bench) and reused.
#
# A read-only repository is fine: sftforge only reads it.
#
#   bench/memory.sh /work/repos/hyperswitch.git /work/repos/rust-analyzer.git synthetic
set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage="usage: bench/memory.sh [-r RUNS] [-b SFTFORGE_BIN] REPO|synthetic[:COMMITS]..."
runs=1
bin=
while getopts "r:b:" o; do
	case $o in
	r) runs=$OPTARG ;;
	b) bin=$OPTARG ;;
	*) echo "$usage" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "$usage" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench/memory.sh: needs /usr/bin/time (GNU time)" >&2; exit 1; }
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cache=${BENCH_CACHE:-${TMPDIR:-/tmp}/sftforge-bench}
if [ -z "$bin" ]; then
	(cd "$root" && go build -o "$tmp/sftforge" ./examples/sftforge)
	bin=$tmp/sftforge
fi

# synthetic DIR N: builds a bare repository of N first-parent commits at
# DIR with git fast-import (deterministic: fixed dates and authors).
synthetic() {
	local dir=$1 n=$2
	rm -rf "$dir.tmp"
	git init -q --bare "$dir.tmp"
	awk -v n="$n" 'BEGIN {
		crates = 20; files = 25
		print "reset refs/heads/main"
		for (i = 1; i <= n; i++) {
			c = i % crates; f = int(i / crates) % files
			key = c "," f
			v = ++version[key]
			# The file: a struct, its impl with up to eight methods (the
			# newest versions), and a function whose body changes.
			body = "//! crate c" c ", module m" f "\n\npub struct S" f " {\n    pub id: u64,\n    pub v" (v % 5) ": String,\n}\n\nimpl S" f " {\n"
			for (k = (v > 8 ? v - 7 : 1); k <= v; k++)
				body = body "    pub fn method_" k "(&self) -> u64 {\n        self.id + " k "\n    }\n"
			body = body "}\n\npub fn run_" f "(x: u64) -> u64 {\n    x * " v "\n}\n"
			print "commit refs/heads/main"
			printf "author Dev %d <dev%d@example.com> %d +0000\n", i % 7, i % 7, 1600000000 + i * 60
			printf "committer Dev %d <dev%d@example.com> %d +0000\n", i % 7, i % 7, 1600000000 + i * 60
			msg = sprintf("feat(c%d): method %d of S%d (#%d)\n\nAdds S%d::method_%d.\n", c, v, f, i, f, v)
			printf "data %d\n%s\n", length(msg), msg
			if (i == 1) {
				ws = "[workspace]\nmembers = [\"crates/*\"]\n"
				printf "M 100644 inline Cargo.toml\ndata %d\n%s\n", length(ws), ws
				for (cc = 0; cc < crates; cc++) {
					toml = "[package]\nname = \"c" cc "\"\nversion = \"0.1.0\"\n"
					printf "M 100644 inline crates/c%d/Cargo.toml\ndata %d\n%s\n", cc, length(toml), toml
				}
			}
			printf "M 100644 inline crates/c%d/src/m%d.rs\ndata %d\n%s\n", c, f, length(body), body
		}
	}' | git -C "$dir.tmp" fast-import --quiet
	git -C "$dir.tmp" symbolic-ref HEAD refs/heads/main
	git -C "$dir.tmp" gc -q
	mv "$dir.tmp" "$dir"
}

# measure FILE CMD...: runs CMD once; appends "wall peak_kb export merge
# write export_cpu merge_cpu write_cpu" to FILE (stage times 0 for git).
measure() {
	local file=$1
	shift
	/usr/bin/time -v -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err" || {
		echo "bench/memory.sh: failed: $*" >&2
		tail -20 "$tmp/err" >&2
		exit 1
	}
	local wall rss e=0 m=0 w=0 ec=0 mc=0 wc=0
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$tmp/time")
	rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time")
	if grep -q '^export ' "$tmp/out"; then
		read -r e m w <<<"$(stage_secs "$tmp/out")"
		read -r ec mc wc <<<"$(stage_cpu "$tmp/out")"
		awk '$1 == "export" {$1 = ""; $NF = ""; $(NF-1) = ""; print "   " $0}' "$tmp/out" >"$file.summary"
	fi
	echo "$wall $rss $e $m $w $ec $mc $wc" >>"$file"
}

col() { awk -v c="$2" '{print $c}' "$1" | median; }

printf '%-20s %8s %8s %8s %8s %8s %8s %8s %8s %8s %8s %8s\n' "history" "commits" "git s" "total s" "export" "merge" "write" "m+w/exp" "RSS MiB" "vs git" "exp cpu" "m+w cpu"
for spec in "$@"; do
	case $spec in
	synthetic | synthetic:*)
		n=${spec#synthetic}
		n=${n#:}
		n=${n:-100001}
		repo=$cache/synthetic-$n.git
		if [ ! -d "$repo" ]; then
			mkdir -p "$cache"
			echo "building $repo ($n commits) with git fast-import" >&2
			synthetic "$repo" "$n"
		fi
		name="synthetic $n"
		;;
	*)
		repo=$(cd "$spec" && pwd)
		name=$(basename "$repo" .git)
		;;
	esac
	commits=$(git -C "$repo" rev-list --first-parent --count HEAD)
	key=$tmp/$(echo "$name" | tr ' /' '__')
	for i in $(seq "$runs"); do
		measure "$key.git" git -C "$repo" log --first-parent -p HEAD -- '*.rs'
		rm -rf "$tmp/o"
		measure "$key.sft" "$bin" --repo "$repo" -n 0 -o "$tmp/o"
		echo "$name: run $i/$runs done (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
	done
	g=$(col "$key.git" 1)
	t=$(col "$key.sft" 1)
	e=$(col "$key.sft" 3)
	m=$(col "$key.sft" 4)
	w=$(col "$key.sft" 5)
	ec=$(col "$key.sft" 6)
	mwc=$(awk '{print $7 + $8}' "$key.sft" | median)
	printf '%-20s %8d %8.2f %8.2f %8.2f %8.2f %8.2f %7.0f%% %8.0f %8.2f %8.2f %8.2f\n' "$name" "$commits" "$g" "$t" "$e" "$m" "$w" \
		"$(echo "100*($m+$w)/$e" | bc -l)" "$(echo "$(col "$key.sft" 2)/1024" | bc -l)" "$(echo "$t/($g+0.001)" | bc -l)" "$ec" "$mwc"
	cat "$key.sft.summary"
done
echo "median of $runs interleaved run(s) on $(nproc) CPUs (load average now: $(cut -d' ' -f1-3 /proc/loadavg)); git's peak RSS is not shown"
echo "exp cpu: the export stage's CPU seconds (on all cores); m+w cpu: the merge's and the write's"
