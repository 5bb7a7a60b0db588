/**
 * Hand-written SVG plots (no dependency): one per scenario and alert, one panel per condition, showing the aligned
 * series, the threshold line, the firing windows shaded and time axes. By default the time axis is zoomed on the
 * incident (an hour before it to well after the first firing); `history: true` draws the whole scenario. Titles wrap
 * to the SVG's width, the legend sits below each panel (never over the plot or its "incident" label), and the value
 * axis uses nice ticks (1, 2, 2.5, 5 x 10^n). __tests__/browser/pages.test.ts checks in headless Chromium
 * that no text leaves the SVG or overlaps another.
 */
import type { ConditionResult, PolicyResult, ScenarioResult } from './engine';

// The per-value loops read Math and Number through module constants: in jest's vm context, where the tests run, each
// read of a global costs about 0.2 µs (gcp/simulate/README.md "Speed").
const { round } = Math;
const mathMin = Math.min;
const mathMax = Math.max;
const finite = Number.isFinite;
const INF = Infinity;

const W = 900;
const PLOT_H = 170;
const M = { l: 70, r: 20 };
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22'];
/** Generous average advance of a sans-serif glyph, as a share of the font size (bold capitals are the widest). */
const CHAR_EM = 0.62;

export interface PlotOptions {
  /** Draw the whole scenario instead of zooming on the incident. */
  history?: boolean;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const textWidth = (s: string, size: number) => s.length * size * CHAR_EM;

/** Greedy word wrap of `s` into lines no wider than `width` pixels at `size` (a word longer than a line is cut). */
export function wrapText(s: string, width: number, size: number): string[] {
  const max = Math.max(8, Math.floor(width / (size * CHAR_EM)));
  const lines: string[] = [];
  let cur = '';
  for (let word of s.split(/\s+/).filter(Boolean)) {
    while (word.length > max) {
      if (cur) {
        lines.push(cur);
        cur = '';
      }
      lines.push(word.slice(0, max));
      word = word.slice(max);
    }
    if (!cur) cur = word;
    else if (cur.length + 1 + word.length <= max) cur += ` ${word}`;
    else {
      lines.push(cur);
      cur = word;
    }
  }
  if (cur) lines.push(cur);
  return lines.length ? lines : [''];
}

/** A value in the heading (a threshold): 6 significant digits at most, exponential for the very large and small. */
function fmtNum(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  const rounded = Number(v.toPrecision(6));
  return a >= 1e6 || a < 1e-3 ? rounded.toExponential() : String(rounded);
}

/** The power of ten of a tick step's last significant digit: 5 for 2.5e6, -2 for 0.25, 3 for 2000. */
function lastDigitExponent(step: number): number {
  let e = Math.floor(Math.log10(step));
  while (e > -20 && Math.abs(step / 10 ** e - Math.round(step / 10 ** e)) > 1e-6) e--;
  return e;
}

/**
 * A value-axis label with every digit the step needs, so that neighbouring ticks never read alike: with a 2.5e6 step,
 * 1.25e7 is "1.25e+7" (not "1.3e+7"); exponential from 1e6 and below 1e-3, trailing zeros dropped.
 */
export function formatTick(v: number, step: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  const last = lastDigitExponent(step);
  if (a >= 1e6 || a < 1e-3) {
    const digits = Math.min(20, Math.max(0, Math.floor(Math.log10(a) + 1e-9) - last));
    return v.toExponential(digits).replace(/\.?0+e/, 'e');
  }
  return String(Number(v.toFixed(Math.min(20, Math.max(0, -last)))));
}

/** Tick values for [lo, hi]: about `target` steps of 1, 2, 2.5 or 5 x 10^n, covering the range. */
export function niceTicks(lo: number, hi: number, target = 5): { ticks: number[]; lo: number; hi: number; step: number } {
  if (!(hi > lo)) hi = lo + 1;
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw * 0.999) ?? 10 * mag;
  const first = Math.floor(lo / step + 1e-9) * step;
  const last = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; first + i * step <= last + step * 1e-9; i++) ticks.push(Number((first + i * step).toPrecision(12)));
  return { ticks, lo: first, hi: last, step };
}

