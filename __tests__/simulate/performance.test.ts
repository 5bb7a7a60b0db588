import { simulateScenario } from '../../gcp/simulate/simulate';
import { loadPolicyDocument } from '../../gcp/simulate/policies';
import { parseScenario } from '../../gcp/simulate/scenario';

// Speed is measured by `npm run bench`, never asserted in a test.
test('a 2-day scenario at 60 s steps with 20 series evaluates every policy at every 30 s step, without error', () => {
  const resource = (i: number) => ({ type: 'cloud_run_revision', labels: { service_name: `svc-${i % 5}`, revision_name: `rev-${i}` } });
  const series = [
    ...Array.from({ length: 10 }, (_, i) => ({
      metric: { type: 'run.googleapis.com/request_count', labels: { response_code_class: i % 2 ? '5xx' : '2xx' } },
      resource: resource(i),
      kind: 'DELTA',
      valueType: 'INT64',
      value: { product: [{ diurnal: { floor: 1, peak: 20, tzOffsetHours: -6 } }, { noise: { pct: 20, seed: i } }, i % 2 ? 0.002 : 1] },
    })),
    ...Array.from({ length: 5 }, (_, i) => ({
      metric: { type: 'run.googleapis.com/request_latencies', labels: {} },
      resource: resource(i),
      kind: 'DELTA',
      valueType: 'DISTRIBUTION',
      latency: { p50: 120, p95: 350, rate: { diurnal: { floor: 1, peak: 20 } } },
    })),
    ...Array.from({ length: 5 }, (_, i) => ({
      metric: { type: 'cloudsql.googleapis.com/database/postgresql/num_backends', labels: { database: `db${i}` } },
      resource: { type: 'cloudsql_database', labels: { database_id: 'p:inst' } },
      kind: 'GAUGE',
      valueType: 'INT64',
      value: { product: [{ diurnal: { floor: 5, peak: 12 } }, { noise: { pct: 20, seed: 100 + i } }] },
    })),
  ];
  const sc = parseScenario({ name: 'two days', start: '2025-01-06T00:00:00Z', end: '2025-01-08T00:00:00Z', series }, 'perf');
  const thr = (name: string, filter: string, agg: object, threshold: number, extra: object = {}) => ({
    displayName: name,
    combiner: 'OR',
    conditions: [
      {
        displayName: name,
        conditionThreshold: { filter, aggregations: [agg], comparison: 'COMPARISON_GT', thresholdValue: threshold, duration: '300s', ...extra },
      },
    ],
  });
  const rc = 'metric.type="run.googleapis.com/request_count" AND resource.type="cloud_run_revision"';
  const set = loadPolicyDocument(
    [
      thr('errors', `${rc} AND metric.labels.response_code_class="5xx"`, { alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_RATE' }, 0.05),
      thr(
        'ratio',
        `${rc} AND metric.labels.response_code_class="5xx"`,
        { alignmentPeriod: '300s', perSeriesAligner: 'ALIGN_RATE', crossSeriesReducer: 'REDUCE_SUM', groupByFields: ['resource.label.service_name'] },
        0.01,
        {
          denominatorFilter: rc,
          denominatorAggregations: [
            { alignmentPeriod: '300s', perSeriesAligner: 'ALIGN_RATE', crossSeriesReducer: 'REDUCE_SUM', groupByFields: ['resource.label.service_name'] },
          ],
        },
      ),
      thr(
        'p95',
        'metric.type="run.googleapis.com/request_latencies" AND resource.type="cloud_run_revision"',
        {
          alignmentPeriod: '300s',
          perSeriesAligner: 'ALIGN_DELTA',
          crossSeriesReducer: 'REDUCE_PERCENTILE_95',
          groupByFields: ['resource.label.service_name'],
        },
        2000,
      ),
      thr(
        'pool',
        'metric.type="cloudsql.googleapis.com/database/postgresql/num_backends" AND resource.type="cloudsql_database"',
        { alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_MAX', crossSeriesReducer: 'REDUCE_SUM', groupByFields: ['resource.label.database_id'] },
        160,
      ),
      { displayName: 'absent', combiner: 'OR', conditions: [{ displayName: 'a', conditionAbsent: { filter: rc, duration: '600s' } }] },
    ],
    'perf',
  );
  const r = simulateScenario(set, sc);
  expect(r.evaluationTimes.length).toBe(2 * 2880 + 1);
  expect(r.policies.every((p) => p.error === undefined)).toBe(true);
  expect(r.policies.map((p) => p.fired)).toEqual([false, false, false, false, false]);
});
