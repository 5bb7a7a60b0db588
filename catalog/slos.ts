/**
 * Service-level objectives of the API and their multi-window, multi-burn-rate alerts (Google SRE workbook,
 * "Alerting on SLOs"). The windows table is data: each row becomes one policy per SLO whose conditions must all
 * hold — the long window proves the burn is real, the short one that it is still happening — plus a low-traffic
 * guard, so a handful of requests cannot burn a day's budget in a minute.
 */
import { MAX_ALERT_BURN_RATE_LOOKBACK_SECONDS } from '../gcp/filter';
import type { EnvironmentConfig } from '../environments/schema';
import { lowTrafficGuard } from './guards';
import type { BurnWindowId, SignalId, SloId } from './ids';
import type { AlertParams, AlertSpec, ConditionSpec, Severity } from './types';

/** The monitored service's id (`google_monitoring_custom_service.service_id`). */
export const SLO_SERVICE_ID = 'vividly-api';

/**
 * An SLO's resource name for time-series selectors. Google accepts the project id or number here ("Retrieving SLO
 * data"), so dashboards can name it without a Terraform reference.
 */
export const sloResourceName = (env: EnvironmentConfig, sloId: string) =>
  `projects/${env.projectId}/services/${SLO_SERVICE_ID}/serviceLevelObjectives/${sloId}`;

export const SLO_DEFAULTS = {
  availabilityGoal: 0.995,
  latencyGoal: 0.95,
  latencyThresholdSeconds: 2,
  rollingDays: 28,
  minRequestsPerMinute: 5,
};

export type SloSettings = typeof SLO_DEFAULTS;

export function sloSettings(env: EnvironmentConfig): SloSettings {
  const overrides = Object.fromEntries(Object.entries(env.slo ?? {}).filter(([, v]) => v !== undefined));
  return { ...SLO_DEFAULTS, ...overrides };
}

export interface BurnRateWindow {
  id: BurnWindowId;
  /** The long window (the `select_slo_burn_rate` lookback); its burn rate must be above the threshold. */
  longSeconds: number;
  /** The short window (1/12 of the long one); its burn rate must be above the threshold too. */
  shortSeconds: number;
  /** The share of the SLO's whole error budget (its rolling period) that may burn within the long window. */
  budgetShare: number;
  severity: Severity;
  action: 'page' | 'ticket';
}

/** Cloud Monitoring alerts cannot read a burn rate over more than 24 hours: the library's fact (gcp-facts §10). */
export const MAX_BURN_RATE_LOOKBACK_SECONDS = MAX_ALERT_BURN_RATE_LOOKBACK_SECONDS;

/**
 * THE burn-rate windows: every number of the burn-rate alerts and the Error Budget charts comes from this table.
 *
 * - Budget shares and the 1/12 short windows: Google's SRE workbook, "Alerting on SLOs" (multiwindow, multi-burn-rate
 *   alerts): page when 2 % of the budget burns in 1 h or 5 % in 6 h; ticket when 10 % burns in 3 d.
 * - The ticket's window: the workbook's 3 d lookback is not possible in Cloud Monitoring, which bases burn-rate alerts
 *   on at most 24 hours (MAX_BURN_RATE_LOOKBACK_SECONDS). It keeps the workbook's 10 % share over the longest allowed
 *   window, 24 h, with a 2 h short window (1/12).
 * - Thresholds: a burn rate b over a window W spends b x W / P of the budget of a rolling period P, so the threshold
 *   of a row is budgetShare x P / W (burnRateThreshold). With the project's 28-day period: 13.44x over 1 h, 5.6x over
 *   6 h, 2.8x over 24 h. (The workbook's 14.4 and 6 are the same shares of a 30-day budget.)
 * - An alert can fire only if threshold x (1 - goal) < 1 (an error ratio is at most 1): checked at synth for every
 *   environment (sloAlertProblems).
 */
export const BURN_RATE_WINDOWS: BurnRateWindow[] = [
  { id: 'fast', longSeconds: 3600, shortSeconds: 300, budgetShare: 0.02, severity: 'CRITICAL', action: 'page' },
  { id: 'medium', longSeconds: 6 * 3600, shortSeconds: 1800, budgetShare: 0.05, severity: 'CRITICAL', action: 'page' },
  { id: 'slow', longSeconds: 24 * 3600, shortSeconds: 2 * 3600, budgetShare: 0.1, severity: 'WARNING', action: 'ticket' },
];

/** The burn rate at which a window spends its share of the budget: budgetShare x rolling period / long window. */
export function burnRateThreshold(window: BurnRateWindow, settings: Pick<SloSettings, 'rollingDays'>): number {
  return +((window.budgetShare * settings.rollingDays * 86_400) / window.longSeconds).toFixed(4);
}

