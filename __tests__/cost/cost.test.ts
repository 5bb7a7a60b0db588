/** The cost estimate on the real synth: prod's plan scope, growth with traffic, exclusions, alerting, the CLI. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadEnvironments } from '../../environments';
import { run } from '../../tools/cost/cli';
import { estimateCost } from '../../tools/cost/estimate';
import { loadPrices } from '../../tools/cost/prices';
import { growthTableMarkdown } from '../../tools/cost/table';
import { averageRps, scaleTraffic } from '../../tools/cost/traffic';
import { ENVS, loadStack, MALFORMED_STACKS, synthDir, synthWithStack } from '../support/synth';
import { captureRun } from '../support/cli';
import { interruptTool } from '../support/interrupt';

const prices = loadPrices();
const [prod] = loadEnvironments(['prod']);
const estimate = (multiplier = 1, stack = loadStack('prod'), env = prod) => estimateCost({ env, stack, prices, multiplier });

const capture = (argv: string[]) => captureRun(run, argv);

describe('prod at 1x', () => {
  it("keeps the plan's scope (everything but alerting) within $8 a month", () => {
    const { report } = estimate(1);
    expect(report.planScopeUsd).toBeLessThanOrEqual(8);
    expect(report.planScopeUsd).toBeCloseTo(
      report.items.filter((i) => i.group !== 'alerting').reduce((s, i) => s + i.monthlyUsd, 0),
      2,
    );
    expect(report.monthlyUsd).toBeCloseTo(
      report.items.reduce((s, i) => s + i.monthlyUsd, 0),
      2,
    );
  });

  it('uses the traffic.md shape: 20 req/s peak, 1 floor, weekends at 30 % → about 6.6 req/s on average', () => {
    expect(averageRps(prod.traffic)).toBeGreaterThan(6);
    expect(averageRps(prod.traffic)).toBeLessThan(7);
    expect(averageRps(scaleTraffic(prod.traffic, 10))).toBeCloseTo(10 * averageRps(prod.traffic), 6);
  });

  it('counts every group, and prices uptime checks from the synthesized checks', () => {
    const d = estimate(1);
    expect(new Set(d.report.items.map((i) => i.group))).toEqual(new Set(['logging', 'metrics', 'uptime', 'alerting']));
    // 2 checks × 4 locations × one run a minute.
    expect(d.uptimeExecutions).toBeCloseTo(2 * 4 * 43830, -2);
    expect(d.report.items.find((i) => i.group === 'uptime')!.monthlyUsd).toBe(0);
  });
});

describe('growth with traffic', () => {
  const multipliers = [0.5, 1, 2, 5, 10, 30, 100];
  const runs = multipliers.map((m) => estimate(m));

  it('never falls as traffic grows, and grows a lot by 100x', () => {
    for (let i = 1; i < runs.length; i++) {
      expect(runs[i].report.monthlyUsd).toBeGreaterThanOrEqual(runs[i - 1].report.monthlyUsd);
      expect(runs[i].report.planScopeUsd).toBeGreaterThanOrEqual(runs[i - 1].report.planScopeUsd);
      expect(runs[i].logs.storedGiB).toBeGreaterThan(runs[i - 1].logs.storedGiB);
      expect(runs[i].metricsMiB).toBeGreaterThanOrEqual(runs[i - 1].metricsMiB);
    }
    expect(runs[runs.length - 1].report.planScopeUsd).toBeGreaterThan(100 * Math.max(1, runs[1].report.planScopeUsd));
  });

  it('README table: 1x / 10x / 100x, naming the item that grows', () => {
    const table = growthTableMarkdown(prod, loadStack('prod'), prices);
    expect(table.split('\n')[0]).toBe('| prod item | 1x | 10x | 100x |');
    expect(table).toMatch(/What grows: \*\*log storage \(ingestion\)\*\*/);
    expect(table).toMatch(/\| \*\*total\*\* \| \*\*\$[0-9.]+\*\* \| \*\*\$[0-9.]+\*\* \| \*\*\$[0-9.]+\*\* \|/);
  });
});

