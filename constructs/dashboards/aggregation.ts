/**
 * Aligner and reducer validity by metric kind and value type (gcp-facts §1.5, from common.proto), so a chart
 * never asks for an aggregation the API refuses or renders empty.
 */
import type { MetricKind, ValueType } from '../../catalog/types';

type Shape = { kind: MetricKind; valueType: ValueType };
const NUMERIC: ValueType[] = ['INT64', 'DOUBLE'];

interface Rule {
  kinds: MetricKind[];
  valueTypes: ValueType[];
  /** Value type after the step (undefined: unchanged). */
  out?: ValueType;
}

const ALIGNERS: Record<string, Rule> = {
  ALIGN_DELTA: { kinds: ['CUMULATIVE', 'DELTA'], valueTypes: [...NUMERIC, 'DISTRIBUTION', 'BOOL', 'STRING'] },
  ALIGN_RATE: { kinds: ['CUMULATIVE', 'DELTA'], valueTypes: NUMERIC, out: 'DOUBLE' },
  ALIGN_INTERPOLATE: { kinds: ['GAUGE'], valueTypes: NUMERIC },
  ALIGN_NEXT_OLDER: { kinds: ['GAUGE'], valueTypes: [...NUMERIC, 'DISTRIBUTION', 'BOOL', 'STRING'] },
  ALIGN_MIN: { kinds: ['GAUGE', 'DELTA'], valueTypes: NUMERIC },
  ALIGN_MAX: { kinds: ['GAUGE', 'DELTA'], valueTypes: NUMERIC },
  ALIGN_MEAN: { kinds: ['GAUGE', 'DELTA'], valueTypes: NUMERIC, out: 'DOUBLE' },
  ALIGN_COUNT: { kinds: ['GAUGE', 'DELTA'], valueTypes: [...NUMERIC, 'BOOL'], out: 'INT64' },
  ALIGN_SUM: { kinds: ['GAUGE', 'DELTA'], valueTypes: [...NUMERIC, 'DISTRIBUTION'] },
  ALIGN_STDDEV: { kinds: ['GAUGE', 'DELTA'], valueTypes: NUMERIC, out: 'DOUBLE' },
  ALIGN_COUNT_TRUE: { kinds: ['GAUGE'], valueTypes: ['BOOL'], out: 'INT64' },
  ALIGN_COUNT_FALSE: { kinds: ['GAUGE'], valueTypes: ['BOOL'], out: 'INT64' },
  ALIGN_FRACTION_TRUE: { kinds: ['GAUGE'], valueTypes: ['BOOL'], out: 'DOUBLE' },
  ALIGN_PERCENTILE_99: { kinds: ['GAUGE', 'DELTA'], valueTypes: ['DISTRIBUTION'], out: 'DOUBLE' },
  ALIGN_PERCENTILE_95: { kinds: ['GAUGE', 'DELTA'], valueTypes: ['DISTRIBUTION'], out: 'DOUBLE' },
  ALIGN_PERCENTILE_50: { kinds: ['GAUGE', 'DELTA'], valueTypes: ['DISTRIBUTION'], out: 'DOUBLE' },
  ALIGN_PERCENTILE_05: { kinds: ['GAUGE', 'DELTA'], valueTypes: ['DISTRIBUTION'], out: 'DOUBLE' },
  ALIGN_PERCENT_CHANGE: { kinds: ['GAUGE', 'DELTA'], valueTypes: NUMERIC, out: 'DOUBLE' },
};

/** Reducers see aligned series (GAUGE or DELTA), so only the value type matters. */
const REDUCERS: Record<string, Omit<Rule, 'kinds'>> = {
  REDUCE_MEAN: { valueTypes: [...NUMERIC, 'DISTRIBUTION'], out: 'DOUBLE' },
  REDUCE_MIN: { valueTypes: NUMERIC },
  REDUCE_MAX: { valueTypes: NUMERIC },
  REDUCE_SUM: { valueTypes: [...NUMERIC, 'DISTRIBUTION'] },
  REDUCE_STDDEV: { valueTypes: [...NUMERIC, 'DISTRIBUTION'], out: 'DOUBLE' },
  REDUCE_COUNT: { valueTypes: [...NUMERIC, 'DISTRIBUTION', 'BOOL', 'STRING'], out: 'INT64' },
  REDUCE_COUNT_TRUE: { valueTypes: ['BOOL'], out: 'INT64' },
  REDUCE_COUNT_FALSE: { valueTypes: ['BOOL'], out: 'INT64' },
  REDUCE_FRACTION_TRUE: { valueTypes: ['BOOL'], out: 'DOUBLE' },
  REDUCE_PERCENTILE_99: { valueTypes: [...NUMERIC, 'DISTRIBUTION'], out: 'DOUBLE' },
  REDUCE_PERCENTILE_95: { valueTypes: [...NUMERIC, 'DISTRIBUTION'], out: 'DOUBLE' },
  REDUCE_PERCENTILE_50: { valueTypes: [...NUMERIC, 'DISTRIBUTION'], out: 'DOUBLE' },
  REDUCE_PERCENTILE_05: { valueTypes: [...NUMERIC, 'DISTRIBUTION'], out: 'DOUBLE' },
};

export interface AggregationCheck {
  problems: string[];
  /** Value type of the aggregated series (when valid). */
  output?: ValueType;
}

/** Checks an aligner (and optional reducer) against a metric's kind and value type. */
export function checkAggregation(metric: Shape, aligner: string, reducer?: string, alignmentSeconds?: number): AggregationCheck {
  const problems: string[] = [];
  const a = ALIGNERS[aligner];
  if (!a) return { problems: [`unknown aligner ${aligner}`] };
  if (!a.kinds.includes(metric.kind)) problems.push(`${aligner} is not valid for a ${metric.kind} metric (valid: ${a.kinds.join(', ')})`);
  if (!a.valueTypes.includes(metric.valueType)) problems.push(`${aligner} is not valid for ${metric.valueType} values (valid: ${a.valueTypes.join(', ')})`);
  if (alignmentSeconds !== undefined && (!Number.isInteger(alignmentSeconds) || alignmentSeconds < 60)) problems.push(`alignment period ${alignmentSeconds}s must be whole seconds, at least 60`);
  let output: ValueType = a.out ?? metric.valueType;
  if (reducer && reducer !== 'REDUCE_NONE') {
    const r = REDUCERS[reducer];
    if (!r) problems.push(`unknown reducer ${reducer}`);
    else {
      if (!r.valueTypes.includes(output)) problems.push(`${reducer} is not valid for ${output} values after ${aligner} (valid: ${r.valueTypes.join(', ')})`);
      output = r.out ?? output;
    }
  }
  return problems.length ? { problems } : { problems, output };
}
