/**
 * A week of prod-shaped history, recorded in the REST API's JSON format for the loopback server (api-server.ts).
 *
 * Traffic: docs/reference/traffic.md prod figures (diurnal 1 → 20 rps, UTC-6, weekends at 30 %, 0.2 % 5xx, 0.5 %
 * 429, p95 350 ms, 30-60 Cloud SQL connections) with ±20 % seeded noise and Poisson counts (gcp/simulate
 * generators), plus the uptime checks (4 checker locations, one check every 5 minutes each: see UPTIME_PERIOD_S).
 * The real incident: Wednesday 2025-11-05 17:00-17:40 UTC (11:00 local), the database pool is exhausted: 30 % of
 * requests fail with 503, Cloud SQL connections reach ~200 and the app logs its QueuePool error line
 * (main.py:117, as tools/drill writes it) about 3 times a minute.
 * A busy afternoon: Tuesday 2025-11-04 16:00-20:00 UTC at 1.5 times the usual traffic with the usual 0.2 % of 5xx
 * (a district-wide assignment): nothing is wrong, but 0.2 % of 30 rps is 0.06 errors a second, above the app's
 * absolute 0.05/s "High Error Rate" threshold.
 * A gap: Cloud SQL's num_backends has no points 2025-11-07 08:00-09:00 UTC.
 * Log-based metrics: all deployed since 2025-09-01 with the working tree's definitions, except
 * `vividly/db_connection_errors`, which is new (not deployed): the backtest rebuilds it from the log entries.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { appTextEntry, runAppHost } from '../../tools/shared/log-entries';
import { loadPolicyFile } from '../../gcp/simulate/policies';
import { timeSeriesToApi } from '../../tools/backtest/convert';
import { parseScenario } from '../../gcp/simulate/scenario';
import type { TimeSeries } from '../../gcp/simulate/types';
import type { ApiData, Json } from './api-server';

export const WEEK = { from: '2025-11-03T00:00:00Z', to: '2025-11-10T00:00:00Z' };
/**
 * Where the recorded history starts: two days before the week. The longest lookback of the prod policies (the 24 h
 * SLO burn windows, plus ingestion delay and slack) needs one; e2e.test.ts checks that it fits. (It was four days,
 * from a 3-day window since shortened; every day recorded is generated, served and decoded for nothing.)
 */
export const DATA_FROM = '2025-11-01T00:00:00Z';
export const INCIDENT = { start: '2025-11-05T17:00:00Z', end: '2025-11-05T17:40:00Z' };
/** A busy afternoon (a district-wide assignment): traffic x1.5, error share unchanged: no user-visible problem. */
export const BUSY = { at: '2025-11-04T16:00:00Z', until: '2025-11-04T20:00:00Z' };
export const GAP = { from: '2025-11-07T08:00:00Z', until: '2025-11-07T09:00:00Z' };
export const NOW = '2025-11-10T06:00:00Z';
/** The ids the API assigned to the deployed uptime checks (the synth names them by Terraform resource name). */
export const UPTIME_IDS = { api: 'vividly-api-prod-health-x7Qm2c', pushWorker: 'vividly-push-worker-prod-health-9LkT0a' };
export const NEW_LOG_METRIC = 'vividly/db_connection_errors';

const api = {
  type: 'cloud_run_revision',
  labels: { service_name: 'prod-vividly-api', revision_name: 'prod-vividly-api-00042-abc', location: 'us-central1', configuration_name: 'prod-vividly-api' },
};
const traffic = (seed: number) => [
  { diurnal: { floor: 1, peak: 20, tzOffsetHours: -6 } },
  { noise: { pct: 20, seed } },
  { step: { ...BUSY, before: 1, after: 1.5 } },
];
const during = { at: INCIDENT.start, until: INCIDENT.end };
const CHECKERS = ['usa-iowa', 'usa-virginia', 'europe', 'asia-pacific'];
/**
 * The deployed uptime checks run every 5 minutes (a period the API offers: 1, 5, 10 or 15 min) where the working tree
 * says 1 minute. The backtest reads check results whatever their period; at one a minute the eight check series were
 * 58 % of the week's points (what the real client libraries decode, the test's main cost). Every 5 minutes still puts a
 * point of each location in every 300 s ALIGN_NEXT_OLDER window of Service Down and Push Worker Down, so what the test
 * proves about them stands: they read the deployed check ids, have data all week (no gap) and stay quiet while the
 * checks pass.
 */
