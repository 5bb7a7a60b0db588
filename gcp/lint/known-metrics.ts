/**
 * The metrics the aggregation and label rules can look up: Google's built-ins (gcp/facts), plus what a synth declares
 * itself, plus whatever a caller injects (a project's custom metrics).
 */
import { BUILTIN_METRICS } from '../facts/builtin-metrics';
import { isOneOf, METRIC_KINDS, VALUE_TYPES, type KnownMetrics, type MetricKind, type MetricShape, type ValueType } from '../facts/metrics';
import { isPlainObject } from '../schema/types';
import { metricLabelsFromSynth } from './labels';

export type { KnownMetrics, MetricKind, MetricShape, ValueType };

/** What the lint knows without being told: Google's built-in metrics. */
export const DEFAULT_KNOWN_METRICS: KnownMetrics = BUILTIN_METRICS;

/**
 * Kinds declared by the synth itself: `google_logging_metric` (→ `logging.googleapis.com/user/<name>`, DELTA, INT64
 * unless the descriptor says DISTRIBUTION; gcp-facts §3.1/§3.2) and `google_monitoring_metric_descriptor` (its `type`).
 * Interpolated names are skipped.
 */
export function knownMetricsFromSynth(cdkTfJson: unknown): Record<string, MetricShape> {
  const out: Record<string, MetricShape> = {};
  const res = isPlainObject(cdkTfJson) && isPlainObject(cdkTfJson.resource) ? cdkTfJson.resource : {};
  const logMetrics = isPlainObject(res.google_logging_metric) ? res.google_logging_metric : {};
  for (const body of Object.values(logMetrics)) {
    if (!isPlainObject(body) || typeof body.name !== 'string' || body.name.includes('${')) continue;
    const md = single(body.metric_descriptor);
    const kind = md && isOneOf(METRIC_KINDS, md.metric_kind) ? md.metric_kind : 'DELTA';
    const vt = md && isOneOf(VALUE_TYPES, md.value_type) ? md.value_type : 'INT64';
    out[`logging.googleapis.com/user/${body.name}`] = { metricKind: kind, valueType: vt };
  }
  const descriptors = isPlainObject(res.google_monitoring_metric_descriptor) ? res.google_monitoring_metric_descriptor : {};
  for (const body of Object.values(descriptors)) {
    if (!isPlainObject(body) || typeof body.type !== 'string' || body.type.includes('${')) continue;
    if (isOneOf(METRIC_KINDS, body.metric_kind) && isOneOf(VALUE_TYPES, body.value_type)) {
      out[body.type] = { metricKind: body.metric_kind, valueType: body.value_type };
    }
  }
  // Their label keys too: a log-based metric's declared labels (and the default `log`), a descriptor's labels.
  for (const [type, labels] of Object.entries(metricLabelsFromSynth(cdkTfJson))) if (out[type]) out[type] = { ...out[type], labels };
  return out;
}

function single(v: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(v)) return isPlainObject(v[0]) ? v[0] : undefined;
  return isPlainObject(v) ? v : undefined;
}
