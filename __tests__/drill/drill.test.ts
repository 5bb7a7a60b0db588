/**
 * Offline proof of the fire drills: for every alert of staging and prod fed by log-based metrics, the drill's entries
 * (a) are real-format lines of that environment, marked as drills, (b) match the right log-based metrics of the REAL
 * synthesized stack (the check-logs evaluator), and (c) fed to the simulator over the environment's quiet background
 * traffic, fire THAT alert and no other, within its promised detection delay — at night and at the daytime peak.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveAlerts } from '../../catalog/alerts';
import { signalById } from '../../catalog/signals';
import { isSloCondition } from '../../catalog/types';
import { loadEnvironments } from '../../environments';
import { evaluateLogMetric, loadLogMetrics } from '../../gcp/logging-query';
import { APP_LOG_FORMAT, planDrill, REQUEST_LOG_CAVEAT } from '../../tools/drill/plan';
import { MAX_ALERT_BURN_RATE_LOOKBACK_SECONDS } from '../../gcp/filter';
import { policySet, simulateDrill } from './scenario';

const ENVS = ['staging', 'prod'] as const;
/** A weekday in local time (UTC-6): 03:00 (the traffic floor) and 12:00 (the peak); 20 s past the minute. */
const TIMES = { night: '2025-11-12T09:00:20Z', peak: '2025-11-12T18:00:20Z' };

const logFed = (env: (typeof ENVS)[number]) => {
  const config = loadEnvironments([env])[0];
  return resolveAlerts(config)
    .filter((a) => a.conditions.some((c) => !isSloCondition(c) && signalById(c.query.signal).logMetric))
    .map((a) => [env, a.spec.displayName, config, a] as const);
};
const cases = ENVS.flatMap(logFed);

test('the log-fed alerts are the four the drills cover, in both environments', () => {
  expect([...new Set(cases.map(([, n]) => n))].sort()).toEqual([
    'Authentication Failures Spike',
    'Brute Force Attack',
    'Database Connection Issues',
    'Performance Degradation',
  ]);
});

test("the simulations' background reaches back further than the longest policy lookback (24 h burn rates)", () => {
  for (const env of ENVS) expect(policySet(env).historySeconds).toBeGreaterThan(MAX_ALERT_BURN_RATE_LOOKBACK_SECONDS);
});

