/**
 * Deterministic value generators for scenario series. A generator is compiled once into `(tMs, index) => number`.
 *
 * - number | {constant}        constant value
 * - {ramp: {from, to, start, end}}   linear from `from` (before start) to `to` (after end)
 * - {step: {at, after, before?, until?}}  `after` in [at, until), `before` elsewhere (default 0)
 * - {spike: {at, duration, height, base?}}  `base + height` in [at, at+duration), else `base`
 * - {diurnal: {floor, peak, tzOffsetHours?, weekendFactor?}}  docs/reference/traffic.md shape: floor 00-07 local,
 *   linear ramp to the peak by 10, plateau to 15, linear back to the floor by 20; weekends (Sat/Sun local) at
 *   `weekendFactor` (default 0.3) of the weekday value, never below the floor
 * - {noise: {pct, seed?}}      multiplicative factor 1 ± pct % (uniform), seeded and deterministic per point index
 * - {sum: [g, …]}, {product: [g, …]}   composition (e.g. product: [diurnal, noise] then sum with a spike)
 *
 * Times accept RFC 3339 strings (timestamp.ts) or `start±D`, `end±D`, `incident±D` (D like "90s", "5m", "2h", "1d").
 */
import { parseHumanDuration } from './errors';
import { parseRfc3339 } from './timestamp';

// Per-point code reads Math through these module constants: where the tests run (jest's vm context) every read of a
// global such as `Math` costs about 0.2 µs, more than the arithmetic around it (gcp/simulate/README.md "Speed").
const { abs, exp, floor, imul, log, max, sqrt, trunc } = Math;

export type TimeRef = string;

export type GeneratorSpec =
  | number
  | { constant: number }
  | { ramp: { from: number; to: number; start: TimeRef; end: TimeRef } }
  | { step: { at: TimeRef; after: number; before?: number; until?: TimeRef } }
  | { spike: { at: TimeRef; duration: string | number; height: number; base?: number } }
  | { diurnal: { floor: number; peak: number; tzOffsetHours?: number; weekendFactor?: number } }
  | { noise: { pct: number; seed?: number } }
  | { sum: GeneratorSpec[] }
  | { product: GeneratorSpec[] };

export type Gen = (t: number, index: number) => number;

export interface TimeContext {
  start: number;
  end: number;
  incidentStart?: number;
}

/**
 * Resolve an RFC 3339 time (timestamp.ts: with Z or an offset, or a date for its UTC midnight) or a
 * `start|end|incident ± duration` reference to epoch ms. Throws a reason string.
 */
export function resolveTime(ref: TimeRef, ctx: TimeContext): number {
  const m = /^(start|end|incident)\s*(?:([+-])\s*(.+))?$/.exec(ref.trim());
  if (m) {
    let base: number;
    if (m[1] === 'start') base = ctx.start;
    else if (m[1] === 'end') base = ctx.end;
    else {
      if (ctx.incidentStart === undefined) throw new Error(`"${ref}" refers to the incident but the scenario has no incidentStart`);
      base = ctx.incidentStart;
    }
    if (!m[2]) return base;
    const d = parseHumanDuration(m[3]) * 1000;
    return m[2] === '+' ? base + d : base - d;
  }
  return parseRfc3339(ref, 'start, end or incident ± a duration (start+4h)');
}

/** 32-bit integer hash (lowbias32 by Chris Wellons) → deterministic uniform in [0, 1). */
export function hashUniform(seed: number, index: number): number {
  let x = (imul(seed | 0, 0x9e3779b1) ^ (index | 0)) >>> 0;
  x ^= x >>> 16;
  x = imul(x, 0x7feb352d) >>> 0;
  x ^= x >>> 15;
  x = imul(x, 0x846ca68b) >>> 0;
  x ^= x >>> 16;
  return (x >>> 0) / 4294967296;
}

/** Diurnal factor in [0, 1] for a local hour-of-day h (traffic.md: floor 0-7, ramp to 10, plateau to 15, down by 20). */
export function diurnalShape(h: number): number {
  if (h < 7) return 0;
  if (h < 10) return (h - 7) / 3;
  if (h < 15) return 1;
  if (h < 20) return 1 - (h - 15) / 5;
  return 0;
}

const DAY_MS = 86_400_000;

/**
 * The diurnal generator's local time of t shifted by tzMs: the hour of day (hours + minutes/60 + seconds/3600) and the
 * day of week (0 = Sunday), as `new Date(t + tzMs)`'s getUTCHours/Minutes/Seconds/Day give them (the same truncation
 * to whole ms, 1970-01-01 a Thursday), in integer arithmetic instead of a Date object per point. Returns the hour and
 * writes the day into `dayOut[0]`; NaN for times a Date cannot hold.
 */
function localHour(t: number, tzMs: number, dayOut: number[]): number {
  const ms = trunc(t + tzMs);
  if (!(abs(ms) <= 8.64e15)) {
    dayOut[0] = NaN;
    return NaN;
  }
  let day = floor(ms / DAY_MS);
  let rem = ms - day * DAY_MS; // exact: both terms are integers below 2^53
  if (rem < 0) {
    rem += DAY_MS;
    day--;
  } else if (rem >= DAY_MS) {
    rem -= DAY_MS;
    day++;
  }
  dayOut[0] = (((day + 4) % 7) + 7) % 7;
  return floor(rem / 3_600_000) + (floor(rem / 60_000) % 60) / 60 + (floor(rem / 1000) % 60) / 3600;
}

