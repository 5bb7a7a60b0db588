/**
 * A reviewer's view of one synthesized stack: how many resources of each type, and, one line each, the values that
 * matter (thresholds, windows, durations, channels per severity, SLO goals, retention, IAM roles...). The
 * inventory.test.ts snapshot of this is what a review reads: a threshold change is a one-line diff there.
 *
 * Everything is sorted (resource names, list members) so that the output does not depend on the synth's key order.
 */
import type { TfJson } from '../support/synth';

type Body = Record<string, any>;

const sorted = <T>(xs: T[]): T[] => [...xs].sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
const entries = (stack: TfJson, type: string): [string, Body][] =>
  sorted(Object.keys(stack.resource[type] ?? {})).map((name) => [name, stack.resource[type][name] as Body]);
/** `${google_monitoring_notification_channel.channel_pagerduty.name}` → `channel_pagerduty`. */
const ref = (s: string) => s.replace(/^\$\{[a-z_]+\.([a-z0-9_]+)\.[a-z_]+\}$/, '$1');
const list = (xs: unknown[] | undefined) => (xs && xs.length ? sorted(xs.map(String)).join(', ') : '(none)');

function aggregation(a: Body | undefined): string {
  if (!a) return 'raw';
  const parts = [a.per_series_aligner ?? 'ALIGN_NONE', a.alignment_period ?? '-'];
  if (a.cross_series_reducer) parts.push(`${a.cross_series_reducer} by ${list(a.group_by_fields)}`);
  return parts.join(' ');
}

/** One line per condition: what is compared, how it is aggregated, against what, for how long. */
function condition(c: Body): string {
  const op = (cmp: string | undefined) => (cmp === 'COMPARISON_LT' ? '<' : cmp === 'COMPARISON_GT' ? '>' : String(cmp));
  if (c.condition_threshold) {
    const t = c.condition_threshold;
    const ratio = t.denominator_filter ? ` / [${aggregation(t.denominator_aggregations?.[0])}]` : '';
    const trigger = t.trigger && !(Object.keys(t.trigger).length === 1 && Number(t.trigger.count) === 1) ? ` trigger ${JSON.stringify(t.trigger)}` : '';
    const missing = t.evaluation_missing_data ? ` missing data ${t.evaluation_missing_data}` : '';
    return `[${aggregation(t.aggregations?.[0])}]${ratio} ${op(t.comparison)} ${t.threshold_value ?? 0} for ${t.duration}${trigger}${missing}`;
  }
  if (c.condition_absent) return `absent for ${c.condition_absent.duration} [${aggregation(c.condition_absent.aggregations?.[0])}]`;
  if (c.condition_matched_log) return `log match, extractors ${list(Object.keys(c.condition_matched_log.label_extractors ?? {}))}`;
  return `other: ${list(Object.keys(c).filter((k) => k !== 'display_name'))}`;
}

export interface Inventory {
  settings: Record<string, string>;
  counts: Record<string, number>;
  alerts: Record<string, Record<string, string>>;
  channels: Record<string, string>;
  uptimeChecks: Record<string, string>;
  slos: Record<string, string>;
  logMetrics: Record<string, string>;
  logExclusions: string[];
  logBuckets: Record<string, string>;
  dashboards: Record<string, string>;
  metricDescriptors: Record<string, string>;
  iam: Record<string, string>;
  services: string[];
  other: Record<string, string>;
}

const COVERED = new Set([
  'google_monitoring_alert_policy',
  'google_monitoring_notification_channel',
  'google_monitoring_uptime_check_config',
  'google_monitoring_slo',
  'google_logging_metric',
  'google_logging_project_exclusion',
  'google_logging_project_bucket_config',
  'google_monitoring_dashboard',
  'google_monitoring_metric_descriptor',
  'google_project_iam_member',
  'google_project_service',
]);

