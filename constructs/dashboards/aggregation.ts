/**
 * Aligner and reducer validity for a chart, read from the one facts table (gcp/facts/aggregation, gcp-facts §1.5),
 * so a chart never asks for an aggregation the API refuses or renders empty.
 */
import { ALIGNERS, REDUCERS, applyStep } from '../../gcp/facts/aggregation';
import type { MetricKind, ValueType } from '../../catalog/types';

type Shape = { kind: MetricKind; valueType: ValueType };

export interface AggregationCheck {
  problems: string[];
  /** Value type of the aggregated series (when valid). */
  output?: ValueType;
}

/** Checks an aligner (and optional reducer) against a metric's kind and value type. */
export function checkAggregation(metric: Shape, aligner: string, reducer?: string, alignmentSeconds?: number): AggregationCheck {
  const problems: string[] = [];
  const a = applyStep(ALIGNERS, aligner, { metricKind: metric.kind, valueType: metric.valueType });
  if (a.ok === 'unknown') return { problems: [`unknown aligner ${aligner}`] };
  if (a.ok === false) {
    if (!a.kindOk)
      problems.push(`${aligner} is not valid for a ${metric.kind} metric (valid: ${a.validKinds === 'any' ? 'any kind' : a.validKinds.join(', ')})`);
    if (!a.typeOk) problems.push(`${aligner} is not valid for ${metric.valueType} values (valid: ${a.validTypes})`);
  }
  if (alignmentSeconds !== undefined && (!Number.isInteger(alignmentSeconds) || alignmentSeconds < 60))
    problems.push(`alignment period ${alignmentSeconds}s must be whole seconds, at least 60`);
  if (a.ok !== true) return { problems };
  let shape = a.out;
  if (reducer && reducer !== 'REDUCE_NONE') {
    const r = applyStep(REDUCERS, reducer, shape);
    if (r.ok === 'unknown') problems.push(`unknown reducer ${reducer}`);
    else if (r.ok === false) problems.push(`${reducer} is not valid for ${shape.valueType} values after ${aligner} (valid: ${r.validTypes})`);
    else shape = r.out;
  }
  return problems.length ? { problems } : { problems, output: shape.valueType as ValueType };
}
