/**
 * Per-series aligners and cross-series reducers (google.monitoring.v3.Aggregation, common.proto; gcp-facts §1.5).
 *
 * Alignment window: the aligned value at time t covers the points whose (end) timestamp lies in (t - alignmentPeriod, t]
 * — "when the alignment period is five minutes, at 1:00 PM, the alignment period contains the samples received between
 * 12:55 PM and 1:00 PM. At 1:01 PM, the alignment period slides one minute"
 * (https://cloud.google.com/monitoring/alerts/concepts-indepth, "Alignment period"). A window without points yields
 * no aligned value (the series is missing at t).
 */
import { Distribution, MetricKind, PointValue, TimeSeries, ValueType } from './types';
import { distributionPercentile, isDistribution, mergeDistributionRange, mergeDistributions } from './distribution';
import { ALIGNERS as FACT_ALIGNERS, REDUCERS as FACT_REDUCERS, applyStep } from '../facts/aggregation';

// Per-window code reads Math through module constants: in jest's vm context, where the tests run, each read of a
// global costs about 0.2 µs (gcp/simulate/README.md "Speed").
const { ceil, floor, max, min, sqrt } = Math;
const INF = Infinity;

export const ALIGNERS = [
  'ALIGN_NONE',
  'ALIGN_DELTA',
  'ALIGN_RATE',
  'ALIGN_SUM',
  'ALIGN_MEAN',
  'ALIGN_MIN',
  'ALIGN_MAX',
  'ALIGN_COUNT',
  'ALIGN_COUNT_TRUE',
  'ALIGN_COUNT_FALSE',
  'ALIGN_FRACTION_TRUE',
  'ALIGN_NEXT_OLDER',
  'ALIGN_STDDEV',
  'ALIGN_PERCENTILE_99',
  'ALIGN_PERCENTILE_95',
  'ALIGN_PERCENTILE_50',
  'ALIGN_PERCENTILE_05',
] as const;
export type Aligner = (typeof ALIGNERS)[number];

export const REDUCERS = [
  'REDUCE_NONE',
  'REDUCE_SUM',
  'REDUCE_MEAN',
  'REDUCE_MIN',
  'REDUCE_MAX',
  'REDUCE_COUNT',
  'REDUCE_COUNT_TRUE',
  'REDUCE_COUNT_FALSE',
  'REDUCE_FRACTION_TRUE',
  'REDUCE_STDDEV',
  'REDUCE_PERCENTILE_99',
  'REDUCE_PERCENTILE_95',
  'REDUCE_PERCENTILE_50',
  'REDUCE_PERCENTILE_05',
] as const;
export type Reducer = (typeof REDUCERS)[number];

/**
 * Value types the engine computes each step on. API validity comes from the one facts table (gcp/facts); a step
 * the API accepts but the engine does not compute (ALIGN_DELTA on STRING, REDUCE_STDDEV on distributions, ...) is
 * refused as UNSUPPORTED rather than evaluated wrongly.
 */
const ENGINE_TYPES: Partial<Record<Aligner | Reducer, readonly ValueType[]>> = {
  ALIGN_DELTA: ['INT64', 'DOUBLE', 'DISTRIBUTION'],
  ALIGN_SUM: ['INT64', 'DOUBLE', 'DISTRIBUTION'],
  ALIGN_NEXT_OLDER: ['INT64', 'DOUBLE', 'BOOL', 'DISTRIBUTION'],
  REDUCE_STDDEV: ['INT64', 'DOUBLE'],
  REDUCE_COUNT: ['INT64', 'DOUBLE', 'BOOL', 'DISTRIBUTION'],
};

function engineSupports(step: Aligner | Reducer, type: ValueType): void {
  const types = ENGINE_TYPES[step];
  if (types && !types.includes(type)) throw new Error(`${step} on ${type} values is UNSUPPORTED by the simulator (it computes ${types.join('/')})`);
}

/** Throws a reason string when the aligner is not valid for the series; returns the aligned value type. */
export function checkAligner(aligner: Aligner, kind: MetricKind, type: ValueType): ValueType {
  const r = applyStep(FACT_ALIGNERS, aligner, { metricKind: kind, valueType: type });
  if (r.ok === 'unknown') throw new Error(`unknown aligner ${aligner}`);
  if (r.ok === false) {
    const kinds = r.validKinds === 'any' ? 'any kind' : r.validKinds.join('/');
    throw new Error(
      `${aligner} is not valid for a ${kind} ${type} metric (valid: ${kinds} metrics with ${r.validTypes}) [common.proto Aligner; gcp-facts §1.5]`,
    );
  }
  engineSupports(aligner, type);
  return r.out.valueType as ValueType;
}

/** Throws a reason string when the reducer is not valid on the aligned values; returns the reduced value type. */
export function checkReducer(reducer: Reducer, type: ValueType): ValueType {
  // Reducers see aligned series, which are GAUGE or DELTA (common.proto), so only the value type can fail here.
  const r = applyStep(FACT_REDUCERS, reducer, { metricKind: 'GAUGE', valueType: type });
  if (r.ok === 'unknown') throw new Error(`unknown reducer ${reducer}`);
  if (r.ok === false) throw new Error(`${reducer} is not valid on aligned ${type} values (valid: ${r.validTypes}) [common.proto Reducer; gcp-facts §1.5]`);
  engineSupports(reducer, type);
  return r.out.valueType as ValueType;
}

