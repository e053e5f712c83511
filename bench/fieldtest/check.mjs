// check.mjs DIR: reads an sftforge output directory back as a data consumer
// would (DuckDB for the files, plain JSON for the records) and prints one
// JSON object: the figures of bench/fieldtest.sh's row and `failures`, the
// checks that did not hold. Exit status 1 when any check failed.
//
// Checks: merged_dataset, train and validation JSONL (and the .parquet
// files when present) read by DuckDB with one schema and the row counts of
// statistics.json; every record with the same keys and value types; ids
// unique and train + validation = merged; the provenance fields (id, repo,
// url, base_commit, merge_commit, license) on every record once any has
// one; layers on every record that changed source files; change ops,
// kinds and visibilities in the documented vocabulary; report.html present
// and self-contained (no script, no request outside the page) once any
// output has one.
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import readline from 'node:readline';
import path from 'node:path';

const dir = path.resolve(process.argv[2]);
const failures = [];
const fail = (msg) => { if (failures.length < 40) failures.push(msg); };
const stats = JSON.parse(fs.readFileSync(path.join(dir, 'statistics.json'), 'utf8'));

const OPS = new Set(['added', 'removed', 'modified']);
const KINDS = new Set(['function', 'method', 'struct', 'enum', 'union', 'trait', 'impl', 'const', 'static',
  'type', 'assoc_type', 'assoc_const', 'macro', 'mod', 'field', 'variant']);
const VIS = /^(private|pub|pub\(crate\)|pub\(super\)|pub\(self\)|pub\(in [^)]+\)|inherited)$/;
const PROVENANCE = ['id', 'repo', 'url', 'base_commit', 'merge_commit', 'license'];
const HEX40 = /^[0-9a-f]{40}$/;
const SOURCE = /\.rs$/;

const typeOf = (v) => v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;

// shape returns "key:type,…" of an object's own keys, sorted.
const shape = (o) => Object.keys(o).sort().map((k) => `${k}:${typeOf(o[k])}`).join(',');

async function* lines(file) {
  const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const l of rl) if (l.trim() !== '') yield l;
}

// readRecords checks each record of a JSONL file on its own and returns
// their ids in order.
async function readRecords(name, perRecord) {
  const file = path.join(dir, `${name}.jsonl`);
  const shapes = new Map();
  const ids = [];
  let n = 0;
  for await (const l of lines(file)) {
    n++;
    let r;
    try { r = JSON.parse(l); } catch (e) { fail(`${name}.jsonl line ${n}: ${e.message}`); continue; }
    const s = shape(r) + ' | ' + shape(r.metadata ?? {});
    shapes.set(s, (shapes.get(s) ?? 0) + 1);
    ids.push(r.metadata?.id ?? `${r.metadata?.pr_number}`);
    perRecord?.(r, n);
  }
  if (shapes.size > 1) {
    const [[a], [b]] = [...shapes.entries()].sort((x, y) => y[1] - x[1]);
    const sa = new Set(a.split(/[,|]/)), diff = b.split(/[,|]/).filter((k) => !sa.has(k));
    fail(`${name}.jsonl: ${shapes.size} record shapes (keys or value types differ), e.g. ${diff.slice(0, 4).join(' ')}`);
  }
  return { n, ids };
}

