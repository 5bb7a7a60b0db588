/** Text (markdown, for a pull request) and JSON output of a backtest. */
import type { BacktestResult, PolicyIncidents, SideResult } from './backtest';

const fmtPeak = (v: number | null) => (v === null ? 'n/a' : Math.abs(v) >= 100 || Number.isInteger(v) ? String(Math.round(v * 100) / 100) : v.toPrecision(3));
const count = (p: PolicyIncidents | undefined) =>
  p === undefined ? '—' : p.error ? 'not evaluated' : p.disabled ? `${p.incidents.length} (disabled)` : String(p.incidents.length);

function incidentLines(side: SideResult): string[] {
  const out: string[] = [];
  for (const p of side.policies) {
    if (p.error) {
      out.push(`- **${p.displayName}** (${side.label}): not evaluated: ${p.error}`);
      continue;
    }
    if (!p.incidents.length) continue;
    out.push(`- **${p.displayName}** (${side.label}): ${p.incidents.length} incident${p.incidents.length === 1 ? '' : 's'}`);
    for (const i of p.incidents) out.push(`  - ${i.start} – ${i.end ?? 'still open at the end'}, peak ${fmtPeak(i.peak)} (${i.condition})`);
  }
  return out;
}

export function formatText(r: BacktestResult): string {
  const days = (Date.parse(r.to) - Date.parse(r.from)) / 86_400_000;
  const lines: string[] = [];
  lines.push(`## Backtest of ${r.env} (projects/${r.project}), ${r.from} – ${r.to} (${days.toFixed(days % 1 ? 1 : 0)} d)`);
  lines.push('');
  const summary = r.base
    ? `**${r.head.total} incident${r.head.total === 1 ? '' : 's'} (${r.head.label}) instead of ${r.base.total} (${r.base.label})**`
    : `**${r.head.total} incident${r.head.total === 1 ? '' : 's'} (${r.head.label})**`;
  lines.push(summary);
  lines.push('');
  const names = [...new Set([...r.head.policies.map((p) => p.displayName), ...(r.base?.policies ?? []).map((p) => p.displayName)])];
  lines.push(`| policy | ${r.head.label} |${r.base ? ` ${r.base.label} |` : ''}`);
  lines.push(`|---|---|${r.base ? '---|' : ''}`);
  for (const n of names) {
    const h = r.head.policies.find((p) => p.displayName === n);
    const b = r.base?.policies.find((p) => p.displayName === n);
    lines.push(`| ${n.replace(/\|/g, '\\|')} | ${count(h)} |${r.base ? ` ${count(b)} |` : ''}`);
  }
  lines.push(`| **total** | **${r.head.total}** |${r.base ? ` **${r.base.total}** |` : ''}`);
  const details = [...incidentLines(r.head), ...(r.base ? incidentLines(r.base) : [])];
  if (details.length) lines.push('', '### Incidents (start – end, peak value of the condition that opened it)', '', ...details);
  if (r.partial.length) {
    lines.push('', '### Partial data (the policies reading it are not evaluated; nothing was treated as zero)', '');
    for (const p of r.partial) lines.push(`- ${p}`);
  }
  if (r.gaps.length) {
    lines.push('', '### Gaps in the data (no points: evaluated as missing data, never as zero)', '');
    for (const g of r.gaps) lines.push(`- ${g.from} – ${g.until}: \`${g.filter}\``);
  }
  const d = r.data;
  lines.push(
    '',
    `Data: ${d.seriesQueries} time-series queries and ${d.logQueries} log queries; ${d.series} series, ${d.points.toLocaleString('en-US')} points, ${d.logEntries.toLocaleString('en-US')} log entries; ${d.pagesFetched} page(s) fetched, ${d.pagesFromCache} from the cache, ${d.retries} retr${d.retries === 1 ? 'y' : 'ies'}.`,
  );
  const srcs = Object.entries(d.logMetricSources);
  if (srcs.length) lines.push(`Log-based metrics: ${srcs.map(([n, s]) => `${n} from ${s}`).join('; ')}.`);
  for (const n of r.notes) lines.push(`Note: ${n}`);
  lines.push('', 'Not modelled (gcp/simulate/README.md): incident auto-close, log-based metric ingestion delay, notification delivery.');
  return lines.join('\n');
}

export function toJson(r: BacktestResult): string {
  return JSON.stringify(r, null, 2);
}
