/**
 * Log entries → log-based metric points, through the shared log filter evaluator (tools/logging-query).
 *
 * - Metric type `logging.googleapis.com/user/<name>` (gcp-facts §3.1), kind DELTA, value INT64 (counter) or
 *   DISTRIBUTION (value extractor + bucket options) (gcp-facts §3.2).
 * - Logging updates the Monitoring series "every minute per stream" (gcp-facts §3.6,
 *   https://cloud.google.com/logging/docs/logs-based-metrics): entries are bucketed per UTC minute and the point for
 *   [m, m+60 s) is stamped m+60 s. Minutes without matching entries get no point (UNCONFIRMED whether Logging writes
 *   explicit zeros; sparse is the conservative assumption for absence conditions).
 * - Resource type and labels come from the entry's `resource`; metric labels from the label extractors (values
 *   stringified, extraction failures give the type's default, per the evaluator).
 * - Disabled metrics emit no points [PROTO `disabled`, gcp-facts §3.1].
 */
import { parseFilter, type Expr } from '../logging-query/filter';
import { evaluateLogMetric } from '../logging-query/metric';
import type { LogMetric, LogMetricLabel } from '../logging-query/types';
import { distributionFromValues } from './distribution';
import { BucketOptions, LogEntry, TimeSeries } from './types';

// Per-entry code reads Math through a module constant: in jest's vm context, where the tests run, each read of a
// global costs about 0.2 µs (gcp/simulate/README.md "Speed").
const { floor } = Math;

/** A log-based metric plus the bucket options its DISTRIBUTION points need. */
export interface SimLogMetric {
  metric: LogMetric;
  bucketOptions?: BucketOptions;
  origin: string;
}

export const LOG_METRIC_PREFIX = 'logging.googleapis.com/user/';

/** API-format google.logging.v2.LogMetric (camelCase, e.g. from a scenario's `logMetrics`) → SimLogMetric. */
export function logMetricFromApi(api: Record<string, unknown>, origin: string): SimLogMetric {
  const name = api.name;
  const filter = api.filter;
  if (typeof name !== 'string' || !name) throw new Error(`${origin}: name is required`);
  if (typeof filter !== 'string') throw new Error(`${origin}: filter is required`);
  const md = (api.metricDescriptor ?? {}) as Record<string, unknown>;
  const labels = Array.isArray(md.labels)
    ? (md.labels as Record<string, unknown>[]).map((l): LogMetricLabel => ({
        key: String(l.key),
        valueType: ((l.valueType as string) ?? 'STRING') as LogMetricLabel['valueType'],
      }))
    : undefined;
  const metric: LogMetric = {
    name,
    filter,
    ...(api.labelExtractors ? { labelExtractors: api.labelExtractors as Record<string, string> } : {}),
    ...(typeof api.valueExtractor === 'string' ? { valueExtractor: api.valueExtractor } : {}),
    ...(labels ? { labels } : {}),
    ...(typeof md.metricKind === 'string' ? { metricKind: md.metricKind } : {}),
    ...(typeof md.valueType === 'string' ? { valueType: md.valueType } : {}),
    ...(api.disabled === true ? { disabled: true } : {}),
  };
  return { metric, bucketOptions: api.bucketOptions as BucketOptions | undefined, origin };
}

/**
 * Whether a log metric's filter or extractors may read what tells a stream's entries apart (timestamp, insertId): any
 * mention of either name, or a global restriction (it searches every field of the entry). A filter that does not
 * parse counts as reading them: it is evaluated entry by entry, and fails as before.
 */
function readsEntryIdentity(metric: LogMetric): boolean {
  const texts = [metric.filter, metric.valueExtractor ?? '', ...Object.values(metric.labelExtractors ?? {})];
  // Decided once per text (a stack's metrics are read by every simulation against it: the filter is parsed once).
  const key = JSON.stringify(texts);
  let r = readsIdentity.get(key);
  if (r === undefined) {
    if (readsIdentity.size >= READS_IDENTITY_KEPT) readsIdentity.delete(readsIdentity.keys().next().value!);
    readsIdentity.set(key, (r = readsEntryIdentityOf(metric, texts)));
  }
  return r;
}
const readsIdentity = new Map<string, boolean>();
const READS_IDENTITY_KEPT = 256;

