/**
 * What the Google client libraries return → what the simulator reads.
 *
 * The gapic clients (gRPC and the REST fallback alike) hand back protobuf.js objects made with
 * `toObject({longs: String, enums: String, defaults: true, oneofs: true})` (google-gax `defaultToObjectOptions`):
 * int64 as strings, Timestamp/Duration as `{seconds, nanos}`, every unset field present with its default (null, '',
 * 0, []), oneof discriminators as extra string fields (`condition: 'conditionThreshold'`), google.protobuf.Struct as
 * `{fields: {k: {stringValue: …, kind: 'stringValue'}}}` and BoolValue wrappers as `{value: true}`. The functions
 * here turn them into the API's JSON form (what the REST API and `gcloud … --format=json` show), which is what the
 * simulator and the Logging-query evaluator take. ISO strings and plain JSON are accepted too, so a cache or a
 * recorded REST page passes through unchanged.
 */
import { bucketCount } from '../../gcp/simulate/distribution';
import { isOneOf, METRIC_KINDS } from '../../gcp/facts/metrics';
import { SIMULATED_VALUE_TYPES, type BucketOptions, type Distribution, type PointValue, type TimeSeries, type ValueType } from '../../gcp/simulate/types';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Time conversions are memoized: a week of points repeats the same minutes in every series (and a DELTA point's start
 * is the previous point's end), and `Date#toISOString` and `Date.parse` dominate the conversion of a page otherwise.
 * Bounded: a memo is cleared when it passes 100,000 entries.
 */
function memo<K, V>(f: (k: K) => V): (k: K) => V {
  const cache = new Map<K, V>();
  return (k) => {
    let v = cache.get(k);
    if (v === undefined) {
      v = f(k);
      if (cache.size >= 100_000) cache.clear();
      cache.set(k, v);
    }
    return v;
  };
}
const parseTime = memo((s: string) => Date.parse(s));
/** Epoch ms → `Date#toISOString` (which throws RangeError for an invalid time: nothing is stored then). */
const isoMs = memo((ms: number) => new Date(ms).toISOString());
/** Whole seconds (an int64 as a decimal string) → `YYYY-MM-DDTHH:MM:SS`. */
const isoSeconds = memo((seconds: string) => new Date(Number(seconds) * 1000).toISOString().slice(0, 19));

/** `{seconds, nanos}`, an RFC 3339 string or a Date → epoch ms (NaN when it is none of them). */
export function timeMs(ts: unknown): number {
  if (typeof ts === 'string') return parseTime(ts);
  if (ts instanceof Date) return ts.getTime();
  if (isObj(ts) && ts.seconds !== undefined) return Number(ts.seconds) * 1000 + Math.floor(Number(ts.nanos ?? 0) / 1e6);
  return NaN;
}

function isSecondsNanos(v: Obj): boolean {
  if (!('seconds' in v)) return false; // the common case, without listing the keys
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => k === 'seconds' || k === 'nanos');
}

function isoFrom(v: Obj): string {
  const sec = v.seconds;
  // A decimal int64 string (what the clients give, `longs: String`) or a safe integer: Number is exact there, as the
  // BigInt route is; anything else takes that route (and throws where it throws).
  const base =
    typeof sec === 'string' && /^-?\d{1,15}$/.test(sec)
      ? isoSeconds(sec)
      : typeof sec === 'number' && Number.isSafeInteger(sec)
        ? isoSeconds(String(sec))
        : new Date(Number(BigInt(String(sec ?? 0))) * 1000).toISOString().slice(0, 19);
  const nanos = Number(v.nanos ?? 0);
  return nanos ? `${base}.${String(nanos).padStart(9, '0').replace(/0+$/, '')}Z` : `${base}Z`;
}

