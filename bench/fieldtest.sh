#!/usr/bin/env bash
# bench/fieldtest.sh [-n N] [-b] [-k] REPO...
#
# A field test of the whole offline product on real repositories (issues 14
# and 15): for each REPO (bare or work-tree clone, only read: it is copied
# with cp -a first), `sftforge --repo COPY -n N -o OUT` (N default 2000,
# flags from $SFTFORGE_ARGS), timed against
#
#   git log --first-parent -p HEAD~N..HEAD -- '*.rs'   (HEAD when N is 0 or the history is shorter)
#
# in the same run, then its output read back as a data consumer would by
# bench/fieldtest/check.mjs (DuckDB from npm @duckdb/node-api, installed in
# a temporary directory): one schema, row counts equal to statistics.json,
# unique ids, provenance fields, layers where source files changed, change
# kinds in the vocabulary, Parquet files and report.html when present; and
# by bench/boilerplate (when present) for form scaffolding left in prompts.
# It prints one row per repository:
#
#   commits walked, records, layers per record, identifier coverage (the
#   share of the changes touching source files that have identifier data),
#   licences found, duplicates removed, prompts with scaffolding, time, git
#   time and the ratio, peak RSS, checks (ok, or the failures below the table)
#
# With -b it also runs the bad inputs on the first REPO: an output
# directory holding other files (refused, nothing touched), runs
# interrupted with SIGINT in the export and in the merge (the previous
# output byte-identical, no internal error) and rerun
# (the same records as the clean run: none lost, none repeated), a shallow
# clone (git clone --depth 50), and a partial clone missing every blob
# over 4 KiB (git clone --filter=blob:limit=4k). -k keeps the temporary
# directory. Needs go, git, node, npm, jq, bc and GNU time. Exit status 1 when a
# check failed.
#
#   bench/fieldtest.sh -b /work/repos/{ripgrep,axum,sqlx,embassy,hyperswitch,rust-analyzer}.git
set -euo pipefail

usage="usage: bench/fieldtest.sh [-n N] [-b] [-k] REPO..."
n=2000 bad= keep=
while getopts "n:bk" o; do
	case $o in
	n) n=$OPTARG ;;
	b) bad=1 ;;
	k) keep=1 ;;
	*) echo "$usage" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "$usage" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench/fieldtest.sh: needs /usr/bin/time (GNU time)" >&2; exit 1; }
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
if [ -n "$keep" ]; then echo "keeping $tmp" >&2; else trap 'rm -rf "$tmp"' EXIT; fi
mkdir -p "$tmp/bin" "$tmp/repos" "$tmp/out" "$tmp/node"

tools=(./examples/sftforge)
[ -d "$root/bench/boilerplate" ] && tools+=(./bench/boilerplate)
(cd "$root" && go build -o "$tmp/bin/" "${tools[@]}")
cp "$root/bench/fieldtest/check.mjs" "$tmp/node/"
(cd "$tmp/node" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund @duckdb/node-api >/dev/null)
read -r -a extra <<<"${SFTFORGE_ARGS:-}"
status=0
failures=$tmp/failures
: >"$failures"

# timed NAME CMD...: runs CMD, stdout and stderr to $tmp/NAME.log, and
# leaves "seconds peak_kb exit" in $tmp/NAME.time.
timed() {
	local name=$1 rc=0
	shift
	/usr/bin/time -f '%e %M' -o "$tmp/$name.time" "$@" >"$tmp/$name.log" 2>&1 || rc=$?
	echo "$(tail -1 "$tmp/$name.time") $rc" >"$tmp/$name.time"
}

# check NAME DIR: check.mjs's JSON of DIR in $tmp/NAME.json; failures listed.
check() {
	(cd "$tmp/node" && node check.mjs "$2") >"$tmp/$1.json" 2>"$tmp/$1.check.err" || true
	if [ ! -s "$tmp/$1.json" ]; then
		echo "$1: check.mjs failed: $(head -3 "$tmp/$1.check.err")" >>"$failures"
		echo '{"failures":["check.mjs failed"]}' >"$tmp/$1.json"
	fi
	jq -r --arg n "$1" '.failures[] | "\($n): \(.)"' "$tmp/$1.json" >>"$failures"
}