function timeTicks(t0: number, t1: number): { t: number; label: string }[] {
  const span = t1 - t0;
  const steps = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800].map((s) => s * 1000);
  const step = steps.find((s) => span / s <= 8) ?? 604800_000;
  const out: { t: number; label: string }[] = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
    const iso = new Date(t).toISOString();
    out.push({ t, label: step >= 86400_000 ? iso.slice(5, 10) : span > 86400_000 ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16) });
  }
  return out;
}

/** The drawn time range: the whole scenario, or the incident from an hour before to well after the first firing. */
export function plotWindow(r: ScenarioResult, p: PolicyResult, options: PlotOptions = {}): { t0: number; t1: number; zoomed: boolean } {
  if (options.history || r.incidentStart === null) return { t0: r.start, t1: r.end, zoomed: false };
  const hour = 3600_000;
  const fired = p.firstFiredAt ?? r.incidentStart;
  const after = Math.max(hour, fired - r.incidentStart + Math.max(hour / 2, 0.25 * Math.abs(fired - r.incidentStart)));
  const t0 = Math.max(r.start, Math.min(r.incidentStart, fired) - hour);
  const t1 = Math.min(r.end, r.incidentStart + after);
  return t1 - t0 >= (r.end - r.start) * 0.9 ? { t0: r.start, t1: r.end, zoomed: false } : { t0, t1, zoomed: true };
}

/** Downsample to at most ~2 points per pixel column while keeping the extremes of each column. */
function polyline(times: number[], values: (number | null)[], x: (t: number) => number, y: (v: number) => number): string[] {
  const paths: string[] = [];
  let cur: string[] = [];
  let lastCol = -1;
  let colMin = INF;
  let colMax = -INF;
  const flushCol = (col: number) => {
    if (col < 0 || colMin === INF) return;
    cur.push(`${col},${y(colMax).toFixed(1)}`);
    if (colMin !== colMax) cur.push(`${col},${y(colMin).toFixed(1)}`);
  };
  for (let i = 0; i < times.length; i++) {
    const v = values[i];
    const col = round(x(times[i]));
    if (v === null || v === undefined || !finite(v)) {
      flushCol(lastCol);
      colMin = INF;
      colMax = -INF;
      lastCol = -1;
      if (cur.length) paths.push(cur.join(' '));
      cur = [];
      continue;
    }
    if (col !== lastCol) {
      flushCol(lastCol);
      colMin = INF;
      colMax = -INF;
      lastCol = col;
    }
    colMin = mathMin(colMin, v);
    colMax = mathMax(colMax, v);
  }
  flushCol(lastCol);
  if (cur.length) paths.push(cur.join(' '));
  return paths;
}

interface Drawn {
  svg: string;
  height: number;
}

function seriesLabel(s: ConditionResult['series'][number]): string {
  return (
    Object.entries({ ...s.resourceLabels, ...s.metricLabels })
      .map(([k, v]) => `${k}=${v}`)
      .join(', ') ||
    s.resourceType ||
    '(all)'
  );
}

