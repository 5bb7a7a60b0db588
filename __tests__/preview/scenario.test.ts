/**
 * `preview --scenario`: every chart drawn from the simulator's series for the scenario, through the chart's own
 * aggregation (so prod's "5xx share" chart shows exactly what the High Error Rate alert evaluates), the layout check
 * hidden from the page, `--json` with the series, and the README screenshot not stale. (The page in headless
 * Chromium: __tests__/browser/pages.test.ts.)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../tools/preview/cli';
import { previewModel, writePreview, type PreviewModel } from '../../tools/preview/preview';
import { escapeHtml, renderPreviewHtml } from '../../tools/preview/html';
import { dataSetKey, simulateCharts } from '../../tools/preview/scenario';
import { previewInputsHash, previewSources, README_SCREENSHOT } from '../../tools/preview/screenshot';
import { loadScenarioFile } from '../../gcp/simulate/scenario';
import { loadPolicyFile } from '../../gcp/simulate/policies';
import { simulateScenario } from '../../gcp/simulate/simulate';
import { stackPath, synthDir } from '../support/synth';

const root = path.resolve(__dirname, '..', '..');
const storm = path.join(root, 'scenarios', 'prod-5xx-storm.yaml');
const SERIES_HEAD = 'kind: DELTA\n    valueType: INT64';
const API_REVISION = 'resource: { type: cloud_run_revision, labels: { service_name: prod-vividly-api, revision_name: prod-vividly-api-00042-abc, location: us-central1 } }';
/**
 * Twelve client IPs rate-limited at 1 to 12 per second (an hour's sum: 3600 to 43200), and logins answered 200 (3/s)
 * and 429 (1/s): no alert opens.
 */
const CLIENTS_SCENARIO = [
  'name: rate-limited clients',
  'start: 2025-11-12T12:00:00Z',
  'end: incident+2h',
  'incidentStart: 2025-11-12T17:00:00Z',
  'series:',
  ...Array.from({ length: 12 }, (_, i) =>
    [`  - metric: { type: logging.googleapis.com/user/vividly/auth_rejections_by_client_ip, labels: { client_ip: 203.0.113.${i + 1}, status: '429' } }`, `    ${API_REVISION}`, `    ${SERIES_HEAD}`, `    value: ${i + 1}`].join('\n'),
  ),
  ...[
    ['200', 3],
    ['429', 1],
  ].map(([status, rate]) =>
    [`  - metric: { type: logging.googleapis.com/user/vividly/tracked_route_requests, labels: { route: /api/v1/auth/login, status: '${status}' } }`, `    ${API_REVISION}`, `    ${SERIES_HEAD}`, `    value: ${rate}`].join('\n'),
  ),
].join('\n');

let out: string;
let m: PreviewModel;
let page: string;
/** prod's dashboards with CLIENTS_SCENARIO, and without a scenario. */
let clients: PreviewModel;
let clientsHtml: string;
let plainHtml: string;
beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-scenario-'));
  m = previewModel('prod', synthDir(), storm);
  page = path.join(out, 'prod.html');
  fs.writeFileSync(page, renderPreviewHtml('prod', m.dashboards, m.source, m.scenario));
  const clientsFile = path.join(out, 'clients.yaml');
  fs.writeFileSync(clientsFile, `${CLIENTS_SCENARIO}\n`);
  clients = previewModel('prod', synthDir(), clientsFile);
  clientsHtml = renderPreviewHtml('prod', clients.dashboards, clients.source, clients.scenario);
  plainHtml = renderPreviewHtml('prod', m.dashboards, m.source);
});

type Tile = { widget: Record<string, unknown> & { title: string } };
/** The first tile of prod's dashboards with a widget of `kind`: its title and its data set key. */
function tileOfKind(kind: string): { title: string; key: string } {
  for (const d of m.dashboards) {
    const tiles = (d.dashboard as { mosaicLayout: { tiles: Tile[] } }).mosaicLayout.tiles;
    const t = tiles.findIndex((x) => kind in x.widget);
    if (t >= 0) return { title: tiles[t].widget.title, key: dataSetKey(d.resource, t, 0) };
  }
  throw new Error(`no ${kind} tile`);
}

/** A tile's HTML on a page: from its title attribute to the next tile. */
function tileHtml(html: string, title: string): string {
  const start = html.indexOf(`data-title="${escapeHtml(title)}"`);
  if (start < 0) throw new Error(`no tile "${title}" on the page`);
  const end = html.indexOf('<div class="tile"', start);
  return html.slice(start, end < 0 ? undefined : end);
}