/** proto3 JSON for a Duration: "300s", "0.350s" (0, 3, 6 or 9 fractional digits). */
function durationFrom(v: Obj): string {
  const s = String(v.seconds ?? 0);
  const nanos = Number(v.nanos ?? 0);
  if (!nanos) return `${s}s`;
  const frac = String(nanos).padStart(9, '0');
  const digits = frac.endsWith('000000') ? 3 : frac.endsWith('000') ? 6 : 9;
  return `${s}.${frac.slice(0, digits)}s`;
}

const TIMESTAMP_KEYS = /^(timestamp|receiveTimestamp|startTime|endTime|createTime|updateTime|mutateTime)$/;

function structValue(v: unknown): unknown {
  if (!isObj(v)) return v;
  if ('nullValue' in v && v.kind === 'nullValue') return null;
  for (const k of ['stringValue', 'numberValue', 'boolValue']) if (v.kind === k || (v.kind === undefined && v[k] !== undefined && v[k] !== null)) return v[k];
  if (v.kind === 'structValue' || (v.kind === undefined && isObj(v.structValue))) return structToJson(v.structValue);
  if (v.kind === 'listValue' || (v.kind === undefined && isObj(v.listValue))) return (((v.listValue as Obj).values as unknown[]) ?? []).map(structValue);
  return null;
}

function structToJson(s: unknown): unknown {
  if (!isObj(s)) return s;
  if (!isObj(s.fields)) return s; // already plain JSON
  return Object.fromEntries(Object.entries(s.fields).map(([k, v]) => [k, structValue(v)]));
}

/**
 * Client-library object → API JSON: drops nulls, defaults ('', 0, false, [], {}, `*_UNSPECIFIED`) and oneof
 * discriminators; Timestamps (by field name) to RFC 3339, other `{seconds, nanos}` to Durations; Struct payloads to
 * plain JSON; the `enabled` BoolValue wrapper to a boolean.
 */
export function protoToJson(value: unknown, key = ''): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const out = value.map((v) => (typeof v === 'number' ? v : protoToJson(v))).filter((v) => v !== undefined);
    return out.length ? out : undefined;
  }
  if (typeof value === 'string') return value === '' || /_UNSPECIFIED$/.test(value) ? undefined : value;
  if (typeof value === 'number') return value === 0 ? undefined : value;
  if (typeof value === 'boolean') return value || undefined;
  if (!isObj(value)) return value;
  if (key === 'jsonPayload') return structToJson(value);
  if (isSecondsNanos(value)) return TIMESTAMP_KEYS.test(key) ? isoFrom(value) : durationFrom(value);
  if (key === 'enabled' && Object.keys(value).length === 1 && 'value' in value) return Boolean(value.value);
  const out: Obj = {};
  for (const [k, v] of Object.entries(value)) {
    // oneof discriminator: a string naming a sibling field that is set (`condition: 'conditionThreshold'`).
    if (typeof v === 'string' && v !== k && v in value && value[v] !== null && value[v] !== undefined && /^[a-z][A-Za-z]*$/.test(v)) continue;
    if (k === 'labels' || k === 'userLabels' || k === 'labelExtractors') {
      if (isObj(v) && Object.keys(v).length) out[k] = { ...v };
      continue;
    }
    const c = protoToJson(v, k);
    if (c !== undefined) out[k] = c;
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * A point's TimeInterval → API JSON: `protoToJson(interval, 'interval')`, with a fast path for the usual
 * `{endTime, startTime}` pair of Timestamps (the conversion runs once per point of every page).
 */
export function intervalToJson(interval: unknown): unknown {
  if (!isObj(interval)) return protoToJson(interval, 'interval');
  const out: Obj = {};
  let n = 0;
  for (const k in interval) {
    if (!Object.prototype.hasOwnProperty.call(interval, k)) continue;
    const v = interval[k];
    if ((k !== 'startTime' && k !== 'endTime') || !isObj(v) || !isSecondsNanos(v)) return protoToJson(interval, 'interval');
    out[k] = isoFrom(v);
    n++;
  }
  return n ? out : protoToJson(interval, 'interval');
}

/** A LogEntry from the client (or the REST API) → API JSON for the Logging-query evaluator. */
export function logEntryToJson(entry: unknown): Obj {
  const out = (protoToJson(entry) ?? {}) as Obj;
  // Empty payload text and 0 status are meaningful to nobody; but keep the (required) timestamp.
  return out;
}

function bucketOptionsFromApi(v: unknown): BucketOptions {
  const o = (isObj(v) ? v : {}) as Obj;
  const num = (x: unknown) => Number(x ?? 0);
  if (isObj(o.explicitBuckets)) return { explicitBuckets: { bounds: ((o.explicitBuckets.bounds as unknown[]) ?? []).map(num) } };
  if (isObj(o.linearBuckets)) {
    const l = o.linearBuckets;
    return { linearBuckets: { numFiniteBuckets: num(l.numFiniteBuckets), width: num(l.width), offset: num(l.offset) } };
  }
  if (isObj(o.exponentialBuckets)) {
    const e = o.exponentialBuckets;
    return { exponentialBuckets: { numFiniteBuckets: num(e.numFiniteBuckets), growthFactor: num(e.growthFactor), scale: num(e.scale) } };
  }
  throw new Error('distribution point without bucketOptions');
}

/** Equal JSON values (objects compared key by key, in any order). */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], bb[i])) return false;
    return true;
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!Object.prototype.hasOwnProperty.call(b, k) || !jsonEqual((a as Obj)[k], (b as Obj)[k])) return false;
  return true;
}

