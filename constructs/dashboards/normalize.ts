/**
 * `dashboard_json` without perpetual diffs (gcp-facts §5.6). The provider suppresses a diff only when the API's
 * copy, minus the keys the config lacks, deep-equals the config. Keys the config has but the API drops or
 * rewrites therefore diff forever: zero numbers (`"xPos": 0`), `false`, `""`, `[]`, and non-canonical durations.
 *
 * normalizeDashboardJson: drops those values, writes durations as `"<n>s"`, sorts object keys (the order Go's
 * JSON encoder gives the state) and keeps array order. It is idempotent.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Fields of type google.protobuf.Duration in the dashboard protos this project may write. */
export const DURATION_FIELDS: ReadonlySet<string> = new Set(['alignmentPeriod', 'minAlignmentPeriod', 'timeshiftDuration', 'refreshInterval']);

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** "60s", "1m", "1h", "60.000s", 60 → "60s". Throws on anything else. */
export function canonicalDuration(value: unknown, where = 'duration'): string {
  let seconds: number | undefined;
  if (typeof value === 'number') seconds = value;
  else if (typeof value === 'string') {
    const m = /^([0-9]+(?:\.[0-9]+)?)(s|m|h|d)$/.exec(value.trim());
    if (m) seconds = Number(m[1]) * UNIT_SECONDS[m[2]];
  }
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0)
    throw new Error(`normalizeDashboardJson: ${where}: not a duration: ${JSON.stringify(value)}`);
  return `${seconds}s`;
}

/** True for the values the API omits from its answer (proto3 defaults). */
export function isOmittedByApi(value: unknown): boolean {
  return value === undefined || value === null || value === 0 || value === false || value === '' || (Array.isArray(value) && value.length === 0);
}

function normalize(value: unknown, path: string, key?: string): Json | undefined {
  if (key !== undefined && DURATION_FIELDS.has(key) && !isOmittedByApi(value)) return canonicalDuration(value, path);
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`normalizeDashboardJson: ${path}: ${value} is not a JSON number`);
    return value;
  }
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    // Array elements keep their places (array order is compared), only their contents are normalized.
    return value.map((v, i) => {
      const n = normalize(v, `${path}[${i}]`);
      if (n === undefined) throw new Error(`normalizeDashboardJson: ${path}[${i}]: null or undefined array element`);
      return n;
    });
  }
  if (typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const k of Object.keys(value as object).sort()) {
      const n = normalize((value as Record<string, unknown>)[k], `${path}.${k}`, k);
      if (n === undefined || isOmittedByApi(n)) continue;
      out[k] = n;
    }
    // Empty objects stay: `incidentList: {}` selects the widget kind (a oneof), the API returns it as is.
    return out;
  }
  throw new Error(`normalizeDashboardJson: ${path}: unsupported value of type ${typeof value}`);
}

export function normalizeDashboardJson<T extends object>(dashboard: T): T {
  return normalize(dashboard, '$') as unknown as T;
}

/** The string for `dashboard_json`. */
export function dashboardJsonString(dashboard: object): string {
  return JSON.stringify(normalizeDashboardJson(dashboard));
}

/**
 * The §5.6 rules checked on their own (not by re-running the normalizer): each finding is a path and the reason
 * the provider would show a diff on every plan.
 */
export function driftRisks(dashboard: unknown): string[] {
  const risks: string[] = [];
  const walk = (v: unknown, path: string, key?: string): void => {
    if (key !== undefined) {
      if (v === 0) risks.push(`${path}: zero is omitted by the API`);
      else if (v === false) risks.push(`${path}: false is omitted by the API`);
      else if (v === '') risks.push(`${path}: empty string is omitted by the API`);
      else if (v === null) risks.push(`${path}: null`);
      else if (Array.isArray(v) && v.length === 0) risks.push(`${path}: empty array is omitted by the API`);
      if (DURATION_FIELDS.has(key) && !(typeof v === 'string' && /^[1-9][0-9]*s$/.test(v)))
        risks.push(`${path}: duration ${JSON.stringify(v)} is not canonical "<n>s"`);
    }
    if (Array.isArray(v)) v.forEach((e, i) => walk(e, `${path}[${i}]`));
    else if (v && typeof v === 'object') {
      const keys = Object.keys(v);
      const sorted = [...keys].sort();
      if (keys.some((k, i) => k !== sorted[i])) risks.push(`${path}: keys not in canonical (sorted) order`);
      for (const k of keys) walk((v as Record<string, unknown>)[k], `${path}.${k}`, k);
    }
  };
  walk(dashboard, '$');
  return risks;
}

