import { compileGenerator, CountRounder, diurnalShape, hashUniform } from '../../gcp/simulate/generators';
import { lognormalDistribution, distributionPercentile, DEFAULT_LATENCY_BUCKETS } from '../../gcp/simulate/distribution';
import { iso, scenario, T0 } from './helpers';

const ctx = { start: T0, end: T0 + 7 * 86400_000, incidentStart: T0 + 3600_000 };

describe('generators', () => {
  test('noise is deterministic: same seed, same points; other seed, other points', () => {
    const a = compileGenerator({ noise: { pct: 20, seed: 7 } }, ctx);
    const b = compileGenerator({ noise: { pct: 20, seed: 7 } }, ctx);
    const c = compileGenerator({ noise: { pct: 20, seed: 8 } }, ctx);
    const xs = Array.from({ length: 100 }, (_, i) => a(0, i));
    expect(xs).toEqual(Array.from({ length: 100 }, (_, i) => b(0, i)));
    expect(xs).not.toEqual(Array.from({ length: 100 }, (_, i) => c(0, i)));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0.8);
    expect(Math.max(...xs)).toBeLessThanOrEqual(1.2);
    expect(hashUniform(1, 2)).toBe(hashUniform(1, 2));
  });

  test('whole scenarios materialise identically twice', () => {
    const spec = {
      end: iso(86400),
      series: [
        {
          metric: { type: 'custom.googleapis.com/x' },
          resource: { type: 'global' },
          kind: 'DELTA',
          valueType: 'INT64',
          value: { product: [{ diurnal: { floor: 1, peak: 20 } }, { noise: { pct: 20, seed: 3 } }] },
        },
      ],
    };
    expect(scenario(spec).series[0].values).toEqual(scenario(spec).series[0].values);
  });

  test('diurnal: traffic.md shape, timezone offset, weekends at 30 % (never below the floor)', () => {
    expect([0, 6.9, 7, 8.5, 10, 12, 15, 17.5, 20, 23].map(diurnalShape)).toEqual([0, 0, 0, 0.5, 1, 1, 1, 0.5, 0, 0]);
    const g = compileGenerator({ diurnal: { floor: 1, peak: 20, tzOffsetHours: -6 } }, ctx);
    const h = (d: number, hourUtc: number) => T0 + d * 86400_000 + hourUtc * 3600_000; // T0 is a Monday 00:00 UTC
    expect(g(h(0, 18), 0)).toBe(20); // 12:00 local (UTC-6), Monday
    expect(g(h(0, 14.5), 0)).toBeCloseTo(10.5); // 08:30 local: half way up the ramp
    expect(g(h(0, 8), 0)).toBe(1); // 02:00 local
    expect(g(h(5, 18), 0)).toBeCloseTo(6); // Saturday noon: 30 % of 20
    expect(g(h(5, 8), 0)).toBe(1); // Saturday night: the floor, not 0.3
  });

  test('step / spike / ramp / sum with relative times', () => {
    const g = compileGenerator(
      {
        sum: [
          1,
          { step: { at: 'incident', after: 10, until: 'incident+10m' } },
          { spike: { at: 'start+2h', duration: '5m', height: 100 } },
          { ramp: { from: 0, to: 4, start: 'start+3h', end: 'start+4h' } },
        ],
      },
      ctx,
    );
    expect(g(T0 + 3599_000, 0)).toBe(1);
    expect(g(T0 + 3600_000, 0)).toBe(11);
    expect(g(T0 + 4200_000, 0)).toBe(1);
    expect(g(T0 + 7200_000 + 60_000, 0)).toBe(101);
    expect(g(T0 + 3.5 * 3600_000, 0)).toBe(3);
    expect(g(T0 + 5 * 3600_000, 0)).toBe(5);
  });

  test('DELTA counts: a rate per second becomes per-step counts with a carried remainder', () => {
    const r = new CountRounder();
    expect(Array.from({ length: 6 }, () => r.next(0.05 * 60))).toEqual([3, 3, 3, 3, 3, 3]);
    const r2 = new CountRounder();
    const xs = Array.from({ length: 10 }, () => r2.next(0.25)); // 0.25 a step -> one every 4 steps
    expect(xs.reduce((a, b) => a + b, 0)).toBe(2);
    expect(xs).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0, 0]);
  });

  test('lognormal latency distribution reproduces p50 and p95 within a bucket', () => {
    const d = lognormalDistribution(DEFAULT_LATENCY_BUCKETS, 10000, 120, 350);
    expect(d.count).toBe(10000);
    expect(d.bucketCounts.reduce((a, b) => a + b, 0)).toBe(10000);
    expect(distributionPercentile(d, 50)!).toBeGreaterThan(120 / 1.25);
    expect(distributionPercentile(d, 50)!).toBeLessThan(120 * 1.25);
    expect(distributionPercentile(d, 95)!).toBeGreaterThan(350 / 1.25);
    expect(distributionPercentile(d, 95)!).toBeLessThan(350 * 1.25);
    expect(lognormalDistribution(DEFAULT_LATENCY_BUCKETS, 500, 120, 350)).toEqual(lognormalDistribution(DEFAULT_LATENCY_BUCKETS, 500, 120, 350));
  });
});
