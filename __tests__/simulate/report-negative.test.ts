/** A detection delay below zero (the alert fired before the incident started) is flagged in the table, JSON, report and help. */
import { formatMarkdownReport, formatTable, toJson } from '../../gcp/simulate/report';
import type { PolicyResult, ScenarioResult } from '../../gcp/simulate/engine';
import { run } from '../../tools/simulate/cli';
import { captureRun } from '../support/cli';

const t = (iso: string) => Date.parse(iso);
const policy = (displayName: string, firstFiredAt: string, detectionSeconds: number): PolicyResult => ({
  displayName,
  origin: 'test',
  disabled: false,
  fired: true,
  firstFiredAt: t(firstFiredAt),
  detectionSeconds,
  windows: [{ start: t(firstFiredAt), end: null }],
  conditions: [],
  notificationChannels: [],
  notes: [],
});
const result: ScenarioResult = {
  name: 'storm',
  file: 'storm.yaml',
  start: t('2025-11-12T10:00:00Z'),
  end: t('2025-11-12T12:00:00Z'),
  incidentStart: t('2025-11-12T11:00:00Z'),
  evaluationTimes: [],
  expectationFailures: [],
  policies: [policy('Early', '2025-11-12T10:58:00Z', -120), policy('On time', '2025-11-12T11:05:00Z', 300)],
};

test('the table says a negative delay fired BEFORE the incident, and a positive one does not', () => {
  const lines = formatTable(result).split('\n');
  expect(lines.find((l) => l.startsWith('Early'))).toContain('-120s (fired 120s BEFORE the incident)');
  expect(lines.find((l) => l.startsWith('On time'))).toMatch(/ 300s\s*$/);
});

test('simulate --help names the --json flags of an alert, firedBeforeIncident among them', async () => {
  const { code, out } = await captureRun(run, ['--help']);
  expect(code).toBe(0);
  const json = out.slice(out.indexOf('--json'));
  for (const flag of ['"firedBeforeIncident": true', 'negative detectionSeconds', '"error"', '"disabled": true']) expect(json).toContain(flag);
});

test('--json flags it with firedBeforeIncident, only on the early alert', () => {
  const alerts = toJson([result]).scenarios[0].alerts;
  expect(alerts.Early).toEqual({ fired: true, firstFiredAt: '2025-11-12T10:58:00.000Z', detectionSeconds: -120, firedBeforeIncident: true });
  expect(alerts['On time']).not.toHaveProperty('firedBeforeIncident');
});

test('the markdown report says so too', () => {
  const md = formatMarkdownReport([result]);
  expect(md).toContain('| Early | -120 s (fired 120 s BEFORE the incident) |');
  expect(md).toContain('| On time | 300 s |');
});
