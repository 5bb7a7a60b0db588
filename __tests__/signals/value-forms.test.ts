/**
 * Issue 12, defect 8: the forms a value really takes, through the deployed extractors and filters.
 *
 * - httpRequest.latency is a protobuf Duration: seconds with up to nine fractional digits and an "s" (the LogEntry
 *   reference's "3.5s"; Cloud Run writes e.g. "0.004016627s"). The latency distribution's REGEXP_EXTRACT must turn
 *   every such form into the right double, including whole seconds, zero, nanosecond precision and large values.
 * - request_count's response_code is an INT64 label: the 429 selection compares it to a number (catalog/signals.ts
 *   SELECT.rateLimited), and no catalog query compares an INT64 label to a quoted string (the class guard).
 */
import { resolveAlerts } from '../../catalog/alerts';
import { dashboards, queriesOf, tilesOf } from '../../catalog/dashboards';
import type { SignalId } from '../../catalog/ids';
import { SELECT, signalById } from '../../catalog/signals';
import { isSloCondition } from '../../catalog/types';
import { loadEnvironments } from '../../environments';
import { matchesFilter, parseMonitoringFilter, type SeriesIdentity } from '../../gcp/simulate/filter';
import { requestLogEntry } from '../support/log-entries';
import { deployedMetrics, ENVS } from './support';

const withLatency = (latency: string, env: (typeof ENVS)[number] = 'prod') => {
  const e = requestLogEntry(env, { method: 'GET', path: '/api/v1/content/recent', status: 200 });
  (e.httpRequest as Record<string, unknown>).latency = latency;
  return e;
};

describe('httpRequest.latency: every Duration form a LogEntry holds becomes the right number of seconds', () => {
  const forms: Array<[string, number]> = [
    ['0.123s', 0.123],
    ['3s', 3],
    ['0s', 0],
    ['2s', 2], // exactly the latency SLO's threshold (distribution range max 2)
    ['2.000000001s', 2.000000001],
    ['0.000123456s', 0.000123456],
    ['0.004016627s', 0.004016627],
    ['1.500s', 1.5],
    ['86400s', 86400],
    ['315576000000s', 315576000000], // the largest Duration protobuf allows (10,000 years)
  ];

  test.each(ENVS)('%s: the deployed api_request_latencies metric', (env) => {
    const metric = deployedMetrics(env).get('api_request_latencies')!;
    expect(metric.valueExtractor).toBeDefined();
    for (const [latency, seconds] of forms) {
      const r = metric.evaluate(withLatency(latency, env));
      expect({ latency, matched: r.matched, dropped: r.valueDropped, value: r.value }).toEqual({ latency, matched: true, dropped: false, value: seconds });
    }
  });

  test('forms that are not a Duration string are dropped, not misread', () => {
    const metric = deployedMetrics('prod').get('api_request_latencies')!;
    for (const latency of ['0.123', '123ms', 'abc s', '']) {
      expect({ latency, value: metric.evaluate(withLatency(latency)).value }).toEqual({ latency, value: undefined });
    }
  });
});

describe('request_count response_code (INT64) is compared to a number', () => {
  const series = (code: string): SeriesIdentity => ({
    metric: { type: 'run.googleapis.com/request_count', labels: { response_code: code, response_code_class: `${code[0]}xx` } },
    resource: { type: 'cloud_run_revision', labels: {} },
  });

  test('SELECT.rateLimited selects 429 and nothing else', () => {
    const f = parseMonitoringFilter(SELECT.rateLimited);
    expect(matchesFilter(f, series('429'))).toBe(true);
    for (const other of ['200', '4290', '428', '500']) expect(matchesFilter(f, series(other))).toBe(false);
  });

  /** Every query the catalog builds, with the signal it reads. */
  const catalogQueries = (): Array<{ where: string; signal: SignalId; from: string }> => {
    const out: Array<{ where: string; signal: SignalId; from: string }> = [];
    for (const env of loadEnvironments()) {
      for (const a of resolveAlerts(env)) {
        for (const c of a.conditions) {
          if (isSloCondition(c)) continue;
          for (const q of [c.query, c.denominator]) if (q?.where) out.push({ where: q.where, signal: q.signal, from: `alert ${a.spec.id}` });
        }
      }
    }
    for (const d of dashboards) {
      for (const tile of tilesOf(d)) {
        if (tile.kind !== 'chart') continue;
        for (const s of tile.series) for (const q of queriesOf(s)) if (q.where) out.push({ where: q.where, signal: q.signal, from: `dashboard ${d.id}` });
      }
    }
    return out;
  };

  /** `metric.labels.K="…"` terms where K is an INT64 label of the query's signal. */
  const quotedInt64 = (q: { where: string; signal: SignalId; from: string }): string[] => {
    const int64 = new Set(
      signalById(q.signal)
        .labels.filter((l) => l.valueType === 'INT64')
        .map((l) => l.key),
    );
    return [...q.where.matchAll(/metric\.labels?\.([a-z_]+)\s*(?:=|!=)\s*"/g)].filter((m) => int64.has(m[1])).map((m) => `${q.from}: ${m[0]}`);
  };

  test('no catalog query compares an INT64 label to a quoted string (the class of the old "429")', () => {
    const queries = catalogQueries();
    expect(queries.some((q) => q.where === SELECT.rateLimited)).toBe(true);
    expect(queries.flatMap(quotedInt64)).toEqual([]);
  });

  test('the guard catches the old quoted form, and leaves quoted STRING labels alone', () => {
    expect(quotedInt64({ where: 'metric.labels.response_code="429"', signal: 'api_requests', from: 'old' })).toEqual(['old: metric.labels.response_code="']);
    expect(quotedInt64({ where: SELECT.serverErrors, signal: 'api_requests', from: 'x' })).toEqual([]);
    expect(quotedInt64({ where: SELECT.rateLimitedRoutes, signal: 'tracked_route_requests', from: 'x' })).toEqual([]);
  });
});
