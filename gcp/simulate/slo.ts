/**
 * Request-based SLOs and the `select_slo_burn_rate` time-series selector.
 *
 * Sources:
 * - "Retrieving SLO data" (https://cloud.google.com/stackdriver/docs/solutions/slo-monitoring/api/timeseries-selectors):
 *   selectors have the form `SELECTOR_NAME(SLO_NAME)` or `SELECTOR_NAME(SLO_NAME, LOOKBACK_PERIOD)`; the SLO name is
 *   `projects/PROJECT_ID/services/SERVICE_ID/serviceLevelObjectives/SLO_ID`; lookback units "ns", "us", "ms", "s",
 *   "m", "h"; `select_slo_burn_rate` takes both arguments, e.g. `select_slo_burn_rate("projects/…/SLO_ID", "3600s")`.
 * - "Creating an alerting policy" (…/slo-monitoring/api/create-policy-api): an SLO condition is a MetricThreshold
 *   whose "only field used … is the filter field" (no aggregations); it does set comparison, thresholdValue, duration
 *   and trigger.
 * - "Alerting on your burn rate" (…/slo-monitoring/alerting-on-budget-burn-rate): "Your error budget for a compliance
 *   period is (1 − SLO goal) × (eligible events in compliance period)"; the burn rate is normalised so that 1 spends
 *   exactly the budget. Hence, over a lookback L ending at t:
 *       burn(t, L) = (bad / total over (t − L, t]) / (1 − goal)
 * - ServiceLevelIndicator / RequestBasedSli / TimeSeriesRatio / DistributionCut (google.monitoring.v3 service.proto):
 *   a ratio sets exactly two of good/bad/total filters ("good_service + bad_service = total_service" is assumed); the
 *   filters select DELTA or CUMULATIVE INT64/DOUBLE series; a distribution cut selects DELTA/CUMULATIVE DISTRIBUTION
 *   series and counts the values in `range` [min, max] as good. Terraform: an unset `range.max` is infinity (open
 *   range ">= min"), an unset `range.min` is -infinity.
 *
 * Simulator choices (UNCONFIRMED, documented in the README):
 * - No data in the lookback, or a zero total, gives no value (the condition's evaluationMissingData applies).
 * - Distribution cut from buckets: each bucket's count is attributed to its UPPER bound (bucket i is [b(i-1), b(i)));
 *   it is good iff min <= upper bound <= max. A bucket straddling `max` therefore counts as bad (conservative); the
 *   underflow bucket counts as good when min <= b0 <= max; the overflow bucket (upper bound +inf) is bad unless max is
 *   infinite. With a bucket bound exactly at `max` (the catalog's 2 s) the cut is exact.
 * - Ingestion: the burn rate at evaluation time T is computed from the SLI's data as of T − delay, delay = the largest
 *   ingestion delay of the SLI's metric types (delays.ts); no extra SLO-pipeline delay is documented.
 */
import { upperBound } from './aggregation';
import { bucketBounds } from './distribution';
import { FilterNode, matchesFilter, metricTypesOf, parseMonitoringFilter } from './filter';
import { lookbackSeconds, sloSelectorOf } from '../filter';
import { Distribution, TimeSeries } from './types';

// burnRate runs at every evaluation time: it reads Math through module constants, because in jest's vm context, where
// the tests run, each read of a global costs about 0.2 µs (gcp/simulate/README.md "Speed").
const { max, min } = Math;

export type SloSli =
  { kind: 'goodTotalRatio'; good?: string; bad?: string; total?: string } | { kind: 'distributionCut'; filter: string; min: number; max: number };

/** A request-based SLO, from a synth (`google_monitoring_slo`) or an API-format ServiceLevelObjective. */
export interface SimSlo {
  /** The name `select_slo_*` refers to (the API resource name, or the resolved name of a TF resource). */
  name: string;
  goal: number;
  sli: SloSli;
  origin: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Terraform JSON nests single blocks either as an object or as a one-element list. */
function block(v: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(v)) return v.length === 1 && isRecord(v[0]) ? v[0] : undefined;
  return isRecord(v) ? v : undefined;
}

function num(v: unknown, dflt: number, what: string): number {
  if (v === undefined || v === null) return dflt;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || Number.isNaN(n)) throw new Error(`${what} must be a number, got ${JSON.stringify(v)}`);
  return n;
}

function checkGoal(goal: unknown): number {
  const g = num(goal, NaN, 'goal');
  if (!(g > 0 && g < 1)) throw new Error(`goal must be in (0, 1), got ${JSON.stringify(goal)}`);
  return g;
}

