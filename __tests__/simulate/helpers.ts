/** Tiny builders for hand-computed simulator tests. */
import { parseScenario, Scenario } from '../../gcp/simulate/scenario';
import { loadPolicyDocument, PolicySet } from '../../gcp/simulate/policies';
import { simulateScenario } from '../../gcp/simulate/simulate';
import type { ScenarioResult } from '../../gcp/simulate/engine';
import type { ApiAlertPolicy } from '../../gcp/api/alert-policy';

export const T0 = Date.parse('2025-01-06T00:00:00Z'); // a Monday
export const iso = (offsetSeconds: number) => new Date(T0 + offsetSeconds * 1000).toISOString();

export function scenario(spec: Record<string, unknown>): Scenario {
  return parseScenario({ name: 't', start: iso(0), end: iso(3600), ...spec }, 'inline.yaml');
}

export function policies(...ps: ApiAlertPolicy[]): PolicySet {
  return loadPolicyDocument(ps, 'inline.json');
}

export function run(ps: ApiAlertPolicy | ApiAlertPolicy[], spec: Record<string, unknown>): ScenarioResult {
  return simulateScenario(policies(...(Array.isArray(ps) ? ps : [ps])), scenario(spec));
}

/** A threshold policy on one metric with one aggregation. */
export function thresholdPolicy(opts: {
  name?: string;
  filter?: string;
  aligner?: string;
  period?: string;
  reducer?: string;
  groupBy?: string[];
  comparison?: string;
  threshold: number;
  duration?: string;
  trigger?: { count?: number; percent?: number };
  missing?: string;
}): ApiAlertPolicy {
  return {
    displayName: opts.name ?? 'P',
    combiner: 'OR',
    conditions: [
      {
        displayName: 'c',
        conditionThreshold: {
          filter: opts.filter ?? 'metric.type = "custom.googleapis.com/x" AND resource.type = "global"',
          aggregations: opts.aligner
            ? [
                {
                  alignmentPeriod: opts.period ?? '60s',
                  perSeriesAligner: opts.aligner,
                  ...(opts.reducer ? { crossSeriesReducer: opts.reducer } : {}),
                  ...(opts.groupBy ? { groupByFields: opts.groupBy } : {}),
                },
              ]
            : undefined,
          comparison: opts.comparison ?? 'COMPARISON_GT',
          thresholdValue: opts.threshold,
          duration: opts.duration ?? '0s',
          ...(opts.trigger ? { trigger: opts.trigger } : {}),
          ...(opts.missing ? { evaluationMissingData: opts.missing } : {}),
        },
      },
    ],
  };
}

/** A series spec with explicit points at `offsets` seconds. */
export function pointsSeries(
  values: (number | boolean)[],
  opts: {
    kind?: string;
    valueType?: string;
    labels?: Record<string, string>;
    resourceLabels?: Record<string, string>;
    type?: string;
    resourceType?: string;
    stepSeconds?: number;
    firstAt?: number;
  } = {},
): Record<string, unknown> {
  const step = opts.stepSeconds ?? 60;
  const first = opts.firstAt ?? step;
  return {
    metric: { type: opts.type ?? 'custom.googleapis.com/x', labels: opts.labels ?? {} },
    resource: { type: opts.resourceType ?? 'global', labels: opts.resourceLabels ?? {} },
    kind: opts.kind ?? 'GAUGE',
    valueType: opts.valueType ?? 'DOUBLE',
    points: values.map((v, i) => ({ t: iso(first + i * step), v })),
  };
}

/** The condition's output value (first series) at evaluation time offset (seconds from T0). */
export function valueAt(r: ScenarioResult, offsetSeconds: number, policy = 0, cond = 0, series = 0): number | null {
  const i = r.evaluationTimes.indexOf(T0 + offsetSeconds * 1000);
  if (i < 0) throw new Error(`no evaluation at +${offsetSeconds}s`);
  return r.policies[policy].conditions[cond].series[series]?.values[i] ?? null;
}
