/**
 * WHAT is measured, and where each number really comes from. The plan's metrics were designed as app-written
 * custom metrics, but the real app writes almost none of them (docs/reference/vividly-app.md §0, §3): each is
 * mapped here to a source the app does produce. Every filter, label and bucket lives here once.
 */
import type { EnvironmentConfig } from '../environments/schema';
import { appMessage, cloudRunService, requestLogOf, urlPath, workerMessage } from './filters';
import type { SignalId } from './ids';
import type { LabelSpec, LogMetricSpec, Signal } from './types';

/** Routes whose requests are counted by route and status (bounded: these six, nothing else matches). */
const TRACKED_ROUTES = '/api/v1/(auth/(login|register|logout|logout-all|refresh)|content/generate)';
/** The same, with one capture group for the label extractor. */
const TRACKED_ROUTE_CAPTURE = '^https?://[^/]+(/api/v1/(?:auth/(?:login|register|logout|logout-all|refresh)|content/generate))(?:[?#].*)?$';
/** The long-lived server-sent-events endpoint, mounted twice (api.py:44-53): it holds requests open for minutes. */
export const STREAMING_ENDPOINT = '/notifications/stream';
const STREAMING_PATHS = '/api/v1/(internal/v1/)?notifications/stream';
/**
 * Static assets an API host is asked for: browser favicon/robots fetches, a `/static/` mount, and FastAPI's
 * interactive docs (`/api/docs` when DEBUG, vividly-app.md §1.10) with its Swagger/ReDoc assets and the OpenAPI schema.
 */
export const STATIC_ASSET_PATHS =
  '/(favicon[.]ico|robots[.]txt|static/.*|api/docs(/.*)?|api/redoc(/.*)?|api/openapi[.]json|docs(/.*)?|redoc(/.*)?|openapi[.]json)';

/** The name Cloud Monitoring's uptime checkers send in their User-Agent (`<name>(https://cloud.google.com/monitoring)`). */
export const UPTIME_CHECKER_AGENT = 'GoogleStackdriverMonitoring-UptimeChecks';
export const UPTIME_CHECKER_USER_AGENT = `${UPTIME_CHECKER_AGENT}(https://cloud.google.com/monitoring)`;

/** The paths the rate-limit middleware limits, by exact match (security.py:164-176). */
const RATE_LIMITED_PATHS = '/api/v1/auth/(login|register|logout)';
/** Failed password checks that lead to a lockout (security.py:57-148): 5 failures of one (IP, e-mail) within an hour. */
export const FAILURES_PER_LOCKOUT = 5;

/** Explicit latency buckets (seconds) with a bound at the 2 s alert threshold, so p95 > 2 s is decided exactly. */
const LATENCY_BOUNDS = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 4, 5, 7.5, 10, 15, 30, 60, 120, 300];
const GENERATION_BOUNDS = [5, 10, 20, 30, 45, 60, 90, 120, 180, 240, 300, 450, 600, 900, 1200, 1800];

/**
 * The line `ContentRequestService.set_error` logs at ERROR whenever a request is marked failed
 * (backend/app/services/content_request_service.py:254-257 in rich1edwards/vividly-mvp; vividly-app.md §2.5 "worker:
 * failure"): `Request failed: id={request_id}, stage={error_stage}, error={error_message}`. Its only callers are the
 * workers, which log with `logging.basicConfig` text on stderr in every environment (vividly-app.md §2.1), so the line
 * never takes the API's JSON or coloured form.
 */
const SET_ERROR_LINE = 'Request failed: id=';
/** Every `error_stage` the callers pass (push_worker.py:467,481,494; content_worker.py:542,565,578). */
export const FAILURE_STAGES = ['content_generation', 'message_parsing'] as const;

const logMetricType = (name: string) => `logging.googleapis.com/user/${name}`;

