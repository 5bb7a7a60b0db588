/** Shared finding shape of the schema validator (gcp/schema) and the platform lint (gcp/lint). */
export type Severity = 'error' | 'warning';

export interface Finding {
  severity: Severity;
  /** JSON path, e.g. `$.conditions[0].conditionThreshold.aggregations[0].perSeriesAligner`. */
  path: string;
  /** Stable rule id, e.g. `schema/unknown-field`, `alert/comparison`. */
  rule: string;
  /** Human-readable reason. */
  message: string;
  /** Terraform address (`google_monitoring_alert_policy.x`) when the finding comes from a synth. */
  resource?: string;
  /** Input name (file) given to validateSynth / lintSynth. */
  source?: string;
}

export type ApiKind = 'AlertPolicy' | 'UptimeCheckConfig' | 'NotificationChannel' | 'LogMetric' | 'MetricDescriptor' | 'Dashboard';

export const API_KINDS: readonly ApiKind[] = ['AlertPolicy', 'UptimeCheckConfig', 'NotificationChannel', 'LogMetric', 'MetricDescriptor', 'Dashboard'];

/** The six Terraform resource types handled, and the API message each one maps to. */
export const TF_RESOURCE_KINDS: Readonly<Record<string, ApiKind>> = {
  google_monitoring_alert_policy: 'AlertPolicy',
  google_monitoring_uptime_check_config: 'UptimeCheckConfig',
  google_monitoring_notification_channel: 'NotificationChannel',
  google_logging_metric: 'LogMetric',
  google_monitoring_metric_descriptor: 'MetricDescriptor',
  google_monitoring_dashboard: 'Dashboard',
};

/** Path helpers: `$.a.b[0]["weird key"]`. */
export function childPath(parent: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

export function indexPath(parent: string, i: number): string {
  return `${parent}[${i}]`;
}

/** Terraform interpolation / CDKTF token rendered into the synth, e.g. `${google_x.y.name}`. */
export function isInterpolation(v: unknown): boolean {
  return typeof v === 'string' && v.includes('${');
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
