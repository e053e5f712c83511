#!/usr/bin/env bash
# Issue 13's layer figures per repository: the layers archmap infers from
# each repository's Cargo workspace over its first-parent history (as
# sftforge does: manifests at the start revision and before every commit
# that deleted a Cargo.toml, up to dataset.MaxManifestRevisions of them),
# applied to every changed path of every commit (one record per commit).
# Prints one table row per repository:
#   - changed files in no layer (target <= 1%);
#   - classified files under a crate that sit in a layer listing that crate
#     (target >= 99%), and Rust sources left outside every known crate;
#   - ordered pairs of crate layers in a record where the first depends on
#     the second (target <= 2%).
#
# Usage: bench/archmap_layers.sh [-n N] [-preset P] REPO...
#   e.g. bench/archmap_layers.sh /work/repos/*.git     (whole histories)
set -euo pipefail
args=(-preset auto)
while [[ $# -gt 0 && $1 == -* ]]; do args+=("$1" "$2"); shift 2; done
[[ $# -gt 0 ]] || { echo "usage: bench/archmap_layers.sh [-n N] [-preset P] REPO..." >&2; exit 2; }
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$here" && go build -o "$tmp/archmap_coverage" ./bench/archmap_coverage)
header=-header
for repo in "$@"; do
	"$tmp/archmap_coverage" -repo "$repo" "${args[@]}" $header
	header=
done
