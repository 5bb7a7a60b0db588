/**
 * select_slo_burn_rate: hand-computed burn rates for both request-based SLI kinds, SLO resolution from a synth and
 * from API documents, and the explicit errors for what is not supported.
 */
import { loadPolicyDocument } from '../../gcp/simulate/policies';
import { parseSloSelector } from '../../gcp/simulate/slo';
import { simulateScenario } from '../../gcp/simulate/simulate';
import type { ApiAlertPolicy } from '../../gcp/api/alert-policy';
import { iso, scenario, T0 } from './helpers';

const SLO = 'projects/p/services/api/serviceLevelObjectives/availability';
const LAT = 'projects/p/services/api/serviceLevelObjectives/latency';
const REQ = 'custom.googleapis.com/req'; // no ingestion delay: the arithmetic stays visible
const incident = 1800;

const availability = (sli: Record<string, string>, goal = 0.99) => ({ name: SLO, goal, serviceLevelIndicator: { requestBased: { goodTotalRatio: sli } } });
const burnPolicy = (name: string, lookback: string, threshold: number, slo = SLO): ApiAlertPolicy => ({
  displayName: name,
  combiner: 'OR',
  conditions: [
    {
      displayName: `burn ${lookback}`,
      conditionThreshold: { filter: `select_slo_burn_rate("${slo}", "${lookback}")`, comparison: 'COMPARISON_GT', thresholdValue: threshold, duration: '0s' },
    },
  ],
});
const req = (cls: string, value: unknown) => ({
  metric: { type: REQ, labels: { response_code_class: cls } },
  resource: { type: 'global', labels: {} },
  kind: 'DELTA',
  valueType: 'INT64',
  value,
});
/** 1 good request a second throughout; 0.1 bad a second from the incident: 66 a minute, 6 of them bad. */
const traffic = [req('2xx', 1), req('5xx', { step: { at: 'incident', after: 0.1 } })];

function runWith(sloDoc: Record<string, unknown>, ps: ApiAlertPolicy[], extra: Record<string, unknown> = {}) {
  const set = loadPolicyDocument({ alertPolicies: ps, serviceLevelObjectives: [sloDoc] }, 'inline.json');
  return simulateScenario(set, scenario({ end: iso(3600), incidentStart: iso(incident), series: traffic, ...extra }));
}
const at = (r: ReturnType<typeof runWith>, offset: number, p = 0) =>
  r.policies[p].conditions[0].series[0]?.values[r.evaluationTimes.indexOf(T0 + offset * 1000)] ?? null;

describe('select_slo_burn_rate: good/total ratio', () => {
  const forms: [string, Record<string, string>][] = [
    ['total + bad', { totalServiceFilter: `metric.type="${REQ}"`, badServiceFilter: `metric.type="${REQ}" AND metric.labels.response_code_class="5xx"` }],
    [
      'total + good (bad = total - good)',
      { totalServiceFilter: `metric.type="${REQ}"`, goodServiceFilter: `metric.type="${REQ}" AND metric.labels.response_code_class!="5xx"` },
    ],
    [
      'good + bad (total = good + bad)',
      {
        goodServiceFilter: `metric.type="${REQ}" AND metric.labels.response_code_class="2xx"`,
        badServiceFilter: `metric.type="${REQ}" AND metric.labels.response_code_class="5xx"`,
      },
    ],
  ];
  test.each(forms)('%s: burn = (bad/total over the lookback) / (1 - goal)', (_n, sli) => {
    const r = runWith(availability(sli), [burnPolicy('fast', '300s', 9)]);
    expect(at(r, incident)).toBe(0); // 5 good minutes, no bad
    expect(at(r, incident + 60)).toBeCloseTo(6 / 306 / 0.01, 10); // one bad minute in the 5-minute lookback
    expect(at(r, incident + 300)).toBeCloseTo(6 / 66 / 0.01, 10); // 9.09
    // 6k / (300 + 6k) / 0.01 > 9 first holds for k = 5 bad minutes
    expect(r.policies[0].detectionSeconds).toBe(300);
  });

  test('the lookback accepts s, m and h units (Retrieving SLO data)', () => {
    expect(parseSloSelector(`select_slo_burn_rate("${SLO}", "1h")`)).toEqual({ selector: 'select_slo_burn_rate', name: SLO, lookbackSeconds: 3600 });
    expect(parseSloSelector(`select_slo_burn_rate("${SLO}", "60m")`)!.lookbackSeconds).toBe(3600);
    expect(parseSloSelector('metric.type="x"')).toBeNull();
    expect(() => parseSloSelector(`select_slo_burn_rate("${SLO}", "1d")`)).toThrow(/lookback/);
  });

  test('no data in the lookback or a zero total gives no value', () => {
    const sli = { totalServiceFilter: `metric.type="${REQ}"`, badServiceFilter: `metric.type="${REQ}" AND metric.labels.response_code_class="5xx"` };
    const set = loadPolicyDocument({ alertPolicies: [burnPolicy('p', '300s', 0.5)], serviceLevelObjectives: [availability(sli)] }, 'x.json');
    const r = simulateScenario(set, scenario({ series: [req('2xx', { step: { at: iso(600), after: 1, until: iso(900) } })] }));
    const c = r.policies[0].conditions[0];
    const v = (o: number) => c.series[0].values[r.evaluationTimes.indexOf(T0 + o * 1000)];
    expect(v(600)).toBeNull();
    expect(v(900)).toBe(0);
    expect(v(1500)).toBeNull(); // lookback (1200, 1500] holds no point
    const zero = simulateScenario(set, scenario({ series: [req('2xx', 0)] }));
    expect(zero.policies[0].conditions[0].series.length).toBe(0);
    expect(zero.policies[0].fired).toBe(false);
  });
});

