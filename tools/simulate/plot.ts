/**
 * Hand-written SVG plots (no dependency): one per scenario and alert, one panel per condition, showing the aligned
 * series, the threshold line, the firing windows shaded and time axes.
 */
import type { ConditionResult, PolicyResult, ScenarioResult } from './engine';

const W = 900;
const PANEL_H = 220;
const M = { l: 70, r: 20, t: 40, b: 40 };
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22'];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fmtNum(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-3) return v.toExponential(1);
  return String(Number(v.toPrecision(3)));
}

function timeTicks(t0: number, t1: number): { t: number; label: string }[] {
  const span = t1 - t0;
  const steps = [60, 300, 600, 1800, 3600, 7200, 21600, 43200, 86400, 172800].map((s) => s * 1000);
  const step = steps.find((s) => span / s <= 8) ?? 604800_000;
  const out: { t: number; label: string }[] = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
    const iso = new Date(t).toISOString();
    out.push({ t, label: step >= 86400_000 ? iso.slice(5, 10) : span > 86400_000 ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16) });
  }
  return out;
}

/** Downsample to at most ~2 points per pixel column while keeping the extremes of each column. */
function polyline(times: number[], values: (number | null)[], x: (t: number) => number, y: (v: number) => number): string[] {
  const paths: string[] = [];
  let cur: string[] = [];
  let lastCol = -1;
  let colMin = Infinity;
  let colMax = -Infinity;
  const flushCol = (col: number) => {
    if (col < 0 || colMin === Infinity) return;
    cur.push(`${col},${y(colMax).toFixed(1)}`);
    if (colMin !== colMax) cur.push(`${col},${y(colMin).toFixed(1)}`);
  };
  for (let i = 0; i < times.length; i++) {
    const v = values[i];
    const col = Math.round(x(times[i]));
    if (v === null || v === undefined || !Number.isFinite(v)) {
      flushCol(lastCol);
      colMin = Infinity; colMax = -Infinity; lastCol = -1;
      if (cur.length) paths.push(cur.join(' '));
      cur = [];
      continue;
    }
    if (col !== lastCol) {
      flushCol(lastCol);
      colMin = Infinity; colMax = -Infinity; lastCol = col;
    }
    colMin = Math.min(colMin, v);
    colMax = Math.max(colMax, v);
  }
  flushCol(lastCol);
  if (cur.length) paths.push(cur.join(' '));
  return paths;
}