const out = { dir, records: 0 };
let layers = 0, withIdent = 0, sourceRecords = 0, noLayers = 0, withProvenance = 0;
const licenses = new Map();
const merged = await readRecords('merged_dataset', (r, n) => {
  const m = r.metadata;
  if (!m) { fail(`merged_dataset.jsonl line ${n}: no metadata`); return; }
  layers += (m.layers ?? []).length;
  if (m.has_identifier_data) withIdent++;
  const files = (m.layers ?? []).flatMap((l) => l.files ?? []).concat(m.unclassified ?? []);
  const changesSource = (m.changes ?? []).length > 0 || files.some((f) => SOURCE.test(f));
  if (changesSource) {
    sourceRecords++;
    if ((m.layers ?? []).length === 0) { noLayers++; fail(`record ${m.id ?? m.pr_number}: changes source files but has no layer`); }
  }
  for (const c of m.changes ?? []) {
    if (!OPS.has(c.op)) fail(`record ${m.id ?? m.pr_number}: change op ${JSON.stringify(c.op)}`);
    if (!KINDS.has(c.kind)) fail(`record ${m.id ?? m.pr_number}: change kind ${JSON.stringify(c.kind)}`);
    if (!VIS.test(c.visibility || 'private')) fail(`record ${m.id ?? m.pr_number}: visibility ${JSON.stringify(c.visibility)}`);
  }
  if (PROVENANCE.some((k) => k in m)) {
    withProvenance++;
    for (const k of PROVENANCE) if (!(k in m)) fail(`record ${m.id ?? m.pr_number}: no ${k}`);
    for (const k of ['id', 'repo', 'merge_commit']) if (!m[k]) fail(`record ${m.id ?? m.pr_number}: empty ${k}`);
    if (m.merge_commit && !HEX40.test(m.merge_commit)) fail(`record ${m.id}: merge_commit ${m.merge_commit}`);
    if (m.base_commit && !HEX40.test(m.base_commit)) fail(`record ${m.id}: base_commit ${m.base_commit}`);
    licenses.set(m.license || '(none)', (licenses.get(m.license || '(none)') ?? 0) + 1);
  }
});
out.records = merged.n;
out.layers_per_record = merged.n ? +(layers / merged.n).toFixed(2) : 0;
out.identifier_share = merged.n ? +(withIdent / merged.n).toFixed(3) : 0;
out.source_records_without_layer = noLayers;
out.provenance = withProvenance === 0 ? 'absent' : withProvenance === merged.n ? 'all' : `${withProvenance}/${merged.n}`;
if (withProvenance > 0 && withProvenance < merged.n) fail(`provenance on ${withProvenance} of ${merged.n} records`);
out.licenses = Object.fromEntries([...licenses.entries()].sort((a, b) => b[1] - a[1]));

const seen = new Set();
let dupIDs = 0;
for (const id of merged.ids) { if (seen.has(id)) dupIDs++; seen.add(id); }
if (dupIDs) fail(`merged_dataset.jsonl: ${dupIDs} ids repeat an earlier record's`);
out.duplicate_ids = dupIDs;
const train = await readRecords('train'), validation = await readRecords('validation');
const split = new Set([...train.ids, ...validation.ids]);
if (split.size !== train.n + validation.n) fail(`train + validation: ${train.n + validation.n - split.size} ids repeat`);
const lost = merged.ids.filter((id) => !split.has(id)).length;
if (lost) fail(`${lost} merged records in neither train nor validation`);
for (const [name, n, want] of [['merged_dataset', merged.n, stats.records], ['train', train.n, stats.train], ['validation', validation.n, stats.validation]]) {
  if (n !== want) fail(`${name}.jsonl: ${n} records, statistics.json says ${want}`);
}

