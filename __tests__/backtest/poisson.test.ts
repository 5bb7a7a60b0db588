/** Poisson counts in the simulator (issue 17): seeded, deterministic, Poisson-distributed, opt-in. */
import { CountRounder, PoissonCounter } from '../../gcp/simulate/generators';
import { simulateScenario } from '../../gcp/simulate/simulate';
import { policies, scenario, iso, thresholdPolicy } from '../simulate/helpers';

function draws(mean: number, n: number, seed = 3): number[] {
  const c = new PoissonCounter(seed);
  return Array.from({ length: n }, () => c.next(mean));
}
const stats = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean: m, variance: xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1) };
};

describe('PoissonCounter', () => {
  test('same seed, same counts; another seed, other counts', () => {
    expect(draws(2.5, 500)).toEqual(draws(2.5, 500));
    expect(draws(2.5, 500, 4)).not.toEqual(draws(2.5, 500));
  });

  test.each([0.12, 3, 45, 400])('mean %p: sample mean and variance both near the mean (Poisson), not the even count', (mean) => {
    const { mean: m, variance: v } = stats(draws(mean, 20000));
    expect(Math.abs(m - mean)).toBeLessThan(0.03 * mean + 0.01);
    expect(Math.abs(v - mean)).toBeLessThan(0.08 * mean + 0.02);
  });

  test('P(0) at mean 1 is about e^-1, the chance a quiet minute has no error at all', () => {
    const xs = draws(1, 20000);
    expect(xs.filter((x) => x === 0).length / xs.length).toBeCloseTo(Math.exp(-1), 1);
  });

  test('the even rounder stays the default and has no variance', () => {
    const r = new CountRounder();
    expect(Array.from({ length: 5 }, () => r.next(3))).toEqual([3, 3, 3, 3, 3]);
  });

  test('a scenario series with counts: poisson meets chance clusters an even series never does', () => {
    // 0.04 errors/s = 2.4 a minute on average: under the app-style threshold of 3 a minute when spread evenly,
    // above it in some minutes by chance.
    const policy = thresholdPolicy({
      filter: 'metric.type = "run.googleapis.com/request_count" AND resource.type = "cloud_run_revision"',
      aligner: 'ALIGN_RATE',
      period: '60s',
      threshold: 0.05,
      duration: '0s',
    });
    const series = (counts?: unknown) => ({
      metric: { type: 'run.googleapis.com/request_count', labels: {} },
      resource: { type: 'cloud_run_revision', labels: {} },
      kind: 'DELTA',
      valueType: 'INT64',
      value: 0.04,
      ...(counts ? { counts } : {}),
    });
    const even = simulateScenario(policies(policy), scenario({ end: iso(6 * 3600), series: [series()] }));
    const poisson = simulateScenario(policies(policy), scenario({ end: iso(6 * 3600), series: [series({ poisson: { seed: 5 } })] }));
    expect(even.policies[0].fired).toBe(false);
    expect(poisson.policies[0].fired).toBe(true);
    expect(poisson.policies[0].windows.length).toBeGreaterThan(3);
  });

  test('counts is validated strictly', () => {
    expect(() =>
      scenario({
        series: [{ metric: { type: 'x' }, resource: { type: 'y' }, kind: 'DELTA', valueType: 'INT64', value: 1, counts: { poisson: { seed: 1.5 } } }],
      }),
    ).toThrow(/counts/);
  });
});
