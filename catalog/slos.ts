/**
 * Service-level objectives of the API and their multi-window, multi-burn-rate alerts (Google SRE workbook,
 * "Alerting on SLOs"). The windows table is data: each row becomes one policy per SLO whose conditions must all
 * hold — the long window proves the burn is real, the short one that it is still happening — plus a low-traffic
 * guard, so a handful of requests cannot burn a day's budget in a minute.
 */
import type { EnvironmentConfig } from '../environments/schema';
import type { BurnWindowId, SignalId, SloId } from './ids';
import type { AlertParams, AlertSpec, ConditionSpec, Severity } from './types';

/** The monitored service's id (`google_monitoring_custom_service.service_id`). */
export const SLO_SERVICE_ID = 'vividly-api';

/**
 * An SLO's resource name for time-series selectors. Google accepts the project id or number here ("Retrieving SLO
 * data"), so dashboards can name it without a Terraform reference.
 */
export const sloResourceName = (env: EnvironmentConfig, sloId: string) => `projects/${env.projectId}/services/${SLO_SERVICE_ID}/serviceLevelObjectives/${sloId}`;

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
  /** The long window; its burn rate must be above `burnRate`. */
  longSeconds: number;
  /** The short window (1/12 of the long one); its burn rate must be above `burnRate` too. */
  shortSeconds: number;
  burnRate: number;
  severity: Severity;
  action: 'page' | 'ticket';
}

/**
 * The default windows: page when 2 % of a 28-day budget burns in an hour (14.4x) or 5 % in six hours (6x); open a
 * ticket when 10 % burns in three days (1x). The 3-day lookback exceeds the 25-hour limit on alignment periods,
 * which `select_slo_burn_rate` does not use (its lookback is the selector's own argument; its maximum is not
 * documented: UNCONFIRMED).
 */
export const BURN_RATE_WINDOWS: BurnRateWindow[] = [
  { id: 'fast', longSeconds: 3600, shortSeconds: 300, burnRate: 14.4, severity: 'CRITICAL', action: 'page' },
  { id: 'medium', longSeconds: 6 * 3600, shortSeconds: 1800, burnRate: 6, severity: 'CRITICAL', action: 'page' },
  { id: 'slow', longSeconds: 3 * 24 * 3600, shortSeconds: 6 * 3600, burnRate: 1, severity: 'WARNING', action: 'ticket' },
];

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
    describe: (s) => `${+(s.latencyGoal * 100).toFixed(3)} % of API requests (without the streaming endpoint) answered within ${s.latencyThresholdSeconds} s over a rolling ${s.rollingDays} days`,
    name: (s) => `Latency: ${+(s.latencyGoal * 100).toFixed(3)} % of requests within ${s.latencyThresholdSeconds} s, rolling ${s.rollingDays} days`,
    goal: (s) => s.latencyGoal,
  },
];

export function sloById(id: SloId): SloSpec {
  const slo = SLOS.find((s) => s.id === id);
  if (!slo) throw new Error(`catalog: unknown SLO "${id}"`);
  return slo;
}

const human = (seconds: number) => (seconds % 86400 === 0 ? `${seconds / 86400} d` : seconds % 3600 === 0 ? `${seconds / 3600} h` : `${seconds / 60} min`);

function burnAlert(slo: SloSpec, window: BurnRateWindow, settings: SloSettings): AlertSpec {
  const minRequests = Math.ceil(settings.minRequestsPerMinute * (window.shortSeconds / 60));
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
    {
      displayName: `At least ${minRequests} API requests in ${human(window.shortSeconds)} (low-traffic guard)`,
      query: { signal: 'api_requests', aligner: 'ALIGN_DELTA', reducer: 'REDUCE_SUM', groupBy: ['resource.label.service_name'] },
      alignmentSeconds: window.shortSeconds,
      comparison: 'COMPARISON_GT',
      threshold: minRequests - 1,
      durationSeconds: 0,
    },
  ];
  return {
    id: `slo_${slo.id}_${window.id}_burn`,
    displayName: `SLO ${slo.title} burn rate (${window.action}, ${human(window.longSeconds)}/${human(window.shortSeconds)})`,
    severity: window.severity,
    team: 'engineering',
    firesWhen: `the ${slo.title.toLowerCase()} error budget burns faster than ${window.burnRate}x over both ${human(window.longSeconds)} and ${human(window.shortSeconds)} (${slo.describe(settings)})`,
    defaults: { enabled: true, threshold: window.burnRate, windowSeconds: window.longSeconds, durationSeconds: 0, minRequests },
    combiner: 'AND',
    conditions,
    // The promise is for a full outage: the long window's error ratio passes burnRate x budget after
    // long x burnRate x budget seconds, plus evaluation and ingestion slack. A burn at error ratio r takes
    // about budget x burnRate / r of the long window instead (30 % errors: ~18 min for the 1 h page; 1.5 %
    // for days: ~14 h for the 3 d ticket): slower burns take longer on purpose.
    detectionDelaySeconds: () => Math.ceil(window.longSeconds * window.burnRate * (1 - slo.goal(settings))) + 300,
    runbook: 'slo-burn-rate.md',
    dashboard: 'error-budget',
  };
}

export function sloAlerts(env: EnvironmentConfig): AlertSpec[] {
  const settings = sloSettings(env);
  return SLOS.flatMap((slo) => BURN_RATE_WINDOWS.map((w) => burnAlert(slo, w, settings)));
}
