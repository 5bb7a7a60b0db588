import { iso, run, pointsSeries, thresholdPolicy, T0 } from './helpers';
import type { ApiAlertPolicy } from '../../gcp/api/alert-policy';

const at = (s: number) => T0 + s * 1000;

describe('duration (retest window)', () => {
  test('fires once the condition has held for the whole duration', () => {
    // points at 60..: 0, 0, 5, 5, 5, 5, 5, 0 -> the 60 s window holds a 5 for evaluations 180..450 s
    const r = run(thresholdPolicy({ aligner: 'ALIGN_MAX', threshold: 1, duration: '120s' }), { series: [pointsSeries([0, 0, 5, 5, 5, 5, 5, 0])] });
    expect(r.policies[0].firstFiredAt).toBe(at(300)); // true since 180, +120 s
    expect(r.policies[0].windows).toEqual([{ start: at(300), end: at(480) }]);
  });

  test('a measurement below the threshold resets the duration window', () => {
    // 5 at 60 and 120, 0 at 180, 5 from 240: the first run is true 60..150 only (90 s < 120 s)
    const r = run(thresholdPolicy({ aligner: 'ALIGN_MAX', threshold: 1, duration: '120s' }), { series: [pointsSeries([5, 5, 0, 5, 5, 5, 5])] });
    expect(r.policies[0].firstFiredAt).toBe(at(360)); // true again since 240
  });

  test('duration 0 fires at the first evaluation that sees the value', () => {
    const r = run(thresholdPolicy({ aligner: 'ALIGN_MAX', threshold: 1 }), { series: [pointsSeries([0, 0, 5])] });
    expect(r.policies[0].firstFiredAt).toBe(at(180));
  });

  test('LT comparison', () => {
    const r = run(thresholdPolicy({ aligner: 'ALIGN_MIN', comparison: 'COMPARISON_LT', threshold: 1 }), { series: [pointsSeries([5, 5, 0.5])] });
    expect(r.policies[0].firstFiredAt).toBe(at(180));
  });
});

describe('trigger', () => {
  const series = [
    pointsSeries([5, 5, 5], { resourceLabels: { svc: 'a' } }),
    pointsSeries([0, 5, 5], { resourceLabels: { svc: 'b' } }),
    pointsSeries([0, 0, 0], { resourceLabels: { svc: 'c' } }),
  ];
  test('count: N series must violate at once', () => {
    expect(run(thresholdPolicy({ aligner: 'ALIGN_MAX', threshold: 1 }), { series }).policies[0].firstFiredAt).toBe(at(60));
    expect(run(thresholdPolicy({ aligner: 'ALIGN_MAX', threshold: 1, trigger: { count: 2 } }), { series }).policies[0].firstFiredAt).toBe(at(120));
    expect(run(thresholdPolicy({ aligner: 'ALIGN_MAX', threshold: 1, trigger: { count: 3 } }), { series }).policies[0].fired).toBe(false);
  });
  test('percent: share of the series with a value', () => {
    // at 60 s: 1 of 3 = 33 %; at 120 s: 2 of 3 = 67 %
    expect(run(thresholdPolicy({ aligner: 'ALIGN_MAX', threshold: 1, trigger: { percent: 50 } }), { series }).policies[0].firstFiredAt).toBe(at(120));
    expect(run(thresholdPolicy({ aligner: 'ALIGN_MAX', threshold: 1, trigger: { percent: 30 } }), { series }).policies[0].firstFiredAt).toBe(at(60));
    expect(run(thresholdPolicy({ aligner: 'ALIGN_MAX', threshold: 1, trigger: { percent: 100 } }), { series }).policies[0].fired).toBe(false);
  });
});

describe('evaluationMissingData', () => {
  // 5 (> 1) at 60..300, then nothing; duration 600 s: the data alone cannot satisfy it
  const series = [pointsSeries([5, 5, 5, 5, 5])];
  const p = (missing?: string) => thresholdPolicy({ aligner: 'ALIGN_MAX', threshold: 1, duration: '600s', missing });
  test('NO_OP (and unspecified): the series keeps its state, no fire', () => {
    expect(run(p('EVALUATION_MISSING_DATA_NO_OP'), { series }).policies[0].fired).toBe(false);
    expect(run(p(), { series }).policies[0].fired).toBe(false);
  });
  test('ACTIVE: missing counts as true, fires 600 s after the condition first held', () => {
    expect(run(p('EVALUATION_MISSING_DATA_ACTIVE'), { series }).policies[0].firstFiredAt).toBe(at(660));
  });
  test('INACTIVE: missing counts as false', () => {
    expect(run(p('EVALUATION_MISSING_DATA_INACTIVE'), { series }).policies[0].fired).toBe(false);
  });
  test('ACTIVE with no series at all', () => {
    const r = run(thresholdPolicy({ aligner: 'ALIGN_MAX', threshold: 1, duration: '120s', missing: 'EVALUATION_MISSING_DATA_ACTIVE' }), { series: [] });
    expect(r.policies[0].firstFiredAt).toBe(at(120));
  });
});

