import { alignWindow, reduceValues, checkAligner } from '../../gcp/simulate/aggregation';
import { distributionPercentile, mergeDistributions } from '../../gcp/simulate/distribution';
import type { Distribution, TimeSeries } from '../../gcp/simulate/types';
import { iso, run, pointsSeries, thresholdPolicy, valueAt } from './helpers';

const S = 1000;
function ts(values: number[], kind: TimeSeries['metricKind'] = 'GAUGE', valueType: TimeSeries['valueType'] = 'DOUBLE'): TimeSeries {
  // points at 60, 120, 180, ... seconds
  return {
    metric: { type: 'm', labels: {} },
    resource: { type: 'r', labels: {} },
    metricKind: kind,
    valueType,
    times: values.map((_, i) => (i + 1) * 60 * S),
    values,
    origin: 't',
  };
}

describe('per-series aligners over the window (t - period, t]', () => {
  const g = ts([1, 4, 2, 8, 5]); // at 60..300 s
  test.each([
    // window (120, 300] holds the points at 180, 240, 300 = 2, 8, 5
    ['ALIGN_MEAN', 5],
    ['ALIGN_MAX', 8],
    ['ALIGN_MIN', 2],
    ['ALIGN_SUM', 15],
    ['ALIGN_COUNT', 3],
    ['ALIGN_NEXT_OLDER', 5],
  ])('%s = %d', (aligner, expected) => {
    expect(alignWindow(g, aligner as never, 300 * S, 180 * S)).toBe(expected);
  });

  test('the window excludes its start and includes its end', () => {
    // (60, 120]: only the point at 120
    expect(alignWindow(g, 'ALIGN_SUM', 120 * S, 60 * S)).toBe(4);
    // no points in (300, 360]
    expect(alignWindow(g, 'ALIGN_SUM', 360 * S, 60 * S)).toBeUndefined();
  });

  test('ALIGN_RATE and ALIGN_DELTA on DELTA points: sum of the window, rate per second', () => {
    const d = ts([6, 12, 30], 'DELTA', 'INT64');
    expect(alignWindow(d, 'ALIGN_DELTA', 180 * S, 120 * S)).toBe(42); // 12 + 30
    expect(alignWindow(d, 'ALIGN_RATE', 180 * S, 120 * S)).toBeCloseTo(42 / 120);
  });

  test('ALIGN_RATE / ALIGN_DELTA on CUMULATIVE points use the point before the window and survive a reset', () => {
    const c = ts([100, 160, 220, 10, 70], 'CUMULATIVE', 'INT64');
    // window (120, 300]: previous value 160 -> 220 (+60), reset to 10 (+10), -> 70 (+60) = 130
    expect(alignWindow(c, 'ALIGN_DELTA', 300 * S, 180 * S)).toBe(130);
    expect(alignWindow(c, 'ALIGN_RATE', 300 * S, 180 * S)).toBeCloseTo(130 / 180);
  });

  test('BOOL aligners', () => {
    const b = ts([1, 0, 0, 1], 'GAUGE', 'BOOL');
    expect(alignWindow(b, 'ALIGN_COUNT_TRUE', 240 * S, 240 * S)).toBe(2);
    expect(alignWindow(b, 'ALIGN_COUNT_FALSE', 240 * S, 240 * S)).toBe(2);
    expect(alignWindow(b, 'ALIGN_FRACTION_TRUE', 240 * S, 180 * S)).toBeCloseTo(1 / 3); // 0, 0, 1
  });

  test('percentile aligners merge the distributions of the window', () => {
    const bo = { explicitBuckets: { bounds: [0, 100, 200, 300] } }; // buckets: <0, [0,100), [100,200), [200,300), >=300
    const d1: Distribution = { count: 10, mean: 0, bucketOptions: bo, bucketCounts: [0, 10, 0, 0, 0] };
    const d2: Distribution = { count: 10, mean: 0, bucketOptions: bo, bucketCounts: [0, 0, 0, 10, 0] };
    const s: TimeSeries = { ...ts([0, 0]), metricKind: 'DELTA', valueType: 'DISTRIBUTION', values: [d1, d2] };
    // 20 values: 10 in [0,100), 10 in [200,300). p50 rank 10 -> top of the first bucket = 100;
    // p95 rank 19 -> 9th of 10 in [200,300) = 290; p05 rank 1 -> 10.
    expect(alignWindow(s, 'ALIGN_PERCENTILE_50', 120 * S, 120 * S)).toBe(100);
    expect(alignWindow(s, 'ALIGN_PERCENTILE_95', 120 * S, 120 * S)).toBe(290);
    expect(alignWindow(s, 'ALIGN_PERCENTILE_05', 120 * S, 120 * S)).toBe(10);
    const merged = alignWindow(s, 'ALIGN_DELTA', 120 * S, 120 * S) as Distribution;
    expect(merged.bucketCounts).toEqual([0, 10, 0, 10, 0]);
    expect(distributionPercentile(merged, 99)).toBeCloseTo(298);
  });

  test('ALIGN_NONE keeps the latest raw point', () => {
    expect(alignWindow(g, 'ALIGN_NONE', 300 * S, 60 * S)).toBe(5);
  });

  test('aligner validity follows the kind/value-type table (gcp-facts §1.5)', () => {
    expect(() => checkAligner('ALIGN_RATE', 'GAUGE', 'DOUBLE')).toThrow(/not valid for a GAUGE DOUBLE/);
    expect(() => checkAligner('ALIGN_RATE', 'DELTA', 'DISTRIBUTION')).toThrow();
    expect(() => checkAligner('ALIGN_PERCENTILE_99', 'DELTA', 'INT64')).toThrow();
    expect(() => checkAligner('ALIGN_MEAN', 'CUMULATIVE', 'INT64')).toThrow();
    expect(checkAligner('ALIGN_RATE', 'DELTA', 'INT64')).toBe('DOUBLE');
    expect(checkAligner('ALIGN_DELTA', 'DELTA', 'DISTRIBUTION')).toBe('DISTRIBUTION');
  });
});

