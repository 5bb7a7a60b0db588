/**
 * The evaluation engine: replays a scenario's time series through API-format alert policies at the platform's
 * evaluation cadence and reports when each policy would open an incident.
 *
 * Semantics (each rule with its source):
 * - Cadence: metric conditions are evaluated every 30 s (gcp-facts §1.10, [DOC mql/best-practices-alerts]); a
 *   scenario may override `evaluationInterval`.
 * - Alignment window (t - alignmentPeriod, t] sliding with t (aggregation.ts, concepts-indepth "Alignment period").
 * - Ingestion delay: an evaluation at wall-clock T sees data as of T - delay (delays.ts).
 * - Duration / retest window: "The duration window of a condition is the length of time the condition must evaluate
 *   as true before triggering … A condition resets its duration window each time a measurement doesn't satisfy the
 *   condition" (https://cloud.google.com/monitoring/alerts/concepts-indepth). Tracked per time series.
 * - Trigger: "The number/percent of time series for which the comparison must hold in order for the condition to
 *   trigger", default {count: 1} [PROTO alert.proto Trigger; gcp-facts §1.4].
 * - Comparison: only COMPARISON_GT and COMPARISON_LT are supported by the API; others are rejected (gcp-facts §1.4),
 *   so they are an evaluation error here. A missing thresholdValue is 0 (proto3 default).
 * - evaluationMissingData [PROTO; client docs "A condition control that determines how metric-threshold conditions
 *   are evaluated when data stops arriving"]: INACTIVE = "evaluate the condition as false", ACTIVE = "evaluate the
 *   condition as true", NO_OP/unspecified = "Do not evaluate the condition to any value" (the series keeps its previous
 *   state). ACTIVE with no series at all treats the condition as true ("If there is no data to evaluate the condition").
 * - Ratios: numerator `filter`/`aggregations`, denominator `denominatorFilter`/`denominatorAggregations`; they "must use
 *   the same alignment period and produce time series that have the same periodicity and labels" (gcp-facts §1.4).
 *   Series are joined on their (reduced) labels; a missing side or a zero denominator gives no value.
 * - Absence: "in violation when a time series for the specified metric of a monitored resource does not include any
 *   data in the specified duration" [PROTO MetricAbsence]; only series seen at least once count ("Metric absence
 *   conditions require at least one successful measurement", concepts-indepth, older revision). With an aligner the
 *   aligned series ends one alignment period after the last raw point, so the absence starts then.
 * - Combiners (gcp-facts §1.3 [PROTO]): OR; AND "satisfied even when the conditions are met on different resources";
 *   AND_WITH_MATCHING_RESOURCE requires all conditions on one resource (matched on resource.type and the resource
 *   labels both sides kept).
 * - LogMatch (gcp-facts §1.7): fires on each matching entry; must be the only condition; notificationRateLimit.period
 *   suppresses notifications closer than the period (first firing unaffected).
 * - SLO burn rate: `select_slo_burn_rate("<SLO>", "<lookback>")` filters are evaluated from the SLO's request-based
 *   SLI (slo.ts, with its sources); other select_slo_* selectors are UNSUPPORTED.
 * - MQL, PromQL, SQL conditions and forecastOptions: UNSUPPORTED → explicit EvaluationError.
 * - API validity: before evaluation the policy goes through the platform-limit lint (gcp/lint,
 *   `lintApiResource('AlertPolicy', policy, {schema: false})`); every error-level finding makes the policy an
 *   EvaluationError ("the API would reject this policy: …"), so a simulation never vouches for an invalid policy.
 */
import type { ApiAggregation } from '../api/aggregation';
import { CONDITION_TYPES, type ApiCondition } from '../api/alert-policy';
import { matches, parseFilter } from '../logging-query/filter';
import { DEFAULT_KNOWN_METRICS, lintApiResource, type KnownMetrics } from '../lint';
import { ALIGNERS, Aligner, REDUCERS, Reducer, checkAligner, checkReducer, reduceValues, WindowCursor } from './aggregation';
import { ingestionDelay } from './delays';
import { EvaluationError, parseProtoDuration } from './errors';
import { FilterNode, matchesFilter, metricTypesOf, parseMonitoringFilter } from './filter';
import type { Scenario } from './scenario';
import { BurnRateSource, compileSli, parseSloSelector, SimSlo, SloSelector } from './slo';
import { groupFieldName, isSloSelectorFilter, parseGroupByField, type GroupByField } from '../filter';
import { LoadedPolicy, PointValue, TimeSeries, ValueType } from './types';

// ---- results -------------------------------------------------------------------------------------------------------

export interface OutputSeries {
  /** Labels after reduction (what a chart of the condition would show). */
  metricLabels: Record<string, string>;
  resourceType: string;
  resourceLabels: Record<string, string>;
  /** One value per evaluation time (null = no value). */
  values: (number | null)[];
}

export interface ConditionResult {
  displayName: string;
  type: 'threshold' | 'absence' | 'log';
  comparison?: string;
  threshold?: number;
  durationSeconds: number;
  ingestionDelaySeconds: number;
  ingestionDelaySource: string;
  /** For threshold: the compared value; for absence: seconds since the last point (threshold = duration). */
  series: OutputSeries[];
  /** Per evaluation time: whether the condition (with duration and trigger) was met. */
  met: boolean[];
  /** LogMatch: times of matching entries. */
  logMatches?: number[];
}

export interface PolicyResult {
  displayName: string;
  origin: string;
  disabled: boolean;
  /** null when the policy could not be evaluated (see error). */
  fired: boolean | null;
  firstFiredAt: number | null;
  detectionSeconds: number | null;
  /** Intervals during which the policy's combined condition held (end null = still open at the scenario end). */
  windows: { start: number; end: number | null }[];
  conditions: ConditionResult[];
  notificationChannels: string[];
  notifications?: { sent: number; suppressed: number };
  notes: string[];
  error?: string;
}

export interface ScenarioResult {
  name: string;
  file: string;
  start: number;
  end: number;
  incidentStart: number | null;
  evaluationTimes: number[];
  policies: PolicyResult[];
  expectationFailures: string[];
}

// ---- helpers -------------------------------------------------------------------------------------------------------

// Code run per evaluation time reads these globals through module constants: in jest's vm context, where the tests
// run, each read of a global such as `Math` or `Map` costs about 0.2 µs (gcp/simulate/README.md "Speed").
const { max } = Math;
const { entries } = Object;

interface Ident {
  metricLabels: Record<string, string>;
  resourceType: string;
  resourceLabels: Record<string, string>;
}

