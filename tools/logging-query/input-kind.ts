/**
 * What a check-logs input really is, line by line, so that 0 matches on the wrong kind of input comes with a reason
 * instead of a silent exit 0. `classifyLine` looks at one raw input line (or `classifyValue` at one parsed JSON value);
 * `InputSummary` counts them and says, once, what it saw:
 *   - the app's raw stdout (what `uvicorn` prints: `{"timestamp","severity","message","logger",...}` JSON lines, or
 *     DevelopmentFormatter text) instead of Cloud Logging LogEntry objects;
 *   - LogEntry objects whose API log lines are in another environment's format (the API logs JSON only in staging,
 *     ANSI text in dev and prod: docs/reference/vividly-app.md §2.1, tools/shared/log-entries.ts APP_LOG_FORMAT);
 *   - entries of another environment's project.
 */
import { stripBom } from '../../gcp/text';
import { APP_LOG_FORMAT, PROJECT_IDS } from '../shared/log-entries';
import type { EnvironmentName } from '../../environments/schema';

export type LineKind =
  /** A Cloud Logging LogEntry (logName, resource, a payload...). */
  | 'log-entry'
  /** A JSON line as the app's StructuredFormatter prints it to stdout (not yet a LogEntry). */
  | 'app-json'
  /** A DevelopmentFormatter text line (`[INFO] 2025-11-12 15:00:50 - app.main - ...`), with or without ANSI colours. */
  | 'app-text'
  /** JSON, but neither of the above. */
  | 'other-json'
  /** Not JSON and not the app's text format. */
  | 'not-json'
  | 'blank';

export interface LineClass {
  kind: LineKind;
  /** For a LogEntry of the API's container stdout: the form of the app's own line. */
  appFormat?: 'json' | 'text';
  /** For a LogEntry: the project of its logName. */
  project?: string;
}