/** First index with times[i] > t (binary search). */
export function upperBound(times: number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function percentileOf(sorted: number[], p: number): number {
  // Linear interpolation between closest ranks; Google does not document its method (UNCONFIRMED).
  if (sorted.length === 1) return sorted[0];
  const pos = (p / 100) * (sorted.length - 1);
  const lo = floor(pos);
  const hi = ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function stddev(xs: number[]): number {
  // Sample standard deviation (n-1); for a single value 0.
  if (xs.length < 2) return 0;
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return sqrt(xs.reduce((a, b) => a + (b - m) * (b - m), 0) / (xs.length - 1));
}

const PCT: Record<string, number> = { '99': 99, '95': 95, '50': 50, '05': 5 };

/**
 * Aligned value of one series for the window (t - periodMs, t]. `lookbackMs` is used by ALIGN_NONE (the most recent
 * raw point inside the lookback). Returns undefined when the window has no points.
 */
export function alignWindow(series: TimeSeries, aligner: Aligner, t: number, periodMs: number): PointValue | undefined {
  const b = upperBound(series.times, t); // points [a, b) are in (t - period, t]
  const a = upperBound(series.times, t - periodMs);
  return alignRange(series, aligner, a, b, periodMs);
}

/**
 * Prefix sums of a series' values, shared by the cursors of every condition that aligns the series: keyed by the
 * values array, which nothing changes once a series is built (a merge builds a new array).
 */
const prefixCache = new WeakMap<PointValue[], Float64Array>();

function prefixSums(s: TimeSeries): Float64Array {
  let sums = prefixCache.get(s.values);
  if (!sums || sums.length !== s.values.length + 1) {
    sums = new Float64Array(s.values.length + 1);
    for (let i = 0; i < s.values.length; i++) sums[i + 1] = sums[i] + (s.values[i] as number);
    prefixCache.set(s.values, sums);
  }
  return sums;
}

/**
 * A series' position for a sweep over non-decreasing data times: `a`/`b` only move forward, so aligning one series
 * at every evaluation time costs O(points + times) instead of two binary searches per time (which, over thousands
 * of series, miss the CPU cache on every probe).
 */
export class WindowCursor {
  a = 0;
  b = 0;
  private last = -INF;

  /** Prefix sums of an INT64 series' values (exact: integers below 2^53), built on first use (see prefixSums). */
  private sums: Float64Array | undefined;
  /** Whether `aligner` is a window sum of integer counts (decided once per aligner, not at every call). */
  private summed: { aligner: Aligner; yes: boolean; rate: boolean } | undefined;

  constructor(private readonly series: TimeSeries) {}

  /**
   * Aligned value for (t - periodMs, t]. Meant for non-decreasing t: the window then moves forward from where the
   * last call left it; the first call, and one with a smaller t, find it by binary search (a sweep often starts
   * after days of history).
   */
  align(aligner: Aligner, t: number, periodMs: number): PointValue | undefined {
    const s = this.series;
    const times = s.times;
    const n = times.length;
    const lo = t - periodMs;
    if (t < this.last || this.last === -INF) {
      this.b = upperBound(times, t);
      this.a = upperBound(times, lo);
    } else {
      while (this.b < n && times[this.b] <= t) this.b++;
      while (this.a < n && times[this.a] <= lo) this.a++;
    }
    this.last = t;
    // Window sums of integer counts from prefix sums: the same numbers alignRange adds up, in O(1).
    if (this.summed?.aligner !== aligner) {
      const yes =
        s.valueType === 'INT64' &&
        (aligner === 'ALIGN_SUM' ? s.metricKind !== 'CUMULATIVE' : s.metricKind === 'DELTA' && (aligner === 'ALIGN_DELTA' || aligner === 'ALIGN_RATE'));
      this.summed = { aligner, yes, rate: aligner === 'ALIGN_RATE' };
    }
    if (this.summed.yes && this.b > this.a) {
      this.sums ??= prefixSums(s);
      const sum = this.sums[this.b] - this.sums[this.a];
      return this.summed.rate ? sum / (periodMs / 1000) : sum;
    }
    return alignRange(s, aligner, this.a, this.b, periodMs);
  }

  /** Index of the last point at or before t (-1 if none); meant for non-decreasing t, as align. */
  lastIndexAt(t: number): number {
    const times = this.series.times;
    if (t < this.last || this.last === -INF) {
      this.a = 0;
      this.b = upperBound(times, t);
    } else {
      while (this.b < times.length && times[this.b] <= t) this.b++;
    }
    this.last = t;
    return this.b - 1;
  }
}

/** Aligned value of the points [a, b) of a series (the window (t - periodMs, t]); undefined when empty. */
export function alignRange(series: TimeSeries, aligner: Aligner, a: number, b: number, periodMs: number): PointValue | undefined {
  const { values } = series;
  if (b <= a) return undefined;
  const periodS = periodMs / 1000;
  switch (aligner) {
    case 'ALIGN_NONE':
    case 'ALIGN_NEXT_OLDER':
      // NEXT_OLDER: "the value at the most recent point before the end of the alignment period" [common.proto].
      return values[b - 1];
    case 'ALIGN_DELTA':
    case 'ALIGN_RATE': {
      let delta: PointValue;
      if (series.metricKind === 'DELTA') {
        // DELTA points already carry the change over their interval: the window's change is their sum.
        delta = sumValues(values, a, b);
      } else {
        // CUMULATIVE: change from the last point before the window (or the first inside it) to the last one,
        // treating a decrease as a counter reset (the new value counts from zero).
        const start = a > 0 ? a - 1 : a;
        let d = 0;
        for (let i = start + 1; i < b; i++) {
          const prev = values[i - 1] as number;
          const cur = values[i] as number;
          d += cur >= prev ? cur - prev : cur;
        }
        delta = d;
      }
      if (aligner === 'ALIGN_DELTA') return delta;
      // ALIGN_RATE: "the change divided by the alignment period" in seconds, output DOUBLE GAUGE [common.proto].
      return (delta as number) / periodS;
    }
    case 'ALIGN_SUM':
      return sumValues(values, a, b);
    case 'ALIGN_MEAN': {
      let s = 0;
      for (let i = a; i < b; i++) s += values[i] as number;
      return s / (b - a);
    }
    case 'ALIGN_MIN': {
      let m = INF;
      for (let i = a; i < b; i++) m = min(m, values[i] as number);
      return m;
    }
    case 'ALIGN_MAX': {
      let m = -INF;
      for (let i = a; i < b; i++) m = max(m, values[i] as number);
      return m;
    }
    case 'ALIGN_COUNT':
      return b - a;
    case 'ALIGN_STDDEV':
      return stddev(values.slice(a, b) as number[]);
    case 'ALIGN_COUNT_TRUE':
    case 'ALIGN_COUNT_FALSE':
    case 'ALIGN_FRACTION_TRUE': {
      let tr = 0;
      for (let i = a; i < b; i++) if ((values[i] as number) !== 0) tr++;
      if (aligner === 'ALIGN_COUNT_TRUE') return tr;
      if (aligner === 'ALIGN_COUNT_FALSE') return b - a - tr;
      return tr / (b - a);
    }
    default: {
      const p = PCT[aligner.slice('ALIGN_PERCENTILE_'.length)];
      const merged = mergeDistributionRange(values, a, b);
      return merged ? distributionPercentile(merged, p) : undefined;
    }
  }
}

function sumValues(values: PointValue[], a: number, b: number): PointValue {
  if (isDistribution(values[a])) return mergeDistributionRange(values, a, b)!;
  let s = 0;
  for (let i = a; i < b; i++) s += values[i] as number;
  return s;
}

/** Cross-series reduction of the aligned values of one group. Undefined when nothing to reduce. */
export function reduceValues(reducer: Exclude<Reducer, 'REDUCE_NONE'>, vals: PointValue[]): PointValue | undefined {
  if (vals.length === 0) return undefined;
  const dist = isDistribution(vals[0]);
  switch (reducer) {
    case 'REDUCE_COUNT':
      return vals.length;
    case 'REDUCE_SUM':
      return dist ? mergeDistributions(vals as Distribution[]) : (vals as number[]).reduce((x, y) => x + y, 0);
    case 'REDUCE_MEAN': {
      if (dist) {
        // Mean of a distribution-valued group: the mean of all pooled values.
        const m = mergeDistributions(vals as Distribution[])!;
        return m.count > 0 ? m.mean : undefined;
      }
      return (vals as number[]).reduce((x, y) => x + y, 0) / vals.length;
    }
    case 'REDUCE_MIN':
      return min(...(vals as number[]));
    case 'REDUCE_MAX':
      return max(...(vals as number[]));
    case 'REDUCE_STDDEV':
      return stddev(vals as number[]);
    case 'REDUCE_COUNT_TRUE':
      return (vals as number[]).filter((v) => v !== 0).length;
    case 'REDUCE_COUNT_FALSE':
      return (vals as number[]).filter((v) => v === 0).length;
    case 'REDUCE_FRACTION_TRUE':
      return (vals as number[]).filter((v) => v !== 0).length / vals.length;
    default: {
      const p = PCT[reducer.slice('REDUCE_PERCENTILE_'.length)];
      if (dist) {
        // Pooled percentile: the group's distributions are merged first (ALIGN_DELTA + REDUCE_PERCENTILE_xx,
        // gcp-facts §1.5 "This form pools the distributions across series"). A group of one needs no merge: the
        // percentile reads only the counts, which merging one distribution copies unchanged.
        if (vals.length === 1) return distributionPercentile(vals[0] as Distribution, p);
        return distributionPercentile(mergeDistributions(vals as Distribution[])!, p);
      }
      return percentileOf(
        [...(vals as number[])].sort((x, y) => x - y),
        p,
      );
    }
  }
}
