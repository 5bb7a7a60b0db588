/**
 * Every id the catalog cross-references, as literal unions: an alert naming a signal or a dashboard, a chart naming
 * a signal or an alert, a plan metric naming its signals. A misspelt id fails to compile. Each list holds exactly
 * the ids defined in its file (signals.ts, dashboards.ts, slos.ts); __tests__/catalog/ids.test.ts checks they match
 * one to one and shows typos rejected (its TYPOS, compiled with a planted misspelling). The plan's alert ids are ALERT_IDS in
 * environments/schema.ts (environments override alerts by them).
 */
import type { AlertId } from '../environments/schema';

/** catalog/signals.ts, in its order. */
export const SIGNAL_IDS = [
  'api_requests',
  'worker_requests',
  'api_instances',
  'worker_instances',
  'api_cpu',
  'api_memory',
  'worker_cpu',
  'worker_memory',
  'db_connections',
  'db_cpu',
  'uptime_passed',
  'worker_uptime_passed',
  'uptime_latency',
  'pubsub_backlog',
  'pubsub_oldest_unacked',
  'pubsub_dead_letters',
  'log_bytes',
  'metric_bytes',
  'metric_samples',
  'tracked_route_requests',
  'auth_rejections_by_ip',
  'api_latency',
  'lockouts',
  'locked_login_attempts',
  'rate_limit_rejections',
  'login_failure_reasons',
  'token_replays',
  'db_connection_errors',
  'metric_write_failures',
  'generation_completed',
  'generation_duration',
  'generation_failures',
  'generation_retries',
] as const;
export type SignalId = (typeof SIGNAL_IDS)[number];

/** catalog/dashboards.ts, in its order. */
export const DASHBOARD_IDS = ['system-overview', 'authentication', 'rate-limiting', 'content-generation', 'monitoring-cost', 'error-budget'] as const;
export type DashboardId = (typeof DASHBOARD_IDS)[number];

/** catalog/slos.ts: the SLOs and the burn-rate windows of their alerts. */
export const SLO_IDS = ['availability', 'latency'] as const;
export type SloId = (typeof SLO_IDS)[number];
export const BURN_WINDOW_IDS = ['fast', 'medium', 'slow'] as const;
export type BurnWindowId = (typeof BURN_WINDOW_IDS)[number];

/** A burn-rate alert: one per SLO and window (catalog/slos.ts `burnAlert`). */
export type SloAlertId = `slo_${SloId}_${BurnWindowId}_burn`;
/** Any alert policy of the catalog: the plan's (overridable per environment) and the SLO burn-rate ones. */
export type CatalogAlertId = AlertId | SloAlertId;
