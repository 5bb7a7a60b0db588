/**
 * The alert-test runner (gcp/simulate/alert-tests.ts) on hand-written policies and files: promtool's series
 * notation, fragments, the exact-set assertions (an unlisted open incident fails, with expected vs actual printed),
 * and the `simulate test` command's exit codes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import YAML from 'yaml';
import { loadAlertTestFile, parseSeriesValues, runAlertTest } from '../../gcp/simulate/alert-tests';
import { runTestCommand } from '../../tools/simulate/alert-tests-cli';
import { InputError } from '../../gcp/simulate/errors';
import type { ApiAlertPolicy } from '../../gcp/api/alert-policy';
import { iso, policies, thresholdPolicy } from './helpers';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alert-tests-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const f = path.join(dir, name);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, text);
  return f;
};

const GAUGE = 'metric.type = "custom.googleapis.com/x" AND resource.type = "global"';
const high = thresholdPolicy({ name: 'Gauge high', filter: GAUGE, aligner: 'ALIGN_MAX', period: '60s', threshold: 10 });
const veryHigh = thresholdPolicy({ name: 'Gauge very high', filter: GAUGE, aligner: 'ALIGN_MAX', period: '60s', threshold: 100 });
const set = policies(high as ApiAlertPolicy, veryHigh as ApiAlertPolicy);

/** A one-series test file: the gauge takes `values` one a minute from the start. */
const file = (values: string, checks: string, extra = '') =>
  write(
    `t-${Math.random().toString(36).slice(2)}.yaml`,
    `
env: prod
name: gauge
start: ${iso(0)}
end: ${iso(1800)}
incidentStart: start+10m
series:
  - metric: { type: custom.googleapis.com/x }
    resource: { type: global }
    kind: GAUGE
    valueType: DOUBLE
    values: "${values}"
${checks}
${extra}`,
  );

describe('promtool series notation', () => {
  test.each([
    ['1 2 3', [1, 2, 3]],
    ['-2+4x3', [-2, 2, 6, 10]],
    ['1-2x4', [1, -1, -3, -5, -7]],
    ['1x4', [1, 1, 1, 1, 1]],
    ['1 _x3 5', [1, null, null, null, 5]],
    ['_ 0.1+0.1x2', [null, 0.1, 0.2, 0.3]],
    ['1e3x1', [1000, 1000]],
  ])('%s', (text, expected) => expect(parseSeriesValues(text)).toEqual(expected));
  test.each(['', 'x3', '1+x3', '1x', 'one', '1,2'])('rejects %j', (text) => expect(() => parseSeriesValues(text)).toThrow());

  test('GAUGE values sit at start + k·step; DELTA values end their step', () => {
    const f = write(
      'delta.yaml',
      `
env: prod
name: n
start: ${iso(0)}
end: ${iso(600)}
series:
  - { metric: { type: custom.googleapis.com/g }, resource: { type: global }, kind: GAUGE, valueType: INT64, values: "1 _ 3" }
  - { metric: { type: custom.googleapis.com/d }, resource: { type: global }, kind: DELTA, valueType: INT64, step: 2m, from: start+1m, values: "5 6" }
opened: []
`,
    );
    const [t] = loadAlertTestFile(f);
    expect(t.scenario.series[0].times).toEqual([0, 120].map((s) => Date.parse(iso(s))));
    expect(t.scenario.series[0].values).toEqual([1, 3]);
    expect(t.scenario.series[1].times).toEqual([180, 300].map((s) => Date.parse(iso(s))));
    expect(t.scenario.series[1].values).toEqual([5, 6]);
  });

  test('start and end may refer to the incident, as in any scenario; values then start where start resolves', () => {
    const f = write(
      'anchors.yaml',
      `
env: prod
name: n
start: incident-2m
end: incident+10m
incidentStart: ${iso(600)}
series:
  - { metric: { type: custom.googleapis.com/g }, resource: { type: global }, kind: GAUGE, valueType: INT64, values: "1 2" }
  - { metric: { type: custom.googleapis.com/h }, resource: { type: global }, kind: GAUGE, valueType: INT64, from: incident+1m, values: "7" }
opened: []
`,
    );
    const [t] = loadAlertTestFile(f);
    expect([t.scenario.start, t.scenario.end]).toEqual([480, 1200].map((s) => Date.parse(iso(s))));
    expect(t.scenario.series[0].times).toEqual([480, 540].map((s) => Date.parse(iso(s))));
    expect(t.scenario.series[1].times).toEqual([Date.parse(iso(660))]);
  });
});

