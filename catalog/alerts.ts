/**
 * The plan's eight alert policies (and the push worker's check), as data: thresholds, windows, severities,
 * owners and the detection delay each one promises. Environments override `defaults` (environments/*.ts).
 *
 * Shares are ratios of counts over a window, never per-second rates (the app's own "High Error Rate" compares
 * 0.05 5xx a second: vividly-app.md §1.8), each with a low-traffic guard ANDed to it.
 */
import { ALERT_IDS, AlertId, EnvironmentConfig, EnvironmentError } from '../environments/schema';
import { FAILURES_PER_LOCKOUT, SELECT } from './signals';
import { lowTrafficGuard } from './guards';
import type { SignalId } from './ids';
import { MAX_BURN_RATE_LOOKBACK_SECONDS, SLOS, sloAlerts, sloById, sloSettings } from './slos';
import { isSloCondition, type AlertParams, type AlertSpec, type ConditionSpec } from './types';

const byService = ['resource.label.service_name'];

/** Cloud Monitoring evaluates metric conditions about every 30 s and log-based points arrive per minute; see detection delays. */
const EVALUATION_SLACK_SECONDS = 180;

/** The low-traffic guard: the window must hold at least `minRequests` real requests besides the uptime probes. */
const minimumTraffic = (params: AlertParams): ConditionSpec => lowTrafficGuard(params.minRequests ?? 1, params.windowSeconds, params.durationSeconds);

function share(displayName: string, where: string, params: AlertParams): ConditionSpec {
  return {
    displayName,
    query: { signal: 'api_requests', where, aligner: 'ALIGN_DELTA', reducer: 'REDUCE_SUM', groupBy: byService },
    denominator: { signal: 'api_requests', aligner: 'ALIGN_DELTA', reducer: 'REDUCE_SUM', groupBy: byService },
    alignmentSeconds: params.windowSeconds,
    comparison: 'COMPARISON_GT',
    threshold: params.threshold,
    durationSeconds: params.durationSeconds,
  };
}

/**
 * A share just above its threshold shows only once the window is full of the incident's traffic: window, then
 * the condition's duration, then Cloud Run's ingestion delay and evaluation (EVALUATION_SLACK_SECONDS).
 */
const shareDetectionDelay = (p: AlertParams) => p.windowSeconds + p.durationSeconds + EVALUATION_SLACK_SECONDS;

const minutes = (s: number) => `${s / 60} min`;
const percent = (x: number) => `${+(x * 100).toFixed(2)} %`;

/** The plan's alerts carry an AlertId: environments may override them by that id. */
export type PlanAlertSpec = AlertSpec & { id: AlertId };