function panel(r: ScenarioResult, p: PolicyResult, c: ConditionResult, top: number): string {
  const times = r.evaluationTimes;
  const t0 = r.start;
  const t1 = r.end;
  const pw = W - M.l - M.r;
  const ph = PANEL_H - 50;
  const x = (t: number) => M.l + ((t - t0) / (t1 - t0 || 1)) * pw;
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of c.series) for (const v of s.values) if (v !== null && Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (c.threshold !== undefined) { lo = Math.min(lo, c.threshold); hi = Math.max(hi, c.threshold); }
  if (!Number.isFinite(lo)) { lo = 0; hi = 1; }
  lo = Math.min(lo, 0);
  if (hi === lo) hi = lo + 1;
  hi += (hi - lo) * 0.08;
  const y = (v: number) => top + ph - ((v - lo) / (hi - lo)) * ph;
  const parts: string[] = [];
  const what = c.type === 'absence' ? 'seconds without data' : c.type === 'log' ? 'matching log entries' : 'aligned value';
  const heading = `${c.displayName} — ${what}${c.comparison && c.type === 'threshold' ? ` ${c.comparison === 'COMPARISON_GT' ? '>' : '<'} ${fmtNum(c.threshold!)}` : ''} for ${c.durationSeconds}s (ingestion delay ${c.ingestionDelaySeconds}s)`;
  parts.push(`<text x="${M.l}" y="${top - 8}" font-size="12" font-weight="bold">${esc(heading)}</text>`);
  // firing windows of the policy
  for (const w of p.windows) {
    const a = x(w.start);
    const b = x(w.end ?? t1);
    parts.push(`<rect x="${a.toFixed(1)}" y="${top}" width="${Math.max(1, b - a).toFixed(1)}" height="${ph}" fill="#d62728" fill-opacity="0.15"/>`);
  }
  if (r.incidentStart !== null) {
    const a = x(r.incidentStart);
    parts.push(`<line x1="${a.toFixed(1)}" x2="${a.toFixed(1)}" y1="${top}" y2="${top + ph}" stroke="#555" stroke-dasharray="4 3"/><text x="${(a + 3).toFixed(1)}" y="${top + 12}" font-size="10" fill="#555">incident</text>`);
  }
  // axes
  parts.push(`<line x1="${M.l}" x2="${M.l}" y1="${top}" y2="${top + ph}" stroke="#000"/><line x1="${M.l}" x2="${M.l + pw}" y1="${top + ph}" y2="${top + ph}" stroke="#000"/>`);
  for (let i = 0; i <= 4; i++) {
    const v = lo + ((hi - lo) * i) / 4;
    parts.push(`<line x1="${M.l - 4}" x2="${M.l}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#000"/><text x="${M.l - 6}" y="${(y(v) + 3).toFixed(1)}" font-size="10" text-anchor="end">${fmtNum(v)}</text>`);
  }
  for (const tk of timeTicks(t0, t1)) {
    parts.push(`<line x1="${x(tk.t).toFixed(1)}" x2="${x(tk.t).toFixed(1)}" y1="${top + ph}" y2="${top + ph + 4}" stroke="#000"/><text x="${x(tk.t).toFixed(1)}" y="${top + ph + 15}" font-size="10" text-anchor="middle">${tk.label}</text>`);
  }
  // threshold
  if (c.threshold !== undefined && c.type !== 'log') {
    parts.push(`<line x1="${M.l}" x2="${M.l + pw}" y1="${y(c.threshold).toFixed(1)}" y2="${y(c.threshold).toFixed(1)}" stroke="#d62728" stroke-dasharray="6 4"/>`);
  }
  // series
  c.series.slice(0, COLORS.length).forEach((s, i) => {
    for (const pts of polyline(times, s.values, x, y)) parts.push(`<polyline fill="none" stroke="${COLORS[i]}" stroke-width="1.3" points="${pts}"/>`);
    const label = Object.entries({ ...s.resourceLabels, ...s.metricLabels }).map(([k, v]) => `${k}=${v}`).join(', ') || s.resourceType || '(all)';
    parts.push(`<text x="${M.l + pw - 4}" y="${top + 12 + i * 12}" font-size="10" text-anchor="end" fill="${COLORS[i]}">${esc(label.slice(0, 90))}</text>`);
  });
  if (c.series.length > COLORS.length) parts.push(`<text x="${M.l + 4}" y="${top + 12}" font-size="10">(${c.series.length - COLORS.length} more series not drawn)</text>`);
  if (c.logMatches) {
    for (const t of c.logMatches) parts.push(`<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${top + ph - 30}" y2="${top + ph}" stroke="#1f77b4"/>`);
  }
  return parts.join('\n');
}

export function renderPolicySvg(r: ScenarioResult, p: PolicyResult): string {
  const panels = p.conditions.length || 1;
  const H = M.t + panels * PANEL_H + 10;
  const title = `${p.displayName} — scenario ${r.name}: ${p.error ? 'ERROR' : p.fired ? `fired at ${new Date(p.firstFiredAt!).toISOString()}${p.detectionSeconds !== null ? ` (detection ${p.detectionSeconds}s)` : ''}` : 'did not fire'}`;
  const body = p.error
    ? `<text x="${M.l}" y="${M.t + 20}" font-size="12" fill="#d62728">${esc(p.error)}</text>`
    : p.conditions.map((c, i) => panel(r, p, c, M.t + 20 + i * PANEL_H)).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${M.l}" y="20" font-size="14" font-weight="bold">${esc(title)}</text>
${body}
</svg>
`;
}

/** File-system-safe name. */
export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80) || 'x';
}