/**
 * Raw point value → simulator value. `shared` keeps the bucket options of the series' previous distribution point:
 * a point with the same options (all of them, in practice) gets the same object, converted once, and the simulator's
 * merges see identical options by reference.
 */
function pointValue(v: Obj, valueType: ValueType, shared?: { raw?: unknown; options?: BucketOptions }): PointValue {
  if (valueType === 'DISTRIBUTION') {
    const d = v.distributionValue as Obj;
    let bo: BucketOptions;
    if (shared?.options && jsonEqual(shared.raw, d.bucketOptions)) bo = shared.options;
    else {
      bo = bucketOptionsFromApi(d.bucketOptions);
      if (shared) Object.assign(shared, { raw: d.bucketOptions, options: bo });
    }
    const n = bucketCount(bo);
    // "bucket_counts … may be shorter than the number of buckets; the missing trailing buckets are zero" (distribution.proto).
    const counts = ((d.bucketCounts as unknown[]) ?? []).map(Number);
    while (counts.length < n) counts.push(0);
    return { count: Number(d.count ?? 0), mean: Number(d.mean ?? 0), bucketOptions: bo, bucketCounts: counts } as Distribution;
  }
  if (valueType === 'BOOL') return v.boolValue ? 1 : 0;
  if (valueType === 'INT64') return Number(v.int64Value ?? 0);
  return Number(v.doubleValue ?? 0);
}

/**
 * Simulator series → REST JSON TimeSeries, the inverse of timeSeriesFromApi: points newest first as the API returns
 * them, DELTA points with a `stepMs` interval, no zero-count DELTA points (Cloud Run writes none), distributions
 * without their trailing empty buckets (the API omits them: "fewer than N values … the remaining values are assumed
 * to be 0", distribution.proto). Recorded history for the bench and the loopback API server is written with it.
 */