function ratio(good: unknown, bad: unknown, total: unknown): SloSli {
  const given = { good, bad, total };
  for (const [k, v] of Object.entries(given)) if (v !== undefined && typeof v !== 'string') throw new Error(`${k} filter must be a string`);
  const n = [good, bad, total].filter((x) => x !== undefined).length;
  if (n !== 2) throw new Error(`a good/total ratio needs exactly two of the good, bad and total filters (found ${n}) [service.proto TimeSeriesRatio]`);
  return { kind: 'goodTotalRatio', good: good as string | undefined, bad: bad as string | undefined, total: total as string | undefined };
}

function cut(filter: unknown, range: Record<string, unknown> | undefined): SloSli {
  if (typeof filter !== 'string' || !filter) throw new Error('distribution cut needs a distribution filter');
  if (!range) throw new Error('distribution cut needs a range');
  const min = num(range.min, -Infinity, 'range.min');
  const max = num(range.max, Infinity, 'range.max');
  if (!(max >= min)) throw new Error(`range.max (${max}) must not be below range.min (${min})`);
  return { kind: 'distributionCut', filter, min, max };
}

/** API-format google.monitoring.v3.ServiceLevelObjective (camelCase): only request-based SLIs are supported. */
export function sloFromApi(o: unknown, origin: string): SimSlo {
  if (!isRecord(o)) throw new Error('a ServiceLevelObjective must be an object');
  if (typeof o.name !== 'string' || !o.name) throw new Error('name is required (projects/…/services/…/serviceLevelObjectives/…)');
  const goal = checkGoal(o.goal);
  const sli = isRecord(o.serviceLevelIndicator) ? o.serviceLevelIndicator : undefined;
  const rb = sli && isRecord(sli.requestBased) ? sli.requestBased : undefined;
  if (!rb) throw new Error('serviceLevelIndicator.requestBased is required (basicSli and windowsBased SLIs are UNSUPPORTED by the simulator)');
  if (isRecord(rb.goodTotalRatio)) {
    const r = rb.goodTotalRatio;
    return { name: o.name, goal, sli: ratio(r.goodServiceFilter, r.badServiceFilter, r.totalServiceFilter), origin };
  }
  if (isRecord(rb.distributionCut)) {
    const d = rb.distributionCut;
    return { name: o.name, goal, sli: cut(d.distributionFilter, isRecord(d.range) ? d.range : undefined), origin };
  }
  throw new Error('requestBased needs goodTotalRatio or distributionCut');
}

/** A `google_monitoring_slo` body of a cdk.tf.json (snake_case), interpolations already resolved. */
export function sloFromTf(body: Record<string, unknown>, name: string, origin: string): SimSlo {
  const goal = checkGoal(body.goal);
  const rb = block(body.request_based_sli);
  if (!rb) throw new Error('request_based_sli is required (basic_sli and windows_based_sli are UNSUPPORTED by the simulator)');
  const r = block(rb.good_total_ratio);
  if (r) return { name, goal, sli: ratio(r.good_service_filter, r.bad_service_filter, r.total_service_filter), origin };
  const d = block(rb.distribution_cut);
  if (d) return { name, goal, sli: cut(d.distribution_filter, block(d.range)), origin };
  throw new Error('request_based_sli needs good_total_ratio or distribution_cut');
}

export interface SloSelector {
  selector: string;
  name: string;
  lookbackSeconds?: number;
}

/** `select_slo_…("NAME"[, "LOOKBACK"])` → parts; null when the filter is not an SLO selector. Throws on a malformed one. */
export function parseSloSelector(filter: string): SloSelector | null {
  let sel;
  try {
    sel = sloSelectorOf(filter);
  } catch (e) {
    throw new Error(
      `malformed SLO selector ${JSON.stringify(filter)}: ${(e as Error).message} (expected select_slo_NAME("projects/…/serviceLevelObjectives/…", "3600s"))`,
      { cause: e },
    );
  }
  if (!sel) return null;
  let seconds: number | undefined;
  if (sel.lookback !== undefined) {
    seconds = lookbackSeconds(sel.lookback);
    if (seconds === undefined) throw new Error(`invalid lookback period ${JSON.stringify(sel.lookback)} (a number with ns, us, ms, s, m or h)`);
    if (!(seconds > 0)) throw new Error('the lookback period must be positive');
  }
  return { selector: sel.selector, name: sel.name, lookbackSeconds: seconds };
}

/** Prefix sums of per-point (total, bad) event counts of one SLI series. */
interface Counted {
  times: number[];
  /** cumulative sums, length times.length + 1 */
  total: Float64Array;
  bad: Float64Array;
  /** Cumulative point counts when several series were merged (else one point per time). */
  points?: Float64Array;
  /** Per lookback: the window's indices at the last data time asked for (see windowSum). */
  windows: Map<number, { last: number; a: number; b: number }>;
}