export const alerts: PlanAlertSpec[] = [
  {
    id: 'bruteForceAttack',
    displayName: 'Brute Force Attack',
    severity: 'CRITICAL',
    team: 'security',
    firesWhen: 'more than 5 account lockouts attributable to one client IP within a rolling hour',
    defaults: { enabled: true, threshold: 5, windowSeconds: 3600, durationSeconds: 0 },
    combiner: 'AND',
    conditions: (p) => [
      {
        displayName: `More than ${p.threshold} account lockouts in ${minutes(p.windowSeconds)}`,
        query: { signal: 'lockouts', aligner: 'ALIGN_DELTA', reducer: 'REDUCE_SUM', groupBy: byService },
        alignmentSeconds: p.windowSeconds,
        comparison: 'COMPARISON_GT',
        threshold: p.threshold,
        durationSeconds: p.durationSeconds,
      },
      {
        // The app's lockout lines carry only the proxy address (vividly-app.md §2.6), so lockouts are attributed to a
        // client IP through its failed logins in Cloud Run's request logs: a lockout takes 5 failures of one (IP,
        // e-mail) within the hour (security.py:57-148), so more than `threshold` lockouts from one IP take at least
        // (threshold + 1) x 5 failures from it. Both conditions must hold: lockouts happened, and one IP failed
        // that often. (An attacker hammering a single account relocks it with fewer failures, but only once per
        // 300 s lockout: that is the rate limiter's case, not a brute-force storm.)
        displayName: `One client IP with at least ${(p.threshold + 1) * FAILURES_PER_LOCKOUT} failed logins in ${minutes(p.windowSeconds)}`,
        query: {
          signal: 'auth_rejections_by_ip',
          where: SELECT.failedLoginsByIp,
          aligner: 'ALIGN_DELTA',
          reducer: 'REDUCE_SUM',
          groupBy: ['metric.label.client_ip'],
        },
        alignmentSeconds: p.windowSeconds,
        comparison: 'COMPARISON_GT',
        threshold: (p.threshold + 1) * FAILURES_PER_LOCKOUT - 1,
        durationSeconds: p.durationSeconds,
      },
    ],
    detectionDelaySeconds: (p) => p.durationSeconds + EVALUATION_SLACK_SECONDS + 120,
    runbook: 'brute-force-attack.md',
    dashboard: 'authentication',
  },
  {
    id: 'ddosAttempt',
    displayName: 'DDoS Attempt',
    severity: 'CRITICAL',
    team: 'engineering',
    firesWhen: 'more than 1000 requests rejected by rate limiting (429) within 5 minutes',
    defaults: { enabled: true, threshold: 1000, windowSeconds: 300, durationSeconds: 0 },
    combiner: 'OR',
    conditions: (p) => [
      {
        displayName: `More than ${p.threshold} requests rejected with 429 in ${minutes(p.windowSeconds)}`,
        query: { signal: 'api_requests', where: SELECT.rateLimited, aligner: 'ALIGN_DELTA', reducer: 'REDUCE_SUM', groupBy: byService },
        alignmentSeconds: p.windowSeconds,
        comparison: 'COMPARISON_GT',
        threshold: p.threshold,
        durationSeconds: p.durationSeconds,
      },
    ],
    detectionDelaySeconds: (p) => p.durationSeconds + EVALUATION_SLACK_SECONDS + 120,
    runbook: 'ddos-attempt.md',
    dashboard: 'rate-limiting',
  },
  {
    id: 'serviceDown',
    displayName: 'Service Down',
    severity: 'CRITICAL',
    team: 'engineering',
    firesWhen: "the API's health check has been failing for 2 minutes",
    // threshold: how many checker locations must fail at once (more than one, so one region's blip never pages).
    defaults: { enabled: true, threshold: 1, windowSeconds: 300, durationSeconds: 120 },
    combiner: 'OR',
    conditions: (p) => [
      {
        displayName: `/health failing from more than ${p.threshold} checker location for ${minutes(p.durationSeconds)}`,
        query: { signal: 'uptime_passed', aligner: 'ALIGN_NEXT_OLDER', reducer: 'REDUCE_COUNT_FALSE', groupBy: ['resource.label.host'] },
        alignmentSeconds: p.windowSeconds,
        comparison: 'COMPARISON_GT',
        threshold: p.threshold,
        durationSeconds: p.durationSeconds,
        uptimeCheck: 'api',
      },
    ],
    detectionDelaySeconds: (p) => 60 + p.durationSeconds + EVALUATION_SLACK_SECONDS,
    runbook: 'service-down.md',
    dashboard: 'system-overview',
  },
  {
    id: 'highErrorRate',
    displayName: 'High Error Rate',
    severity: 'CRITICAL',
    team: 'engineering',
    firesWhen: "5xx responses are more than 5 % of the API's requests over 5 minutes",
    defaults: { enabled: true, threshold: 0.05, windowSeconds: 300, durationSeconds: 0, minRequests: 100 },
    thresholdKind: 'share',
    combiner: 'AND',
    conditions: (p) => [share(`5xx share above ${percent(p.threshold)} over ${minutes(p.windowSeconds)}`, SELECT.serverErrors, p), minimumTraffic(p)],
    detectionDelaySeconds: shareDetectionDelay,
    runbook: 'high-error-rate.md',
    dashboard: 'system-overview',
  },
  {
    id: 'elevatedRateLimiting',
    displayName: 'Elevated Rate Limiting',
    severity: 'WARNING',
    team: 'engineering',
    firesWhen: "429 responses are more than 10 % of the API's requests",
    defaults: { enabled: true, threshold: 0.1, windowSeconds: 300, durationSeconds: 300, minRequests: 100 },
    thresholdKind: 'share',
    combiner: 'AND',
    conditions: (p) => [share(`429 share above ${percent(p.threshold)} over ${minutes(p.windowSeconds)}`, SELECT.rateLimited, p), minimumTraffic(p)],
    detectionDelaySeconds: shareDetectionDelay,
    runbook: 'elevated-rate-limiting.md',
    dashboard: 'rate-limiting',
  },
  {
    id: 'performanceDegradation',
    displayName: 'Performance Degradation',
    severity: 'WARNING',
    team: 'engineering',
    firesWhen: "the API's p95 latency is above 2 seconds for 10 minutes",
    // A 1-minute window: "above 2 s for 10 minutes" means ten consecutive minutes, so an 8-minute bump stays quiet.
    defaults: { enabled: true, threshold: 2, windowSeconds: 60, durationSeconds: 600 },
    combiner: 'OR',
    conditions: (p) => [
      {
        displayName: `p95 latency above ${p.threshold} s for ${minutes(p.durationSeconds)} (without the streaming endpoint)`,
        query: { signal: 'api_latency', aligner: 'ALIGN_DELTA', reducer: 'REDUCE_PERCENTILE_95', groupBy: byService },
        alignmentSeconds: p.windowSeconds,
        comparison: 'COMPARISON_GT',
        threshold: p.threshold,
        durationSeconds: p.durationSeconds,
      },
    ],
    detectionDelaySeconds: (p) => p.windowSeconds + p.durationSeconds + EVALUATION_SLACK_SECONDS,
    runbook: 'performance-degradation.md',
    dashboard: 'system-overview',
  },
  {
    id: 'databaseConnectionIssues',
    displayName: 'Database Connection Issues',
    severity: 'WARNING',
    team: 'engineering',
    firesWhen: "database connections are above 80 % of capacity (Cloud SQL's max_connections) or the app's connection pool is exhausted",
    // threshold: the share of max_connections; window/duration apply to the connection count.
    defaults: { enabled: true, threshold: 0.8, windowSeconds: 60, durationSeconds: 300 },
    thresholdKind: 'share',
    combiner: 'OR',
    conditions: (p, env: EnvironmentConfig) => [
      {
        displayName: `Connections above ${percent(p.threshold)} of max_connections (${Math.floor(p.threshold * env.cloudSql.maxConnections)} of ${env.cloudSql.maxConnections}) for ${minutes(p.durationSeconds)}`,
        query: { signal: 'db_connections', aligner: 'ALIGN_MAX', reducer: 'REDUCE_SUM', groupBy: ['resource.label.database_id'] },
        alignmentSeconds: p.windowSeconds,
        comparison: 'COMPARISON_GT',
        threshold: Math.floor(p.threshold * env.cloudSql.maxConnections),
        durationSeconds: p.durationSeconds,
      },
      {
        displayName: 'Connection pool exhausted or connections refused (app log)',
        query: { signal: 'db_connection_errors', aligner: 'ALIGN_DELTA', reducer: 'REDUCE_SUM', groupBy: byService },
        alignmentSeconds: 300,
        comparison: 'COMPARISON_GT',
        threshold: 0,
        durationSeconds: 0,
      },
    ],
    detectionDelaySeconds: (p) => p.windowSeconds + p.durationSeconds + EVALUATION_SLACK_SECONDS + 165,
    runbook: 'database-connection-issues.md',
    dashboard: 'system-overview',
  },
  {
    id: 'authenticationFailuresSpike',
    displayName: 'Authentication Failures Spike',
    severity: 'WARNING',
    team: 'security',
    firesWhen: 'more than 100 failed logins within 10 minutes',
    defaults: { enabled: true, threshold: 100, windowSeconds: 600, durationSeconds: 0 },
    combiner: 'OR',
    conditions: (p) => [
      {
        displayName: `More than ${p.threshold} failed logins (401/403) in ${minutes(p.windowSeconds)}`,
        query: {
          signal: 'tracked_route_requests',
          where: SELECT.failedLogins,
          aligner: 'ALIGN_DELTA',
          reducer: 'REDUCE_SUM',
          groupBy: byService,
        },
        alignmentSeconds: p.windowSeconds,
        comparison: 'COMPARISON_GT',
        threshold: p.threshold,
        durationSeconds: p.durationSeconds,
      },
    ],
    detectionDelaySeconds: (p) => p.durationSeconds + EVALUATION_SLACK_SECONDS + 120,
    runbook: 'authentication-failures-spike.md',
    dashboard: 'authentication',
  },
  {
    id: 'pushWorkerDown',
    displayName: 'Push Worker Down',
    severity: 'WARNING',
    team: 'engineering',
    firesWhen: "the push worker's health check fails from more than one location for 5 minutes",
    defaults: { enabled: true, threshold: 1, windowSeconds: 300, durationSeconds: 300 },
    combiner: 'OR',
    conditions: (p) => [
      {
        displayName: `Push worker /health failing from more than ${p.threshold} checker location for ${minutes(p.durationSeconds)}`,
        query: { signal: 'worker_uptime_passed', aligner: 'ALIGN_NEXT_OLDER', reducer: 'REDUCE_COUNT_FALSE', groupBy: ['resource.label.service_name'] },
        alignmentSeconds: p.windowSeconds,
        comparison: 'COMPARISON_GT',
        threshold: p.threshold,
        durationSeconds: p.durationSeconds,
        uptimeCheck: 'pushWorker',
      },
    ],
    detectionDelaySeconds: (p) => 60 + p.durationSeconds + EVALUATION_SLACK_SECONDS,
    runbook: 'push-worker-down.md',
    dashboard: 'content-generation',
  },
];

