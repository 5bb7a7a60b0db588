/**
 * Aligner / reducer validity by metric kind and value type, and the shape each step outputs: the one table the lint,
 * the simulator and the dashboard builder all read (gcp-facts §1.5 tables [PROTO common.proto Aggregation]).
 */
import type { MetricKind, MetricShape, ValueType } from './metrics';

type TypeClass = 'any' | 'numeric' | 'numeric+dist' | 'numeric+bool' | 'bool' | 'dist' | 'count';

interface Rule {
  kinds: readonly MetricKind[] | 'any';
  types: TypeClass;
  out: (s: MetricShape) => MetricShape;
}

const NUMERIC: readonly ValueType[] = ['INT64', 'DOUBLE', 'MONEY'];
const GD: readonly MetricKind[] = ['GAUGE', 'DELTA'];
const same = (s: MetricShape): MetricShape => s;
const asType =
  (valueType: ValueType) =>
  (s: MetricShape): MetricShape => ({ metricKind: s.metricKind, valueType });
const gaugeOf = (valueType: ValueType) => (): MetricShape => ({ metricKind: 'GAUGE', valueType });

/** gcp-facts §1.5 "Aligner validity by metric kind and value type". */
export const ALIGNERS: Readonly<Record<string, Rule>> = {
  ALIGN_NONE: { kinds: 'any', types: 'any', out: same },
  ALIGN_DELTA: { kinds: ['CUMULATIVE', 'DELTA'], types: 'any', out: (s) => ({ metricKind: 'DELTA', valueType: s.valueType }) },
  ALIGN_RATE: { kinds: ['CUMULATIVE', 'DELTA'], types: 'numeric', out: gaugeOf('DOUBLE') },
  ALIGN_INTERPOLATE: { kinds: ['GAUGE'], types: 'numeric', out: same },
  ALIGN_NEXT_OLDER: { kinds: ['GAUGE'], types: 'any', out: same },
  ALIGN_MIN: { kinds: GD, types: 'numeric', out: same },
  ALIGN_MAX: { kinds: GD, types: 'numeric', out: same },
  ALIGN_MEAN: { kinds: GD, types: 'numeric', out: asType('DOUBLE') },
  ALIGN_COUNT: { kinds: GD, types: 'numeric+bool', out: asType('INT64') },
  ALIGN_SUM: { kinds: GD, types: 'numeric+dist', out: same },
  ALIGN_STDDEV: { kinds: GD, types: 'numeric', out: asType('DOUBLE') },
  ALIGN_COUNT_TRUE: { kinds: ['GAUGE'], types: 'bool', out: gaugeOf('INT64') },
  ALIGN_COUNT_FALSE: { kinds: ['GAUGE'], types: 'bool', out: gaugeOf('INT64') },
  ALIGN_FRACTION_TRUE: { kinds: ['GAUGE'], types: 'bool', out: gaugeOf('DOUBLE') },
  ALIGN_PERCENTILE_99: { kinds: GD, types: 'dist', out: gaugeOf('DOUBLE') },
  ALIGN_PERCENTILE_95: { kinds: GD, types: 'dist', out: gaugeOf('DOUBLE') },
  ALIGN_PERCENTILE_50: { kinds: GD, types: 'dist', out: gaugeOf('DOUBLE') },
  ALIGN_PERCENTILE_05: { kinds: GD, types: 'dist', out: gaugeOf('DOUBLE') },
  ALIGN_PERCENT_CHANGE: { kinds: GD, types: 'numeric', out: gaugeOf('DOUBLE') },
};

/** gcp-facts §1.5 "Reducers" (applied to the aligned series). */
export const REDUCERS: Readonly<Record<string, Rule>> = {
  REDUCE_NONE: { kinds: 'any', types: 'any', out: same },
  REDUCE_MEAN: { kinds: GD, types: 'numeric+dist', out: asType('DOUBLE') },
  REDUCE_MIN: { kinds: GD, types: 'numeric', out: same },
  REDUCE_MAX: { kinds: GD, types: 'numeric', out: same },
  REDUCE_SUM: { kinds: 'any', types: 'numeric+dist', out: same },
  REDUCE_STDDEV: { kinds: 'any', types: 'numeric+dist', out: asType('DOUBLE') },
  REDUCE_COUNT: { kinds: 'any', types: 'count', out: asType('INT64') },
  REDUCE_COUNT_TRUE: { kinds: 'any', types: 'bool', out: asType('INT64') },
  REDUCE_COUNT_FALSE: { kinds: 'any', types: 'bool', out: asType('INT64') },
  REDUCE_FRACTION_TRUE: { kinds: 'any', types: 'bool', out: asType('DOUBLE') },
  REDUCE_PERCENTILE_99: { kinds: GD, types: 'numeric+dist', out: gaugeOf('DOUBLE') },
  REDUCE_PERCENTILE_95: { kinds: GD, types: 'numeric+dist', out: gaugeOf('DOUBLE') },
  REDUCE_PERCENTILE_50: { kinds: GD, types: 'numeric+dist', out: gaugeOf('DOUBLE') },
  REDUCE_PERCENTILE_05: { kinds: GD, types: 'numeric+dist', out: gaugeOf('DOUBLE') },
};

function typeOk(cls: TypeClass, vt: ValueType): boolean {
  switch (cls) {
    case 'any':
      return true;
    case 'numeric':
      return NUMERIC.includes(vt);
    case 'numeric+dist':
      return NUMERIC.includes(vt) || vt === 'DISTRIBUTION';
    case 'numeric+bool':
      return NUMERIC.includes(vt) || vt === 'BOOL';
    case 'bool':
      return vt === 'BOOL';
    case 'dist':
      return vt === 'DISTRIBUTION';
    case 'count':
      return NUMERIC.includes(vt) || vt === 'BOOL' || vt === 'DISTRIBUTION' || vt === 'STRING';
  }
}

const CLASS_TEXT: Record<TypeClass, string> = {
  any: 'any value type',
  numeric: 'numeric (INT64/DOUBLE) values',
  'numeric+dist': 'numeric or DISTRIBUTION values',
  'numeric+bool': 'numeric or BOOL values',
  bool: 'BOOL values',
  dist: 'DISTRIBUTION values only',
  count: 'numeric, BOOL, DISTRIBUTION or STRING values',
};

export type StepResult =
  | { ok: true; out: MetricShape }
  | { ok: false; reason: string; kindOk: boolean; typeOk: boolean; validKinds: readonly MetricKind[] | 'any'; validTypes: string }
  | { ok: 'unknown' };

/** One aggregation step (an aligner from ALIGNERS or a reducer from REDUCERS) applied to a series shape. */
export function applyStep(table: Readonly<Record<string, Rule>>, name: string, input: MetricShape): StepResult {
  const rule = table[name];
  if (!rule) return { ok: 'unknown' };
  const kindOk = rule.kinds === 'any' || rule.kinds.includes(input.metricKind);
  const vtOk = typeOk(rule.types, input.valueType);
  if (!kindOk || !vtOk) {
    const kinds = rule.kinds === 'any' ? 'any kind' : rule.kinds.join('/');
    return {
      ok: false,
      reason: `${name} is valid only for ${kinds} metrics with ${CLASS_TEXT[rule.types]}, but the series is ${input.metricKind} ${input.valueType}`,
      kindOk,
      typeOk: vtOk,
      validKinds: rule.kinds,
      validTypes: CLASS_TEXT[rule.types],
    };
  }
  return { ok: true, out: rule.out(input) };
}
