/**
 * The simulator refuses what Cloud Monitoring would reject or mis-evaluate: policies the platform-limit lint flags
 * (every error-level finding), ratio sides grouped differently, REDUCE_MEAN over BOOL, and scenario needles that a
 * YAML flow list split at a comma.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkReducer } from '../../gcp/simulate/aggregation';
import { run as cli } from '../../tools/simulate/cli';
import { InputError } from '../../gcp/simulate/errors';
import { loadPolicyDocument, loadPolicyFile } from '../../gcp/simulate/policies';
import { loadScenarioFile } from '../../gcp/simulate/scenario';
import { simulateScenario } from '../../gcp/simulate/simulate';
import type { ApiAlertPolicy } from '../../gcp/api/alert-policy';
import { ENVS, loadStack, resourcesOf, stackPath } from '../support/synth';
import { iso, pointsSeries, run, scenario, thresholdPolicy } from './helpers';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const REQ = 'metric.type = "run.googleapis.com/request_count" AND resource.type = "cloud_run_revision"';
const TH = '$.conditions[0].conditionThreshold';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-validity-'));
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});
const write = (name: string, text: string): string => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
};

describe('ratio conditions grouped differently', () => {
  const ratio = (denGroupBy: string[]): ApiAlertPolicy => ({
    displayName: '5xx ratio',
    combiner: 'OR',
    conditions: [
      {
        displayName: '5xx / all',
        conditionThreshold: {
          filter: `${REQ} AND metric.labels.response_code_class = "5xx"`,
          aggregations: [
            {
              alignmentPeriod: '60s',
              perSeriesAligner: 'ALIGN_RATE',
              crossSeriesReducer: 'REDUCE_SUM',
              groupByFields: ['resource.label.service_name', 'metric.label.response_code_class'],
            },
          ],
          denominatorFilter: REQ,
          denominatorAggregations: [{ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_RATE', crossSeriesReducer: 'REDUCE_SUM', groupByFields: denGroupBy }],
          comparison: 'COMPARISON_GT',
          thresholdValue: 0.05,
          duration: '0s',
        },
      },
    ],
  });
  const series = (cls: string, rate: number) => ({
    metric: { type: 'run.googleapis.com/request_count', labels: { response_code_class: cls } },
    resource: { type: 'cloud_run_revision', labels: { service_name: 'api' } },
    kind: 'DELTA',
    valueType: 'INT64',
    value: rate,
  });
  const spec = { series: [series('5xx', 5), series('2xx', 5)] };

  test('an explicit evaluation error instead of "did not fire"', () => {
    const p = run(ratio(['resource.label.service_name']), spec).policies[0];
    expect(p.fired).toBeNull();
    expect(p.error).toMatch(
      /^policy "5xx ratio": the API would reject this policy: alert\/ratio-labels at \$\.conditions\[0\]\.conditionThreshold\.denominatorAggregations: numerator and denominator must produce time series with the same labels/,
    );
  });

  test('the same grouping on both sides evaluates (50 % 5xx fires)', () => {
    const p = run(ratio(['metric.label.response_code_class', 'resource.label.service_name']), { series: [series('5xx', 5)] }).policies[0];
    expect(p.error).toBeUndefined();
    expect(p.fired).toBe(true);
  });

  test('the CLI exits 1', async () => {
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const err: string[] = [];
    jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
      err.push(a.join(' '));
    });
    const pol = write('p.json', JSON.stringify(ratio(['resource.label.service_name'])));
    const sc = write('s.yaml', `name: s\nstart: ${iso(0)}\nend: ${iso(600)}\n`);
    expect(await cli(['--policy', pol, sc])).toBe(1);
    expect(err.join('\n')).toContain('alert/ratio-labels');
  });
});

describe('policies the API would reject are not evaluated', () => {
  const base = thresholdPolicy({ name: 'P', filter: `${REQ}`, aligner: 'ALIGN_RATE', reducer: 'REDUCE_SUM', threshold: 1, duration: '60s' });
  const absent = (duration: string): ApiAlertPolicy => ({
    displayName: 'P',
    combiner: 'OR',
    conditions: [{ displayName: 'c', conditionAbsent: { filter: REQ, duration } }],
  });
  const mut = (f: (t: NonNullable<ApiAlertPolicy['conditions']>[0]['conditionThreshold'] & Record<string, unknown>) => void): ApiAlertPolicy => {
    const p = clone(base);
    f(p.conditions![0].conditionThreshold! as never);
    return p;
  };
  test('the base policy is valid and evaluates', () => {
    expect(run(base, {}).policies[0].error).toBeUndefined();
  });
  test.each([
    [
      'duration 90s',
      mut((t) => {
        t.duration = '90s';
      }),
      'alert/duration-whole-minutes',
      `${TH}.duration`,
    ],
    [
      'alignmentPeriod 100000s',
      mut((t) => {
        t.aggregations![0].alignmentPeriod = '100000s';
      }),
      'aggregation/alignment-period',
      `${TH}.aggregations[0].alignmentPeriod`,
    ],
    [
      'evaluationMissingData with 0s',
      mut((t) => {
        t.duration = '0s';
        t.evaluationMissingData = 'EVALUATION_MISSING_DATA_ACTIVE';
      }),
      'alert/evaluation-missing-data',
      `${TH}.evaluationMissingData`,
    ],
    [
      'COMPARISON_GE',
      mut((t) => {
        t.comparison = 'COMPARISON_GE';
      }),
      'alert/comparison',
      `${TH}.comparison`,
    ],
    ['absence for 60s', absent('60s'), 'alert/duration-minimum', '$.conditions[0].conditionAbsent.duration'],
  ])('%s', (_name, policy, rule, at) => {
    const p = run(policy, {}).policies[0];
    expect(p.fired).toBeNull();
    expect(p.error).toContain(`policy "P": the API would reject this policy: ${rule} at ${at}: `);
  });
  test('absence for 120s is valid', () => {
    expect(run(absent('120s'), {}).policies[0].error).toBeUndefined();
  });
  test('a synth passes its own metric kinds: a GAUGE-only aligner on a log-based (DELTA) metric is rejected', () => {
    const tf = {
      resource: {
        google_logging_metric: { errs: { name: 'errs', filter: 'severity>=ERROR' } },
        google_monitoring_alert_policy: {
          a: {
            display_name: 'log errors',
            combiner: 'OR',
            conditions: [
              {
                display_name: 'c',
                condition_threshold: {
                  filter: 'metric.type="logging.googleapis.com/user/${google_logging_metric.errs.name}" AND resource.type="cloud_run_revision"',
                  aggregations: [{ alignment_period: '60s', per_series_aligner: 'ALIGN_NEXT_OLDER' }],
                  comparison: 'COMPARISON_GT',
                  threshold_value: 1,
                  duration: '0s',
                },
              },
            ],
          },
        },
      },
    };
    const set = loadPolicyDocument(tf, 'cdk.tf.json');
    expect(set.knownMetrics).toEqual({ 'logging.googleapis.com/user/errs': expect.objectContaining({ metricKind: 'DELTA', valueType: 'INT64' }) });
    const p = simulateScenario(set, scenario({})).policies[0];
    expect(p.error).toContain(
      'the API would reject this policy: aggregation/aligner-kind at $.conditions[0].conditionThreshold.aggregations[0].perSeriesAligner',
    );
  });
});

describe('REDUCE_MEAN over BOOL (gcp-facts §1.5: numeric or DISTRIBUTION only)', () => {
  test('checkReducer rejects it', () => {
    expect(() => checkReducer('REDUCE_MEAN', 'BOOL')).toThrow(/REDUCE_MEAN is not valid on aligned BOOL values/);
    expect(checkReducer('REDUCE_MEAN', 'INT64')).toBe('DOUBLE');
  });
  test('a policy doing it is an explicit error', () => {
    const p = run(thresholdPolicy({ aligner: 'ALIGN_NEXT_OLDER', reducer: 'REDUCE_MEAN', threshold: 0.5 }), {
      series: [pointsSeries([true, false], { valueType: 'BOOL' })],
    }).policies[0];
    expect(p.fired).toBeNull();
    expect(p.error).toMatch(/REDUCE_MEAN is not valid on aligned BOOL values/);
  });
});

describe('expectation needles split by a YAML flow list', () => {
  const yaml = (expect: string) => write('s.yaml', `name: s\nstart: ${iso(0)}\nend: ${iso(600)}\nexpect:\n${expect}\n`);
  test('unbalanced parentheses are rejected with a hint to quote', () => {
    const f = yaml('  fire: [SLO Availability burn rate (page, 1 h/5 min)]');
    expect(() => loadScenarioFile(f)).toThrow(InputError);
    expect(() => loadScenarioFile(f)).toThrow(
      `${f}: expect.fire[0]: "SLO Availability burn rate (page" has unbalanced parentheses; quote alert names that contain commas in YAML flow lists`,
    );
  });
  test('notFire and maxDetectionSeconds too; brackets as well', () => {
    expect(() => loadScenarioFile(yaml('  notFire: [a, b (x, y)]'))).toThrow(/expect\.notFire\[1\]: "b \(x" has unbalanced parentheses/);
    expect(() => loadScenarioFile(yaml('  fire: ["a [b", c]'))).toThrow(/expect\.fire\[0\]: "a \[b" has unbalanced brackets/);
    expect(() => loadScenarioFile(yaml('  maxDetectionSeconds: { "a (b": 60 }'))).toThrow(/expect\.maxDetectionSeconds\["a \(b"\]: .* unbalanced parentheses/);
  });
  test('quoted names are fine', () => {
    const sc = loadScenarioFile(yaml('  fire: ["SLO Availability burn rate (page, 1 h/5 min)", High Error Rate]'));
    expect(sc.expect.fire).toEqual(['SLO Availability burn rate (page, 1 h/5 min)', 'High Error Rate']);
  });
});

describe.each(ENVS)('the real synthesized policies of %s', (env) => {
  test('every policy (SLO selectors included) passes the API check and evaluates', () => {
    // stackPath throws without jest's global setup, and loadPolicyFile on a missing stack fails: never a silent skip.
    const set = loadPolicyFile(stackPath(env));
    const r = simulateScenario(set, scenario({}));
    expect(r.policies.map((p) => p.displayName).sort()).toEqual(
      Object.values(resourcesOf(loadStack(env), 'google_monitoring_alert_policy'))
        .map((p) => p.display_name as string)
        .sort(),
    );
    expect(r.policies.filter((p) => p.error).map((p) => p.error)).toEqual([]);
    expect(r.policies.some((p) => p.conditions.some((c) => c.ingestionDelaySource.startsWith('SLI data')))).toBe(true);
  });
});