describe('exact sets of open incidents', () => {
  test('passes when the listed alerts are exactly the open ones', () => {
    const [t] = loadAlertTestFile(
      file(
        '1x9 50x20',
        `open:
  - { at: incident-1m, alerts: [] }
  - { at: incident, alerts: [Gauge high] }
opened: [Gauge high]`,
      ),
    );
    expect(runAlertTest(t, set).failures).toEqual([]);
  });

  test('an unlisted alert that is open fails, naming the time and both sets', () => {
    const [t] = loadAlertTestFile(
      file(
        '1x9 500x20',
        `open:
  - { at: incident+1m, alerts: [Gauge high] }`,
      ),
    );
    expect(runAlertTest(t, set).failures).toEqual([
      [
        `at incident+1m (evaluation ${iso(660).replace('.000Z', 'Z')}):`,
        '    expected: [Gauge high]',
        '    actual:   [Gauge high, Gauge very high]',
        '    open but not listed: Gauge very high',
      ].join('\n'),
    ]);
  });

  test('a listed alert that is not open fails; so does a wrong opened set', () => {
    const [t] = loadAlertTestFile(
      file(
        '1x29',
        `open:
  - { at: end, alerts: [very high] }
opened: [Gauge high]`,
      ),
    );
    const f = runAlertTest(t, set).failures;
    expect(f).toHaveLength(2);
    expect(f[0]).toContain('listed but not open: Gauge very high');
    expect(f[1]).toMatch(/^opened during the scenario:\n {4}expected: \[Gauge high\]\n {4}actual: {3}\[\] \(none\)/);
  });

  test('the state at `at` is the last evaluation at or before it, and closed incidents are not open', () => {
    const [t] = loadAlertTestFile(
      file(
        '1x9 50x4 1x15',
        `open:
  - { at: incident+4m59s, alerts: [Gauge high] }
  - { at: incident+6m, alerts: [] }
opened: [Gauge high]`,
      ),
    );
    expect(runAlertTest(t, set).failures).toEqual([]);
  });

  test('an ambiguous or unknown alert name is bad input', () => {
    const [t] = loadAlertTestFile(file('1x29', 'opened: [Gauge]'));
    expect(() => runAlertTest(t, set)).toThrow(/opened: "Gauge" is ambiguous in prod: Gauge high; Gauge very high/);
    const [u] = loadAlertTestFile(file('1x29', 'opened: [Latency]'));
    expect(() => runAlertTest(u, set)).toThrow(/"Latency" names no policy of prod/);
  });
});

describe('fragments', () => {
  test('vars, parameters with defaults, splicing lists, siblings merged, env in include paths', () => {
    write('frag/prod.yaml', 'vars: { threshold: 50 }\n');
    write(
      'frag/common.yaml',
      `
fragments:
  window: { value: { start: "${iso(0)}", end: "${iso(1800)}", incidentStart: start+10m } }
  gauge:
    params: { level: ~, seed: 1 }
    value: { metric: { type: custom.googleapis.com/x, labels: { seed: "s\${seed}" } }, resource: { type: global }, kind: GAUGE, valueType: DOUBLE, value: "\${level}" }
  two:
    value: [ { use: gauge, with: { level: 1 } }, { use: gauge, with: { level: 2, seed: 2 } } ]
`,
    );
    const f = write(
      'uses.yaml',
      `
env: prod
include: ["frag/\${env}.yaml", frag/common.yaml]
use: [window]
name: fragments in \${env}
series:
  - use: two
  - { use: gauge, with: { level: 0 }, values: "1x9 \${threshold}x20" }
opened: [Gauge high]
`,
    );
    const [t] = loadAlertTestFile(f);
    expect(t.scenario.name).toBe('fragments in prod');
    expect(t.scenario.series.map((s) => s.metric.labels.seed)).toEqual(['s1', 's2', 's1']);
    expect(t.scenario.series[2].values.slice(9, 11)).toEqual([1, 50]);
    expect(runAlertTest(t, set).failures).toEqual([]);
  });

  test.each([
    ['an unknown fragment', 'series: [{ use: nope }]', /series\[0\]\.use: no fragment "nope"/],
    ['a missing parameter', 'fragments: { f: { params: { p: ~ }, value: 1 } }\nseries: [{ use: f }]', /series\[0\]\.with: fragment "f" needs parameter "p"/],
    ['an unknown parameter', 'fragments: { f: { value: 1 } }\nseries: [{ use: f, with: { q: 1 } }]', /series\[0\]\.with\.q: fragment "f" has no parameter "q"/],
    ['an unknown variable', 'name: "${nope}"', /name: unknown variable \$\{nope\}/],
    ['a fragment using itself', 'fragments: { f: { value: { use: f } } }\nseries: [{ use: f }]', /nested more than 32 deep/],
    ['no env', 'env: ~', /env: required/],
    ['no assertion', 'opened: ~', /open: an alert test asserts something/],
    ['an `at` outside the window', 'open: [{ at: end+1m, alerts: [] }]', /open\[0\]\.at: end\+1m is outside the evaluated window/],
    [
      'bad compact values',
      'series: [{ metric: { type: custom.googleapis.com/x }, resource: { type: global }, kind: GAUGE, valueType: DOUBLE, values: "1 2x" }]',
      /series\[0\]\.values: "2x" is not a value/,
    ],
  ])('%s is one clear input error', (_what, yaml, message) => {
    // a valid base document, with the case's fields set over it (null: removed)
    const doc: Record<string, unknown> = { env: 'prod', name: 'n', start: iso(0), end: iso(600), opened: [], ...YAML.parse(yaml) };
    for (const k of Object.keys(doc)) if (doc[k] === null) delete doc[k];
    const f = write(`bad-${Math.random().toString(36).slice(2)}.yaml`, YAML.stringify(doc));
    let error: unknown;
    try {
      loadAlertTestFile(f);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message.startsWith(`${f}: `)).toBe(true);
  });
});