// DuckDB: the files as a consumer reads them.
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
const q = async (sql) => (await c.runAndReadAll(sql)).getRowObjectsJson();
const lit = (s) => `'${s.replaceAll("'", "''")}'`;
const schemas = {};
const counted = { merged_dataset: merged.n, train: train.n, validation: validation.n };
for (const name of ['merged_dataset', 'train', 'validation']) {
  const js = lit(path.join(dir, `${name}.jsonl`));
  // An empty file (--validation -1) has no columns to infer: its Parquet
  // file must be empty too.
  if (counted[name] === 0) {
    const pq = path.join(dir, `${name}.parquet`);
    if (fs.existsSync(pq)) {
      const [{ n }] = await q(`SELECT count(*) AS n FROM read_parquet(${lit(pq)})`);
      if (Number(n) !== 0) fail(`${name}.parquet: ${n} rows, ${name}.jsonl none`);
    }
    continue;
  }
  try {
    const src = `read_json(${js}, format='newline_delimited', sample_size=-1, maximum_object_size=1073741824)`;
    const cols = await q(`DESCRIBE SELECT * FROM ${src}`);
    schemas[name] = JSON.stringify(cols.map((col) => [col.column_name, col.column_type]));
    // JSON[] is DuckDB's type of a list that is empty in every record
    // (labels offline); a bare JSON is values of different types.
    const mixed = cols.map((col) => col.column_type).join(' ').match(/\w+ JSON\b(?!\[\])/g);
    if (mixed) fail(`${name}.jsonl: DuckDB infers a JSON (mixed) type: ${mixed.join(', ')}`);
    const [{ n }] = await q(`SELECT count(*) AS n FROM ${src}`);
    if (Number(n) !== counted[name]) fail(`${name}.jsonl: DuckDB reads ${n} rows`);
  } catch (e) { fail(`${name}.jsonl: DuckDB: ${e.message.split('\n')[0]}`); }
  const pq = path.join(dir, `${name}.parquet`);
  if (fs.existsSync(pq)) {
    try {
      const [{ n }] = await q(`SELECT count(*) AS n FROM read_parquet(${lit(pq)})`);
      const want = { merged_dataset: stats.records, train: stats.train, validation: stats.validation }[name];
      if (Number(n) !== want) fail(`${name}.parquet: ${n} rows, statistics.json says ${want}`);
      const [{ d }] = await q(`SELECT count(*) AS d FROM (SELECT metadata.id FROM read_parquet(${lit(pq)}) EXCEPT ALL
        SELECT metadata.id FROM read_json(${lit(path.join(dir, `${name}.jsonl`))}, format='newline_delimited', sample_size=-1, maximum_object_size=1073741824))`);
      if (Number(d) !== 0) fail(`${name}.parquet: ${d} ids not in ${name}.jsonl`);
    } catch (e) { fail(`${name}.parquet: DuckDB: ${e.message.split('\n')[0]}`); }
    out.parquet = true;
  }
}
// One schema across the files: DuckDB reads them together (sft: merged,
// train and validation; other formats: train and validation); values of
// different types in one column make it a bare JSON. (A list empty in every
// record of one file is JSON[] there; read together it takes the others'
// type, so that alone is no failure.)
const fmt = stats.format ?? 'sft';
const together = (fmt === 'sft' ? ['merged_dataset', 'train', 'validation'] : ['train', 'validation'])
  .map((name) => lit(path.join(dir, `${name}.jsonl`))).join(', ');
try {
  const cols = await q(`DESCRIBE SELECT * FROM read_json([${together}], format='newline_delimited', sample_size=-1, maximum_object_size=1073741824)`);
  const mixed = cols.map((col) => `${col.column_name} ${col.column_type}`).join(' ').match(/\w+ JSON\b(?!\[\])/g);
  if (mixed) fail(`${together.replaceAll(dir + '/', '')} read together: values of different types: ${mixed.join(', ')}`);
  out.split_schemas_equal = schemas.train === schemas.validation;
} catch (e) { fail(`files read together: DuckDB: ${e.message.split('\n')[0]}`); }

// The dataset card: the files its configs load exist and hold records
// (what datasets.load_dataset reads).
const card = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
const front = card.startsWith('---\n') ? card.slice(4, card.indexOf('\n---', 4)) : '';
if (!front) fail('README.md: no YAML front matter (the dataset card)');
out.card_files = [...front.matchAll(/^\s*path:\s*(\S+)\s*$/gm)].map((m) => m[1]);
for (const f of out.card_files) if (!fs.existsSync(path.join(dir, f))) fail(`README.md: configs name ${f}, which is missing`);

// report.html: present once the version writes it, and self-contained.
const report = path.join(dir, 'report.html');
out.report = fs.existsSync(report);
if (out.report) {
  const html = fs.readFileSync(report, 'utf8');
  if (/<script\b/i.test(html)) fail('report.html: holds a script');
  const ext = html.match(/\b(?:src|srcset)\s*=\s*["']?\s*(?:https?:)?\/\/[^"'\s>]*|<link\b[^>]*href\s*=\s*["']?(?:https?:)?\/\/[^"'\s>]*|url\(\s*["']?(?:https?:)?\/\/[^)]*|@import/gi);
  if (ext) fail(`report.html: loads from outside the page: ${ext.slice(0, 3).join(' ')}`);
  out.report_bytes = html.length;
}
out.failures = failures;
console.log(JSON.stringify(out));
process.exit(failures.length ? 1 : 0);
