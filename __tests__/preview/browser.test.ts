/**
 * Opens the preview pages in headless Chromium: the page's own script measures every tile after layout and writes
 * the result into <pre id="layout-check">, read back with --dump-dom (all pages in one Chromium run, layoutChecks
 * below). Without Chromium this FAILS.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findChromium, runChromium, type LayoutCheck } from '../../tools/preview/chromium';
import { renderPreviewHtml } from '../../tools/preview/html';
import { writePreview } from '../../tools/preview/preview';
import { dashboardJsons, synthDir } from '../dashboards/synth-dir';

const chromium = findChromium();
const TIMEOUT = 120_000;
/** The window size of tools/preview's layoutCheck (its default), given to every page's frame below. */
const WINDOW = { width: 1400, height: 2200 };

function requireChromium(): void {
  if (!chromium) throw new Error('headless Chromium not found at /usr/bin/chromium (apt-get install -y chromium, or set CHROMIUM_PATH); npm test installs it as root');
}

/**
 * Every page in one Chromium run (a launch costs most of a page's CPU): a harness page frames each preview page at
 * the layout check's window size (1400 x 2200, so each page lays out exactly as in its own window), and once all have
 * loaded (each page's script has then measured its tiles) copies each page's #layout-check into its own <pre>,
 * dumped with --dump-dom. --allow-file-access-from-files lets the harness read the framed file:// pages; a page it
 * cannot read, or whose check did not run, fails its test below.
 */
async function layoutChecks(pages: Record<string, string>): Promise<Record<string, LayoutCheck>> {
  const names = Object.keys(pages);
  const harness = path.join(out, 'harness.html');
  const frames = names.map(
    (n, i) =>
      `<iframe id="page-${i}" src="${pathToFileURL(pages[n]).href}" style="display:block;border:0;width:${WINDOW.width}px;height:${WINDOW.height}px"></iframe>`,
  );
  const script = `window.addEventListener('load', function () {
  document.querySelectorAll('iframe').forEach(function (f) {
    var doc = f.contentDocument, pre = doc && doc.getElementById('layout-check');
    document.getElementById('result-' + f.id).textContent = pre ? pre.textContent : '(page not readable)';
  });
});`;
  const results = names.map((_n, i) => `<pre id="result-page-${i}">(harness did not run)</pre>`);
  fs.writeFileSync(harness, `<!DOCTYPE html><html><body>${results.join('')}${frames.join('')}<script>${script}</script></body></html>`);
  const { stdout } = await runChromium(harness, [`--window-size=${WINDOW.width},${WINDOW.height}`, '--allow-file-access-from-files', '--dump-dom'], {
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
      try {
        return [n, JSON.parse(text) as LayoutCheck];
      } catch {
        throw new Error(`${n}: the layout check did not run: ${text.slice(0, 200)}`);
      }
    }),
  );
}

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-browser-'));
const ENVS = ['dev', 'staging', 'prod'];
let checks: Record<string, LayoutCheck> | undefined;
let failure: Error | undefined;

beforeAll(async () => {
  if (!chromium) return; // each test says so
  const pages: Record<string, string> = Object.fromEntries(ENVS.map((env) => [env, writePreview(env, synthDir(), out)]));
  // The negative control: a page whose tiles overlap and one of whose tiles is missing.
  const bad = {
    displayName: 'Broken',
    mosaicLayout: {
      columns: 48,
      tiles: [
        { width: 30, height: 8, widget: { title: 'a', text: { content: 'a', format: 'MARKDOWN' } } },
        { xPos: 24, yPos: 4, width: 24, height: 8, widget: { title: 'b', text: { content: 'b', format: 'MARKDOWN' } } },
      ],
    },
  };
  pages.broken = path.join(out, 'broken.html');
  fs.writeFileSync(pages.broken, renderPreviewHtml('broken', [{ resource: 'dashboard_broken', dashboard: bad }], 'test').replace('data-tiles="2"', 'data-tiles="3"'));
  try {
    checks = await layoutChecks(pages);
  } catch (e) {
    failure = e as Error;
  }
}, TIMEOUT);

afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

function checkOf(page: string): LayoutCheck {
  requireChromium();
  if (failure) throw failure;
  return checks![page];
}

describe('preview in headless Chromium', () => {
  describe.each(ENVS)('%s', (env) => {
    it('draws every tile of every dashboard, at non-zero size, without overlaps, at its grid position', () => {
      const check = checkOf(env);
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

  it("the page's check reports overlapping and missing tiles (negative control)", () => {
    const check = checkOf('broken');
    expect(check.ok).toBe(false);
    expect(check.dashboards[0].problems).toEqual(expect.arrayContaining(['tile 0 overlaps tile 1', 'drew 2 of 3 tiles']));
  });
});