/** The eight policies of the plan (the push worker's check is an addition). */
export const PLAN_ALERT_IDS = alerts.filter((a) => a.id !== 'pushWorkerDown').map((a) => a.id);

export interface ResolvedAlert {
  spec: AlertSpec;
  params: AlertParams;
  conditions: ConditionSpec[];
  detectionDelaySeconds: number;
  /** The signals the conditions read (signalsRead): derived, never listed by hand. */
  signals: SignalId[];
}

/** The signals conditions read, in order of first use: each query and denominator, and an SLO condition's SLI signals. */
export function signalsRead(conditions: readonly ConditionSpec[]): SignalId[] {
  const read = conditions.flatMap((c) =>
    isSloCondition(c) ? sloById(c.sloBurnRate.slo).signals : [c.query.signal, ...(c.denominator ? [c.denominator.signal] : [])],
  );
  return [...new Set(read)];
}

/** Alignment periods of alerting policies: at least 60 s, at most 90,000 s (25 h) (gcp-facts §1.5). */
export const ALERT_ALIGNMENT_LIMITS = { min: 60, max: 90_000 } as const;

/** One thing about an environment's alert that the API would reject or that can never fire. */
export interface AlertConfigProblem {
  /** The file to change: the environment's file when it sets the value, else the catalog's. */
  file: string;
  field: string;
  reason: string;
}

