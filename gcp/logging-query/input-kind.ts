/**
 * What a log input really is, line by line: a Cloud Logging LogEntry, or the app's raw output (what `uvicorn` prints:
 * `{"timestamp","severity","message","logger",...}` JSON lines, or DevelopmentFormatter text) that Cloud Logging has
 * not yet wrapped in a LogEntry. `classifyLine` looks at one raw input line, `classifyValue` at one parsed JSON value.
 * The one detection of both readers of log files: check-logs (tools/logging-query/input-kind.ts counts the kinds and
 * adds what depends on the environment) and the simulator's scenario `logs` (gcp/simulate/scenario.ts refuses them).
 */
import { stripBom } from '../text';

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
  /** For a LogEntry: its resource's `service_name` label (a Cloud Run service). */
  service?: string;
}

/**
 * What the app's raw output is and how to get LogEntries instead, for the two kinds that are not LogEntries but look
 * like logs: "<n lines> are not LogEntry JSON: they are …" in check-logs, "not a LogEntry: this is …" in a scenario.
 */
export const RAW_APP_OUTPUT: Readonly<Record<'app-json' | 'app-text', string>> = {
  'app-json':
    "the app's raw stdout JSON (timestamp, severity, message, logger), which Cloud Logging wraps in a LogEntry (jsonPayload, logName, resource); read real entries with `gcloud logging read --format=json`",
  'app-text':
    "the app's raw text output ([LEVEL] date - logger - message), which Cloud Logging stores as a LogEntry's textPayload; read real entries with `gcloud logging read --format=json`",
};

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
    const service = isObject(v.resource) && isObject(v.resource.labels) ? v.resource.labels.service_name : undefined;
    const out: LineClass = { kind: 'log-entry', ...(project ? { project } : {}), ...(typeof service === 'string' ? { service } : {}) };
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
