/**
 * Issue 16, input validation of scenario files: strict RFC 3339 times (no roll-over of impossible dates, no reading
 * in the machine's local time zone). Each bad input is one InputError naming the file, the field and the reason.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ingestionDelay } from '../../gcp/simulate/delays';
import { InputError } from '../../gcp/simulate/errors';
import { loadPolicyFile } from '../../gcp/simulate/policies';
import { loadScenarioFile, parseScenario } from '../../gcp/simulate/scenario';

function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}
const scenarioError = (spec: Record<string, unknown>) => inputError(() => parseScenario({ name: 'x', ...spec }, 's.yaml'));

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scenario-input-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
function write(name: string, text: string | Buffer): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

/**
 * What `script` prints (one JSON value) when run by Node on the compiled library (dist/, which jest's global setup
 * rebuilds from these sources) with TZ set: jest gives the tests a copy of process.env, so setting TZ in-process does
 * not reach the clock.
 */
function inZone(tz: string, script: string): unknown {
  const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, env: { ...process.env, TZ: tz }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}
const ROOT = path.join(__dirname, '..', '..');

describe('times are RFC 3339, read the same on every machine', () => {
  test('an impossible date is refused, not rolled over into the next month', () => {
    expect(scenarioError({ start: '2025-02-30T16:00:00Z', end: '2025-03-05T00:00:00Z' }).message).toBe(
      's.yaml: start: "2025-02-30T16:00:00Z": day 30 does not exist (February 2025 has 28 days)',
    );
    expect(scenarioError({ start: '2025-11-12T00:00:00Z', end: '2025-11-12T24:00:00Z' }).message).toBe(
      's.yaml: end: "2025-11-12T24:00:00Z": hour 24 is out of range (00-23)',
    );
    // 2024 is a leap year
    expect(parseScenario({ name: 'x', start: '2024-02-29T00:00:00Z', end: 'start+1h' }, 's.yaml').start).toBe(Date.UTC(2024, 1, 29));
  });

  test('a time without a zone is refused (it was read in the local time zone: another verdict under another TZ)', () => {
    expect(scenarioError({ start: '2025-11-12T16:00:00Z', end: '2025-11-12T20:00:00Z', incidentStart: '2025-11-12T17:00:00' }).message).toBe(
      's.yaml: incidentStart: "2025-11-12T17:00:00" has no time zone: write Z or an offset (+01:00)',
    );
    expect(scenarioError({ start: '2025-11-12T16:00:00Z', end: '2025-11-12T20:00:00Z', series: [ramp('2025-11-12T17:00')] }).message).toBe(
      's.yaml: series[0]: "2025-11-12T17:00" has no time zone: write Z or an offset (+01:00)',
    );
  });

  test('Z, an offset and a bare date (its UTC midnight) are the same instants under any TZ', () => {
    const script = `const { parseScenario } = require('./dist/gcp/simulate/scenario');
      const sc = parseScenario({ name: 'x', start: '2025-11-12', end: '2025-11-12T20:00:00+01:00', incidentStart: '2025-11-12t17:00:00.5z' }, 's');
      let error = null;
      try { parseScenario({ name: 'x', start: '2025-11-12T16:00:00Z', end: 'start+4h', incidentStart: '2025-11-12T17:00:00' }, 's'); } catch (e) { error = e.message; }
      console.log(JSON.stringify([sc.start, sc.end, sc.incidentStart, error]));`;
    const expected = [
      Date.UTC(2025, 10, 12),
      Date.UTC(2025, 10, 12, 19),
      Date.UTC(2025, 10, 12, 17, 0, 0, 500),
      's: incidentStart: "2025-11-12T17:00:00" has no time zone: write Z or an offset (+01:00)',
    ];
    for (const tz of ['America/Chicago', 'Asia/Tokyo']) expect(inZone(tz, script)).toEqual(expected);
  });

  test("a log entry's timestamp goes through the same parser", () => {
    const e = scenarioError({ start: '2025-11-12T16:00:00Z', end: '2025-11-12T20:00:00Z', logs: [{ timestamp: '2025-11-12T17:00:00', textPayload: 'x' }] });
    expect(e.message).toBe('s.yaml: logs[0].timestamp: "2025-11-12T17:00:00" has no time zone: write Z or an offset (+01:00)');
  });

  test('unquoted YAML timestamps stay strings (the yaml 1.2 core schema), so they meet the same checks', () => {
    const f = write('tz.yaml', 'name: x\nstart: 2025-11-12\nend: 2025-11-12T20:00:00Z\nincidentStart: 2025-11-12T17:00:00\n');
    expect(inputError(() => loadScenarioFile(f)).message).toBe(`${f}: incidentStart: "2025-11-12T17:00:00" has no time zone: write Z or an offset (+01:00)`);
    fs.writeFileSync(f, 'name: x\nstart: 2025-11-12\nend: 2025-11-12T20:00:00Z\n');
    expect(loadScenarioFile(f).start).toBe(Date.UTC(2025, 10, 12));
  });
});