const UPTIME_PERIOD_S = 300;
const LATENCY_BOUNDS = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 4, 5, 7.5, 10, 15, 30, 60, 120, 300];

function scenarioSeries(): TimeSeries[] {
  const rc = (code: string, cls: string) => ({ type: 'run.googleapis.com/request_count', labels: { response_code: code, response_code_class: cls } });
  const uptime = (checkId: string, resource: Json) =>
    CHECKERS.map((loc) => ({
      metric: { type: 'monitoring.googleapis.com/uptime_check/check_passed', labels: { check_id: checkId, checker_location: loc } },
      resource,
      kind: 'GAUGE',
      valueType: 'BOOL',
      step: `${UPTIME_PERIOD_S}s`,
      value: 1,
    }));
  const sc = parseScenario(
    {
      name: 'prod week',
      start: DATA_FROM,
      end: WEEK.to,
      series: [
        {
          metric: rc('200', '2xx'),
          resource: api,
          kind: 'DELTA',
          valueType: 'INT64',
          counts: { poisson: { seed: 11 } },
          value: { product: [...traffic(1), { step: { ...during, before: 0.993, after: 0.693 } }] },
        },
        {
          metric: rc('500', '5xx'),
          resource: api,
          kind: 'DELTA',
          valueType: 'INT64',
          counts: { poisson: { seed: 12 } },
          value: { product: [...traffic(2), 0.002] },
        },
        {
          metric: rc('503', '5xx'),
          resource: api,
          kind: 'DELTA',
          valueType: 'INT64',
          counts: { poisson: { seed: 13 } },
          value: { product: [...traffic(3), { step: { ...during, after: 0.3 } }] },
        },
        {
          metric: rc('429', '4xx'),
          resource: api,
          kind: 'DELTA',
          valueType: 'INT64',
          counts: { poisson: { seed: 14 } },
          value: { product: [...traffic(4), 0.005] },
        },
        {
          metric: { type: 'cloudsql.googleapis.com/database/postgresql/num_backends', labels: {} },
          resource: { type: 'cloudsql_database', labels: { database_id: 'vividly-prod:prod-vividly-db', region: 'us-central', project_id: 'vividly-prod' } },
          kind: 'GAUGE',
          valueType: 'INT64',
          gaps: [GAP],
          value: { sum: [{ diurnal: { floor: 30, peak: 60, tzOffsetHours: -6 } }, { step: { ...during, after: 140 } }] },
        },
        {
          metric: { type: 'logging.googleapis.com/user/vividly/api_request_latencies', labels: {} },
          resource: api,
          kind: 'DELTA',
          valueType: 'DISTRIBUTION',
          latency: { p50: 0.12, p95: 0.35, rate: { product: [...traffic(5), 0.99] }, bucketOptions: { explicitBuckets: { bounds: LATENCY_BOUNDS } } },
        },
        ...uptime(UPTIME_IDS.api, { type: 'uptime_url', labels: { host: 'api.vividly.mnps.edu', project_id: 'vividly-prod' } }),
        ...uptime(UPTIME_IDS.pushWorker, {
          type: 'cloud_run_revision',
          labels: { service_name: 'prod-vividly-push-worker', revision_name: 'prod-vividly-push-worker-00007-xyz', location: 'us-central1' },
        }),
      ],
    },
    'prod-week',
  );
  return sc.series;
}

