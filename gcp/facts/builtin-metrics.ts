/**
 * Google's built-in metrics and monitored resources this project reads: kind, value type and documented label keys
 * (gcp-facts §2.2-§2.4 and Google's metric and monitored-resource lists). The lint's label check and aggregation
 * rules, the simulator and the cost model read this one table.
 */
import type { KnownMetrics, ValueType, MetricShape } from './metrics';

const g = (valueType: ValueType): MetricShape => ({ metricKind: 'GAUGE', valueType });
const d = (valueType: ValueType): MetricShape => ({ metricKind: 'DELTA', valueType });

/** Built-in Google metrics (gcp-facts §2.2, §2.3, §2.4 and Pub/Sub/Logging metric lists). */
const BUILTIN_SHAPES: KnownMetrics = {
  // Cloud Run (gcp-facts §2.2; utilization/concurrency kinds are [2ND] there)
  'run.googleapis.com/request_count': d('INT64'),
  'run.googleapis.com/request_latencies': d('DISTRIBUTION'),
  'run.googleapis.com/container/instance_count': g('INT64'),
  'run.googleapis.com/container/cpu/utilizations': d('DISTRIBUTION'),
  'run.googleapis.com/container/memory/utilizations': d('DISTRIBUTION'),
  'run.googleapis.com/container/billable_instance_time': d('DOUBLE'),
  'run.googleapis.com/container/max_request_concurrencies': d('DISTRIBUTION'),
  // Cloud SQL (gcp-facts §2.3)
  'cloudsql.googleapis.com/database/postgresql/num_backends': g('INT64'),
  'cloudsql.googleapis.com/database/postgresql/num_backends_by_state': g('INT64'),
  'cloudsql.googleapis.com/database/postgresql/new_connection_count': d('INT64'),
  'cloudsql.googleapis.com/database/cpu/utilization': g('DOUBLE'),
  'cloudsql.googleapis.com/database/memory/utilization': g('DOUBLE'),
  'cloudsql.googleapis.com/database/disk/utilization': g('DOUBLE'),
  // Uptime checks (gcp-facts §2.4)
  'monitoring.googleapis.com/uptime_check/check_passed': g('BOOL'),
  'monitoring.googleapis.com/uptime_check/request_latency': g('DOUBLE'),
  // Pub/Sub (Google metric list, pubsub.googleapis.com; UNCONFIRMED in gcp-facts)
  'pubsub.googleapis.com/subscription/num_undelivered_messages': g('INT64'),
  'pubsub.googleapis.com/subscription/oldest_unacked_message_age': g('INT64'),
  'pubsub.googleapis.com/subscription/dead_letter_message_count': d('INT64'),
  // Logging system metrics (UNCONFIRMED in gcp-facts; Google metric list)
  'logging.googleapis.com/byte_count': d('INT64'),
  'logging.googleapis.com/log_entry_count': d('INT64'),
  'logging.googleapis.com/billing/bytes_ingested': d('INT64'),
  'logging.googleapis.com/billing/monthly_bytes_ingested': g('INT64'),
  'monitoring.googleapis.com/billing/bytes_ingested': d('INT64'),
};

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

/**
 * Labels of a `cloud_run_revision` monitored resource that the API fills in itself on an uptime check: a config
 * that sets them, or does not ignore them, is replaced on every apply (gcp-facts §10, hashicorp/terraform-provider-google#19733).
 */
export const CLOUD_RUN_SERVER_LABELS: readonly string[] = ['configuration_name', 'revision_name'];

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

/** The built-ins with their documented label keys. */
export const BUILTIN_METRICS: KnownMetrics = Object.fromEntries(
  Object.entries(BUILTIN_SHAPES).map(([type, shape]) => [type, BUILTIN_METRIC_LABELS[type] ? { ...shape, labels: BUILTIN_METRIC_LABELS[type] } : shape]),
);
