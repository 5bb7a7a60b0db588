/** Rendering of cost reports: the CLI's breakdown table, and the README's growth table for 1x / 10x / 100x. */
import type { EnvironmentConfig } from '../../environments/schema';
import type { TfJson } from '../shared/synth-dir';
import { estimateCost, type CostDetails } from './estimate';
import type { Prices } from './prices';

const money = (n: number) => `$${n.toFixed(2)}`;
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The breakdown of one estimate as a markdown table with totals and notes. */
export function breakdownMarkdown(d: CostDetails): string {
  const r = d.report;
  return [
    `Monthly cost estimate for **${r.env}** at ${d.multiplier}x traffic (average ${d.averageRps.toFixed(2)} req/s)`,
    '',
    '| item | group | $/month | basis |',
    '|---|---|---:|---|',
    ...r.items.map((i) => `| ${cell(i.name)} | ${i.group} | ${money(i.monthlyUsd)} | ${cell(i.basis)} |`),
    `| **plan scope (all but alerting)** | | **${money(r.planScopeUsd)}** | |`,
    `| **total** | | **${money(r.monthlyUsd)}** | |`,
    '',
    ...d.notes.map((n) => `- ${n}`),
  ].join('\n');
}

/**
 * The README table: each item's monthly cost at each traffic multiplier, totals, and which item grows (the largest
 * increase from the first to the last multiplier).
 */
export function growthTableMarkdown(env: EnvironmentConfig, stack: TfJson, prices: Prices, multipliers: number[] = [1, 10, 100]): string {
  const runs = multipliers.map((m) => estimateCost({ env, stack, prices, multiplier: m }));
  const names = runs[0].report.items.map((i) => i.name);
  const value = (run: CostDetails, name: string) => run.report.items.find((i) => i.name === name)?.monthlyUsd ?? 0;
  const rows = names
    // Alert policies are summed in one row below; `cost --env` itemizes them.
    .filter((n) => !n.startsWith('alert'))
    .map((n) => `| ${cell(n)} | ${runs.map((r) => money(value(r, n))).join(' | ')} |`);
  const growth = names.map((n) => ({ n, delta: value(runs[runs.length - 1], n) - value(runs[0], n) })).sort((a, b) => b.delta - a.delta)[0];
  const first = runs[0];
  const last = runs[runs.length - 1];
  const alertingOf = (r: CostDetails) => r.report.monthlyUsd - r.report.planScopeUsd;
  return [
    `| ${env.name} item | ${multipliers.map((m) => `${m}x`).join(' | ')} |`,
    `|---|${multipliers.map(() => '---:').join('|')}|`,
    ...rows,
    `| alerting (all policies) | ${runs.map((r) => money(alertingOf(r))).join(' | ')} |`,
    `| **plan scope (all but alerting)** | ${runs.map((r) => `**${money(r.report.planScopeUsd)}**`).join(' | ')} |`,
    `| **total** | ${runs.map((r) => `**${money(r.report.monthlyUsd)}**`).join(' | ')} |`,
    '',
    `Average traffic ${runs.map((r) => `${r.averageRps.toFixed(1)} req/s`).join(' / ')}; logs stored ${runs.map((r) => `${r.logs.storedGiB.toFixed(0)} GiB`).join(' / ')} a month. ` +
      `What grows: **${growth.n}** (${money(value(first, growth.n))} → ${money(value(last, growth.n))}): log volume is linear in traffic once past the free ${prices.logging.freeGiBPerProjectMonth.value} GiB, ` +
      `while metric series, uptime executions and alert conditions barely move. Alerting is priced under the ${prices.alerting.modelInForce} model (see pricing/gcp-observability-prices.json).`,
  ].join('\n');
}
