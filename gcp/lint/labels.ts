/**
 * The metric label keys a synth declares, for the filter/unknown-label rule: a typo in a label key is not an API
 * error, it is a condition that silently never matches.
 */
import { isPlainObject } from '../schema/types';

/** Labels declared by the synth: log-based metrics (plus the default `log` label) and metric descriptors. */
export function metricLabelsFromSynth(cdkTfJson: unknown): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = {};
  const res = isPlainObject(cdkTfJson) && isPlainObject(cdkTfJson.resource) ? cdkTfJson.resource : {};
  const keys = (labels: unknown) => (Array.isArray(labels) ? labels : []).filter(isPlainObject).map((l) => String(l.key));
  for (const body of Object.values(isPlainObject(res.google_logging_metric) ? res.google_logging_metric : {})) {
    if (!isPlainObject(body) || typeof body.name !== 'string' || body.name.includes('${')) continue;
    const md = Array.isArray(body.metric_descriptor) ? body.metric_descriptor[0] : body.metric_descriptor;
    out[`logging.googleapis.com/user/${body.name}`] = ['log', ...keys(isPlainObject(md) ? md.labels : undefined)];
  }
  for (const body of Object.values(isPlainObject(res.google_monitoring_metric_descriptor) ? res.google_monitoring_metric_descriptor : {})) {
    if (!isPlainObject(body) || typeof body.type !== 'string' || body.type.includes('${')) continue;
    out[body.type] = keys(body.labels);
  }
  return out;
}
