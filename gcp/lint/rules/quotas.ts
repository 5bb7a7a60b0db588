/**
 * Quotas: how many of a resource one project (counted over a whole synth) or one parent resource may hold. A synth is
 * one stack in one project; anything else in the project (the app's own Terraform, hand-made resources) counts
 * against the same quota, so these rules are a floor, not a guarantee.
 *
 * Severity follows the source: a limit read on Google's current quotas pages is an error (the API refuses the
 * resource); a limit known only from the 2019 archived quotas page (current value UNCONFIRMED, gcp-facts §1.10, §4.3,
 * §5.5) is a warning.
 */
import type { Severity } from '../../schema/types';
import { arr, obj, type LintRule, type StackRule } from '../rule';
import { widgets } from './dashboard';

interface ProjectQuota {
  rule: string;
  /** Terraform resource type counted in the synth. */
  tfType: string;
  what: string;
  max: number;
  severity: Severity;
  source: string;
}

export const PROJECT_QUOTAS: readonly ProjectQuota[] = [
  {
    rule: 'quota/alert-policies-per-project',
    tfType: 'google_monitoring_alert_policy',
    what: 'alert policies',
    max: 500,
    severity: 'warning',
    source:
      'gcp-facts §1.10: 500 per Workspace on the 2019 quotas page; current value UNCONFIRMED (https://cloud.google.com/monitoring/quotas#alerting_uptime_limits)',
  },
  {
    rule: 'quota/uptime-checks-per-project',
    tfType: 'google_monitoring_uptime_check_config',
    what: 'uptime checks',
    max: 100,
    severity: 'warning',
    source: 'gcp-facts §1.10, §4.3: 100 per Workspace on the 2019 quotas page; current value UNCONFIRMED',
  },
  {
    rule: 'quota/notification-channels-per-project',
    tfType: 'google_monitoring_notification_channel',
    what: 'notification channels',
    max: 4000,
    severity: 'warning',
    source: 'gcp-facts §1.10: 4000 per Workspace on the 2019 quotas page; current value UNCONFIRMED',
  },
  {
    rule: 'quota/metric-descriptors-per-project',
    tfType: 'google_monitoring_metric_descriptor',
    what: 'custom metric descriptors',
    max: 10_000,
    severity: 'error',
    source:
      'Cloud Monitoring "Quotas and limits", user-defined metrics: 10,000 custom metric descriptors per project (https://cloud.google.com/monitoring/quotas)',
  },
  {
    rule: 'quota/log-metrics-per-project',
    tfType: 'google_logging_metric',
    what: 'user-defined log-based metrics',
    max: 500,
    severity: 'warning',
    source: 'Cloud Logging "Quotas and limits": 500 user-defined log-based metrics per project (https://cloud.google.com/logging/quotas; UNCONFIRMED here)',
  },
  {
    rule: 'quota/log-sinks-per-project',
    tfType: 'google_logging_project_sink',
    what: 'log sinks',
    max: 200,
    severity: 'error',
    source: 'gcp-facts §3.7: 200 sinks per project (https://cloud.google.com/logging/quotas)',
  },
  {
    rule: 'quota/log-buckets-per-project',
    tfType: 'google_logging_project_bucket_config',
    what: 'log buckets',
    max: 100,
    severity: 'error',
    source: 'gcp-facts §3.7: 100 log buckets per project (https://cloud.google.com/logging/quotas)',
  },
  // Project-level exclusions are exclusion filters of the _Default sink.
  {
    rule: 'quota/exclusions-per-sink',
    tfType: 'google_logging_project_exclusion',
    what: 'project log exclusions (exclusion filters of the _Default sink)',
    max: 50,
    severity: 'error',
    source: 'gcp-facts §3.7: 50 exclusion filters per sink (https://cloud.google.com/logging/quotas)',
  },
];

/** Per-policy and per-dashboard quotas (checked on each resource, API format or synth). */
export const CHANNELS_PER_POLICY = { max: 16, source: 'gcp-facts §1.3, §1.10: 16 per policy on the 2019 quotas page; current value UNCONFIRMED' };
export const WIDGETS_PER_DASHBOARD = { max: 25, source: 'gcp-facts §5.5: "Charts on a dashboard: 25" on the 2019 quotas page; current value UNCONFIRMED' };

export const projectQuotaRules: StackRule[] = PROJECT_QUOTAS.map((q) => ({
  id: q.rule,
  severity: q.severity,
  source: q.source,
  summary: `at most ${q.max.toLocaleString('en-US')} ${q.what} per project`,
  check(stack, report) {
    const n = Object.keys(obj(stack.resourceBlock[q.tfType]) ?? {}).length;
    if (n > q.max)
      report(undefined, `$.resource.${q.tfType}`, `${n} ${q.what} in this stack alone; a project holds at most ${q.max.toLocaleString('en-US')} (${q.source})`);
  },
}));

export const resourceQuotaRules: LintRule[] = [
  {
    id: 'quota/channels-per-policy',
    kinds: ['AlertPolicy'],
    severity: 'warning',
    source: CHANNELS_PER_POLICY.source,
    summary: `at most ${CHANNELS_PER_POLICY.max} notification channels per policy`,
    check(p, report) {
      const n = arr(p.notificationChannels).length;
      if (n > CHANNELS_PER_POLICY.max)
        report('$.notificationChannels', `${n} notification channels; a policy holds at most ${CHANNELS_PER_POLICY.max} (${CHANNELS_PER_POLICY.source})`);
    },
  },
  {
    id: 'quota/widgets-per-dashboard',
    kinds: ['Dashboard'],
    severity: 'warning',
    source: WIDGETS_PER_DASHBOARD.source,
    summary: `at most ${WIDGETS_PER_DASHBOARD.max} widgets per dashboard`,
    check(d, report) {
      const n = widgets(d).length;
      if (n > WIDGETS_PER_DASHBOARD.max) report('$', `${n} widgets; a dashboard holds at most ${WIDGETS_PER_DASHBOARD.max} (${WIDGETS_PER_DASHBOARD.source})`);
    },
  },
];
