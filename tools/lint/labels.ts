/**
 * Label keys a filter or a group-by may name: a typo (`metric.labels.response_cod`, `resource.labels.servce_name`)
 * is not an API error, it is a condition that silently never matches. Checked only where the labels are known:
 * Google's metric and resource lists for the built-ins this project reads, the synth's own log-based metrics and
 * descriptors for the rest. Unknown metrics are not checked.
 */
import { isPlainObject } from '../schema/types';
import { groupByLabel, labelKeysOf, resourceTypesOf, type FilterNode } from '../../gcp/filter';

/** Monitored-resource labels (Google's monitored-resource list; gcp-facts §2.2-§2.4 for the first three). */
export const RESOURCE_LABELS: Readonly<Record<string, readonly string[]>> = {
  cloud_run_revision: ['project_id', 'service_name', 'revision_name', 'location', 'configuration_name'],
  cloudsql_database: ['project_id', 'database_id', 'region'],
  uptime_url: ['project_id', 'host'],
  pubsub_subscription: ['project_id', 'subscription_id'],
  pubsub_topic: ['project_id', 'topic_id'],
  global: ['project_id'],
  generic_task: ['project_id', 'location', 'namespace', 'job', 'task_id'],
};

/** Metric labels of the built-in metrics whose label set is documented (gcp-facts §2.2-§2.4). */
export const BUILTIN_METRIC_LABELS: Readonly<Record<string, readonly string[]>> = {
  // `route` is UNCONFIRMED in gcp-facts §2.2; allowed so a correct filter is never flagged.
  'run.googleapis.com/request_count': ['response_code', 'response_code_class', 'route'],
  'run.googleapis.com/request_latencies': ['response_code', 'response_code_class', 'route'],
  'run.googleapis.com/container/instance_count': ['state'],
  'cloudsql.googleapis.com/database/postgresql/num_backends': ['database'],
  'cloudsql.googleapis.com/database/postgresql/num_backends_by_state': ['database', 'state'],
  'monitoring.googleapis.com/uptime_check/check_passed': ['check_id', 'checker_location'],
  'monitoring.googleapis.com/uptime_check/request_latency': ['check_id', 'checker_location'],
  'monitoring.googleapis.com/billing/bytes_ingested': ['metric_domain', 'metric_type'],
  'monitoring.googleapis.com/billing/samples_ingested': ['metric_domain', 'metric_type'],
};

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
