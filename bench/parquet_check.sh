#!/usr/bin/env bash
# bench/parquet_check.sh [DATASET_DIR...]: reads the Parquet files of
# sftforge outputs back with an independent reader, DuckDB (the
# @duckdb/node-api npm package, installed into a temporary directory, not
# into the repository), and checks them against the JSONL beside them:
# the same number of rows in merged_dataset, train and validation, every
# row equal as JSON (each file's rows, prompt, response and nested
# metadata), nested fields readable (metadata.layers[1].layer,
# metadata.changes[1].kind), zstd compression. Without arguments it
# writes the embedded sample's dataset first. Needs node and npm; CI does
# not run it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dirs=("$@")
if [ ${#dirs[@]} -eq 0 ]; then
  (cd "$root" && go run ./examples/sftforge -o "$tmp/sample" >/dev/null)
  dirs=("$tmp/sample")
fi
(cd "$tmp" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund @duckdb/node-api >/dev/null)
cat >"$tmp/check.mjs" <<'JS'
import { DuckDBInstance } from '@duckdb/node-api';
const dir = process.argv[2];
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
const q = async (sql) => (await c.runAndReadAll(sql)).getRowObjectsJson();
const lit = (s) => `'${s.replaceAll("'", "''")}'`;
let failed = false;
for (const name of ['merged_dataset', 'train', 'validation']) {
  const pq = lit(`${dir}/${name}.parquet`), js = lit(`${dir}/${name}.jsonl`);
  const [p] = await q(`SELECT count(*) AS n FROM read_parquet(${pq})`);
  const [j] = await q(`SELECT count(*) AS n FROM read_json_objects(${js}, format='newline_delimited', maximum_object_size=1073741824)`);
  // Whole rows compared as JSON, both sides serialised by DuckDB.
  const [d] = await q(`SELECT count(*) AS n FROM (
      SELECT to_json(p)::VARCHAR FROM read_parquet(${pq}) p
      EXCEPT ALL SELECT json(json)::VARCHAR FROM read_json_objects(${js}, format='newline_delimited', maximum_object_size=1073741824))`);
  const [codec] = await q(`SELECT string_agg(DISTINCT compression, ',') AS c FROM parquet_metadata(${pq})`);
  const ok = p.n === j.n && String(d.n) === '0' && codec.c === 'ZSTD';
  failed ||= !ok;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${dir}/${name}: parquet rows ${p.n}, jsonl rows ${j.n}, rows that differ ${d.n}, compression ${codec.c}`);
}
const rows = await q(`SELECT metadata.pr_number AS pr, metadata.change_id AS change_id,
    metadata.layers[1].layer AS first_layer, len(metadata.changes) AS changes, metadata.changes[1].kind AS first_kind
  FROM read_parquet(${lit(`${dir}/merged_dataset.parquet`)}) LIMIT 2`);
console.log('     nested fields:', JSON.stringify(rows));
process.exit(failed ? 1 : 0);
JS
status=0
for d in "${dirs[@]}"; do
  (cd "$tmp" && node check.mjs "$(cd "$d" && pwd)") || status=1
done
exit $status
