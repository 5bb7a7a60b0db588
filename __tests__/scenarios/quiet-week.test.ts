/**
 * A quiet week per environment: seven days of diurnal traffic at the env's configured rates with seeded ±20 % noise,
 * a deploy with a brief latency bump, the uptime checks' own traffic, every checker passing, DB connections in the
 * configured range, and a handful of ordinary login failures from a few IPs. NOTHING may fire: every policy of the
 * stack, the SLO burn-rate policies included.
 *
 * Request logs for a week (millions at prod's peak) are too many to push through the log filter evaluator, so the
 * latency log metric's DISTRIBUTION series is generated directly (`latencySeries`); the login failures, being few,
 * are real request-log entries through the real filters (tracked_route_requests, auth_rejections_by_ip, api_latency).
 */
import { diurnalShape } from '../../tools/simulate/generators';
import {
  apiCheckPassed, dbBackends, diurnal, Env, envConfig, failedLogin, fired, latencySeries, policySet, requestCount, run,
  sloAlertNames, uptimeTraffic, workerCheckPassed, policyName, checkerLocations,
} from './support';
import type { LogEntry } from '../../tools/simulate/types';

const START = '2025-11-10T00:00:00Z'; // a Monday
const END = '2025-11-17T00:00:00Z';
/** Tuesday 14:00 local: a deploy; p95 3 s for 3 minutes. */
const DEPLOY = (env: Env) => new Date(Date.parse('2025-11-11T14:00:00Z') - envConfig(env).traffic.utcOffsetHours * 3600_000).toISOString();

/** Ordinary failed logins: failedLoginsPerHourAtPeak × the diurnal shape, each hour, from three IPs in turn. */
function ordinaryLoginFailures(env: Env): LogEntry[] {
  const t = envConfig(env).traffic;
  const out: LogEntry[] = [];
  const ips = ['203.0.113.10', '203.0.113.20', '198.51.100.30'];
  let carry = 0;
  let k = 0;
  for (let h = Date.parse(START); h < Date.parse(END); h += 3600_000) {
    const local = new Date(h + t.utcOffsetHours * 3600_000);
    const weekend = local.getUTCDay() === 0 || local.getUTCDay() === 6;
    carry += t.failedLoginsPerHourAtPeak * diurnalShape(local.getUTCHours() + 0.5) * (weekend ? 0.3 : 1);
    for (; carry >= 1; carry--) out.push(failedLogin(env, h + ((k * 1_234_567) % 3_600_000), ips[k++ % ips.length]));
  }
  return out;
}

function quietWeek(env: Env) {
  const t = envConfig(env).traffic;
  const checks = checkerLocations(env).length / 60;
  const [lo, hi] = t.dbConnectionsInUse;
  return {
    name: `${env} quiet week`,
    start: START,
    end: END,
    series: [
      requestCount(env, 200, diurnal(env, 1 - t.errorShare - t.rateLimitedShare, 1)),
      requestCount(env, 500, diurnal(env, t.errorShare, 2)),
      requestCount(env, 429, diurnal(env, t.rateLimitedShare, 3)),
      uptimeTraffic(env),
      latencySeries(env, t.p95LatencySeconds / 3, { sum: [t.p95LatencySeconds, { spike: { at: DEPLOY(env), duration: '3m', height: 3 - t.p95LatencySeconds } }] }, { sum: [diurnal(env, 1, 5), checks] }),
      ...apiCheckPassed(env, () => 1),
      ...workerCheckPassed(env, 1),
      dbBackends(env, { product: [{ diurnal: { floor: lo, peak: hi, tzOffsetHours: t.utcOffsetHours } }, { noise: { pct: 20, seed: 6 } }] }),
    ],
    logs: ordinaryLoginFailures(env),
  };
}

describe.each(['prod', 'staging', 'dev'] as Env[])('quiet week (%s)', (env) => {
  // One simulated week per environment, shared by the tests below.
  let week: ReturnType<typeof run> | undefined;
  const simulated = () => (week ??= run(env, quietWeek(env)));

  test('no policy fires, SLO burn-rate policies included', () => {
    const r = simulated();
    expect(r.policies.filter((p) => p.error).map((p) => p.error)).toEqual([]);
    for (const n of sloAlertNames(env)) expect(r.policies.map((p) => p.displayName)).toContain(policyName(env, n));
    expect(r.policies.length).toBe(policySet(env).policies.length);
    expect(fired(r)).toEqual([]);
    expect(r.evaluationTimes.length).toBe(7 * 2880 + 1);
  });

  test('the week really carries the configured load (the deploy bump and the login failures are in it)', () => {
    const r = simulated();
    const perf = r.policies.find((p) => p.displayName === policyName(env, 'Performance Degradation'))!;
    const p95 = perf.conditions[0].series[0].values.filter((v): v is number => v !== null);
    expect(Math.max(...p95)).toBeGreaterThan(2); // the deploy's 3-minute bump crossed 2 s…
    const auth = r.policies.find((p) => p.displayName === policyName(env, 'Authentication Failures Spike'))!;
    expect(Math.max(...auth.conditions[0].series[0].values.filter((v): v is number => v !== null))).toBeGreaterThan(0); // …and logins failed
  });
});