describe.each(cases)('%s: %s', (envName, _name, env, alert) => {
  const now = new Date(TIMES.night);
  const plan = planDrill(alert, env, { now, runId: 'test' });
  const entries = plan.waves.flatMap((w) => w.entries);
  const tf = JSON.parse(fs.readFileSync(path.join(process.env.SYNTH_DIR!, 'stacks', envName, 'cdk.tf.json'), 'utf8'));
  const metrics = loadLogMetrics(tf);

  test('entries are real-format lines of the environment, marked as drills, timestamped from now', () => {
    expect(plan.kind).toMatch(/^entries/);
    expect(entries.length).toBeGreaterThan(0);
    // Every entry is checked, each failed check collected as "<insertId>: <what>" and asserted once (thousands of
    // entries: one jest expect per check and entry cost seconds, for the same verdict).
    const problems: string[] = [];
    const wrong = (e: (typeof entries)[number], what: string, value: unknown) => problems.push(`${String(e.insertId)}: ${what} ${JSON.stringify(value)}`);
    const textLine = /^\u001b\[3[0-9]m\[(WARNING|ERROR)\]\u001b\[0m [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} - app\.[a-z_.]+ - /;
    for (const w of plan.waves) {
      for (const e of w.entries) {
        if ((e.labels as Record<string, unknown> | undefined)?.drill !== 'true') wrong(e, 'labels without drill: "true":', e.labels);
        const r = e.resource as { type?: unknown; labels?: Record<string, unknown> } | undefined;
        const resourceKeys = Object.entries(r ?? {})
          .filter(([, v]) => v !== undefined)
          .map(([k]) => k);
        if (
          resourceKeys.sort().join() !== 'labels,type' ||
          r!.type !== 'cloud_run_revision' ||
          typeof r!.labels !== 'object' ||
          r!.labels === null ||
          r!.labels.service_name !== env.services.api ||
          r!.labels.project_id !== env.projectId ||
          r!.labels.location !== env.region
        )
          wrong(e, `resource is not the cloud_run_revision of ${env.services.api} in ${env.projectId}/${env.region}:`, r);
        if (e.httpRequest) {
          if (e.logName !== `projects/${env.projectId}/logs/run.googleapis.com%2Frequests`) wrong(e, 'request entry logName', e.logName);
          const ip = (e.httpRequest as Record<string, unknown>).remoteIp;
          if (typeof ip !== 'string' || !/^203\.0\.113\.([0-9]{1,3})$/.test(ip)) wrong(e, 'remoteIp outside 203.0.113.0/24:', ip);
          if (e.jsonPayload !== undefined) wrong(e, 'request entry with a jsonPayload', e.jsonPayload);
          if (e.textPayload !== undefined) wrong(e, 'request entry with a textPayload', e.textPayload);
        } else {
          if (e.logName !== `projects/${env.projectId}/logs/run.googleapis.com%2Fstdout`) wrong(e, 'app entry logName', e.logName);
          const json = e.jsonPayload as Record<string, unknown> | undefined;
          if (APP_LOG_FORMAT[env.name] === 'json') {
            if (typeof json?.message !== 'string') wrong(e, 'jsonPayload.message is not a string:', json?.message);
            const environment = env.name === 'prod' ? 'production' : env.name;
            if (typeof json !== 'object' || json === null || json.environment !== environment || json.service !== 'Vividly API')
              wrong(e, `jsonPayload without environment ${environment} and service Vividly API:`, json);
            if (e.textPayload !== undefined) wrong(e, 'JSON app entry with a textPayload', e.textPayload);
          } else {
            if (typeof e.textPayload !== 'string' || !textLine.test(e.textPayload)) wrong(e, 'textPayload not a Python log line:', e.textPayload);
            if (json !== undefined) wrong(e, 'text app entry with a jsonPayload', json);
          }
        }
        const at = Date.parse(e.timestamp!);
        if (!(at <= now.getTime() + w.offsetSeconds * 1000)) wrong(e, `timestamp after its wave (+${w.offsetSeconds} s):`, e.timestamp);
      }
    }
    expect(problems).toEqual([]);
    expect(Math.min(...entries.map((e) => Date.parse(e.timestamp!)))).toBeGreaterThan(now.getTime() - 60_000);
    expect(new Set(entries.map((e) => e.insertId)).size).toBe(entries.length);
    expect(plan.caveats.includes(REQUEST_LOG_CAVEAT)).toBe(entries.some((e) => e.httpRequest !== undefined));
  });

  test("the check-logs evaluator: the entries match the alert's log-based metrics in the synthesized stack, and only expected ones", () => {
    const matched: Record<string, number> = {};
    for (const e of entries) for (const m of metrics) if (evaluateLogMetric(m, e).matched) matched[m.name] = (matched[m.name] ?? 0) + 1;
    const expected = plan.signals.map((s) => signalById(s).logMetric!.name);
    for (const name of expected) expect(matched[name]).toBeGreaterThan(0);
    // Every request-log entry also feeds the latency distribution: the only incidental metric allowed.
    const allowed = new Set([...expected, signalById('api_latency').logMetric!.name]);
    expect(Object.keys(matched).filter((n) => !allowed.has(n))).toEqual([]);
    const feeding = alert.conditions.filter((c) => !isSloCondition(c) && signalById(c.query.signal).logMetric);
    for (const c of feeding) {
      if (isSloCondition(c)) continue;
      const name = signalById(c.query.signal).logMetric!.name;
      if (c.query.signal === 'api_latency') continue; // a distribution: the simulation decides
      // Counters: more than the threshold matched (the per-IP one counts entries of the single drill IP).
      expect(matched[name]).toBeGreaterThan(c.threshold);
    }
  });

  test.each(Object.entries(TIMES))('simulated over quiet %s traffic: fires this alert only, within its detection delay', (_when, iso) => {
    const at = new Date(iso);
    const p = planDrill(alert, env, { now: at, runId: 'sim' });
    const r = simulateDrill(env, p, at);
    const errors = r.policies.filter((x) => x.error).map((x) => x.error);
    expect(errors).toEqual([]);
    const fired = r.policies.filter((x) => x.fired).map((x) => x.displayName);
    expect(fired).toEqual([expect.stringMatching(new RegExp(`: ${alert.spec.displayName}$`))]);
    const target = r.policies.find((x) => x.fired)!;
    expect(target.detectionSeconds).not.toBeNull();
    expect(target.detectionSeconds!).toBeGreaterThanOrEqual(0);
    expect(target.detectionSeconds!).toBeLessThanOrEqual(alert.detectionDelaySeconds);
  });
});

describe('controls: the simulation is not trivially satisfied', () => {
  const env = loadEnvironments(['staging'])[0];
  const at = new Date(TIMES.peak);
  const byName = (n: string) => resolveAlerts(env).find((a) => a.spec.displayName === n)!;

  test('Brute Force Attack with exactly threshold lockouts stays quiet', () => {
    const alert = byName('Brute Force Attack');
    const plan = planDrill(alert, env, { now: at, runId: 'ctl' });
    const threshold = alert.params.threshold;
    let lockouts = 0;
    const entries = plan.waves[0].entries.filter((e) => e.httpRequest || ++lockouts <= threshold);
    const r = simulateDrill(env, { ...plan, waves: [{ offsetSeconds: 0, entries }] }, at);
    expect(r.policies.filter((x) => x.fired).map((x) => x.displayName)).toEqual([]);
  });

  test('Performance Degradation stopped two minutes short of its duration stays quiet', () => {
    const alert = byName('Performance Degradation');
    const plan = planDrill(alert, env, { now: at, runId: 'ctl' });
    const waves = plan.waves.filter((w) => w.offsetSeconds < alert.params.durationSeconds - 120);
    const r = simulateDrill(env, { ...plan, waves }, at);
    expect(r.policies.filter((x) => x.fired).map((x) => x.displayName)).toEqual([]);
  });
});