/** Simulator series → REST JSON TimeSeries: the backtest's own inverse conversion. */
export const toRest = timeSeriesToApi;

function entries(): Json[] {
  const out: Json[] = [];
  const host = runAppHost('prod');
  const paths = ['/api/v1/content/recent', '/api/v1/auth/me', '/api/v1/content/history'];
  const start = Date.parse(INCIDENT.start);
  for (let t = start + 7_000, i = 0; t < Date.parse(INCIDENT.end); t += 20_000, i++) {
    out.push(
      appTextEntry(
        'prod',
        `Database error on http://${host}${paths[i % 3]}: QueuePool limit of size 10 overflow 20 reached, connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)`,
        {
          level: 'ERROR',
          logger: 'app.main',
          function: 'sqlalchemy_exception_handler',
          line: 117,
          timestamp: new Date(t),
        },
      ),
    );
  }
  // Near misses the metric's filter must not count: other database errors, and the same line from the push worker.
  for (const day of ['2025-11-04T15:12:00Z', '2025-11-06T18:40:00Z', '2025-11-08T02:05:00Z']) {
    out.push(
      appTextEntry(
        'prod',
        `Database error on http://${host}/api/v1/content/recent: (psycopg2.errors.UniqueViolation) duplicate key value violates unique constraint`,
        { level: 'ERROR', line: 117, function: 'sqlalchemy_exception_handler', timestamp: day },
      ),
    );
  }
  out.push(
    appTextEntry('prod', `Database error on http://${host}/x: QueuePool limit of size 10 overflow 20 reached`, {
      level: 'ERROR',
      service: 'prod-vividly-push-worker',
      timestamp: '2025-11-06T12:00:00Z',
    }),
  );
  return out;
}

/** The deployed log-based metrics: the working tree's definitions, created 2025-09-01, minus the new one. */
function deployedLogMetrics(stack: string): Json[] {
  return loadPolicyFile(stack)
    .logMetrics.filter((m) => m.metric.name !== NEW_LOG_METRIC)
    .map((m) => ({
      name: m.metric.name,
      filter: m.metric.filter,
      ...(m.metric.labelExtractors ? { labelExtractors: m.metric.labelExtractors } : {}),
      ...(m.metric.valueExtractor ? { valueExtractor: m.metric.valueExtractor } : {}),
      ...(m.bucketOptions ? { bucketOptions: m.bucketOptions } : {}),
      metricDescriptor: { type: `logging.googleapis.com/user/${m.metric.name}`, metricKind: 'DELTA', valueType: m.metric.valueType ?? 'INT64' },
      createTime: '2025-09-01T10:00:00Z',
      updateTime: '2025-09-01T10:00:00Z',
    }));
}

let cached: Json[] | undefined;

/** The recorded API data of the prod week; `stack` is the working tree's prod cdk.tf.json. */
export function prodWeek(stack: string): ApiData {
  cached ??= scenarioSeries().map((s) => toRest(s));
  const appPolicy = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'simulate', 'fixtures', 'high-error-rate.json'), 'utf8'));
  return {
    timeSeries: cached,
    entries: entries(),
    logMetrics: deployedLogMetrics(stack),
    alertPolicies: [{ ...appPolicy, name: 'projects/vividly-prod/alertPolicies/1234567890' }],
    uptimeCheckConfigs: [
      { name: `projects/vividly-prod/uptimeCheckConfigs/${UPTIME_IDS.api}`, displayName: 'Vividly API (prod) /health', period: `${UPTIME_PERIOD_S}s` },
      {
        name: `projects/vividly-prod/uptimeCheckConfigs/${UPTIME_IDS.pushWorker}`,
        displayName: 'Vividly push worker (prod) /health',
        period: `${UPTIME_PERIOD_S}s`,
      },
    ],
    seriesPageSize: 1,
    entriesPageSize: 50,
  };
}