/** One condition: heading lines, the plot, the time axis, then the legend rows below it. */
function panel(r: ScenarioResult, p: PolicyResult, c: ConditionResult, top: number, win: { t0: number; t1: number }): Drawn {
  const { t0, t1 } = win;
  const pw = W - M.l - M.r;
  const ph = PLOT_H;
  const parts: string[] = [];
  const what = c.type === 'absence' ? 'seconds without data' : c.type === 'log' ? 'matching log entries' : 'aligned value';
  const heading = `${c.displayName} — ${what}${c.comparison && c.type === 'threshold' ? ` ${c.comparison === 'COMPARISON_GT' ? '>' : '<'} ${fmtNum(c.threshold!)}` : ''} for ${c.durationSeconds}s (ingestion delay ${c.ingestionDelaySeconds}s)`;
  const headLines = wrapText(heading, W - 2 * 10, 12);
  headLines.forEach((line, i) => parts.push(`<text x="10" y="${top + 12 + i * 15}" font-size="12" font-weight="bold">${esc(line)}</text>`));
  const plotTop = top + headLines.length * 15 + 8;
  const x = (t: number) => M.l + ((t - t0) / (t1 - t0 || 1)) * pw;
  const visible = r.evaluationTimes.map((t) => t >= t0 && t <= t1);
  let lo = INF;
  let hi = -INF;
  for (const s of c.series)
    s.values.forEach((v, i) => {
      if (visible[i] && v !== null && finite(v)) {
        lo = mathMin(lo, v);
        hi = mathMax(hi, v);
      }
    });
  if (c.threshold !== undefined && c.type !== 'log') {
    lo = Math.min(lo, c.threshold);
    hi = Math.max(hi, c.threshold);
  }
  if (!Number.isFinite(lo)) {
    lo = 0;
    hi = 1;
  }
  lo = Math.min(lo, 0);
  // Headroom for the "incident" label at the top of the plot.
  const axis = niceTicks(lo, hi + (hi - lo) * 0.12);
  const y = (v: number) => plotTop + ph - ((v - axis.lo) / (axis.hi - axis.lo || 1)) * ph;
  parts.push(`<clipPath id="clip-${top}"><rect x="${M.l}" y="${plotTop}" width="${pw}" height="${ph}"/></clipPath>`);
  for (const w of p.windows) {
    const a = Math.max(M.l, x(w.start));
    const b = Math.min(M.l + pw, x(w.end ?? r.end));
    if (b > a || (b >= M.l && a <= M.l + pw))
      parts.push(`<rect x="${a.toFixed(1)}" y="${plotTop}" width="${Math.max(1, b - a).toFixed(1)}" height="${ph}" fill="#d62728" fill-opacity="0.15"/>`);
  }
  if (r.incidentStart !== null && r.incidentStart >= t0 && r.incidentStart <= t1) {
    const a = x(r.incidentStart);
    const anchorEnd = a + 3 + textWidth('incident', 10) > M.l + pw;
    parts.push(
      `<line x1="${a.toFixed(1)}" x2="${a.toFixed(1)}" y1="${plotTop}" y2="${plotTop + ph}" stroke="#555" stroke-dasharray="4 3"/><text x="${(anchorEnd ? a - 3 : a + 3).toFixed(1)}" y="${plotTop + 11}" font-size="10" fill="#555"${anchorEnd ? ' text-anchor="end"' : ''}>incident</text>`,
    );
  }
  parts.push(
    `<line x1="${M.l}" x2="${M.l}" y1="${plotTop}" y2="${plotTop + ph}" stroke="#000"/><line x1="${M.l}" x2="${M.l + pw}" y1="${plotTop + ph}" y2="${plotTop + ph}" stroke="#000"/>`,
  );
  for (const v of axis.ticks) {
    parts.push(
      `<line x1="${M.l - 4}" x2="${M.l}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#000"/><text x="${M.l - 6}" y="${(y(v) + 3).toFixed(1)}" font-size="10" text-anchor="end">${formatTick(v, axis.step)}</text>`,
    );
  }
  const ticks = timeTicks(t0, t1);
  ticks.forEach((tk, i) => {
    const tx = x(tk.t);
    // The first and last labels keep inside the plot's width.
    const half = textWidth(tk.label, 10) / 2;
    const anchor = tx - half < 0 ? 'start' : tx + half > W ? 'end' : 'middle';
    if (i > 0 && tx - x(ticks[i - 1].t) < 2 * half + 6) return;
    parts.push(
      `<line x1="${tx.toFixed(1)}" x2="${tx.toFixed(1)}" y1="${plotTop + ph}" y2="${plotTop + ph + 4}" stroke="#000"/><text x="${tx.toFixed(1)}" y="${plotTop + ph + 15}" font-size="10" text-anchor="${anchor}">${tk.label}</text>`,
    );
  });
  if (c.threshold !== undefined && c.type !== 'log') {
    parts.push(
      `<line x1="${M.l}" x2="${M.l + pw}" y1="${y(c.threshold).toFixed(1)}" y2="${y(c.threshold).toFixed(1)}" stroke="#d62728" stroke-dasharray="6 4"/>`,
    );
  }
  const drawn = c.series.slice(0, COLORS.length);
  const inWindow = (vals: (number | null)[]) => vals.map((v, i) => (visible[i] ? v : null));
  drawn.forEach((s, i) => {
    for (const pts of polyline(r.evaluationTimes, inWindow(s.values), x, y))
      parts.push(`<polyline fill="none" stroke="${COLORS[i]}" stroke-width="1.3" points="${pts}" clip-path="url(#clip-${top})"/>`);
  });
  if (c.logMatches) {
    for (const t of c.logMatches)
      if (t >= t0 && t <= t1)
        parts.push(`<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${plotTop + ph - 30}" y2="${plotTop + ph}" stroke="#1f77b4"/>`);
  }
  // Legend: below the time axis, flowing left to right in rows.
  let lx = M.l;
  let ly = plotTop + ph + 32;
  const items = drawn.map((s, i) => ({ text: seriesLabel(s).length > 90 ? `${seriesLabel(s).slice(0, 89)}…` : seriesLabel(s), color: COLORS[i] }));
  if (c.series.length > COLORS.length) items.push({ text: `(${c.series.length - COLORS.length} more series not drawn)`, color: '#555' });
  for (const item of items) {
    const w = 14 + textWidth(item.text, 10);
    if (lx > M.l && lx + w > W - M.r) {
      lx = M.l;
      ly += 14;
    }
    parts.push(
      `<rect x="${lx}" y="${ly - 8}" width="10" height="3" fill="${item.color}"/><text x="${lx + 14}" y="${ly}" font-size="10" fill="${item.color}">${esc(item.text)}</text>`,
    );
    lx += w + 16;
  }
  return { svg: parts.join('\n'), height: ly + 12 - top };
}

