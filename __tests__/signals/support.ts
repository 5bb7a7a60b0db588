/**
 * Shared material of the signal tests: the deployed log-based metrics (read from the synthesized stacks, never from the
 * catalog), the fixture, and a corpus of real-format LogEntries with what each must contribute to which metric.
 *
 * Every corpus case states its COMPLETE expectation: the set of metrics it matches (by short name, `vividly/` stripped)
 * and, for each, the labels and the value. A case that must match nothing has `expect: {}`. So every case is also a
 * negative case for all the other metrics.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileLogMetric, loadLogMetrics, type CompiledLogMetric, type LabelValue, type LogEntry } from '../../gcp/logging-query';
import {
  appJsonEntry,
  appTextEntry,
  apiService,
  printEntry,
  pushWorkerService,
  requestLogEntry,
  runAppHost,
  workerEntry,
  type Env,
} from '../support/log-entries';
import { loadStack } from '../support/synth';

export const ENVS: readonly Env[] = ['dev', 'staging', 'prod'];

/** The fourteen log-based metrics every environment deploys (short names). */
export const APP_LOG_METRICS = [
  'account_lockouts',
  'locked_login_attempts',
  'rate_limit_rejections',
  'token_refresh_replays',
  'db_connection_errors',
  'metric_write_failures',
  'login_failure_reasons',
] as const;
export const REQUEST_LOG_METRICS = ['tracked_route_requests', 'auth_rejections_by_client_ip', 'api_request_latencies'] as const;
export const WORKER_METRICS = [
  'content_generation_completed',
  'content_generation_duration',
  'content_generation_failures',
  'content_generation_retries',
] as const;
export const ALL_METRICS = [...APP_LOG_METRICS, ...REQUEST_LOG_METRICS, ...WORKER_METRICS].sort();

