/**
 * Label keys a filter or a group-by may name: a typo (`metric.labels.response_cod`, `resource.labels.servce_name`)
 * is not an API error, it is a condition that silently never matches. Checked only where the labels are known:
 * Google's metric and resource lists for the built-ins this project reads, the synth's own log-based metrics and
 * descriptors for the rest. Unknown metrics are not checked.
 */
import { isPlainObject } from '../schema/types';
import { RESOURCE_LABELS } from '../../gcp/facts/builtin-metrics';
import { groupByLabel, labelKeysOf, resourceTypesOf, type FilterNode } from '../../gcp/filter';

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

export interface LabelProblem {
  key: string;
  kind: 'metric' | 'resource';
  where: 'filter' | 'groupByFields';
  allowed: readonly string[];
}

/** Label keys in a filter and its group-bys that the metric or the resource type does not have. */
export function unknownLabels(filter: FilterNode, groupBy: readonly string[], metricType: string | undefined, metricLabels: Readonly<Record<string, readonly string[]>>): LabelProblem[] {
  const problems: LabelProblem[] = [];
  const metricAllowed = metricType ? metricLabels[metricType] : undefined;
  const resourceType = resourceTypesOf(filter)[0];
  const resourceAllowed = resourceType ? RESOURCE_LABELS[resourceType] : undefined;
  const check = (kind: 'metric' | 'resource', key: string, where: LabelProblem['where']) => {
    const allowed = kind === 'metric' ? metricAllowed : resourceAllowed;
    if (key && allowed && !allowed.includes(key)) problems.push({ key, kind, where, allowed });
  };
  for (const l of labelKeysOf(filter)) check(l.kind, l.key, 'filter');
  for (const field of groupBy) {
    const l = groupByLabel(field);
    if (l) check(l.kind, l.key, 'groupByFields');
  }
  return problems;
}