function readsEntryIdentityOf(metric: LogMetric, texts: string[]): boolean {
  if (texts.some((text) => /timestamp|insertid/i.test(text))) return true;
  let root: Expr | undefined;
  try {
    root = parseFilter(metric.filter).root;
  } catch {
    return true;
  }
  const searchesEverything = (e: Expr): boolean =>
    e.kind === 'global' || (e.kind === 'and' || e.kind === 'or' ? e.items.some(searchesEverything) : e.kind === 'not' && searchesEverything(e.expr));
  return root !== undefined && searchesEverything(root);
}

/** One entry's result for a metric, with the identity of the series it counts in (when it matched). */
interface Evaluated {
  r: ReturnType<typeof evaluateLogMetric>;
  key?: string;
  ident?: Pick<TimeSeries, 'metric' | 'resource'>;
}

function evaluated(m: SimLogMetric, entry: LogEntry): Evaluated {
  const r = evaluateLogMetric(m.metric, entry as Parameters<typeof evaluateLogMetric>[1]);
  if (!r.matched) return { r };
  const res = (entry.resource ?? {}) as { type?: string; labels?: Record<string, string> };
  const metricLabels = Object.fromEntries(Object.entries(r.labels).map(([k, v]) => [k, String(v)]));
  const ident = {
    metric: { type: LOG_METRIC_PREFIX + m.metric.name, labels: metricLabels },
    resource: { type: res.type ?? 'global', labels: { ...(res.labels ?? {}) } },
  };
  return { r, key: JSON.stringify([ident.resource, metricLabels]), ident };
}

/** Build the per-minute series of every log-based metric from the scenario's log entries (sorted by time). */
export function logMetricSeries(metrics: SimLogMetric[], logs: { t: number; entry: LogEntry; template?: object }[]): TimeSeries[] {
  const out: TimeSeries[] = [];
  for (const m of metrics) {
    if (m.metric.disabled) continue;
    const isDist = m.metric.valueType === 'DISTRIBUTION';
    if (isDist && !m.bucketOptions) throw new Error(`${m.origin}: log-based DISTRIBUTION metric "${m.metric.name}" has no bucket options`);
    // key → minute end → count or values
    const buckets = new Map<string, { ident: Pick<TimeSeries, 'metric' | 'resource'>; minutes: Map<number, number[] | number> }>();
    // The entries of a stream differ from its template only in timestamp and insertId (the template's `resource` is
    // the entry's): when the metric's filter and extractors name neither, one evaluation per template gives every
    // entry's result and series (a stream has thousands).
    const perTemplate = readsEntryIdentity(m.metric) ? undefined : new Map<object, Evaluated>();
    for (const { t, entry, template } of logs) {
      let e = template && perTemplate?.get(template);
      if (!e) {
        e = evaluated(m, entry);
        if (template) perTemplate?.set(template, e);
      }
      const { r, key, ident } = e;
      if (!r.matched) continue;
      if (isDist && r.value === undefined) continue; // dropped: "those values are not recorded" (gcp-facts §3.3)
      let b = buckets.get(key!);
      if (!b) buckets.set(key!, (b = { ident: ident!, minutes: new Map() }));
      const minuteEnd = floor(t / 60_000) * 60_000 + 60_000;
      if (isDist) {
        const arr = (b.minutes.get(minuteEnd) as number[] | undefined) ?? [];
        arr.push(r.value!);
        b.minutes.set(minuteEnd, arr);
      } else {
        b.minutes.set(minuteEnd, ((b.minutes.get(minuteEnd) as number | undefined) ?? 0) + 1);
      }
    }
    for (const { ident, minutes } of buckets.values()) {
      const times = [...minutes.keys()].sort((a, b) => a - b);
      out.push({
        ...ident,
        metricKind: 'DELTA',
        valueType: isDist ? 'DISTRIBUTION' : 'INT64',
        times,
        values: times.map((t) => (isDist ? distributionFromValues(m.bucketOptions!, minutes.get(t) as number[]) : (minutes.get(t) as number))),
        origin: `${m.origin} (log-based metric ${m.metric.name})`,
      });
    }
  }
  return out;
}