const envFile = (env: EnvironmentConfig) => `environments/${env.name}.ts`;

/**
 * What the API would reject or what can never fire, for one alert resolved for one environment: shares outside
 * (0, 1), burn rates whose error ratio b x (1 - goal) is 1 or more, burn-rate lookbacks over 24 h (gcp-facts §10),
 * alignment periods outside 60 s .. 25 h (gcp-facts §1.5).
 */
export function alertConfigProblems(spec: AlertSpec, params: AlertParams, conditions: ConditionSpec[], env: EnvironmentConfig): AlertConfigProblem[] {
  const problems: AlertConfigProblem[] = [];
  const override = ((ALERT_IDS as readonly string[]).includes(spec.id) ? env.alerts[spec.id as AlertId] : undefined) ?? {};
  const paramField = (key: keyof AlertParams) =>
    override[key as keyof typeof override] !== undefined
      ? { file: envFile(env), field: `alerts.${spec.id}.${key}` }
      : { file: spec.id.startsWith('slo_') ? 'catalog/slos.ts' : 'catalog/alerts.ts', field: `${spec.id}.defaults.${key}` };

  if (spec.thresholdKind === 'share' && !(params.threshold > 0 && params.threshold < 1)) {
    problems.push({
      ...paramField('threshold'),
      reason: `${params.threshold} is a share and must lie between 0 and 1 (${+(params.threshold * 100).toFixed(2)} % can never be reached)`,
    });
  }
  for (const c of conditions) {
    if (isSloCondition(c)) {
      const slo = SLOS.find((s) => s.id === c.sloBurnRate.slo);
      const settings = sloSettings(env);
      const goal = slo ? slo.goal(settings) : undefined;
      if (goal !== undefined && c.threshold * (1 - goal) >= 1) {
        const goalKey = slo!.id === 'availability' ? 'availabilityGoal' : 'latencyGoal';
        const where =
          env.slo?.[goalKey] !== undefined ? { file: envFile(env), field: `slo.${goalKey}` } : { file: 'catalog/slos.ts', field: `SLO_DEFAULTS.${goalKey}` };
        problems.push({
          ...where,
          reason:
            `goal ${goal} leaves an error budget of ${+((1 - goal) * 100).toFixed(3)} %, so the burn rate can never exceed ${+(1 / (1 - goal)).toFixed(2)}: ` +
            `"${spec.displayName}" (above ${c.threshold}x) can never fire; the goal must be above ${+(1 - 1 / c.threshold).toFixed(4)}`,
        });
      }
      if (c.sloBurnRate.lookbackSeconds > MAX_BURN_RATE_LOOKBACK_SECONDS) {
        problems.push({
          file: 'catalog/slos.ts',
          field: `BURN_RATE_WINDOWS (${spec.id})`,
          reason: `a burn-rate lookback of ${c.sloBurnRate.lookbackSeconds} s is over 24 h, which Cloud Monitoring alerts cannot use (gcp-facts §10, "Alerting on your burn rate")`,
        });
      }
    } else if (c.alignmentSeconds < ALERT_ALIGNMENT_LIMITS.min || c.alignmentSeconds > ALERT_ALIGNMENT_LIMITS.max) {
      const where =
        c.alignmentSeconds === params.windowSeconds
          ? paramField('windowSeconds')
          : { file: 'catalog/alerts.ts', field: `${spec.id}: condition "${c.displayName}"` };
      problems.push({
        ...where,
        reason: `a window of ${c.alignmentSeconds} s is outside ${ALERT_ALIGNMENT_LIMITS.min} s .. ${ALERT_ALIGNMENT_LIMITS.max} s (25 h), the alignment periods alerting policies accept (gcp-facts §1.5)`,
      });
    }
  }
  return problems.filter((p, i) => problems.findIndex((q) => q.file === p.file && q.field === p.field && q.reason === p.reason) === i);
}