function ramp(start: string) {
  return {
    metric: { type: 'custom.googleapis.com/x' },
    resource: { type: 'global' },
    kind: 'GAUGE',
    valueType: 'DOUBLE',
    value: { ramp: { from: 0, to: 1, start, end: 'end' } },
  };
}

describe('incidentStart lies in [start, end)', () => {
  test('after end, at end or before start: one error (an incident after end passed with "expectations: ok")', () => {
    const span = { start: '2025-11-12T16:00:00Z', end: '2025-11-12T20:00:00Z' };
    expect(scenarioError({ ...span, incidentStart: '2025-11-12T21:00:00Z' }).message).toBe(
      's.yaml: incidentStart: must lie in [start, end): 2025-11-12T21:00:00.000Z is not before end 2025-11-12T20:00:00.000Z',
    );
    expect(scenarioError({ ...span, incidentStart: 'end' }).field).toBe('incidentStart');
    expect(scenarioError({ ...span, incidentStart: 'start-1s' }).message).toBe(
      's.yaml: incidentStart: must lie in [start, end): 2025-11-12T15:59:59.000Z is before start 2025-11-12T16:00:00.000Z',
    );
    expect(parseScenario({ name: 'x', ...span, incidentStart: 'start' }, 's.yaml').incidentStart).toBe(Date.UTC(2025, 10, 12, 16));
    expect(parseScenario({ name: 'x', ...span, incidentStart: 'end-1s' }, 's.yaml').incidentStart).toBe(Date.UTC(2025, 10, 12, 19, 59, 59));
  });
});

describe('durations are never negative', () => {
  const span = { start: '2025-11-12T16:00:00Z', end: '2025-11-12T20:00:00Z' };
  test('written as a string or a number, anywhere: one error naming the field (a "-3600" spike was empty)', () => {
    expect(scenarioError({ ...span, series: [gauge({ spike: { at: 'start', duration: '-3600', height: 1 } })] }).message).toBe(
      's.yaml: series[0].value.spike.duration: a duration cannot be negative (got "-3600")',
    );
    expect(scenarioError({ ...span, series: [gauge({ spike: { at: 'start', duration: -3600, height: 1 } })] }).message).toBe(
      's.yaml: series[0].value.spike.duration: a duration cannot be negative (got -3600)',
    );
    expect(scenarioError({ ...span, evaluationInterval: '-30s' }).message).toBe('s.yaml: evaluationInterval: a duration cannot be negative (got "-30s")');
    expect(scenarioError({ ...span, series: [{ ...gauge(1), step: ' -60' }] }).field).toBe('series[0].step');
  });

  test('a spike of "3600" still lasts an hour', () => {
    const sc = parseScenario({ name: 'x', ...span, series: [gauge({ spike: { at: 'start+1h', duration: '3600', height: 5 } })] }, 's.yaml');
    const high = sc.series[0].times.filter((_, i) => sc.series[0].values[i] === 5);
    expect(high.length).toBe(60);
    expect(high[0]).toBe(Date.UTC(2025, 10, 12, 17));
  });
});