const LOGINS_BY_STATUS = 'Logins by status (successes and failures)';
/** A chart's STACKED_BAR bars, per series: each bar's left and right edge and its top and bottom (viewBox units). */
const barGroups = (html: string) =>
  [...html.matchAll(/<g class="series"[^>]*>(.*?)<\/g>/g)].map((g) =>
    [...g[1].matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"\/>/g)].map((r) => ({
      x: Number(r[1]),
      right: Number(r[1]) + Number(r[3]),
      top: Number(r[2]),
      bottom: Number(r[2]) + Number(r[4]),
    })),
  );
const cellsOf = (html: string): string[][] =>
  [...html.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((r) => [...r[1].matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1])).filter((r) => r.length > 0);
const utc = (t: number) => new Date(t).toISOString().slice(5, 16).replace('T', ' ');
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let o = '';
  let e = '';
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { o += `${a.join(' ')}\n`; });
  const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => { e += `${a.join(' ')}\n`; });
  try {
    return { code: await run(argv), out: o, err: e };
  } finally {
    log.mockRestore(); error.mockRestore();
  }
}

describe('preview --scenario', () => {
  test("the 5xx share chart is the High Error Rate alert's own series: low before the incident, above 5 % after", () => {
    const sim = m.scenario!;
    const overview = m.dashboards.find((d) => d.resource === 'dashboard_system_overview')!;
    const tiles = (overview.dashboard as { mosaicLayout: { tiles: { widget: { title: string } }[] } }).mosaicLayout.tiles;
    const tile = tiles.findIndex((t) => t.widget.title === '5xx share of requests');
    const chart = sim.dataSets.get(dataSetKey('dashboard_system_overview', tile, 0))!;
    expect(chart.error).toBeUndefined();
    expect(chart.series).toHaveLength(1);
    // The alert alone: a policy's evaluation reads only the scenario and its own conditions, so its series are those
    // of a run with the whole stack.
    const set = loadPolicyFile(stackPath('prod'));
    const result = simulateScenario({ ...set, policies: set.policies.filter((p) => p.displayName.endsWith('High Error Rate')) }, loadScenarioFile(storm));
    const alert = result.policies.find((p) => p.displayName.endsWith('High Error Rate'))!;
    const alertValues = alert.conditions[0].series[0].values;
    const alertTimes = result.evaluationTimes;
    expect(chart.series[0].values.slice(0, sim.times.length)).toEqual(sim.times.map((t) => alertValues[alertTimes.indexOf(t)]));
    const at = (pred: (t: number) => boolean) => chart.series[0].values.filter((v, i) => v !== null && pred(sim.times[i])) as number[];
    expect(Math.max(...at((t) => t < sim.incidentStart!))).toBeLessThan(0.05);
    expect(Math.max(...at((t) => t > sim.incidentStart! + 900_000))).toBeGreaterThan(0.05);
  });

  test('the page draws simulated series instead of placeholders, says which scenario, and hides the layout check', () => {
    const html = fs.readFileSync(page, 'utf8');
    expect(html).toContain("Charts show the simulator's series for scenario <strong>");
    expect(html).not.toContain('aria-label="placeholder chart"');
    expect((html.match(/class="series"/g) ?? []).length).toBeGreaterThan(10);
    expect(html).toContain('not simulated: conditionThreshold.filter: select_slo_budget_fraction is UNSUPPORTED');
    expect(html).toContain('no data in this scenario');
    expect(html).toContain('<pre id="layout-check" hidden>');
    const plain = fs.readFileSync(writePreview('dev', synthDir(), out), 'utf8');
    expect(plain).toContain('aria-label="placeholder chart"');
    expect(plain).not.toContain('class="series"');
  });

  test("a table shows the simulator's rows for its query: grouped by client_ip, the top 10 by max, never invented ones", () => {
    const table = tileOfKind('timeSeriesTable');
    const rows = cellsOf(tileHtml(clientsHtml, table.title));
    // IPs 12 down to 3 (an hour's sum at 1 to 12 per second), the two lowest left out as the pick declares.
    expect(rows.map((r) => r[0])).toEqual(Array.from({ length: 10 }, (_, i) => `203.0.113.${12 - i}`));
    expect(rows.map((r) => Number(r[2].replace(/,/g, '')))).toEqual(Array.from({ length: 10 }, (_, i) => 3600 * (12 - i)));
    expect(rows.every((r) => r[1] === r[2])).toBe(true); // a steady rate: the latest hour is the highest
    expect(tileHtml(clientsHtml, table.title)).toContain('simulated: top 10 of 12 series by max over the drawn window');
    expect(clients.scenario!.dataSets.get(table.key)!.pick).toEqual({ direction: 'TOP', rankingMethod: 'METHOD_MAX', numTimeSeries: 10, of: 12 });
    // The storm feeds no per-IP metric: the table says so instead of showing the placeholder rows.
    const stormTable = tileHtml(fs.readFileSync(page, 'utf8'), table.title);
    expect(stormTable).toContain('no data in this scenario');
    expect(stormTable).not.toMatch(/#1|placeholder/);
    expect(cellsOf(stormTable)).toEqual([]);
  });

  test('a table has a column per groupByFields entry as the API reads it: a quoted key (with a dot), resource.type, metric.type, labels, *', () => {
    const scenario = path.join(out, 'dotted.yaml');
    const series = (team: string, value: number) =>
      [`  - metric: { type: custom.googleapis.com/test/dotted, labels: { "team.name": ${team} } }`, `    ${API_REVISION}`, '    kind: GAUGE\n    valueType: DOUBLE', `    value: ${value}`].join('\n');
    fs.writeFileSync(scenario, ['name: dotted', 'start: 2025-11-12T12:00:00Z', 'end: 2025-11-12T15:00:00Z', 'series:', series('core', 5), series('edge', 3)].join('\n'));
    const groupByFields = ['metric.label."team.name"', 'resource.type', 'metric.type', 'resource.labels.service_name', 'metric.labels.*'];
    const aggregation = { alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_MEAN', crossSeriesReducer: 'REDUCE_SUM', groupByFields };
    const filter = 'metric.type="custom.googleapis.com/test/dotted" AND resource.type="cloud_run_revision"';
    const widget = { title: 'by team', timeSeriesTable: { dataSets: [{ timeSeriesQuery: { timeSeriesFilter: { filter, aggregation } } }] } };
    const dashboards = [{ resource: 'dashboard_test', dashboard: { displayName: 'test', mosaicLayout: { columns: 12, tiles: [{ width: 12, height: 8, widget }] } } }];
    const sim = simulateCharts(dashboards, loadPolicyFile(stackPath('prod')), loadScenarioFile(scenario));
    const table = tileHtml(renderPreviewHtml('prod', dashboards, 'test', sim), 'by team');
    expect([...table.matchAll(/<th(?: [^>]*)?>(.*?)<\/th>/g)].map((h) => h[1])).toEqual([
      'team.name',
      'resource.type',
      'metric.type',
      'service_name',
      'metric labels',
      'latest',
    ]);
    // metric.type: the query's one metric type (the simulated series do not carry it).
    const type = 'custom.googleapis.com/test/dotted';
    expect(cellsOf(table)).toEqual([
      ['core', 'cloud_run_revision', type, 'prod-vividly-api', 'team.name=core', '5'],
      ['edge', 'cloud_run_revision', type, 'prod-vividly-api', 'team.name=edge', '3'],
    ]);
    // Without a scenario: the placeholder rows are named after the first field as the API reads it.
    expect(tileHtml(renderPreviewHtml('prod', dashboards, 'test'), 'by team')).toContain('<th>team.name</th>');
  });

  test('without a scenario, the table rows are labelled as placeholders', () => {
    const plain = tileHtml(plainHtml, tileOfKind('timeSeriesTable').title);
    expect(plain).toContain('placeholder rows, not data');
    const rows = [...plain.matchAll(/<tr[^>]*>(?=<td)/g)].map((r) => r[0]);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r === '<tr class="placeholder">')).toBe(true);
  });

  test('the incident list shows the incidents simulate opens in the scenario (policy, opened, closed), or that there is none', () => {
    const list = tileOfKind('incidentList');
    const result = simulateScenario(loadPolicyFile(stackPath('prod')), loadScenarioFile(storm));
    const expected = result.policies
      .flatMap((p) => p.windows.map((w) => [p.displayName, utc(w.start), w.end === null ? '<strong>open</strong>' : utc(w.end), w.start] as const))
      .sort((a, b) => a[3] - b[3] || a[0].localeCompare(b[0]))
      .map(([name, opened, closed]) => [name, opened, closed]);
    expect(expected.map((r) => r[0])).toEqual(expect.arrayContaining(['Vividly API (prod): High Error Rate', 'Vividly API (prod): SLO Availability burn rate (page, 1 h/5 min)']));
    const shown = cellsOf(tileHtml(fs.readFileSync(page, 'utf8'), list.title));
    expect(shown).toEqual(expected);
    expect(shown[0]).toEqual(['Vividly API (prod): High Error Rate', '11-12 17:05', '<strong>open</strong>']);
    expect(tileHtml(fs.readFileSync(page, 'utf8'), list.title)).not.toContain('placeholder');
    expect(tileHtml(clientsHtml, list.title)).toContain('no incident in this scenario');
    expect(tileHtml(plainHtml, list.title)).toContain('(placeholder)');
  });

  test("an incident list with policyNames shows those policies' incidents, found by their TF resource name", () => {
    const highErrorRate = loadPolicyFile(stackPath('prod')).policies.find((p) => p.displayName.endsWith('High Error Rate'))!;
    expect(highErrorRate.resource).toBe(highErrorRate.origin.replace(/^.* google_monitoring_alert_policy\./, ''));
    const policyNames = [`\${google_monitoring_alert_policy.${highErrorRate.resource}.name}`, '${google_monitoring_alert_policy.no_such_policy.id}'];
    const widget = { title: 'picked incidents', incidentList: { policyNames } };
    const dashboards = [{ resource: 'dashboard_test', dashboard: { displayName: 'test', mosaicLayout: { columns: 12, tiles: [{ width: 12, height: 8, widget }] } } }];
    const list = tileHtml(renderPreviewHtml('prod', dashboards, 'test', m.scenario), 'picked incidents');
    expect(cellsOf(list)).toEqual([['Vividly API (prod): High Error Rate', '11-12 17:05', '<strong>open</strong>']]);
    expect(list).toContain(`not simulated: ${escapeHtml(policyNames[1])} is not an alert policy of this stack`);
  });

  test('STACKED_BAR and STACKED_AREA series are drawn stacked: each sits on the one before it', () => {
    const bars = tileHtml(clientsHtml, LOGINS_BY_STATUS);
    const groups = barGroups(bars);
    expect(groups).toHaveLength(2);
    // One bar per minute (the 60 s alignment period) over the 3 h window, the second on top of the first.
    expect(groups.map((g) => g.length)).toEqual([180, 180]);
    groups[1].forEach((bar, i) => {
      expect(bar.x).toBe(groups[0][i].x);
      expect(Math.abs(bar.bottom - groups[0][i].top)).toBeLessThan(0.11);
    });
    expect(bars).not.toMatch(/<polyline[^>]*class="series"/);
    const area = tileHtml(fs.readFileSync(page, 'utf8'), 'Request rate by status class');
    const bands = [...area.matchAll(/<polygon class="series" points="([^"]+)"/g)].map((p) => p[1].split(' ').map((xy) => Number(xy.split(',')[1])));
    expect(bands.length).toBeGreaterThanOrEqual(2);
    // A band's lower edge (its points in reverse) is the upper edge of the band before it.
    for (let b = 1; b < bands.length; b++) {
      const n = bands[b].length / 2;
      expect(bands[b].slice(n).reverse()).toEqual(bands[b - 1].slice(0, n));
    }
    expect(area).not.toMatch(/<polyline[^>]*class="series"/);
  });

  test('stacked bars of a scenario off the alignment grid: one per period counted back from the last point, none overlapping', () => {
    const offGrid = path.join(out, 'clients-off-grid.yaml');
    fs.writeFileSync(offGrid, `${CLIENTS_SCENARIO.replace('start: 2025-11-12T12:00:00Z', 'start: 2025-11-12T12:00:10Z')}\n`);
    const model = previewModel('prod', synthDir(), offGrid);
    const times = model.scenario!.times;
    expect(times.filter((t) => t % 60_000 === 0)).toEqual([]);
    const groups = barGroups(tileHtml(renderPreviewHtml('prod', model.dashboards, model.source, model.scenario), LOGINS_BY_STATUS));
    // The 60 s alignment period is two evaluations (30 s apart): every other point, the last one included.
    expect(groups.map((g) => g.length)).toEqual([times.length / 2, times.length / 2]);
    for (const bars of groups) {
      bars.slice(1).forEach((bar, i) => expect(bar.x).toBeGreaterThanOrEqual(bars[i].right));
      // The last bar ends at the last point (the right edge, 400), less half its gap.
      expect(bars[bars.length - 1].right).toBeGreaterThan(399.5);
      expect(bars[bars.length - 1].right).toBeLessThanOrEqual(400);
    }
  });

  test('--json prints the model with every data set, and writes no page', async () => {
    const dir = path.join(out, 'json');
    const r = await capture(['--env', 'prod', '--synth-dir', synthDir(), '--scenario', storm, '--json', '--out', dir]);
    expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' });
    const doc = JSON.parse(r.out);
    expect(doc.scenario.name).toBe(loadScenarioFile(storm).name);
    expect(Object.keys(doc.scenario.dataSets).length).toBeGreaterThan(70);
    expect(doc.dashboards).toHaveLength(6);
    expect(fs.existsSync(dir)).toBe(false);
  });

  test("a scenario of another environment: check-logs' note and a warning that no chart has data, on stderr (exit 0)", async () => {
    // The storm's series are prod's Cloud Run service: dev's charts (filtered on dev-vividly-api) draw nothing.
    const dev = await capture(['--env', 'dev', '--synth-dir', synthDir(), '--scenario', storm, '--json']);
    expect(dev.code).toBe(0);
    const charts = `${m.dashboards.reduce((n, d) => n + (d.dashboard as { mosaicLayout: { tiles: { widget: object }[] } }).mosaicLayout.tiles.filter((t) => 'xyChart' in t.widget || 'timeSeriesTable' in t.widget).length, 0)}`;
    expect(dev.err.trim().split('\n')).toEqual([
      "preview: note: dev: the scenario's series come from service prod-vividly-api (prod's): 4, not dev's (dev-vividly-api, dev-vividly-push-worker)",
      `preview: warning: dev: scenario ${storm} draws data in 0 of the ${charts} charts: nothing in it matches their filters (see the notes above)`,
    ]);
    // Its own environment: drawn, nothing said (the --json test above prints nothing on stderr either).
    expect(m.warnings).toEqual({ notes: [] });
  });

  test('a bad scenario file: one message naming it, exit 2', async () => {
    const bad = path.join(out, 'bad.yaml');
    fs.writeFileSync(bad, 'name: x\n');
    const r = await capture(['--env', 'prod', '--synth-dir', synthDir(), '--scenario', bad, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^preview: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  test("the screenshot's hash covers every source the preview loads under gcp/ and tools/: a simulator change makes it stale", () => {
    const sources = previewSources(root);
    expect(sources).toEqual(expect.arrayContaining(['gcp/simulate/generators.ts', 'gcp/simulate/engine.ts', 'tools/preview/html.ts', 'tools/preview/scenario.ts'].map((f) => path.join(...f.split('/')))));
    // What the preview does not load: the simulator's plots, the stack's own code (hashed through the stack).
    expect(sources).not.toContain(path.join('gcp', 'simulate', 'plot.ts'));
    expect(sources.filter((f) => !/^(gcp|tools)\//.test(f.split(path.sep).join('/')))).toEqual([]);
    const copy = path.join(out, 'root');
    for (const f of [...sources, path.join('gcp', 'simulate', 'plot.ts'), path.relative(root, storm)]) {
      fs.mkdirSync(path.dirname(path.join(copy, f)), { recursive: true });
      fs.copyFileSync(path.join(root, f), path.join(copy, f));
    }
    const hash = () => previewInputsHash(copy, synthDir(), 'prod', path.relative(root, storm), '1400,2200');
    const before = hash();
    fs.appendFileSync(path.join(copy, 'gcp', 'simulate', 'plot.ts'), '\n// not loaded by the preview\n');
    expect(hash()).toBe(before);
    fs.appendFileSync(path.join(copy, 'gcp', 'simulate', 'generators.ts'), '\n// a simulator change\n');
    expect(hash()).not.toBe(before);
  });

  test('the README screenshot is current: the hash of its inputs matches docs/preview-prod.png.inputs', () => {
    const s = README_SCREENSHOT;
    const stored = fs.readFileSync(path.join(root, `${s.png}.inputs`), 'utf8').trim();
    const current = previewInputsHash(root, synthDir(), s.env, s.scenario, s.windowSize);
    if (stored !== current) {
      throw new Error(`docs/preview-prod.png is stale: regenerate it with \`npm run build && node dist/tools/preview/screenshot.js --env ${s.env} --scenario ${s.scenario} --synth-dir <fresh synth>\``);
    }
    expect(fs.existsSync(path.join(root, s.png))).toBe(true);
  });
});
