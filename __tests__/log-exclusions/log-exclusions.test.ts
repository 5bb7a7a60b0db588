/**
 * The log exclusions never drop an entry a log-based metric counts, and they do drop what they target. Proven with
 * the Logging-query evaluator on entries built in the app's and Cloud Run's real formats.
 */
import { loadEnvironments } from '../../environments';
import { exclusionSpecs, logMetricsOn } from '../../constructs/log-exclusions';
import { UPTIME_CHECKER_USER_AGENT } from '../../catalog/signals';
import { evaluateLogMetric, loadLogMetrics, matches, parseFilter } from '../../gcp/logging-query';
import type { LogEntry } from '../../gcp/logging-query';
import { appJsonEntry, appTextEntry, printEntry, requestLogEntry, workerEntry, type Env } from '../support/log-entries';
import { ENVS, loadStack, resourcesOf } from '../support/synth';

const UPTIME_UA = UPTIME_CHECKER_USER_AGENT;

/** Entries every log metric of the catalog is meant to count, plus neighbours of the exclusion targets. */
function corpus(env: Env): LogEntry[] {
  const worker = `${env}-vividly-push-worker`;
  const app = (m: string, level: 'INFO' | 'WARNING' | 'ERROR' = 'INFO') => [
    appJsonEntry(env, m, { severity: level, logger: 'app.middleware.security' }),
    appTextEntry(env, m, { level, logger: 'app.middleware.security' }),
  ];
  return [
    // Request logs: tracked routes, failed logins, latency (every request but the stream), health and uptime probes.
    requestLogEntry(env, { method: 'POST', path: '/api/v1/auth/login', status: 401, remoteIp: '198.51.100.9' }),
    requestLogEntry(env, { method: 'POST', path: '/api/v1/auth/login', status: 200 }),
    requestLogEntry(env, { method: 'POST', path: '/api/v1/content/generate', status: 202 }),
    requestLogEntry(env, { method: 'GET', path: '/api/v1/students/me', status: 200, latencySeconds: 0.3 }),
    requestLogEntry(env, { method: 'GET', path: '/health', status: 200, userAgent: UPTIME_UA }),
    requestLogEntry(env, { method: 'GET', path: '/health', status: 200 }),
    requestLogEntry(env, { method: 'GET', path: '/health', status: 503, userAgent: UPTIME_UA }),
    requestLogEntry(env, { method: 'GET', path: '/favicon.ico', status: 404 }),
    requestLogEntry(env, { method: 'GET', path: '/api/docs', status: 200 }),
    requestLogEntry(env, { method: 'GET', path: '/static/app.css', status: 500 }),
    requestLogEntry(env, { method: 'GET', path: '/health', status: 200, userAgent: UPTIME_UA, service: worker }),
    requestLogEntry(env, { method: 'POST', path: '/push', status: 500, service: worker }),
    // App lines the metrics count, in both forms.
    ...app('Account locked due to 5 failed attempts: a@b.c from 169.254.1.1', 'WARNING'),
    ...app('Blocked login attempt for locked account: a@b.c from 169.254.1.1', 'WARNING'),
    ...app('Rate limit exceeded: 169.254.1.1 on /api/v1/auth/login', 'WARNING'),
    ...app('Refresh token mismatch for session session_1', 'WARNING'),
    ...app('Database error on /api/v1/students: QueuePool limit of size 10 overflow 20 reached, connection timed out', 'ERROR'),
    ...app('Failed to write metric http_request_total: 403 Permission denied', 'ERROR'),
    printEntry(env, '[AuthService] User not found for email: x@y.z'),
    printEntry(env, '[AuthService] Password verification failed for user: x@y.z'),
    // The health lines the exclusions target, and their failures.
    appJsonEntry(env, 'GET /health', { logger: 'app.middleware.logging_middleware', fields: { method: 'GET', path: '/health', user_agent: UPTIME_UA } }),
    appJsonEntry(env, 'GET /health - 200', { logger: 'app.middleware.logging_middleware', fields: { status_code: 200 } }),
    appJsonEntry(env, 'GET /health - 500', { logger: 'app.middleware.logging_middleware', severity: 'INFO' }),
    appJsonEntry(env, 'GET /health - ERROR', { logger: 'app.middleware.logging_middleware', severity: 'ERROR' }),
    appTextEntry(env, 'GET /health', { logger: 'app.middleware.logging_middleware', requestId: 'r1', correlationId: 'r1' }),
    appTextEntry(env, 'GET /health - 200', { logger: 'app.middleware.logging_middleware', requestId: 'r1', correlationId: 'r1' }),
    appTextEntry(env, 'GET /health - 503', { logger: 'app.middleware.logging_middleware', requestId: 'r1' }),
    appJsonEntry(env, 'GET /favicon.ico - 404', { logger: 'app.middleware.logging_middleware' }),
    appJsonEntry(env, 'GET /api/v1/health - 200', { logger: 'app.middleware.logging_middleware' }),
    // Worker lines.
    workerEntry(env, 'Request completed successfully: request_id=7d3c duration=12.3s'),
    workerEntry(env, 'Request 7d3c0c3e-1111-2222-3333-444455556666 failed: timeout', 'ERROR'),
    // what the failure metric counts: the request service's set_error line (content_request_service.py:254-257)
    workerEntry(env, 'Request failed: id=7d3c0c3e-1111-2222-3333-444455556666, stage=content_generation, error=timeout', 'ERROR', {
      logger: 'app.services.content_request_service',
    }),
    workerEntry(env, 'Message 123 processing failed, will retry', 'ERROR'),
  ];
}