function gauge(value: unknown) {
  return { metric: { type: 'custom.googleapis.com/x' }, resource: { type: 'global' }, kind: 'GAUGE', valueType: 'DOUBLE', value };
}

describe('numbers are finite', () => {
  const span = { start: '2025-11-12T16:00:00Z', end: '2025-11-12T20:00:00Z' };
  const FINITE = 'must be a finite number, not ±Infinity (YAML reads 1e400 and .inf as Infinity)';
  test('1e400 and .inf in YAML (Infinity) are refused at the field, not simulated as Infinity', () => {
    const f = write(
      'inf.yaml',
      [
        'name: x',
        'start: 2025-11-12T16:00:00Z',
        'end: 2025-11-12T20:00:00Z',
        'series:',
        '  - metric: { type: custom.googleapis.com/x }',
        '    resource: { type: global }',
        '    kind: GAUGE',
        '    valueType: DOUBLE',
        '    value: 1e400',
      ].join('\n'),
    );
    expect(inputError(() => loadScenarioFile(f)).message).toBe(`${f}: series[0].value: ${FINITE}`);
    expect(scenarioError({ ...span, series: [gauge({ spike: { at: 'start', duration: '1h', height: Infinity } })] }).message).toBe(
      `s.yaml: series[0].value.spike.height: ${FINITE}`,
    );
    expect(
      scenarioError({
        ...span,
        series: [
          {
            ...gauge(1),
            value: undefined,
            points: [
              { t: 'start', v: 1 },
              { t: 'end', v: -Infinity },
            ],
          },
        ],
      }).message,
    ).toBe(`s.yaml: series[0].points[1].v: ${FINITE}`);
    expect(scenarioError({ ...span, expect: { maxDetectionSeconds: { API: Infinity } } }).message).toBe(`s.yaml: expect.maxDetectionSeconds.API: ${FINITE}`);
  });

  test('an infinite duration says so (it said "got null")', () => {
    expect(scenarioError({ ...span, series: [gauge({ spike: { at: 'start', duration: Infinity, height: 1 } })] }).message).toBe(
      's.yaml: series[0].value.spike.duration: a duration must be a finite number of seconds (got Infinity; YAML reads 1e400 and .inf as Infinity)',
    );
  });
});

describe('ingestionDelays keys must be able to apply', () => {
  const span = { start: '2025-11-12T16:00:00Z', end: '2025-11-12T20:00:00Z' };
  test('a typo is refused, naming the key and what is allowed (it was ignored: the 180 s Cloud Run delay stayed)', () => {
    const e = scenarioError({ ...span, ingestionDelays: { 'run.googleapis.com/': 60, 'run.googleapis.con/': 0 } });
    expect(e.field).toBe('ingestionDelays');
    expect(e.reason).toMatch(/^"run\.googleapis\.con\/" is the start of no metric type the simulator knows, so it would never apply: /);
    expect(e.reason).toContain('such as run.googleapis.com/, cloudsql.googleapis.com/database/postgresql/num_backends, logging.googleapis.com/user/');
    expect(scenarioError({ ...span, ingestionDelays: { 'run.googleapis.com/reqest_count': 0 } }).field).toBe('ingestionDelays');
  });

  test('a prefix of a built-in or a series metric type, or a log-based metric, is accepted and applies', () => {
    const delays = {
      'run.googleapis.com/request_count': 0,
      'pubsub.googleapis.com/': 30,
      'custom.googleapis.com/queue/': 45,
      'logging.googleapis.com/user/vividly/': 5,
    };
    const sc = parseScenario(
      { name: 'x', ...span, ingestionDelays: delays, series: [{ ...gauge(1), metric: { type: 'custom.googleapis.com/queue/depth' } }] },
      's',
    );
    expect(sc.ingestionDelays).toEqual(delays);
    expect(ingestionDelay('run.googleapis.com/request_count', sc.ingestionDelays).seconds).toBe(0);
    expect(ingestionDelay('run.googleapis.com/request_latencies', sc.ingestionDelays).seconds).toBe(180);
    expect(scenarioError({ ...span, ingestionDelays: { 'custom.googleapis.com/queue/': 45 } }).field).toBe('ingestionDelays'); // no such series
  });
});