export function inventory(stack: TfJson): Inventory {
  const counts = Object.fromEntries(sorted(Object.keys(stack.resource)).map((t) => [t, Object.keys(stack.resource[t]).length]));

  const alerts: Inventory['alerts'] = {};
  for (const [, p] of entries(stack, 'google_monitoring_alert_policy')) {
    const a: Record<string, string> = {
      severity: String(p.severity),
      enabled: String(p.enabled),
      channels: list((p.notification_channels ?? []).map(ref)),
      combiner: String(p.combiner),
      autoClose: String(p.alert_strategy?.auto_close ?? '(default)'),
    };
    if (p.alert_strategy?.notification_rate_limit) a.notificationRateLimit = String(p.alert_strategy.notification_rate_limit.period);
    (p.conditions as Body[]).forEach((c, i) => {
      a[`condition ${i + 1}: ${c.display_name}`] = condition(c);
    });
    a.waitsForLogMetrics = String((p.depends_on ?? []).includes('time_sleep.wait_log_metrics_propagated'));
    alerts[p.display_name] = a;
  }

  const channels = Object.fromEntries(
    entries(stack, 'google_monitoring_notification_channel').map(([name, c]) => [
      name,
      `${c.type} ${list(Object.entries(c.labels ?? {}).map(([k, v]) => `${k}=${v}`))}; sensitive ${list(Object.keys(c.sensitive_labels ?? {}))}`,
    ]),
  );

  const uptimeChecks = Object.fromEntries(
    entries(stack, 'google_monitoring_uptime_check_config').map(([name, u]) => [
      name,
      `${u.monitored_resource?.type} ${u.http_check?.use_ssl ? 'https' : 'http'} ${u.http_check?.path} every ${u.period}, timeout ${u.timeout}, ` +
        `regions ${list(u.selected_regions)}, matchers ${list((u.content_matchers ?? []).map((m: Body) => `${m.matcher} ${m.content}`))}`,
    ]),
  );

  const slos = Object.fromEntries(
    entries(stack, 'google_monitoring_slo').map(([name, s]) => [
      name,
      `goal ${s.goal} over ${s.rolling_period_days ?? s.calendar_period} days, ${Object.keys(s.request_based_sli ?? s.windows_based_sli ?? s.basic_sli ?? {}).join(', ')} (slo_id ${s.slo_id})`,
    ]),
  );

  const logMetrics = Object.fromEntries(
    entries(stack, 'google_logging_metric').map(([, m]) => [
      m.name,
      `${m.metric_descriptor?.metric_kind} ${m.metric_descriptor?.value_type} unit ${m.metric_descriptor?.unit}, labels ${list(Object.keys(m.label_extractors ?? {}))}` +
        (m.bucket_options?.explicit_buckets ? `, buckets ${m.bucket_options.explicit_buckets.bounds.join(' ')}` : ''),
    ]),
  );

  const logExclusions = entries(stack, 'google_logging_project_exclusion').map(([, e]) => `${e.name}${e.disabled ? ' (disabled)' : ''}`);
  const logBuckets = Object.fromEntries(
    entries(stack, 'google_logging_project_bucket_config').map(([, b]) => [b.bucket_id, `${b.location}, ${b.retention_days} days`]),
  );

  const dashboards = Object.fromEntries(
    entries(stack, 'google_monitoring_dashboard').map(([name, d]) => {
      const j = JSON.parse(d.dashboard_json);
      return [name, `${j.displayName}: ${j.mosaicLayout?.tiles?.length ?? 0} tiles`];
    }),
  );

  const metricDescriptors = Object.fromEntries(
    entries(stack, 'google_monitoring_metric_descriptor').map(([, m]) => [
      m.type,
      `${m.metric_kind} ${m.value_type} unit ${m.unit}, labels ${list((m.labels ?? []).map((l: Body) => l.key))}`,
    ]),
  );

  const iam: Record<string, string[]> = {};
  for (const [, m] of entries(stack, 'google_project_iam_member')) (iam[m.member] ??= []).push(m.role);
  const services = sorted(
    entries(stack, 'google_project_service').map(([, s]) => `${s.service}${s.disable_on_destroy === false ? '' : ' (disabled on destroy!)'}`),
  );

  const other: Record<string, string> = {};
  for (const type of Object.keys(counts).filter((t) => !COVERED.has(t))) {
    for (const [name, b] of entries(stack, type)) {
      const rest = Object.fromEntries(Object.entries(b).filter(([k]) => k !== '//' && k !== 'depends_on' && k !== 'project' && k !== 'user_labels'));
      other[`${type}.${name}`] = JSON.stringify(rest);
    }
  }

  const tf = (stack as Body).terraform ?? {};
  const settings: Record<string, string> = {
    backend: Object.entries(tf.backend ?? {})
      .map(([k, v]) => `${k} ${list(Object.entries(v as Body).map(([a, b]) => `${a}=${b}`))}`)
      .join('; '),
    providers: list(Object.entries(tf.required_providers ?? {}).map(([k, v]) => `${k} ${(v as Body).source} ${(v as Body).version}`)),
    variables: list(Object.entries((stack as Body).variable ?? {}).map(([k, v]) => `${k}${(v as Body).sensitive ? ' (sensitive)' : ''}`)),
    dataSources: list(Object.entries((stack as Body).data ?? {}).flatMap(([t, byName]) => Object.keys(byName as Body).map((n) => `${t}.${n}`))),
  };

  return {
    settings,
    counts,
    alerts,
    channels,
    uptimeChecks,
    slos,
    logMetrics,
    logExclusions,
    logBuckets,
    dashboards,
    metricDescriptors,
    iam: Object.fromEntries(sorted(Object.keys(iam)).map((k) => [k, list(iam[k])])),
    services,
    other,
  };
}

/** A resource as a reviewer wants to read it: `dashboard_json` parsed, cdktf's construct-path metadata dropped. */
export function readableResource(type: string, body: Body): Body {
  const out: Body = { ...body };
  delete out['//'];
  if (type === 'google_monitoring_dashboard' && typeof out.dashboard_json === 'string') out.dashboard_json = JSON.parse(out.dashboard_json);
  return out;
}
