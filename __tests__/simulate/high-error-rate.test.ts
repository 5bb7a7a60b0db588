/**
 * Regression example: the app's existing "High Error Rate" policy (docs/reference/vividly-app.md §1.8):
 * run.googleapis.com/request_count response_code_class="5xx", ALIGN_RATE 60 s, > 0.05, duration 300 s, no service
 * filter. The threshold is 0.05 errors a SECOND (3 a minute), not 5 %: the share of errors does not matter.
 */
import * as path from 'node:path';
import { loadPolicyFile } from '../../gcp/simulate/policies';
import { simulateScenario } from '../../gcp/simulate/simulate';
import { iso, scenario, T0 } from './helpers';

const policy = loadPolicyFile(path.join(__dirname, 'fixtures', 'high-error-rate.json'));
const resource = { type: 'cloud_run_revision', labels: { service_name: 'prod-vividly-api', revision_name: 'prod-vividly-api-00042', location: 'us-central1' } };
const incident = 3600;

function traffic(rps: number, errorsPerMinute: number, errorSeries = 1) {
  const errors = Array.from({ length: errorSeries }, (_, i) => ({
    metric: { type: 'run.googleapis.com/request_count', labels: { response_code_class: '5xx', response_code: String(500 + i) } },
    resource,
    kind: 'DELTA',
    valueType: 'INT64',
    value: { step: { at: 'incident', after: errorsPerMinute / 60 / errorSeries } },
  }));
  return scenario({
    end: iso(3 * 3600),
    incidentStart: iso(incident),
    series: [
      {
        metric: { type: 'run.googleapis.com/request_count', labels: { response_code_class: '2xx', response_code: '200' } },
        resource,
        kind: 'DELTA',
        valueType: 'INT64',
        value: { product: [rps, { noise: { pct: 20, seed: 1 } }] },
      },
      ...errors,
    ],
  });
}

describe('regression: existing "High Error Rate" policy', () => {
  test.each([1, 100])('fires on 4 errors a minute at %d rps alike (threshold is absolute, not a share)', (rps) => {
    const r = simulateScenario(policy, traffic(rps, 4));
    const p = r.policies[0];
    expect(p.fired).toBe(true);
    // first 5xx point at incident + 60 s (DELTA point covering the first minute); true from then on;
    // + 300 s duration; + 180 s Cloud Run ingestion delay = 540 s
    expect(p.detectionSeconds).toBe(540);
    expect(p.firstFiredAt).toBe(T0 + (incident + 540) * 1000);
  });

  test.each([1, 100])('3 errors a minute at %d rps sit exactly on the threshold: 3/60 = 0.05 is not > 0.05', (rps) => {
    const r = simulateScenario(policy, traffic(rps, 3));
    const c = r.policies[0].conditions[0];
    const errors = c.series.find((s) => s.metricLabels.response_code_class === '5xx')!;
    expect(Math.max(...errors.values.filter((v): v is number => v !== null))).toBe(0.05);
    expect(r.policies[0].fired).toBe(false);
  });

  test('without a reducer each response_code is its own series: 6 a minute split over 2 codes does not fire', () => {
    expect(simulateScenario(policy, traffic(1, 6, 2)).policies[0].fired).toBe(false);
    expect(simulateScenario(policy, traffic(1, 6, 1)).policies[0].fired).toBe(true);
  });
});
