/**
 * Every page the project draws, in one headless Chromium run: a launch costs about a second of CPU, more than the
 * pages themselves, so the suite launches it once.
 * - The dashboard preview of each environment, and of prod during its 5xx storm (`preview --scenario`): each page's
 *   own script measures every tile and every text label of its charts after layout (tiles at their grid position and
 *   apart, labels apart and inside their chart) and writes the result into <pre id="layout-check">.
 * - The simulator's plots: every SVG of the two example scenarios (prod's policies, zoomed by default and with the
 *   whole history) inlined into one page, whose script measures every <text> with getBBox and reports the ones
 *   outside their SVG or overlapping another.
 * Both checks have a negative control. A harness page frames every page at the window size it is drawn for (so each
 * lays out exactly as in its own window), copies each page's result into a <pre> of its own once all have loaded, and
 * is read back with --dump-dom (--allow-file-access-from-files lets it read the framed file:// pages). A page it
 * cannot read, or whose check did not run, fails its test. Without Chromium this FAILS.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findChromium, runChromium, type LayoutCheck } from '../../tools/preview/chromium';
import { renderPreviewHtml } from '../../tools/preview/html';
import { previewModel, writePreview } from '../../tools/preview/preview';
import { renderPolicySvg } from '../../gcp/simulate/plot';
import { loadPolicyFile } from '../../gcp/simulate/policies';
import { loadScenarioFile } from '../../gcp/simulate/scenario';
import { simulateScenario } from '../../gcp/simulate/simulate';
import { dashboardJsons, ENVS, stackPath, synthDir } from '../support/synth';

const root = path.resolve(__dirname, '..', '..');
const chromium = findChromium();
/** The preview's window (tools/preview/screenshot.ts draws the README's at this width too). */
const PREVIEW_WINDOW = { width: 1400, height: 2200 };
const PLOTS_WINDOW = { width: 1000, height: 800 };

interface Page {
  file: string;
  /** The id of the element the page's own script writes its JSON result into. */
  resultId: string;
  window: { width: number; height: number };
}

/** Every page framed in one harness, one Chromium run: each page's result, as the text its script wrote. */
async function checkInOneRun(dir: string, pages: Record<string, Page>): Promise<Record<string, string>> {
  const names = Object.keys(pages);
  const harness = path.join(dir, 'harness.html');
  const frames = names.map((n, i) => {
    const { file, resultId, window } = pages[n];
    return `<iframe id="page-${i}" data-result="${resultId}" src="${pathToFileURL(file).href}" style="display:block;border:0;width:${window.width}px;height:${window.height}px"></iframe>`;
  });
  const script = `window.addEventListener('load', function () {
  document.querySelectorAll('iframe').forEach(function (f) {
    var doc = f.contentDocument, result = doc && doc.getElementById(f.dataset.result);
    document.getElementById('result-' + f.id).textContent = result ? result.textContent : '(page not readable)';
  });
});`;
  const results = names.map((_n, i) => `<pre id="result-page-${i}">(harness did not run)</pre>`);
  fs.writeFileSync(harness, `<!DOCTYPE html><html><body>${results.join('')}${frames.join('')}<script>${script}</script></body></html>`);
  const width = Math.max(...names.map((n) => pages[n].window.width));
  const { stdout } = await runChromium(harness, [`--window-size=${width},${PREVIEW_WINDOW.height}`, '--allow-file-access-from-files', '--dump-dom'], {
    binary: chromium,
  });
  return Object.fromEntries(
    names.map((n, i) => {
      const m = new RegExp(`<pre id="result-page-${i}">([\\s\\S]*?)</pre>`).exec(stdout);
      const text = (m?.[1] ?? '(no result in the dumped DOM)')
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&');
      return [n, text];
    }),
  );
}

/** The plots page's script: every <text> of every named SVG measured against its SVG and the texts before it. */
const PLOTS_CHECK = `
var out = [];
document.querySelectorAll('svg[data-name]').forEach(function (svg) {
  var W = svg.viewBox.baseVal.width, H = svg.viewBox.baseVal.height, boxes = [], problems = [];
  svg.querySelectorAll('text').forEach(function (t) {
    var b = t.getBBox();
    var box = { text: t.textContent, l: b.x, t: b.y, r: b.x + b.width, b: b.y + b.height };
    if (box.l < -0.5 || box.t < -0.5 || box.r > W + 0.5 || box.b > H + 0.5) problems.push('outside the SVG: ' + box.text);
    boxes.forEach(function (o) {
      if (box.l < o.r - 0.5 && o.l < box.r - 0.5 && box.t < o.b - 0.5 && o.t < box.b - 0.5) problems.push('"' + box.text + '" overlaps "' + o.text + '"');
    });
    boxes.push(box);
  });
  out.push({ name: svg.getAttribute('data-name'), texts: boxes.length, problems: problems });
});
document.getElementById('result').textContent = JSON.stringify(out);`;