describe.each(ENVS)('log exclusions (%s)', (name) => {
  const [env] = loadEnvironments([name]);
  const stack = loadStack(name);
  const synthExclusions = Object.values(resourcesOf(stack, 'google_logging_project_exclusion'));
  const metrics = loadLogMetrics(stack);
  const entries = corpus(name);
  const excluded = (e: LogEntry) => synthExclusions.filter((x) => matches(parseFilter(x.filter), e)).map((x) => x.name as string);

  it('synthesizes one exclusion per enabled flag, with the construct filter', () => {
    const specs = exclusionSpecs(env);
    expect(synthExclusions.map((x) => x.name).sort()).toEqual(specs.map((s) => s.name).sort());
    expect(specs.map((s) => s.id).sort()).toEqual(
      Object.entries(env.logExclusions)
        .filter(([, on]) => on)
        .map(([id]) => id)
        .sort(),
    );
    for (const x of synthExclusions) expect(x.filter.length).toBeLessThanOrEqual(20000);
  });

  it('the corpus exercises every log metric of the stack', () => {
    expect(metrics.length).toBeGreaterThan(10);
    for (const m of metrics) {
      if (m.name === 'vividly/content_generation_duration') continue; // same entries as ..._completed
      expect({ metric: m.name, hit: entries.some((e) => evaluateLogMetric(m, e).matched) }).toEqual({ metric: m.name, hit: true });
    }
  });

  it('no exclusion matches an entry that any log metric matches', () => {
    for (const e of entries) {
      const counted = metrics.filter((m) => evaluateLogMetric(m, e).matched).map((m) => m.name);
      if (counted.length)
        expect({ entry: e.textPayload ?? e.jsonPayload?.message ?? e.httpRequest?.requestUrl, counted, excluded: excluded(e) }).toMatchObject({ excluded: [] });
    }
  });

  it('drops the uptime probes and healthy /health lines it targets, and keeps failures', () => {
    const find = (pred: (e: LogEntry) => boolean) => entries.find(pred)!;
    const workerProbe = find((e) => e.resource?.labels?.service_name?.endsWith('push-worker') === true && e.httpRequest?.userAgent === UPTIME_UA);
    expect(excluded(workerProbe)).toEqual(expect.arrayContaining(['vividly-uptime-check-requests', 'vividly-successful-health-checks']));
    const msg = (m: string) => find((e) => e.jsonPayload?.message === m);
    const txt = (m: string) => find((e) => typeof e.textPayload === 'string' && e.textPayload.includes(` - ${m} [`));
    expect(excluded(msg('GET /health'))).toEqual(expect.arrayContaining(['vividly-uptime-check-requests', 'vividly-successful-health-checks']));
    expect(excluded(msg('GET /health - 200'))).toEqual(['vividly-successful-health-checks']);
    expect(excluded(txt('GET /health'))).toEqual(['vividly-successful-health-checks']);
    expect(excluded(txt('GET /health - 200'))).toEqual(['vividly-successful-health-checks']);
    // Failures of the health endpoint stay stored.
    expect(excluded(msg('GET /health - 500'))).toEqual([]);
    expect(excluded(msg('GET /health - ERROR'))).toEqual([]);
    expect(excluded(txt('GET /health - 503'))).toEqual([]);
    expect(excluded(find((e) => e.httpRequest?.status === 503))).toEqual([]);
    // Another health route is not the health check.
    expect(excluded(msg('GET /api/v1/health - 200'))).toEqual([]);
  });

  it("drops the API's successful probe request logs, which no log metric counts (the latency metric leaves /health out)", () => {
    const apiProbe = entries.find(
      (e) => e.resource?.labels?.service_name === env.services.api && e.httpRequest?.userAgent === UPTIME_UA && e.httpRequest.status === 200,
    )!;
    expect(metrics.filter((m) => evaluateLogMetric(m, apiProbe).matched).map((m) => m.name)).toEqual([]);
    expect(excluded(apiProbe)).toEqual(expect.arrayContaining(['vividly-uptime-check-requests', 'vividly-successful-health-checks']));
  });

  it('static asset exclusion follows its flag and keeps server errors', () => {
    const favicon = entries.find((e) => e.jsonPayload?.message === 'GET /favicon.ico - 404')!;
    const serverError = entries.find((e) => e.httpRequest?.status === 500 && e.httpRequest.requestUrl?.endsWith('/static/app.css'))!;
    expect(excluded(favicon)).toEqual(env.logExclusions.staticAssetRequests ? ['vividly-static-asset-requests'] : []);
    // The request logs too: no log metric counts static assets, so nothing guards them from the exclusion.
    for (const path of ['/favicon.ico', '/static/app.css', '/api/docs', '/api/openapi.json']) {
      const request = requestLogEntry(env.name, { method: 'GET', path, status: 200 });
      expect(metrics.filter((m) => evaluateLogMetric(m, request).matched).map((m) => m.name)).toEqual([]);
      expect(excluded(request)).toEqual(env.logExclusions.staticAssetRequests ? ['vividly-static-asset-requests'] : []);
    }
    expect(excluded(serverError)).toEqual([]);
  });
});