const ANSI = /\u001b\[[0-9;]*m/g;
/** DevelopmentFormatter: `[LEVEL] YYYY-MM-DD HH:MM:SS - logger - message (module:function:line)`. */
const DEV_FORMAT = /^\[(DEBUG|INFO|WARNING|ERROR|CRITICAL)\] \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(,\d+)? - [\w.]+ - /;
const LOG_ENTRY_KEYS = ['logName', 'jsonPayload', 'textPayload', 'protoPayload', 'insertId', 'receiveTimestamp'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One parsed JSON value of the input. */
export function classifyValue(v: unknown): LineClass {
  if (!isObject(v)) return { kind: 'other-json' };
  if (LOG_ENTRY_KEYS.some((k) => k in v)) {
    const logName = typeof v.logName === 'string' ? v.logName : '';
    const project = /^projects\/([^/]+)\/logs\//.exec(logName)?.[1];
    const out: LineClass = { kind: 'log-entry', ...(project ? { project } : {}) };
    if (/run\.googleapis\.com%2Fstdout$/.test(logName)) {
      if (isObject(v.jsonPayload) && typeof v.jsonPayload.logger === 'string') out.appFormat = 'json';
      else if (typeof v.textPayload === 'string' && DEV_FORMAT.test(v.textPayload.replace(ANSI, ''))) out.appFormat = 'text';
    }
    return out;
  }
  if (typeof v.message === 'string' && (typeof v.logger === 'string' || typeof v.levelname === 'string' || typeof v.severity === 'string'))
    return { kind: 'app-json' };
  return { kind: 'other-json' };
}

/** One raw input line (JSON-lines input). */
export function classifyLine(line: string): LineClass {
  const text = stripBom(line).trim();
  if (!text) return { kind: 'blank' };
  if (text.startsWith('{') || text.startsWith('[')) {
    try {
      return classifyValue(JSON.parse(text));
    } catch {
      /* not JSON: fall through */
    }
  }
  return DEV_FORMAT.test(text.replace(ANSI, '')) ? { kind: 'app-text' } : { kind: 'not-json' };
}

const ENVS = Object.keys(APP_LOG_FORMAT) as EnvironmentName[];
const list = (xs: string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`);

/** Counts the classified lines of an input and says what was seen when it cannot be what `env`'s metrics read. */
export class InputSummary {
  readonly counts: Record<LineKind, number> = { 'log-entry': 0, 'app-json': 0, 'app-text': 0, 'other-json': 0, 'not-json': 0, blank: 0 };
  readonly appFormats: Record<'json' | 'text', number> = { json: 0, text: 0 };
  readonly projects = new Map<string, number>();

  constructor(readonly env: EnvironmentName) {}

  add(c: LineClass): void {
    this.counts[c.kind]++;
    if (c.appFormat) this.appFormats[c.appFormat]++;
    if (c.project) this.projects.set(c.project, (this.projects.get(c.project) ?? 0) + 1);
  }

  /** A whole input file: a JSON array (`gcloud logging read --format=json`) or JSON lines. */
  addText(text: string): void {
    const body = stripBom(text);
    if (body.trimStart().startsWith('[')) {
      try {
        const values = JSON.parse(body) as unknown;
        if (Array.isArray(values)) {
          for (const v of values) this.add(classifyValue(v));
          return;
        }
      } catch {
        /* reported as malformed by the reader; classify line by line */
      }
    }
    for (const line of body.split(/\r?\n/)) this.add(classifyLine(line));
  }

  /** True when nothing read is a LogEntry: no metric can match, and the input is the wrong kind. */
  get noLogEntries(): boolean {
    return this.counts['log-entry'] === 0;
  }

  /** One sentence per problem seen (empty when the input looks like `env`'s LogEntry JSON). */
  notes(): string[] {
    const c = this.counts;
    const notes: string[] = [];
    const lines = (n: number) => `${n} line${n === 1 ? '' : 's'}`;
    if (c['app-json']) {
      notes.push(
        `${lines(c['app-json'])} are not LogEntry JSON: they are the app's raw stdout JSON (timestamp, severity, message, logger), which Cloud Logging wraps in a LogEntry (jsonPayload, logName, resource); read real entries with \`gcloud logging read --format=json\``,
      );
    }
    if (c['app-text']) {
      notes.push(
        `${lines(c['app-text'])} are not LogEntry JSON: they are the app's raw text output ([LEVEL] date - logger - message), which Cloud Logging stores as a LogEntry's textPayload; read real entries with \`gcloud logging read --format=json\``,
      );
    }
    if (c['not-json'] && !c['log-entry'])
      notes.push(`${lines(c['not-json'])} are not JSON at all: check-logs reads LogEntry objects, one JSON object per line or a JSON array`);
    if (c['other-json'] && !c['log-entry'] && !c['app-json'])
      notes.push(`${lines(c['other-json'])} are JSON but not LogEntry objects (no logName, resource or payload)`);
    const expected = APP_LOG_FORMAT[this.env];
    const other = expected === 'json' ? 'text' : 'json';
    if (this.appFormats[other] && !this.appFormats[expected]) {
      const writers = ENVS.filter((e) => APP_LOG_FORMAT[e] === other);
      notes.push(
        // Not "cannot match": every environment's filters read both forms (the app's format is not the docs' promise).
        `the API's log lines here are ${other === 'json' ? 'JSON (jsonPayload)' : 'text (textPayload)'}, as ${list(writers)} ${writers.length === 1 ? 'writes' : 'write'} them; ${this.env} logs ${expected}${expected === 'json' ? ' (jsonPayload)' : ' (textPayload)'}: these are likely another environment's logs (try --env ${writers[0]})`,
      );
    }
    const own = PROJECT_IDS[this.env];
    const foreign = [...this.projects].filter(([p]) => p !== own);
    if (foreign.length && !this.projects.has(own)) {
      const owners = foreign.map(([p, n]) => {
        const env = ENVS.find((e) => PROJECT_IDS[e] === p);
        return `${p}${env ? ` (${env}'s)` : ''}: ${n}`;
      });
      notes.push(`the entries come from project ${owners.join(', ')}, not ${own} (${this.env}'s)`);
    }
    return notes;
  }
}
