/**
 * The simulator's plots: nice ticks, zoom on the incident, the title wrapped. That no text leaves its SVG or overlaps
 * another is checked in headless Chromium, with the other pages (__tests__/browser/pages.test.ts).
 */
import * as path from 'node:path';
import { niceTicks, plotWindow, renderPolicySvg, wrapText } from '../../gcp/simulate/plot';
import { loadScenarioFile } from '../../gcp/simulate/scenario';
import { loadPolicyFile } from '../../gcp/simulate/policies';
import { simulateScenario } from '../../gcp/simulate/simulate';
import type { ScenarioResult } from '../../gcp/simulate/engine';
import { stackPath } from '../support/synth';

const root = path.resolve(__dirname, '..', '..');
/** prod's 5xx storm through its High Error Rate alert alone (a policy's evaluation reads only its own conditions). */
let storm: ScenarioResult;
beforeAll(() => {
  const set = loadPolicyFile(stackPath('prod'));
  const policies = set.policies.filter((p) => p.displayName.endsWith('High Error Rate'));
  storm = simulateScenario({ ...set, policies }, loadScenarioFile(path.join(root, 'scenarios', 'prod-5xx-storm.yaml')));
});

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
    const r = storm;
    const [p] = r.policies;
    expect(p.displayName).toMatch(/High Error Rate$/);
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
});
