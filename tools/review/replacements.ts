/**
 * What Terraform will do with each changed resource: update it in place or replace it (destroy, then create), from
 * the ForceNew fields of the providers this project pins (google 6.50.0, time 0.13.1). One table, one entry per
 * resource type the stacks create, each with the schema file it was read from. Facts, not code: read from
 * hashicorp/terraform-provider-google at tag v6.50.0 (commit 956f510990a78614a06730c34e93779171c5e8f7) and
 * hashicorp/terraform-provider-time at tag v0.13.1 (`ForceNew: true` in the SDK schema, `RequiresReplace()` in the
 * framework schema).
 */

type Rec = Record<string, any>;

export interface ReplaceFacts {
  /** The provider schema file, in its repository at the pinned tag. */
  source: string;
  /**
   * Fields whose change forces replacement, as paths through nested blocks (`monitored_resource.labels`): a path
   * covers everything below it. A label set whose elements are ForceNew only in some sub-fields lists each sub-field.
   */
  forceNew: string[];
  /** Provider defaults of ForceNew fields: unset and the default are the same value. */
  defaults?: Record<string, unknown>;
  /** What a replacement loses, when it loses something: a loud warning in the review. */
  loses?: string;
  /** Why an admin must apply the replacement (or the removal) rather than the deployer. */
  admin?: string;
}

const GOOGLE = 'hashicorp/terraform-provider-google@v6.50.0:';
const TIME = 'hashicorp/terraform-provider-time@v0.13.1:';

/** Deleting a metric descriptor: the permission the deployer's roles lack (constructs/iam.ts DEPLOYER_ROLES). */
export const DESCRIPTOR_DELETE_PERMISSION = 'monitoring.metricDescriptors.delete';

export const FORCE_NEW: Record<string, ReplaceFacts> = {
  google_logging_metric: {
    source: `${GOOGLE}google/services/logging/resource_logging_metric.go`,
    forceNew: ['project', 'metric_descriptor.labels.key', 'metric_descriptor.labels.value_type'],
    defaults: { 'metric_descriptor.labels.value_type': 'STRING' },
    loses:
      'the log-based metric is deleted and created again: its series restart empty, so alerts on it lose their history and see no data until new entries arrive',
  },
  google_logging_project_bucket_config: {
    source: `${GOOGLE}google/services/logging/resource_logging_project_bucket_config.go`,
    forceNew: ['project', 'location', 'bucket_id'],
  },
  google_logging_project_exclusion: {
    source: `${GOOGLE}google/services/logging/resource_logging_exclusion.go (name), google/services/logging/logging_exclusion_project.go (project)`,
    forceNew: ['name', 'project'],
  },
  google_monitoring_alert_policy: {
    source: `${GOOGLE}google/services/monitoring/resource_monitoring_alert_policy.go`,
    forceNew: ['project'],
    loses: 'the policy gets a new id: its open incidents close and its incident history stays with the deleted policy',
  },
  google_monitoring_custom_service: {
    source: `${GOOGLE}google/services/monitoring/resource_monitoring_custom_service.go`,
    forceNew: ['service_id', 'project'],
    loses: 'deleting the service deletes its SLOs: their compliance history and error budgets start again',
  },
  google_monitoring_dashboard: {
    source: `${GOOGLE}google/services/monitoring/resource_monitoring_dashboard.go`,
    forceNew: ['project'],
    loses: 'the dashboard gets a new id: its URL changes, and bookmarks and links in runbooks and alert documentation break',
  },
  google_monitoring_metric_descriptor: {
    source: `${GOOGLE}google/services/monitoring/resource_monitoring_metric_descriptor.go`,
    // `labels` is one ForceNew set: any change of a label (key, value type or description) replaces the descriptor.
    forceNew: ['type', 'metric_kind', 'value_type', 'labels', 'launch_stage', 'project'],
    loses: 'the descriptor is deleted and created again; the points written under it so far are not readable through the new one',
    admin: `deleting a descriptor needs ${DESCRIPTOR_DELETE_PERMISSION}, which the deployer's roles lack (roles/monitoring.metricWriter only creates): the apply stops with 403 half-way unless an admin applies it`,
  },
  google_monitoring_notification_channel: {
    source: `${GOOGLE}google/services/monitoring/resource_monitoring_notification_channel.go`,
    forceNew: ['project'],
    loses: 'the channel gets a new id: a channel that needs verification (SMS, some e-mail setups) must be verified again',
  },
  google_monitoring_slo: {
    source: `${GOOGLE}google/services/monitoring/resource_monitoring_slo.go`,
    forceNew: ['service', 'slo_id', 'project'],
    loses: 'the SLO is deleted and created again: its compliance history and error budget start from zero, and burn-rate alerts see no history',
  },
  google_monitoring_uptime_check_config: {
    source: `${GOOGLE}google/services/monitoring/resource_monitoring_uptime_check_config.go`,
    forceNew: [
      'checker_type',
      'http_check.request_method',
      'http_check.auth_info.password_wo_version',
      'monitored_resource',
      'resource_group',
      'synthetic_monitor',
      'project',
    ],
    loses:
      'the check gets a new uptime_check_id: check_passed history restarts under the new check_id, and alerts on it see a gap until the new check has run in every region',
  },
  google_project_iam_member: {
    source: `${GOOGLE}google/tpgiamresource/resource_iam_member.go (role, member, condition), google/services/resourcemanager/iam_project.go (project)`,
    forceNew: ['role', 'member', 'condition', 'project'],
    loses:
      'the grant is removed, then added: for a moment the member lacks the role, and the removal takes it away whoever else granted it (resource_iam_member.go: delete removes the member from the binding)',
  },
  google_project_service: {
    source: `${GOOGLE}google/services/resourcemanager/resource_google_project_service.go`,
    forceNew: ['service', 'project'],
  },
  time_sleep: {
    source: `${TIME}internal/provider/resource_time_sleep.go`,
    forceNew: ['triggers'],
  },
};

