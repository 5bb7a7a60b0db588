/**
 * The linear-time paths of the simulator (issue 15: 10,000 series over a day took 357 s) give the same numbers as the
 * straightforward computation. Speed itself is measured by `npm run bench`, never asserted here.
 */
import { compileSli, type SimSlo } from '../../gcp/simulate/slo';
import { alignWindow, WindowCursor, ALIGNERS } from '../../gcp/simulate/aggregation';
import type { TimeSeries } from '../../gcp/simulate/types';

const series = (
  times: number[],
  values: number[],
  kind: 'DELTA' | 'GAUGE' | 'CUMULATIVE' = 'DELTA',
  valueType: 'INT64' | 'DOUBLE' = 'INT64',
  labels: Record<string, string> = {},
): TimeSeries => ({
  metric: { type: 'run.googleapis.com/request_count', labels },
  resource: { type: 'cloud_run_revision', labels: {} },
  metricKind: kind,
  valueType,
  times,
  values,
  origin: 'test',
});

describe('SLI series merged onto one timeline', () => {
  test.each([
    ['five grids (merged one by one)', 5],
    ['80 grids (sorted at once)', 80],
  ])('series on different grids (offsets, gaps) give the burn rate of the brute-force sums: %s', (_name, grids) => {
    const all: TimeSeries[] = [];
    for (let s = 0; s < 80; s++) {
      const times: number[] = [];
      const values: number[] = [];
      for (let k = 0; k < 50; k++) {
        if ((k + s) % 7 === 0) continue; // gaps
        times.push(k * 60_000 + (s % (grids as number)) * 700); // different grids
        values.push((k * 31 + s * 17) % 11);
      }
      all.push(series(times, values, 'DELTA', 'INT64', { response_code_class: s % 3 ? '2xx' : '5xx' }));
    }
    const slo: SimSlo = {
      name: 'slo',
      goal: 0.99,
      origin: 'test',
      sli: {
        kind: 'goodTotalRatio',
        bad: 'metric.type="run.googleapis.com/request_count" AND metric.labels.response_code_class="5xx"',
        total: 'metric.type="run.googleapis.com/request_count"',
      } as SimSlo['sli'],
    };
    const src = compileSli(slo, all);
    const brute = (d: number, L: number) => {
      let tot = 0;
      let bad = 0;
      let pts = 0;
      for (const s of all)
        s.times.forEach((t, i) => {
          if (t > d - L && t <= d) {
            tot += s.values[i] as number;
            pts++;
            if (s.metric.labels.response_code_class === '5xx') bad += s.values[i] as number;
          }
        });
      return pts === 0 || tot <= 0 ? undefined : Math.min(tot, bad) / tot / 0.01;
    };
    // The disagreements, collected and asserted once: one expect() per case (735 of them) cost more than the check.
    const disagreements: { d: number; L: number; got: number | undefined; want: number | undefined }[] = [];
    for (let d = -60_000; d < 52 * 60_000; d += 13_000) {
      for (const L of [60_000, 300_000, 3_600_000]) {
        const want = brute(d, L);
        const got = src.burnRate(d, L);
        const agree = want === undefined ? got === undefined : got !== undefined && Math.abs(got - want) < 5e-10; // toBeCloseTo(want, 9)
        if (!agree) disagreements.push({ d, L, got, want });
      }
    }
    expect(disagreements).toEqual([]);
    // no data at all before the first point
    expect(src.burnRate(-1, 60_000)).toBeUndefined();
  });
});

describe('WindowCursor sweeps give what alignWindow gives', () => {
  test.each(['DELTA', 'GAUGE', 'CUMULATIVE'] as const)('%s series, every aligner valid for it, INT64 and DOUBLE', (kind) => {
    const times = [0, 60, 120, 240, 300, 420, 600, 660].map((s) => s * 1000);
    for (const valueType of ['INT64', 'DOUBLE'] as const) {
      const values = valueType === 'INT64' ? [3, 0, 5, 2, 7, 1, 4, 9] : [0.5, 1.25, 0, 2.75, 0.1, 3.3, 0.2, 1];
      const s = series(times, kind === 'CUMULATIVE' ? values.map((_, i) => values.slice(0, i + 1).reduce((a, b) => a + b, 0)) : values, kind, valueType);
      for (const aligner of ALIGNERS.filter(
        (a) => !a.startsWith('ALIGN_PERCENTILE') && !['ALIGN_COUNT_TRUE', 'ALIGN_COUNT_FALSE', 'ALIGN_FRACTION_TRUE'].includes(a),
      )) {
        for (const period of [60_000, 180_000, 300_000]) {
          const cursor = new WindowCursor(s);
          const swept: unknown[] = [];
          const direct: unknown[] = [];
          for (let t = -30_000; t <= 800_000; t += 30_000) {
            swept.push({ valueType, aligner, period, t, value: cursor.align(aligner, t, period) });
            direct.push({ valueType, aligner, period, t, value: alignWindow(s, aligner, t, period) });
          }
          expect(swept).toEqual(direct);
        }
      }
    }
  });
});
