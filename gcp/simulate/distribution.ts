/**
 * google.api.Distribution helpers: bucket bounds, merging, percentiles, building from samples / a lognormal shape.
 * Bucket layout per google/api/distribution.proto (gcp-facts §3.5): N finite buckets plus an underflow bucket
 * (index 0) and an overflow bucket (index N+1).
 */
import { BucketOptions, Distribution } from './types';

// Per-point code reads these globals through module constants: in jest's vm context, where the tests run, each read
// of a global (`Math`, `Array`, `JSON`) costs about 0.2 µs (gcp/simulate/README.md "Speed").
const { abs, exp, log, max, min, round, SQRT2 } = Math;
const { isArray } = Array;

/** n zeros (a packed array, as bucket counts are read and summed index by index). */
function zeros(n: number): number[] {
  const a: number[] = [];
  for (let i = 0; i < n; i++) a.push(0);
  return a;
}

const boundsCache = new Map<string, number[]>();
const boundsByObject = new WeakMap<BucketOptions, number[]>();

export function bucketOptionsKey(o: BucketOptions): string {
  return JSON.stringify(o);
}

/**
 * The finite bucket boundaries b_0..b_N (N+1 values). Bucket i (1..N) is [b_{i-1}, b_i); bucket 0 is (-inf, b_0);
 * bucket N+1 is [b_N, +inf) [PROTO distribution.proto Linear/Exponential/Explicit].
 */
export function bucketBounds(o: BucketOptions): number[] {
  const byObject = boundsByObject.get(o);
  if (byObject) return byObject;
  const key = bucketOptionsKey(o);
  const hit = boundsCache.get(key);
  if (hit) {
    boundsByObject.set(o, hit);
    return hit;
  }
  let b: number[];
  if (o.linearBuckets) {
    const { numFiniteBuckets: n, width, offset } = o.linearBuckets;
    if (!(n > 0) || !(width > 0)) throw new Error('linearBuckets needs numFiniteBuckets > 0 and width > 0');
    b = Array.from({ length: n + 1 }, (_, k) => offset + width * k);
  } else if (o.exponentialBuckets) {
    const { numFiniteBuckets: n, growthFactor: g, scale } = o.exponentialBuckets;
    if (!(n > 0) || !(g > 1) || !(scale > 0)) throw new Error('exponentialBuckets needs numFiniteBuckets > 0, growthFactor > 1, scale > 0');
    b = Array.from({ length: n + 1 }, (_, k) => scale * Math.pow(g, k));
  } else if (o.explicitBuckets) {
    b = [...o.explicitBuckets.bounds];
    if (b.length < 1 || b.some((x, i) => i > 0 && !(x > b[i - 1])))
      throw new Error('explicitBuckets.bounds must be strictly increasing with at least one element');
  } else {
    throw new Error('bucketOptions needs one of linearBuckets, exponentialBuckets, explicitBuckets');
  }
  boundsCache.set(key, b);
  boundsByObject.set(o, b);
  return b;
}

/** Number of buckets including underflow and overflow. */
export function bucketCount(o: BucketOptions): number {
  return bucketBounds(o).length + 1;
}

