/**
 * `check-logs`: runs the log-based metrics of one environment's synth over Cloud Logging LogEntry JSON lines and
 * reports, per metric, how many entries matched, the label values and the values extracted, and how many entries
 * matched no metric.
 *
 *   check-logs --env <env> [--synth-dir DIR] [--json] FILE.jsonl...   (FILE `-` = stdin)
 *
 * Inputs are streamed (one line, or one element of a JSON array, at a time): memory stays flat for exports of
 * gigabytes (`npm run bench -- --big` measures a 1 GB one).
 * Exit codes: 0 ok; 1 a metric in the synth cannot be evaluated (invalid filter/extractor); 2 usage or input error
 * (unknown env, missing synth, missing file, no entry read) — and 2 when any line was malformed: malformed lines are
 * skipped and counted, the first MALFORMED_SHOWN are printed on stderr with their line numbers, the report covers
 * the rest, and the exit code still says the input was not clean (a CI job must not go green on a half-read file).
 */
import { existsSync, statSync, createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { compileLogMetric, type CompiledLogMetric } from '../../gcp/logging-query/metric';
import { loadLogMetrics } from '../../gcp/logging-query/synth';
import type { LogEntry } from '../../gcp/logging-query/types';
import { stripBom } from '../../gcp/text';
import { ENVIRONMENT_NAMES } from '../../environments/schema';
import { DEFAULT_SYNTH_DIR, stackFile } from '../../stacks/synth-output';
import { classifyLine, classifyValue, type LineClass } from '../../gcp/logging-query/input-kind';
import { InputSummary } from './input-kind';
import { InputError, readTfJson } from '../shared/synth-dir';
import { parseCommandLine, unknownEnvironment, usageError } from '../shared/usage';
import { statusLine } from '../shared/status-line';
import type { EnvironmentName } from '../../environments/schema';

export const KNOWN_ENVS = ENVIRONMENT_NAMES;

const USAGE = `usage: vividly-monitoring check-logs --env <${KNOWN_ENVS.join('|')}> [--synth-dir DIR] [--json] FILE.jsonl...

Reads Cloud Logging LogEntry objects (one JSON object per line, or a JSON array as printed by
\`gcloud logging read --format=json\`; FILE - reads stdin), streamed with flat memory, and runs the log-based metrics of <DIR>/stacks/<env>/cdk.tf.json over them.

  --env ENV        environment whose synth to use (${KNOWN_ENVS.join(', ')})
  --synth-dir DIR  synth output directory (default: cdktf.out)
  --json           print one JSON object:
                   {"env", "entries", "metrics": {NAME: {"matched", "labels": {LABEL: {VALUE: N}}, "values": [...]}}, "unmatched"}

Label values and values are counted for the points a metric would record (a DISTRIBUTION entry whose value cannot
be extracted is matched but not recorded). Malformed lines are skipped and counted (the first 5 shown with
their line numbers). Exit: 0 ok, 1 a metric cannot be evaluated, 2 usage/input error or malformed lines.`;

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Read for the input `-` (default process.stdin). */
  stdin?: NodeJS.ReadableStream;
  /** Where the progress line goes when it is a terminal (default process.stderr). */
  status?: NodeJS.WriteStream;
}

const defaultIO: CliIO = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  status: process.stderr,
};

/** Entries between two looks at the clock for the progress line. */
const PROGRESS_EVERY = 1024;

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

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

/** Parses one input text into entries; malformed records are reported through `warn` and skipped. (Small inputs and
 * tests; the CLI streams with `streamEntries`.) */
export function readEntries(file: string, text: string, warn: (msg: string) => void): LogEntry[] {
  const out: LogEntry[] = [];
  const sink = entrySink(file, (e) => out.push(e), warn);
  const body = stripBom(text);
  if (body.trimStart().startsWith('[')) {
    const scanner = new JsonArrayScanner(sink.element, (m) => warn(`${file}: ${m}`));
    scanner.push(body);
    scanner.end();
    return out;
  }
  body.split(/\r?\n/).forEach((line, i) => sink.line(line, i + 1));
  return out;
}