// ---------------------------------------------------------------------------------------------------------------
// The provider's diff suppression, to prove the round trip (terraform-provider-google 6.x,
// resource_monitoring_dashboard.go `removeComputedKeys` / `monitoringDashboardDiffSuppress`).

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Port of `removeComputedKeys(old, new)`: drops from the state every key the config lacks (or has as null). */
export function removeComputedKeys(old: Record<string, unknown>, config: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(old)) {
    const v = old[k];
    if (config[k] === undefined || config[k] === null) {
      delete old[k];
      continue;
    }
    if (isMap(v)) {
      // Go would panic on a map in state against a non-map in config; a diff is the honest outcome here.
      if (!isMap(config[k])) continue;
      old[k] = removeComputedKeys(v, config[k] as Record<string, unknown>);
      continue;
    }
    if (Array.isArray(v)) {
      const cfg = config[k];
      v.forEach((e, i) => {
        if (isMap(e) && Array.isArray(cfg) && cfg.length > i && isMap(cfg[i])) v[i] = removeComputedKeys(e, cfg[i] as Record<string, unknown>);
      });
    }
  }
  return old;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((e, i) => deepEqual(e, b[i]));
  }
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** `monitoringDashboardDiffSuppress(state, config)`: true when the plan shows no change. */
export function diffSuppressed(stateJson: string, configJson: string): boolean {
  const state = JSON.parse(stateJson) as unknown;
  const config = JSON.parse(configJson) as unknown;
  if (!isMap(state) || !isMap(config)) return false;
  return deepEqual(removeComputedKeys(state, config), config);
}

/**
 * What the API answers for a dashboard written as `configJson`, per gcp-facts §5.6: proto3 defaults omitted,
 * durations canonical, server fields (`name`, `etag`) and documented defaults added (`targetAxis: "Y1"`,
 * `minAlignmentPeriod`, `chartOptions.mode`, `yAxis.scale`, `thresholds` target axis). Array order is kept.
 */
export function simulateApiRead(configJson: string): string {
  const parsed = JSON.parse(configJson) as unknown;
  const read = (v: unknown, key?: string): unknown => {
    if (key !== undefined && DURATION_FIELDS.has(key) && typeof v === 'string') return canonicalDuration(v);
    if (Array.isArray(v)) return v.map((e) => read(e));
    if (!isMap(v)) return v;
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(v)) {
      const r = read(e, k);
      if (isOmittedByApi(r)) continue;
      out[k] = r;
    }
    return out;
  };
  const api = read(parsed) as Record<string, unknown>;
  const addDefaults = (v: unknown, key?: string): void => {
    if (Array.isArray(v)) return v.forEach((e) => addDefaults(e, key));
    if (!isMap(v)) return;
    if (key === 'xyChart') {
      v.chartOptions ??= { mode: 'COLOR' };
      v.yAxis = { scale: 'LINEAR', ...(isMap(v.yAxis) ? v.yAxis : {}) };
      for (const t of Array.isArray(v.thresholds) ? v.thresholds : []) if (isMap(t)) t.targetAxis ??= 'Y1';
    }
    if (key === 'dataSets') {
      v.targetAxis ??= 'Y1';
      v.plotType ??= 'LINE';
      const agg = (v.timeSeriesQuery as { timeSeriesFilter?: { aggregation?: { alignmentPeriod?: string } } } | undefined)?.timeSeriesFilter?.aggregation;
      if (agg?.alignmentPeriod) v.minAlignmentPeriod ??= agg.alignmentPeriod;
    }
    for (const [k, e] of Object.entries(v)) addDefaults(e, k);
  };
  addDefaults(api);
  return JSON.stringify({ name: 'projects/123456789/dashboards/0a1b2c3d', etag: 'f00dfeed', ...api });
}
