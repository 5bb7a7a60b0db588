import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../tools/simulate/cli';
import { interruptTool } from '../support/interrupt';
import { synthDir } from '../support/synth';

const fixture = (f: string) => path.join(__dirname, 'fixtures', f);
let dir: string;
let out: string[];
let err: string[];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-cli-'));
  out = [];
  err = [];
  jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    out.push(a.join(' '));
  });
  jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
    err.push(a.join(' '));
  });
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

const burst = (expectFire: boolean) => `
name: burst
start: 2025-11-12T09:00:00Z
end: 2025-11-12T11:00:00Z
incidentStart: 2025-11-12T10:00:00Z
expect:
  ${expectFire ? 'fire' : 'notFire'}: [High Error Rate]
series:
  - metric: { type: run.googleapis.com/request_count, labels: { response_code_class: 5xx } }
    resource: { type: cloud_run_revision, labels: { service_name: api } }
    kind: DELTA
    valueType: INT64
    value: { step: { at: incident, after: 1 } }
`;

describe('simulate CLI', () => {
  test('--json prints exactly the documented shape; --plot and --report write files', async () => {
    const sc = write('burst.yaml', burst(true));
    const code = await run(['--policy', fixture('high-error-rate.json'), '--json', '--plot', path.join(dir, 'plots'), '--report', path.join(dir, 'r.md'), sc]);
    expect(code).toBe(0);
    expect(JSON.parse(out.join('\n'))).toEqual({
      scenarios: [{ name: 'burst', alerts: { 'prod - High Error Rate': { fired: true, firstFiredAt: '2025-11-12T10:09:00.000Z', detectionSeconds: 540 } } }],
    });
    const svgs = fs.readdirSync(path.join(dir, 'plots'));
    expect(svgs).toEqual(['burst--prod-high-error-rate.svg']);
    const svg = fs.readFileSync(path.join(dir, 'plots', svgs[0]), 'utf8');
    expect(svg).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*<polyline[\s\S]*<\/svg>\s*$/);
    expect(svg).toContain('fill-opacity="0.15"'); // firing window shaded
    expect(fs.readFileSync(path.join(dir, 'r.md'), 'utf8')).toContain('| prod - High Error Rate | 540 s |');
  });

  test('table output and exit 1 when an expectation fails', async () => {
    const code = await run(['--policy', fixture('high-error-rate.json'), write('b.yaml', burst(false))]);
    expect(code).toBe(1);
    const text = out.join('\n');
    expect(text).toMatch(/prod - High Error Rate\s+FIRED\s+2025-11-12T10:09:00.000Z\s+540s/);
    expect(text).toContain('expected not to fire "High Error Rate": "prod - High Error Rate" fired at 2025-11-12T10:09:00.000Z');
  });

  test('exit 2 with file: field: reason on bad input', async () => {
    const bad = write('bad.yaml', burst(true).replace('kind: DELTA', 'kind: DELTA\n    kindd: x'));
    expect(await run(['--policy', fixture('high-error-rate.json'), bad])).toBe(2);
    expect(err.join('\n')).toBe(`${bad}: series[0]: unknown field(s) "kindd"`);
    err = [];
    const badTime = write('t.json', JSON.stringify({ name: 'x', start: 'yesterday', end: '2025-01-01T00:00:00Z' }));
    expect(await run(['--policy', fixture('high-error-rate.json'), badTime])).toBe(2);
    expect(err.join('\n')).toMatch(/t\.json: start: "yesterday" is not a time \(RFC 3339 such as 2025-11-12T17:00:00Z/);
    expect(await run(['--policy', path.join(dir, 'missing.json'), badTime])).toBe(2);
    expect(await run(['--env', 'dev', '--policy', 'x', badTime])).toBe(2);
  });

  test('--env reads <synth-dir>/stacks/<env>/cdk.tf.json; a policy that cannot be evaluated exits 1 with its error', async () => {
    const synth = path.join(dir, 'out');
    fs.mkdirSync(path.join(synth, 'stacks', 'dev'), { recursive: true });
    fs.copyFileSync(fixture('mini-cdk.tf.json'), path.join(synth, 'stacks', 'dev', 'cdk.tf.json'));
    const sc = write('q.json', JSON.stringify({ name: 'quiet', start: '2025-01-01T00:00:00Z', end: '2025-01-01T01:00:00Z', expect: { notFire: ['API'] } }));
    // every expectation holds, but "dev - Unresolvable" cannot be evaluated: never a silent pass
    expect(await run(['--env', 'dev', '--synth-dir', synth, '--json', sc])).toBe(1);
    const alerts = JSON.parse(out.join('\n')).scenarios[0].alerts;
    expect(alerts['dev - API down']).toEqual({ fired: false, firstFiredAt: null, detectionSeconds: null });
    expect(alerts['dev - Unresolvable'].error).toMatch(/unresolved Terraform interpolation/);
    expect(err.join('\n')).toMatch(/error: quiet: policy "dev - Unresolvable".*unresolved Terraform interpolation/);
    out = [];
    err = [];
    expect(await run(['--env', 'dev', '--synth-dir', synth, sc])).toBe(1); // table mode too
    expect(out.join('\n')).toMatch(/dev - Unresolvable\s+ERROR/);
    expect(err.join('\n')).toMatch(/policy "dev - Unresolvable"/);
  });

  test.each([
    ['several YAML documents', 'high-error-rate.yaml', '(root)', 'several YAML documents'],
    ["one document with an alert test's fields", 'quiet-week.yaml', 'env', 'fields env, include, open, opened'],
  ])('an alert test file (%s) given as a scenario is named as one, with the command that runs it, exit 2', async (_name, base, field, why) => {
    const file = path.join(__dirname, '..', '..', 'scenarios', 'alerts', base);
    expect(await run(['--env', 'prod', '--synth-dir', synthDir(), file])).toBe(2);
    expect(err).toEqual([`${file}: ${field}: this is an alert test file (${why}), not a scenario: run it with \`vividly-monitoring simulate test ${file}\``]);
    expect(out).toEqual([]);
  });

  test('--plot-history without --plot is a usage error naming both options, exit 2 (it was ignored)', async () => {
    expect(await run(['--policy', fixture('high-error-rate.json'), '--plot-history', write('b.yaml', burst(true))])).toBe(2);
    expect(err).toEqual([
      'simulate: option --plot-history: needs --plot DIR (it draws the whole scenario in the plots)',
      expect.stringMatching(/^usage: vividly-monitoring simulate /),
    ]);
    expect(out).toEqual([]);
  });

  test('--env: an unknown environment is a usage error, a known one without a synth one line naming the file, exit 2', async () => {
    const sc = write('b.yaml', burst(true));
    expect(await run(['--env', 'qa', sc])).toBe(2);
    expect(err).toEqual([
      'simulate: option --env: unknown environment "qa": choose from dev, staging, prod',
      expect.stringMatching(/^usage: vividly-monitoring simulate /),
    ]);
    err = [];
    const empty = path.join(dir, 'empty-synth');
    fs.mkdirSync(empty);
    expect(await run(['--env', 'prod', '--synth-dir', empty, sc])).toBe(2);
    expect(err).toEqual([
      `simulate: no synthesized stack for "prod" at ${path.join(empty, 'stacks', 'prod', 'cdk.tf.json')} (run \`npm run synth\` first, or pass the right --synth-dir)`,
    ]);
    err = [];
    const cwd = process.cwd();
    process.chdir(dir); // no cdktf.out here
    try {
      expect(await run(['--env', 'staging', sc])).toBe(2);
    } finally {
      process.chdir(cwd);
    }
    expect(err).toEqual([
      `simulate: no synthesized stack for "staging" at ${path.join('cdktf.out', 'stacks', 'staging', 'cdk.tf.json')} (run \`npm run synth\` first)`,
    ]);
    expect(out).toEqual([]);
  });
});