/** Label selections that alerts, SLOs and charts share: written once, read everywhere. */
export const SELECT = {
  /** request_count: server errors. */
  serverErrors: 'metric.labels.response_code_class="5xx"',
  /**
   * request_count: requests the limiter rejected (the app's only source of 429s). `response_code` is an INT64 label
   * (gcp-facts §2.2), so it is compared to a number, the form Google's Monitoring filter reference uses for numeric
   * labels ("Monitoring filters", https://cloud.google.com/monitoring/api/v3/filters: `metric.label.response_code < 600
   * AND metric.label.response_code >= 500`, quoted in googleapis/google-cloud-python#2234; gcp-facts §2.1). A quoted
   * "429" compares a number to a string, a form no Google page shows (test: __tests__/signals/value-forms.test.ts).
   */
  rateLimited: 'metric.labels.response_code=429',
  /** tracked_route_requests: failed logins (401 bad credentials, 403 inactive account). */
  failedLogins: 'metric.labels.route="/api/v1/auth/login" AND (metric.labels.status="401" OR metric.labels.status="403")',
  /** tracked_route_requests and auth_rejections_by_ip: 429s (their `status` labels are STRING, extracted from httpRequest.status). */
  rateLimitedRoutes: 'metric.labels.status="429"',
  /** auth_rejections_by_ip: failed logins. */
  failedLoginsByIp: 'metric.labels.status="401"',
} as const;

function logSignal(args: {
  id: SignalId;
  title: string;
  description: string;
  source: 'Cloud Run request log' | 'app log' | 'worker log';
  service: 'api' | 'pushWorker';
  logMetric: LogMetricSpec;
}): Signal {
  const { logMetric } = args;
  return {
    id: args.id,
    title: args.title,
    description: args.description,
    source: args.source,
    metricType: logMetricType(logMetric.name),
    resourceType: 'cloud_run_revision',
    metricKind: 'DELTA',
    valueType: logMetric.valueType,
    unit: logMetric.unit ?? '1',
    labels: logMetric.labels,
    filter: (env) =>
      `metric.type="${logMetricType(logMetric.name)}" AND resource.type="cloud_run_revision" AND resource.labels.service_name="${env.services[args.service]}"`,
    logMetric,
  };
}

function builtin(args: Omit<Signal, 'source' | 'filter'> & { scope: (env: EnvironmentConfig) => string }): Signal {
  const { scope, ...rest } = args;
  return { ...rest, source: 'built-in metric', filter: (env) => `metric.type="${args.metricType}" AND resource.type="${args.resourceType}" AND ${scope(env)}` };
}

const apiService = (env: EnvironmentConfig) => `resource.labels.service_name="${env.services.api}"`;
const workerService = (env: EnvironmentConfig) => `resource.labels.service_name="${env.services.pushWorker}"`;
const responseLabels: LabelSpec[] = [
  { key: 'response_code', valueType: 'INT64', description: 'HTTP status code' },
  { key: 'response_code_class', description: "'1xx' … '5xx'" },
];