/** Every plot of prod's policies in the two example scenarios, zoomed and with history, then a negative control. */
function plotsPage(dir: string): { file: string; plots: number } {
  const svgs: string[] = [];
  for (const f of ['prod-5xx-storm.yaml', 'prod-api-down.yaml']) {
    const r = simulateScenario(loadPolicyFile(stackPath('prod')), loadScenarioFile(path.join(root, 'scenarios', f)));
    for (const p of r.policies) {
      for (const history of [false, true])
        svgs.push(
          renderPolicySvg(r, p, { history })
            .replace(/^<\?xml[^>]*>\s*/, '')
            .replace('<svg ', `<svg data-name="${r.name} / ${p.displayName}${history ? ' (history)' : ''}" `),
        );
    }
  }
  // The check must see a text past the edge and two texts on top of each other.
  svgs.push(
    '<svg data-name="control" xmlns="http://www.w3.org/2000/svg" width="100" height="50" viewBox="0 0 100 50"><text x="60" y="20" font-size="10">overflowing</text><text x="60" y="20" font-size="10">overlap</text><text x="5" y="45" font-size="10">a</text><text x="20" y="45" font-size="10">b</text><text x="35" y="45" font-size="10">c</text><text x="50" y="45" font-size="10">d</text></svg>',
  );
  const file = path.join(dir, 'plots.html');
  fs.writeFileSync(file, `<!DOCTYPE html><html><body>${svgs.join('\n')}<pre id="result">(did not run)</pre><script>${PLOTS_CHECK}</script></body></html>`);
  return { file, plots: svgs.length - 1 };
}

/**
 * A preview page whose tiles overlap, one of whose tiles is missing, and whose chart has a label on another and one
 * past its edge (labels the page's script does not move): the layout check's negative control.
 */
function brokenPreview(dir: string): string {
  const bad = {
    displayName: 'Broken',
    mosaicLayout: {
      columns: 48,
      tiles: [
        { width: 30, height: 8, widget: { title: 'a', text: { content: 'a', format: 'MARKDOWN' } } },
        { xPos: 24, yPos: 4, width: 24, height: 8, widget: { title: 'b', text: { content: 'b', format: 'MARKDOWN' } } },
        {
          yPos: 12,
          width: 24,
          height: 12,
          widget: { title: 'c', xyChart: { dataSets: [], thresholds: [{ value: 10, label: 'limit' }], yAxis: { label: 'units' } } },
        },
      ],
    },
  };
  const file = path.join(dir, 'broken.html');
  const stray =
    '<span class="chart-label" style="position:absolute;left:0;top:0">on the axis label</span><span class="chart-label" style="position:absolute;left:-30px;bottom:0">past the edge</span>';
  const html = renderPreviewHtml('broken', [{ resource: 'dashboard_broken', dashboard: bad }], 'test')
    .replace('data-tiles="3"', 'data-tiles="4"')
    .replace('<div class="chart-box">', `<div class="chart-box">${stray}`);
  fs.writeFileSync(file, html);
  return file;
}

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'browser-pages-'));
let results: Record<string, string> | undefined;
let failure: Error | undefined;
/** How many plots the plots page holds (its control aside). */
let plots = 0;

beforeAll(async () => {
  if (!chromium) return; // each test says so
  const preview = (file: string): Page => ({ file, resultId: 'layout-check', window: PREVIEW_WINDOW });
  const storm = previewModel('prod', synthDir(), path.join(root, 'scenarios', 'prod-5xx-storm.yaml'));
  const stormPage = path.join(out, 'prod-storm.html');
  fs.writeFileSync(stormPage, renderPreviewHtml('prod', storm.dashboards, storm.source, storm.scenario));
  const pages: Record<string, Page> = {
    ...Object.fromEntries(ENVS.map((env) => [env, preview(writePreview(env, synthDir(), out))])),
    broken: preview(brokenPreview(out)),
    'prod-storm': preview(stormPage),
  };
  const plotted = plotsPage(out);
  plots = plotted.plots;
  pages.plots = { file: plotted.file, resultId: 'result', window: PLOTS_WINDOW };
  try {
    results = await checkInOneRun(out, pages);
  } catch (e) {
    failure = e as Error;
  }
}, 120_000);

afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

/** The JSON a page's check wrote. */
function resultOf<T>(page: string): T {
  if (!chromium) throw new Error('headless Chromium not found (apt-get install -y chromium, or set CHROMIUM_PATH); npm test installs it as root');
  if (failure) throw failure;
  const text = results![page];
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`${page}: the check did not run: ${text.slice(0, 200)}`);
  }
}

describe('the dashboard preview in headless Chromium', () => {
  describe.each(ENVS)('%s', (env) => {
    it('draws every tile of every dashboard, at non-zero size, without overlaps, at its grid position', () => {
      const check = resultOf<LayoutCheck>(env);
      const jsons = dashboardJsons(env);
      expect(check.dashboards.map((d) => d.id).sort()).toEqual(Object.keys(jsons).sort());
      for (const d of check.dashboards) {
        const expected = JSON.parse(jsons[d.id]).mosaicLayout.tiles.length;
        expect({ id: d.id, drawn: d.drawnTiles, problems: d.problems }).toEqual({ id: d.id, drawn: expected, problems: [] });
        expect(d.tiles).toHaveLength(expected);
        for (const t of d.tiles) {
          expect(t.rect.width).toBeGreaterThan(20);
          expect(t.rect.height).toBeGreaterThan(20);
        }
        // Overlaps checked again here from the measured boxes, not only by the page's script.
        for (let a = 0; a < d.tiles.length; a++) {
          for (let b = a + 1; b < d.tiles.length; b++) {
            const p = d.tiles[a].rect;
            const q = d.tiles[b].rect;
            const overlap = p.left < q.left + q.width && q.left < p.left + p.width && p.top < q.top + q.height && q.top < p.top + p.height;
            expect(`${d.id}: ${d.tiles[a].title} / ${d.tiles[b].title}: ${overlap ? 'overlap' : 'ok'}`).toMatch(/: ok$/);
          }
        }
      }
      expect(check.ok).toBe(true);
    });
  });

  it('prod during its 5xx storm (preview --scenario): the charts drawn from the simulated series pass the layout check, their labels on none other', () => {
    const check = resultOf<LayoutCheck>('prod-storm');
    expect(check.dashboards).toHaveLength(6);
    expect(check.dashboards.filter((d) => d.problems.length > 0)).toEqual([]);
    expect(check.ok).toBe(true);
    // The chart where "max 6,627" covered the low-traffic guard's threshold label: its y-axis label, peak and threshold
    // label were all measured, and none overlaps another (problems above).
    const guard = check.dashboards.flatMap((d) => d.tiles).filter((t) => t.title.startsWith('API requests per alert window'));
    expect(guard.length).toBeGreaterThan(0);
    for (const t of guard) expect(t.labels).toBeGreaterThanOrEqual(3);
    expect(check.dashboards.flatMap((d) => d.tiles).reduce((n, t) => n + t.labels, 0)).toBeGreaterThan(100);
  });

  it("the page's check reports overlapping and missing tiles, and chart labels on each other or past the chart (negative control)", () => {
    const check = resultOf<LayoutCheck>('broken');
    expect(check.ok).toBe(false);
    expect(check.dashboards[0].problems).toEqual(
      expect.arrayContaining([
        'tile 0 overlaps tile 1',
        'drew 3 of 4 tiles',
        'tile 2: label "units" overlaps label "on the axis label"',
        'tile 2: label "past the edge" leaves its chart',
      ]),
    );
  });
});

describe("the simulator's plots in headless Chromium", () => {
  it('no text leaves its SVG or overlaps another, zoomed and with history', () => {
    const checked = resultOf<Array<{ name: string; texts: number; problems: string[] }>>('plots');
    // 2 scenarios x prod's policies x (zoomed, history), and the control.
    expect(plots).toBeGreaterThan(20);
    expect(checked).toHaveLength(plots + 1);
    const control = checked.pop()!;
    expect(control.name).toBe('control');
    expect(control.problems).toEqual(expect.arrayContaining(['outside the SVG: overflowing', '"overlap" overlaps "overflowing"']));
    for (const c of checked) {
      expect(c.texts).toBeGreaterThan(5);
      expect({ name: c.name, problems: c.problems }).toEqual({ name: c.name, problems: [] });
    }
  });
});