export function compileGenerator(spec: GeneratorSpec, ctx: TimeContext, path = 'value'): Gen {
  if (typeof spec === 'number') return () => spec;
  if ('constant' in spec) {
    const c = spec.constant;
    return () => c;
  }
  if ('ramp' in spec) {
    const { from, to } = spec.ramp;
    const s = resolveTime(spec.ramp.start, ctx);
    const e = resolveTime(spec.ramp.end, ctx);
    if (!(e > s)) throw new Error(`${path}.ramp: end must be after start`);
    return (t) => (t <= s ? from : t >= e ? to : from + ((to - from) * (t - s)) / (e - s));
  }
  if ('step' in spec) {
    const at = resolveTime(spec.step.at, ctx);
    const until = spec.step.until !== undefined ? resolveTime(spec.step.until, ctx) : Infinity;
    const before = spec.step.before ?? 0;
    const after = spec.step.after;
    return (t) => (t >= at && t < until ? after : before);
  }
  if ('spike' in spec) {
    const at = resolveTime(spec.spike.at, ctx);
    const until = at + parseHumanDuration(spec.spike.duration) * 1000;
    const base = spec.spike.base ?? 0;
    const top = base + spec.spike.height;
    return (t) => (t >= at && t < until ? top : base);
  }
  if ('diurnal' in spec) {
    const { floor: lowest, peak } = spec.diurnal;
    const tz = (spec.diurnal.tzOffsetHours ?? 0) * 3600_000;
    const wf = spec.diurnal.weekendFactor ?? 0.3;
    const day = [0];
    return (t) => {
      const v = lowest + (peak - lowest) * diurnalShape(localHour(t, tz, day));
      const dow = day[0];
      return dow === 0 || dow === 6 ? max(lowest, v * wf) : v;
    };
  }
  if ('noise' in spec) {
    const pct = spec.noise.pct / 100;
    const seed = spec.noise.seed ?? 1;
    return (_t, i) => 1 + pct * (2 * hashUniform(seed, i) - 1);
  }
  if ('sum' in spec) {
    const gs = spec.sum.map((g, i) => compileGenerator(g, ctx, `${path}.sum[${i}]`));
    return (t, i) => {
      let a = 0;
      for (const g of gs) a += g(t, i);
      return a;
    };
  }
  if ('product' in spec) {
    const gs = spec.product.map((g, i) => compileGenerator(g, ctx, `${path}.product[${i}]`));
    return (t, i) => {
      let a = 1;
      for (const g of gs) a *= g(t, i);
      return a;
    };
  }
  throw new Error(`${path}: unknown generator ${JSON.stringify(spec)}`);
}

/**
 * Per-step counts from a rate per second, rounded deterministically with a carried remainder so the total matches
 * the integral of the rate (a rate of 0.05/s at 60 s steps gives exactly 3 a step).
 */
export class CountRounder {
  private carry = 0;
  next(expected: number): number {
    const x = max(0, expected) + this.carry;
    const n = floor(x + 1e-9);
    this.carry = x - n;
    return n;
  }
}

/**
 * Poisson counts (issue 17: "quiet weeks meet chance clusters"): instead of spreading the expected count evenly
 * (CountRounder), each step draws a Poisson(expected) count from a seeded PRNG, so errors cluster by chance as real
 * traffic does. Deterministic: the same seed gives the same counts. Opt-in per series (`counts: {poisson: {seed}}`);
 * CountRounder stays the default.
 *
 * Sampling: Knuth's product of uniforms for a mean below 30; above, Hörmann's transformed rejection (PTRS, "The
 * transformed rejection method for generating Poisson random variables", 1993), exact in distribution for any mean.
 */
export class PoissonCounter {
  private i = 0;
  constructor(private readonly seed = 1) {}
  private u(): number {
    // hashUniform in [0, 1); shifted off 0 so logarithms stay finite.
    return (hashUniform(this.seed, this.i++) * 4294967295 + 0.5) / 4294967296;
  }
  next(expected: number): number {
    const lambda = max(0, expected);
    if (lambda === 0) return 0;
    if (lambda < 30) {
      const limit = exp(-lambda);
      let k = 0;
      let p = this.u();
      while (p > limit) {
        k++;
        p *= this.u();
      }
      return k;
    }
    const slam = sqrt(lambda);
    const loglam = log(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const U = this.u() - 0.5;
      const V = this.u();
      const us = 0.5 - abs(U);
      const k = floor(((2 * a) / us + b) * U + lambda + 0.43);
      if (us >= 0.07 && V <= vr) return k;
      if (k < 0 || (us < 0.013 && V > us)) continue;
      if (log(V) + log(invalpha) - log(a / (us * us) + b) <= -lambda + k * loglam - logFactorial(k)) return k;
    }
  }
}

const HALF_LOG_2PI = 0.5 * log(2 * Math.PI);

function logFactorial(k: number): number {
  if (k < 2) return 0;
  if (k < 20) {
    let s = 0;
    for (let j = 2; j <= k; j++) s += log(j);
    return s;
  }
  // Stirling series; error below 1e-10 for k >= 20.
  return (k + 0.5) * log(k) - k + HALF_LOG_2PI + 1 / (12 * k) - 1 / (360 * k ** 3);
}

/** How a DELTA/CUMULATIVE INT64 series turns an expected count into a point: even (default) or Poisson draws. */
export type CountsSpec = 'even' | { poisson: { seed?: number } };

export function countDrawer(spec: CountsSpec | undefined): { next(expected: number): number } {
  if (spec === undefined || spec === 'even') return new CountRounder();
  return new PoissonCounter(spec.poisson.seed ?? 1);
}