export const signals: Signal[] = [
  // ---- Cloud Run built-in metrics: complete (they include the middleware's 429s, which the app never logs) ----
  builtin({
    id: 'api_requests',
    title: 'API requests',
    metricType: 'run.googleapis.com/request_count',
    resourceType: 'cloud_run_revision',
    metricKind: 'DELTA',
    valueType: 'INT64',
    unit: '1',
    labels: responseLabels,
    scope: apiService,
    description: 'Every request that reached the API container, by status. The only complete source of status codes (vividly-app.md §0.3).',
  }),
  builtin({
    id: 'worker_requests',
    title: 'Push worker deliveries',
    metricType: 'run.googleapis.com/request_count',
    resourceType: 'cloud_run_revision',
    metricKind: 'DELTA',
    valueType: 'INT64',
    unit: '1',
    labels: responseLabels,
    scope: workerService,
    description: 'Pub/Sub push deliveries to the worker: 2xx acknowledged, 5xx failed and retried (push_worker.py:134-145).',
  }),
  builtin({
    id: 'api_instances',
    title: 'API instances',
    metricType: 'run.googleapis.com/container/instance_count',
    resourceType: 'cloud_run_revision',
    metricKind: 'GAUGE',
    valueType: 'INT64',
    unit: '1',
    labels: [{ key: 'state', description: 'active or idle' }],
    scope: apiService,
    description: 'Container instances of the API by state.',
  }),
  builtin({
    id: 'worker_instances',
    title: 'Push worker instances',
    metricType: 'run.googleapis.com/container/instance_count',
    resourceType: 'cloud_run_revision',
    metricKind: 'GAUGE',
    valueType: 'INT64',
    unit: '1',
    labels: [{ key: 'state', description: 'active or idle' }],
    scope: workerService,
    description: 'Container instances of the push worker by state.',
  }),
  ...(['api', 'worker'] as const).flatMap((who) =>
    (['cpu', 'memory'] as const).map((res) =>
      builtin({
        id: `${who}_${res}`,
        title: `${who === 'api' ? 'API' : 'Push worker'} ${res === 'cpu' ? 'CPU' : 'memory'} utilization`,
        metricType: `run.googleapis.com/container/${res}/utilizations`,
        resourceType: 'cloud_run_revision',
        metricKind: 'DELTA',
        valueType: 'DISTRIBUTION',
        unit: '10^2.%',
        labels: [],
        scope: who === 'api' ? apiService : workerService,
        description: `Distribution of ${res} utilization across the ${who === 'api' ? 'API' : 'push worker'}'s instances.`,
      }),
    ),
  ),
  builtin({
    id: 'db_connections',
    title: 'Cloud SQL connections',
    metricType: 'cloudsql.googleapis.com/database/postgresql/num_backends',
    resourceType: 'cloudsql_database',
    metricKind: 'GAUGE',
    valueType: 'INT64',
    unit: '1',
    labels: [{ key: 'database', description: 'database name' }],
    scope: (env) => `resource.labels.database_id="${env.projectId}:${env.cloudSql.instance}"`,
    description:
      'Connections to the PostgreSQL instance (all databases). There is no metric for max_connections: capacity comes from the environment (gcp-facts §2.3).',
  }),
  builtin({
    id: 'db_cpu',
    title: 'Cloud SQL CPU utilization',
    metricType: 'cloudsql.googleapis.com/database/cpu/utilization',
    resourceType: 'cloudsql_database',
    metricKind: 'GAUGE',
    valueType: 'DOUBLE',
    unit: '10^2.%',
    labels: [],
    scope: (env) => `resource.labels.database_id="${env.projectId}:${env.cloudSql.instance}"`,
    description: 'CPU utilization of the database instance (0..1).',
  }),
  builtin({
    id: 'uptime_passed',
    title: 'Uptime check passed',
    metricType: 'monitoring.googleapis.com/uptime_check/check_passed',
    resourceType: 'uptime_url',
    metricKind: 'GAUGE',
    valueType: 'BOOL',
    unit: '1',
    labels: [
      { key: 'check_id', description: 'the uptime check' },
      { key: 'checker_location', description: 'the probing location' },
    ],
    scope: (env) => `resource.labels.host="${env.api.host}"`,
    description: "The API's /health check from each checker location (gcp-facts §2.4).",
  }),
  builtin({
    id: 'worker_uptime_passed',
    title: 'Push worker uptime check passed',
    metricType: 'monitoring.googleapis.com/uptime_check/check_passed',
    resourceType: 'cloud_run_revision',
    metricKind: 'GAUGE',
    valueType: 'BOOL',
    unit: '1',
    labels: [
      { key: 'check_id', description: 'the uptime check' },
      { key: 'checker_location', description: 'the probing location' },
    ],
    scope: workerService,
    description: "The push worker's /health, probed with the uptime service agent's OIDC token (the worker is not public).",
  }),
  builtin({
    id: 'uptime_latency',
    title: 'Uptime check latency',
    metricType: 'monitoring.googleapis.com/uptime_check/request_latency',
    resourceType: 'uptime_url',
    metricKind: 'GAUGE',
    valueType: 'DOUBLE',
    unit: 'ms',
    labels: [{ key: 'checker_location', description: 'the probing location' }],
    scope: (env) => `resource.labels.host="${env.api.host}"`,
    description: "Latency of the API's /health as seen by each checker location.",
  }),
  builtin({
    id: 'pubsub_backlog',
    title: 'Pub/Sub backlog',
    metricType: 'pubsub.googleapis.com/subscription/num_undelivered_messages',
    resourceType: 'pubsub_subscription',
    metricKind: 'GAUGE',
    valueType: 'INT64',
    unit: '1',
    labels: [],
    scope: (env) => `resource.labels.subscription_id="${env.pubsub.subscription}"`,
    description: 'Content-generation requests waiting for the push worker.',
  }),
  builtin({
    id: 'pubsub_oldest_unacked',
    title: 'Oldest unacked message age',
    metricType: 'pubsub.googleapis.com/subscription/oldest_unacked_message_age',
    resourceType: 'pubsub_subscription',
    metricKind: 'GAUGE',
    valueType: 'INT64',
    unit: 's',
    labels: [],
    scope: (env) => `resource.labels.subscription_id="${env.pubsub.subscription}"`,
    description: 'Age of the oldest content-generation request not yet acknowledged.',
  }),
  builtin({
    id: 'pubsub_dead_letters',
    title: 'Dead-lettered messages',
    metricType: 'pubsub.googleapis.com/subscription/dead_letter_message_count',
    resourceType: 'pubsub_subscription',
    metricKind: 'DELTA',
    valueType: 'INT64',
    unit: '1',
    labels: [],
    scope: (env) => `resource.labels.subscription_id="${env.pubsub.subscription}"`,
    description: 'Requests given up on after the subscription’s maximum delivery attempts.',
  }),
  builtin({
    id: 'log_bytes',
    title: 'Log bytes ingested',
    metricType: 'logging.googleapis.com/byte_count',
    resourceType: 'cloud_run_revision',
    metricKind: 'DELTA',
    valueType: 'INT64',
    unit: 'By',
    labels: [{ key: 'log', description: 'log name' }],
    scope: (env) => `resource.labels.service_name=one_of("${env.services.api}","${env.services.pushWorker}")`,
    description: 'Bytes of log entries received from the API and the worker, by log: the usual driver of the monitoring bill.',
  }),
  builtin({
    id: 'metric_bytes',
    title: 'Metric bytes ingested',
    metricType: 'monitoring.googleapis.com/billing/bytes_ingested',
    resourceType: 'global',
    metricKind: 'DELTA',
    valueType: 'INT64',
    unit: 'By',
    labels: [
      { key: 'metric_domain', description: 'metric domain' },
      { key: 'metric_type', description: 'metric type' },
    ],
    scope: () => 'metric.labels.metric_domain!="unknown"',
    description: 'Chargeable metric bytes ingested (log-based and custom metrics).',
  }),
  builtin({
    id: 'metric_samples',
    title: 'Metric samples ingested',
    metricType: 'monitoring.googleapis.com/billing/samples_ingested',
    resourceType: 'global',
    metricKind: 'DELTA',
    valueType: 'INT64',
    unit: '1',
    labels: [
      { key: 'metric_domain', description: 'metric domain' },
      { key: 'metric_type', description: 'metric type' },
    ],
    scope: () => 'metric.labels.metric_domain!="unknown"',
    description: 'Chargeable samples ingested (Prometheus-priced metrics).',
  }),

  // ---- Cloud Run request logs: env-independent, with the real client IP (vividly-app.md §2.6, §7) ----
  logSignal({
    id: 'tracked_route_requests',
    title: 'Auth and content-generation requests by route and status',
    source: 'Cloud Run request log',
    service: 'api',
    description:
      'Requests to login, register, logout, logout-all, refresh and content/generate, by route and HTTP status, from Cloud Run request logs (they include the middleware 429s the app never logs).',
    logMetric: {
      name: 'vividly/tracked_route_requests',
      description: 'Requests to the auth and content-generation routes, by route and status, from Cloud Run request logs.',
      filter: (env) => `${requestLogOf(env, env.services.api)} AND httpRequest.requestUrl=~"${urlPath(TRACKED_ROUTES)}"`,
      valueType: 'INT64',
      labels: [
        {
          key: 'route',
          description: 'route path',
          extractor: `REGEXP_EXTRACT(httpRequest.requestUrl, "${TRACKED_ROUTE_CAPTURE}")`,
          cardinality: 'six fixed routes (the filter admits nothing else)',
        },
        { key: 'status', description: 'HTTP status', extractor: 'EXTRACT(httpRequest.status)', cardinality: 'HTTP status codes the routes return (about ten)' },
      ],
    },
  }),
  logSignal({
    id: 'auth_rejections_by_ip',
    title: 'Failed and rate-limited auth requests by client IP',
    source: 'Cloud Run request log',
    service: 'api',
    description:
      'POST /api/v1/auth/login answered 401, and POST login/register/logout answered 429, by the real client IP (httpRequest.remoteIp) and status. The app only ever sees the proxy address (vividly-app.md §2.6).',
    logMetric: {
      name: 'vividly/auth_rejections_by_client_ip',
      description:
        'Failed logins (401 on POST /api/v1/auth/login) and rate-limited auth requests (429 on POST login, register, logout) by real client IP, from Cloud Run request logs.',
      filter: (env) =>
        `${requestLogOf(env, env.services.api)} AND httpRequest.requestMethod="POST" AND ` +
        `((httpRequest.requestUrl=~"${urlPath('/api/v1/auth/login')}" AND httpRequest.status=401) OR ` +
        `(httpRequest.requestUrl=~"${urlPath(RATE_LIMITED_PATHS)}" AND httpRequest.status=429))`,
      valueType: 'INT64',
      labels: [
        {
          key: 'client_ip',
          description: 'real client IP',
          extractor: 'EXTRACT(httpRequest.remoteIp)',
          cardinality:
            'one series per IP that failed a login or was rate-limited in the alignment window: a few an hour normally; a distributed attack is capped by the platform at ~30,000 active series per metric (gcp-facts §3.4), which still leaves the per-IP alert working for the top offenders',
        },
        { key: 'status', description: '401 (failed login) or 429 (rate-limited)', extractor: 'EXTRACT(httpRequest.status)', cardinality: 'two values' },
      ],
    },
  }),
  logSignal({
    id: 'api_latency',
    title: 'API latency without the streaming endpoint',
    source: 'Cloud Run request log',
    service: 'api',
    description: `Request latency from Cloud Run request logs, excluding the server-sent-events endpoint (${STREAMING_ENDPOINT}), which holds requests open for minutes, and the uptime checks' /health.`,
    logMetric: {
      name: 'vividly/api_request_latencies',
      description: `API request latency in seconds from Cloud Run request logs, without ${STREAMING_ENDPOINT}.`,
      // Without the health endpoint too: its only callers are the uptime checks (synthetic, not users), and
      // leaving them out lets their request logs be excluded from storage (constructs/log-exclusions.ts).
      // Static assets are not API latency either (and leaving them out lets their request logs be excluded).
      filter: (env) =>
        `${requestLogOf(env, env.services.api)} AND NOT httpRequest.requestUrl=~"${urlPath(STREAMING_PATHS)}" AND NOT httpRequest.requestUrl=~"${urlPath(env.api.healthPath)}"` +
        ` AND NOT httpRequest.requestUrl=~"${urlPath(STATIC_ASSET_PATHS)}"`,
      valueType: 'DISTRIBUTION',
      unit: 's',
      labels: [],
      // httpRequest.latency is a google.protobuf.Duration. A value extractor converts the field to a string before the
      // regex and records the capture only if it converts to a double (Google's "Configure distribution metrics",
      // https://cloud.google.com/logging/docs/logs-based-metrics/distribution-metrics, and LogMetric.value_extractor,
      // https://cloud.google.com/logging/docs/reference/v2/rest/v2/projects.metrics). A Duration's string form is
      // seconds with up to nine fractional digits ending in "s" (HttpRequest.latency in the LogEntry reference,
      // https://cloud.google.com/logging/docs/reference/v2/rest/v2/LogEntry#HttpRequest: "Example: "3.5s""), so
      // EXTRACT() alone gives "0.123s", which is no double; the docs show no other form for Duration fields. Every form a real entry holds ("0.123s", "3s", "0s", "0.000123456s", "86400s")
      // is tested in __tests__/signals/value-forms.test.ts.
      valueExtractor: 'REGEXP_EXTRACT(httpRequest.latency, "^([0-9.]+)s$")',
      bucketBounds: LATENCY_BOUNDS,
    },
  }),

  // ---- The API's own log lines, matched in both the JSON and the text form ----
  logSignal({
    id: 'lockouts',
    title: 'Account lockouts',
    source: 'app log',
    service: 'api',
    description: 'Brute-force lockouts (security.py:146). The IP in the line is the proxy, never extracted; neither is the e-mail.',
    logMetric: {
      name: 'vividly/account_lockouts',
      description: 'Account lockouts logged by the brute-force middleware.',
      filter: (env) => `${cloudRunService(env.services.api)} AND ${appMessage('Account locked due to [0-9]+ failed attempts: ')}`,
      valueType: 'INT64',
      labels: [],
    },
  }),
  logSignal({
    id: 'locked_login_attempts',
    title: 'Login attempts while locked',
    source: 'app log',
    service: 'api',
    description: 'Requests refused with 429 because the account is locked (security.py:92).',
    logMetric: {
      name: 'vividly/locked_login_attempts',
      description: 'Login attempts refused while the account is locked.',
      filter: (env) => `${cloudRunService(env.services.api)} AND ${appMessage('Blocked login attempt for locked account: ')}`,
      valueType: 'INT64',
      labels: [],
    },
  }),
  logSignal({
    id: 'rate_limit_rejections',
    title: 'Rate-limit rejections (app log)',
    source: 'app log',
    service: 'api',
    description: 'Requests the rate-limit middleware rejected (security.py:180): login, register and logout only.',
    logMetric: {
      name: 'vividly/rate_limit_rejections',
      description: 'Requests rejected by the rate-limit middleware.',
      filter: (env) => `${cloudRunService(env.services.api)} AND ${appMessage('Rate limit exceeded: ')}`,
      valueType: 'INT64',
      labels: [],
    },
  }),
  logSignal({
    id: 'login_failure_reasons',
    title: 'Login failures by reason',
    source: 'app log',
    service: 'api',
    description: 'The reason of a failed login, only in print() lines, which are plain text in every environment (auth_service.py:89-125).',
    logMetric: {
      name: 'vividly/login_failure_reasons',
      description: 'Failed logins by reason, from the auth service print() lines.',
      filter: (env) =>
        `${cloudRunService(env.services.api)} AND textPayload=~"^.AuthService. (User not found for email|Password verification failed for user|User account not active): "`,
      valueType: 'INT64',
      labels: [
        {
          key: 'reason',
          description: 'user_not_found | invalid_password | inactive, as the app words them',
          extractor: 'REGEXP_EXTRACT(textPayload, "^.AuthService. (User not found|Password verification failed|User account not active)")',
          cardinality: 'three fixed phrases',
        },
      ],
    },
  }),
  logSignal({
    id: 'token_replays',
    title: 'Refresh-token replays',
    source: 'app log',
    service: 'api',
    description: 'Refresh tokens presented after rotation: a possible replay attack (auth_service.py:371).',
    logMetric: {
      name: 'vividly/token_refresh_replays',
      description: 'Refresh-token mismatches (possible replay attacks).',
      filter: (env) => `${cloudRunService(env.services.api)} AND ${appMessage('Refresh token mismatch for session ')}`,
      valueType: 'INT64',
      labels: [],
    },
  }),
  logSignal({
    id: 'db_connection_errors',
    title: 'Connection pool exhausted / refused',
    source: 'app log',
    service: 'api',
    description: 'SQLAlchemy QueuePool timeouts and PostgreSQL refusing connections (main.py:117).',
    logMetric: {
      name: 'vividly/db_connection_errors',
      description: 'Requests that failed because the connection pool was exhausted or the server refused connections.',
      filter: (env) =>
        `${cloudRunService(env.services.api)} AND ${appMessage('Database error on [^ ]+: (QueuePool limit of size [0-9]+ overflow [0-9]+ reached|.*remaining connection slots|.*too many clients)')}`,
      valueType: 'INT64',
      labels: [],
    },
  }),
  logSignal({
    id: 'metric_write_failures',
    title: 'Custom metric write failures',
    source: 'app log',
    service: 'api',
    description: 'The app failing to write its own custom metrics (metrics.py:133): wrong project, or more than one point per 5 s.',
    logMetric: {
      name: 'vividly/metric_write_failures',
      description: 'Failed custom-metric writes by the API.',
      filter: (env) => `${cloudRunService(env.services.api)} AND ${appMessage('Failed to write metric ')}`,
      valueType: 'INT64',
      labels: [],
    },
  }),

  // ---- The push worker: stderr text only ----
  logSignal({
    id: 'generation_completed',
    title: 'Content generations completed',
    source: 'worker log',
    service: 'pushWorker',
    description: 'Requests the worker completed, generated or from cache (push_worker.py:375-407).',
    logMetric: {
      name: 'vividly/content_generation_completed',
      description: 'Content generation requests completed by the push worker.',
      filter: (env) => `${cloudRunService(env.services.pushWorker)} AND ${workerMessage('Request completed (successfully|from cache): request_id=')}`,
      valueType: 'INT64',
      labels: [
        {
          key: 'source',
          description: 'successfully | from cache',
          extractor: 'REGEXP_EXTRACT(textPayload, "Request completed (successfully|from cache): ")',
          cardinality: 'two values',
        },
      ],
    },
  }),
  logSignal({
    id: 'generation_duration',
    title: 'Content generation duration',
    source: 'worker log',
    service: 'pushWorker',
    description: 'End-to-end generation time the worker logs on completion (`duration=12.3s`).',
    logMetric: {
      name: 'vividly/content_generation_duration',
      description: 'Seconds per completed content generation, from the push worker log.',
      filter: (env) =>
        `${cloudRunService(env.services.pushWorker)} AND ${workerMessage('Request completed (successfully|from cache): request_id=.*duration=[0-9.]+s')}`,
      valueType: 'DISTRIBUTION',
      unit: 's',
      labels: [],
      valueExtractor: 'REGEXP_EXTRACT(textPayload, "duration=([0-9.]+)s")',
      bucketBounds: GENERATION_BOUNDS,
    },
  }),
  logSignal({
    id: 'generation_failures',
    title: 'Content generations failed',
    source: 'worker log',
    service: 'pushWorker',
    description:
      'Requests marked failed, by stage: the one ERROR line the request service writes whenever a request is marked failed ' +
      '(`Request failed: id=<uuid>, stage=<stage>, error=<message>`, content_request_service.py:254-257), on every path that ' +
      'fails one (unexpected status, exception, invalid JSON in the message: push_worker.py:467,481,494). A redelivered ' +
      'message that fails again is counted again (see generation_retries).',
    logMetric: {
      name: 'vividly/content_generation_failures',
      description: 'Content generation requests marked failed (request service set_error line), by stage.',
      // Not `Request <id>: Unexpected generation status` / `Request <id> failed:` (push_worker.py:465,490): those miss
      // the invalid-JSON path and sit next to this line on the others, so counting them as well would count twice.
      filter: (env) => `${cloudRunService(env.services.pushWorker)} AND ${workerMessage(`${SET_ERROR_LINE}[^ ,]+, stage=`)}`,
      valueType: 'INT64',
      labels: [
        {
          key: 'stage',
          description: 'content_generation | message_parsing (empty for a stage not in this list)',
          extractor: `REGEXP_EXTRACT(textPayload, "${SET_ERROR_LINE}[^ ,]+, stage=(${FAILURE_STAGES.join('|')}), ")`,
          cardinality: `${FAILURE_STAGES.length} fixed stages (every set_error caller: push_worker.py:467-498, content_worker.py:542-584) and empty`,
        },
      ],
    },
  }),
  logSignal({
    id: 'generation_retries',
    title: 'Content generations retried',
    source: 'worker log',
    service: 'pushWorker',
    description: 'Messages answered 500 so Pub/Sub redelivers them (push_worker.py:140).',
    logMetric: {
      name: 'vividly/content_generation_retries',
      description: 'Push messages the worker failed and Pub/Sub will retry.',
      filter: (env) => `${cloudRunService(env.services.pushWorker)} AND ${workerMessage('Message [^ ]+ processing failed, will retry')}`,
      valueType: 'INT64',
      labels: [],
    },
  }),
];