describe('ratio conditions', () => {
  const num = 'metric.type = "custom.googleapis.com/req" AND resource.type = "generic_task" AND metric.labels.class = "5xx"';
  const den = 'metric.type = "custom.googleapis.com/req" AND resource.type = "generic_task"';
  const ratio = (threshold: number): ApiAlertPolicy => ({
    displayName: 'ratio',
    combiner: 'OR',
    conditions: [
      {
        displayName: 'errors / requests',
        conditionThreshold: {
          filter: num,
          aggregations: [{ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_RATE', crossSeriesReducer: 'REDUCE_SUM', groupByFields: ['resource.label.job'] }],
          denominatorFilter: den,
          denominatorAggregations: [
            { alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_RATE', crossSeriesReducer: 'REDUCE_SUM', groupByFields: ['resource.label.job'] },
          ],
          comparison: 'COMPARISON_GT',
          thresholdValue: threshold,
          duration: '0s',
        },
      },
    ],
  });
  const s = (cls: string, svc: string, values: number[]) =>
    pointsSeries(values, {
      type: 'custom.googleapis.com/req',
      kind: 'DELTA',
      valueType: 'INT64',
      labels: { class: cls },
      resourceType: 'generic_task',
      resourceLabels: { job: svc },
    });
  test('numerator / denominator per matching labels', () => {
    // svc a: 3 errors + 57 ok a minute = 3/60 = 0.05; svc b: 0 errors
    const series = [s('5xx', 'a', [3, 3]), s('2xx', 'a', [57, 57]), s('5xx', 'b', [0, 0]), s('2xx', 'b', [60, 60])];
    const r = run(ratio(0.04), { series });
    const byServer = Object.fromEntries(r.policies[0].conditions[0].series.map((x) => [x.resourceLabels.job, x.values[r.evaluationTimes.indexOf(at(60))]]));
    expect(byServer).toEqual({ a: 0.05, b: 0 });
    expect(r.policies[0].firstFiredAt).toBe(at(60));
    expect(run(ratio(0.05), { series }).policies[0].fired).toBe(false); // 0.05 is not > 0.05
  });
  test('a zero denominator gives no value', () => {
    const r = run(ratio(-1), { series: [s('5xx', 'a', [0]), s('2xx', 'a', [0])] });
    expect(r.policies[0].fired).toBe(false);
    expect(r.policies[0].conditions[0].series).toEqual([]);
  });
});

describe('metric absence', () => {
  const absent = (aggregations?: object[]): ApiAlertPolicy => ({
    displayName: 'absent',
    combiner: 'OR',
    conditions: [
      {
        displayName: 'no data',
        conditionAbsent: {
          filter: 'metric.type = "custom.googleapis.com/x" AND resource.type = "global"',
          duration: '300s',
          ...(aggregations ? { aggregations } : {}),
        },
      },
    ],
  });
  // points every 60 s until 600 s
  const series = [pointsSeries(new Array(10).fill(1))];
  test('violated once no point arrived for the duration', () => {
    expect(run(absent(), { series }).policies[0].firstFiredAt).toBe(at(900));
  });
  test('with an aligner the aligned series lasts one alignment period longer', () => {
    expect(run(absent([{ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_MEAN' }]), { series }).policies[0].firstFiredAt).toBe(at(960));
  });
  test('a series never seen does not count', () => {
    expect(run(absent(), { series: [] }).policies[0].fired).toBe(false);
  });
});

describe('combiners', () => {
  const cond = (metric: string) => ({
    displayName: metric,
    conditionThreshold: {
      filter: `metric.type = "custom.googleapis.com/${metric}" AND resource.type = "global"`,
      aggregations: [{ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_MAX' }],
      comparison: 'COMPARISON_GT',
      thresholdValue: 1,
      duration: '0s',
    },
  });
  const pol = (combiner: string): ApiAlertPolicy => ({ displayName: combiner, combiner, conditions: [cond('x'), cond('y')] });
  const x = (svc: string, v: number[]) => pointsSeries(v, { type: 'custom.googleapis.com/x', resourceLabels: { svc } });
  const y = (svc: string, v: number[]) => pointsSeries(v, { type: 'custom.googleapis.com/y', resourceLabels: { svc } });
  test('OR: any condition; AND: all, on any resources', () => {
    const series = [x('a', [5, 5, 5]), y('b', [0, 0, 5])];
    expect(run(pol('OR'), { series }).policies[0].firstFiredAt).toBe(at(60));
    expect(run(pol('AND'), { series }).policies[0].firstFiredAt).toBe(at(180));
    expect(run(pol('AND_WITH_MATCHING_RESOURCE'), { series }).policies[0].fired).toBe(false);
  });
  test('AND_WITH_MATCHING_RESOURCE: all conditions on one resource', () => {
    const series = [x('a', [5, 5, 5]), y('b', [0, 0, 5]), y('a', [0, 5, 5])];
    expect(run(pol('AND_WITH_MATCHING_RESOURCE'), { series }).policies[0].firstFiredAt).toBe(at(120));
  });
});

describe('explicit errors, never silently passed', () => {
  test('comparisons other than GT/LT', () => {
    const r = run(thresholdPolicy({ name: 'ge', aligner: 'ALIGN_MAX', threshold: 1, comparison: 'COMPARISON_GE' }), { series: [] });
    expect(r.policies[0].fired).toBeNull();
    expect(r.policies[0].error).toMatch(
      /policy "ge": the API would reject this policy: alert\/comparison at \$\.conditions\[0\]\.conditionThreshold\.comparison: COMPARISON_GE: only COMPARISON_GT and COMPARISON_LT/,
    );
  });
  test('PromQL, MQL and SQL conditions are UNSUPPORTED', () => {
    for (const k of ['conditionPrometheusQueryLanguage', 'conditionMonitoringQueryLanguage', 'conditionSql']) {
      const r = run({ displayName: k, combiner: 'OR', conditions: [{ displayName: 'q', [k]: { query: 'up' } }] }, { series: [] });
      expect(r.policies[0].error).toContain(`conditions[0].${k}: ${k} is UNSUPPORTED`);
    }
  });
  test('invalid aligner for the metric names the field', () => {
    const r = run(thresholdPolicy({ aligner: 'ALIGN_RATE', threshold: 1 }), { series: [pointsSeries([1])] });
    expect(r.policies[0].error).toMatch(/conditionThreshold.aggregations\[0\]: ALIGN_RATE is not valid for a GAUGE DOUBLE metric/);
  });
  test('unsupported filter syntax', () => {
    const r = run(thresholdPolicy({ filter: 'metric.type = "custom.googleapis.com/x" AND resource.type = "global" AND group.id = "g"', threshold: 1 }), {
      series: [],
    });
    expect(r.policies[0].error).toMatch(/conditionThreshold.filter: group.id needs the group.s membership.*UNSUPPORTED by the simulator/);
  });
  test('unresolved Terraform interpolation', () => {
    const r = run(thresholdPolicy({ filter: 'metric.type = "${var.metric}" AND resource.type = "global"', threshold: 1 }), { series: [] });
    expect(r.policies[0].error).toMatch(/unresolved Terraform interpolation/);
  });
  test('an expectation on a policy that cannot be evaluated fails', () => {
    const r = run(thresholdPolicy({ name: 'ge', aligner: 'ALIGN_MAX', threshold: 1, comparison: 'COMPARISON_GE' }), {
      series: [],
      expect: { notFire: ['ge'] },
    });
    expect(r.expectationFailures[0]).toMatch(/could not be evaluated/);
  });
});

describe('disabled policies and expectations', () => {
  test('enabled: false is evaluated and marked disabled', () => {
    const p = { ...thresholdPolicy({ aligner: 'ALIGN_MAX', threshold: 1 }), enabled: false };
    const r = run(p, { series: [pointsSeries([5])] });
    expect(r.policies[0]).toMatchObject({ disabled: true, fired: true });
  });
  test('fire / notFire / maxDetectionSeconds match display names by substring', () => {
    const r = run(
      [
        thresholdPolicy({ name: 'prod - Latency', aligner: 'ALIGN_MAX', threshold: 1 }),
        thresholdPolicy({ name: 'prod - Errors', aligner: 'ALIGN_MAX', threshold: 100 }),
      ],
      {
        incidentStart: iso(60),
        series: [pointsSeries([0, 0, 5])],
        expect: { fire: ['Latency', 'Errors'], notFire: ['Latency'], maxDetectionSeconds: { Latency: 60, Nope: 1 } },
      },
    );
    expect(r.policies[0].detectionSeconds).toBe(120);
    expect(r.expectationFailures).toEqual([
      'expected to fire "Errors": "prod - Errors" did not fire',
      `expected not to fire "Latency": "prod - Latency" fired at ${iso(180)}`,
      'expected detection within 60s "Latency": "prod - Latency" took 120s',
      'expected detection within 1s "Nope": no policy display name contains it',
    ]);
  });
});