describe('select_slo_burn_rate: distribution cut', () => {
  const bounds = [0.5, 1, 2, 4]; // buckets: (<0.5) [0.5,1) [1,2) [2,4) (>=4)
  const dist = (counts: number[]) => ({
    metric: { type: 'custom.googleapis.com/lat', labels: {} },
    resource: { type: 'global', labels: {} },
    kind: 'DELTA',
    valueType: 'DISTRIBUTION',
    buckets: { bucketOptions: { explicitBuckets: { bounds } }, counts },
  });
  const latency = (max: number, min = 0) => ({
    name: LAT,
    goal: 0.95,
    serviceLevelIndicator: { requestBased: { distributionCut: { distributionFilter: 'metric.type="custom.googleapis.com/lat"', range: { min, max } } } },
  });
  const run = (max: number, min = 0) => {
    const set = loadPolicyDocument({ alertPolicies: [burnPolicy('lat', '600s', 1, LAT)], serviceLevelObjectives: [latency(max, min)] }, 'x.json');
    return simulateScenario(set, scenario({ series: [dist([10, 5, 3, 1, 1])] }));
  };
  test('buckets whose upper bound is within [min, max] are good: 2 of 20 bad at max = 2 s', () => {
    const r = run(2);
    expect(r.policies[0].conditions[0].series[0].values[20]).toBeCloseTo(2 / 20 / 0.05, 10); // 2
    expect(r.policies[0].fired).toBe(true);
  });
  test('a bucket straddling max counts as bad (its upper bound 2 > 1.5): 5 of 20', () => {
    expect(run(1.5).policies[0].conditions[0].series[0].values[20]).toBeCloseTo(5 / 20 / 0.05, 10);
  });
  test('min side by upper bound too: min 0.6 makes the underflow bucket (upper 0.5) bad', () => {
    expect(run(2, 0.6).policies[0].conditions[0].series[0].values[20]).toBeCloseTo(12 / 20 / 0.05, 10);
  });
});

describe('SLO resolution and explicit errors', () => {
  const tf = (policyFilter: string) => ({
    resource: {
      google_monitoring_custom_service: { svc: { project: 'p', service_id: 'api' } },
      google_monitoring_slo: {
        slo_availability: {
          project: 'p',
          service: '${google_monitoring_custom_service.svc.service_id}',
          slo_id: 'availability',
          goal: 0.99,
          request_based_sli: {
            good_total_ratio: {
              total_service_filter: `metric.type="${REQ}"`,
              bad_service_filter: `metric.type="${REQ}" AND metric.labels.response_code_class="5xx"`,
            },
          },
        },
      },
      google_monitoring_alert_policy: {
        burn: {
          display_name: 'burn',
          combiner: 'OR',
          conditions: [{ display_name: 'c', condition_threshold: { filter: policyFilter, comparison: 'COMPARISON_GT', threshold_value: 9, duration: '0s' } }],
        },
      },
    },
  });
  const sc = () => scenario({ end: iso(3600), incidentStart: iso(incident), series: traffic });

  test('a synth: ${google_monitoring_slo.X.name} resolves to the SLO resource of the same synth', () => {
    const set = loadPolicyDocument(tf('select_slo_burn_rate("${google_monitoring_slo.slo_availability.name}", "300s")'), 'cdk.tf.json');
    expect(set.slos.map((s) => s.name)).toEqual([SLO]);
    const r = simulateScenario(set, sc());
    expect(r.policies[0].error).toBeUndefined();
    expect(r.policies[0].detectionSeconds).toBe(300);
  });

  test.each([
    ['select_slo_burn_rate("${google_monitoring_slo.missing.name}", "300s")', /unresolved Terraform interpolation/],
    ['select_slo_burn_rate("projects/p/services/api/serviceLevelObjectives/nope", "300s")', /unknown SLO/],
    [`select_slo_health("${SLO}")`, /select_slo_health is UNSUPPORTED/],
    [`select_slo_burn_rate("${SLO}")`, /needs a lookback/],
  ])('%s is an explicit evaluation error', (filter, re) => {
    const r = simulateScenario(loadPolicyDocument(tf(filter), 'cdk.tf.json'), sc());
    expect(r.policies[0].fired).toBeNull();
    expect(r.policies[0].error).toMatch(re);
  });

  test('aggregations on an SLO condition, or a GAUGE SLI series, are errors rather than ignored', () => {
    const p = burnPolicy('agg', '300s', 1);
    p.conditions![0].conditionThreshold!.aggregations = [{ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_MEAN' }];
    const sli = { totalServiceFilter: `metric.type="${REQ}"`, badServiceFilter: `metric.type="${REQ}" AND metric.labels.response_code_class="5xx"` };
    expect(runWith(availability(sli), [p]).policies[0].error).toMatch(/alert\/slo-aggregations at .*uses only its filter/);
    const gauge = runWith(availability(sli), [burnPolicy('g', '300s', 1)], { series: [{ ...req('2xx', 1), kind: 'GAUGE' }] });
    expect(gauge.policies[0].error).toMatch(/GAUGE/);
  });

  test('a scenario may carry the SLO definitions (slos)', () => {
    const sli = { totalServiceFilter: `metric.type="${REQ}"`, badServiceFilter: `metric.type="${REQ}" AND metric.labels.response_code_class="5xx"` };
    const set = loadPolicyDocument([burnPolicy('fast', '300s', 9)], 'p.json');
    const r = simulateScenario(set, scenario({ end: iso(3600), incidentStart: iso(incident), series: traffic, slos: [availability(sli)] }));
    expect(r.policies[0].detectionSeconds).toBe(300);
  });
});