/** Turns JSON-lines lines and JSON-array elements into entries or malformed-record reports. */
function entrySink(file: string, onEntry: (e: LogEntry) => void, warn: (msg: string) => void, onClass: (c: LineClass) => void = () => undefined) {
  const accept = (v: unknown, where: string) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) onEntry(v as LogEntry);
    else warn(`${where}: not a JSON object (got ${describe(v)}); skipped`);
  };
  return {
    line(line: string, lineNo: number): void {
      if (!line.trim()) return;
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch (err) {
        onClass(classifyLine(line));
        warn(`${file}:${lineNo}: invalid JSON (${(err as Error).message}); line skipped`);
        return;
      }
      onClass(classifyValue(v));
      accept(v, `${file}:${lineNo}`);
    },
    element(text: string, index: number): void {
      let v: unknown;
      try {
        v = JSON.parse(text);
      } catch (err) {
        warn(`${file}[${index}]: invalid JSON (${(err as Error).message}); element skipped`);
        return;
      }
      onClass(classifyValue(v));
      accept(v, `${file}[${index}]`);
    },
  };
}

/**
 * Splits a top-level JSON array (`gcloud logging read --format=json`, pretty-printed over many lines) into its
 * elements without holding the whole text: only the element being read is buffered. Structure outside elements
 * (a missing `]`, text after it) is reported once through `fail`.
 */
export class JsonArrayScanner {
  private state: 'before' | 'between' | 'element' | 'after' | 'failed' = 'before';
  private depth = 0;
  private inString = false;
  private escape = false;
  private parts: string[] = [];
  private index = 0;
  private expectElement = true;

  constructor(
    private readonly onElement: (text: string, index: number) => void,
    private readonly fail: (msg: string) => void,
  ) {}

  push(chunk: string): void {
    let from = 0;
    for (let i = 0; i < chunk.length && this.state !== 'failed'; i++) {
      const c = chunk.charCodeAt(i);
      if (this.state === 'element') {
        if (this.inString) {
          if (this.escape) this.escape = false;
          else if (c === 92 /* \\ */) this.escape = true;
          else if (c === 34 /* " */) this.inString = false;
          continue;
        }
        if (c === 34) this.inString = true;
        else if (c === 123 || c === 91) this.depth++;
        else if (c === 125 || c === 93) {
          if (this.depth > 0) {
            this.depth--;
            continue;
          }
          // `]` closing the top-level array ends the element
          this.parts.push(chunk.slice(from, i));
          this.emit();
          this.state = 'after';
        } else if (c === 44 /* , */ && this.depth === 0) {
          this.parts.push(chunk.slice(from, i));
          this.emit();
          this.state = 'between';
          this.expectElement = true;
        }
        continue;
      }
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) continue;
      if (this.state === 'before') {
        if (c === 91) {
          this.state = 'between';
          this.expectElement = true;
          continue;
        }
        this.failWith('does not start with [');
      } else if (this.state === 'between') {
        if (c === 93) {
          this.state = 'after';
          continue;
        }
        if (c === 44 && !this.expectElement) {
          this.expectElement = true;
          continue;
        }
        // An element starts here: read this character again as its first one.
        this.state = 'element';
        this.expectElement = false;
        this.depth = 0;
        this.inString = false;
        this.escape = false;
        from = i;
        i--;
      } else if (this.state === 'after') {
        this.failWith('text after the closing ] of the array');
      }
    }
    if (this.state === 'element') this.parts.push(chunk.slice(from));
  }

  private emit(): void {
    this.onElement(this.parts.join(''), this.index++);
    this.parts = [];
  }

  private failWith(msg: string): void {
    this.fail(`invalid JSON array (${msg} after ${this.index} element(s)); rest of the file skipped`);
    this.state = 'failed';
  }

  end(): void {
    if (this.state === 'element' || this.state === 'between' || this.state === 'before') {
      if (this.state === 'before') this.failWith('empty');
      else this.failWith('no closing ]');
    }
  }
}

/** Counts entries into a report one at a time (memory: label values and extracted values, never the entries). */
export class ReportBuilder {
  readonly report: CheckLogsReport;

  constructor(
    env: string,
    private readonly metrics: CompiledLogMetric[],
  ) {
    this.report = { env, entries: 0, metrics: {}, unmatched: 0 };
    for (const m of metrics) this.report.metrics[m.metric.name] = { matched: 0, labels: Object.fromEntries(m.labels.map((l) => [l.key, {}])), values: [] };
  }