/** The app's `custom.googleapis.com/vividly/*` metrics, as the app really writes them: auto-created GAUGE (vividly-app.md §3). */
export interface CustomMetricSpec {
  name: string;
  valueType: 'INT64' | 'DOUBLE';
  labels: string[];
  description: string;
  /** Whether any production code path writes it (§3.1). */
  written: boolean;
}

export const appCustomMetrics: CustomMetricSpec[] = [
  {
    name: 'rate_limit_hits_total',
    valueType: 'INT64',
    labels: ['endpoint', 'ip_address'],
    written: false,
    description: 'Rate-limit checks (the Redis limiter that would write it is not mounted).',
  },
  {
    name: 'rate_limit_exceeded_total',
    valueType: 'INT64',
    labels: ['endpoint', 'ip_address'],
    written: false,
    description: 'Rate-limit rejections (not mounted).',
  },
  { name: 'brute_force_lockouts_total', valueType: 'INT64', labels: ['ip_address', 'email'], written: false, description: 'Lockouts (no caller).' },
  { name: 'rate_limit_middleware_latency_ms', valueType: 'DOUBLE', labels: ['endpoint'], written: false, description: 'Limiter latency (not mounted).' },
  { name: 'auth_login_attempts_total', valueType: 'INT64', labels: ['status', 'user_role'], written: false, description: 'Login attempts (no caller).' },
  { name: 'auth_login_failures_total', valueType: 'INT64', labels: ['reason'], written: false, description: 'Login failures (no caller).' },
  { name: 'auth_token_refresh_total', valueType: 'INT64', labels: ['status'], written: false, description: 'Token refreshes (no caller).' },
  {
    name: 'auth_session_duration_seconds',
    valueType: 'DOUBLE',
    labels: [],
    written: false,
    description: 'Session lifetime (no caller; the app logs no session end).',
  },
  {
    name: 'auth_active_sessions',
    valueType: 'INT64',
    labels: ['user_role'],
    written: false,
    description: 'Active sessions (no caller): the contract for a future gauge.',
  },
  {
    name: 'http_request_total',
    valueType: 'INT64',
    labels: ['method', 'endpoint', 'status_code'],
    written: true,
    description: 'One point per request reaching the logging middleware, to project vividly-dev-rich in every environment (§3.3).',
  },
  {
    name: 'http_request_duration_seconds',
    valueType: 'DOUBLE',
    labels: ['method', 'endpoint'],
    written: true,
    description: 'Request duration, one GAUGE point per request (§3.2).',
  },
  {
    name: 'content_generation_requests_total',
    valueType: 'INT64',
    labels: ['status'],
    written: false,
    description: 'Content generation requests (no caller).',
  },
  {
    name: 'content_generation_duration_seconds',
    valueType: 'DOUBLE',
    labels: ['stage'],
    written: false,
    description: 'Generation stage durations (no caller).',
  },
];

