/**
 * How far back before an evaluation time a condition reads its data (the ingestion delay aside): the aggregation's
 * alignment period or an SLO's burn-rate lookback, plus the condition's duration. One rule for whoever needs history
 * before a period: the backtest reads it from the API, a simulation generates it.
 */
import { parseProtoDuration } from './errors';
import { parseSloSelector } from './slo';
import type { ApiAggregation } from '../api/aggregation';
import type { ApiCondition } from '../api/alert-policy';

/** A duration's seconds; 0 when absent or unreadable (the policy's own validation reports a bad one). */
export function durationSeconds(d: string | undefined): number {
  if (d === undefined) return 0;
  try {
    return parseProtoDuration(d);
  } catch {
    return 0;
  }
}

/** The longest alignment period of an aggregation chain (0: none). */
export function aggregationWindowSeconds(aggs: ApiAggregation[] | undefined): number {
  return Math.max(0, ...(aggs ?? []).map((a) => durationSeconds(a.alignmentPeriod)));
}

/** The burn-rate lookback of an SLO selector filter, or undefined (not a selector, or not readable). */
export function sloLookbackSeconds(filter: string | undefined): number | undefined {
  if (!filter) return undefined;
  try {
    return parseSloSelector(filter)?.lookbackSeconds;
  } catch {
    return undefined;
  }
}

/** The longest window a condition reads before an evaluation time, duration included (log-match and others: 0). */
export function conditionLookbackSeconds(c: ApiCondition): number {
  const th = c.conditionThreshold;
  if (th) {
    const window = sloLookbackSeconds(th.filter) ?? Math.max(aggregationWindowSeconds(th.aggregations), aggregationWindowSeconds(th.denominatorAggregations));
    return window + durationSeconds(th.duration);
  }
  const ab = c.conditionAbsent;
  if (ab) return aggregationWindowSeconds(ab.aggregations) + durationSeconds(ab.duration);
  return 0;
}
