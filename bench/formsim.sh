#!/usr/bin/env bash
# Form scaffolding on PR and issue data shaped by each repository's own
# issue forms and PR template (issue 15, item 8): bench/formsim renders N
# issues per YAML issue form and a PR per issue, merges them raw, with the
# generic rules and with the repository's templates, and bench/boilerplate
# counts the prompts that still hold scaffolding in each.
#
# Usage: bench/formsim.sh N REPO...   e.g. bench/formsim.sh 100 /work/repos/hyperswitch.git
set -euo pipefail
n=${1:?usage: bench/formsim.sh N REPO...}; shift
here=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
(cd "$here" && go build -o "$out/bin/" ./bench/formsim ./bench/boilerplate)
"$out/bin/formsim" -n "$n" -o "$out/data" "$@"
"$out/bin/boilerplate" "$out"/data/* || true
echo "outputs in $out"
