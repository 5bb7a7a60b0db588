/**
 * A simulator scenario around a drill: the environment's quiet background traffic (traffic.md profile: diurnal request
 * counts by status, the usual latency distribution, passing uptime checks, normal database connections, a couple of
 * failed logins an hour) for as long as the stack's policies look back (historySeconds: the 24 h burn-rate window
 * today), plus the drill's entries at their planned times. Everything comes from the environment config and the
 * synthesized stack, nothing per alert.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EnvironmentConfig } from '../../environments/schema';
import {
  conditionLookbackSeconds,
  INGESTION_DELAYS,
  loadPolicyDocument,
  parseScenario,
  simulateScenario,
  type PolicySet,
  type ScenarioResult,
} from '../../gcp/simulate';
import type { DrillPlan } from '../../tools/drill/plan';
import { requestLogEntry } from '../../tools/shared/log-entries';

/** Evaluation starts this long before the drill (the drill's quiet lead-in); the time before it is history only. */
const LEAD_IN_SECONDS = 3600;
/** Background beyond the longest lookback, so that no window at the first evaluation starts at the data's edge. */
const HISTORY_MARGIN_SECONDS = 3600;
const AFTER_SECONDS = 45 * 60;

/**
 * How far back from one evaluation any policy of the set reads data: its conditions' longest lookback
 * (conditionLookbackSeconds: burn-rate lookback or alignment period, plus duration), plus the longest ingestion delay
 * (the engine aligns data as of T - delay).
 * With that much background before the first evaluation, every window of every policy is full from the start: the
 * drill begins from the same warmed-up steady state as with any longer history (the burn-rate alerts' 24 h today,
 * MAX_ALERT_BURN_RATE_LOOKBACK_SECONDS; was a stale 3-day constant).
 */
export function historySeconds(set: PolicySet): number {
  const longest = Math.max(0, ...set.policies.flatMap(({ policy }) => (policy.conditions ?? []).map(conditionLookbackSeconds)));
  return longest + Math.max(...INGESTION_DELAYS.map((d) => d.seconds)) + HISTORY_MARGIN_SECONDS;
}

const sets = new Map<string, { set: PolicySet; tf: Record<string, any>; historySeconds: number }>();
export function policySet(env: string): { set: PolicySet; tf: Record<string, any>; historySeconds: number } {
  if (!sets.has(env)) {
    const file = path.join(process.env.SYNTH_DIR!, 'stacks', env, 'cdk.tf.json');
    const tf = JSON.parse(fs.readFileSync(file, 'utf8'));
    const set = loadPolicyDocument(tf, file);
    sets.set(env, { set, tf, historySeconds: historySeconds(set) });
  }
  return sets.get(env)!;
}

export function background(env: EnvironmentConfig, now: Date): { series: Record<string, unknown>[]; logStreams: Record<string, unknown>[] } {
  const { set, tf } = policySet(env.name);
  const t = env.traffic;
  const diurnal = (seed: number, factor = 1) => ({
    product: [{ diurnal: { floor: t.floorRps, peak: t.peakRps, tzOffsetHours: t.utcOffsetHours } }, { noise: { pct: 20, seed } }, factor],
  });
  const run = {
    type: 'cloud_run_revision',
    labels: { service_name: env.services.api, revision_name: `${env.services.api}-00042-abc`, location: env.region, project_id: env.projectId },
  };
  const count = (code: string, cls: string, share: number, seed: number) => ({
    metric: { type: 'run.googleapis.com/request_count', labels: { response_code: code, response_code_class: cls } },
    resource: run,
    kind: 'DELTA',
    valueType: 'INT64',
    value: diurnal(seed, share),
  });
  const latencyMetric = set.logMetrics.find((m) => m.metric.name === 'vividly/api_request_latencies')!;
  const uptime = tf.resource.google_monitoring_uptime_check_config as Record<string, any>;
  const checks = Object.entries(uptime).flatMap(([name, c]) =>
    (c.selected_regions as string[]).map((region) => ({
      metric: { type: 'monitoring.googleapis.com/uptime_check/check_passed', labels: { check_id: name, checker_location: region.toLowerCase() } },
      resource: { type: c.monitored_resource.type, labels: c.monitored_resource.labels },
      kind: 'GAUGE',
      valueType: 'BOOL',
      value: 1,
    })),
  );
  const series: Record<string, unknown>[] = [
    count('200', '2xx', 1 - t.errorShare - t.rateLimitedShare, 1),
    count('500', '5xx', t.errorShare, 2),
    count('429', '4xx', t.rateLimitedShare, 3),
    {
      metric: { type: 'logging.googleapis.com/user/vividly/api_request_latencies', labels: {} },
      resource: run,
      kind: 'DELTA',
      valueType: 'DISTRIBUTION',
      latency: { p50: t.p95LatencySeconds / 3, p95: t.p95LatencySeconds, rate: diurnal(4), bucketOptions: latencyMetric.bucketOptions },
    },
    {
      metric: { type: 'cloudsql.googleapis.com/database/postgresql/num_backends', labels: { database: 'vividly' } },
      resource: { type: 'cloudsql_database', labels: { database_id: `${env.projectId}:${env.cloudSql.instance}`, project_id: env.projectId } },
      kind: 'GAUGE',
      valueType: 'INT64',
      value: {
        product: [
          { diurnal: { floor: t.dbConnectionsInUse[0], peak: t.dbConnectionsInUse[1], tzOffsetHours: t.utcOffsetHours } },
          { noise: { pct: 10, seed: 5 } },
        ],
      },
    },
    ...checks,
  ];
  // A normal user's failed logins (traffic.md: 2 an hour at peak), as real request-log lines, over the last hours.
  const failed = requestLogEntry(env.name, {
    projectId: env.projectId,
    location: env.region,
    service: env.services.api,
    method: 'POST',
    path: '/api/v1/auth/login',
    status: 401,
    remoteIp: '198.51.100.23',
    host: env.api.host,
  });
  const logStreams = [{ template: failed, rate: t.failedLoginsPerHourAtPeak / 3600, from: new Date(now.getTime() - 6 * 3600_000).toISOString() }];
  return { series, logStreams };
}

/** Simulates the drill's entries (at their planned times) over the environment's background. */
export function simulateDrill(env: EnvironmentConfig, plan: DrillPlan, now: Date): ScenarioResult {
  const { set, historySeconds: history } = policySet(env.name);
  const bg = background(env, now);
  const sc = parseScenario(
    {
      name: `drill ${plan.displayName} (${env.name}) at ${now.toISOString()}`,
      start: new Date(now.getTime() - (LEAD_IN_SECONDS + history) * 1000).toISOString(),
      end: new Date(
        now.getTime() + Math.max(plan.detectionDelaySeconds, ...plan.waves.map((w) => w.offsetSeconds)) * 1000 + AFTER_SECONDS * 1000,
      ).toISOString(),
      // Evaluate from an hour before the drill: the time before it is history for the policies' windows only.
      evaluateFrom: new Date(now.getTime() - LEAD_IN_SECONDS * 1000).toISOString(),
      incidentStart: now.toISOString(),
      series: bg.series,
      logStreams: bg.logStreams,
      logs: plan.waves.flatMap((w) => w.entries),
    },
    `drill-${env.name}-${plan.alertId}.yaml`,
  );
  return simulateScenario(set, sc);
}
