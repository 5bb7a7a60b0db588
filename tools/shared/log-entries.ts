/**
 * Builders of Cloud Logging `LogEntry` objects in the exact formats the Vividly app and Cloud Run produce: used by the
 * fire drills (tools/drill), the cost estimate (tools/cost) and, re-exported by `__tests__/support/log-entries.ts`, by the tests of log-based metric
 * filters. Sources (docs/reference/vividly-app.md):
 *
 * - §2.2 / §2.8 and `__tests__/fixtures/vividly-api-logentries.jsonl`: API JSON lines (`StructuredFormatter`) on
 *   `run.googleapis.com%2Fstdout`, severity promoted out of `jsonPayload`;
 * - §2.1 / §2.3: `DevelopmentFormatter` text lines with ANSI colours (dev, and prod as deployed by Terraform), `print()`
 *   lines of the login path; all `textPayload` with no severity (DEFAULT);
 * - §2.1 / §2.5: push-worker `logging.basicConfig` lines on stderr (`run.googleapis.com%2Fstderr`);
 * - §2.4 / §7: Cloud Run request logs (`run.googleapis.com%2Frequests`) with `httpRequest`.
 *
 * Every builder returns a fresh object; `insertId`s are deterministic (a counter), so tests are reproducible.
 * Hosts, revision names and instance ids are invented unless noted (see vividly-app.md §8 "Invented details").
 */
import type { EnvironmentName } from '../../environments/schema';
import type { LogEntry } from '../../gcp/logging-query/types';

export type Env = EnvironmentName;

/**
 * Which form the API's own log lines take in each environment (vividly-app.md §2.1): JSON only where ENVIRONMENT
 * is exactly `staging` or `production`; live dev runs `ENVIRONMENT=dev` and the Terraform-deployed prod
 * `ENVIRONMENT=prod`, so both print DevelopmentFormatter text with ANSI colours (`textPayload`, severity DEFAULT).
 * Cloud Run's request log (`run.googleapis.com%2Frequests`) is the same in every environment (§2.4, §2.6).
 */
export const APP_LOG_FORMAT: Readonly<Record<EnvironmentName, 'json' | 'text'>> = { dev: 'text', staging: 'json', prod: 'text' };

/** Project per environment (vividly-app.md §1.1; staging and prod are the app's placeholders). */
export const PROJECT_IDS: Readonly<Record<Env, string>> = { dev: 'vividly-dev-rich', staging: 'vividly-staging', prod: 'vividly-prod' };

/** Cloud Run service names follow the Terraform convention actually deployed (vividly-app.md §0.5, §1.2). */
export const apiService = (env: Env): string => `${env}-vividly-api`;
export const pushWorkerService = (env: Env): string => `${env}-vividly-push-worker`;

/** `DevelopmentFormatter.COLORS` in backend/app/core/logging.py (rich1edwards/vividly-mvp); unknown levels use RESET. */
export const ANSI_COLOURS: Readonly<Record<string, string>> = {
  DEBUG: '\u001b[36m',
  INFO: '\u001b[32m',
  WARNING: '\u001b[33m',
  ERROR: '\u001b[31m',
  CRITICAL: '\u001b[35m',
};
export const ANSI_RESET = '\u001b[0m';

export type PythonLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

/** When no timestamp is given: the fixture's day. */
export const DEFAULT_TIMESTAMP = '2025-11-12T15:00:00.000Z';

/** Run.app host hash per project (dev: documented `rm2v4spyrq`, vividly-app.md §1.7; staging: the fixture's; prod: invented). */
const RUN_APP_HASH: Record<Env, string> = { dev: 'rm2v4spyrq', staging: 'k7q2m9x4ta', prod: 'p3n8w2z6qd' };

/** The default public host of a Cloud Run service, e.g. `dev-vividly-api-rm2v4spyrq-uc.a.run.app`. */
export function runAppHost(env: Env, service: string = apiService(env)): string {
  return `${service}-${RUN_APP_HASH[env]}-uc.a.run.app`;
}

let insertCounter = 0;
function nextInsertId(): string {
  insertCounter += 1;
  return insertCounter.toString(16).padStart(24, '0');
}

