/**
 * `check-logs`: runs the log-based metrics of one environment's synth over Cloud Logging LogEntry JSON lines and
 * reports, per metric, how many entries matched, the label values and the values extracted, and how many entries
 * matched no metric.
 *
 *   check-logs --env <env> [--synth-dir DIR] [--json] FILE.jsonl...
 *
 * Exit codes: 0 ok; 1 a metric in the synth cannot be evaluated (invalid filter/extractor); 2 usage or input error
 * (unknown env, missing synth, missing file, no entry read) — and 2 when any line was malformed: such a line is
 * reported on stderr with its line number and skipped, the report covers the rest, and the exit code still says
 * the input was not clean (a CI job must not go green on a half-read file).
 */
import { readFileSync, existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { compileLogMetric, type CompiledLogMetric } from './metric';
import { loadLogMetrics } from './synth';
import type { LogEntry } from './types';
import { ENVIRONMENT_NAMES } from '../../environments/schema';
import { DEFAULT_SYNTH_DIR, stackFile } from '../synth-output';
import { InputSummary } from './input-kind';
import type { EnvironmentName } from '../../environments/schema';

export const KNOWN_ENVS = ENVIRONMENT_NAMES;

const USAGE = `usage: vividly-monitoring check-logs --env <${KNOWN_ENVS.join('|')}> [--synth-dir DIR] [--json] FILE.jsonl...

Reads Cloud Logging LogEntry objects (one JSON object per line, or a JSON array as printed by
\`gcloud logging read --format=json\`) and runs the log-based metrics of <DIR>/stacks/<env>/cdk.tf.json over them.

  --env ENV        environment whose synth to use (${KNOWN_ENVS.join(', ')})
  --synth-dir DIR  synth output directory (default: cdktf.out)
  --json           print one JSON object:
                   {"env", "entries", "metrics": {NAME: {"matched", "labels": {LABEL: {VALUE: N}}, "values": [...]}}, "unmatched"}

Label values and values are counted for the points a metric would record (a DISTRIBUTION entry whose value cannot
be extracted is matched but not recorded). Exit: 0 ok, 1 a metric cannot be evaluated, 2 usage/input error.`;

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const defaultIO: CliIO = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

export interface MetricReport {
  matched: number;
  labels: Record<string, Record<string, number>>;
  values: number[];
}

export interface CheckLogsReport {
  env: string;
  entries: number;
  metrics: Record<string, MetricReport>;
  unmatched: number;
}

class UsageError extends Error {}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

/** Parses one input file into entries; malformed records are reported through `warn` and skipped. */
export function readEntries(file: string, text: string, warn: (msg: string) => void): LogEntry[] {
  const out: LogEntry[] = [];
  const accept = (v: unknown, where: string) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) out.push(v as LogEntry);
    else warn(`${where}: not a JSON object (got ${describe(v)}); skipped`);
  };
  if (text.replace(/^\uFEFF/, '').trimStart().startsWith('[')) {
    text = text.replace(/^\uFEFF/, '');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      warn(`${file}: invalid JSON array (${(err as Error).message}); file skipped`);
      return out;
    }
    (parsed as unknown[]).forEach((v, i) => accept(v, `${file}[${i}]`));
    return out;
  }
  // A UTF-8 byte-order mark (editors on Windows write one) is not part of the first line's JSON.
  text = text.replace(/^\uFEFF/, '');
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (err) {
      warn(`${file}:${i + 1}: invalid JSON (${(err as Error).message}); line skipped`);
      return;
    }
    accept(v, `${file}:${i + 1}`);
  });
  return out;
}

/** Runs the compiled metrics over the entries. */
export function checkLogs(env: string, metrics: CompiledLogMetric[], entries: LogEntry[]): CheckLogsReport {
  const report: CheckLogsReport = { env, entries: entries.length, metrics: {}, unmatched: 0 };
  for (const m of metrics) report.metrics[m.metric.name] = { matched: 0, labels: Object.fromEntries(m.labels.map((l) => [l.key, {}])), values: [] };
  for (const entry of entries) {
    let any = false;
    for (const m of metrics) {
      const r = m.evaluate(entry);
      if (!r.matched) continue;
      any = true;
      const rep = report.metrics[m.metric.name];
      rep.matched++;
      if (r.valueDropped) continue; // not recorded: no point, so no label values either
      for (const [key, value] of Object.entries(r.labels)) {
        const counts = rep.labels[key];
        counts[String(value)] = (counts[String(value)] ?? 0) + 1;
      }
      if (r.value !== undefined) rep.values.push(r.value);
    }
    if (!any) report.unmatched++;
  }
  return report;
}

function fmtNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(4)));
}

