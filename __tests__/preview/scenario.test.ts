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
import { renderPreviewHtml } from '../../tools/preview/html';
import { dataSetKey } from '../../tools/preview/scenario';
import { previewInputsHash, README_SCREENSHOT } from '../../tools/preview/screenshot';
import { loadScenarioFile } from '../../gcp/simulate/scenario';
import { loadPolicyFile } from '../../gcp/simulate/policies';
import { simulateScenario } from '../../gcp/simulate/simulate';
import { stackPath, synthDir } from '../support/synth';

const root = path.resolve(__dirname, '..', '..');
const storm = path.join(root, 'scenarios', 'prod-5xx-storm.yaml');
let out: string;
let m: PreviewModel;
let page: string;
beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-scenario-'));
  m = previewModel('prod', synthDir(), storm);
  page = path.join(out, 'prod.html');
  fs.writeFileSync(page, renderPreviewHtml('prod', m.dashboards, m.source, m.scenario));
});
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
    sim.times.forEach((t, i) => expect(chart.series[0].values[i]).toBe(alertValues[alertTimes.indexOf(t)]));
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