describe('simulate test (command)', () => {
  const synth = () => {
    const d = path.join(dir, 'synth');
    fs.mkdirSync(path.join(d, 'stacks', 'prod'), { recursive: true });
    fs.writeFileSync(
      path.join(d, 'stacks', 'prod', 'cdk.tf.json'),
      JSON.stringify({
        resource: {
          google_monitoring_alert_policy: {
            high: {
              display_name: 'Gauge high',
              combiner: 'OR',
              conditions: [
                {
                  display_name: 'c',
                  condition_threshold: {
                    filter: GAUGE,
                    comparison: 'COMPARISON_GT',
                    threshold_value: 10,
                    duration: '0s',
                    aggregations: [{ alignment_period: '60s', per_series_aligner: 'ALIGN_MAX' }],
                  },
                },
              ],
            },
          },
        },
      }),
    );
    return d;
  };
  const capture = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runTestCommand(
      argv,
      (s) => out.push(s),
      (s) => err.push(s),
    );
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  test('exit 0 when every test passes, 1 with the expected/actual sets when one fails, 2 on bad input', async () => {
    const d = synth();
    const tests = path.join(dir, 'cmd');
    fs.mkdirSync(path.join(tests, 'fragments'), { recursive: true });
    fs.writeFileSync(path.join(tests, 'fragments', 'ignored.yaml'), 'not: [a test');
    fs.copyFileSync(file('1x9 50x20', 'opened: [Gauge high]'), path.join(tests, 'a.yaml'));
    const ok = await capture(['--synth-dir', d, tests]);
    expect(ok).toMatchObject({ code: 0, err: '' });
    expect(ok.out).toContain('1 of 1 alert tests passed');

    fs.copyFileSync(file('1x29', 'opened: [Gauge high]'), path.join(tests, 'b.yaml'));
    const failed = await capture(['--synth-dir', d, tests]);
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(
      /FAIL {2}.*b\.yaml: gauge \(prod\)\n {2}opened during the scenario:\n {6}expected: \[Gauge high\]\n {6}actual: {3}\[\] \(none\)/,
    );
    expect(failed.out).toContain('1 of 2 alert tests passed');

    const json = await capture(['--synth-dir', d, '--json', path.join(tests, 'b.yaml')]);
    expect(JSON.parse(json.out).tests).toEqual([expect.objectContaining({ scenario: 'gauge', env: 'prod', ok: false })]);

    expect(await capture(['--synth-dir', d, path.join(dir, 'missing.yaml')])).toMatchObject({
      code: 2,
      err: `${path.join(dir, 'missing.yaml')}: (root): no such file or directory`,
    });
    expect(await capture([path.join(tests, 'a.yaml'), '--synth-dir', path.join(dir, 'nowhere')])).toMatchObject({ code: 2 });
    expect((await capture([])).code).toBe(2);
  });
});