/** Index of the bucket holding value v. */
export function bucketIndex(bounds: number[], v: number): number {
  let lo = 0;
  let hi = bounds.length; // answer in [0, bounds.length]
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v < bounds[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function emptyDistribution(o: BucketOptions): Distribution {
  return { count: 0, mean: 0, bucketOptions: o, bucketCounts: zeros(bucketCount(o)) };
}

/** Sum of distributions with identical bucket options (ALIGN_DELTA / ALIGN_SUM / REDUCE_SUM on distributions). */
export function mergeDistributions(ds: Distribution[]): Distribution | undefined {
  return mergeDistributionRange(ds, 0, ds.length);
}

/** mergeDistributions of ds[a .. b), without copying the range out first (an aligner merges a window per evaluation). */
export function mergeDistributionRange(ds: readonly unknown[], a: number, b: number): Distribution | undefined {
  if (b <= a) return undefined;
  const first = ds[a] as Distribution;
  const o = first.bucketOptions;
  // The options' key only when another options object turns up (a series' points usually share one object).
  let key: string | undefined;
  const counts = zeros(first.bucketCounts.length);
  let count = 0;
  let sum = 0;
  for (let k = a; k < b; k++) {
    const d = ds[k] as Distribution;
    if (d.bucketOptions !== o && bucketOptionsKey(d.bucketOptions) !== (key ??= bucketOptionsKey(o))) {
      throw new Error('cannot merge distributions with different bucket options');
    }
    for (let i = 0; i < d.bucketCounts.length; i++) counts[i] += d.bucketCounts[i];
    count += d.count;
    sum += d.mean * d.count;
  }
  return { count, mean: count > 0 ? sum / count : 0, bucketOptions: o, bucketCounts: counts };
}

/**
 * Percentile of a bucketed distribution, interpolating linearly inside the bucket that holds the rank. Google does
 * not document its interpolation; linear-in-bucket is the usual estimate (UNCONFIRMED). The underflow bucket
 * reports its upper bound, the overflow bucket its lower bound. Empty distribution: undefined (no value).
 */
export function distributionPercentile(d: Distribution, p: number): number | undefined {
  if (!(d.count > 0)) return undefined;
  const bounds = bucketBounds(d.bucketOptions);
  const rank = (p / 100) * d.count;
  let cum = 0;
  for (let i = 0; i < d.bucketCounts.length; i++) {
    const c = d.bucketCounts[i];
    if (c <= 0) continue;
    if (cum + c >= rank) {
      if (i === 0) return bounds[0];
      if (i === d.bucketCounts.length - 1) return bounds[bounds.length - 1];
      const lo = bounds[i - 1];
      const hi = bounds[i];
      const frac = min(1, max(0, (rank - cum) / c));
      return lo + (hi - lo) * frac;
    }
    cum += c;
  }
  return bounds[bounds.length - 1];
}

/** A distribution from raw sample values (log-based DISTRIBUTION metrics). */
export function distributionFromValues(o: BucketOptions, values: number[]): Distribution {
  const d = emptyDistribution(o);
  const bounds = bucketBounds(o);
  let sum = 0;
  for (const v of values) {
    d.bucketCounts[bucketIndex(bounds, v)]++;
    sum += v;
  }
  d.count = values.length;
  d.mean = values.length ? sum / values.length : 0;
  return d;
}

// ---- lognormal latency shape ----------------------------------------------------------------------------------

/** Standard normal CDF (Abramowitz-Stegun 7.1.26 erf approximation, |err| < 1.5e-7). */
export function normCdf(x: number): number {
  const z = abs(x) / SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-z * z);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

const Z95 = 1.6448536269514722;

/** Cumulative probabilities of the lognormal at each finite bound, memoised for the last (options, p50, p95). */
let cdfMemo: { o: BucketOptions; p50: number; p95: number; cdf: Float64Array; mean: number } | undefined;

/**
 * Deterministic bucket counts for `count` samples of a lognormal with the given p50 and p95: the expected cumulative
 * count at each bucket bound, rounded, then differenced — so the total is exactly `count` and each bucket is within
 * one of its expectation.
 */
export function lognormalDistribution(o: BucketOptions, count: number, p50: number, p95: number): Distribution {
  bucketBounds(o); // invalid options throw first, whatever the count
  const n = max(0, round(count));
  if (n === 0) return emptyDistribution(o);
  if (!(p50 > 0) || !(p95 >= p50)) throw new Error(`lognormal latency needs 0 < p50 <= p95 (got p50=${p50}, p95=${p95})`);
  if (!cdfMemo || cdfMemo.o !== o || cdfMemo.p50 !== p50 || cdfMemo.p95 !== p95) {
    const mu = log(p50);
    const sigma = p95 > p50 ? (log(p95) - mu) / Z95 : 1e-9;
    const bounds = bucketBounds(o);
    const cdf = new Float64Array(bounds.length);
    for (let i = 0; i < bounds.length; i++) cdf[i] = bounds[i] <= 0 ? 0 : normCdf((log(bounds[i]) - mu) / sigma);
    cdfMemo = { o, p50, p95, cdf, mean: exp(mu + (sigma * sigma) / 2) };
  }
  const { cdf, mean } = cdfMemo;
  const bucketCounts: number[] = [];
  let prev = 0;
  for (let i = 0; i < cdf.length; i++) {
    const cum = round(cdf[i] * n);
    bucketCounts.push(cum - prev);
    prev = cum;
  }
  bucketCounts.push(n - prev);
  return { count: n, mean, bucketOptions: o, bucketCounts };
}

/** Default bucket layout for generated latency distributions (ms): exponential, 1 ms .. ~1.6e6 ms, 25 % steps. */
export const DEFAULT_LATENCY_BUCKETS: BucketOptions = { exponentialBuckets: { numFiniteBuckets: 64, growthFactor: 1.25, scale: 1 } };

export function isDistribution(v: unknown): v is Distribution {
  return typeof v === 'object' && v !== null && isArray((v as Distribution).bucketCounts);
}
