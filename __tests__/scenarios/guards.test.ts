/**
 * Issue 12, defect 7: a low-traffic guard means "enough real requests". Simulated on the real prod stack: the uptime
 * checks' probes (4 a minute, all 200) plus a trickle of real requests that all fail. Below the guard's real-request
 * minimum nothing may alert, whatever the error ratio; just above it the fast burn pages.
 */
import { resolveAlerts } from '../../catalog/alerts';
import { apiProbesIn } from '../../catalog/uptime';
import { Env, envConfig, fired, policyName, requestCount, result, run, uptimeTraffic } from './support';

const env: Env = 'prod';
const fast = resolveAlerts(envConfig(env)).find((a) => a.spec.id === 'slo_availability_fast_burn')!;
const guardMinimum = fast.params.minRequests!; // real requests in the 5-minute short window

/** Only probes, plus `perMinute` real requests a minute that all answer 500 from the incident on. */
const scenario = (perMinute: number) => ({
  name: `probes plus ${perMinute} failing requests a minute`,
  start: '2025-11-12T07:00:00Z',
  end: '2025-11-12T10:00:00Z',
  incidentStart: '2025-11-12T08:00:00Z',
  series: [uptimeTraffic(env), requestCount(env, 500, { step: { at: 'incident', after: perMinute / 60 } })],
});

describe('guards count real requests besides the uptime probes', () => {
  test('the probes of a 5-minute window alone would have met the old guard (their count is in the threshold now)', () => {
    expect(apiProbesIn(300)).toBe(20);
    expect(fast.conditions[2]).toMatchObject({ threshold: guardMinimum + 20 - 1 });
  });

  test('probes plus fewer real requests than the guard asks for: every request failing still alerts nobody', () => {
    const perMinute = guardMinimum / 5 - 1; // 4 a minute: 20 real + 20 probes in 5 min, 50 % errors (burn rate 100)
    const r = run(env, scenario(perMinute));
    expect(fired(r)).toEqual([]);
    // The old guard (at least 25 requests, probes included) would have been met by these 40.
    expect(perMinute * 5 + apiProbesIn(300)).toBeGreaterThan(guardMinimum - 1);
  });

  test('probes plus enough real requests: the fast burn pages', () => {
    const r = run(env, scenario(guardMinimum / 5 + 1)); // 6 a minute: 30 real + 20 probes in 5 min
    expect(result(r, env, fast.spec.displayName).fired).toBe(true);
    expect(fired(r)).toContain(policyName(env, fast.spec.displayName));
  });
});