export function timeSeriesToApi(s: TimeSeries, stepMs = 60_000): Obj {
  const points: Obj[] = [];
  for (let i = s.times.length - 1; i >= 0; i--) {
    const t = s.times[i];
    const v = s.values[i];
    if (s.metricKind === 'DELTA' && (typeof v === 'number' ? v === 0 : (v as Distribution).count === 0)) continue;
    const endTime = isoMs(t);
    const startTime = s.metricKind === 'GAUGE' ? endTime : isoMs(t - stepMs);
    let value: Obj;
    if (s.valueType === 'DISTRIBUTION') {
      const d = v as Distribution;
      // Trailing empty buckets are left out, as the API leaves them out (timeSeriesFromApi pads them back).
      let n = d.bucketCounts.length;
      while (n > 0 && d.bucketCounts[n - 1] === 0) n--;
      value = {
        distributionValue: { count: String(d.count), mean: d.mean, bucketOptions: d.bucketOptions, bucketCounts: d.bucketCounts.slice(0, n).map(String) },
      };
    } else if (s.valueType === 'BOOL') value = { boolValue: v === 1 };
    else if (s.valueType === 'INT64') value = { int64Value: String(v) };
    else value = { doubleValue: v };
    points.push({ interval: { startTime, endTime }, value });
  }
  return { metric: s.metric, resource: s.resource, metricKind: s.metricKind, valueType: s.valueType, points };
}

/**
 * google.monitoring.v3.TimeSeries (client object or REST JSON) → simulator series. The API returns points newest
 * first; the simulator wants them ascending by end time. Points whose value is missing are skipped, never zeroed.
 */
export function timeSeriesFromApi(ts: unknown, origin: string): TimeSeries {
  if (!isObj(ts)) throw new Error(`${origin}: a TimeSeries must be an object`);
  const metric = (ts.metric ?? {}) as Obj;
  const resource = (ts.resource ?? {}) as Obj;
  const { metricKind, valueType } = ts;
  if (!isOneOf(METRIC_KINDS, metricKind)) throw new Error(`${origin}: unsupported metricKind ${String(metricKind)}`);
  if (!isOneOf(SIMULATED_VALUE_TYPES, valueType)) throw new Error(`${origin}: unsupported valueType ${String(valueType)}`);
  const pts: { t: number; v: Obj }[] = [];
  for (const p of (ts.points as unknown[]) ?? []) {
    if (!isObj(p)) continue;
    const t = timeMs((p.interval as Obj | undefined)?.endTime);
    if (Number.isFinite(t) && isObj(p.value)) pts.push({ t, v: p.value });
  }
  // Newest first from the API: reversed, that is already the order (a stable sort then keeps it).
  let descending = true;
  for (let i = 1; i < pts.length && descending; i++) descending = pts[i - 1].t > pts[i].t;
  if (descending) pts.reverse();
  else pts.sort((a, b) => a.t - b.t);
  const times: number[] = [];
  const values: PointValue[] = [];
  const shared = {};
  for (const p of pts) {
    if (times.length && times[times.length - 1] === p.t) continue;
    times.push(p.t);
    values.push(pointValue(p.v, valueType, shared));
  }
  return {
    metric: { type: String(metric.type), labels: { ...((metric.labels as Record<string, string>) ?? {}) } },
    resource: { type: String(resource.type), labels: { ...((resource.labels as Record<string, string>) ?? {}) } },
    metricKind,
    valueType,
    times,
    values,
    origin,
  };
}

/** Merge series with the same identity (the same series fetched by two filters): union of their points. */
export function mergeSeries(all: TimeSeries[]): TimeSeries[] {
  const byKey = new Map<string, TimeSeries>();
  const sorted = (o: Record<string, string>) => Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const s of all) {
    const k = JSON.stringify([s.metric.type, sorted(s.metric.labels), s.resource.type, sorted(s.resource.labels)]);
    const prev = byKey.get(k);
    if (!prev) {
      byKey.set(k, { ...s, times: [...s.times], values: [...s.values] });
      continue;
    }
    const m = new Map<number, PointValue>();
    prev.times.forEach((t, i) => m.set(t, prev.values[i]));
    s.times.forEach((t, i) => m.set(t, s.values[i]));
    const times = [...m.keys()].sort((a, b) => a - b);
    prev.times = times;
    prev.values = times.map((t) => m.get(t)!);
  }
  return [...byKey.values()];
}
