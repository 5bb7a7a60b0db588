/**
 * A static, self-contained HTML page of an environment's dashboards, drawn from the synthesized `dashboard_json`
 * (what is previewed is what is deployed): each tile at its mosaic position (absolute positioning scaled from the
 * layout's columns), with its title, its queries (filter + aligner/reducer) and a placeholder chart carrying the
 * threshold lines as labelled dashed lines; placeholder table rows and incident lists say they are placeholders. With a
 * scenario (`preview --scenario FILE`, tools/preview/scenario.ts) the charts draw the simulator's series instead (as
 * lines, stacked areas or stacked bars, as each data set declares), the tables its rows and the incident lists the
 * incidents it opened; what it cannot simulate says why. An inline script moves the threshold labels off the chart's
 * other labels, then measures every tile and chart label after layout and writes the result as JSON into a hidden
 * `<pre id="layout-check">` (not shown on the page), which the browser test reads with `chromium --dump-dom`.
 */
import type { ScenarioSeries, SimulatedDataSet } from './scenario';
import { dataSetKey } from './scenario';
import { groupFieldName, parseGroupByField } from '../../gcp/filter';
import { alertPolicyReference } from '../../gcp/simulate/policies';
import { rankingName } from '../../gcp/api/dashboard';

/** Height of one mosaic row unit in pixels. */
export const ROW_PX = 16;
/** Gap inside a tile's grid cell, so neighbouring cards never touch. */
export const GAP_PX = 4;