describe('simulate --plot DIR / --report FILE (issue 16)', () => {
  test('a path that cannot be written is refused before the simulation: one line naming the option, exit 2', async () => {
    const sc = write('b.yaml', burst(true));
    const file = write('a-file', '');
    fs.mkdirSync(path.join(dir, 'a-dir'));
    const cases: Array<[string[], string]> = [
      [['--plot', file], `simulate: option --plot: ${file}: exists and is not a directory`],
      [['--plot', path.join(file, 'plots')], `simulate: option --plot: ${path.join(file, 'plots')}: ${file} is not a directory`],
      [['--plot', ''], 'simulate: option --plot: must not be empty'],
      [['--report', path.join(dir, 'a-dir')], `simulate: option --report: ${path.join(dir, 'a-dir')}: is a directory (a file is written there)`],
      [['--report', path.join(file, 'r.md')], `simulate: option --report: ${path.join(file, 'r.md')}: ${file} is not a directory`],
    ];
    for (const [options, line] of cases) {
      out = [];
      err = [];
      expect({ options, code: await run(['--policy', fixture('high-error-rate.json'), ...options, sc]) }).toEqual({ options, code: 2 });
      // Nothing simulated, nothing printed, nothing written.
      expect({ out, err }).toEqual({ out: [], err: [line] });
    }
    expect(fs.readdirSync(dir).sort()).toEqual(['a-dir', 'a-file', 'b.yaml']);
    expect(fs.readdirSync(path.join(dir, 'a-dir'))).toEqual([]);
  });

  test('the plots go into a folder that exists beside what it holds; missing parent folders are created', async () => {
    const sc = write('burst.yaml', burst(true));
    const plots = path.join(dir, 'plots');
    fs.mkdirSync(plots);
    fs.writeFileSync(path.join(plots, 'older.svg'), 'kept');
    const report = path.join(dir, 'new', 'folder', 'r.md');
    expect(await run(['--policy', fixture('high-error-rate.json'), '--plot', plots, '--report', report, sc])).toBe(0);
    expect(fs.readdirSync(plots).sort()).toEqual(['burst--prod-high-error-rate.svg', 'older.svg']);
    expect(fs.readFileSync(report, 'utf8')).toContain('| prod - High Error Rate | 540 s |');
    // No partial output left beside them.
    expect(fs.readdirSync(dir).sort()).toEqual(['burst.yaml', 'new', 'plots']);
  });

  test('SIGTERM while the plots are written: no plot folder, no report, no partial output, exit 143', async () => {
    const scenarios = ['prod-5xx-storm.yaml', 'prod-api-down.yaml'].map((f) => path.join('scenarios', f));
    const args = (tmpdir: string) => [
      ...['simulate', '--env', 'prod', '--synth-dir', synthDir(), '--plot', path.join(tmpdir, 'plots'), '--report', path.join(tmpdir, 'report.md')],
      ...scenarios,
    ];
    // Stopped as soon as the plots are being written: their folder (partial or not) exists.
    const { result, left } = await interruptTool(args, 'SIGTERM', 'plots');
    expect({ code: result.code, signal: result.signal, stderr: result.stderr }).toEqual({
      code: 143,
      signal: null,
      stderr: 'simulate: interrupted (SIGTERM); partial outputs removed\n',
    });
    expect(left).toEqual([]);
  }, 60_000);
});