const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Key order and Terraform's `//` metadata do not matter (shared with diff.ts). */
export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (isRec(v))
    return Object.fromEntries(
      Object.keys(v)
        .filter((k) => k !== '//')
        .sort()
        .map((k) => [k, canonical(v[k])]),
    );
  return v;
}

/** Every value at `path` (blocks may be lists in cdk.tf.json), as sorted canonical JSON: set order does not matter. */
function valuesAt(resource: Rec, path: string, defaults: Record<string, unknown>): string[] {
  let level: unknown[] = [resource];
  const parts = path.split('.');
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    level = level
      .flatMap((node) => (Array.isArray(node) ? node : [node]))
      .filter(isRec)
      .map((node) => (last && node[part] === undefined ? defaults[path] : node[part]));
    if (!last) level = level.filter((v) => v !== undefined);
  });
  return level.map((v) => JSON.stringify(canonical(v) ?? null)).sort();
}

export type Action = { action: 'update in place' } | { action: 'replace'; fields: string[] } | { action: 'unknown'; reason: string };

/** What Terraform will do with a resource present in both synths whose configuration differs. */
export function plannedAction(type: string, before: Rec, after: Rec): Action {
  const facts = FORCE_NEW[type];
  if (!facts) return { action: 'unknown', reason: `no ForceNew facts for ${type} in tools/review/replacements.ts` };
  const fields = facts.forceNew.filter(
    (p) => JSON.stringify(valuesAt(before, p, facts.defaults ?? {})) !== JSON.stringify(valuesAt(after, p, facts.defaults ?? {})),
  );
  return fields.length ? { action: 'replace', fields } : { action: 'update in place' };
}

/** The log-based metric's name is not ForceNew, yet the API's metrics.update creates a metric under a new name. */
export function logMetricRenamed(type: string, before: Rec, after: Rec): boolean {
  return type === 'google_logging_metric' && before.name !== after.name;
}

export const LOG_METRIC_RENAME =
  'Terraform shows an update in place, but projects.metrics.update creates a metric under the new name ("If the metric does not exist … a new metric is created", Logging API reference) and the old one stays: ' +
  'a new metric type logging.googleapis.com/user/<new name> with no history, alerts on it lose their history, and a policy that references it can be rejected for up to 10 minutes ("it could take up to 10 minutes to become available", gcp-facts §1.11): apply the metric first, the alerts after';
