#!/usr/bin/env bash
# Form scaffolding in prompts (issue 15, item 8): runs `sftforge --repo R -n N`
# offline on each repository, prints the sections removed
# (statistics.json prompt_sections_removed) and the time, then counts with
# bench/boilerplate the prompts that still hold scaffolding (exit 1 when any
# does). Offline, prompts come from commit messages; to check PR and issue
# data, run bench/boilerplate on a dataset made with --github or
# --github-data.
#
# Usage: bench/boilerplate.sh N REPO... (bare or work-tree clones, read only)
#   e.g. bench/boilerplate.sh 2000 /work/repos/hyperswitch.git
set -euo pipefail
n=${1:?usage: bench/boilerplate.sh N REPO...}; shift
here=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
(cd "$here" && go build -o "$out/bin/" ./examples/sftforge ./bench/boilerplate)
dirs=()
for repo in "$@"; do
	name=$(basename "$repo" .git)
	start=$(date +%s.%N)
	"$out/bin/sftforge" --repo "$repo" -n "$n" -o "$out/$name" ${SFTFORGE_ARGS:-} >"$out/$name.log" 2>&1 ||
		{ echo "sftforge failed on $repo:"; tail -5 "$out/$name.log"; continue; }
	end=$(date +%s.%N)
	printf '%s: %s records in %.1fs; sections removed: %s\n' "$name" \
		"$(jq .records "$out/$name/statistics.json")" "$(echo "$end - $start" | bc)" \
		"$(jq -c .prompt_sections_removed "$out/$name/statistics.json")"
	dirs+=("$out/$name")
done
"$out/bin/boilerplate" "${dirs[@]}"
echo "outputs in $out"