  add(entry: LogEntry): void {
    this.report.entries++;
    let any = false;
    for (const m of this.metrics) {
      const r = m.evaluate(entry);
      if (!r.matched) continue;
      any = true;
      const rep = this.report.metrics[m.metric.name];
      rep.matched++;
      if (r.valueDropped) continue; // not recorded: no point, so no label values either
      for (const [key, value] of Object.entries(r.labels)) {
        const counts = rep.labels[key];
        counts[String(value)] = (counts[String(value)] ?? 0) + 1;
      }
      if (r.value !== undefined) rep.values.push(r.value);
    }
    if (!any) this.report.unmatched++;
  }
}

/** Runs the compiled metrics over the entries. */
export function checkLogs(env: string, metrics: CompiledLogMetric[], entries: Iterable<LogEntry>): CheckLogsReport {
  const b = new ReportBuilder(env, metrics);
  for (const entry of entries) b.add(entry);
  return b.report;
}

/**
 * Reads one input (a file, or `-` for stdin) as a stream: JSON lines through readline, or a JSON array through
 * JsonArrayScanner, chosen by the first non-blank character. Memory stays flat whatever the input size: one line or
 * one array element at a time.
 */
export async function streamEntries(
  file: string,
  input: NodeJS.ReadableStream,
  onEntry: (e: LogEntry) => void,
  warn: (msg: string) => void,
  onClass?: (c: LineClass) => void,
): Promise<void> {
  const sink = entrySink(file, onEntry, warn, onClass);
  const stream = input as Readable;
  stream.setEncoding('utf8');
  const it = stream[Symbol.asyncIterator]();
  // Peek at the first non-blank character, then hand the whole stream (peeked text included) to the right reader.
  const pending: string[] = [];
  let kind: 'array' | 'lines' | undefined;
  for (;;) {
    const { value, done } = await it.next();
    if (done) break;
    pending.push(value as string);
    const m = /[^\s\uFEFF]/.exec(value as string);
    if (m) {
      kind = m[0] === '[' ? 'array' : 'lines';
      break;
    }
  }
  if (kind === undefined) return; // empty or blank input
  const rest = Readable.from(
    (async function* () {
      yield* pending;
      for (;;) {
        const { value, done } = await it.next();
        if (done) return;
        yield value as string;
      }
    })(),
    { objectMode: false, encoding: 'utf8' },
  );
  if (kind === 'array') {
    const scanner = new JsonArrayScanner(sink.element, (m) => warn(`${file}: ${m}`));
    for await (const chunk of rest) scanner.push(String(chunk));
    scanner.end();
    return;
  }
  const rl = createInterface({ input: rest, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of rl) {
    lineNo++;
    // A UTF-8 byte-order mark (editors on Windows write one) is not part of the first line's JSON.
    sink.line(lineNo === 1 ? stripBom(line) : line, lineNo);
  }
}

const megabytes = (bytes: number) => Math.round(bytes / 1e6).toLocaleString('en-US');

/** How many malformed records are shown one by one; the rest are only counted. */
export const MALFORMED_SHOWN = 5;

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
        const parts = Object.entries(counts)
          .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
          .map(([v, n]) => `${v === '' ? '""' : v}=${n}`);
        return `${k}: ${parts.length ? parts.join(', ') : '-'}`;
      })
      .join('; ');
    let values = '-';
    if (m.valueExtractor) {
      const v = r.values;
      const dropped = r.matched - v.length;
      // A loop, not Math.min(...v): spreading a million values overflows the call stack.
      let min = Infinity;
      let max = -Infinity;
      let sum = 0;
      for (const x of v) {
        if (x < min) min = x;
        if (x > max) max = x;
        sum += x;
      }
      values = v.length ? `n=${v.length} min=${fmtNumber(min)} mean=${fmtNumber(sum / v.length)} max=${fmtNumber(max)}` : 'n=0';
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
  if (!existsSync(file)) throw new InputError(`${file}: no synth for env "${env}" (run \`npm run synth\` first, or pass --synth-dir)`);
  let metrics;
  try {
    metrics = loadLogMetrics(readTfJson(file));
  } catch (err) {
    // Not JSON, or a malformed resource (tools/shared/synth-dir.ts), or a metric the loader refuses: exit 2.
    throw err instanceof InputError ? err : new InputError(`${file}: ${(err as Error).message}`);
  }
  const seen = new Set<string>();
  for (const m of metrics) {
    if (seen.has(m.name)) throw new InputError(`${file}: two google_logging_metric resources have the name "${m.name}"`);
    seen.add(m.name);
  }
  for (const m of metrics.filter((x) => x.disabled)) note(`${m.name}: disabled (emits no points); skipped`);
  return metrics.filter((m) => !m.disabled).map((m) => compileLogMetric(m));
}