describe('a UTF-8 byte-order mark is not part of a JSON input', () => {
  const BOM = '\uFEFF';
  test('a scenario .json and a --policy file with a BOM load (JSON.parse said "Unexpected token")', () => {
    const f = write('bom.json', `${BOM}${JSON.stringify({ name: 'bom', start: '2025-11-12T16:00:00Z', end: '2025-11-12T20:00:00Z' })}`);
    expect(loadScenarioFile(f).name).toBe('bom');
    const policy = fs.readFileSync(path.join(__dirname, 'fixtures', 'high-error-rate.json'), 'utf8');
    const p = write('bom-policy.json', `${BOM}${policy}`);
    expect(loadPolicyFile(p).policies.map((x) => x.displayName)).toEqual(
      loadPolicyFile(path.join(__dirname, 'fixtures', 'high-error-rate.json')).policies.map((x) => x.displayName),
    );
    // only at the start: a BOM inside the text is still an error
    expect(inputError(() => loadScenarioFile(write('bom2.json', `{${BOM}"name": "x"}`))).reason).toMatch(/^not valid JSON: /);
  });
});

describe('logs files hold LogEntry objects: JSON lines or the JSON array gcloud prints', () => {
  const fixtures = path.join(__dirname, '..', 'fixtures');
  const entriesText = fs.readFileSync(path.join(fixtures, 'vividly-api-logentries.jsonl'), 'utf8');
  const scenario = (logs: unknown[]) => ({ name: 'x', start: '2025-11-12T14:00:00Z', end: '2025-11-12T16:00:00Z', logs });
  const load = (name: string, text: string) => parseScenario(scenario([{ file: write(name, text) }]), path.join(dir, 's.yaml'));
  const RAW_JSON =
    "not a LogEntry: this is the app's raw stdout JSON (timestamp, severity, message, logger), which Cloud Logging wraps in a LogEntry (jsonPayload, logName, resource); read real entries with `gcloud logging read --format=json`";

  test("the app's raw stdout JSON lines are refused as check-logs refuses them (they were read and matched nothing)", () => {
    const stdout = path.join(fixtures, 'vividly-api-stdout.jsonl');
    const e = inputError(() => parseScenario(scenario([{ file: stdout }]), 's.yaml'));
    expect(e.message).toBe(`${stdout}: line 1: ${RAW_JSON}`);
    // inline, the same
    const line = JSON.parse(fs.readFileSync(stdout, 'utf8').split('\n')[0]);
    expect(scenarioError(scenario([line])).message).toBe(`s.yaml: logs[0]: ${RAW_JSON}`);
    // and its text form
    const text = write('dev.log', '[INFO] 2025-11-12 15:00:50 - app.main - started (main:<module>:62)\n');
    expect(inputError(() => parseScenario(scenario([{ file: text }]), 's.yaml')).message).toMatch(
      /dev\.log: line 1: not a LogEntry: this is the app's raw text output \(\[LEVEL\] date - logger - message\)/,
    );
  });

  test('`gcloud logging read --format=json` (one JSON array) loads the same entries as JSON lines; a BOM is skipped', () => {
    const lines = load('entries.jsonl', entriesText).logs;
    expect(lines).toHaveLength(60);
    const entries = entriesText
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l));
    expect(load('entries.json', JSON.stringify(entries, null, 2)).logs).toEqual(lines);
    expect(load('bom.jsonl', `\uFEFF${entriesText}`).logs).toEqual(lines);
    expect(inputError(() => load('broken.json', JSON.stringify(entries, null, 2).slice(0, -3))).message).toMatch(
      /broken\.json: \(root\): not valid JSON \(a JSON array of LogEntry objects, as `gcloud logging read --format=json` prints\): /,
    );
  });
});