/** Per-point event counts: DELTA points as they are; CUMULATIVE as differences (a decrease is a reset). */
function deltas(s: TimeSeries): number[] {
  const v = s.values as number[];
  if (s.metricKind === 'DELTA') return v; // read only
  return v.map((x, i) => (i === 0 ? 0 : x >= v[i - 1] ? x - v[i - 1] : x));
}

/** Event sums over a window, written by windowSum into an object its caller reuses (it runs per evaluation time). */
interface WindowSums {
  total: number;
  bad: number;
  points: number;
}

/**
 * Event sums over (d - lookback, d]. A condition asks at every evaluation time, in order: the window's indices move
 * forward from where the last call left them (the same indices as a binary search, without its probes), and are
 * searched afresh only when d goes back (the next condition on the same SLO starting over).
 */
function windowSum(c: Counted, d: number, lookbackMs: number, out: WindowSums): WindowSums {
  const { times } = c;
  let w = c.windows.get(lookbackMs);
  if (!w) c.windows.set(lookbackMs, (w = { last: Infinity, a: 0, b: 0 }));
  if (d < w.last) {
    w.a = upperBound(times, d - lookbackMs);
    w.b = upperBound(times, d);
  } else {
    const lo = d - lookbackMs;
    while (w.b < times.length && times[w.b] <= d) w.b++;
    while (w.a < times.length && times[w.a] <= lo) w.a++;
  }
  w.last = d;
  const { a, b } = w;
  out.total = c.total[b] - c.total[a];
  out.bad = c.bad[b] - c.bad[a];
  out.points = c.points ? c.points[b] - c.points[a] : b - a;
  return out;
}

/** One SLI series' per-point event counts (not yet summed). */
interface PerPoint {
  times: number[];
  total: ArrayLike<number>;
  bad: ArrayLike<number>;
}

/** Sorted union of sorted time arrays. Identical grids (the usual case) cost one pass each and no allocation. */
function unionTimes(series: PerPoint[]): number[] {
  let grid: number[] = [];
  let merges = 0;
  for (const s of series) {
    const t = s.times;
    // subset check: every time of s is already in the grid?
    let i = 0;
    let j = 0;
    while (i < t.length && j < grid.length) {
      if (t[i] === grid[j]) {
        i++;
        j++;
      } else if (t[i] > grid[j]) j++;
      else break;
    }
    if (i === t.length) continue;
    if (++merges > 64) {
      // Many different grids: one numeric sort of everything beats repeated merges.
      const all = new Float64Array(series.reduce((n, x) => n + x.times.length, 0));
      let k = 0;
      for (const x of series) for (const v of x.times) all[k++] = v;
      all.sort();
      const out: number[] = [];
      for (let m = 0; m < all.length; m++) if (m === 0 || all[m] !== all[m - 1]) out.push(all[m]);
      return out;
    }
    const out: number[] = [];
    i = 0;
    j = 0;
    while (i < t.length || j < grid.length) {
      const v = j >= grid.length || (i < t.length && t[i] < grid[j]) ? t[i++] : grid[j++];
      if (out.length === 0 || out[out.length - 1] !== v) out.push(v);
      if (i < t.length && out[out.length - 1] === t[i]) i++;
    }
    grid = out;
  }
  return grid;
}

/**
 * The SLI only ever needs the sums over all its series: their points are merged into one timeline (summed per
 * timestamp, with a prefix of point counts for "no data in the lookback"), so a burn rate costs two binary searches
 * whatever the number of series (10,000 series were 20,000 searches per evaluation). Linear in the points: each
 * series is walked once against the sorted union of times.
 */
function mergeSeries(series: PerPoint[]): Counted {
  const times = unionTimes(series);
  const n = times.length;
  const tot = new Float64Array(n);
  const bad = new Float64Array(n);
  const pts = new Float64Array(n);
  for (const s of series) {
    let j = 0;
    for (let i = 0; i < s.times.length; i++) {
      while (times[j] !== s.times[i]) j++;
      tot[j] += s.total[i];
      bad[j] += s.bad[i];
      pts[j]++;
    }
  }
  const total = new Float64Array(n + 1);
  const badSum = new Float64Array(n + 1);
  const points = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    total[i + 1] = total[i] + tot[i];
    badSum[i + 1] = badSum[i] + bad[i];
    points[i + 1] = points[i] + pts[i];
  }
  return { times, total, bad: badSum, points, windows: new Map() };
}

/** The compiled SLI: the burn rate for any data time and lookback. */
export interface BurnRateSource {
  metricTypes: string[];
  burnRate(d: number, lookbackMs: number): number | undefined;
}

