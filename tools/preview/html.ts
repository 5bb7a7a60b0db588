/**
 * A static, self-contained HTML page of an environment's dashboards, drawn from the synthesized `dashboard_json`
 * (what is previewed is what is deployed): each tile at its mosaic position (absolute positioning scaled from the
 * layout's columns), with its title, its queries (filter + aligner/reducer) and a placeholder chart carrying the
 * threshold lines as labelled dashed lines. With a scenario (`preview --scenario FILE`, tools/preview/scenario.ts) the
 * charts draw the simulator's series instead of placeholders. An inline script measures every tile after layout and
 * writes the result as JSON into a hidden `<pre id="layout-check">` (not shown on the page), which the browser test
 * reads with `chromium --dump-dom`.
 */
import type { ScenarioSeries, SimulatedDataSet } from './scenario';
import { dataSetKey } from './scenario';

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

/** A placeholder chart: made-up series in the plot style of each data set, and the real threshold lines. */
function chartSvg(seed: string, plotTypes: string[], thresholds: Threshold[]): string {
  const W = 400;
  const H = 100;
  const top = thresholds.length ? Math.max(...thresholds.map((t) => t.value)) : 0;
  const yMax = top > 0 ? top * 1.35 : 1;
  const y = (v: number) => H - 4 - (v / yMax) * (H - 12);
  const rand = seeded(seed);
  const parts: string[] = [`<line x1="0" y1="${H - 4}" x2="${W}" y2="${H - 4}" class="axis"/>`];
  const points = 24;
  plotTypes.forEach((plot, s) => {
    const color = SERIES_COLORS[s % SERIES_COLORS.length];
    const level = yMax * (0.15 + 0.35 * rand()) * (top > 0 ? 0.7 : 1);
    const values = Array.from({ length: points }, (_, i) => Math.max(0, level * (0.6 + 0.8 * rand()) * (1 + 0.3 * Math.sin(i / 3 + s))));
    const xs = values.map((_, i) => (i / (points - 1)) * W);
    if (plot === 'STACKED_BAR') {
      const bw = W / points - 3;
      values.forEach((v, i) => parts.push(`<rect x="${((i * W) / points + 1.5).toFixed(1)}" y="${y(v).toFixed(1)}" width="${bw.toFixed(1)}" height="${(H - 4 - y(v)).toFixed(1)}" fill="${color}" opacity="0.55"/>`));
    } else if (plot === 'HEATMAP') {
      const rows = 6;
      for (let i = 0; i < points; i++) {
        for (let r = 0; r < rows; r++) {
          const heat = Math.max(0, 1 - Math.abs(r - 2 - rand() * 2) / 3);
          parts.push(`<rect x="${((i / points) * W).toFixed(1)}" y="${(4 + (r * (H - 8)) / rows).toFixed(1)}" width="${(W / points - 1).toFixed(1)}" height="${((H - 8) / rows - 1).toFixed(1)}" fill="${color}" opacity="${(0.08 + 0.8 * heat).toFixed(2)}"/>`);
        }
      }
    } else {
      const path = values.map((v, i) => `${xs[i].toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      if (plot === 'STACKED_AREA') parts.push(`<polygon points="0,${H - 4} ${path} ${W},${H - 4}" fill="${color}" opacity="0.25"/>`);
      parts.push(`<polyline points="${path}" fill="none" stroke="${color}" stroke-width="1.5" vector-effect="non-scaling-stroke"/>`);
    }
  });
  const labels: string[] = [];
  for (const t of thresholds) {
    const ty = y(t.value);
    parts.push(`<line x1="0" y1="${ty.toFixed(1)}" x2="${W}" y2="${ty.toFixed(1)}" stroke="${t.color}" stroke-width="1.5" stroke-dasharray="6 4" vector-effect="non-scaling-stroke" class="threshold"/>`);
    // Labels are HTML over the stretched SVG, so their text keeps its proportions.
    labels.push(`<span class="threshold-label" style="top:${((ty / H) * 100).toFixed(2)}%;color:${t.color}">${escapeHtml(t.label)}</span>`);
  }
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" preserveAspectRatio="none" role="img" aria-label="placeholder chart">${parts.join('')}</svg>${labels.join('')}`;
}

/** A chart of the simulator's series for each data set over the scenario's window, with the real threshold lines. */
function simulatedChartSvg(sim: ScenarioSeries, dataSets: SimulatedDataSet[], thresholds: Threshold[]): string {
  const W = 400;
  const H = 100;
  const values = dataSets.flatMap((d) => d.series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v))));
  const top = Math.max(0, ...values, ...thresholds.map((t) => t.value));
  const yMax = top > 0 ? top * 1.15 : 1;
  const y = (v: number) => H - 4 - (v / yMax) * (H - 12);
  const t0 = sim.times[0] ?? 0;
  const t1 = sim.times[sim.times.length - 1] ?? 1;
  const x = (t: number) => ((t - t0) / (t1 - t0 || 1)) * W;
  const parts: string[] = [`<line x1="0" y1="${H - 4}" x2="${W}" y2="${H - 4}" class="axis"/>`];
  if (sim.incidentStart !== null && sim.incidentStart >= t0 && sim.incidentStart <= t1) {
    parts.push(`<line x1="${x(sim.incidentStart).toFixed(1)}" y1="0" x2="${x(sim.incidentStart).toFixed(1)}" y2="${H}" stroke="#5f6368" stroke-width="1" stroke-dasharray="3 3" vector-effect="non-scaling-stroke" class="incident"/>`);
  }
  let color = 0;
  for (const d of dataSets) {
    for (const s of d.series) {
      const c = SERIES_COLORS[color++ % SERIES_COLORS.length];
      let run: string[] = [];
      const flush = () => {
        if (run.length) parts.push(`<polyline points="${run.join(' ')}" fill="none" stroke="${c}" stroke-width="1.5" vector-effect="non-scaling-stroke" class="series"/>`);
        run = [];
      };
      s.values.forEach((v, i) => (v === null || !Number.isFinite(v) ? flush() : run.push(`${x(sim.times[i]).toFixed(1)},${y(v).toFixed(1)}`)));
      flush();
    }
  }
  const labels: string[] = [];
  for (const t of thresholds) {
    const ty = y(t.value);
    parts.push(`<line x1="0" y1="${ty.toFixed(1)}" x2="${W}" y2="${ty.toFixed(1)}" stroke="${t.color}" stroke-width="1.5" stroke-dasharray="6 4" vector-effect="non-scaling-stroke" class="threshold"/>`);
    labels.push(`<span class="threshold-label" style="top:${((ty / H) * 100).toFixed(2)}%;color:${t.color}">${escapeHtml(t.label)}</span>`);
  }
  const notes = dataSets.map((d) => (d.error ? `not simulated: ${d.error}` : d.series.length ? '' : 'no data in this scenario')).filter(Boolean);
  const peak = values.length ? `<span class="sim-peak">max ${fmt(Math.max(...values))}</span>` : '';
  const note = notes.length ? `<span class="sim-note" title="${escapeHtml(notes.join('; '))}">${escapeHtml([...new Set(notes)].join('; '))}</span>` : '';
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" preserveAspectRatio="none" role="img" aria-label="simulated chart">${parts.join('')}</svg>${labels.join('')}${peak}${note}`;
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
  return Object.keys(o).length ? ` · ${str(o.direction) || 'TOP'} ${num(o.numTimeSeries)} by ${str(o.rankingMethod).replace('METHOD_', '').toLowerCase()}` : '';
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

function tileBody(widget: Obj, seed: string, sim?: { series: ScenarioSeries; key: (dataSet: number) => string }): string {
  const kind = widgetKind(widget);
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
      return (
        `<div class="chart-box">${yLabel ? `<span class="y-label">${escapeHtml(yLabel)}</span>` : ''}${
          sim
            ? simulatedChartSvg(sim.series, dataSets.map((_, i) => sim.series.dataSets.get(sim.key(i)) ?? { series: [], error: 'not simulated' }), thresholds)
            : chartSvg(seed, dataSets.map((d) => str(obj(d).plotType) || 'LINE'), thresholds)
        }</div>` +
        queriesHtml(dataSets)
      );
    }
    case 'timeSeriesTable': {
      const t = obj(widget.timeSeriesTable);
      const dataSets = arr(t.dataSets);
      const groupBy = dataSets.flatMap((d) => arr(obj(obj(obj(obj(d).timeSeriesQuery).timeSeriesFilter).aggregation).groupByFields).map(str));
      const column = groupBy[0]?.split('.').pop() ?? 'series';
      const rand = seeded(seed);
      const rows = Array.from({ length: 5 }, (_, i) => `<tr><td>${escapeHtml(`${column} #${i + 1}`)}</td><td class="num">${Math.round(40 * (1 - i / 6) * (0.8 + 0.4 * rand()))}</td></tr>`).join('');
      return `<table class="ts-table"><thead><tr><th>${escapeHtml(column)}</th><th class="num">value</th></tr></thead><tbody>${rows}</tbody></table>${queriesHtml(dataSets)}`;
    }
    case 'text': {
      const t = obj(widget.text);
      return `<div class="text-body">${str(t.format) === 'RAW' ? `<pre>${escapeHtml(str(t.content))}</pre>` : markdownToHtml(str(t.content))}</div>`;
    }
    case 'incidentList': {
      const names = arr(obj(widget.incidentList).policyNames).map(str);
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
.chart-box{position:relative;flex:1 1 60%;min-height:40px}
.chart{width:100%;height:100%;display:block}
.chart .axis{stroke:#dadce0;stroke-width:1}
.threshold-label{position:absolute;right:2px;transform:translateY(-100%);font-size:10px;font-weight:600;background:rgba(255,255,255,.75);padding:0 3px;white-space:nowrap;max-width:100%;overflow:hidden;text-overflow:ellipsis}
.y-label{position:absolute;left:0;top:0;font-size:9.5px;color:#80868b;background:rgba(255,255,255,.8);padding:0 3px;z-index:1}
ul.queries{list-style:none;margin:4px 0 0;padding:0;flex:0 1 auto;max-height:42%;overflow:auto;font-size:10px;border-top:1px solid #f1f3f4}
ul.queries li{padding:2px 0;border-bottom:1px dotted #e8eaed}
ul.queries .plot{font-weight:600;color:#3c4043;margin-right:6px}
ul.queries .agg{color:#188038;margin-right:6px}
ul.queries code{display:block;color:#5f6368;font:9.5px/1.3 ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
.text-body{overflow:auto;font-size:12px}.text-body p{margin:0 0 4px}
.text-body code{font:11px ui-monospace,Menlo,Consolas,monospace;background:#f1f3f4;padding:0 2px;border-radius:2px}
.ts-table{width:100%;border-collapse:collapse;font-size:11px;flex:none}.ts-table th,.ts-table td{text-align:left;padding:2px 4px;border-bottom:1px solid #f1f3f4}.ts-table .num{text-align:right}
.incidents{flex:1;font-size:11px}.incident-head{display:flex;justify-content:space-between;font-weight:600;border-bottom:1px solid #dadce0;padding:2px 0}
.muted{color:#80868b}
#layout-check{display:none}
.sim-peak{position:absolute;left:2px;bottom:6px;font-size:9.5px;color:#5f6368;background:rgba(255,255,255,.8);padding:0 3px}
.sim-note{position:absolute;left:50%;top:50%;transform:translate(-50%,-50%);max-width:90%;font-size:10px;color:#80868b;text-align:center;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
`;

/** Measures every tile after layout and writes the result into #layout-check (read by the browser test). */
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
      d.tiles.push({ title: tile.getAttribute('data-title'), grid: { x: x, y: y, w: w, h: h }, rect: rect });
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
      ? `Charts show the simulator's series for scenario <strong>${escapeHtml(scenario.name)}</strong> (<code>${escapeHtml(scenario.file)}</code>), ${escapeHtml(window(scenario))}, through each chart's own aligner, reducer and filter; the grey dashed line is the incident's start`
      : 'Charts are placeholders (add <code>--scenario FILE</code> to draw a simulated incident)'
  }; the queries, the layout and the dashed threshold lines are the real ones.</p><nav class="toc">${toc}</nav></header>
${sections.join('\n')}
<pre id="layout-check" hidden>(layout check did not run)</pre>
<script>${CHECK_SCRIPT}</script>
</body></html>
`;
}
