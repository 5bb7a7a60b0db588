import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadEnvironments } from '../../environments';
import { prod } from '../../environments/prod';
import { synthesize } from '../../main';

const root = path.resolve(__dirname, '..', '..');

function withProd(patch: (p: any) => void): unknown {
  const copy = JSON.parse(JSON.stringify(prod));
  patch(copy);
  return copy;
}

describe('environment validation', () => {
  it('accepts the three committed environments', () => {
    expect(loadEnvironments().map((e) => e.name)).toEqual(['dev', 'staging', 'prod']);
  });

  it.each([
    ['a malformed project id', (p: any) => (p.projectId = 'Vividly_Prod'), 'projectId', 'GCP project id'],
    ['an empty service name', (p: any) => (p.services.api = ''), 'services.api', 'must not be empty'],
    ['a non-positive threshold', (p: any) => (p.alerts.highErrorRate = { threshold: 0 }), 'alerts.highErrorRate.threshold', 'positive'],
    ['a NaN threshold', (p: any) => (p.alerts.ddosAttempt = { threshold: NaN }), 'alerts.ddosAttempt.threshold', 'number'],
    ['an unknown region', (p: any) => (p.region = 'mars-north1'), 'region', 'must be one of'],
    ['a malformed e-mail', (p: any) => (p.notifications.email.security = ['security-at-vividly']), 'notifications.email.security.0', 'e-mail'],
    [
      'a duration that is not whole minutes',
      (p: any) => (p.alerts.performanceDegradation = { durationSeconds: 90 }),
      'alerts.performanceDegradation.durationSeconds',
      'whole number of minutes',
    ],
    ['an unknown field', (p: any) => (p.alerts.highErrorRate = { treshold: 0.1 }), 'alerts.highErrorRate', 'treshold'],
    ['a routing to a disabled PagerDuty', (p: any) => (p.notifications.pagerduty.enabled = false), 'routing.CRITICAL', 'pagerduty'],
    [
      'a planner outside the project',
      (p: any) => (p.serviceAccounts.planner = 'prod-monitoring-planner@other-project.iam.gserviceaccount.com'),
      'serviceAccounts.planner',
      '@vividly-prod.iam.gserviceaccount.com',
    ],
    [
      'a planner account id too short',
      (p: any) => (p.serviceAccounts.planner = 'pl@vividly-prod.iam.gserviceaccount.com'),
      'serviceAccounts.planner',
      'account id of 6-30',
    ],
    ['a GitHub owner with a slash', (p: any) => (p.ci.github.owner = 'rich1edwards/x'), 'ci.github.owner', 'GitHub user or organization'],
    ['a GitHub repository with a quote', (p: any) => (p.ci.github.repository = "vividly'monitoring"), 'ci.github.repository', 'GitHub repository name'],
    ['a deploy environment with a quote', (p: any) => (p.ci.deployEnvironment = "production' || true || '"), 'ci.deployEnvironment', 'GitHub environment name'],
    ['a missing ci block', (p: any) => delete p.ci, 'ci', 'Required'],
    ['a floor rate above the peak', (p: any) => (p.traffic.floorRps = p.traffic.peakRps * 2), 'traffic.floorRps', 'must be at most traffic.peakRps'],
    ['connections in use low above high', (p: any) => (p.traffic.dbConnectionsInUse = [50, 10]), 'traffic.dbConnectionsInUse', 'got [50, 10]'],
    [
      'more connections in use than the database allows',
      (p: any) => (p.traffic.dbConnectionsInUse = [10, p.cloudSql.maxConnections + 1]),
      'traffic.dbConnectionsInUse',
      'more than cloudSql.maxConnections',
    ],
  ])('rejects %s, naming the environment, the field and the reason', (_what, patch, field, reason) => {
    const run = () => loadEnvironments(['prod'], { prod: withProd(patch) });
    expect(run).toThrow(`environments/prod.ts: environment "prod": field "${field}"`);
    expect(run).toThrow(reason);
  });

  it('rejects an unknown environment', () => {
    expect(() => loadEnvironments(['qa'])).toThrow('unknown environment "qa": choose from dev, staging, prod');
  });

  it('writes nothing at all when one environment is bad, and keeps the previous output', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-bad-'));
    const outdir = path.join(dir, 'cdktf.out');
    fs.mkdirSync(outdir);
    // A previous output, in short (a synth replaces only a synth's output).
    fs.writeFileSync(path.join(outdir, 'manifest.json'), '{"stacks": {}, "version": "previous"}');
    expect(() => synthesize(outdir, undefined, { prod: withProd((p) => (p.cloudSql.maxConnections = -5)) })).toThrow('cloudSql.maxConnections');
    expect(fs.readdirSync(outdir)).toEqual(['manifest.json']);
    expect(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')).toBe('{"stacks": {}, "version": "previous"}');
    expect(fs.readdirSync(dir)).toEqual(['cdktf.out']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('synthesizes one environment alone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-one-'));
    const outdir = path.join(dir, 'cdktf.out');
    expect(synthesize(outdir, ['prod'])).toEqual(['prod']);
    expect(fs.readdirSync(path.join(outdir, 'stacks')).sort()).toEqual(['prod', 'prod-bootstrap']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('the compiled app (what `npm run synth` runs)', () => {
  beforeAll(() => {
    if (!fs.existsSync(path.join(root, 'dist', 'main.js'))) execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root });
  });

  it('exits non-zero with one clear line for an unknown environment, writing nothing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-cli-'));
    const outdir = path.join(dir, 'cdktf.out');
    const result = spawnSync(process.execPath, [path.join(root, 'dist', 'main.js'), 'qa'], { env: { ...process.env, CDKTF_OUTDIR: outdir }, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown environment "qa"');
    expect(fs.existsSync(outdir)).toBe(false);
    expect(fs.readdirSync(dir)).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