export function renderPolicySvg(r: ScenarioResult, p: PolicyResult, options: PlotOptions = {}): string {
  const win = plotWindow(r, p, options);
  const title = `${p.displayName} — scenario ${r.name}: ${p.error ? 'ERROR' : p.fired ? `fired at ${new Date(p.firstFiredAt!).toISOString()}${p.detectionSeconds !== null ? ` (detection ${p.detectionSeconds}s${p.detectionSeconds < 0 ? ', BEFORE the incident' : ''})` : ''}` : 'did not fire'}`;
  const titleLines = wrapText(title, W - 20, 14);
  const sub = win.zoomed
    ? `zoomed on the incident: ${new Date(win.t0).toISOString().slice(0, 16)}Z .. ${new Date(win.t1).toISOString().slice(0, 16)}Z of ${new Date(r.start).toISOString().slice(0, 16)}Z .. ${new Date(r.end).toISOString().slice(0, 16)}Z (--plot-history draws it all)`
    : `${new Date(r.start).toISOString().slice(0, 16)}Z .. ${new Date(r.end).toISOString().slice(0, 16)}Z`;
  const head = [
    ...titleLines.map((line, i) => `<text x="10" y="${20 + i * 18}" font-size="14" font-weight="bold">${esc(line)}</text>`),
    ...wrapText(sub, W - 20, 10).map((line, i) => `<text x="10" y="${20 + titleLines.length * 18 + i * 13}" font-size="10" fill="#555">${esc(line)}</text>`),
  ];
  let top = 20 + titleLines.length * 18 + wrapText(sub, W - 20, 10).length * 13 + 6;
  const body: string[] = [];
  if (p.error) {
    for (const line of wrapText(p.error, W - 20, 12)) {
      body.push(`<text x="10" y="${top + 12}" font-size="12" fill="#d62728">${esc(line)}</text>`);
      top += 15;
    }
  } else {
    for (const c of p.conditions) {
      const d = panel(r, p, c, top, win);
      body.push(d.svg);
      top += d.height + 10;
    }
  }
  const H = Math.ceil(top + 10);
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">
<rect width="100%" height="100%" fill="#fff"/>
${head.join('\n')}
${body.join('\n')}
</svg>
`;
}

/** File-system-safe name. */
export function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 80) || 'x'
  );
}
