import * as fs from 'node:fs';
import * as path from 'node:path';
import { alerts, PLAN_ALERT_IDS, resolveAlerts } from '../../catalog/alerts';
import { dashboards } from '../../catalog/dashboards';
import { planMetrics, signalById, signals } from '../../catalog/signals';
import { SLOS, sloSettings } from '../../catalog/slos';
import { loadEnvironments } from '../../environments';

const envs = loadEnvironments();

describe('the catalog', () => {
  it('has unique signal ids and log metric names', () => {
    const ids = signals.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    const names = signals.filter((s) => s.logMetric).map((s) => s.logMetric!.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('covers the thirteen metrics of the plan', () => {
    expect(planMetrics.map((m) => m.name).sort()).toEqual(
      [
        'rate_limit_hits_total',
        'rate_limit_exceeded_total',
        'brute_force_lockouts_total',
        'rate_limit_middleware_latency_ms',
        'auth_login_attempts_total',
        'auth_login_failures_total',
        'auth_token_refresh_total',
        'auth_session_duration_seconds',
        'auth_active_sessions',
        'http_request_total',
        'http_request_duration_seconds',
        'content_generation_requests_total',
        'content_generation_duration_seconds',
      ].sort(),
    );
    for (const m of planMetrics) for (const id of m.signals) expect(() => signalById(id)).not.toThrow();
  });

  it('holds the eight alerts of the plan with their severities', () => {
    const plan = alerts.filter((a) => PLAN_ALERT_IDS.includes(a.id));
    expect(plan.map((a) => [a.displayName, a.severity])).toEqual([
      ['Brute Force Attack', 'CRITICAL'],
      ['DDoS Attempt', 'CRITICAL'],
      ['Service Down', 'CRITICAL'],
      ['High Error Rate', 'CRITICAL'],
      ['Elevated Rate Limiting', 'WARNING'],
      ['Performance Degradation', 'WARNING'],
      ['Database Connection Issues', 'WARNING'],
      ['Authentication Failures Spike', 'WARNING'],
    ]);
  });

  it.each(envs.map((e) => [e.name, e] as const))('%s: every alert reads known signals, and names a runbook and a dashboard', (_name, env) => {
    for (const alert of resolveAlerts(env)) {
      expect(alert.signals.length).toBeGreaterThanOrEqual(1);
      for (const id of alert.signals) expect(() => signalById(id)).not.toThrow();
      expect(fs.existsSync(path.resolve(__dirname, '..', '..', 'runbooks', alert.spec.runbook))).toBe(true);
      expect(dashboards.map((d) => d.id)).toContain(alert.spec.dashboard);
      expect(alert.conditions.length).toBeGreaterThanOrEqual(1);
      expect(alert.conditions.length).toBeLessThanOrEqual(6);
    }
  });

  it('applies an environment override to the threshold, window and guard', () => {
    const prod = envs.find((e) => e.name === 'prod')!;
    const tuned = { ...prod, alerts: { highErrorRate: { threshold: 0.02, windowSeconds: 600, minRequests: 500 } } };
    const alert = resolveAlerts(tuned).find((a) => a.spec.id === 'highErrorRate')!;
    expect(alert.params).toMatchObject({ threshold: 0.02, windowSeconds: 600, minRequests: 500 });
    const [share, guard] = alert.conditions as any[];
    expect(share).toMatchObject({ threshold: 0.02, alignmentSeconds: 600 });
    // 500 real requests besides the 40 uptime probes of 10 minutes.
    expect(guard).toMatchObject({ threshold: 539, alignmentSeconds: 600 });
  });
});

describe('SLO names', () => {
  it.each(envs.map((e) => [e.name, e] as const))('%s: fit the 100-character display name limit', (_name, env) => {
    for (const slo of SLOS) expect(slo.name(sloSettings(env)).length).toBeLessThanOrEqual(100);
  });
});
