/**
 * Issue 12 (defects 1, 2, 7) and issue 15 ("config that synthesizes but cannot work"): burn-rate windows within
 * 24 h, alerts that can never fire refused at synth, guards that probes alone cannot meet, and synth refusing its own
 * lint errors. Each class has a case that reproduces it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { alertConfigProblems, alerts, resolveAlert, resolveAlerts } from '../../catalog/alerts';
import { signalById } from '../../catalog/signals';
import { BURN_RATE_WINDOWS, burnRateThreshold, MAX_BURN_RATE_LOOKBACK_SECONDS, SLO_DEFAULTS, sloAlerts } from '../../catalog/slos';
import { isSloCondition, type MetricCondition } from '../../catalog/types';
import { apiProbesIn } from '../../catalog/uptime';
import { EnvironmentError, loadEnvironments } from '../../environments';
import { dev } from '../../environments/dev';
import { prod } from '../../environments/prod';
import { synthesize } from '../../main';
import { checkSynthesized } from '../../stacks/synth-checks';
import { ENVS, stackPath } from '../support/synth';

const patched = (base: unknown, patch: (p: any) => void): unknown => {
  const copy = JSON.parse(JSON.stringify(base));
  patch(copy);
  return copy;
};
const envs = loadEnvironments();

/** A previous output, in short: a manifest (a synth replaces only a synth's output). */
const PREVIOUS_MANIFEST = '{"stacks": {}, "version": "previous"}';

/** Synthesizes into a fresh directory holding a previous output; returns what was thrown and what is left. */
function synthInto(overrides: Parameters<typeof synthesize>[2], selected?: string[]): { error: unknown; left: string[]; parent: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-check-'));
  const outdir = path.join(dir, 'cdktf.out');
  fs.mkdirSync(outdir);
  fs.writeFileSync(path.join(outdir, 'manifest.json'), PREVIOUS_MANIFEST);
  let error: unknown;
  try {
    synthesize(outdir, selected, overrides);
  } catch (err) {
    error = err;
  }
  const left = fs.readdirSync(outdir).map((f) => (fs.readFileSync(path.join(outdir, f), 'utf8') === PREVIOUS_MANIFEST ? `${f} (untouched)` : f));
  const result = { error, left, parent: fs.readdirSync(dir) };
  fs.rmSync(dir, { recursive: true, force: true });
  return result;
}