export async function run(argv: string[], io: CliIO = defaultIO): Promise<number> {
  const err = (msg: string) => io.stderr(`check-logs: ${msg}\n`);
  const lines = { out: (line: string) => io.stdout(`${line}\n`), err: (line: string) => io.stderr(`${line}\n`) };
  const parsed = parseCommandLine(
    'check-logs',
    USAGE,
    {
      args: argv,
      options: { env: { type: 'string' }, 'synth-dir': { type: 'string', default: DEFAULT_SYNTH_DIR }, json: { type: 'boolean', default: false } },
      allowPositionals: true,
    },
    lines,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals: files } = parsed;
  const env = values.env;
  if (!env) return usageError('check-logs', USAGE, 'option --env: required', lines);
  const unknown = unknownEnvironment([env]);
  if (unknown) return usageError('check-logs', USAGE, unknown, lines);
  if (files.length === 0) return usageError('check-logs', USAGE, 'no input files: give one or more LogEntry JSON-lines files', lines);
  for (const f of files) {
    if (f === '-') continue;
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
    return e instanceof InputError ? 2 : 1;
  }

  const builder = new ReportBuilder(env, compiled);
  let malformed = 0;
  const shown: string[] = [];
  const warn = (m: string) => {
    malformed++;
    if (shown.length < MALFORMED_SHOWN) shown.push(m);
  };
  // What the input is, line by line: a note when it is not what this environment's metrics read.
  const seen = new InputSummary(env as EnvironmentName);
  // A gigabyte of entries takes half a minute: on a terminal, how far each input is.
  const status = io.status && statusLine(io.status);
  for (const f of files) {
    const name = f === '-' ? '<stdin>' : f;
    const input = f === '-' ? (io.stdin ?? process.stdin) : createReadStream(f, { highWaterMark: 1 << 20 });
    const totalMb = f === '-' ? undefined : megabytes(statSync(f).size);
    let read = 0;
    // Entries typed on the terminal itself: a redrawn line would wipe what is being typed.
    const typed = f === '-' && (input as { isTTY?: boolean }).isTTY === true;
    const show = () => {
      const bytes = (input as { bytesRead?: number }).bytesRead;
      const where = totalMb !== undefined && bytes !== undefined ? `${megabytes(bytes)} of ${totalMb} MB, ` : '';
      status!.update(`check-logs: ${name}: ${where}${read.toLocaleString('en-US')} entries`);
    };
    try {
      await streamEntries(
        name,
        input,
        (e) => {
          builder.add(e);
          if (status && !typed && ++read % PROGRESS_EVERY === 0) show();
        },
        warn,
        (c) => seen.add(c),
      );
    } catch (e) {
      status?.clear();
      err(`${f}: cannot read: ${(e as Error).message}`);
      return 2;
    }
  }
  status?.clear();
  const report = builder.report;
  // The first few malformed records with their line numbers, then one count: a broken export of a million lines
  // must not print a million stderr lines.
  const reportMalformed = () => {
    for (const m of shown) err(m);
    if (malformed > shown.length) err(`… and ${malformed - shown.length} more malformed line(s) not shown`);
  };
  for (const note of seen.notes()) err(`note: ${note}`);
  if (report.entries === 0 || seen.noLogEntries) {
    reportMalformed();
    err(
      `${files.join(', ')}: no log entry read${malformed ? ` (${malformed} malformed line(s))` : report.entries ? ' (see the notes above)' : ' (empty input)'}`,
    );
    return 2;
  }

  io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatTable(report, compiled));
  if (malformed) {
    reportMalformed();
    err(`${malformed} malformed line(s) skipped; the report covers the ${report.entries} entries read`);
    return 2;
  }
  return 0;
}
