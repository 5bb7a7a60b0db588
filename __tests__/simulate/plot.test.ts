/**
 * The simulator's plots: nice ticks, zoom on the incident, the title wrapped. That no text leaves its SVG or overlaps
 * another is checked in headless Chromium, with the other pages (__tests__/browser/pages.test.ts).
 */
import * as path from 'node:path';
import { formatTick, niceTicks, plotWindow, renderPolicySvg, wrapText } from '../../gcp/simulate/plot';
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

  test('tick labels carry every digit their step needs: no two ticks read alike', () => {
    const labels = (lo: number, hi: number) => {
      const axis = niceTicks(lo, hi);
      return axis.ticks.map((v) => formatTick(v, axis.step));
    };
    // A 2.5e6 step: 1.25e7 was "1.3e+7" and 7.5e6 "7.5e+6" beside "1e+7".
    expect(niceTicks(0, 1.2e7).step).toBe(2.5e6);
    expect(labels(0, 1.2e7)).toEqual(['0', '2.5e+6', '5e+6', '7.5e+6', '1e+7', '1.25e+7']);
    expect(labels(0, 2.16)).toEqual(['0', '0.5', '1', '1.5', '2', '2.5']);
    expect(labels(0, 7400)).toEqual(['0', '2000', '4000', '6000', '8000']);
    expect(labels(0, 0.00042)).toEqual(['0', '1e-4', '2e-4', '3e-4', '4e-4', '5e-4']);
    expect(labels(0, 0.0011)).toEqual(['0', '2.5e-4', '5e-4', '7.5e-4', '0.001', '0.00125']);
    expect(labels(-3, 17)).toEqual(['-5', '0', '5', '10', '15', '20']);
    for (const [lo, hi] of [
      [0, 1.08],
      [0, 1.2e7],
      [0, 3.3e9],
      [0, 0.0042],
      [0, 6.1e-6],
      [0, 61],
    ]) {
      const axis = niceTicks(lo, hi);
      const shown = axis.ticks.map((v) => formatTick(v, axis.step));
      expect(new Set(shown).size).toBe(shown.length);
      shown.forEach((label, i) => expect(Number(label)).toBeCloseTo(axis.ticks[i], 12));
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
