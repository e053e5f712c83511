#!/usr/bin/env bash
# report.html (issue 15, item 7): runs sftforge on the embedded sample and
# offline on each repository given (`--repo R -n N`), then prints per
# dataset the page's size and the time to summarise and render it against
# encoding the same records as JSONL (median of 5 runs, same process).
# With PNG=path, also writes a full-page screenshot of the sample's
# report (docs/report.png is made with PNG=docs/report.png).
#
# Usage: [PNG=docs/report.png] bench/report.sh N [REPO...]
set -euo pipefail
n=${1:?usage: bench/report.sh N [REPO...]}; shift
here=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
(cd "$here" && go build -o "$out/bin/" ./examples/sftforge ./bench/report)
"$out/bin/sftforge" -o "$out/sample" >"$out/sample.log" 2>&1
dirs=("$out/sample")
for repo in "$@"; do
	name=$(basename "$repo" .git)
	"$out/bin/sftforge" --repo "$repo" -n "$n" -o "$out/$name" >"$out/$name.log" 2>&1 ||
		{ echo "sftforge failed on $repo:"; tail -5 "$out/$name.log"; continue; }
	dirs+=("$out/$name")
done
png=()
if [ -n "${PNG:-}" ]; then
	png=(-png "$(cd "$(dirname "$PNG")" && pwd)/$(basename "$PNG")")
fi
"$out/bin/report" "${png[@]}" "${dirs[@]}"
echo "outputs in $out"