export interface SloSpec {
  id: SloId;
  title: string;
  /** The signals its SLI reads (constructs/slos.ts): what a burn-rate condition on it reads. */
  signals: SignalId[];
  describe: (s: SloSettings) => string;
  /** The SLO's display name (at most 100 characters). */
  name: (s: SloSettings) => string;
  goal: (s: SloSettings) => number;
}

export const SLOS: SloSpec[] = [
  {
    id: 'availability',
    title: 'Availability',
    signals: ['api_requests'],
    describe: (s) => `${+(s.availabilityGoal * 100).toFixed(3)} % of API requests answered without a 5xx over a rolling ${s.rollingDays} days`,
    name: (s) => `Availability: ${+(s.availabilityGoal * 100).toFixed(3)} % of requests without 5xx, rolling ${s.rollingDays} days`,
    goal: (s) => s.availabilityGoal,
  },
  {
    id: 'latency',
    title: 'Latency',
    signals: ['api_latency'],
    describe: (s) =>
      `${+(s.latencyGoal * 100).toFixed(3)} % of API requests (without the streaming endpoint) answered within ${s.latencyThresholdSeconds} s over a rolling ${s.rollingDays} days`,
    name: (s) => `Latency: ${+(s.latencyGoal * 100).toFixed(3)} % of requests within ${s.latencyThresholdSeconds} s, rolling ${s.rollingDays} days`,
    goal: (s) => s.latencyGoal,
  },
];

export function sloById(id: SloId): SloSpec {
  const slo = SLOS.find((s) => s.id === id);
  if (!slo) throw new Error(`catalog: unknown SLO "${id}"`);
  return slo;
}

export const humanWindow = (seconds: number) =>
  seconds % 86400 === 0 && seconds > 86400 ? `${seconds / 86400} d` : seconds % 3600 === 0 ? `${seconds / 3600} h` : `${seconds / 60} min`;
const human = humanWindow;

function burnAlert(slo: SloSpec, window: BurnRateWindow, settings: SloSettings): AlertSpec {
  // Real requests (uptime probes are added by the guard itself, catalog/guards.ts).
  const minRequests = Math.ceil(settings.minRequestsPerMinute * (window.shortSeconds / 60));
  const threshold = burnRateThreshold(window, settings);
  const conditions = (p: AlertParams): ConditionSpec[] => [
    {
      displayName: `${slo.title} burn rate above ${p.threshold} over ${human(window.longSeconds)}`,
      sloBurnRate: { slo: slo.id, lookbackSeconds: window.longSeconds },
      comparison: 'COMPARISON_GT',
      threshold: p.threshold,
      durationSeconds: 0,
    },
    {
      displayName: `${slo.title} burn rate above ${p.threshold} over ${human(window.shortSeconds)}`,
      sloBurnRate: { slo: slo.id, lookbackSeconds: window.shortSeconds },
      comparison: 'COMPARISON_GT',
      threshold: p.threshold,
      durationSeconds: 0,
    },
    lowTrafficGuard(p.minRequests ?? minRequests, window.shortSeconds, 0),
  ];
  return {
    id: `slo_${slo.id}_${window.id}_burn`,
    displayName: `SLO ${slo.title} burn rate (${window.action}, ${human(window.longSeconds)}/${human(window.shortSeconds)})`,
    severity: window.severity,
    team: 'engineering',
    firesWhen:
      `${+(window.budgetShare * 100).toFixed(2)} % of the ${slo.title.toLowerCase()} error budget burns within ${human(window.longSeconds)}: ` +
      `faster than ${threshold}x over both ${human(window.longSeconds)} and ${human(window.shortSeconds)} (${slo.describe(settings)})`,
    defaults: { enabled: true, threshold, windowSeconds: window.longSeconds, durationSeconds: 0, minRequests },
    thresholdKind: 'burnRate',
    combiner: 'AND',
    conditions,
    // The promise is for a full outage: the long window's error ratio passes threshold x budget after
    // long x threshold x budget seconds, plus evaluation and ingestion slack. A burn at error ratio r takes
    // about budget x threshold / r of the long window instead (30 % errors: ~16 min for the 1 h page; 1.5 %
    // for a day: ~22 h for the 24 h ticket): slower burns take longer on purpose. Only meaningful for an alert
    // that can fire (threshold x budget < 1): resolveAlert refuses the others before asking for a promise.
    detectionDelaySeconds: (p) => Math.ceil(window.longSeconds * p.threshold * (1 - slo.goal(settings))) + 300,
    runbook: 'slo-burn-rate.md',
    dashboard: 'error-budget',
  };
}

export function sloAlerts(env: EnvironmentConfig): AlertSpec[] {
  const settings = sloSettings(env);
  return SLOS.flatMap((slo) => BURN_RATE_WINDOWS.map((w) => burnAlert(slo, w, settings)));
}