# scaffolding DIR: prompts of DIR that hold form scaffolding ("-" without bench/boilerplate).
scaffolding() {
	[ -x "$tmp/bin/boilerplate" ] || { echo -; return; }
	{ "$tmp/bin/boilerplate" "$1" || true; } | sed -n 's/^\([0-9]*\) prompts hold scaffolding$/\1/p;s/^no prompt holds scaffolding$/0/p'
}

row() { printf '%-14s %8s %8s %7s %6s %-24s %6s %6s %8s %8s %6s %8s  %s\n' "$@"; }
row repository commits records layers/r ident licences dups scaff time_s git_s ratio rss_MiB checks
for repo in "$@"; do
	name=$(basename "$repo" .git)
	copy=$tmp/repos/$name.git
	cp -a "$repo" "$copy"
	range=HEAD
	if [ "$n" -gt 0 ] && git -C "$copy" rev-parse -q --verify "HEAD~$n" >/dev/null; then range="HEAD~$n..HEAD"; fi
	timed "$name.git" git -C "$copy" log --first-parent -p "$range" -- '*.rs'
	timed "$name" "$tmp/bin/sftforge" --repo "$copy" -n "$n" -o "$tmp/out/$name" "${extra[@]}"
	read -r secs kb rc <"$tmp/$name.time"
	read -r gsecs _ _ <"$tmp/$name.git.time"
	if [ "$rc" != 0 ]; then
		echo "$name: sftforge exited $rc: $(tail -3 "$tmp/$name.log")" >>"$failures"
		row "$name" - - - - - - - "$secs" "$gsecs" - $((kb / 1024)) "sftforge failed"
		status=1
		continue
	fi
	check "$name" "$tmp/out/$name"
	stats=$tmp/out/$name/statistics.json
	commits=$(sed -n 's/^export *\([0-9]*\) commits.*/\1/p' "$tmp/$name.log")
	# The most frequent licence, "+k" for k others, "+none" when some
	# records have none.
	licences=$(jq -r '(.licenses // {}) as $l | ($l | to_entries | map(select(.key != "(none)"))) as $e |
		(if ($e | length) == 0 then "-" else $e[0].key end) + (if ($e | length) > 1 then " +\(($e | length) - 1)" else "" end) +
		(if $l["(none)"] then " +none" else "" end)' "$tmp/$name.json")
	dups=$(jq '[(.duplicates // {})[]] | add // 0' "$stats")
	scaff=$(scaffolding "$tmp/out/$name")
	nfail=$(jq '.failures | length' "$tmp/$name.json")
	checks=ok
	[ "$nfail" = 0 ] || { checks="$nfail failed"; status=1; }
	[ "${scaff:-0}" = 0 ] || [ "$scaff" = - ] || { checks="$checks, scaffolding"; status=1; }
	row "$name" "${commits:-?}" "$(jq .records "$stats")" "$(jq .layers_per_record "$tmp/$name.json")" \
		"$(jq '.identifier_coverage // 0 | . * 1000 | round / 1000' "$stats")" "$licences" "$dups" "$scaff" "$secs" "$gsecs" \
		"$(echo "scale=2; $secs / $gsecs" | bc)" $((kb / 1024)) "$checks"
done

# expect NAME COND MESSAGE: records a failed bad-input check.
expect() { if [ "$2" != 0 ]; then echo "bad input $1: $3" >>"$failures"; status=1; echo "  $1: FAIL: $3"; else echo "  $1: ok"; fi; }
# digest DIR: one hash of every file's path and content under DIR.
digest() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16); }