function compileFilter(f: string, what: string): FilterNode {
  try {
    return parseMonitoringFilter(f);
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`, { cause: e });
  }
}

/** Compile an SLO's SLI against the scenario's series. Throws a reason string when the SLI cannot be evaluated. */
export function compileSli(slo: SimSlo, allSeries: TimeSeries[]): BurnRateSource {
  const budget = 1 - slo.goal;
  const types = new Set<string>();
  const select = (f: string, what: string, dist: boolean): TimeSeries[] => {
    const node = compileFilter(f, what);
    const mt = metricTypesOf(node);
    if (mt.length !== 1) throw new Error(`${what}: must pin exactly one metric type with metric.type = "…" (found ${mt.length})`);
    types.add(mt[0]);
    const out = allSeries.filter((s) => matchesFilter(node, s));
    for (const s of out) {
      if (s.metricKind === 'GAUGE')
        throw new Error(
          `${what}: request-based SLIs count events in DELTA or CUMULATIVE series; ${s.metric.type} from ${s.origin} is GAUGE [service.proto TimeSeriesRatio/DistributionCut]`,
        );
      if (dist !== (s.valueType === 'DISTRIBUTION')) {
        throw new Error(
          `${what}: ${dist ? 'a distribution cut needs DISTRIBUTION' : 'a good/total ratio needs INT64 or DOUBLE'} series; ${s.metric.type} from ${s.origin} is ${s.valueType}`,
        );
      }
    }
    return out;
  };

  if (slo.sli.kind === 'distributionCut') {
    const { min, max } = slo.sli;
    const counted = select(slo.sli.filter, 'distributionFilter', true).map((s) => {
      const tot: number[] = [];
      const bad: number[] = [];
      for (const v of s.values as Distribution[]) {
        const bounds = bucketBounds(v.bucketOptions);
        let b = 0;
        for (let i = 0; i < v.bucketCounts.length; i++) {
          // bucket i covers [bounds[i-1], bounds[i]); its count is attributed to its upper bound (see header)
          const upper = i < bounds.length ? bounds[i] : Infinity;
          if (!(upper >= min && upper <= max)) b += v.bucketCounts[i];
        }
        tot.push(v.count);
        bad.push(b);
      }
      return { times: s.times, total: tot, bad } as PerPoint;
    });
    const merged = [mergeSeries(counted)];
    const w: WindowSums = { total: 0, bad: 0, points: 0 };
    return {
      metricTypes: [...types],
      burnRate(d, L) {
        let total = 0;
        let bad = 0;
        for (const c of merged) {
          windowSum(c, d, L, w);
          total += w.total;
          bad += w.bad;
        }
        return total > 0 ? bad / total / budget : undefined;
      },
    };
  }

  const { good, bad, total } = slo.sli;
  const compile = (f: string | undefined, what: string) =>
    f === undefined
      ? undefined
      : [
          mergeSeries(
            select(f, what, false).map((s) => {
              const dl = deltas(s);
              return { times: s.times, total: dl, bad: dl };
            }),
          ),
        ];
  const goodC = compile(good, 'goodServiceFilter');
  const badC = compile(bad, 'badServiceFilter');
  const totalC = compile(total, 'totalServiceFilter');
  // Each side's sums over the window, into objects reused at every call (burnRate runs per evaluation time).
  const w: WindowSums = { total: 0, bad: 0, points: 0 };
  const sums = { good: { n: 0, pts: 0 }, bad: { n: 0, pts: 0 }, total: { n: 0, pts: 0 } };
  const sum = (cs: Counted[] | undefined, d: number, L: number, out: { n: number; pts: number }) => {
    if (!cs) return undefined;
    out.n = 0;
    out.pts = 0;
    for (const c of cs) {
      windowSum(c, d, L, w);
      out.n += w.total;
      out.pts += w.points;
    }
    return out;
  };
  return {
    metricTypes: [...types],
    burnRate(d, L) {
      const g = sum(goodC, d, L, sums.good);
      const b = sum(badC, d, L, sums.bad);
      const t = sum(totalC, d, L, sums.total);
      let nTotal: number;
      let nBad: number;
      if (t) {
        if (t.pts === 0) return undefined; // no data in the lookback
        nTotal = t.n;
        nBad = b ? b.n : t.n - g!.n;
      } else {
        if (g!.pts === 0 && b!.pts === 0) return undefined;
        nTotal = g!.n + b!.n;
        nBad = b!.n;
      }
      if (!(nTotal > 0)) return undefined;
      nBad = min(nTotal, max(0, nBad));
      return nBad / nTotal / budget;
    },
  };
}
