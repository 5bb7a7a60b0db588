/**
 * The simulator's plots in headless Chromium: every SVG of the two example scenarios (prod's policies, zoomed by
 * default and with the whole history) is inlined into one page whose script measures every <text> with getBBox and
 * reports the ones outside their SVG or overlapping another. Plus the plots' rules without a browser: nice ticks,
 * zoom on the incident, the title wrapped. Without Chromium this FAILS.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findChromium, runChromium } from '../../tools/preview/chromium';
import { niceTicks, plotWindow, renderPolicySvg, wrapText } from '../../gcp/simulate/plot';
import { loadScenarioFile } from '../../gcp/simulate/scenario';
import { loadPolicyFile } from '../../gcp/simulate/policies';
import { simulateScenario } from '../../gcp/simulate/simulate';
import type { ScenarioResult } from '../../gcp/simulate/engine';
import { stackPath } from '../support/synth';

const root = path.resolve(__dirname, '..', '..');
let results: ScenarioResult[];
beforeAll(() => {
  results = ['prod-5xx-storm.yaml', 'prod-api-down.yaml'].map((f) =>
    simulateScenario(loadPolicyFile(stackPath('prod')), loadScenarioFile(path.join(root, 'scenarios', f))),
  );
});

const CHECK = `
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

describe('simulator plots', () => {
  test('value ticks are 1, 2, 2.5 or 5 x 10^n steps covering the range', () => {
    expect(niceTicks(0, 2.16).ticks).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    expect(niceTicks(0, 0.336).ticks).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(niceTicks(0, 7400).ticks).toEqual([0, 2000, 4000, 6000, 8000]);
    expect(niceTicks(0, 10.8).ticks).toEqual([0, 2.5, 5, 7.5, 10, 12.5]);
    for (const [lo, hi] of [
      [0, 1.08],
      [0, 61],
      [-3, 17],
      [0, 0.0042],
      [0, 1],
    ]) {
      const { ticks } = niceTicks(lo, hi);
      const step = ticks[1] - ticks[0];
      const mantissa = Number((step / 10 ** Math.floor(Math.log10(step))).toPrecision(6));
      expect([1, 2, 2.5, 5]).toContain(mantissa);
      expect(ticks[0]).toBeLessThanOrEqual(lo);
      expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(hi);
    }
  });

  test('zooms on the incident by default; history by flag', () => {
    const r = results[0];
    const p = r.policies.find((x) => x.displayName.endsWith('High Error Rate'))!;
    const zoom = plotWindow(r, p);
    expect(zoom.zoomed).toBe(true);
    expect(zoom.t0).toBe(r.incidentStart! - 3600_000);
    expect(zoom.t1).toBeGreaterThan(p.firstFiredAt!);
    expect(zoom.t1 - zoom.t0).toBeLessThan((r.end - r.start) / 10);
    expect(plotWindow(r, p, { history: true })).toEqual({ t0: r.start, t1: r.end, zoomed: false });
    expect(renderPolicySvg(r, p)).toContain('zoomed on the incident');
  });

  test('a long title wraps to the SVG width', () => {
    const lines = wrapText(
      'Vividly API (prod): SLO Availability burn rate (page, 1 h/5 min) — scenario prod 5xx storm (30 %): fired at 2025-11-12T17:18:00.000Z (detection 1080s)',
      880,
      14,
    );
    expect(lines.length).toBe(2);
    for (const l of lines) expect(l.length * 14 * 0.62).toBeLessThanOrEqual(880);
  });

  it('no text leaves its SVG or overlaps another, zoomed and with history', async () => {
    const chromium = findChromium();
    if (!chromium) throw new Error('headless Chromium not found (apt-get install -y chromium, or set CHROMIUM_PATH); npm test installs it as root');
    const svgs: string[] = [];
    for (const r of results) {
      for (const p of r.policies) {
        for (const history of [false, true])
          svgs.push(
            renderPolicySvg(r, p, { history })
              .replace(/^<\?xml[^>]*>\s*/, '')
              .replace('<svg ', `<svg data-name="${r.name} / ${p.displayName}${history ? ' (history)' : ''}" `),
          );
      }
    }
    // Negative control: the check must see a text past the edge and two texts on top of each other.
    svgs.push(
      '<svg data-name="control" xmlns="http://www.w3.org/2000/svg" width="100" height="50" viewBox="0 0 100 50"><text x="60" y="20" font-size="10">overflowing</text><text x="60" y="20" font-size="10">overlap</text><text x="5" y="45" font-size="10">a</text><text x="20" y="45" font-size="10">b</text><text x="35" y="45" font-size="10">c</text><text x="50" y="45" font-size="10">d</text></svg>',
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plot-browser-'));
    try {
      const file = path.join(dir, 'plots.html');
      fs.writeFileSync(file, `<!DOCTYPE html><html><body>${svgs.join('\n')}<pre id="result">(did not run)</pre><script>${CHECK}</script></body></html>`);
      const { stdout } = await runChromium(file, ['--window-size=1000,800', '--dump-dom'], { binary: chromium });
      const json = /<pre id="result">([\s\S]*?)<\/pre>/
        .exec(stdout)![1]
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
      const checked = JSON.parse(json) as { name: string; texts: number; problems: string[] }[];
      expect(checked).toHaveLength(svgs.length);
      const control = checked.pop()!;
      expect(control.problems).toEqual(expect.arrayContaining(['outside the SVG: overflowing', '"overlap" overlaps "overflowing"']));
      for (const c of checked) {
        expect(c.texts).toBeGreaterThan(5);
        expect({ name: c.name, problems: c.problems }).toEqual({ name: c.name, problems: [] });
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