/** The plan's thirteen metrics and the signals that make each one real. */
export interface PlanMetric {
  name: string;
  meaning: string;
  signals: SignalId[];
  notes: string;
}

export const planMetrics: PlanMetric[] = [
  {
    name: 'rate_limit_hits_total',
    meaning: 'rate-limit checks',
    signals: ['tracked_route_requests'],
    notes: 'every request to login/register/logout is one check (the middleware limits exactly these paths)',
  },
  {
    name: 'rate_limit_exceeded_total',
    meaning: 'requests rejected with 429',
    signals: ['api_requests', 'tracked_route_requests', 'rate_limit_rejections'],
    notes: 'request_count response_code=429 is complete; by endpoint from request logs',
  },
  {
    name: 'brute_force_lockouts_total',
    meaning: 'account lockouts',
    signals: ['lockouts', 'auth_rejections_by_ip'],
    notes: 'lockouts from the app log; per real client IP from request logs',
  },
  { name: 'rate_limit_middleware_latency_ms', meaning: 'limiter processing time', signals: [], notes: 'no source yet: the metric descriptor is the contract' },
  { name: 'auth_login_attempts_total', meaning: 'login attempts by status', signals: ['tracked_route_requests'], notes: 'route=/api/v1/auth/login by status' },
  {
    name: 'auth_login_failures_total',
    meaning: 'failed logins by reason',
    signals: ['login_failure_reasons', 'tracked_route_requests'],
    notes: 'reasons only in print() lines; totals from request logs (401/403)',
  },
  {
    name: 'auth_token_refresh_total',
    meaning: 'token refreshes by status',
    signals: ['tracked_route_requests', 'token_replays'],
    notes: 'route=/api/v1/auth/refresh by status; replays from the app log',
  },
  { name: 'auth_session_duration_seconds', meaning: 'session lifetime', signals: [], notes: 'no source yet: the app logs no session end' },
  { name: 'auth_active_sessions', meaning: 'active sessions', signals: [], notes: 'no source yet: the metric descriptor is the contract for a gauge' },
  {
    name: 'http_request_total',
    meaning: 'requests by endpoint and status',
    signals: ['api_requests', 'tracked_route_requests'],
    notes: "request_count (the app's own GAUGE writes are lossy and go to the dev project)",
  },
  { name: 'http_request_duration_seconds', meaning: 'request latency', signals: ['api_latency'], notes: 'from request logs, without the streaming endpoint' },
  {
    name: 'content_generation_requests_total',
    meaning: 'content generation by status',
    signals: ['tracked_route_requests', 'generation_completed', 'generation_failures', 'generation_retries', 'worker_requests'],
    notes: 'accepted/failed at the API by status; completed/failed/retried in the worker',
  },
  {
    name: 'content_generation_duration_seconds',
    meaning: 'time per generation',
    signals: ['generation_duration'],
    notes: 'end-to-end only: the worker logs no per-stage durations',
  },
];

/** The Monitoring filter of a query: its signal's filter, the query's extra label terms, and any further terms. */
export function queryFilter(env: EnvironmentConfig, query: { signal: SignalId; where?: string }, extra?: string): string {
  return [signalById(query.signal).filter(env), query.where, extra].filter(Boolean).join(' AND ');
}

export function signalById(id: SignalId): Signal {
  const signal = signals.find((s) => s.id === id);
  if (!signal) throw new Error(`catalog: unknown signal "${id}"`);
  return signal;
}

export const logMetricSignals = (): Signal[] => signals.filter((s) => s.logMetric);