/** Human output: one aligned row per metric. */
export function formatTable(report: CheckLogsReport, compiled: CompiledLogMetric[]): string {
  const rows: string[][] = [['METRIC', 'MATCHED', 'LABELS', 'VALUES']];
  for (const m of compiled) {
    const r = report.metrics[m.metric.name];
    const labels = Object.entries(r.labels)
      .map(([k, counts]) => {
        const parts = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([v, n]) => `${v === '' ? '""' : v}=${n}`);
        return `${k}: ${parts.length ? parts.join(', ') : '-'}`;
      })
      .join('; ');
    let values = '-';
    if (m.valueExtractor) {
      const v = r.values;
      const dropped = r.matched - v.length;
      values = v.length
        ? `n=${v.length} min=${fmtNumber(Math.min(...v))} mean=${fmtNumber(v.reduce((a, b) => a + b, 0) / v.length)} max=${fmtNumber(Math.max(...v))}`
        : 'n=0';
      if (dropped > 0) values += ` (${dropped} dropped: not a number)`;
    }
    rows.push([m.metric.name, String(r.matched), labels || '-', values]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const lines = rows.map((row) =>
    row
      .map((cell, c) => (c === 1 ? cell.padStart(widths[c]) : c === row.length - 1 ? cell : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd(),
  );
  return [
    `env ${report.env}: ${report.entries} entries, ${compiled.length} log-based metrics`,
    '',
    ...lines,
    '',
    `entries matching no metric: ${report.unmatched}`,
    '',
  ].join('\n');
}

function loadSynth(synthDir: string, env: string, note: (msg: string) => void): CompiledLogMetric[] {
  const file = stackFile(synthDir, env);
  if (!existsSync(file)) throw new UsageError(`${file}: no synth for env "${env}" (run \`npm run synth\` first, or pass --synth-dir)`);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`${file}: invalid JSON (${(err as Error).message})`);
  }
  let metrics;
  try {
    metrics = loadLogMetrics(doc as object);
  } catch (err) {
    throw new UsageError(`${file}: ${(err as Error).message}`);
  }
  const seen = new Set<string>();
  for (const m of metrics) {
    if (seen.has(m.name)) throw new UsageError(`${file}: two google_logging_metric resources have the name "${m.name}"`);
    seen.add(m.name);
  }
  for (const m of metrics.filter((x) => x.disabled)) note(`${m.name}: disabled (emits no points); skipped`);
  return metrics.filter((m) => !m.disabled).map((m) => compileLogMetric(m));
}

export async function run(argv: string[], io: CliIO = defaultIO): Promise<number> {
  const err = (msg: string) => io.stderr(`check-logs: ${msg}\n`);
  let values: { env?: string; 'synth-dir'?: string; json?: boolean; help?: boolean };
  let files: string[];
  try {
    const parsed = parseArgs({
      args: argv,
      options: {
        env: { type: 'string' },
        'synth-dir': { type: 'string', default: DEFAULT_SYNTH_DIR },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
    values = parsed.values;
    files = parsed.positionals;
  } catch (e) {
    err(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const env = values.env;
  if (!env) {
    err(`--env is required (one of ${KNOWN_ENVS.join(', ')})`);
    return 2;
  }
  if (!(KNOWN_ENVS as readonly string[]).includes(env)) {
    err(`--env: unknown environment "${env}" (expected one of ${KNOWN_ENVS.join(', ')})`);
    return 2;
  }
  if (files.length === 0) {
    err(`no input files: give one or more LogEntry JSON-lines files\n${USAGE}`);
    return 2;
  }
  for (const f of files) {
    if (!existsSync(f)) {
      err(`${f}: input file not found`);
      return 2;
    }
    if (!statSync(f).isFile()) {
      err(`${f}: not a regular file`);
      return 2;
    }
  }

  let compiled: CompiledLogMetric[];
  try {
    compiled = loadSynth(values['synth-dir'] ?? DEFAULT_SYNTH_DIR, env, err);
  } catch (e) {
    err((e as Error).message);
    return e instanceof UsageError ? 2 : 1;
  }

  const entries: LogEntry[] = [];
  let malformed = 0;
  const seen = new InputSummary(env as EnvironmentName);
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    seen.addText(text);
    entries.push(
      ...readEntries(f, text, (m) => {
        malformed++;
        err(m);
      }),
    );
  }
  for (const note of seen.notes()) err(`note: ${note}`);
  if (entries.length === 0 || seen.noLogEntries) {
    err(`${files.join(', ')}: no log entry read${malformed ? ` (${malformed} malformed line(s))` : entries.length ? ' (see the notes above)' : ' (empty input)'}`);
    return 2;
  }

  const report = checkLogs(env, compiled, entries);
  io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatTable(report, compiled));
  if (malformed) {
    err(`check-logs: ${malformed} malformed line(s) skipped; the report covers the ${entries.length} entries read`);
    return 2;
  }
  return 0;
}