export interface PreviewDashboard {
  /** Terraform resource name, e.g. `dashboard_system_overview`. */
  resource: string;
  /** The parsed `dashboard_json`. */
  dashboard: unknown;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The small subset of Markdown the text tiles use: paragraphs, **bold**, *italic*, `code`, [links](url). */
export function markdownToHtml(md: string): string {
  return md
    .split(/\n{2,}/)
    .map((para) => {
      let h = escapeHtml(para.trim());
      h = h.replace(/`([^`]+)`/g, '<code>$1</code>');
      h = h.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
      h = h.replace(/(^|[^*])\*([^*]+)\*/g, '$1<em>$2</em>');
      h = h.replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '<a href="$2">$1</a>');
      return `<p>${h.replace(/\n/g, '<br>')}</p>`;
    })
    .join('');
}

/** A deterministic pseudo-random sequence per tile, so the placeholder series look alike on every run. */
function seeded(seed: string): () => number {
  let h = 2166136261;
  for (const c of seed) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return () => {
    h = Math.imul(h ^ (h >>> 15), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    h ^= h >>> 16;
    return (h >>> 0) / 4294967296;
  };
}

interface Threshold {
  label: string;
  value: number;
  color: string;
}

const THRESHOLD_COLORS: Record<string, string> = { RED: '#d93025', YELLOW: '#e37400' };
const SERIES_COLORS = ['#1a73e8', '#12b5cb', '#9334e6', '#188038', '#e52592'];

function fmt(v: number): string {
  return Math.abs(v) >= 1000 ? v.toLocaleString('en-US') : `${+v.toPrecision(4)}`;
}

/** The charts' SVG viewBox (stretched to the tile) and the y of its zero line. */
const CHART_W = 400;
const CHART_H = 100;
const BASE_Y = CHART_H - 4;
const STACKED = ['STACKED_AREA', 'STACKED_BAR'];
const isPoint = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** One series as the dashboard declares its data set's plot type. */
interface Layer {
  plot: string;
  color: string;
  /** One value per x (null = no point). */
  values: (number | null)[];
  /** STACKED_BAR: the points drawn as bars, each with its left and right edge (viewBox units). */
  bars: { i: number; left: number; right: number }[];
}

/** Each layer's lower and upper edge: a stacked plot type sits on the layers of the same type before it (a missing point adds 0). */
function stackLayers(layers: Layer[]): { layer: Layer; lower: number[] | null; upper: (number | null)[] }[] {
  const tops = new Map<string, number[]>();
  return layers.map((layer) => {
    if (!STACKED.includes(layer.plot)) return { layer, lower: null, upper: layer.values };
    const lower = tops.get(layer.plot) ?? layer.values.map(() => 0);
    const upper = lower.map((base, i) => base + (isPoint(layer.values[i]) ? (layer.values[i] as number) : 0));
    tops.set(layer.plot, upper);
    return { layer, lower, upper };
  });
}

/** The highest point drawn: a stacked plot's top edge, a line's values. */
const stackedMax = (stacked: ReturnType<typeof stackLayers>): number => Math.max(0, ...stacked.flatMap((s) => s.upper.filter(isPoint)));

/**
 * The SVG of stacked layers: STACKED_AREA as bands, STACKED_BAR as bars stacked on each other, LINE as lines; each
 * series' shape of class `seriesClass` (`series` for simulated data, `placeholder-series` for made-up data).
 */
function layersSvg(stacked: ReturnType<typeof stackLayers>, xs: number[], y: (v: number) => number, seriesClass: string): string {
  const parts: string[] = [];
  for (const { layer, lower, upper } of stacked) {
    const c = layer.color;
    if (lower && !layer.values.some(isPoint)) continue; // no point in the window: nothing to stack
    if (layer.plot === 'STACKED_BAR' && lower) {
      const rects = layer.bars
        .filter((b) => (upper[b.i] as number) > lower[b.i])
        .map((b) => `<rect x="${b.left.toFixed(1)}" y="${y(upper[b.i] as number).toFixed(1)}" width="${(b.right - b.left).toFixed(1)}" height="${(y(lower[b.i]) - y(upper[b.i] as number)).toFixed(1)}"/>`);
      parts.push(`<g class="${seriesClass}" fill="${c}" opacity="0.8">${rects.join('')}</g>`);
    } else if (layer.plot === 'STACKED_AREA' && lower) {
      const top = xs.map((x, i) => `${x.toFixed(1)},${y(upper[i] as number).toFixed(1)}`);
      const bottom = xs.map((x, i) => `${x.toFixed(1)},${y(lower[i]).toFixed(1)}`).reverse();
      parts.push(`<polygon class="${seriesClass}" points="${[...top, ...bottom].join(' ')}" fill="${c}" fill-opacity="0.35"/>`);
      parts.push(`<polyline points="${top.join(' ')}" fill="none" stroke="${c}" stroke-width="1.2" vector-effect="non-scaling-stroke"/>`);
    } else {
      let run: string[] = [];
      const flush = () => {
        if (run.length) parts.push(`<polyline points="${run.join(' ')}" fill="none" stroke="${c}" stroke-width="1.5" vector-effect="non-scaling-stroke" class="${seriesClass}"/>`);
        run = [];
      };
      upper.forEach((v, i) => (isPoint(v) ? run.push(`${xs[i].toFixed(1)},${y(v).toFixed(1)}`) : flush()));
      flush();
    }
  }
  return parts.join('');
}

/** The dashed threshold lines, and their labels as HTML over the stretched SVG (so the text keeps its proportions). */
function thresholdsSvg(thresholds: Threshold[], y: (v: number) => number): { lines: string; labels: string } {
  const lines: string[] = [];
  const labels: string[] = [];
  for (const t of thresholds) {
    const ty = y(t.value);
    lines.push(`<line x1="0" y1="${ty.toFixed(1)}" x2="${CHART_W}" y2="${ty.toFixed(1)}" stroke="${t.color}" stroke-width="1.5" stroke-dasharray="6 4" vector-effect="non-scaling-stroke" class="threshold"/>`);
    // data-line: where the line is (% of the plot's height); the page's script moves the label off other labels.
    const at = ((ty / CHART_H) * 100).toFixed(2);
    labels.push(`<span class="chart-label threshold-label" data-line="${at}" style="top:${at}%;color:${t.color}">${escapeHtml(t.label)}</span>`);
  }
  return { lines: lines.join(''), labels: labels.join('') };
}

/** A chart box: the y-axis label and the peak above the plot (never over it), then the plot with its labels over it. */
function chartBox(yLabel: string, peak: string, plot: string, ariaLabel: string, overlays: string): string {
  const meta = yLabel || peak ? `<div class="chart-meta">${yLabel ? `<span class="chart-label y-label">${escapeHtml(yLabel)}</span>` : '<span></span>'}${peak ? `<span class="chart-label sim-peak">${escapeHtml(peak)}</span>` : ''}</div>` : '';
  return `<div class="chart-box">${meta}<div class="plot"><svg class="chart" viewBox="0 0 ${CHART_W} ${CHART_H}" preserveAspectRatio="none" role="img" aria-label="${ariaLabel}">${plot}</svg>${overlays}</div></div>`;
}

/** A placeholder chart: made-up series in the plot style of each data set (stacked as declared), and the real threshold lines. */
function chartSvg(seed: string, plotTypes: string[], thresholds: Threshold[], yLabel: string): string {
  const top = thresholds.length ? Math.max(...thresholds.map((t) => t.value)) : 0;
  const scale = top > 0 ? top * 1.35 : 1;
  const rand = seeded(seed);
  const points = 24;
  const xs = Array.from({ length: points }, (_, i) => (i / (points - 1)) * CHART_W);
  const slot = CHART_W / points;
  const bars = xs.map((_, i) => ({ i, left: i * slot + 1.5, right: (i + 1) * slot - 1.5 }));
  const heatmaps: number[] = [];
  const layers: Layer[] = [];
  plotTypes.forEach((plot, s) => {
    const color = SERIES_COLORS[s % SERIES_COLORS.length];
    if (plot === 'HEATMAP') return void heatmaps.push(s);
    const level = scale * (0.15 + 0.35 * rand()) * (top > 0 ? 0.7 : 1);
    const values = xs.map((_, i) => Math.max(0, level * (0.6 + 0.8 * rand()) * (1 + 0.3 * Math.sin(i / 3 + s))));
    layers.push({ plot, color, values, bars });
  });
  const stacked = stackLayers(layers);
  const yMax = Math.max(scale, stackedMax(stacked) * 1.1);
  const y = (v: number) => BASE_Y - (v / yMax) * (CHART_H - 12);
  const parts: string[] = [`<line x1="0" y1="${BASE_Y}" x2="${CHART_W}" y2="${BASE_Y}" class="axis"/>`];
  for (const s of heatmaps) {
    const color = SERIES_COLORS[s % SERIES_COLORS.length];
    const rows = 6;
    for (let i = 0; i < points; i++) {
      for (let r = 0; r < rows; r++) {
        const heat = Math.max(0, 1 - Math.abs(r - 2 - rand() * 2) / 3);
        parts.push(`<rect x="${(i * slot).toFixed(1)}" y="${(4 + (r * (CHART_H - 8)) / rows).toFixed(1)}" width="${(slot - 1).toFixed(1)}" height="${((CHART_H - 8) / rows - 1).toFixed(1)}" fill="${color}" opacity="${(0.08 + 0.8 * heat).toFixed(2)}"/>`);
      }
    }
  }
  parts.push(layersSvg(stacked, xs, y, 'placeholder-series'));
  const th = thresholdsSvg(thresholds, y);
  return chartBox(yLabel, '', parts.join('') + th.lines, 'placeholder chart', th.labels);
}

/** A simulated data set with the plot type its chart declares. */
export interface DrawnDataSet {
  plot: string;
  data: SimulatedDataSet;
}

/**
 * The points (indexes into `times`, evenly `step` apart) a STACKED_BAR draws, a bar per alignment period ending at
 * each: the points at a period's end (the dashboard's own points); when no time is on that grid (a scenario starting
 * off it), every (period/step)-th point counted back from the last, so the bars never overlap.
 */
function barPoints(times: readonly number[], periodMs: number): number[] {
  const indexes = times.map((_, i) => i);
  const aligned = indexes.filter((i) => periodMs > 0 && times[i] % periodMs === 0);
  if (aligned.length) return aligned;
  const step = times.length > 1 ? times[1] - times[0] : 0;
  const stride = step > 0 ? Math.max(1, Math.ceil(periodMs / step)) : 1;
  return indexes.filter((i) => (times.length - 1 - i) % stride === 0);
}

/**
 * A chart of the simulator's series for each data set over the scenario's window, stacked as each data set declares
 * (STACKED_BAR: one bar per alignment period, ending at its aligned point), with the real threshold lines.
 */
function simulatedChartSvg(sim: ScenarioSeries, dataSets: DrawnDataSet[], thresholds: Threshold[], yLabel: string): string {
  const t0 = sim.times[0] ?? 0;
  const t1 = sim.times[sim.times.length - 1] ?? 1;
  const x = (t: number) => ((t - t0) / (t1 - t0 || 1)) * CHART_W;
  const xs = sim.times.map(x);
  const step = sim.times.length > 1 ? sim.times[1] - sim.times[0] : 0;
  let color = 0;
  const layers: Layer[] = dataSets.flatMap(({ plot, data }) => {
    const periodMs = Math.max(step, (data.periodSeconds ?? 0) * 1000);
    const bars = barPoints(sim.times, periodMs)
      .map((i) => {
        const left = x(Math.max(t0, sim.times[i] - periodMs));
        const right = xs[i];
        const gap = Math.min(1, (right - left) * 0.15);
        return { i, left: left + gap / 2, right: right - gap / 2 };
      })
      .filter((b) => b.right > b.left);
    return data.series.map((s) => ({ plot, color: SERIES_COLORS[color++ % SERIES_COLORS.length], values: s.values, bars }));
  });
  const stacked = stackLayers(layers);
  const peak = stackedMax(stacked);
  const hasPoint = layers.some((l) => l.values.some(isPoint));
  const top = Math.max(peak, ...thresholds.map((t) => t.value));
  const yMax = top > 0 ? top * 1.15 : 1;
  const y = (v: number) => BASE_Y - (v / yMax) * (CHART_H - 12);
  const parts: string[] = [`<line x1="0" y1="${BASE_Y}" x2="${CHART_W}" y2="${BASE_Y}" class="axis"/>`];
  if (sim.incidentStart !== null && sim.incidentStart >= t0 && sim.incidentStart <= t1) {
    parts.push(`<line x1="${x(sim.incidentStart).toFixed(1)}" y1="0" x2="${x(sim.incidentStart).toFixed(1)}" y2="${CHART_H}" stroke="#5f6368" stroke-width="1" stroke-dasharray="3 3" vector-effect="non-scaling-stroke" class="incident"/>`);
  }
  parts.push(layersSvg(stacked, xs, y, 'series'));
  const th = thresholdsSvg(thresholds, y);
  const notes = dataSets.map(({ data: d }) => (d.error ? `not simulated: ${d.error}` : d.series.length ? '' : 'no data in this scenario')).filter(Boolean);
  const stackedPeak = stacked.some((s) => s.lower && s.layer.values.some(isPoint));
  const peakText = hasPoint ? `${stackedPeak ? 'max total' : 'max'} ${fmt(peak)}` : '';
  const note = notes.length ? `<span class="chart-label sim-note" title="${escapeHtml(notes.join('; '))}">${escapeHtml([...new Set(notes)].join('; '))}</span>` : '';
  return chartBox(yLabel, peakText, parts.join('') + th.lines, 'simulated chart', th.labels + note);
}

function aggregationText(a: unknown): string {
  const g = obj(a);
  const bits = [str(g.perSeriesAligner) || 'ALIGN_NONE', str(g.crossSeriesReducer), str(g.alignmentPeriod) && `every ${str(g.alignmentPeriod)}`];
  const by = arr(g.groupByFields).map(str).filter(Boolean);
  if (by.length) bits.push(`by ${by.join(', ')}`);
  return bits.filter(Boolean).join(' · ');
}

function pickText(p: unknown): string {
  const o = obj(p);
  return Object.keys(o).length ? ` · ${str(o.direction) || 'TOP'} ${num(o.numTimeSeries)} by ${rankingName(str(o.rankingMethod))}` : '';
}

/** The queries of a widget's data sets, as HTML list items. */
function queriesHtml(dataSets: unknown[]): string {
  const items = dataSets.map((ds) => {
    const d = obj(ds);
    const q = obj(d.timeSeriesQuery);
    const plot = str(d.plotType) || 'LINE';
    if (q.timeSeriesFilterRatio) {
      const r = obj(q.timeSeriesFilterRatio);
      const n = obj(r.numerator);
      const dn = obj(r.denominator);
      return `<li><span class="plot">${plot} ratio${escapeHtml(pickText(r.pickTimeSeriesFilter))}</span><span class="agg">numerator: ${escapeHtml(aggregationText(n.aggregation))}</span><code>${escapeHtml(str(n.filter))}</code><span class="agg">denominator: ${escapeHtml(aggregationText(dn.aggregation))}</span><code>${escapeHtml(str(dn.filter))}</code></li>`;
    }
    const f = obj(q.timeSeriesFilter);
    return `<li><span class="plot">${plot}${escapeHtml(pickText(f.pickTimeSeriesFilter))}</span><span class="agg">${escapeHtml(aggregationText(f.aggregation))}</span><code>${escapeHtml(str(f.filter))}</code></li>`;
  });
  return `<ul class="queries">${items.join('')}</ul>`;
}

const widgetKind = (w: Obj): string => ['xyChart', 'timeSeriesTable', 'text', 'incidentList', 'scorecard', 'blank', 'sectionHeader', 'logsPanel', 'alertChart', 'pieChart', 'collapsibleGroup'].find((k) => k in w) ?? 'unknown';

/** The query of a data set: its timeSeriesFilter, or a ratio's numerator (which carries the group-by). */
const dataSetFilter = (ds: unknown): Obj => {
  const q = obj(obj(ds).timeSeriesQuery);
  return q.timeSeriesFilterRatio ? obj(obj(q.timeSeriesFilterRatio).numerator) : obj(q.timeSeriesFilter);
};

/**
 * A table's group-by columns: each groupByFields entry of its data set with its header (the label's key; `resource.type`;
 * `resource labels` for `resource.label.*`) and the key a simulated series carries its value under (SimulatedSeries.labels).
 * An entry parseGroupByField refuses keeps its text as both (the simulator reports it as an error).
 */
function groupByColumns(dataSet: unknown): { header: string; key: string }[] {
  return arr(obj(dataSetFilter(dataSet).aggregation).groupByFields)
    .map(str)
    .filter(Boolean)
    .map((field) => {
      const f = parseGroupByField(field);
      if (!f) return { header: field, key: field };
      const header = f.kind === 'metric' || f.kind === 'resource' ? (f.key === '*' ? `${f.kind} labels` : f.key) : f.kind;
      return { header, key: groupFieldName(f) };
    });
}

/**
 * A table data set's simulated rows: one per series (grouped as the data set declares, top or bottom N as its pick
 * declares), a column per group-by field, the latest value and the ranking value; or why there are none.
 */
function simulatedTableHtml(dataSet: unknown, data: SimulatedDataSet): string {
  if (data.error) return `<p class="table-note">not simulated: ${escapeHtml(data.error)}</p>`;
  const withPoints = data.series.filter((s) => s.values.some(isPoint));
  if (!withPoints.length) return '<p class="table-note">no data in this scenario</p>';
  const fields = groupByColumns(dataSet);
  const latest = (values: (number | null)[]) => [...values].reverse().find(isPoint);
  const rank = data.pick && rankingName(data.pick.rankingMethod);
  // Picked series are in rank order already; the others by their latest value.
  const rows = data.pick ? withPoints : [...withPoints].sort((a, b) => (latest(b.values) ?? -Infinity) - (latest(a.values) ?? -Infinity));
  const head = (fields.length ? fields.map((f) => f.header) : ['series']).map((h) => `<th>${escapeHtml(h)}</th>`);
  head.push('<th class="num">latest</th>');
  if (rank && rank !== 'latest') head.push(`<th class="num">${escapeHtml(rank)}</th>`);
  const body = rows.map((s) => {
    const cells = (fields.length ? fields.map((f) => s.labels[f.key] ?? '') : [s.label]).map((v) => `<td>${escapeHtml(v)}</td>`);
    const last = latest(s.values);
    cells.push(`<td class="num">${last === undefined ? '–' : fmt(last)}</td>`);
    if (rank && rank !== 'latest') cells.push(`<td class="num">${s.rankValue === undefined ? '–' : fmt(s.rankValue)}</td>`);
    return `<tr>${cells.join('')}</tr>`;
  });
  const caption = data.pick
    ? `simulated: ${data.pick.direction.toLowerCase()} ${Math.min(data.pick.numTimeSeries, data.pick.of)} of ${data.pick.of} series by ${rank} over the drawn window`
    : `simulated: ${rows.length} series`;
  return `<table class="ts-table"><caption>${escapeHtml(caption)}</caption><thead><tr>${head.join('')}</tr></thead><tbody>${body.join('')}</tbody></table>`;
}

/** Made-up rows for a table without a scenario, labelled as such on the page. */
function placeholderTableHtml(dataSets: unknown[], seed: string): string {
  const column = dataSets.flatMap(groupByColumns)[0]?.header ?? 'series';
  const rand = seeded(seed);
  const rows = Array.from(
    { length: 5 },
    (_, i) => `<tr class="placeholder"><td>${escapeHtml(`${column} #${i + 1}`)}</td><td class="num">${Math.round(40 * (1 - i / 6) * (0.8 + 0.4 * rand()))}</td></tr>`,
  ).join('');
  return `<table class="ts-table"><caption>placeholder rows, not data (add --scenario FILE to draw a simulated incident)</caption><thead><tr><th>${escapeHtml(column)}</th><th class="num">value</th></tr></thead><tbody>${rows}</tbody></table>`;
}

const utc = (t: number) => new Date(t).toISOString().slice(5, 16).replace('T', ' ');

/**
 * The incidents the simulator opened over the scenario for the policies an incident list shows (policyNames, or every
 * alert policy of the stack), oldest first; or that there is none.
 */
function simulatedIncidentsHtml(policyNames: string[], sim: ScenarioSeries): string {
  const notes: string[] = [];
  const alerts = policyNames.length
    ? policyNames.flatMap((name) => {
        const resource = alertPolicyReference(name);
        const alert = resource && sim.alerts.find((a) => a.resource === resource);
        if (!alert) notes.push(`not simulated: ${name} is not an alert policy of this stack (\${google_monitoring_alert_policy.NAME.name})`);
        return alert ? [alert] : [];
      })
    : sim.alerts;
  for (const a of alerts) if (a.error) notes.push(`not simulated: ${a.displayName}: ${a.error}`);
  const rows = alerts
    .flatMap((a) => a.incidents.map((i) => ({ ...i, policy: a.displayName })))
    .sort((a, b) => a.opened - b.opened || a.policy.localeCompare(b.policy))
    .map(
      (i) =>
        `<tr><td title="${escapeHtml(i.policy)}">${escapeHtml(i.policy)}</td><td>${utc(i.opened)}</td><td>${i.closed === null ? '<strong>open</strong>' : utc(i.closed)}</td></tr>`,
    );
  const table = rows.length
    ? `<table class="incident-table"><thead><tr><th>Policy</th><th>Opened (UTC)</th><th>Closed</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
    : '<p class="table-note">no incident in this scenario</p>';
  return `<div class="incidents">${table}${notes.map((n) => `<p class="table-note">${escapeHtml(n)}</p>`).join('')}</div>`;
}

function tileBody(widget: Obj, seed: string, sim?: { series: ScenarioSeries; key: (dataSet: number) => string }): string {
  const kind = widgetKind(widget);
  const simulated = (i: number): SimulatedDataSet => sim?.series.dataSets.get(sim.key(i)) ?? { series: [], error: 'not simulated' };
  switch (kind) {
    case 'xyChart': {
      const c = obj(widget.xyChart);
      const dataSets = arr(c.dataSets);
      const thresholds: Threshold[] = arr(c.thresholds).map((t) => {
        const o = obj(t);
        // A threshold without `value` is at 0 (the API omits zero values).
        return { label: str(o.label) || `threshold ${fmt(num(o.value))}`, value: num(o.value), color: THRESHOLD_COLORS[str(o.color)] ?? '#5f6368' };
      });
      const yLabel = str(obj(c.yAxis).label);
      const plots = dataSets.map((d) => str(obj(d).plotType) || 'LINE');
      return (
        (sim
          ? simulatedChartSvg(
              sim.series,
              plots.map((plot, i) => ({ plot, data: simulated(i) })),
              thresholds,
              yLabel,
            )
          : chartSvg(seed, plots, thresholds, yLabel)) + queriesHtml(dataSets)
      );
    }
    case 'timeSeriesTable': {
      const dataSets = arr(obj(widget.timeSeriesTable).dataSets);
      const tables = sim ? dataSets.map((d, i) => simulatedTableHtml(d, simulated(i))).join('') : placeholderTableHtml(dataSets, seed);
      return `<div class="table-box">${tables}</div>${queriesHtml(dataSets)}`;
    }
    case 'text': {
      const t = obj(widget.text);
      return `<div class="text-body">${str(t.format) === 'RAW' ? `<pre>${escapeHtml(str(t.content))}</pre>` : markdownToHtml(str(t.content))}</div>`;
    }
    case 'incidentList': {
      const names = arr(obj(widget.incidentList).policyNames).map(str);
      if (sim) return simulatedIncidentsHtml(names, sim.series);
      return `<div class="incidents"><div class="incident-head"><span>Incident</span><span>Policy</span><span>State</span></div><p class="muted">Open incidents of ${names.length ? `${names.length} policies` : 'every alert policy of the project'} appear here (placeholder).</p></div>`;
    }
    default:
      return `<p class="muted">${escapeHtml(kind)} widget</p>`;
  }
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:13px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;background:#f1f3f4;color:#202124}
header.page{padding:14px 20px;background:#fff;border-bottom:1px solid #dadce0}
header.page h1{margin:0;font-size:20px;font-weight:500}
header.page p{margin:4px 0 0;color:#5f6368}
nav.toc{margin-top:6px}nav.toc a{margin-right:14px;color:#1a73e8;text-decoration:none}
section.dashboard{padding:12px 20px 20px}
section.dashboard h2{margin:8px 0 10px;font-size:16px;font-weight:500}
section.dashboard h2 small{color:#5f6368;font-weight:400;margin-left:8px}
.mosaic{position:relative;width:100%}
.tile{position:absolute;padding:${GAP_PX / 2}px}
.card{position:relative;width:100%;height:100%;background:#fff;border:1px solid #dadce0;border-radius:6px;padding:6px 8px;display:flex;flex-direction:column;overflow:hidden}
.card h3{margin:0 0 4px;font-size:12.5px;font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;flex:none}
.card .kind{position:absolute;right:8px;top:6px;font-size:10px;color:#80868b;background:#f1f3f4;border-radius:3px;padding:0 4px}
.chart-box{position:relative;flex:1 1 60%;min-height:40px;display:flex;flex-direction:column}
.chart-meta{flex:none;display:flex;justify-content:space-between;gap:8px;font-size:9.5px;line-height:12px;color:#80868b}
.chart-meta .chart-label{min-width:0;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.plot{position:relative;flex:1 1 auto;min-height:30px}
.chart{position:absolute;left:0;top:0;width:100%;height:100%;display:block}
.chart .axis{stroke:#dadce0;stroke-width:1}
.threshold-label{position:absolute;right:2px;transform:translateY(-100%);font-size:10px;font-weight:600;background:rgba(255,255,255,.75);padding:0 3px;white-space:nowrap;max-width:calc(100% - 4px);overflow:hidden;text-overflow:ellipsis}
ul.queries{list-style:none;margin:4px 0 0;padding:0;flex:0 1 auto;max-height:42%;overflow:auto;font-size:10px;border-top:1px solid #f1f3f4}
ul.queries li{padding:2px 0;border-bottom:1px dotted #e8eaed}
ul.queries .plot{font-weight:600;color:#3c4043;margin-right:6px}
ul.queries .agg{color:#188038;margin-right:6px}
ul.queries code{display:block;color:#5f6368;font:9.5px/1.3 ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
.text-body{overflow:auto;font-size:12px}.text-body p{margin:0 0 4px}
.text-body code{font:11px ui-monospace,Menlo,Consolas,monospace;background:#f1f3f4;padding:0 2px;border-radius:2px}
.table-box{flex:1 1 auto;min-height:0;overflow:auto}
.ts-table,.incident-table{width:100%;border-collapse:collapse;font-size:11px}.ts-table th,.ts-table td,.incident-table th,.incident-table td{text-align:left;padding:2px 4px;border-bottom:1px solid #f1f3f4;white-space:nowrap}.ts-table .num{text-align:right}
.ts-table caption{caption-side:top;text-align:left;font-size:10px;font-style:italic;color:#80868b;padding:1px 4px}
.ts-table tr.placeholder td{color:#9aa0a6;font-style:italic}
.incident-table{table-layout:fixed}.incident-table th:first-child{width:56%}.incident-table td{overflow:hidden;text-overflow:ellipsis}
.table-note{margin:4px 0;font-size:10.5px;color:#80868b}
.incidents{flex:1;min-height:0;overflow:auto;font-size:11px}.incident-head{display:flex;justify-content:space-between;font-weight:600;border-bottom:1px solid #dadce0;padding:2px 0}
.muted{color:#80868b}
#layout-check{display:none}
.sim-peak{color:#5f6368}
.sim-note{position:absolute;left:50%;top:50%;transform:translate(-50%,-50%);max-width:90%;font-size:10px;color:#80868b;text-align:center;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
`;

/**
 * Places each threshold label off the chart's other labels, in this order: above its line at the right (the default
 * without script), below it, the same two at the left, then the nearest free row on either side; always inside the
 * plot, whose height in pixels is known only after layout. Again on resize. A label without a height (not laid out)
 * is left where the CSS puts it.
 */
export const PLACE_LABELS_SCRIPT = `
function labelsOverlap(a, b) {
  return a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
}
function placeThresholdLabels() {
  var plots = document.querySelectorAll('.plot');
  for (var p = 0; p < plots.length; p++) {
    var height = plots[p].getBoundingClientRect().height;
    var placed = [];
    var fixed = plots[p].parentElement.querySelectorAll('.chart-label:not(.threshold-label)');
    for (var f = 0; f < fixed.length; f++) placed.push(fixed[f].getBoundingClientRect());
    var labels = plots[p].querySelectorAll('.threshold-label');
    for (var i = 0; i < labels.length; i++) {
      var label = labels[i];
      var h = label.offsetHeight;
      // Not laid out (display:none, a hidden frame): nothing to place, and no row height to step the tries by.
      if (!(h > 0)) continue;
      label.style.transform = 'none';
      var line = (Number(label.getAttribute('data-line')) / 100) * height;
      var lowest = Math.max(0, height - h);
      var tries = [];
      ['right', 'left'].forEach(function (side) { tries.push([line - h, side], [line, side]); });
      for (var k = 1; k * h <= height; k++) ['right', 'left'].forEach(function (side) { tries.push([line - h - k * h, side], [line + k * h, side]); });
      var place = function (attempt) {
        label.style.top = Math.min(Math.max(attempt[0], 0), lowest) + 'px';
        label.style.left = attempt[1] === 'left' ? '2px' : 'auto';
        label.style.right = attempt[1] === 'right' ? '2px' : 'auto';
        return label.getBoundingClientRect();
      };
      var chosen = null;
      for (var t = 0; t < tries.length && chosen === null; t++) {
        var r = place(tries[t]);
        if (!placed.some(function (o) { return labelsOverlap(r, o); })) chosen = tries[t];
      }
      placed.push(place(chosen || tries[0]));
    }
  }
}
placeThresholdLabels();
window.addEventListener('resize', placeThresholdLabels);
`;

/**
 * Measures every tile after layout and writes the result into #layout-check (read by the browser test): tiles at
 * their grid position, none overlapping another, and in each chart no text label overlapping another or leaving it.
 */
const CHECK_SCRIPT = `
(function () {
  var result = { ok: true, dashboards: [] };
  var mosaics = document.querySelectorAll('.mosaic');
  for (var m = 0; m < mosaics.length; m++) {
    var mosaic = mosaics[m];
    var columns = Number(mosaic.getAttribute('data-columns'));
    var box = mosaic.getBoundingClientRect();
    var colW = box.width / columns;
    var cards = mosaic.querySelectorAll(':scope > .tile > .card');
    var d = { id: mosaic.getAttribute('data-dashboard'), expectedTiles: Number(mosaic.getAttribute('data-tiles')), drawnTiles: cards.length, tiles: [], problems: [] };
    var rects = [];
    for (var i = 0; i < cards.length; i++) {
      var tile = cards[i].parentElement;
      var r = cards[i].getBoundingClientRect();
      var x = Number(tile.getAttribute('data-x')), y = Number(tile.getAttribute('data-y'));
      var w = Number(tile.getAttribute('data-w')), h = Number(tile.getAttribute('data-h'));
      var rect = { left: r.left - box.left, top: r.top - box.top, width: r.width, height: r.height };
      rects.push(rect);
      var labelCount = 0;
      var charts = cards[i].querySelectorAll('.chart-box');
      for (var c = 0; c < charts.length; c++) {
        var cb = charts[c].getBoundingClientRect();
        var seen = [];
        var labels = charts[c].querySelectorAll('.chart-label');
        for (var l = 0; l < labels.length; l++) {
          var lr = labels[l].getBoundingClientRect();
          if (!(lr.width > 0 && lr.height > 0)) continue;
          var text = labels[l].textContent;
          labelCount++;
          if (lr.left < cb.left - 0.5 || lr.right > cb.right + 0.5 || lr.top < cb.top - 0.5 || lr.bottom > cb.bottom + 0.5) d.problems.push('tile ' + i + ': label "' + text + '" leaves its chart');
          for (var o = 0; o < seen.length; o++) if (labelsOverlap(lr, seen[o].rect)) d.problems.push('tile ' + i + ': label "' + text + '" overlaps label "' + seen[o].text + '"');
          seen.push({ text: text, rect: lr });
        }
      }
      d.tiles.push({ title: tile.getAttribute('data-title'), grid: { x: x, y: y, w: w, h: h }, rect: rect, labels: labelCount });
      if (!(r.width > 0 && r.height > 0)) d.problems.push('tile ' + i + ' has zero size');
      if (Math.abs(rect.left - (x * colW + ${GAP_PX / 2})) > 2 || Math.abs(rect.top - (y * ${ROW_PX} + ${GAP_PX / 2})) > 2) d.problems.push('tile ' + i + ' is not at its grid position');
      if (rect.left < -0.5 || rect.left + rect.width > box.width + 0.5) d.problems.push('tile ' + i + ' is outside the mosaic');
    }
    for (var a = 0; a < rects.length; a++) {
      for (var b = a + 1; b < rects.length; b++) {
        var p = rects[a], q = rects[b];
        if (p.left < q.left + q.width - 0.5 && q.left < p.left + p.width - 0.5 && p.top < q.top + q.height - 0.5 && q.top < p.top + p.height - 0.5) d.problems.push('tile ' + a + ' overlaps tile ' + b);
      }
    }
    if (d.drawnTiles !== d.expectedTiles) d.problems.push('drew ' + d.drawnTiles + ' of ' + d.expectedTiles + ' tiles');
    if (d.problems.length) result.ok = false;
    result.dashboards.push(d);
  }
  document.getElementById('layout-check').textContent = JSON.stringify(result);
})();
`;

const window = (s: ScenarioSeries): string => {
  const hhmm = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');
  return s.times.length ? `${hhmm(s.times[0])} to ${hhmm(s.times[s.times.length - 1])} UTC` : 'no evaluation times';
};

/** The page for one environment. */
export function renderPreviewHtml(envName: string, dashboards: readonly PreviewDashboard[], source: string, scenario?: ScenarioSeries): string {
  const sections = dashboards.map(({ resource, dashboard }) => {
    const d = obj(dashboard);
    const mosaic = obj(d.mosaicLayout);
    const columns = num(mosaic.columns) || 12;
    const tiles = arr(mosaic.tiles).map(obj);
    const rows = Math.max(0, ...tiles.map((t) => num(t.yPos) + num(t.height)));
    const tileHtml = tiles.map((t, i) => {
      const [x, y, w, h] = [num(t.xPos), num(t.yPos), num(t.width), num(t.height)];
      const widget = obj(t.widget);
      const title = str(widget.title) || `(untitled ${widgetKind(widget)})`;
      const style = `left:${((x / columns) * 100).toFixed(4)}%;width:${((w / columns) * 100).toFixed(4)}%;top:${y * ROW_PX}px;height:${h * ROW_PX}px`;
      return (
        `<div class="tile" style="${style}" data-x="${x}" data-y="${y}" data-w="${w}" data-h="${h}" data-title="${escapeHtml(title)}">` +
        `<div class="card"><h3 title="${escapeHtml(title)}">${escapeHtml(title)}</h3><span class="kind">${escapeHtml(widgetKind(widget))}</span>${tileBody(widget, `${resource}/${i}/${title}`, scenario && { series: scenario, key: (d) => dataSetKey(resource, i, d) })}</div></div>`
      );
    });
    return (
      `<section class="dashboard" id="${escapeHtml(resource)}"><h2>${escapeHtml(str(d.displayName))}<small>${tiles.length} tiles · ${columns} columns · ${escapeHtml(resource)}</small></h2>` +
      `<div class="mosaic" data-dashboard="${escapeHtml(resource)}" data-columns="${columns}" data-tiles="${tiles.length}" style="height:${rows * ROW_PX}px">${tileHtml.join('')}</div></section>`
    );
  });
  const toc = dashboards.map(({ resource, dashboard }) => `<a href="#${escapeHtml(resource)}">${escapeHtml(str(obj(dashboard).displayName).replace(/^.* - /, ''))}</a>`).join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dashboards preview: ${escapeHtml(envName)}</title><style>${CSS}</style></head>
<body><header class="page"><h1>Dashboards preview: ${escapeHtml(envName)}</h1><p>${dashboards.length} dashboards drawn from the synthesized <code>dashboard_json</code> of <code>${escapeHtml(source)}</code>. ${
    scenario
      ? `Charts show the simulator's series for scenario <strong>${escapeHtml(scenario.name)}</strong> (<code>${escapeHtml(scenario.file)}</code>), ${escapeHtml(window(scenario))}, through each chart's own aligner, reducer and filter (tables: its rows; incident lists: the incidents the alert policies opened in the scenario); the grey dashed line is the incident's start`
      : 'Charts, table rows and incident lists are placeholders (add <code>--scenario FILE</code> to draw a simulated incident)'
  }; the queries, the layout and the dashed threshold lines are the real ones.</p><nav class="toc">${toc}</nav></header>
${sections.join('\n')}
<pre id="layout-check" hidden>(layout check did not run)</pre>
<script>${PLACE_LABELS_SCRIPT}${CHECK_SCRIPT}</script>
</body></html>
`;
}
