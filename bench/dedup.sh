#!/usr/bin/env bash
# bench/dedup.sh REPO.git [N]: the offline pipeline (sftforge --repo, all
# commits unless N) on a copy of REPO with the defaults (same-change and
# near-duplicate removal at 0.85, Parquet on), then:
#   - the duplicates it removed, by reason (statistics.json),
#   - the pipeline's stage times and wall time,
#   - bench/dedup on its records: what the two filters cost (change-ID
#     grouping; MinHash-LSH and exact Jaccard) and what writing the
#     dataset costs without and with Parquet, each as a share of the wall
#     time of the same run.
# The repository is copied first: nothing is written into it.
set -euo pipefail
repo=${1:?usage: bench/dedup.sh REPO.git [N]}
n=${2:-0}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$repo" "$tmp/repo.git"
(cd "$root" && go build -o "$tmp/sftforge" ./examples/sftforge && go build -o "$tmp/dedup" ./bench/dedup)
start=$(date +%s.%N)
"$tmp/sftforge" --repo "$tmp/repo.git" -n "$n" -o "$tmp/out" >"$tmp/log" 2>&1
end=$(date +%s.%N)
wall=$(echo "$end - $start" | bc)
grep -E '^(stage|export|merge|write) ' "$tmp/log"
python3 - "$tmp/out/statistics.json" <<'PY'
import json, sys
st = json.load(open(sys.argv[1]))
print("records", st["records"], "duplicates removed", json.dumps(st["duplicates"]))
PY
echo "wall ${wall}s"
"$tmp/dedup" -examples 5 "$tmp/out" | tee "$tmp/table"
python3 - "$tmp/table" "$wall" <<'PY'
import re, sys
row = [l for l in open(sys.argv[1]) if l.startswith("| out ")][0].split("|")[1:-1]
wall = float(sys.argv[2])
def secs(s):
    s = s.strip()
    m = re.fullmatch(r"(?:(\d+)m)?([\d.]+)(ms|s|µs)", s)
    if not m: return 0.0
    v = float(m.group(2)) * {"ms": 1e-3, "s": 1, "µs": 1e-6}[m.group(3)]
    return v + 60 * int(m.group(1) or 0)
dedup = secs(row[5]) + secs(row[6]) + secs(row[7])
parquet = secs(row[9]) - secs(row[8])
print(f"dedup {dedup:.2f}s = {100*dedup/wall:.2f}% of the run; Parquet {parquet:.2f}s = {100*parquet/wall:.2f}% of the run")
PY
