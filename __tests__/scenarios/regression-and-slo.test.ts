/**
 * Regression against the app's existing "High Error Rate" policy (vividly-app.md §1.8: 0.05 5xx per SECOND per
 * series, ALIGN_RATE 60 s, for 5 min), and the SLO burn-rate policies of the real prod stack.
 */
import * as path from 'node:path';
import { resolveAlerts } from '../../catalog/alerts';
import { loadPolicyFile } from '../../tools/simulate/policies';
import { parseScenario } from '../../tools/simulate/scenario';
import { simulateScenario } from '../../tools/simulate/simulate';
import { diurnal, Env, envConfig, fired, policyName, promised, requestCount, result, run, uptimeTraffic, checkerLocations } from './support';

const appPolicy = loadPolicyFile(path.join(__dirname, '..', 'simulate', 'fixtures', 'high-error-rate.json'));
const env: Env = 'prod';

describe('regression: 4 errors a minute at 1 rps and at 100 rps', () => {
  // Night in Nashville (03:00 local): prod's floor is 1 rps, so "1 rps at night" is prod's real night traffic.
  const sc = (rps: number) => ({
    name: `4 errors/min at ${rps} rps`,
    start: '2025-11-12T07:00:00Z', end: '2025-11-12T10:00:00Z', incidentStart: '2025-11-12T08:00:00Z',
    series: [
      requestCount(env, 200, rps - 4 / 60), // the errors are part of the rps
      requestCount(env, 500, { step: { at: 'incident', after: 4 / 60 } }),
      uptimeTraffic(env),
    ],
  });

  test.each([1, 100])('the app\'s policy fires at %d rps alike (its threshold is 0.05 errors a second, not a share)', (rps) => {
    const r = simulateScenario(appPolicy, parseScenario(sc(rps), 'regression.yaml'));
    expect(r.policies[0].fired).toBe(true);
  });

  test('ours does not fire at 100 rps: 4 a minute is 0.07 % of the requests', () => {
    const r = run(env, sc(100));
    expect(result(r, env, 'High Error Rate').fired).toBe(false);
  });

  test('ours at 1 rps at night: fires, because 4 of every ~64 requests failing IS above 5 % and above the guard', () => {
    // Expected outcome computed from the catalog, not the simulator: over a 5-minute window there are
    // 300 requests (1 rps, errors included) + 4 checkers × 5 probes = 320 requests, 20 of them 5xx:
    // 20 / 320 = 6.25 % > 5 % threshold, and 320 > minRequests - 1 (prod guard 100). So our alert SHOULD fire: one
    // user request in 16 failing all night is an incident, not noise. (At 3 errors a minute it would be 4.7 %: silent.)
    const he = resolveAlerts(envConfig(env)).find((a) => a.spec.id === 'highErrorRate')!;
    const window = he.params.windowSeconds;
    const total = window * 1 + checkerLocations(env).length * (window / 60);
    const errors = 4 * (window / 60);
    const expected = errors / total > he.params.threshold && total >= (he.params.minRequests ?? 1);
    expect(expected).toBe(true);
    const r = run(env, sc(1));
    const p = result(r, env, 'High Error Rate');
    expect(p.fired).toBe(expected);
    // A share just over the threshold needs the 5-minute window to fill before the ratio crosses 5 % (here 4 error
    // minutes: 16 / 316 = 5.06 %), then the 180 s Cloud Run ingestion delay: 240 + 180 = 420 s. The catalog's
    // promise for shares has a term for the window (window + duration + 180 s = 480 s).
    expect(p.detectionSeconds).toBe(420);
    expect(p.detectionSeconds!).toBeLessThanOrEqual(promised(env, 'High Error Rate'));
    expect(promised(env, 'High Error Rate')).toBe(window + he.params.durationSeconds + 180);
  });
});