describe('the log metrics an exclusion guards: read from the parsed filter, not its text', () => {
  const metric = (name: string, filter: string) => ({ name, filter });
  const RUN = 'resource.type="cloud_run_revision"';
  const metrics = [
    metric('compact', `${RUN} AND resource.labels.service_name="api"`),
    metric('spaced', `${RUN} AND resource.labels.service_name = "api" AND jsonPayload.message:"x"`),
    metric('unquoted', `${RUN} AND resource.labels.service_name=worker`),
    metric('either', `${RUN} AND (resource.labels.service_name = "worker" OR resource.labels.service_name = "api")`),
    metric('other service', `${RUN} AND resource.labels.service_name="billing"`),
    metric('any service', `${RUN} AND jsonPayload.message:"x"`),
    metric('has, not equals', `${RUN} AND resource.labels.service_name:"api"`),
    metric('two pins that disagree', `resource.labels.service_name="api" AND resource.labels.service_name="worker"`),
    // Valid for Logging, refused by the offline evaluator: guarded, whatever their service term says.
    metric('sampled', `resource.labels.service_name="billing" AND sample(insertId, 0.1)`),
    metric('search', `resource.labels.service_name="billing" AND SEARCH("x")`),
  ];
  const names = (services: string[]) => logMetricsOn(services, metrics).map((m) => m.name);

  it('keeps each metric that may count an entry of the services, however its service term is written', () => {
    const unreadable = ['sampled', 'search'];
    expect(names(['api'])).toEqual(['compact', 'spaced', 'either', 'any service', 'has, not equals', ...unreadable]);
    expect(names(['worker'])).toEqual(['unquoted', 'either', 'any service', 'has, not equals', ...unreadable]);
    expect(names(['api', 'worker'])).toEqual(['compact', 'spaced', 'unquoted', 'either', 'any service', 'has, not equals', ...unreadable]);
  });

  it.each([
    ['unbalanced parentheses', `${RUN} AND (`],
    ['a regular expression RE2 rejects', `${RUN} AND jsonPayload.message=~"("`],
  ])('stops on a mistake in a metric filter (%s), not only at deploy', (_what, filter) => {
    expect(() => logMetricsOn(['api'], [metric('broken', filter)])).toThrow(/line 1, column \d+/);
  });
});
