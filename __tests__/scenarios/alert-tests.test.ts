/**
 * The promtool-style alert tests of scenarios/alerts/ (gcp/simulate/alert-tests.ts) against the REAL synthesized
 * stacks (jest global setup → SYNTH_DIR): every scenario's exact sets of open incidents must hold. Around them, what
 * keeps the YAML honest:
 * - every alert of the catalog (the plan's eight and the push worker's) has a file with an incident that opens it
 *   within the catalog's promised detection delay, and a near-miss that does not open it;
 * - a quiet week per environment (alert-tests-quiet-week.test.ts);
 * - the low-traffic guards' thresholds are the real-request minimum plus the uptime probes (guards.yaml simulates it);
 * - the fragments' vars are the environment config's figures, and their log-entry templates are the entries the
 *   shared builders (tools/shared/log-entries.ts) produce.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { alerts, resolveAlerts } from '../../catalog/alerts';
import { apiProbesIn } from '../../catalog/uptime';
import { loadEnvironments } from '../../environments';
import { appJsonEntry, appTextEntry, requestLogEntry } from '../support/log-entries';
import { ENVS } from '../support/synth';
import { describeFiles, dir, loadTests, policyName, QUIET_WEEK, resultOf, testFiles } from './alert-suite';

// Everything but the quiet weeks (alert-tests-quiet-week.test.ts runs those on the other worker).
const tests = loadTests((f) => path.basename(f) !== QUIET_WEEK);

test('the suite is there: one file per catalog alert, the SLO burns, the guards and the quiet week', () => {
  const expected = [
    ...alerts.map((a) => `${a.id.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}.yaml`),
    'guards.yaml',
    'quiet-week.yaml',
    'slo-burn-rate.yaml',
  ].sort();
  expect(
    testFiles()
      .map((f) => path.basename(f))
      .sort(),
  ).toEqual(expected);
});

describeFiles(tests);

describe.each(alerts.map((a) => [a.displayName, a] as const))('%s', (name, alert) => {
  const file = `${alert.id.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}.yaml`;
  const own = tests.filter((t) => path.basename(t.file) === file);

  test("an incident opens it within the catalog's promised detection delay", () => {
    const incidents = own.filter((t) => t.opened?.includes(name));
    expect(incidents.length).toBeGreaterThan(0);
    for (const t of incidents) {
      const env = loadEnvironments([t.env as (typeof ENVS)[number]])[0];
      const promised = resolveAlerts(env).find((a) => a.spec.id === alert.id)!.detectionDelaySeconds;
      const p = resultOf(t).result.policies.find((x) => x.displayName === policyName(t.env, name))!;
      expect({ scenario: t.scenario.name, env: t.env, fired: p.fired }).toEqual({ scenario: t.scenario.name, env: t.env, fired: true });
      expect(p.detectionSeconds).not.toBeNull();
      expect({ scenario: t.scenario.name, detection: p.detectionSeconds! >= 0 && p.detectionSeconds! <= promised }).toEqual({
        scenario: t.scenario.name,
        detection: true,
      });
    }
  });

  test('a near-miss leaves it closed', () => {
    const nearMisses = own.filter((t) => t.scenario.name.startsWith('near-miss') && t.opened !== undefined && !t.opened.includes(name));
    expect(nearMisses.length).toBeGreaterThan(0);
  });
});

test("a full outage opens the fast availability page within the catalog's promise (the promise is the full-outage figure)", () => {
  const t = tests.find((x) => path.basename(x.file) === 'slo-burn-rate.yaml' && x.scenario.name.startsWith('full outage'))!;
  const fast = resolveAlerts(loadEnvironments(['prod'])[0]).find((a) => a.spec.id === 'slo_availability_fast_burn')!;
  const p = resultOf(t).result.policies.find((x) => x.displayName === policyName('prod', fast.spec.displayName))!;
  expect(p.fired).toBe(true);
  expect(p.detectionSeconds!).toBeLessThanOrEqual(fast.detectionDelaySeconds);
});

describe('guards count real requests besides the uptime probes (issue 12, defect 7; scenarios in guards.yaml)', () => {
  const fast = resolveAlerts(loadEnvironments(['prod'])[0]).find((a) => a.spec.id === 'slo_availability_fast_burn')!;
  const guardMinimum = fast.params.minRequests!; // real requests in the 5-minute short window

  test('the probes of a 5-minute window are added to the real-request minimum', () => {
    expect(apiProbesIn(300)).toBe(20);
    expect(fast.conditions[2]).toMatchObject({ threshold: guardMinimum + apiProbesIn(300) - 1 });
  });

  test("guards.yaml's trickles sit either side of the guard, and the one below would have met the old guard", () => {
    const perMinute = (name: string) => {
      const t = tests.find((x) => path.basename(x.file) === 'guards.yaml' && x.scenario.name.includes(name))!;
      const failing = t.scenario.series.find((s) => s.metric.labels?.response_code === '500')!;
      const i = failing.times.findIndex((x) => x > t.scenario.incidentStart! + 600_000);
      return failing.values[i] as number; // the count of one step (60 s)
    };
    const below = perMinute('4 failing');
    const above = perMinute('6 failing');
    expect([below, above]).toEqual([4, 6]);
    expect(below * 5).toBeLessThan(guardMinimum);
    expect(above * 5).toBeGreaterThan(guardMinimum);
    // The old guard (at least 25 requests, probes included) would have been met by the probes plus the trickle below it.
    expect(below * 5 + apiProbesIn(300)).toBeGreaterThan(guardMinimum - 1);
  });
});

describe('fragments', () => {
  test.each([...ENVS])('fragments/%s.yaml vars are environments/<env>.ts figures', (name) => {
    const env = loadEnvironments([name])[0];
    const vars = (YAML.parse(fs.readFileSync(path.join(dir, 'fragments', `${name}.yaml`), 'utf8')) as { vars: Record<string, unknown> }).vars;
    const t = env.traffic;
    expect(vars).toEqual(
      expect.objectContaining({
        project: env.projectId,
        region: env.region,
        api: env.services.api,
        worker: env.services.pushWorker,
        host: env.api.host,
        db: `${env.projectId}:${env.cloudSql.instance}`,
        floorRps: t.floorRps,
        peakRps: t.peakRps,
        utcOffsetHours: t.utcOffsetHours,
        errorShare: t.errorShare,
        rateLimitedShare: t.rateLimitedShare,
        okShare: +(1 - t.errorShare - t.rateLimitedShare).toFixed(6),
        p95LatencySeconds: t.p95LatencySeconds,
        dbConnectionsLow: t.dbConnectionsInUse[0],
        dbConnectionsHigh: t.dbConnectionsInUse[1],
        maxConnections: env.cloudSql.maxConnections,
        failedLoginsPerHourAtPeak: t.failedLoginsPerHourAtPeak,
      }),
    );
  });

  const strip = (e: Record<string, unknown>) => {
    const { insertId, timestamp, receiveTimestamp, trace, spanId, labels, ...rest } = e as Record<string, unknown>;
    void insertId;
    void timestamp;
    void receiveTimestamp;
    void trace;
    void spanId;
    void labels;
    return rest;
  };

  test.each(['prod', 'staging'])("the %s log-entry fragments are the shared builders' entries", (env) => {
    const entries = tests.filter((t) => t.env === env).flatMap((t) => t.scenario.logs.map((l) => l.entry));
    const failed = entries.find((e) => JSON.stringify(e).includes('/api/v1/auth/login') && (e.httpRequest as { status: number }).status === 401)!;
    const d = new Date('2025-11-12T17:00:00Z');
    expect(strip(failed)).toEqual(
      strip(
        requestLogEntry(env as 'prod', {
          timestamp: d,
          method: 'POST',
          path: '/api/v1/auth/login',
          status: 401,
          remoteIp: (failed.httpRequest as { remoteIp: string }).remoteIp,
          latencySeconds: 0.12,
        }) as Record<string, unknown>,
      ),
    );
    const lockout = entries.find((e) => JSON.stringify(e).includes('Account locked'))!;
    const message = 'Account locked due to 5 failed attempts: student@mnps.edu from 169.254.1.1';
    const built =
      env === 'staging'
        ? appJsonEntry(env, message, { severity: 'WARNING', logger: 'app.middleware.security', timestamp: d })
        : appTextEntry(env as 'prod', message, { level: 'WARNING', logger: 'app.middleware.security', timestamp: d });
    // the fragment's line carries a fixed wall-clock time (17:00:00), the builder's is its timestamp (the same here)
    expect(strip(lockout)).toEqual(strip(built as Record<string, unknown>));
  });
});