describe('SLO burn-rate policies (prod synth)', () => {
  const t = envConfig(env).traffic;
  const sloPolicies = resolveAlerts(envConfig(env)).filter((a) => a.spec.id.startsWith('slo_'));
  const fast = sloPolicies.find((a) => a.spec.id === 'slo_availability_fast_burn')!;
  const medium = sloPolicies.find((a) => a.spec.id === 'slo_availability_medium_burn')!;
  const slow = sloPolicies.find((a) => a.spec.id === 'slo_availability_slow_burn')!;
  /** Normal traffic for `days` before the incident, then a 5xx share of `share` (total traffic unchanged). */
  const burn = (share: number, days: number, after: number) => ({
    name: `availability burn: ${share * 100} % errors`,
    start: new Date(Date.parse('2025-11-12T17:00:00Z') - days * 86400_000).toISOString(),
    end: new Date(Date.parse('2025-11-12T17:00:00Z') + after * 1000).toISOString(),
    incidentStart: '2025-11-12T17:00:00Z',
    series: [
      requestCount(env, 200, { product: [diurnal(env, 1, 1), { sum: [1 - t.errorShare - t.rateLimitedShare, { step: { at: 'incident', after: -(share - t.errorShare) } }] }] }),
      requestCount(env, 500, { product: [diurnal(env, 1, 2), { sum: [t.errorShare, { step: { at: 'incident', after: share - t.errorShare } }] }] }),
      requestCount(env, 429, diurnal(env, t.rateLimitedShare, 3)),
      uptimeTraffic(env),
    ],
  });

  test('the stack has the SLO resources and every burn-rate policy evaluates', () => {
    const r = run(env, burn(0.002, 0.1, 600));
    for (const a of sloPolicies) expect(result(r, env, a.spec.displayName).fired).toBe(false);
  });

  test('a full outage (100 % 5xx) pages within the catalog\'s promise', () => {
    const r = run(env, burn(1, 1, 3600));
    const p = result(r, env, fast.spec.displayName);
    expect(p.fired).toBe(true);
    expect(p.detectionSeconds!).toBeLessThanOrEqual(fast.detectionDelaySeconds);
  });

  test('a fast burn (30 % errors) pages within minutes; the promise only holds for a full outage (finding)', () => {
    const r = run(env, burn(0.3, 1, 3 * 3600));
    const p = result(r, env, fast.spec.displayName);
    expect(p.fired).toBe(true);
    // The 1-hour burn rate passes 13.44 when 0.3k + 0.002(60 - k) > 13.44 × 0.005 × 60, i.e. after k ≈ 13 minutes of
    // errors, + 180 s Cloud Run ingestion ≈ 1020 s. The catalog promises ceil(3600 × 13.44 × 0.005) + 300 = 542 s,
    // which is the full-outage figure. Reported, not tuned.
    expect(p.detectionSeconds!).toBeGreaterThan(fast.detectionDelaySeconds);
    expect(p.detectionSeconds!).toBeLessThanOrEqual(20 * 60);
    expect(result(r, env, medium.spec.displayName).fired).toBe(true);
  });

  test('a slow burn (1.5 % errors for days) opens the ticket within hours; the pages stay silent', () => {
    const r = run(env, burn(0.015, 3, 3 * 86400));
    const ticket = result(r, env, slow.spec.displayName);
    expect(slow.spec.severity).toBe('WARNING');
    expect(ticket.fired).toBe(true);
    expect(ticket.detectionSeconds!).toBeLessThanOrEqual(24 * 3600);
    expect(fired(r).filter((n) => n.includes('SLO'))).toEqual([policyName(env, slow.spec.displayName)]);
    for (const a of sloPolicies.filter((x) => x.spec.severity === 'CRITICAL')) expect(result(r, env, a.spec.displayName).fired).toBe(false);
    console.log(`slow burn ticket after ${(ticket.detectionSeconds! / 3600).toFixed(2)} h (catalog figure ${slow.detectionDelaySeconds} s is for a full outage)`);
  });
});
