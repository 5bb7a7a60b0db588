/**
 * Opens the preview pages in headless Chromium: the page's own script measures every tile after layout and writes
 * the result into <pre id="layout-check">, read back with --dump-dom. Without Chromium this FAILS, unless
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findChromium, layoutCheck, type LayoutCheck } from '../../tools/preview/chromium';
import { renderPreviewHtml } from '../../tools/preview/html';
import { writePreview } from '../../tools/preview/preview';
import { dashboardJsons, synthDir } from '../dashboards/synth-dir';

const chromium = findChromium();
const TIMEOUT = 120_000;

function requireChromium(): void {
  if (!chromium) throw new Error('headless Chromium not found at /usr/bin/chromium (apt-get install -y chromium, or set CHROMIUM_PATH); npm test installs it as root');
}

describe('preview in headless Chromium', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-browser-'));

  describe.each(['dev', 'staging', 'prod'])('%s', (env) => {
    it('draws every tile of every dashboard, at non-zero size, without overlaps, at its grid position', async () => {
      requireChromium();
      const html = writePreview(env, synthDir(), out);
      const check: LayoutCheck = await layoutCheck(html);
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
    }, TIMEOUT);
  });

  it("the page's check reports overlapping and missing tiles (negative control)", async () => {
    requireChromium();
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
    const file = path.join(out, 'broken.html');
    fs.writeFileSync(file, renderPreviewHtml('broken', [{ resource: 'dashboard_broken', dashboard: bad }], 'test').replace('data-tiles="2"', 'data-tiles="3"'));
    const check = await layoutCheck(file);
    expect(check.ok).toBe(false);
    expect(check.dashboards[0].problems).toEqual(expect.arrayContaining(['tile 0 overlaps tile 1', 'drew 2 of 3 tiles']));
  }, TIMEOUT);

});