export const shortName = (name: string) => name.replace(/^vividly\//, '');

const compiledCache = new Map<Env, Map<string, CompiledLogMetric>>();
/** The deployed log-based metrics of an environment, by short name (what is tested is what is deployed). */
export function deployedMetrics(env: Env): Map<string, CompiledLogMetric> {
  let m = compiledCache.get(env);
  if (!m) {
    m = new Map(loadLogMetrics(loadStack(env)).map((metric) => [shortName(metric.name), compileLogMetric(metric)]));
    compiledCache.set(env, m);
  }
  return m;
}

/** What one entry contributes, for the metrics it matches only. */
export interface Contribution {
  labels?: Record<string, LabelValue>;
  value?: number;
}

/** Every metric of `env` that the entry matches, with its labels (when it has any) and value (distributions). */
export function contributions(env: Env, entry: LogEntry): Record<string, Contribution> {
  const out: Record<string, Contribution> = {};
  for (const [name, metric] of deployedMetrics(env)) {
    const r = metric.evaluate(entry);
    if (!r.matched) continue;
    const c: Contribution = {};
    if (Object.keys(r.labels).length) c.labels = r.labels;
    if (metric.valueExtractor) c.value = r.valueDropped ? Number.NaN : r.value;
    out[name] = c;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Fixture

const FIXTURE_PATH = join(__dirname, '../fixtures/vividly-api-logentries.jsonl');
/** The fixture's LogEntries; index 0 is line 1. */
export const fixtureEntries = (): LogEntry[] =>
  readFileSync(FIXTURE_PATH, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as LogEntry);

// ---------------------------------------------------------------------------------------------------------------
// Corpus

export interface Case {
  id: string;
  entry: LogEntry;
  /** The complete set of metrics the entry must match, with their labels / values. */
  expect: Record<string, Contribution>;
}

export const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const REQ = 'f893c921-1960-4b17-9ad0-499ecc9cfd76';
const CONTENT_REQ = '78f08b73-ed24-4eb8-bcea-9fba52251fcd';
const USER = 'user_9NIVSNqXg4qHmlCi';
const PROXY_IP = '169.254.1.1';
const MESSAGE_ID = '13216547898765432';

const none = {} as Record<string, Contribution>;
const one = (metric: string, c: Contribution = {}) => ({ [metric]: c });

/** The API's own events as message text, with the metric each must count (vividly-app.md §2.5 exact formats). */
export function apiEvents(
  env: Env,
): Array<{ id: string; level: 'INFO' | 'WARNING' | 'ERROR'; logger: string; fn: string; line: number; requestId?: string; message: string; metric: string }> {
  const host = runAppHost(env);
  return [
    {
      id: 'lockout',
      level: 'WARNING',
      logger: 'app.middleware.security',
      fn: 'dispatch',
      line: 146,
      message: `Account locked due to 5 failed attempts: mallory@example.org from ${PROXY_IP}`,
      metric: 'account_lockouts',
    },
    {
      id: 'blocked while locked',
      level: 'WARNING',
      logger: 'app.middleware.security',
      fn: 'dispatch',
      line: 92,
      message: `Blocked login attempt for locked account: mallory@example.org from ${PROXY_IP}`,
      metric: 'locked_login_attempts',
    },
    {
      id: 'rate limit',
      level: 'WARNING',
      logger: 'app.middleware.security',
      fn: 'dispatch',
      line: 180,
      message: `Rate limit exceeded: ${PROXY_IP} on /api/v1/auth/login`,
      metric: 'rate_limit_rejections',
    },
    {
      id: 'refresh replay',
      level: 'WARNING',
      logger: 'app.services.auth_service',
      fn: 'refresh_access_token',
      line: 371,
      requestId: REQ,
      message: 'Refresh token mismatch for session session_8aZcYd41HbEfGi7J. Possible replay attack.',
      metric: 'token_refresh_replays',
    },
    {
      id: 'db pool exhausted',
      level: 'ERROR',
      logger: 'app.main',
      fn: 'sqlalchemy_exception_handler',
      line: 117,
      requestId: REQ,
      message: `Database error on http://${host}/api/v1/content/recent?limit=10: QueuePool limit of size 10 overflow 20 reached, connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)`,
      metric: 'db_connection_errors',
    },
    {
      id: 'db refuses connections (slots)',
      level: 'ERROR',
      logger: 'app.main',
      fn: 'sqlalchemy_exception_handler',
      line: 117,
      requestId: REQ,
      message: `Database error on http://${host}/api/v1/students/${USER}/progress: (psycopg2.OperationalError) connection to server at "10.20.0.3", port 5432 failed: FATAL:  remaining connection slots are reserved for non-replication superuser connections`,
      metric: 'db_connection_errors',
    },
    {
      id: 'db refuses connections (too many clients)',
      level: 'ERROR',
      logger: 'app.main',
      fn: 'sqlalchemy_exception_handler',
      line: 117,
      requestId: REQ,
      message: `Database error on http://${host}/api/v1/auth/login: (psycopg2.OperationalError) connection to server at "10.20.0.3", port 5432 failed: FATAL:  sorry, too many clients already`,
      metric: 'db_connection_errors',
    },
    {
      id: 'metric write failure',
      level: 'ERROR',
      logger: 'app.core.metrics',
      fn: '_write_time_series',
      line: 133,
      requestId: REQ,
      message:
        'Failed to write metric custom.googleapis.com/vividly/http_request_duration_seconds: 400 One or more TimeSeries could not be written: One or more points were written more frequently than the maximum sampling period configured for the metric.',
      metric: 'metric_write_failures',
    },
  ];
}

/** API lines that look related but must count nowhere (same loggers, same words, wrong event). */
export function apiNonEvents(env: Env): Array<{ id: string; level: 'INFO' | 'WARNING' | 'ERROR'; logger: string; message: string; requestId?: string }> {
  const host = runAppHost(env);
  const quoted = (input: string) =>
    `Validation error on http://${host}/api/v1/auth/login: [{'type': 'value_error', 'loc': ('body', 'email'), 'msg': 'value is not a valid email address: An email address must have an @-sign.', 'input': '${input}', 'ctx': {'reason': 'An email address must have an @-sign.'}}]`;
  return [
    // 422 WARNINGs echoing user input that contains each anchored event text (anchoring).
    ...apiEvents(env).map((e) => ({
      id: `422 quoting "${e.id}"`,
      level: 'WARNING' as const,
      logger: 'app.main',
      requestId: REQ,
      message: quoted(e.message.replace(/'/g, '')),
    })),
    {
      id: 'db health check (slots)',
      level: 'ERROR',
      logger: 'app.api.v1.endpoints.health',
      requestId: REQ,
      message: "Database health check failed: Textual SQL expression 'SELECT 1' should be explicitly declared as text('SELECT 1')",
    },
    {
      id: 'db health check (too many clients)',
      level: 'ERROR',
      logger: 'app.api.v1.endpoints.health',
      requestId: REQ,
      message: 'Database health check failed: (psycopg2.OperationalError) FATAL:  sorry, too many clients already; remaining connection slots are reserved',
    },
    {
      id: 'other SQLAlchemy error',
      level: 'ERROR',
      logger: 'app.main',
      requestId: REQ,
      message: `Database error on http://${host}/api/v1/content/recent: (psycopg2.errors.UndefinedColumn) column content_requests.grade_level does not exist`,
    },
    {
      id: 'brute-force middleware error',
      level: 'ERROR',
      logger: 'app.middleware.security',
      message: 'Error in brute force protection: Account locked due to 5 failed attempts: ',
    },
    {
      id: 'dead slowapi handler wording',
      level: 'WARNING',
      logger: 'app.core.rate_limit',
      message: `Rate limit exceeded for ${PROXY_IP} on /api/v1/auth/login`,
    },
    {
      id: 'token refresh success',
      level: 'INFO',
      logger: 'app.services.auth_service',
      requestId: REQ,
      message: `Token refresh successful for user ${USER}. Old session session_Qk3vT8xw2LmN0pRs revoked, new session session_8aZcYd41HbEfGi7J created.`,
    },
    {
      id: 'token refresh failed',
      level: 'ERROR',
      logger: 'app.services.auth_service',
      requestId: REQ,
      message: 'Token refresh failed: Refresh token mismatch for session x',
    },
    {
      id: 'request middleware line: login 401',
      level: 'INFO',
      logger: 'app.middleware.logging_middleware',
      requestId: REQ,
      message: 'POST /api/v1/auth/login - 401',
    },
    {
      id: 'unexpected error',
      level: 'ERROR',
      logger: 'app.main',
      message: `Unexpected error on http://${host}/api/v1/students/${USER}/progress: 'NoneType' object has no attribute 'grade_level'`,
    },
    {
      id: 'content generation failed (API)',
      level: 'ERROR',
      logger: 'app.api.v1.endpoints.content',
      requestId: REQ,
      message: 'Content generation failed: Failed to publish to Pub/Sub: ',
    },
    {
      id: 'worker completion text on the API',
      level: 'INFO',
      logger: 'app.main',
      message: `Request completed successfully: request_id=${CONTENT_REQ}, video_url=x, duration=12.3s`,
    },
  ];
}

const textLine = (
  env: Env,
  e: { level: 'INFO' | 'WARNING' | 'ERROR'; logger: string; fn?: string; line?: number; requestId?: string; message: string },
  service?: string,
) =>
  appTextEntry(env, e.message, {
    level: e.level,
    logger: e.logger,
    function: e.fn ?? 'dispatch',
    line: e.line ?? 1,
    requestId: e.requestId,
    correlationId: e.requestId,
    ...(service ? { service } : {}),
  });

const jsonLine = (
  env: Env,
  e: { level: 'INFO' | 'WARNING' | 'ERROR'; logger: string; fn?: string; line?: number; requestId?: string; message: string },
  service?: string,
) =>
  appJsonEntry(env, e.message, {
    severity: e.level,
    logger: e.logger,
    function: e.fn ?? 'dispatch',
    line: e.line ?? 1,
    requestId: e.requestId,
    ...(service ? { service } : {}),
  });

/** DevelopmentFormatter (ANSI) lines of the API: dev and Terraform-deployed prod. */
export function appTextCases(env: Env): Case[] {
  return [
    ...apiEvents(env).map((e) => ({ id: `text: ${e.id}`, entry: textLine(env, e), expect: one(e.metric) })),
    ...apiNonEvents(env).map((e) => ({ id: `text: ${e.id}`, entry: textLine(env, e), expect: none })),
    // Without colours (a log shipper that strips them) the same lines still count.
    ...apiEvents(env)
      .slice(0, 1)
      .map((e) => ({
        id: `text without ANSI: ${e.id}`,
        entry: appTextEntry(env, e.message, { level: e.level, logger: e.logger, ansi: false }),
        expect: one(e.metric),
      })),
  ];
}

/** StructuredFormatter (JSON) lines of the API: staging, and the GitHub-deployed `production`. */
export function appJsonCases(env: Env): Case[] {
  return [
    ...apiEvents(env).map((e) => ({ id: `json: ${e.id}`, entry: jsonLine(env, e), expect: one(e.metric) })),
    ...apiNonEvents(env).map((e) => ({ id: `json: ${e.id}`, entry: jsonLine(env, e), expect: none })),
  ];
}

/** print() lines of the login path: plain text in every environment. */
export function printCases(env: Env): Case[] {
  const reason = (r: string) => one('login_failure_reasons', { labels: { reason: r } });
  return [
    { id: 'print: unknown e-mail', entry: printEntry(env, '[AuthService] User not found for email: ghost@example.org'), expect: reason('User not found') },
    {
      id: 'print: wrong password',
      entry: printEntry(env, '[AuthService] Password verification failed for user: alice@example.org'),
      expect: reason('Password verification failed'),
    },
    {
      id: 'print: suspended',
      entry: printEntry(env, '[AuthService] User account not active: bob@example.org, status=UserStatus.SUSPENDED'),
      expect: reason('User account not active'),
    },
    {
      id: 'print: pending',
      entry: printEntry(env, '[AuthService] User account not active: carol@example.org, status=UserStatus.PENDING'),
      expect: reason('User account not active'),
    },
    { id: 'print: password result', entry: printEntry(env, '[AuthService] Password verification result: False'), expect: none },
    { id: 'print: login received', entry: printEntry(env, '[Auth Endpoint] Login request received for email: alice@example.org'), expect: none },
    {
      id: 'print: success',
      entry: printEntry(env, '[AuthService] Authentication successful for user: alice@example.org, updating last_login_at'),
      expect: none,
    },
    { id: 'print: tokens created', entry: printEntry(env, '[Auth Endpoint] Tokens created successfully, returning response'), expect: none },
    // The reason text quoted inside another line (not at the start) is not a login failure.
    {
      id: 'print: quoted reason',
      entry: printEntry(env, '[Auth Endpoint] Login failed: [AuthService] User not found for email: ghost@example.org'),
      expect: none,
    },
    {
      id: 'uvicorn access 429',
      entry: printEntry(env, `INFO:     ${PROXY_IP}:43210 - "POST /api/v1/auth/login HTTP/1.1" 429 Too Many Requests`),
      expect: none,
    },
  ];
}

/** Push-worker `logging.basicConfig` lines on stderr of `<env>-vividly-push-worker`. */
export function workerCases(env: Env): Case[] {
  const w = (msg: string, level: 'INFO' | 'WARNING' | 'ERROR' = 'INFO', logger?: string) => workerEntry(env, msg, level, logger ? { logger } : {});
  return [
    {
      id: 'worker: completed successfully',
      entry: w(
        `Request completed successfully: request_id=${CONTENT_REQ}, video_url=https://storage.googleapis.com/vividly-${env}-generated-content/videos/${CONTENT_REQ}.mp4, duration=12.3s`,
      ),
      expect: { content_generation_completed: { labels: { source: 'successfully' } }, content_generation_duration: { value: 12.3 } },
    },
    {
      id: 'worker: completed from cache',
      entry: w(`Request completed from cache: request_id=${CONTENT_REQ}, duration=0.4s`),
      expect: { content_generation_completed: { labels: { source: 'from cache' } }, content_generation_duration: { value: 0.4 } },
    },
    // A failed request is counted once, from the request service's set_error line (every failure path writes it); the
    // push worker's own lines before it are not counted (they would count the same failure twice, and miss paths).
    { id: 'worker: unexpected status', entry: w(`Request ${CONTENT_REQ}: Unexpected generation status: failed`, 'ERROR'), expect: none },
    { id: 'worker: hard failure', entry: w(`Request ${CONTENT_REQ} failed: 429 Resource exhausted. Please try again later.`, 'ERROR'), expect: none },
    { id: 'worker: invalid JSON in message', entry: w('Invalid JSON in message: Expecting value: line 1 column 1 (char 0)', 'ERROR'), expect: none },
    { id: 'worker: retry', entry: w(`Message ${MESSAGE_ID} processing failed, will retry`, 'WARNING'), expect: one('content_generation_retries') },
    // Related worker lines that are not these events.
    {
      id: 'worker: request failed (status service)',
      entry: w(`Request failed: id=${CONTENT_REQ}, stage=content_generation, error=Vertex AI quota exceeded`, 'ERROR', 'app.services.content_request_service'),
      expect: one('content_generation_failures', { labels: { stage: 'content_generation' } }),
    },
    {
      id: 'worker: request failed at message parsing',
      entry: w(
        `Request failed: id=${CONTENT_REQ}, stage=message_parsing, error=Invalid JSON: Expecting value: line 1 column 1 (char 0)`,
        'ERROR',
        'app.services.content_request_service',
      ),
      expect: one('content_generation_failures', { labels: { stage: 'message_parsing' } }),
    },
    {
      id: 'worker: generation failed (stage)',
      entry: w('[gen_a1b2c3d4e5f60718] Content generation failed: 429 Resource exhausted', 'ERROR', 'app.services.content_generation_service'),
      expect: none,
    },
    { id: 'worker: processed', entry: w(`Message ${MESSAGE_ID} processed successfully`), expect: none },
    {
      id: 'worker: processing',
      entry: w(`Processing push message: message_id=${MESSAGE_ID}, request_id=${CONTENT_REQ}, correlation_id=req_3f9a1c7e5b2d4f60`),
      expect: none,
    },
    { id: 'worker: invalid id', entry: w(`Invalid request_id format: 'abc' is not a valid UUID`, 'ERROR'), expect: none },
    // API events printed by the worker count nowhere (API metrics never count worker lines).
    ...apiEvents(env).map((e) => ({ id: `worker line with API text: ${e.id}`, entry: w(e.message, e.level), expect: none })),
  ];
}

/** Worker-format lines on the API service, and API lines on the worker service: both count nowhere. */
export function crossServiceCases(env: Env): Case[] {
  return [
    ...workerCases(env)
      .filter((c) => Object.keys(c.expect).length)
      .map((c) => ({
        id: `on the API service: ${c.id}`,
        entry: {
          ...c.entry,
          resource: { ...c.entry.resource, labels: { ...c.entry.resource!.labels, service_name: apiService(env), configuration_name: apiService(env) } },
        },
        expect: none,
      })),
    ...apiEvents(env).flatMap((e) => [
      { id: `text on the push worker: ${e.id}`, entry: textLine(env, e, pushWorkerService(env)), expect: none },
      { id: `json on the push worker: ${e.id}`, entry: jsonLine(env, e, pushWorkerService(env)), expect: none },
      { id: `text on the frontend: ${e.id}`, entry: textLine(env, e, `${env}-vividly-frontend`), expect: none },
      { id: `json on the frontend: ${e.id}`, entry: jsonLine(env, e, `${env}-vividly-frontend`), expect: none },
    ]),
    {
      id: 'print on the frontend',
      entry: printEntry(env, '[AuthService] User not found for email: ghost@example.org', { service: `${env}-vividly-frontend` }),
      expect: none,
    },
    {
      id: 'login 401 request log on the frontend',
      entry: requestLogEntry(env, { service: `${env}-vividly-frontend`, method: 'POST', path: '/api/v1/auth/login', status: 401 }),
      expect: none,
    },
    {
      id: 'request log of the push worker',
      entry: requestLogEntry(env, { service: pushWorkerService(env), method: 'POST', path: '/push', status: 500, latencySeconds: 610 }),
      expect: none,
    },
  ];
}

export const TRACKED_ROUTES = [
  '/api/v1/auth/login',
  '/api/v1/auth/register',
  '/api/v1/auth/logout',
  '/api/v1/auth/logout-all',
  '/api/v1/auth/refresh',
  '/api/v1/content/generate',
] as const;

/** Cloud Run request logs of the API. */
export function requestLogCases(env: Env): Case[] {
  const req = (o: Parameters<typeof requestLogEntry>[1]) => requestLogEntry(env, o);
  const cases: Case[] = [];
  const statuses: Record<(typeof TRACKED_ROUTES)[number], number[]> = {
    '/api/v1/auth/login': [200, 401, 403, 422, 429],
    '/api/v1/auth/register': [201, 422],
    '/api/v1/auth/logout': [204],
    '/api/v1/auth/logout-all': [204],
    '/api/v1/auth/refresh': [200, 401],
    '/api/v1/content/generate': [202, 500],
  };
  for (const route of TRACKED_ROUTES) {
    for (const status of statuses[route]) {
      for (const query of ['', '?next=%2Fdashboard&user=alice%40example.org', `?request_id=${CONTENT_REQ}`]) {
        const latency = 0.25 + status / 1000;
        // Per client IP: failed logins (401 on login) and rate-limited requests (429 on login, register, logout).
        const perIp = (route === '/api/v1/auth/login' && status === 401) || (/^\/api\/v1\/auth\/(login|register|logout)$/.test(route) && status === 429);
        cases.push({
          id: `POST ${route}${query} -> ${status}`,
          entry: req({ method: 'POST', path: route + query, status, latencySeconds: latency, remoteIp: '198.51.100.23' }),
          expect: {
            tracked_route_requests: { labels: { route, status: String(status) } },
            api_request_latencies: { value: Number(latency.toFixed(6)) },
            ...(perIp ? { auth_rejections_by_client_ip: { labels: { client_ip: '198.51.100.23', status: String(status) } } } : {}),
          },
        });
      }
    }
  }
  // The real client IP, IPv6 included, through the environment's public host.
  cases.push({
    id: 'POST login 401 over IPv6 via the custom host',
    entry: req({
      method: 'POST',
      path: '/api/v1/auth/login',
      status: 401,
      latencySeconds: 0.31,
      remoteIp: '2001:db8::1',
      host: env === 'prod' ? 'api.vividly.mnps.edu' : env === 'staging' ? 'api-staging.vividly.mnps.edu' : runAppHost(env),
    }),
    expect: {
      tracked_route_requests: { labels: { route: '/api/v1/auth/login', status: '401' } },
      api_request_latencies: { value: 0.31 },
      auth_rejections_by_client_ip: { labels: { client_ip: '2001:db8::1', status: '401' } },
    },
  });
  // Not tracked: other paths (only latency counts them).
  const untracked = [
    ['GET', '/api/v1/auth/login-history', 200],
    ['POST', '/api/v1/auth/login-history', 401],
    ['POST', '/api/v1/content/generate/123', 404],
    ['POST', `/api/v1/content/generate/${CONTENT_REQ}`, 404],
    ['GET', `/api/v1/content/request/${CONTENT_REQ}/status`, 200],
    ['GET', `/api/v1/students/${USER}/progress`, 500],
    ['POST', '/api/v1/auth/loginx', 404],
    ['POST', '/api/v1/auth/login/', 307],
    ['POST', '/api/v2/auth/login', 404],
    ['POST', '/x/api/v1/auth/login', 404],
    ['GET', '/api/v1/notifications/health', 503],
    ['GET', '/api/v1/internal/v1/notifications/health', 200],
    ['GET', '/api/v1/notifications/stream/history', 200],
  ] as const;
  for (const [method, path, status] of untracked) {
    cases.push({
      id: `${method} ${path} -> ${status} (untracked)`,
      entry: req({ method, path, status, latencySeconds: 1.5, remoteIp: '198.51.100.23' }),
      expect: { api_request_latencies: { value: 1.5 } },
    });
  }
  // Login failures by IP: POST login 401 only (POST with other statuses is in the tracked cases above).
  for (const method of ['GET', 'OPTIONS'] as const) {
    cases.push({
      id: `${method} /api/v1/auth/login -> 401`,
      entry: req({ method, path: '/api/v1/auth/login', status: 401, latencySeconds: 0.02 }),
      expect: { tracked_route_requests: { labels: { route: '/api/v1/auth/login', status: '401' } }, api_request_latencies: { value: 0.02 } },
    });
  }
  // The uptime checks' /health (synthetic traffic): in no request-log metric, so its request logs can be excluded.
  for (const query of ['', '?probe=1']) {
    cases.push({
      id: `GET /health${query} (uptime probe)`,
      entry: req({ method: 'GET', path: `/health${query}`, status: 200, latencySeconds: 0.004 }),
      expect: none,
    });
  }
  // The streaming endpoint, mounted twice, with and without query strings: not in the latency distribution, not tracked.
  for (const path of ['/api/v1/notifications/stream', '/api/v1/internal/v1/notifications/stream']) {
    for (const query of ['', '?token=eyJhbGciOiJIUzI1NiJ9.e30.sig', `?user_id=${USER}&last_event_id=42`]) {
      cases.push({ id: `SSE ${path}${query}`, entry: req({ method: 'GET', path: path + query, status: 200, latencySeconds: 300.000123 }), expect: none });
    }
  }
  return cases;
}

/** Every case of an environment (the label-hygiene test runs over all of them). */
export function allCases(env: Env): Case[] {
  return [...appTextCases(env), ...appJsonCases(env), ...printCases(env), ...workerCases(env), ...crossServiceCases(env), ...requestLogCases(env)];
}

/** Assert the complete contribution of every case (nice failure messages: one diff naming the case). */
export function expectCases(env: Env, cases: Case[]): void {
  const actual = Object.fromEntries(cases.map((c) => [c.id, contributions(env, c.entry)]));
  const expected = Object.fromEntries(cases.map((c) => [c.id, c.expect]));
  expect(Object.keys(actual)).toHaveLength(cases.length); // ids are unique
  expect(actual).toEqual(expected);
}
