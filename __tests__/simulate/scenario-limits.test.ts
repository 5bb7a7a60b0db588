/**
 * Issue 12 "Simulator defects found with unseen scenarios": start/end/incidentStart referring to each other, circular
 * or absurd time references, and the documented size caps (SCENARIO_LIMITS) — each one InputError (the CLI exits 2).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseScenario, SCENARIO_LIMITS } from '../../gcp/simulate/scenario';
import { InputError } from '../../gcp/simulate/errors';
import { run } from '../../tools/simulate/cli';

const series = (n: number, extra: Record<string, unknown> = {}) =>
  Array.from({ length: n }, (_, i) => ({
    metric: { type: 'run.googleapis.com/request_count', labels: {} },
    resource: { type: 'cloud_run_revision', labels: { revision_name: `r${i}` } },
    kind: 'DELTA',
    valueType: 'INT64',
    value: 1,
    ...extra,
  }));

function inputError(spec: Record<string, unknown>): InputError {
  try {
    parseScenario({ name: 'x', ...spec }, 's.yaml');
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('start, end and incidentStart may refer to each other', () => {
  test('start: end-3d resolves against end, not against time zero', () => {
    const sc = parseScenario({ name: 'x', start: 'end-3d', end: '2025-11-12T19:00:00Z' }, 's.yaml');
    expect(new Date(sc.start).toISOString()).toBe('2025-11-09T19:00:00.000Z');
  });

  test('start and end written as incident±D use the incidentStart the file has (the README form)', () => {
    const sc = parseScenario({ name: 'x', start: 'incident-3d', end: 'incident+2h', incidentStart: '2025-11-12T17:00:00Z' }, 's.yaml');
    expect(new Date(sc.start).toISOString()).toBe('2025-11-09T17:00:00.000Z');
    expect(new Date(sc.end).toISOString()).toBe('2025-11-12T19:00:00.000Z');
    expect(sc.incidentStart).toBe(Date.parse('2025-11-12T17:00:00Z'));
  });

  test('incidentStart: start+4h and end: incident+1h chain', () => {
    const sc = parseScenario({ name: 'x', start: '2025-11-12T00:00:00Z', end: 'incident+1h', incidentStart: 'start+4h' }, 's.yaml');
    expect(new Date(sc.end).toISOString()).toBe('2025-11-12T05:00:00.000Z');
  });

  test('a circular reference is one error naming the fields', () => {
    const e = inputError({ start: 'end-1d', end: 'start+1d' });
    expect(e.message).toBe('s.yaml: start: circular time reference (start: "end-1d" -> end: "start+1d" -> start: "end-1d"); give one of them as an ISO time');
    expect(inputError({ start: '2025-01-01T00:00:00Z', end: 'incident+1h', incidentStart: 'end-2h' }).message).toMatch(
      /end: circular time reference \(end: "incident\+1h" -> incidentStart: "end-2h" -> end/,
    );
    expect(inputError({ start: 'start+1h', end: '2025-01-01T00:00:00Z' }).message).toMatch(/start: circular time reference/);
  });

  test('incident±D without an incidentStart still says so', () => {
    expect(inputError({ start: 'incident-1h', end: '2025-01-01T00:00:00Z' }).message).toBe(
      's.yaml: start: "incident-1h" refers to the incident but the scenario has no incidentStart',
    );
  });
});

describe('absurd spans and sizes are refused before anything is materialised', () => {
  test('a 56-year scenario (start resolved against time zero by mistake) names the day cap', () => {
    const e = inputError({ start: '1970-01-01T00:00:00Z', end: '2025-11-12T19:00:00Z', series: series(1) });
    expect(e.field).toBe('end');
    expect(e.reason).toMatch(/spans 20404\.8 days .* over the limit of 400 days \(SCENARIO_LIMITS\.days/);
  });

  test('series × steps over the point cap', () => {
    // 40 series over 400 days at 60 s: 23 M points
    const e = inputError({ start: '2025-01-01T00:00:00Z', end: 'start+400d', evaluationInterval: '10m', series: series(40) });
    expect(e.field).toBe('series');
    expect(e.reason).toMatch(/^23,040,040 points \(40 series over 400\.0 days at 60 s steps\) exceed the limit of 20,000,000 \(SCENARIO_LIMITS\.points/);
    // the same with a 10-minute step fits
    expect(() =>
      parseScenario({ name: 'x', start: '2025-01-01T00:00:00Z', end: 'start+400d', step: '10m', evaluationInterval: '10m', series: series(40) }, 's.yaml'),
    ).not.toThrow();
  });

  test('evaluation times over their cap: a year at the default 30 s, not at 120 s', () => {
    const e = inputError({ start: '2025-01-01T00:00:00Z', end: 'start+365d', series: series(1) });
    expect(e.field).toBe('evaluationInterval');
    expect(e.reason).toMatch(/^1,051,201 evaluation times \(365\.0 days every 30 s\) exceed the limit of 300,000 \(SCENARIO_LIMITS\.evaluations/);
    expect(() =>
      parseScenario({ name: 'x', start: '2025-01-01T00:00:00Z', end: 'start+365d', evaluationInterval: '120s', series: series(1) }, 's.yaml'),
    ).not.toThrow();
  });

  test('series × evaluation times over the working-set cap', () => {
    const e = inputError({ start: '2025-01-01T00:00:00Z', end: 'start+100d', step: '1h', series: series(200) });
    expect(e.reason).toMatch(/^200 series × 288,001 evaluation times = 57,600,200 exceed the limit of 40,000,000 \(SCENARIO_LIMITS\.seriesEvaluations/);
  });

  test('log streams over the log-entry cap', () => {
    const saved = SCENARIO_LIMITS.logEntries;
    SCENARIO_LIMITS.logEntries = 1000; // the real cap (2 M) behaves the same, only slower to reach
    try {
      const e = inputError({ start: '2025-01-01T00:00:00Z', end: 'start+1d', logStreams: [{ template: { severity: 'ERROR' }, rate: 1 }] });
      expect(e.field).toBe('logStreams[0]');
      expect(e.reason).toMatch(/more than 1,000 log entries \(SCENARIO_LIMITS\.logEntries/);
    } finally {
      SCENARIO_LIMITS.logEntries = saved;
    }
  });

  test('the caps are the documented ones', () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../gcp/simulate/README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Size limits'));
    for (const [k, v] of Object.entries(SCENARIO_LIMITS)) expect(section).toContain(`\`${k}\` | ${v.toLocaleString('en-US')}`);
  });

  test('the CLI exits 2 with one line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-limits-'));
    const err: string[] = [];
    jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
      err.push(a.join(' '));
    });
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const f = path.join(dir, 'old.yaml');
      fs.writeFileSync(f, 'name: old\nstart: end-3d\nend: start+3d\n');
      const policy = path.join(__dirname, 'fixtures', 'high-error-rate.json');
      expect(await run(['--policy', policy, f])).toBe(2);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(/old\.yaml: start: circular time reference/);
    } finally {
      jest.restoreAllMocks();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