if [ -n "$bad" ]; then
	name=$(basename "$1" .git)
	copy=$tmp/repos/$name.git
	clean=$tmp/out/$name
	echo "bad inputs on $name:"

	# An output directory holding other files: refused, nothing touched.
	mkdir -p "$tmp/foreign/sub" && echo keep >"$tmp/foreign/notes.txt" && echo keep >"$tmp/foreign/sub/x"
	before=$(digest "$tmp/foreign")
	timed foreign "$tmp/bin/sftforge" --repo "$copy" -n "$n" -o "$tmp/foreign" "${extra[@]}"
	read -r _ _ rc <"$tmp/foreign.time"
	r=1
	if [ "$rc" = 1 ] && [ "$(digest "$tmp/foreign")" = "$before" ] && ! ls -A "$tmp" | grep -qF .foreign.; then r=0; fi
	expect foreign_output $r "exit $rc, directory $( [ "$(digest "$tmp/foreign")" = "$before" ] && echo unchanged || echo CHANGED): $(tail -1 "$tmp/foreign.log")"

	# Interrupted with SIGINT at a quarter (the export) and at half (the
	# merge, on these histories) of the clean run's time while replacing the clean output: the
	# output stays byte-identical (a run that ends before the signal writes
	# the same bytes: the output is deterministic) and no internal error is
	# reported; the rerun gives the clean run's records.
	read -r secs _ _ <"$tmp/$name.time"
	for frac in 0.25 0.5; do
		before=$(digest "$clean")
		"$tmp/bin/sftforge" --repo "$copy" -n "$n" -o "$clean" "${extra[@]}" >"$tmp/int.log" 2>&1 &
		pid=$!
		sleep "$(echo "$secs * $frac" | bc -l)"
		kill -INT "$pid" 2>/dev/null || true
		rc=0
		wait "$pid" || rc=$?
		r=1
		if [ "$(digest "$clean")" = "$before" ] && ! grep -q "internal error" "$tmp/int.log"; then r=0; fi
		expect "interrupted_at_$frac" $r "exit $rc after SIGINT ($(tail -1 "$tmp/int.log")), output $( [ "$(digest "$clean")" = "$before" ] && echo unchanged || echo CHANGED)"
	done
	cp "$clean/merged_dataset.jsonl" "$tmp/clean.jsonl"
	timed rerun "$tmp/bin/sftforge" --repo "$copy" -n "$n" -o "$clean" "${extra[@]}"
	read -r _ _ rc <"$tmp/rerun.time"
	r=1
	if cmp -s "$tmp/clean.jsonl" "$clean/merged_dataset.jsonl" && [ "$rc" = 0 ] &&
		[ -z "$(find "$tmp/out" -maxdepth 1 -name '.*' ! -name '*.lock')" ]; then r=0; fi
	expect rerun_after_interrupt $r "exit $rc, records $(wc -l <"$clean/merged_dataset.jsonl") (clean run $(wc -l <"$tmp/clean.jsonl")), left beside the output: $(cd "$tmp/out" && ls -A | grep '^\.' | tr '\n' ' ')"

	# A shallow clone: the history stops at its boundary.
	git clone -q --bare --depth 50 "file://$copy" "$tmp/repos/shallow.git" 2>/dev/null
	timed shallow "$tmp/bin/sftforge" --repo "$tmp/repos/shallow.git" -n "$n" -o "$tmp/out/shallow" "${extra[@]}"
	read -r _ _ rc <"$tmp/shallow.time"
	r=1
	if [ "$rc" = 0 ]; then
		check shallow "$tmp/out/shallow"
		[ "$(jq '.failures | length' "$tmp/shallow.json")" != 0 ] || r=0
	fi
	expect shallow_clone $r "exit $rc, $( [ "$rc" = 0 ] && jq -r '"\(.records) records, \(.export_boundary_commits) boundary commits"' "$tmp/out/shallow/statistics.json" || tail -1 "$tmp/shallow.log")"

	# A partial clone: blobs over 4 KiB are missing (as in a mirror that
	# lost a large file); they are skipped and counted, the run goes on.
	git -C "$copy" config uploadpack.allowFilter true
	git clone -q --bare --filter=blob:limit=4k "file://$copy" "$tmp/repos/partial.git" 2>/dev/null
	timed partial "$tmp/bin/sftforge" --repo "$tmp/repos/partial.git" -n "$n" -o "$tmp/out/partial" "${extra[@]}"
	read -r _ _ rc <"$tmp/partial.time"
	r=1
	if [ "$rc" = 0 ]; then
		check partial "$tmp/out/partial"
		if [ "$(jq '.failures | length' "$tmp/partial.json")" = 0 ] && grep -q "a partial clone" "$tmp/partial.log"; then r=0; fi
	fi
	expect partial_clone $r "exit $rc, $( [ "$rc" = 0 ] && jq -r '"\(.records) records, files skipped \(.export_skipped_files | tostring)"' "$tmp/out/partial/statistics.json" || tail -1 "$tmp/partial.log")"
fi

if [ -s "$failures" ]; then
	echo "failures:"
	head -60 "$failures"
fi
exit $status