describe('exclusions', () => {
  it('are reflected: the same stack without them stores more and costs at least as much', () => {
    const stack = loadStack('prod');
    const without = JSON.parse(JSON.stringify(stack));
    delete without.resource.google_logging_project_exclusion;
    const a = estimate(10, stack);
    const b = estimate(10, without);
    expect(Object.keys(stack.resource.google_logging_project_exclusion ?? {}).length).toBeGreaterThan(0);
    expect(a.logs.excludedGiB).toBeGreaterThan(0.5);
    expect(b.logs.excludedGiB).toBe(0);
    expect(b.logs.storedGiB - a.logs.storedGiB).toBeCloseTo(a.logs.excludedGiB, 6);
    expect(b.report.planScopeUsd).toBeGreaterThan(a.report.planScopeUsd);
    expect(a.report.items[0].basis).toMatch(/dropped by exclusions \(.*vividly-successful-health-checks/);
  });
});

describe('alerting', () => {
  it('is priced under the model in force, with what consolidating conditions would save', () => {
    const d = estimate(1);
    expect(prices.alerting.modelInForce).toBe('per-metric-reference');
    expect(d.notes[0]).toMatch(/per-metric-reference model/);
    const alerts = d.report.items.filter((i) => i.group === 'alerting' && i.name.startsWith('alert: '));
    expect(alerts).toHaveLength(Object.keys(loadStack('prod').resource.google_monitoring_alert_policy).length);
    const saving = d.report.items.find((i) => /consolidating conditions would save/.test(i.name))!;
    expect(saving).toBeDefined();
    expect(saving.monthlyUsd).toBe(0);
    const amount = Number(/^\$([0-9.]+)\/month/.exec(saving.basis)![1]);
    expect(amount).toBeGreaterThan(0);
    expect(amount).toBeCloseTo(d.alerting.consolidationSavingUsd, 2);
    // Shares read run.googleapis.com/request_count for their denominators and low-traffic guards alike.
    expect(saving.basis).toMatch(
      /run\.googleapis\.com\/request_count of prod-vividly-api over 300s ×[2-9] in [^;]*alert_elevated_rate_limiting, alert_high_error_rate/,
    );
  });
});

describe('prices file', () => {
  it('is dated, and every price names its source', () => {
    const raw = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../pricing/gcp-observability-prices.json'), 'utf8'));
    expect(raw.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const priced: string[] = [];
    const walk = (v: unknown, at: string) => {
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        if ('value' in v) {
          expect({ at, source: typeof (v as any).source === 'string' && (v as any).source.length > 5 }).toEqual({ at, source: true });
          priced.push(at);
        } else for (const [k, c] of Object.entries(v)) walk(c, `${at}.${k}`);
      }
    };
    walk(raw, '$');
    expect(priced.length).toBeGreaterThan(10);
    expect(raw.alerting.decision).toMatch(/2026-11-26/);
  });
});

describe('cost CLI', () => {
  it('--json prints exactly env, monthlyUsd, planScopeUsd and items', async () => {
    const result = await capture(['--env', 'prod', '--json', '--synth-dir', synthDir()]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.out);
    expect(Object.keys(json)).toEqual(['env', 'monthlyUsd', 'planScopeUsd', 'items']);
    expect(json.env).toBe('prod');
    for (const item of json.items) {
      expect(Object.keys(item)).toEqual(['name', 'group', 'monthlyUsd', 'basis']);
      expect(['logging', 'metrics', 'uptime', 'alerting']).toContain(item.group);
    }
    expect(json).toEqual(estimate(1).report);
  });

  it('--traffic-multiplier scales the estimate', async () => {
    const one = JSON.parse((await capture(['--env', 'prod', '--json', '--synth-dir', synthDir()])).out);
    const hundred = JSON.parse((await capture(['--env', 'prod', '--json', '--synth-dir', synthDir(), '--traffic-multiplier', '100'])).out);
    expect(hundred.planScopeUsd).toBeGreaterThan(one.planScopeUsd);
    // An exponent with a minus sign is a plain decimal too, and the largest multiplier allowed still prices finitely.
    const thousandth = await capture(['--env', 'prod', '--json', '--synth-dir', synthDir(), '--traffic-multiplier=1e-3']);
    expect({ code: thousandth.code, err: thousandth.err }).toEqual({ code: 0, err: '' });
    expect(JSON.parse(thousandth.out).monthlyUsd).toBeLessThanOrEqual(one.monthlyUsd);
    const most = JSON.parse((await capture(['--env', 'prod', '--json', '--synth-dir', synthDir(), '--traffic-multiplier', '1000000'])).out);
    expect(Number.isFinite(most.monthlyUsd) && most.monthlyUsd > hundred.monthlyUsd).toBe(true);
  });

  it('prints a breakdown table and total by default', async () => {
    const result = await capture(['--env', 'staging', '--synth-dir', synthDir()]);
    expect(result.code).toBe(0);
    expect(result.out).toContain('| item | group | $/month | basis |');
    expect(result.out).toMatch(/\| \*\*total\*\* \| \| \*\*\$[0-9.]+\*\* \|/);
    expect(result.out).toMatch(/per-metric-reference model/);
  });

  it.each([
    [['--env', 'qa', '--synth-dir', 'x'], /unknown environment "qa"/],
    [['--synth-dir', 'x'], /--env: required/],
    [['--env', 'prod', '--traffic-multiplier=-3'], /--traffic-multiplier: must be a number above 0 and at most 1,000,000 \(got "-3"\)/],
    [['--env', 'prod', '--traffic-multiplier', 'lots'], /--traffic-multiplier: must be a number above 0/],
    [['--env', 'prod', '--traffic-multiplier', '0x10'], /--traffic-multiplier: must be a number above 0/],
    [['--env', 'prod', '--traffic-multiplier', '0'], /--traffic-multiplier: must be a number above 0/],
    // Once printed "$NaN" with exit 0.
    [['--env', 'prod', '--traffic-multiplier', '1e300'], /--traffic-multiplier: must be a number above 0 and at most 1,000,000 \(got "1e300"\)/],
    [['--env', 'prod', '--synth-dir', '/nonexistent/dir'], /\/nonexistent\/dir: not a directory/],
  ])('rejects %j with one line and exit 2', async (argv, message) => {
    const result = await capture(argv as string[]);
    expect(result.code).toBe(2);
    expect(result.err.split('\n')[0]).toMatch(message);
  });

  it.each(MALFORMED_STACKS)('refuses the stack %s: one line naming the file and the field, exit 2 (not a $0 bill)', async (text, field) => {
    const { dir, file } = synthWithStack('dev', text);
    try {
      expect(await capture(['--env', 'dev', '--synth-dir', dir])).toEqual({ code: 2, out: '', err: `cost: ${file}: ${field}: not an object` });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('estimates every environment', () => {
    for (const name of ENVS) {
      const [env] = loadEnvironments([name]);
      const d = estimateCost({ env, stack: loadStack(name), prices });
      expect(d.report.env).toBe(name);
      expect(d.report.monthlyUsd).toBeGreaterThan(0);
    }
  });
});

describe('cost, interrupted', () => {
  it('SIGTERM while it synthesizes the working tree: its temporary synth removed, nothing printed, exit 143', async () => {
    // Stopped once the temporary synth folder exists: the in-process synth has begun (its handlers were installed before).
    // Run outside the project's root, where the working tree is synthesized (in it, a fresh cdktf.out would be read).
    const { result, left } = await interruptTool(() => ['cost', '--env', 'prod'], 'SIGTERM', 'vividly-review-synth-', { inTmpdir: true });
    expect({ code: result.code, signal: result.signal, stdout: result.stdout, stderr: result.stderr }).toEqual({
      code: 143,
      signal: null,
      stdout: '',
      stderr: 'cost: interrupted (SIGTERM); temporary directories removed\n',
    });
    expect(left).toEqual([]);
  }, 60_000);
});