function sortedEntries(o: Record<string, string>): [string, string][] {
  return Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function identKey(i: Ident): string {
  return JSON.stringify([i.resourceType, sortedEntries(i.resourceLabels), sortedEntries(i.metricLabels)]);
}

/** Join key for ratios: labels only (the denominator may be another metric type, and may omit resource.type). */
function joinKey(i: Ident): string {
  return JSON.stringify([sortedEntries(i.resourceLabels), sortedEntries(i.metricLabels)]);
}

function groupIdent(s: TimeSeries, fields: GroupByField[]): Ident {
  const metricLabels: Record<string, string> = {};
  const resourceLabels: Record<string, string> = {};
  for (const f of fields) {
    if (f.kind === 'metric') {
      if (f.key === '*') Object.assign(metricLabels, s.metric.labels);
      else if (s.metric.labels[f.key] !== undefined) metricLabels[f.key] = s.metric.labels[f.key];
    } else if (f.kind === 'resource') {
      if (f.key === '*') Object.assign(resourceLabels, s.resource.labels);
      else if (s.resource.labels[f.key] !== undefined) resourceLabels[f.key] = s.resource.labels[f.key];
    }
  }
  return { metricLabels, resourceType: s.resource.type, resourceLabels };
}

function fullIdent(s: TimeSeries): Ident {
  return { metricLabels: s.metric.labels, resourceType: s.resource.type, resourceLabels: s.resource.labels };
}

function resourcesMatch(a: Ident, b: Ident): boolean {
  if (a.resourceType !== b.resourceType) return false;
  for (const [k, v] of entries(a.resourceLabels)) if (k in b.resourceLabels && b.resourceLabels[k] !== v) return false;
  return true;
}

/** A compiled filter + aggregation: produces the reduced output series at a data time. */
interface Pipeline {
  series: TimeSeries[];
  aligner: Aligner;
  periodMs: number;
  reducer: Reducer;
  groupKeys: string[];
  groupIdents: Map<string, Ident>;
  /** The distinct group keys in first-appearance order (the order of groupIdents) and each series' index in it. */
  keyList: string[];
  groupOf: number[];
  /** groupByFields of the aggregation (meaningful only with a reducer). */
  groupFields: GroupByField[];
  outType: ValueType;
  metricTypes: string[];
  /** One forward-only window position per series (evaluation times only grow). */
  cursors: WindowCursor[];
  /**
   * evaluatePipeline's working storage: per group its aligned values at the current call (stamp[g] === calls), and
   * the result (see Tick).
   */
  scratch: { vals: PointValue[][]; stamp: Float64Array; calls: number; tick: Tick };
}

/**
 * The output values of a pipeline (or of a condition's value source) at one data time, by output index (a pipeline's
 * group index, its position in keyList): `ids[0 .. n)` lists the outputs that have a value, in the order a condition
 * meets new series in; `value[id]` is the value. Each pipeline and source refills its own instance at every
 * evaluation time (the engine reads a result before it asks for the next), instead of building a map each time.
 */
interface Tick {
  n: number;
  ids: number[];
  value: PointValue[];
}

function newTick(size: number): Tick {
  const ids: number[] = [];
  const value: PointValue[] = [];
  for (let i = 0; i < size; i++) {
    ids.push(0);
    value.push(0);
  }
  return { n: 0, ids, value };
}

interface Ctx {
  policy: string;
  condition: string;
}

function fail(ctx: Ctx, field: string, reason: string): never {
  throw new EvaluationError(ctx.policy, ctx.condition, field, reason);
}

function buildPipeline(
  ctx: Ctx,
  filter: string | undefined,
  aggregations: ApiAggregation[] | undefined,
  allSeries: TimeSeries[],
  fieldBase: string,
  filterField: string,
  aggField: string,
  rawLookbackMs: number,
): Pipeline {
  if (typeof filter !== 'string' || !filter.trim()) fail(ctx, `${fieldBase}.${filterField}`, 'a filter is required');
  if (filter.includes('${')) fail(ctx, `${fieldBase}.${filterField}`, `unresolved Terraform interpolation in ${JSON.stringify(filter)}`);
  let node: FilterNode;
  try {
    node = parseMonitoringFilter(filter);
  } catch (e) {
    fail(ctx, `${fieldBase}.${filterField}`, (e as Error).message);
  }
  const metricTypes = metricTypesOf(node);
  if (metricTypes.length !== 1) {
    // "When listing time series … you must specify exactly one metric type" (gcp-facts §2.1).
    fail(ctx, `${fieldBase}.${filterField}`, `must pin exactly one metric type with metric.type = "…" (found ${metricTypes.length})`);
  }
  const aggs = aggregations ?? [];
  if (aggs.length > 1) fail(ctx, `${fieldBase}.${aggField}`, 'more than one aggregation step is not supported by the simulator');
  const agg = aggs[0] ?? {};
  const alignerName = agg.perSeriesAligner ?? 'ALIGN_NONE';
  if (!(ALIGNERS as readonly string[]).includes(alignerName)) fail(ctx, `${fieldBase}.${aggField}[0].perSeriesAligner`, `unsupported aligner ${alignerName}`);
  const aligner = alignerName as Aligner;
  const reducerName = agg.crossSeriesReducer ?? 'REDUCE_NONE';
  if (!(REDUCERS as readonly string[]).includes(reducerName)) fail(ctx, `${fieldBase}.${aggField}[0].crossSeriesReducer`, `unsupported reducer ${reducerName}`);
  const reducer = reducerName as Reducer;
  let periodMs = rawLookbackMs;
  if (aligner !== 'ALIGN_NONE') {
    // "Required when per_series_aligner is anything other than ALIGN_NONE … at least 60 s" (gcp-facts §1.5).
    if (agg.alignmentPeriod === undefined) fail(ctx, `${fieldBase}.${aggField}[0].alignmentPeriod`, `required with ${aligner}`);
    let p: number;
    try {
      p = parseProtoDuration(agg.alignmentPeriod);
    } catch (e) {
      fail(ctx, `${fieldBase}.${aggField}[0].alignmentPeriod`, (e as Error).message);
    }
    if (!(p >= 60)) fail(ctx, `${fieldBase}.${aggField}[0].alignmentPeriod`, `must be at least 60s (got ${p}s) [gcp-facts §1.5]`);
    periodMs = p * 1000;
  } else if (reducer !== 'REDUCE_NONE') {
    fail(ctx, `${fieldBase}.${aggField}[0].crossSeriesReducer`, 'a cross-series reducer requires a per-series aligner other than ALIGN_NONE [gcp-facts §1.5]');
  }
  // resource.type is always implied [common.proto group_by_fields]; a `*` key keeps every label of its kind.
  const groupFields = (agg.groupByFields ?? []).map(
    (f) =>
      parseGroupByField(f) ??
      fail(ctx, `${fieldBase}.${aggField}[0].groupByFields`, `unsupported groupByFields entry "${f}" (expected resource.label(s).KEY or metric.label(s).KEY)`),
  );

  const series = allSeries.filter((s) => matchesFilter(node, s));
  let outType: ValueType | undefined;
  for (const s of series) {
    let t: ValueType;
    try {
      t = checkAligner(aligner, s.metricKind, s.valueType);
      t = checkReducer(reducer, t);
    } catch (e) {
      fail(ctx, `${fieldBase}.${aggField}[0]`, `${(e as Error).message} (series ${s.metric.type} from ${s.origin})`);
    }
    outType = t;
  }
  const groupKeys: string[] = [];
  const groupIdents = new Map<string, Ident>();
  const keyList: string[] = [];
  const groupIndex = new Map<string, number>();
  const groupOf: number[] = [];
  for (const s of series) {
    const ident = reducer === 'REDUCE_NONE' ? fullIdent(s) : groupIdent(s, groupFields);
    const key = identKey(ident);
    groupKeys.push(key);
    if (!groupIdents.has(key)) {
      groupIdents.set(key, ident);
      groupIndex.set(key, keyList.length);
      keyList.push(key);
    }
    groupOf.push(groupIndex.get(key)!);
  }
  return {
    series,
    aligner,
    periodMs,
    reducer,
    groupKeys,
    groupIdents,
    keyList,
    groupOf,
    groupFields,
    outType: outType ?? 'DOUBLE',
    metricTypes,
    cursors: series.map((s) => new WindowCursor(s)),
    scratch: { vals: keyList.map(() => []), stamp: new Float64Array(keyList.length), calls: 0, tick: newTick(keyList.length) },
  };
}

/**
 * Reduced output values of a pipeline at data time d, the groups in the order they got their first value (a group's
 * values in series order). The result is the pipeline's own and is refilled by the next call.
 */
function evaluatePipeline(p: Pipeline, d: number): Tick {
  const { vals, stamp, tick } = p.scratch;
  const { ids } = tick;
  const call = ++p.scratch.calls;
  let n = 0;
  for (let i = 0; i < p.series.length; i++) {
    const v = p.cursors[i].align(p.aligner, d, p.periodMs);
    if (v === undefined) continue;
    const g = p.groupOf[i];
    if (stamp[g] === call) vals[g].push(v);
    else {
      stamp[g] = call;
      vals[g] = [v];
      ids[n++] = g;
    }
  }
  // Groups whose reduction gives no value leave the list (which is then the output ids, in the same order).
  let m = 0;
  for (let k = 0; k < n; k++) {
    const g = ids[k];
    const gv = vals[g];
    // Without a reducer every input series is its own output (identical identities cannot occur in Monitoring).
    const r = p.reducer === 'REDUCE_NONE' ? gv[gv.length - 1] : reduceValues(p.reducer, gv);
    if (r === undefined) continue;
    tick.value[g] = r;
    ids[m++] = g;
  }
  tick.n = m;
  return tick;
}

/**
 * Reducers that fold one aligned value at a time (no need to hold a group's values together), with what each does to
 * its group's accumulator: a small integer, compared in the inner loop instead of the reducer's name.
 */
const FOLD_SUM = 0;
const FOLD_MIN = 1;
const FOLD_MAX = 2;
const FOLD_TRUE = 3;
const FOLD_FALSE = 4;
const FOLD_COUNT = 5;
const FOLDABLE: ReadonlyMap<Reducer, number> = new Map<Reducer, number>([
  ['REDUCE_SUM', FOLD_SUM],
  ['REDUCE_MEAN', FOLD_SUM],
  ['REDUCE_COUNT', FOLD_COUNT],
  ['REDUCE_MIN', FOLD_MIN],
  ['REDUCE_MAX', FOLD_MAX],
  ['REDUCE_COUNT_TRUE', FOLD_TRUE],
  ['REDUCE_COUNT_FALSE', FOLD_FALSE],
  ['REDUCE_FRACTION_TRUE', FOLD_TRUE],
]);
/** Largest groups × evaluation times folded in advance (two Float64Arrays of that size: 80 MB). */
const MAX_FOLD_CELLS = 5_000_000;

/**
 * Series-major evaluation of a reducing pipeline at every data time `ds` (non-decreasing): each series is swept once
 * from start to end (sequential memory, no binary search) and folded into its group's per-time accumulators. The
 * time-major loop (evaluatePipeline) touched every series at every evaluation time: with 10,000 series that is
 * 10,000 scattered cache misses per evaluation, and grew faster than the series count (10k series: 357 s, 1k: 13 s).
 * Same results as evaluatePipeline + reduceValues (values folded in series order); undefined when the reducer needs
 * all values at once (percentiles, stddev), the aligned values are distributions, or the groups are too many.
 */
function foldPipeline(p: Pipeline, ds: number[]): ((ti: number) => Tick) | undefined {
  if (p.reducer === 'REDUCE_NONE' || !FOLDABLE.has(p.reducer)) return undefined;
  if (p.series.some((s) => s.valueType === 'DISTRIBUTION') && !p.aligner.startsWith('ALIGN_PERCENTILE_')) return undefined;
  const keys = p.keyList;
  const nT = ds.length;
  if (keys.length * nT > MAX_FOLD_CELLS) return undefined;
  const count = new Float64Array(keys.length * nT);
  const acc = new Float64Array(keys.length * nT);
  const r = p.reducer;
  if (r === 'REDUCE_MIN') acc.fill(Infinity);
  if (r === 'REDUCE_MAX') acc.fill(-Infinity);
  const op = FOLDABLE.get(r)!;
  for (let i = 0; i < p.series.length; i++) {
    const cursor = new WindowCursor(p.series[i]);
    const base = p.groupOf[i] * nT;
    for (let ti = 0; ti < nT; ti++) {
      const v = cursor.align(p.aligner, ds[ti], p.periodMs);
      if (v === undefined) continue;
      const x = v as number;
      const j = base + ti;
      count[j]++;
      if (op === FOLD_SUM) acc[j] += x;
      else if (op === FOLD_MIN) {
        if (x < acc[j]) acc[j] = x;
      } else if (op === FOLD_MAX) {
        if (x > acc[j]) acc[j] = x;
      } else if (op === FOLD_TRUE) {
        if (x !== 0) acc[j]++;
      } else if (op === FOLD_FALSE) {
        if (x === 0) acc[j]++;
      }
    }
  }
  const divide = r === 'REDUCE_MEAN' || r === 'REDUCE_FRACTION_TRUE';
  const counted = r === 'REDUCE_COUNT';
  const tick = newTick(keys.length);
  return (ti) => {
    let n = 0;
    for (let g = 0; g < keys.length; g++) {
      const j = g * nT + ti;
      const c = count[j];
      if (c === 0) continue;
      tick.ids[n++] = g;
      tick.value[g] = divide ? acc[j] / c : counted ? c : acc[j];
    }
    tick.n = n;
    return tick;
  };
}

function parseTrigger(ctx: Ctx, field: string, trig: { count?: number | string; percent?: number } | undefined): { count?: number; percent?: number } {
  if (!trig) return { count: 1 };
  if (trig.count !== undefined && trig.percent !== undefined) fail(ctx, `${field}.trigger`, 'set only one of count and percent');
  if (trig.percent !== undefined) {
    if (!(trig.percent > 0 && trig.percent <= 100)) fail(ctx, `${field}.trigger.percent`, `must be in (0, 100], got ${trig.percent}`);
    return { percent: trig.percent };
  }
  const c = trig.count === undefined ? 1 : Number(trig.count);
  if (!Number.isInteger(c) || c < 0) fail(ctx, `${field}.trigger.count`, `must be a non-negative integer, got ${trig.count}`);
  return { count: c === 0 ? 1 : c };
}

function triggerMet(trig: { count?: number; percent?: number }, violating: number, total: number): boolean {
  if (trig.percent !== undefined) return total > 0 && (violating / total) * 100 >= trig.percent;
  return violating >= (trig.count ?? 1);
}

function parseDur(ctx: Ctx, field: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  try {
    return parseProtoDuration(v);
  } catch (e) {
    fail(ctx, field, (e as Error).message);
  }
}

// ---- condition evaluators ------------------------------------------------------------------------------------------

/** One shared empty list for the (usual) evaluation times without violators: a year of 30 s evaluations is a million. */
const NO_VIOLATORS: Ident[] = [];

interface CondOutcome {
  result: ConditionResult;
  /** Per evaluation time: identities of violating series (for AND_WITH_MATCHING_RESOURCE). */
  violators: Ident[][];
}

/** Where a threshold condition's compared values come from: metric pipelines (with a ratio) or an SLO selector. */
interface ValueSource {
  delayMs: number;
  delaySource: string;
  /** Number of output series the source can have (their ids are 0 .. size - 1). */
  size: number;
  identOf(id: number): Ident;
  /** Called once with the data time of every evaluation time (T - delay) before valuesAt (lets a source sweep ahead). */
  prepare(ds: number[]): void;
  /**
   * Compared values by output id at the data time ds[ti] (numbers: a DISTRIBUTION output is refused up front). Called
   * for ti = 0, 1, 2... in order.
   */
  valuesAt(ti: number): Tick;
}

function pipelineSource(ctx: Ctx, th: NonNullable<ApiCondition['conditionThreshold']>, sc: Scenario, allSeries: TimeSeries[]): ValueSource {
  const base = 'conditionThreshold';
  const lookback = sc.stepSeconds * 1000;
  const num = buildPipeline(ctx, th.filter, th.aggregations, allSeries, base, 'filter', 'aggregations', lookback);
  const ratio = th.denominatorFilter !== undefined || th.denominatorAggregations !== undefined;
  const den = ratio
    ? buildPipeline(ctx, th.denominatorFilter, th.denominatorAggregations, allSeries, base, 'denominatorFilter', 'denominatorAggregations', lookback)
    : undefined;
  if (den && den.periodMs !== num.periodMs) {
    fail(ctx, `${base}.denominatorAggregations[0].alignmentPeriod`, 'numerator and denominator must use the same alignment period (gcp-facts §1.4)');
  }
  if (den) {
    // "produce time series that have the same periodicity and labels" (gcp-facts §1.4): differently grouped sides
    // would join on nothing and silently never fire, so the policy is not evaluable (lint: alert/ratio-labels).
    const labelSet = (p: Pipeline): string =>
      p.reducer === 'REDUCE_NONE' ? 'no cross-series reducer' : `groupByFields [${[...new Set(p.groupFields.map(groupFieldName))].sort().join(', ')}]`;
    const nl = labelSet(num);
    const dl = labelSet(den);
    if (nl !== dl) {
      fail(
        ctx,
        `${base}.denominatorAggregations[0]`,
        `numerator and denominator must produce time series with the same labels (gcp-facts §1.4): numerator has ${nl}, denominator has ${dl}`,
      );
    }
  }
  if (num.outType === 'DISTRIBUTION' || den?.outType === 'DISTRIBUTION') {
    fail(
      ctx,
      `${base}.aggregations`,
      'the aggregation leaves a DISTRIBUTION value, which cannot be compared with a threshold; use ALIGN_PERCENTILE_* or REDUCE_PERCENTILE_*',
    );
  }
  const delay = ingestionDelay(num.metricTypes[0], sc.ingestionDelays);
  const delayDen = den ? ingestionDelay(den.metricTypes[0], sc.ingestionDelays) : delay;
  let numAt: ((ti: number) => Tick) | undefined;
  let denAt: ((ti: number) => Tick) | undefined;
  let dataTimes: number[] = [];
  // A ratio joins the two sides on their labels (joinKey), computed once here: each denominator output gets the id of
  // its join key, each numerator output the id of the denominator key it matches (-1: none). At each evaluation time
  // the denominator's values go into their join slots in output order (a later output with the same key wins, as
  // when they were keyed in a map), stamped with the call so that an old value is never read.
  const joinIds = new Map<string, number>();
  const joinIdOf = (key: string): number => {
    let j = joinIds.get(key);
    if (j === undefined) joinIds.set(key, (j = joinIds.size));
    return j;
  };
  const denJoin = den ? den.keyList.map((k) => joinIdOf(joinKey(den.groupIdents.get(k)!))) : [];
  const numJoin = num.keyList.map((k) => joinIds.get(joinKey(num.groupIdents.get(k)!)) ?? -1);
  const joinValue: PointValue[] = newTick(joinIds.size).value;
  const joinStamp = new Float64Array(joinIds.size);
  let call = 0;
  const ratioTick = newTick(num.keyList.length);
  return {
    delayMs: max(delay.seconds, delayDen.seconds) * 1000,
    delaySource: delay.seconds >= delayDen.seconds ? delay.source : delayDen.source,
    size: num.keyList.length,
    identOf: (id) => num.groupIdents.get(num.keyList[id])!,
    prepare(ds) {
      dataTimes = ds;
      numAt = foldPipeline(num, ds);
      denAt = den ? foldPipeline(den, ds) : undefined;
    },
    valuesAt(ti) {
      const numOut = numAt ? numAt(ti) : evaluatePipeline(num, dataTimes[ti]);
      if (!den) return numOut;
      const denOut = denAt ? denAt(ti) : evaluatePipeline(den, dataTimes[ti]);
      call++;
      for (let k = 0; k < denOut.n; k++) {
        const id = denOut.ids[k];
        joinValue[denJoin[id]] = denOut.value[id];
        joinStamp[denJoin[id]] = call;
      }
      let n = 0;
      for (let k = 0; k < numOut.n; k++) {
        const id = numOut.ids[k];
        const j = numJoin[id];
        if (j < 0 || joinStamp[j] !== call) continue; // no denominator: no ratio value
        const dv = joinValue[j] as number;
        if (dv === 0) continue; // a zero denominator: no ratio value
        ratioTick.ids[n++] = id;
        ratioTick.value[id] = (numOut.value[id] as number) / dv;
      }
      ratioTick.n = n;
      return ratioTick;
    },
  };
}

/**
 * `select_slo_burn_rate("SLO", "LOOKBACK")` (slo.ts, with its sources): one output series, the SLO's burn rate over
 * the lookback ending at the data time. "The only field used in a condition for an SLO is the filter field"
 * (create-policy-api): aggregations or a denominator are rejected rather than ignored.
 */
function sloSource(
  ctx: Ctx,
  th: NonNullable<ApiCondition['conditionThreshold']>,
  sc: Scenario,
  allSeries: TimeSeries[],
  slos: SimSlo[],
  shared: SharedWork,
): ValueSource {
  const base = 'conditionThreshold';
  let sel: SloSelector | null;
  try {
    sel = parseSloSelector(th.filter!);
  } catch (e) {
    fail(ctx, `${base}.filter`, (e as Error).message);
  }
  if (!sel) fail(ctx, `${base}.filter`, 'not an SLO selector');
  if (sel.selector !== 'select_slo_burn_rate') fail(ctx, `${base}.filter`, `${sel.selector} is UNSUPPORTED by the simulator (only select_slo_burn_rate)`);
  if (sel.lookbackSeconds === undefined)
    fail(ctx, `${base}.filter`, 'select_slo_burn_rate needs a lookback period argument, e.g. "3600s" (Retrieving SLO data)');
  if (sel.name.includes('${'))
    fail(ctx, `${base}.filter`, `unresolved Terraform interpolation ${JSON.stringify(sel.name)} (no such google_monitoring_slo in the synth)`);
  if ((th.aggregations?.length ?? 0) > 0 || th.denominatorFilter !== undefined || (th.denominatorAggregations?.length ?? 0) > 0) {
    fail(
      ctx,
      `${base}.aggregations`,
      'an SLO selector condition uses only the filter (create-policy-api: "the only field used in a condition for an SLO is the filter field"); aggregations/denominator are UNSUPPORTED here',
    );
  }
  const slo = slos.find((x) => x.name === sel!.name);
  if (!slo)
    fail(
      ctx,
      `${base}.filter`,
      `unknown SLO ${JSON.stringify(sel.name)}: give its definition (synth google_monitoring_slo, the policy file's serviceLevelObjectives, or the scenario's slos)`,
    );
  let src = shared.sli.get(slo);
  if (!src) {
    try {
      src = compileSli(slo, allSeries);
    } catch (e) {
      fail(ctx, `${base}.filter`, `SLO ${JSON.stringify(slo.name)} (${slo.origin}): ${(e as Error).message}`);
    }
    shared.sli.set(slo, src);
  }
  const sli = src;
  const delays = src.metricTypes.map((m) => ingestionDelay(m, sc.ingestionDelays));
  const worst = delays.reduce((a, b) => (b.seconds > a.seconds ? b : a), { prefix: '', seconds: 0, source: 'no SLI series' });
  const L = sel.lookbackSeconds * 1000;
  const ident: Ident = { metricLabels: { slo: slo.name, lookback: `${sel.lookbackSeconds}s` }, resourceType: 'slo', resourceLabels: {} };
  const tick = newTick(1); // one output series, id 0
  let dataTimes: number[] = [];
  return {
    delayMs: worst.seconds * 1000,
    delaySource: `SLI data: ${worst.source}`,
    size: 1,
    identOf: () => ident,
    prepare(ds) {
      dataTimes = ds;
    },
    valuesAt(ti) {
      const v = sli.burnRate(dataTimes[ti], L);
      tick.n = v === undefined ? 0 : 1;
      tick.value[0] = v ?? 0;
      return tick;
    },
  };
}

/** A threshold condition's output series while it is swept. */
interface SweptState {
  /** The source's output id; -1 for the "(no data)" series of EVALUATION_MISSING_DATA_ACTIVE. */
  id: number;
  ident: Ident;
  trueSince: number | null;
  violating: boolean;
  values: (number | null)[];
}

/**
 * Every evaluation time of a condition, in order: a function of its own, small, that V8 optimizes at once (the call to
 * the source takes a different function for each kind of source).
 */
function sweepAll(sweep: ThresholdSweep, source: ValueSource, nT: number): void {
  for (let ti = 0; ti < nT; ti++) sweep.step(source.valuesAt(ti), ti);
}

/**
 * The per-series duration windows and the trigger of a threshold condition, one evaluation time after the other (the
 * rules are in the file header): the series in the order first met, whether the condition was met, and the violating
 * series at each evaluation time. A class of its own so that `step` stays optimized: inside one function with the
 * call to the condition's source (a different function for each kind of source), V8 deoptimized the whole sweep
 * dozens of times per simulation and ran it unoptimized in between.
 */
class ThresholdSweep {
  /** The series in the order first met (the output order), and by output id. */
  readonly list: SweptState[] = [];
  private readonly stateOf: (SweptState | undefined)[] = [];
  private noData: SweptState | undefined;
  /** seen[id] === ti + 1: the output has a value at evaluation time ti. */
  private readonly seen: Int32Array;
  // Every per-evaluation-time array is allocated at its final length and filled in order (no regrowth).
  readonly met: boolean[];
  readonly violators: Ident[][];
  private readonly missingActive: boolean;
  private readonly missingInactive: boolean;

  private readonly nT: number;

  constructor(
    private readonly source: ValueSource,
    private readonly evalTimes: number[],
    private readonly o: { gt: boolean; threshold: number; durMs: number; trig: { count?: number; percent?: number }; missing: string },
  ) {
    const nT = (this.nT = evalTimes.length);
    this.seen = new Int32Array(source.size);
    this.met = new Array<boolean>(nT);
    this.violators = new Array<Ident[]>(nT);
    this.missingActive = o.missing === 'EVALUATION_MISSING_DATA_ACTIVE';
    this.missingInactive = o.missing === 'EVALUATION_MISSING_DATA_INACTIVE';
  }

  private add(id: number, ident: Ident, ti: number): SweptState {
    const values = new Array<number | null>(this.nT);
    for (let i = 0; i < ti; i++) values[i] = null; // no value before the series was first met
    const st: SweptState = { id, ident, trueSince: null, violating: false, values };
    this.list.push(st);
    return st;
  }

  /** Evaluation time ti, with the source's values at its data time. */
  step(tick: Tick, ti: number): void {
    const T = this.evalTimes[ti];
    const { n, ids, value } = tick;
    const { list, seen, stateOf, missingActive, missingInactive } = this;
    const { gt, threshold, durMs } = this.o;
    for (let k = 0; k < n; k++) {
      const id = ids[k];
      seen[id] = ti + 1;
      stateOf[id] ??= this.add(id, this.source.identOf(id), ti);
    }
    if (missingActive && list.length === 0) this.noData = this.add(-1, { metricLabels: {}, resourceType: '', resourceLabels: {} }, ti);
    if (this.noData && list.length > 1 && n > 0) {
      list.splice(list.indexOf(this.noData), 1);
      this.noData = undefined;
    }
    let nViol = 0;
    let total = 0;
    let viol: Ident[] | undefined;
    for (let si = 0; si < list.length; si++) {
      const st = list[si];
      let c: boolean | undefined;
      // The value is read in its own branch, never merged with `undefined`: a series' values array that holds only
      // numbers then stores them unboxed.
      if (st.id >= 0 && seen[st.id] === ti + 1) {
        const v = value[st.id] as number;
        st.values[ti] = v;
        c = gt ? v > threshold : v < threshold;
      } else {
        st.values[ti] = null;
        if (missingInactive) c = false;
        else if (missingActive) c = true;
      }
      total++;
      if (c !== undefined) {
        if (c) {
          if (st.trueSince === null) st.trueSince = T;
        } else st.trueSince = null;
        st.violating = st.trueSince !== null && T - st.trueSince >= durMs;
      } // else NO_OP: not evaluated; the series keeps its previous state (violating or not).
      if (st.violating) {
        nViol++;
        (viol ??= []).push(st.ident);
      }
    }
    this.met[ti] = triggerMet(this.o.trig, nViol, total);
    this.violators[ti] = viol ?? NO_VIOLATORS;
  }
}

function evaluateThreshold(
  ctx: Ctx,
  cond: ApiCondition,
  sc: Scenario,
  allSeries: TimeSeries[],
  evalTimes: number[],
  slos: SimSlo[],
  shared: SharedWork,
): CondOutcome {
  const th = cond.conditionThreshold!;
  const base = 'conditionThreshold';
  if (th.forecastOptions !== undefined) fail(ctx, `${base}.forecastOptions`, 'forecast conditions are UNSUPPORTED by the simulator');
  const comparison = th.comparison ?? 'COMPARISON_UNSPECIFIED';
  if (comparison !== 'COMPARISON_GT' && comparison !== 'COMPARISON_LT') {
    fail(ctx, `${base}.comparison`, `${comparison} is rejected by the API: "Only COMPARISON_LT and COMPARISON_GT are supported currently" (gcp-facts §1.4)`);
  }
  const threshold = th.thresholdValue ?? 0;
  const durMs = parseDur(ctx, `${base}.duration`, th.duration, 0) * 1000;
  const trig = parseTrigger(ctx, base, th.trigger);
  const missing = th.evaluationMissingData ?? 'EVALUATION_MISSING_DATA_UNSPECIFIED';
  if (
    !['EVALUATION_MISSING_DATA_UNSPECIFIED', 'EVALUATION_MISSING_DATA_INACTIVE', 'EVALUATION_MISSING_DATA_ACTIVE', 'EVALUATION_MISSING_DATA_NO_OP'].includes(
      missing,
    )
  ) {
    fail(ctx, `${base}.evaluationMissingData`, `unknown value ${missing}`);
  }
  const source =
    th.filter !== undefined && isSloSelectorFilter(th.filter) ? sloSource(ctx, th, sc, allSeries, slos, shared) : pipelineSource(ctx, th, sc, allSeries);
  const delayMs = source.delayMs;

  source.prepare(shared.dataTimes(evalTimes, delayMs));
  const sweep = new ThresholdSweep(source, evalTimes, { gt: comparison === 'COMPARISON_GT', threshold, durMs, trig, missing });
  sweepAll(sweep, source, evalTimes.length);
  const { list, met, violators } = sweep;
  const series: OutputSeries[] = list.map((s) => ({ ...s.ident, values: s.values }));
  return {
    result: {
      displayName: ctx.condition,
      type: 'threshold',
      comparison,
      threshold,
      durationSeconds: durMs / 1000,
      ingestionDelaySeconds: delayMs / 1000,
      ingestionDelaySource: source.delaySource,
      series,
      met,
    },
    violators,
  };
}

function evaluateAbsence(ctx: Ctx, cond: ApiCondition, sc: Scenario, allSeries: TimeSeries[], evalTimes: number[]): CondOutcome {
  const ab = cond.conditionAbsent!;
  const base = 'conditionAbsent';
  const durS = parseDur(ctx, `${base}.duration`, ab.duration, NaN);
  if (!Number.isFinite(durS)) fail(ctx, `${base}.duration`, 'required');
  const trig = parseTrigger(ctx, base, ab.trigger);
  const p = buildPipeline(ctx, ab.filter, ab.aggregations, allSeries, base, 'filter', 'aggregations', sc.stepSeconds * 1000);
  const delay = ingestionDelay(p.metricTypes[0], sc.ingestionDelays);
  const delayMs = delay.seconds * 1000;
  const extraMs = p.aligner === 'ALIGN_NONE' ? 0 : p.periodMs;
  const durMs = durS * 1000;
  // Per group (p.keyList order, the order of groupIdents): its values, and at each evaluation time the time of its
  // latest point so far (arrays indexed by group instead of a map per evaluation time).
  const keys = p.keyList;
  const nT = evalTimes.length;
  const values = keys.map(() => new Array<number | null>(nT));
  const last = new Float64Array(keys.length);
  const seen = new Uint8Array(keys.length);
  const met = new Array<boolean>(nT);
  const violators = new Array<Ident[]>(nT);
  for (let ti = 0; ti < nT; ti++) {
    const d = evalTimes[ti] - delayMs;
    seen.fill(0);
    let nSeen = 0;
    for (let i = 0; i < p.series.length; i++) {
      const idx = p.cursors[i].lastIndexAt(d);
      if (idx < 0) continue;
      const g = p.groupOf[i];
      const t = p.series[i].times[idx];
      if (seen[g]) last[g] = max(last[g], t);
      else {
        seen[g] = 1;
        nSeen++;
        last[g] = t;
      }
    }
    let nViol = 0;
    let viol: Ident[] | undefined;
    for (let g = 0; g < keys.length; g++) {
      if (!seen[g]) {
        values[g][ti] = null; // never seen yet: not counted
        continue;
      }
      const absentMs = d - last[g] - extraMs;
      values[g][ti] = max(0, absentMs) / 1000;
      if (absentMs >= durMs) {
        nViol++;
        (viol ??= []).push(p.groupIdents.get(keys[g])!);
      }
    }
    met[ti] = triggerMet(trig, nViol, nSeen);
    violators[ti] = viol ?? NO_VIOLATORS;
  }
  return {
    result: {
      displayName: ctx.condition,
      type: 'absence',
      comparison: 'ABSENT_FOR',
      threshold: durS,
      durationSeconds: durS,
      ingestionDelaySeconds: delay.seconds,
      ingestionDelaySource: delay.source,
      series: keys.map((k, g) => ({ ...p.groupIdents.get(k)!, values: values[g] })),
      met,
    },
    violators,
  };
}

// ---- policy --------------------------------------------------------------------------------------------------------

/**
 * Work that the policies of one simulation share: an SLO's compiled SLI (its series merged into one timeline) is the
 * same for the fast and slow burn conditions of every policy on it. Valid for one `allSeries` array, unchanged.
 */
export interface SharedWork {
  sli: Map<SimSlo, BurnRateSource>;
  /** The data times T - delay of the evaluation times, by delay (many conditions share one). */
  dataTimes(evalTimes: number[], delayMs: number): number[];
}

export function sharedWork(): SharedWork {
  const byDelay = new Map<number, { of: number[]; ds: number[] }>();
  return {
    sli: new Map(),
    dataTimes(evalTimes, delayMs) {
      let e = byDelay.get(delayMs);
      if (e?.of !== evalTimes) byDelay.set(delayMs, (e = { of: evalTimes, ds: evalTimes.map((T) => T - delayMs) }));
      return e.ds;
    },
  };
}

export function evaluationTimes(sc: Scenario): number[] {
  const out: number[] = [];
  const step = sc.evaluationIntervalSeconds * 1000;
  for (let t = sc.evaluateFrom ?? sc.start; t <= sc.end; t += step) out.push(t);
  return out;
}

function condName(c: ApiCondition, i: number): string {
  return c.displayName || c.name || `conditions[${i}]`;
}

const lintCache = new WeakMap<object, Map<KnownMetrics | undefined, string | null>>();

/** The lint's default metrics plus `knownMetrics`, merged once per object (every policy of a set is linted with it). */
const mergedKnown = new WeakMap<KnownMetrics, KnownMetrics>();
function withDefaults(knownMetrics: KnownMetrics): KnownMetrics {
  let merged = mergedKnown.get(knownMetrics);
  if (!merged) mergedKnown.set(knownMetrics, (merged = { ...DEFAULT_KNOWN_METRICS, ...knownMetrics }));
  return merged;
}

/**
 * The lint's error-level findings for the API-format policy, as one reason (null when clean). `knownMetrics` adds to
 * the lint's defaults (a synth's log-based metrics and descriptors). Cached per policy object.
 */
export function apiRejection(policy: object, knownMetrics?: KnownMetrics): string | null {
  let byKnown = lintCache.get(policy);
  if (!byKnown) {
    byKnown = new Map();
    lintCache.set(policy, byKnown);
  }
  if (byKnown.has(knownMetrics)) return byKnown.get(knownMetrics)!;
  const known = knownMetrics ? withDefaults(knownMetrics) : DEFAULT_KNOWN_METRICS;
  const errors = lintApiResource('AlertPolicy', policy, { schema: false, knownMetrics: known }).filter((f) => f.severity === 'error');
  const reason = errors.length ? errors.map((f) => `the API would reject this policy: ${f.rule} at ${f.path}: ${f.message}`).join('; ') : null;
  byKnown.set(knownMetrics, reason);
  return reason;
}

export function evaluatePolicy(
  lp: LoadedPolicy,
  sc: Scenario,
  allSeries: TimeSeries[],
  evalTimes: number[],
  slos: SimSlo[] = [],
  knownMetrics?: KnownMetrics,
  shared: SharedWork = sharedWork(),
): PolicyResult {
  const pol = lp.policy;
  const res: PolicyResult = {
    displayName: lp.displayName,
    origin: lp.origin,
    disabled: pol.enabled === false,
    fired: null,
    firstFiredAt: null,
    detectionSeconds: null,
    windows: [],
    conditions: [],
    notificationChannels: lp.notificationChannels,
    notes: [...lp.notes],
  };
  try {
    const rejection = apiRejection(pol, knownMetrics);
    if (rejection) throw new EvaluationError(lp.displayName, '', '', rejection);
    const conds = pol.conditions ?? [];
    if (conds.length === 0) throw new EvaluationError(lp.displayName, '', 'conditions', 'a policy needs 1 to 6 conditions (gcp-facts §1.3)');
    const hasLog = conds.some((c) => c.conditionMatchedLog !== undefined);
    if (hasLog && conds.length > 1) {
      throw new EvaluationError(
        lp.displayName,
        '',
        'conditions',
        'a log-match condition must be the only condition: "Alert policies with a log matching condition can only have a single condition" (gcp-facts §1.7)',
      );
    }
    if (hasLog) return evaluateLogPolicy(lp, sc, res);

    const outcomes: CondOutcome[] = conds.map((c, i) => {
      const ctx: Ctx = { policy: lp.displayName, condition: condName(c, i) };
      const set = CONDITION_TYPES.filter((k) => (c as Record<string, unknown>)[k] !== undefined);
      if (set.length !== 1) fail(ctx, `conditions[${i}]`, `exactly one condition type must be set (found ${set.join(', ') || 'none'})`);
      if (c.conditionThreshold) return evaluateThreshold(ctx, c, sc, allSeries, evalTimes, slos, shared);
      if (c.conditionAbsent) return evaluateAbsence(ctx, c, sc, allSeries, evalTimes);
      fail(
        ctx,
        `conditions[${i}].${set[0]}`,
        `${set[0]} is UNSUPPORTED by the simulator (only conditionThreshold, conditionAbsent and conditionMatchedLog are evaluated)`,
      );
    });
    res.conditions = outcomes.map((o) => o.result);
    const combiner = pol.combiner ?? (conds.length === 1 ? 'OR' : 'COMBINE_UNSPECIFIED');
    if (!['OR', 'AND', 'AND_WITH_MATCHING_RESOURCE'].includes(combiner)) {
      throw new EvaluationError(lp.displayName, '', 'combiner', `unsupported combiner ${combiner} (OR, AND, AND_WITH_MATCHING_RESOURCE)`);
    }
    const policyMet = new Array<boolean>(evalTimes.length);
    for (let ti = 0; ti < evalTimes.length; ti++) policyMet[ti] = combinedMet(combiner, outcomes, ti);
    finishWindows(res, policyMet, evalTimes, sc);
  } catch (e) {
    if (!(e instanceof EvaluationError)) throw e;
    res.error = e.message;
    res.fired = null;
  }
  return res;
}

/** Whether the policy's conditions, combined, hold at evaluation time ti (plain loops: this runs per evaluation time). */
function combinedMet(combiner: string, outcomes: CondOutcome[], ti: number): boolean {
  if (combiner === 'OR') {
    for (let i = 0; i < outcomes.length; i++) if (outcomes[i].result.met[ti]) return true;
    return false;
  }
  for (let i = 0; i < outcomes.length; i++) if (!outcomes[i].result.met[ti]) return false;
  if (combiner === 'AND') return true;
  // AND_WITH_MATCHING_RESOURCE: one resource violating in every condition.
  return outcomes[0].violators[ti].some((r) => outcomes.slice(1).every((o) => o.violators[ti].some((r2) => resourcesMatch(r, r2))));
}

function finishWindows(res: PolicyResult, policyMet: boolean[], evalTimes: number[], sc: Scenario): void {
  let open: { start: number; end: number | null } | null = null;
  for (let ti = 0; ti < evalTimes.length; ti++) {
    if (policyMet[ti] && !open) {
      open = { start: evalTimes[ti], end: null };
      res.windows.push(open);
    } else if (!policyMet[ti] && open) {
      open.end = evalTimes[ti];
      open = null;
    }
  }
  res.fired = res.windows.length > 0;
  res.firstFiredAt = res.windows[0]?.start ?? null;
  res.detectionSeconds = res.firstFiredAt !== null && sc.incidentStart !== undefined ? (res.firstFiredAt - sc.incidentStart) / 1000 : null;
}

function evaluateLogPolicy(lp: LoadedPolicy, sc: Scenario, res: PolicyResult): PolicyResult {
  const c = lp.policy.conditions![0];
  const ctx: Ctx = { policy: lp.displayName, condition: condName(c, 0) };
  const lm = c.conditionMatchedLog!;
  if (typeof lm.filter !== 'string') fail(ctx, 'conditionMatchedLog.filter', 'required');
  if (lm.filter.includes('${')) fail(ctx, 'conditionMatchedLog.filter', 'unresolved Terraform interpolation');
  let filter: ReturnType<typeof parseFilter>;
  try {
    filter = parseFilter(lm.filter, { name: 'conditionMatchedLog.filter' });
  } catch (e) {
    fail(ctx, 'conditionMatchedLog.filter', (e as Error).message);
  }
  const rl = lp.policy.alertStrategy?.notificationRateLimit?.period;
  let periodMs = 0;
  if (rl === undefined)
    res.notes.push('alertStrategy.notificationRateLimit is required for log-match policies (gcp-facts §1.7); simulated without a rate limit');
  else periodMs = parseDur(ctx, 'alertStrategy.notificationRateLimit.period', rl, 0) * 1000;
  const hits: number[] = [];
  let sent = 0;
  let suppressed = 0;
  let lastSent = -Infinity;
  for (const { t, entry } of sc.logs) {
    if (t < sc.start || t > sc.end) continue;
    if (!matches(filter, entry as Parameters<typeof matches>[1])) continue;
    hits.push(t);
    if (t - lastSent >= periodMs) {
      sent++;
      lastSent = t;
    } else suppressed++;
  }
  res.conditions = [
    {
      displayName: ctx.condition,
      type: 'log',
      durationSeconds: 0,
      ingestionDelaySeconds: 0,
      ingestionDelaySource: 'log-based alerting: no delay modelled (UNCONFIRMED)',
      series: [],
      met: [],
      logMatches: hits,
    },
  ];
  res.notifications = { sent, suppressed };
  res.fired = hits.length > 0;
  res.firstFiredAt = hits[0] ?? null;
  res.windows = hits.length ? [{ start: hits[0], end: hits[hits.length - 1] }] : [];
  res.detectionSeconds = res.firstFiredAt !== null && sc.incidentStart !== undefined ? (res.firstFiredAt - sc.incidentStart) / 1000 : null;
  return res;
}

// ---- expectations --------------------------------------------------------------------------------------------------

export function checkExpectations(sc: Scenario, policies: PolicyResult[]): string[] {
  const failures: string[] = [];
  const find = (needle: string) => policies.filter((p) => p.displayName.includes(needle));
  const each = (needle: string, what: string, f: (p: PolicyResult) => string | undefined) => {
    const ps = find(needle);
    if (ps.length === 0) {
      failures.push(`${what} "${needle}": no policy display name contains it`);
      return;
    }
    for (const p of ps) {
      if (p.error) {
        failures.push(`${what} "${needle}": "${p.displayName}" could not be evaluated: ${p.error}`);
        continue;
      }
      const m = f(p);
      if (m) failures.push(`${what} "${needle}": "${p.displayName}" ${m}`);
    }
  };
  for (const n of sc.expect.fire) each(n, 'expected to fire', (p) => (p.fired ? undefined : 'did not fire'));
  for (const n of sc.expect.notFire) each(n, 'expected not to fire', (p) => (p.fired ? `fired at ${new Date(p.firstFiredAt!).toISOString()}` : undefined));
  for (const [n, max] of Object.entries(sc.expect.maxDetectionSeconds)) {
    each(n, `expected detection within ${max}s`, (p) => {
      if (!p.fired) return 'did not fire';
      if (p.detectionSeconds === null) return 'fired, but the scenario has no incidentStart';
      if (p.detectionSeconds < 0) return `fired ${-p.detectionSeconds}s before the incident started`;
      return p.detectionSeconds > max ? `took ${p.detectionSeconds}s` : undefined;
    });
  }
  return failures;
}
