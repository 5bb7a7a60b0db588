/**
 * SLO time-series selectors ("Retrieving SLO data",
 * https://cloud.google.com/stackdriver/docs/solutions/slo-monitoring/api/timeseries-selectors): the names Google
 * documents, which of them take a lookback period, and the lookback's units ("ns", "us", "ms", "s", "m", "h").
 */
import type { ParsedFilter, SloSelector } from './ast';
import { parseFilter } from './parse';

export const SLO_SELECTORS: readonly string[] = [
  'select_slo_burn_rate',
  'select_slo_health',
  'select_slo_budget',
  'select_slo_budget_fraction',
  'select_slo_budget_total',
  'select_slo_counts',
  'select_slo_good',
  'select_slo_bad',
];
export const SLO_SELECTORS_WITH_LOOKBACK: readonly string[] = ['select_slo_burn_rate'];

/**
 * Burn-rate alerts cannot look back more than 24 hours: "It is not currently possible to base alerts on the error
 * budget consumption rate of an SLO using a compliance period of greater than 24 hours" (gcp-facts §10; "Alerting on
 * your burn rate", https://cloud.google.com/stackdriver/docs/solutions/slo-monitoring/alerting-on-budget-burn-rate#alert-lookbacks).
 */
export const MAX_ALERT_BURN_RATE_LOOKBACK_SECONDS = 86_400;

const UNIT_SECONDS = { ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 } as const;

/** Seconds of a lookback period like "3600s" or "1h"; undefined when it is not one. */
export function lookbackSeconds(lookback: string): number | undefined {
  const u = /^(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)$/.exec(lookback.trim());
  return u ? Number(u[1]) * UNIT_SECONDS[u[2] as keyof typeof UNIT_SECONDS] : undefined;
}

/** Whether a filter is written as an SLO selector (it may still be malformed: sloSelectorOf says). */
export function isSloSelectorFilter(filter: string): boolean {
  return /^\s*select_slo_/.test(filter);
}

/** The SLO selector a filter is, or undefined for a time-series filter. Throws FilterSyntaxError on bad syntax. */
export function sloSelectorOf(filter: string): SloSelector | undefined {
  if (!isSloSelectorFilter(filter)) return undefined;
  const parsed: ParsedFilter = parseFilter(filter);
  return parsed.op === 'slo' ? parsed : undefined;
}