describe('cross-series reducers', () => {
  test.each([
    ['REDUCE_SUM', 10],
    ['REDUCE_MEAN', 2.5],
    ['REDUCE_MIN', 1],
    ['REDUCE_MAX', 4],
    ['REDUCE_COUNT', 4],
    ['REDUCE_PERCENTILE_50', 2.5], // linear between 2 and 3
  ])('%s of [1,2,3,4] = %d', (r, expected) => {
    expect(reduceValues(r as never, [4, 1, 3, 2])).toBe(expected);
  });

  test('BOOL reducers', () => {
    expect(reduceValues('REDUCE_COUNT_TRUE', [1, 0, 1])).toBe(2);
    expect(reduceValues('REDUCE_COUNT_FALSE', [1, 0, 1])).toBe(1);
    expect(reduceValues('REDUCE_FRACTION_TRUE', [1, 0, 0, 1])).toBe(0.5);
  });

  test('pooled percentile after ALIGN_DELTA merges the distributions first', () => {
    const bo = { linearBuckets: { numFiniteBuckets: 4, width: 100, offset: 0 } }; // [0,100) .. [300,400)
    const fast: Distribution = { count: 90, mean: 0, bucketOptions: bo, bucketCounts: [0, 90, 0, 0, 0, 0] };
    const slow: Distribution = { count: 10, mean: 0, bucketOptions: bo, bucketCounts: [0, 0, 0, 0, 10, 0] };
    // 100 values, p95 rank 95 -> 5th of the 10 in [300,400) = 350. The mean of per-series p95 would be ~(95+395)/2.
    expect(reduceValues('REDUCE_PERCENTILE_95', [fast, slow])).toBe(350);
    expect(mergeDistributions([fast, slow])!.count).toBe(100);
  });
});

describe('groupByFields through the engine', () => {
  // generic_task: its documented labels include job (the lint rejects undocumented resource labels before evaluation).
  const filter = 'metric.type = "custom.googleapis.com/x" AND resource.type = "generic_task"';
  const series = [
    pointsSeries([1, 1], { labels: { code: 'a' }, resourceType: 'generic_task', resourceLabels: { job: 's1' } }),
    pointsSeries([2, 2], { labels: { code: 'b' }, resourceType: 'generic_task', resourceLabels: { job: 's1' } }),
    pointsSeries([4, 4], { labels: { code: 'a' }, resourceType: 'generic_task', resourceLabels: { job: 's2' } }),
  ];
  test.each([
    [['resource.label.job'], [3, 4]],
    [['resource.labels.job'], [3, 4]],
    [['metric.label.code'], [5, 2]],
    [['metric.labels.code'], [5, 2]],
    [[], [7]],
  ])('group by %j', (groupBy, expected) => {
    const r = run(thresholdPolicy({ filter, aligner: 'ALIGN_MEAN', reducer: 'REDUCE_SUM', groupBy, threshold: 100 }), { series });
    const vals = r.policies[0].conditions[0].series.map((s) => s.values[r.evaluationTimes.indexOf(Date.parse(iso(120)))]);
    expect(vals).toEqual(expected);
    expect(valueAt(r, 120)).toBe(expected[0]);
  });
});