/** The alert with the environment's overrides applied. Throws EnvironmentError if it is one the API rejects or that can never fire. */
export function resolveAlert(spec: AlertSpec, env: EnvironmentConfig): ResolvedAlert {
  const override = ((ALERT_IDS as readonly string[]).includes(spec.id) ? env.alerts[spec.id as AlertId] : undefined) ?? {};
  const params: AlertParams = { ...spec.defaults, ...Object.fromEntries(Object.entries(override).filter(([, v]) => v !== undefined)) };
  const conditions = spec.conditions(params, env);
  const problems = alertConfigProblems(spec, params, conditions, env);
  if (problems.length) {
    throw new EnvironmentError(problems.map((p) => `${p.file}: environment "${env.name}": field "${p.field}": ${p.reason}`).join('\n'));
  }
  // Only an alert that can fire gets a detection promise.
  return { spec, params, conditions, detectionDelaySeconds: spec.detectionDelaySeconds(params), signals: signalsRead(conditions) };
}

/** Every alert of an environment: the plan's, then the SLO burn-rate alerts (catalog/slos.ts). Throws EnvironmentError listing every problem. */
export function resolveAlerts(env: EnvironmentConfig): ResolvedAlert[] {
  const resolved: ResolvedAlert[] = [];
  const messages: string[] = [];
  for (const a of [...alerts, ...sloAlerts(env)]) {
    try {
      resolved.push(resolveAlert(a, env));
    } catch (err) {
      if (!(err instanceof EnvironmentError)) throw err;
      messages.push(err.message);
    }
  }
  if (messages.length) throw new EnvironmentError([...new Set(messages.join('\n').split('\n'))].join('\n'));
  return resolved;
}