describe('defect 1: burn-rate windows within 24 h (one table, thresholds from budget shares)', () => {
  test('every long and short window is at most 24 h, and short = long / 12', () => {
    for (const w of BURN_RATE_WINDOWS) {
      expect(w.longSeconds).toBeLessThanOrEqual(MAX_BURN_RATE_LOOKBACK_SECONDS);
      expect(w.shortSeconds * 12).toBe(w.longSeconds);
    }
    expect(BURN_RATE_WINDOWS.find((w) => w.action === 'ticket')!.longSeconds).toBe(86_400);
  });

  test('thresholds are the budget share x rolling period / long window (28 days: 13.44, 5.6, 2.8)', () => {
    expect(BURN_RATE_WINDOWS.map((w) => burnRateThreshold(w, { rollingDays: 28 }))).toEqual([13.44, 5.6, 2.8]);
    expect(BURN_RATE_WINDOWS.map((w) => burnRateThreshold(w, { rollingDays: 30 }))).toEqual([14.4, 6, 3]);
    // A window at its threshold for its whole length spends exactly its share of the budget.
    for (const w of BURN_RATE_WINDOWS)
      expect((burnRateThreshold(w, SLO_DEFAULTS) * w.longSeconds) / (SLO_DEFAULTS.rollingDays * 86_400)).toBeCloseTo(w.budgetShare, 10);
  });

  test.each(ENVS)('%s: no synthesized burn-rate selector (alerts and Error Budget charts) looks back more than 24 h', (env) => {
    const text = fs.readFileSync(stackPath(env), 'utf8');
    const lookbacks = [...text.matchAll(/select_slo_burn_rate\(\\"[^"\\]+\\", \\"([0-9]+)s\\"\)/g)].map((m) => Number(m[1]));
    const inCharts = [...text.matchAll(/select_slo_burn_rate\(\\\\\\"[^"\\]+\\\\\\", \\\\\\"([0-9]+)s\\\\\\"\)/g)].map((m) => Number(m[1]));
    expect(lookbacks.length).toBe(12); // 2 SLOs x 3 windows x (long, short)
    expect(inCharts.length).toBe(6); // 2 SLOs x 3 long windows in the Error Budget dashboard
    expect(Math.max(...lookbacks, ...inCharts)).toBe(86_400);
  });
});

describe('defect 2 and issue 15: config that can never fire, or that the API rejects, stops synth', () => {
  test.each(envs.map((e) => [e.name, e] as const))('%s: every burn-rate alert can fire (threshold x (1 - goal) < 1)', (_name, env) => {
    for (const a of resolveAlerts(env).filter((x) => x.spec.thresholdKind === 'burnRate')) {
      const goal = a.spec.id.includes('latency')
        ? (env.slo.latencyGoal ?? SLO_DEFAULTS.latencyGoal)
        : (env.slo.availabilityGoal ?? SLO_DEFAULTS.availabilityGoal);
      expect(a.params.threshold * (1 - goal)).toBeLessThan(1);
    }
  });

  test("dev's former latency goal 0.9 (burn rate capped at 10, under 13.44) is refused, naming environment and field", () => {
    const run = () => loadEnvironments(['dev'], { dev: patched(dev, (d) => (d.slo.latencyGoal = 0.9)) }).map(resolveAlerts);
    expect(run).toThrow(EnvironmentError);
    expect(run).toThrow('environments/dev.ts: environment "dev": field "slo.latencyGoal": goal 0.9');
    expect(run).toThrow('"SLO Latency burn rate (page, 1 h/5 min)" (above 13.44x) can never fire');
  });

  test('a share of 5 ("5xx share above 500 %") stops synth with one message, exit class config, nothing written', () => {
    const r = synthInto({ prod: patched(prod, (p) => (p.alerts.highErrorRate = { threshold: 5 })) });
    expect(r.error).toBeInstanceOf(EnvironmentError);
    expect((r.error as Error).message).toBe(
      'environments/prod.ts: environment "prod": field "alerts.highErrorRate.threshold": 5 is a share and must lie between 0 and 1 (500 % can never be reached)',
    );
    expect(r.left).toEqual(['manifest.json (untouched)']);
    expect(r.parent).toEqual(['cdktf.out']);
  });

  test('a share of 1 or of capacity over 1 is refused too; 0.99 is accepted', () => {
    const problems = (alert: string, threshold: number) => {
      const env = loadEnvironments(['prod'], { prod: patched(prod, (p) => (p.alerts[alert] = { threshold })) })[0];
      const spec = alerts.find((a) => a.id === alert)!;
      const params = { ...spec.defaults, threshold };
      return alertConfigProblems(spec, params, spec.conditions(params, env), env).map((p) => p.field);
    };
    expect(problems('elevatedRateLimiting', 1)).toEqual(['alerts.elevatedRateLimiting.threshold']);
    expect(problems('databaseConnectionIssues', 1.2)).toEqual(['alerts.databaseConnectionIssues.threshold']);
    expect(problems('highErrorRate', 0.99)).toEqual([]);
    // Counts are not shares: 5000 rejected requests is a fine DDoS threshold.
    expect(problems('ddosAttempt', 5000)).toEqual([]);
  });

  test('a window of 30 days stops synth naming the field and the 25 h alignment limit, nothing written', () => {
    // prod alone: that dev and staging, synthesized before a bad prod, are not written either is the test above (the
    // same EnvironmentError from prod's stacks, in the same loop); this one proves the alignment limit's message.
    const r = synthInto({ prod: patched(prod, (p) => (p.alerts.highErrorRate = { windowSeconds: 30 * 86_400 })) }, ['prod']);
    expect(r.error).toBeInstanceOf(EnvironmentError);
    expect((r.error as Error).message).toBe(
      'environments/prod.ts: environment "prod": field "alerts.highErrorRate.windowSeconds": a window of 2592000 s is outside 60 s .. 90000 s (25 h), the alignment periods alerting policies accept (gcp-facts §1.5)',
    );
    expect(r.left).toEqual(['manifest.json (untouched)']);
  });

  test('a burn-rate lookback over 24 h in the windows table is refused for every environment', () => {
    const slow = BURN_RATE_WINDOWS.find((w) => w.id === 'slow')!;
    const saved = { ...slow };
    try {
      Object.assign(slow, { longSeconds: 3 * 86_400, shortSeconds: 6 * 3600 });
      expect(() => resolveAlerts(envs[2])).toThrow(
        'catalog/slos.ts: environment "prod": field "BURN_RATE_WINDOWS (slo_availability_slow_burn)": a burn-rate lookback of 259200 s is over 24 h',
      );
    } finally {
      Object.assign(slow, saved);
    }
  });

  test('a lint error in the synthesized output stops synth with environment, resource, field and reason; nothing written', () => {
    // 11 labels on one log-based metric: nothing in the config checks it, the lint does (gcp-facts §3.4).
    const labels = signalById('lockouts').logMetric!.labels;
    const saved = [...labels];
    try {
      for (let i = 0; i < 11; i++) labels.push({ key: `extra_${i}`, description: 'test', extractor: 'EXTRACT(labels.x)' });
      const r = synthInto({}, ['staging']);
      expect(r.error).toBeInstanceOf(EnvironmentError);
      const lines = (r.error as Error).message.split('\n');
      expect(lines[0]).toBe('the synthesized stacks fail the lint (npm run lint):');
      expect(lines).toContainEqual(
        expect.stringMatching(
          /^environment "staging": resource google_logging_metric\.[a-z_]+: field "[^"]+": 11 labels; at most 10 .*\[lint logmetric\/labels\]$/,
        ),
      );
      expect(r.left).toEqual(['manifest.json (untouched)']);
      expect(r.parent).toEqual(['cdktf.out']);
    } finally {
      labels.splice(0, labels.length, ...saved);
    }
  });

  test('checkSynthesized passes the real stacks and names a 3-day burn-rate lookback in a policy', () => {
    const stackOf = (env: string) => ({ [env]: JSON.parse(fs.readFileSync(stackPath(env), 'utf8')) });
    for (const env of envs) expect(() => checkSynthesized(env, stackOf(env.name))).not.toThrow();
    const text = fs.readFileSync(stackPath('prod'), 'utf8').replace(/(select_slo_burn_rate\(\\"[^"\\]+\\", \\")86400s/, '$1259200s');
    expect(() => checkSynthesized({ name: 'prod' }, { prod: JSON.parse(text) })).toThrow(
      /environment "prod": resource google_monitoring_alert_policy\.alert_slo_[a-z]+_slow_burn: field "[^"]+filter": lookback "259200s" is over 24 hours .*\[lint alert\/slo-lookback\]/,
    );
  });
});

describe('detection promises exist only for alerts that can fire', () => {
  test('resolving an alert that cannot fire throws before any promise is computed', () => {
    const env = loadEnvironments(['dev'], { dev: patched(dev, (d) => (d.slo.latencyGoal = 0.9)) })[0];
    const spec = sloAlerts(env).find((a) => a.id === 'slo_latency_fast_burn')!;
    const promise = jest.fn(spec.detectionDelaySeconds);
    expect(() => resolveAlert({ ...spec, detectionDelaySeconds: promise }, env)).toThrow('can never fire');
    expect(promise).not.toHaveBeenCalled();
  });
});

describe('defect 7: low-traffic guards mean real requests; uptime probes alone never meet one', () => {
  const guards = (env: (typeof envs)[number]) =>
    resolveAlerts(env).flatMap((a) =>
      a.conditions.filter((c): c is MetricCondition => !isSloCondition(c) && /low-traffic guard/.test(c.displayName)).map((c) => ({ alert: a, guard: c })),
    );

  test.each(envs.map((e) => [e.name, e] as const))('%s: every guard counts minRequests real requests on top of the probes of its window', (_n, env) => {
    const found = guards(env);
    expect(found.length).toBe(2 + 6); // High Error Rate, Elevated Rate Limiting, six SLO burn-rate alerts
    for (const { alert, guard } of found) {
      const probes = apiProbesIn(guard.alignmentSeconds);
      expect(probes).toBe((guard.alignmentSeconds / 60) * 4);
      // Probes alone (and probes plus minRequests - 1 real requests) stay at or under the threshold: the guard fails.
      expect(probes + alert.params.minRequests! - 1).toBeLessThanOrEqual(guard.threshold);
      expect(probes + alert.params.minRequests!).toBeGreaterThan(guard.threshold);
      expect(guard.displayName).toContain(`besides ${probes} uptime probes`);
    }
  });
});
