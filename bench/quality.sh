#!/usr/bin/env bash
# Dataset quality on real Rust repositories (issue 13's figures): runs
# `sftforge --repo R -n N` offline on each repository and prints one row per
# repository (files in no layer, intent coverage, bot drops, response sizes,
# merge-line and own-PR prompts), then INTENTS random intents per repository.
#
# Usage: bench/quality.sh N REPO... (bare or work-tree clones, read only)
#   e.g. bench/quality.sh 2000 /work/repos/*.git
set -euo pipefail
n=${1:?usage: bench/quality.sh N REPO...}; shift
here=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
(cd "$here" && go build -o "$out/bin/" ./examples/sftforge ./bench/quality)
dirs=()
for repo in "$@"; do
	name=$(basename "$repo" .git)
	"$out/bin/sftforge" --repo "$repo" -n "$n" -o "$out/$name" ${SFTFORGE_ARGS:-} >"$out/$name.log" 2>&1 ||
		{ echo "sftforge failed on $repo:"; tail -5 "$out/$name.log"; continue; }
	dirs+=("$out/$name")
done
"$out/bin/quality" -intents "${INTENTS:-10}" "${dirs[@]}"
echo "outputs in $out"
