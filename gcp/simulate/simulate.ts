/** Top level: run one scenario against a set of policies. */
import { checkExpectations, evaluatePolicy, evaluationTimes, ScenarioResult, sharedWork } from './engine';
import { InputError } from './errors';
import { logMetricFromApi, logMetricSeries, SimLogMetric } from './logmetrics';
import type { PolicySet } from './policies';
import type { Scenario } from './scenario';
import { SimSlo, sloFromApi } from './slo';

export function simulateScenario(set: PolicySet, sc: Scenario): ScenarioResult {
  const metrics: SimLogMetric[] = [...set.logMetrics];
  sc.logMetrics.forEach((m, i) => {
    try {
      metrics.push(logMetricFromApi(m, `${sc.file} logMetrics[${i}]`));
    } catch (e) {
      throw new InputError(sc.file, `logMetrics[${i}]`, (e as Error).message);
    }
  });
  let logSeries;
  try {
    logSeries = sc.logs.length ? logMetricSeries(metrics, sc.logs) : [];
  } catch (e) {
    throw new InputError(sc.file, 'logs', (e as Error).message);
  }
  const allSeries = [...sc.series, ...logSeries];
  const times = evaluationTimes(sc);
  const slos: SimSlo[] = [...(set.slos ?? [])];
  sc.slos.forEach((o, i) => {
    try {
      slos.push(sloFromApi(o, `${sc.file} slos[${i}]`));
    } catch (e) {
      throw new InputError(sc.file, `slos[${i}]`, (e as Error).message);
    }
  });
  const shared = sharedWork(); // for these series only
  const policies = set.policies.map((p) => evaluatePolicy(p, sc, allSeries, times, slos, set.knownMetrics, shared));
  return {
    name: sc.name,
    file: sc.file,
    start: sc.start,
    end: sc.end,
    incidentStart: sc.incidentStart ?? null,
    evaluationTimes: times,
    policies,
    expectationFailures: checkExpectations(sc, policies),
  };
}
