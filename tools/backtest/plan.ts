/**
 * What a set of policies reads: one query per distinct Monitoring filter (threshold and absence filters, ratio
 * denominators, the SLI filters behind `select_slo_burn_rate`) with the history it needs before the period (its
 * lookback), and one log query per log-match condition.
 *
 * Lookback of a filter = the longest window any condition looks back over it: alignment period + duration
 * (threshold), duration + alignment period (absence), the burn-rate lookback (SLO), plus the ingestion delay (an
 * evaluation at T reads data as of T − delay, delays.ts) and one minute of slack for the first DELTA point.
 */
import { metricTypesOf, parseMonitoringFilter, type FilterNode } from '../../gcp/simulate/filter';
import { ingestionDelay } from '../../gcp/simulate/delays';
import type { PolicySet } from '../../gcp/simulate/policies';
import { parseSloSelector } from '../../gcp/simulate/slo';
import { aggregationWindowSeconds, durationSeconds } from '../../gcp/simulate/lookback';

export interface SeriesQuery {
  filter: string;
  metricType: string;
  lookbackMs: number;
  /** "policy / condition" that read it, for messages. */
  readers: string[];
}

export interface LogQuery {
  filter: string;
  lookbackMs: number;
  readers: string[];
}

export interface Plan {
  series: Map<string, SeriesQuery>;
  logs: Map<string, LogQuery>;
  /** Policies whose conditions cannot be planned (the simulator will report them as errors too). */
  notes: string[];
}

export function emptyPlan(): Plan {
  return { series: new Map(), logs: new Map(), notes: [] };
}

/** Adds what the policy set reads to `plan` (call once per side: working tree and comparison). */
export function planPolicies(set: PolicySet, plan: Plan = emptyPlan()): Plan {
  const addSeries = (filter: string | undefined, windowS: number, reader: string) => {
    if (typeof filter !== 'string' || !filter.trim() || filter.includes('${')) return;
    let types: string[];
    try {
      types = metricTypesOf(parseMonitoringFilter(filter));
    } catch (e) {
      plan.notes.push(`${reader}: filter not readable (${(e as Error).message})`);
      return;
    }
    if (types.length !== 1) {
      plan.notes.push(`${reader}: filter must pin exactly one metric type`);
      return;
    }
    const delay = ingestionDelay(types[0]).seconds;
    const lookbackMs = (windowS + delay + 60) * 1000;
    const q = plan.series.get(filter);
    if (q) {
      q.lookbackMs = Math.max(q.lookbackMs, lookbackMs);
      if (!q.readers.includes(reader)) q.readers.push(reader);
    } else plan.series.set(filter, { filter, metricType: types[0], lookbackMs, readers: [reader] });
  };
  for (const lp of set.policies) {
    if (lp.policy.enabled === false) continue;
    (lp.policy.conditions ?? []).forEach((c, i) => {
      const reader = `${lp.displayName} / ${c.displayName || `conditions[${i}]`}`;
      if (c.conditionThreshold) {
        const th = c.conditionThreshold;
        const dur = durationSeconds(th.duration);
        let sel = null;
        try {
          sel = th.filter ? parseSloSelector(th.filter) : null;
        } catch {
          sel = null;
        }
        if (sel) {
          const slo = set.slos.find((s) => s.name === sel!.name);
          if (!slo) {
            plan.notes.push(`${reader}: SLO ${sel.name} is not defined in this synth`);
            return;
          }
          const w = (sel.lookbackSeconds ?? 0) + dur;
          if (slo.sli.kind === 'distributionCut') addSeries(slo.sli.filter, w, reader);
          else for (const f of [slo.sli.good, slo.sli.bad, slo.sli.total]) addSeries(f, w, reader);
          return;
        }
        addSeries(th.filter, aggregationWindowSeconds(th.aggregations) + dur, reader);
        if (th.denominatorFilter) addSeries(th.denominatorFilter, aggregationWindowSeconds(th.denominatorAggregations) + dur, reader);
      } else if (c.conditionAbsent) {
        addSeries(c.conditionAbsent.filter, aggregationWindowSeconds(c.conditionAbsent.aggregations) + durationSeconds(c.conditionAbsent.duration), reader);
      } else if (c.conditionMatchedLog?.filter && !c.conditionMatchedLog.filter.includes('${')) {
        const f = c.conditionMatchedLog.filter;
        const q = plan.logs.get(f);
        if (q) q.readers.push(reader);
        else plan.logs.set(f, { filter: f, lookbackMs: 0, readers: [reader] });
      }
    });
  }
  return plan;
}

/**
 * The AND-ed terms of a filter, each as canonical text (source offsets and the spelling of numbers left out: `1.0` is
 * `1`); undefined when it does not parse.
 */
function conjuncts(filter: string): Set<string> | undefined {
  let node: FilterNode;
  try {
    node = parseMonitoringFilter(filter);
  } catch {
    return undefined;
  }
  const terms: FilterNode[] = [];
  const flatten = (n: FilterNode) => (n.op === 'AND' && !n.assumedPrecedence ? n.args.forEach(flatten) : terms.push(n));
  flatten(node);
  return new Set(terms.map((t) => JSON.stringify(t, (k, v: unknown) => (k === 'pos' || k === 'text' ? undefined : v))));
}

/**
 * Queries answered by another query's series, so that each series is read once: q is covered by p when p's filter is
 * some of q's AND-ed terms (every series q selects, p selects) and p reaches at least as far back. The covering query
 * is one that no other covers; equal filters written differently go to the first. Returns q → its covering query.
 */
export function coveringQueries(queries: SeriesQuery[]): Map<SeriesQuery, SeriesQuery> {
  const terms = new Map(queries.map((q) => [q, conjuncts(q.filter)]));
  const covers = (p: SeriesQuery, q: SeriesQuery) => {
    const a = terms.get(p);
    const b = terms.get(q);
    if (p === q || !a || !b || p.lookbackMs < q.lookbackMs || ![...a].every((t) => b.has(t))) return false;
    // Equal terms and lookbacks cover each other: the first query answers.
    return a.size < b.size || p.lookbackMs > q.lookbackMs || queries.indexOf(p) < queries.indexOf(q);
  };
  const out = new Map<SeriesQuery, SeriesQuery>();
  for (const q of queries) {
    const candidates = queries.filter((p) => covers(p, q));
    const root = candidates.find((p) => !queries.some((r) => covers(r, p)));
    if (root) out.set(q, root);
  }
  return out;
}