const INSTANCE_ID = '0069c7a988a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6';

function toDate(t: Date | string | undefined): Date {
  const d = t === undefined ? new Date(DEFAULT_TIMESTAMP) : t instanceof Date ? t : new Date(t);
  if (Number.isNaN(d.getTime())) throw new Error(`log-entries: invalid timestamp ${String(t)}`);
  return d;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `2025-11-12 15:00:50` (UTC: Cloud Run containers run in UTC). */
function wallClock(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** LogEntry.timestamp as in the fixture: six fractional digits and `Z`, e.g. `2025-11-12T15:02:30.000000Z`. */
function entryTimestamp(d: Date): string {
  return `${d.toISOString().slice(0, 19)}.${pad(d.getUTCMilliseconds(), 3)}000Z`;
}

/** Python `datetime.isoformat()` with tz=UTC: `+00:00`, and no fraction when microseconds are 0 (vividly-app.md §2.2). */
function pythonIsoformat(d: Date): string {
  const ms = d.getUTCMilliseconds();
  return `${d.toISOString().slice(0, 19)}${ms ? `.${pad(ms, 3)}000` : ''}+00:00`;
}

/** receiveTimestamp: 100 ms after the entry, nanosecond precision. */
function receiveTimestamp(d: Date): string {
  const r = new Date(d.getTime() + 100);
  return `${r.toISOString().slice(0, 19)}.${pad(r.getUTCMilliseconds(), 3)}123456Z`;
}

function cloudRunResource(env: Env, service: string, o: BaseOptions = {}): LogEntry['resource'] {
  return {
    labels: {
      configuration_name: service,
      location: o.location ?? 'us-central1',
      project_id: o.projectId ?? PROJECT_IDS[env],
      revision_name: o.revision ?? `${service}-00007-xq2`,
      service_name: service,
    },
    type: 'cloud_run_revision',
  };
}

function logName(env: Env, stream: 'stdout' | 'stderr' | 'requests', projectId: string = PROJECT_IDS[env]): string {
  return `projects/${projectId}/logs/run.googleapis.com%2F${stream}`;
}

export interface BaseOptions {
  /** Date or ISO string; default {@link DEFAULT_TIMESTAMP}. */
  timestamp?: Date | string;
  /** Cloud Run service; default the API service of the env. */
  service?: string;
  /** Project of logName and resource; default {@link PROJECT_IDS} of the env. */
  projectId?: string;
  /** `resource.labels.location`; default `us-central1`. */
  location?: string;
  /** `resource.labels.revision_name`; default `<service>-00007-xq2` (invented). */
  revision?: string;
}

/** A Cloud Run container line (stdout/stderr), keys alphabetical like `gcloud logging read --format=json`. */
function containerEntry(env: Env, stream: 'stdout' | 'stderr', d: Date, service: string, payload: Partial<LogEntry>, o: BaseOptions = {}): LogEntry {
  const entry: LogEntry = {
    insertId: nextInsertId(),
    ...(payload.jsonPayload ? { jsonPayload: payload.jsonPayload } : {}),
    labels: { instanceId: INSTANCE_ID },
    logName: logName(env, stream, o.projectId),
    receiveTimestamp: receiveTimestamp(d),
    resource: cloudRunResource(env, service, o),
    ...(payload.severity !== undefined ? { severity: payload.severity } : {}),
    ...(payload.textPayload !== undefined ? { textPayload: payload.textPayload } : {}),
    timestamp: entryTimestamp(d),
  };
  return entry;
}

export interface AppJsonOptions extends BaseOptions {
  /** Python level name; promoted to LogEntry.severity and removed from jsonPayload (vividly-app.md §2.8). Default INFO. */
  severity?: PythonLevel;
  /** Extra fields appended at top level of the JSON, after the base keys (they may overwrite base keys, §2.2). */
  fields?: Record<string, unknown>;
  /** Logger name (= module path), default `app.main`. */
  logger?: string;
  /** File stem; default the last part of `logger`. */
  module?: string;
  /** Function name; default `<module>` (module-level code). */
  function?: string;
  line?: number;
  /** `request_id` (present only inside the request middleware). */
  requestId?: string;
  /** `correlation_id`; defaults to `requestId`, because the frontend sends no correlation header (§2.2). */
  correlationId?: string;
  /**
   * `settings.ENVIRONMENT`. Default: `staging` for staging, `production` for prod (only these print JSON, §2.1), and
   * `dev` for dev (whose real output is text: use {@link appTextEntry} for realistic dev lines).
   */
  environment?: string;
}

/**
 * An API line printed by `StructuredFormatter` (staging / production), as Cloud Run stores it: `jsonPayload` with keys
 * in the app's order (timestamp, message, logger, module, function, line, environment, service, version, request_id,
 * correlation_id, extras), `severity` promoted.
 */
export function appJsonEntry(env: Env, message: string, options: AppJsonOptions = {}): LogEntry {
  const d = toDate(options.timestamp);
  const logger = options.logger ?? 'app.main';
  const jsonPayload: Record<string, unknown> = {
    timestamp: pythonIsoformat(d),
    message,
    logger,
    module: options.module ?? logger.split('.').pop(),
    function: options.function ?? '<module>',
    line: options.line ?? 1,
    environment: options.environment ?? (env === 'prod' ? 'production' : env),
    service: 'Vividly API',
    version: '1.0.0',
  };
  if (options.requestId) {
    jsonPayload.request_id = options.requestId;
    jsonPayload.correlation_id = options.correlationId ?? options.requestId;
  } else if (options.correlationId) {
    jsonPayload.correlation_id = options.correlationId;
  }
  Object.assign(jsonPayload, options.fields ?? {});
  return containerEntry(env, 'stdout', d, options.service ?? apiService(env), { jsonPayload, severity: options.severity ?? 'INFO' }, options);
}

export interface AppTextOptions extends BaseOptions {
  /** Python level name, default INFO. */
  level?: PythonLevel;
  /** Logger name, default `app.main`. */
  logger?: string;
  /** `(module:function:line)` suffix parts; module defaults to the last part of `logger`. */
  module?: string;
  function?: string;
  line?: number;
  /** Context printed as ` [request_id=…, user_id=…, correlation_id=…]` (this order), only the ones given. */
  requestId?: string;
  userId?: string;
  correlationId?: string;
  /** Keep the ANSI colour codes (default true: the app always prints them, even to Cloud Run). */
  ansi?: boolean;
}

/**
 * A `DevelopmentFormatter` line (dev, and prod deployed by Terraform, vividly-app.md §2.1/§2.3) as Cloud Run stores it:
 * `textPayload` = `ESC[32m[INFO]ESC[0m 2025-11-12 15:00:50 - app.middleware.security - <message> (security:dispatch:180)`,
 * no severity (DEFAULT). The colour per level is the app's `DevelopmentFormatter.COLORS` ({@link ANSI_COLOURS}).
 */
export function appTextEntry(env: Env, message: string, options: AppTextOptions = {}): LogEntry {
  const d = toDate(options.timestamp);
  const level = options.level ?? 'INFO';
  const logger = options.logger ?? 'app.main';
  const ansi = options.ansi ?? true;
  const tag = ansi ? `${ANSI_COLOURS[level] ?? ANSI_RESET}[${level}]${ANSI_RESET}` : `[${level}]`;
  const context = [
    options.requestId && `request_id=${options.requestId}`,
    options.userId && `user_id=${options.userId}`,
    options.correlationId && `correlation_id=${options.correlationId}`,
  ].filter(Boolean);
  const location = `(${options.module ?? logger.split('.').pop()}:${options.function ?? '<module>'}:${options.line ?? 1})`;
  const textPayload = `${tag} ${wallClock(d)} - ${logger} - ${message}${context.length ? ` [${context.join(', ')}]` : ''} ${location}`;
  return containerEntry(env, 'stdout', d, options.service ?? apiService(env), { textPayload }, options);
}

/** Any other plain text line a container prints (uvicorn's access log, for one), unformatted. */
export function containerLine(env: Env, stream: 'stdout' | 'stderr', text: string, options: BaseOptions = {}): LogEntry {
  return containerEntry(env, stream, toDate(options.timestamp), options.service ?? apiService(env), { textPayload: text }, options);
}

/**
 * A bare `print()` line of the API (login path, vividly-app.md §2.3/§2.5), e.g.
 * `[AuthService] User not found for email: x@y`: `textPayload` on stdout, no severity, in every environment.
 */
export function printEntry(env: Env, text: string, options: BaseOptions = {}): LogEntry {
  const d = toDate(options.timestamp);
  return containerEntry(env, 'stdout', d, options.service ?? apiService(env), { textPayload: text }, options);
}

export interface WorkerOptions extends BaseOptions {
  /** Logger name, default `app.workers.push_worker` (stage lines come from `app.services.content_generation_service`). */
  logger?: string;
}

/**
 * A push-worker line: `logging.basicConfig` format `%(asctime)s - %(name)s - %(levelname)s - %(message)s` on stderr
 * (vividly-app.md §2.1), e.g. `2025-11-12 15:00:50,123 - app.workers.push_worker - INFO - <message>`, as `textPayload`
 * on `run.googleapis.com%2Fstderr` of service `<env>-vividly-push-worker`, no severity (§2.8).
 */
export function workerEntry(env: Env, message: string, level: PythonLevel = 'INFO', options: WorkerOptions = {}): LogEntry {
  const d = toDate(options.timestamp);
  const asctime = `${wallClock(d)},${pad(d.getUTCMilliseconds(), 3)}`;
  const textPayload = `${asctime} - ${options.logger ?? 'app.workers.push_worker'} - ${level} - ${message}`;
  return containerEntry(env, 'stderr', d, options.service ?? pushWorkerService(env), { textPayload }, options);
}

export interface RequestLogOptions extends BaseOptions {
  method?: string;
  /** Path and query, e.g. `/api/v1/auth/login`. */
  path?: string;
  status?: number;
  latencySeconds?: number;
  /** The real client IP (only Cloud Run's request log has it, vividly-app.md §2.6). */
  remoteIp?: string;
  userAgent?: string;
  /** Host of `requestUrl`; default {@link runAppHost} of the service. */
  host?: string;
  responseSize?: number;
  requestSize?: number;
  protocol?: string;
}

/** Cloud Run request-log severity: INFO below 400, WARNING for 4xx, ERROR for 5xx. */
export function requestSeverity(status: number): 'INFO' | 'WARNING' | 'ERROR' {
  return status >= 500 ? 'ERROR' : status >= 400 ? 'WARNING' : 'INFO';
}

/**
 * A Cloud Run request log (`run.googleapis.com%2Frequests`): `httpRequest` with `status` as a number, `latency` as a
 * Duration string (`"0.123456s"`) and the int64 sizes as strings (proto3 JSON), plus `trace`.
 */
export function requestLogEntry(env: Env, options: RequestLogOptions = {}): LogEntry {
  const d = toDate(options.timestamp);
  const service = options.service ?? apiService(env);
  const status = options.status ?? 200;
  const host = options.host ?? runAppHost(env, service);
  const id = nextInsertId();
  return {
    httpRequest: {
      latency: `${(options.latencySeconds ?? 0.05).toFixed(6)}s`,
      protocol: options.protocol ?? 'HTTP/1.1',
      remoteIp: options.remoteIp ?? '203.0.113.7',
      requestMethod: options.method ?? 'GET',
      requestSize: String(options.requestSize ?? 512),
      requestUrl: `https://${host}${options.path ?? '/'}`,
      responseSize: String(options.responseSize ?? 256),
      serverIp: '34.143.79.2',
      status,
      userAgent: options.userAgent ?? 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
    },
    insertId: id,
    labels: { instanceId: INSTANCE_ID },
    logName: logName(env, 'requests', options.projectId),
    receiveTimestamp: receiveTimestamp(d),
    resource: cloudRunResource(env, service, options),
    severity: requestSeverity(status),
    spanId: id.slice(-16),
    timestamp: entryTimestamp(d),
    trace: `projects/${options.projectId ?? PROJECT_IDS[env]}/traces/${id.padStart(32, '0')}`,
  };
}
