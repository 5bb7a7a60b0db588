/**
 * Rules on time-series queries, wherever they stand: alert conditions (threshold numerator and denominator,
 * absence) and dashboard charts (filters, ratios, secondary aggregations). A query site is a filter and the chain of
 * aggregations applied to what it selects; each rule walks the sites of the resource.
 */
import { applyStep, ALIGNERS, REDUCERS } from '../../facts/aggregation';
import {
  FilterSyntaxError,
  groupFieldName,
  hasAssumedPrecedence,
  labelKeysOf,
  lookbackSeconds,
  MAX_ALERT_BURN_RATE_LOOKBACK_SECONDS,
  metricTypeComparisons,
  parseFilter,
  parseGroupByField,
  resourceTypesOf,
  selectorCount,
  SLO_SELECTORS,
  SLO_SELECTORS_WITH_LOOKBACK,
  type ParsedFilter,
} from '../../filter';
import { RESOURCE_LABELS } from '../../facts/builtin-metrics';
import type { KnownMetrics, MetricShape } from '../../facts/metrics';
import { parseDurationSeconds } from '../../schema/validate';
import { childPath, indexPath, isInterpolation } from '../../schema/types';
import { arr, codePoints, obj, str, type LintContext, type LintRule, type Obj } from '../rule';

/** gcp-facts §1.5: 25 h for alerting policies, 104 weeks for charts. */
export const ALERT_MAX_ALIGNMENT = 90_000;
export const CHART_MAX_ALIGNMENT = 104 * 7 * 86_400;

export interface QuerySite {
  filterPath: string;
  filter: unknown;
  /** Alert condition filters must name resource.type; denominators and charts need not. */
  requireResourceType: boolean;
  /** The aggregations applied in order (the first reads the filter's metric). */
  chain: Array<{ path: string; agg: unknown }>;
  maxPeriod: number;
  /** A chart ratio's secondary aggregation reads the ratio, whose shape is unknown. */
  readsUnknownShape?: boolean;
}

/** The query sites of an alert policy or a dashboard. */
export function querySites(r: Obj): QuerySite[] {
  const sites: QuerySite[] = [];
  const chain = (path: string, aggs: unknown[]) => aggs.map((agg, i) => ({ path: indexPath(path, i), agg }));
  arr(r.conditions).forEach((c, i) => {
    const path = indexPath('$.conditions', i);
    const th = obj(obj(c)?.conditionThreshold);
    if (th) {
      const p = `${path}.conditionThreshold`;
      sites.push({
        filterPath: `${p}.filter`,
        filter: th.filter,
        requireResourceType: true,
        chain: chain(`${p}.aggregations`, arr(th.aggregations)),
        maxPeriod: ALERT_MAX_ALIGNMENT,
      });
      if (th.denominatorFilter !== undefined) {
        sites.push({
          filterPath: `${p}.denominatorFilter`,
          filter: th.denominatorFilter,
          requireResourceType: false,
          chain: chain(`${p}.denominatorAggregations`, arr(th.denominatorAggregations)),
          maxPeriod: ALERT_MAX_ALIGNMENT,
        });
      }
    }
    const ab = obj(obj(c)?.conditionAbsent);
    if (ab) {
      const p = `${path}.conditionAbsent`;
      sites.push({
        filterPath: `${p}.filter`,
        filter: ab.filter,
        requireResourceType: true,
        chain: chain(`${p}.aggregations`, arr(ab.aggregations)),
        maxPeriod: ALERT_MAX_ALIGNMENT,
      });
    }
  });
  for (const { value, path } of timeSeriesQueries(r)) {
    const tsf = obj(value.timeSeriesFilter);
    if (tsf) {
      const p = `${path}.timeSeriesFilter`;
      sites.push({
        filterPath: `${p}.filter`,
        filter: tsf.filter,
        requireResourceType: false,
        chain: [
          { path: `${p}.aggregation`, agg: tsf.aggregation },
          { path: `${p}.secondaryAggregation`, agg: tsf.secondaryAggregation },
        ],
        maxPeriod: CHART_MAX_ALIGNMENT,
      });
    }
    const ratio = obj(value.timeSeriesFilterRatio);
    if (ratio) {
      const p = `${path}.timeSeriesFilterRatio`;
      for (const part of ['numerator', 'denominator']) {
        const rp = obj(ratio[part]);
        if (rp)
          sites.push({
            filterPath: `${p}.${part}.filter`,
            filter: rp.filter,
            requireResourceType: false,
            chain: [{ path: `${p}.${part}.aggregation`, agg: rp.aggregation }],
            maxPeriod: CHART_MAX_ALIGNMENT,
          });
      }
      if (ratio.secondaryAggregation !== undefined) {
        sites.push({
          filterPath: '',
          filter: undefined,
          requireResourceType: false,
          chain: [{ path: `${p}.secondaryAggregation`, agg: ratio.secondaryAggregation }],
          maxPeriod: CHART_MAX_ALIGNMENT,
          readsUnknownShape: true,
        });
      }
    }
  }
  return sites;
}

/** Every `timeSeriesQuery` object of a dashboard, with its JSON path. */
export function timeSeriesQueries(r: Obj): Array<{ value: Obj; path: string }> {
  const out: Array<{ value: Obj; path: string }> = [];
  const walk = (v: unknown, path: string, key?: string): void => {
    if (key === 'timeSeriesQuery' && obj(v)) out.push({ value: v as Obj, path });
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, indexPath(path, i)));
    else if (obj(v)) for (const [k, x] of Object.entries(v as Obj)) walk(x, childPath(path, k), k);
  };
  if (r.conditions === undefined) walk(r, '$');
  return out;
}

/** The parsed filter of a site, or undefined when it is missing or not valid syntax (filter/syntax reports it). */
function parsedFilter(site: QuerySite): ParsedFilter | undefined {
  const f = str(site.filter);
  if (f === undefined) return undefined;
  try {
    return parseFilter(f);
  } catch (e) {
    if (e instanceof FilterSyntaxError) return undefined;
    throw e;
  }
}

/** The one literal metric type a site's filter names, if it does. */
export function siteMetric(site: QuerySite): string | undefined {
  const parsed = parsedFilter(site);
  if (!parsed || parsed.op === 'slo') return undefined;
  const sel = metricTypeComparisons(parsed);
  return sel.length === 1 ? sel[0].literal : undefined;
}

interface StepView {
  path: string;
  agg: Obj;
  aligner?: string;
  reducer?: string;
  /** Shape before this step; undefined when unknown (unknown metric, or an earlier step already failed). */
  input?: MetricShape;
  alignerProblem?: string;
  reducerProblem?: string;
  /** Shape after the aligner (for the percentile rule). */
  aligned?: MetricShape;
}

/** The steps of a site's chain with the shape flowing through them; the walk stops at the first invalid step. */
function steps(site: QuerySite, known: KnownMetrics): StepView[] {
  const metric = siteMetric(site);
  let shape: MetricShape | undefined = site.readsUnknownShape || !metric ? undefined : known[metric];
  const out: StepView[] = [];
  for (const { path, agg } of site.chain) {
    const a = obj(agg);
    if (!a) continue;
    const view: StepView = { path, agg: a, aligner: str(a.perSeriesAligner), reducer: str(a.crossSeriesReducer), input: shape };
    out.push(view);
    if (!shape) continue;
    // One step of the chain: the shape it outputs, or the reason the API refuses it (the walk stops there).
    const apply = (table: typeof ALIGNERS, name: string, input: MetricShape): { out?: MetricShape; problem?: string } => {
      const r = applyStep(table, name, input);
      return r.ok === false ? { problem: r.reason } : { out: r.ok === true ? r.out : undefined };
    };
    if (view.aligner !== undefined) {
      const r = apply(ALIGNERS, view.aligner, shape);
      view.alignerProblem = r.problem;
      shape = r.out;
      if (r.problem) continue;
    }
    view.aligned = shape;
    if (shape && view.reducer !== undefined && view.reducer !== 'REDUCE_NONE') {
      const r = apply(REDUCERS, view.reducer, shape);
      view.reducerProblem = r.problem;
      shape = r.out;
    }
  }
  return out;
}

/** Why a site's burn-rate selector looks back too far for an alert, or undefined. */
function overlongLookback(site: QuerySite): string | undefined {
  const sel = parsedFilter(site);
  if (sel?.op !== 'slo' || sel.selector !== 'select_slo_burn_rate' || sel.lookback === undefined) return undefined;
  const seconds = lookbackSeconds(sel.lookback);
  if (seconds === undefined || seconds <= MAX_ALERT_BURN_RATE_LOOKBACK_SECONDS) return undefined;
  return `lookback "${sel.lookback}" is over 24 hours (86,400 s), which burn-rate alerts cannot use (gcp-facts §10, Google's "Alerting on your burn rate")`;
}

const forEachSite = (r: Obj, fn: (site: QuerySite) => void) => querySites(r).forEach(fn);
const KINDS = ['AlertPolicy', 'Dashboard'] as const;
const metricNote = (site: QuerySite) => {
  const m = siteMetric(site);
  return m ? ` (${m})` : '';
};

function withParsed(fn: (parsed: ParsedFilter, site: QuerySite) => void) {
  return (site: QuerySite) => {
    const parsed = parsedFilter(site);
    if (parsed) fn(parsed, site);
  };
}

export const queryRules: LintRule[] = [
  {
    id: 'alert/ratio-labels',
    kinds: KINDS,
    severity: 'error',
    source: 'gcp-facts §1.4',
    summary: 'a ratio (alert condition or chart) ends numerator and denominator with the same group-by labels, else it never fires',
    check(r, report) {
      for (const { c, path } of arr(r.conditions).map((c, i) => ({
        c: obj(obj(c)?.conditionThreshold),
        path: `${indexPath('$.conditions', i)}.conditionThreshold`,
      }))) {
        if (!c || c.denominatorFilter === undefined) continue;
        const problem = ratioLabelProblem(arr(c.aggregations), arr(c.denominatorAggregations));
        if (problem) report(`${path}.denominatorAggregations`, problem);
      }
      for (const { value, path } of timeSeriesQueries(r)) {
        const ratio = obj(value.timeSeriesFilterRatio);
        const [num, den] = [obj(ratio?.numerator), obj(ratio?.denominator)];
        const problem = num && den ? ratioLabelProblem([num.aggregation], [den.aggregation]) : undefined;
        if (problem) report(`${path}.timeSeriesFilterRatio.denominator.aggregation`, problem);
      }
    },
  },
  {
    id: 'filter/length',
    kinds: KINDS,
    severity: 'error',
    source: 'gcp-facts §1.4',
    summary: 'a filter has at most 2,048 characters',
    check(r, report) {
      forEachSite(r, (site) => {
        const f = str(site.filter);
        if (f !== undefined && codePoints(f) > 2048) report(site.filterPath, `filter is ${codePoints(f)} characters; at most 2,048 (gcp-facts §1.4)`);
      });
    },
  },
  {
    id: 'filter/syntax',
    kinds: KINDS,
    severity: 'error',
    source: 'gcp-facts §2.1 (https://cloud.google.com/monitoring/api/v3/filters)',
    summary: 'the filter parses as the Monitoring filter language or an SLO selector',
    check(r, report) {
      forEachSite(r, (site) => {
        const f = str(site.filter);
        if (f === undefined) return;
        try {
          parseFilter(f);
        } catch (e) {
          if (e instanceof FilterSyntaxError) report(site.filterPath, `not a valid Monitoring filter: ${e.message} (gcp-facts §2.1)`);
          else throw e;
        }
      });
    },
  },
  {
    id: 'filter/precedence',
    kinds: KINDS,
    severity: 'warning',
    source: 'gcp-facts §2.1 (precedence of AND and OR is not documented)',
    summary: 'AND and OR mixed at one level without parentheses',
    check(r, report) {
      forEachSite(
        r,
        withParsed((parsed, site) => {
          if (parsed.op !== 'slo' && hasAssumedPrecedence(parsed)) {
            report(site.filterPath, 'AND and OR are mixed without parentheses; Google does not document their precedence: add parentheses (gcp-facts §2.1)');
          }
        }),
      );
    },
  },
  {
    id: 'filter/slo-selector',
    kinds: KINDS,
    severity: 'error',
    source: 'Retrieving SLO data (https://cloud.google.com/stackdriver/docs/solutions/slo-monitoring/api/timeseries-selectors)',
    summary: 'an SLO selector has a known name, an SLO resource name and, for select_slo_burn_rate, a lookback with a unit',
    check(r, report) {
      forEachSite(
        r,
        withParsed((sel, site) => {
          if (sel.op !== 'slo') return;
          const path = site.filterPath;
          if (!SLO_SELECTORS.includes(sel.selector)) report(path, `unknown SLO selector ${sel.selector}`);
          if (!isInterpolation(sel.name) && !/^projects\/[^/]+\/services\/[^/]+\/serviceLevelObjectives\/[^/]+$/.test(sel.name)) {
            report(path, `"${sel.name}" is not an SLO resource name (projects/P/services/S/serviceLevelObjectives/O)`);
          }
          if (SLO_SELECTORS_WITH_LOOKBACK.includes(sel.selector)) {
            if (sel.lookback === undefined) report(path, `${sel.selector} needs a lookback period`);
            else if (lookbackSeconds(sel.lookback) === undefined) report(path, `lookback "${sel.lookback}" must be a number with a unit ns, us, ms, s, m or h`);
          }
        }),
      );
    },
  },
  {
    id: 'alert/slo-lookback',
    kinds: ['AlertPolicy'],
    severity: 'error',
    source: 'gcp-facts §10 ("Alerting on your burn rate", lookback periods)',
    summary: 'a burn-rate alert looks back at most 24 hours',
    check(r, report) {
      forEachSite(r, (site) => {
        const why = overlongLookback(site);
        if (why) report(site.filterPath, why);
      });
    },
  },
  {
    id: 'dashboard/slo-lookback',
    kinds: ['Dashboard'],
    severity: 'warning',
    source: 'gcp-facts §10 ("Alerting on your burn rate", lookback periods)',
    summary: 'a chart of a burn rate over more than 24 hours shows what no alert can use',
    check(r, report) {
      forEachSite(r, (site) => {
        const why = overlongLookback(site);
        if (why) report(site.filterPath, `${why}: the chart shows a burn rate no alert can use`);
      });
    },
  },
  {
    id: 'filter/one-metric-type',
    kinds: KINDS,
    severity: 'error',
    source: 'gcp-facts §2.1',
    summary: 'a time-series filter names exactly one metric.type, compared with = to a literal',
    check(r, report) {
      forEachSite(
        r,
        withParsed((parsed, site) => {
          if (parsed.op === 'slo') return;
          const selectors = metricTypeComparisons(parsed);
          if (selectors.length !== 1)
            report(site.filterPath, `a time-series filter must name exactly one metric.type, found ${selectors.length} (gcp-facts §2.1)`);
          else if (selectors[0].literal === undefined)
            report(site.filterPath, 'metric.type must be compared with = to one literal metric type (gcp-facts §2.1)');
        }),
      );
    },
  },
  {
    id: 'filter/resource-type',
    kinds: ['AlertPolicy'],
    severity: 'error',
    source: 'gcp-facts §1.4, §2.1',
    summary: 'an alert condition filter names resource.type',
    check(r, report) {
      forEachSite(
        r,
        withParsed((parsed, site) => {
          if (site.requireResourceType && parsed.op !== 'slo' && selectorCount(parsed, 'resource.type') === 0) {
            report(site.filterPath, 'alert condition filters must specify resource.type (gcp-facts §1.4, §2.1)');
          }
        }),
      );
    },
  },
  {
    id: 'filter/unknown-label',
    kinds: KINDS,
    severity: 'error',
    source: 'gcp-facts §2.2-§2.4 (metric and monitored-resource lists)',
    summary: 'a label a filter or group-by names exists on the metric or resource type (a typo silently matches nothing)',
    check(r, report, ctx) {
      forEachSite(
        r,
        withParsed((parsed, site) => {
          if (parsed.op === 'slo' || site.readsUnknownShape) return;
          const metric = siteMetric(site);
          const metricAllowed = metric ? ctx.knownMetrics[metric]?.labels : undefined;
          const resourceType = resourceTypesOf(parsed)[0];
          const resourceAllowed = resourceType ? RESOURCE_LABELS[resourceType] : undefined;
          const check = (kind: 'metric' | 'resource', key: string, path: string, where: string) => {
            const allowed = kind === 'metric' ? metricAllowed : resourceAllowed;
            if (key && allowed && !allowed.includes(key)) {
              report(
                path,
                `${kind}.label.${key} (in ${where}) is not a label of ${kind === 'metric' ? metric : 'its resource type'}: one of ${allowed.join(', ')}`,
              );
            }
          };
          for (const l of labelKeysOf(parsed)) check(l.kind, l.key, site.filterPath, 'filter');
          for (const { agg } of site.chain) {
            for (const field of arr(obj(agg)?.groupByFields)) {
              const l = typeof field === 'string' ? parseGroupByField(field) : undefined;
              if ((l?.kind === 'metric' || l?.kind === 'resource') && l.key !== '*')
                check(l.kind, l.key, site.filterPath.replace(/\.filter$/, ''), 'groupByFields');
            }
          }
        }),
      );
    },
  },
  {
    id: 'aggregation/alignment-period',
    kinds: KINDS,
    severity: 'error',
    source: 'gcp-facts §1.5',
    summary: 'an aligner needs alignmentPeriod, at least 60 s and at most 25 h (alerts) or 104 weeks (charts)',
    check(r, report) {
      forEachSite(r, (site) => {
        for (const { path, agg } of site.chain) {
          const a = obj(agg);
          if (!a) continue;
          const aligner = str(a.perSeriesAligner);
          const p = childPath(path, 'alignmentPeriod');
          if (aligner !== undefined && aligner !== 'ALIGN_NONE' && a.alignmentPeriod === undefined)
            report(p, `alignmentPeriod is required with ${aligner} (gcp-facts §1.5)`);
          const period = parseDurationSeconds(a.alignmentPeriod);
          if (period === null) continue;
          if (period < 60) report(p, `alignmentPeriod ${String(a.alignmentPeriod)} is below 60 s (gcp-facts §1.5)`);
          if (period > site.maxPeriod) {
            report(
              p,
              `alignmentPeriod ${String(a.alignmentPeriod)} exceeds ${site.maxPeriod === ALERT_MAX_ALIGNMENT ? '90,000 s (25 h) for alerting policies' : '104 weeks for charts'} (gcp-facts §1.5)`,
            );
          }
        }
      });
    },
  },
  {
    id: 'aggregation/reducer-needs-aligner',
    kinds: KINDS,
    severity: 'error',
    source: 'gcp-facts §1.5',
    summary: 'a cross-series reducer needs a per-series aligner other than ALIGN_NONE',
    check(r, report) {
      forEachSite(r, (site) => {
        for (const { path, agg } of site.chain) {
          const a = obj(agg);
          const aligner = str(a?.perSeriesAligner);
          const reducer = str(a?.crossSeriesReducer);
          if (reducer !== undefined && reducer !== 'REDUCE_NONE' && (aligner === undefined || aligner === 'ALIGN_NONE')) {
            report(
              childPath(path, 'crossSeriesReducer'),
              `${reducer} requires a perSeriesAligner other than ALIGN_NONE and an alignmentPeriod (gcp-facts §1.5)`,
            );
          }
        }
      });
    },
  },
  {
    id: 'aggregation/reduce-none',
    kinds: KINDS,
    severity: 'warning',
    source: 'gcp-facts §1.5 (Terraform perpetual diff)',
    summary: 'REDUCE_NONE is not returned by the API: omit it',
    check(r, report) {
      forEachSite(r, (site) => {
        for (const { path, agg } of site.chain) {
          if (obj(agg)?.crossSeriesReducer === 'REDUCE_NONE')
            report(childPath(path, 'crossSeriesReducer'), 'omit REDUCE_NONE: the API does not return it (gcp-facts §1.5 TF perpetual diff)');
        }
      });
    },
  },
  {
    id: 'aggregation/aligner-kind',
    kinds: KINDS,
    severity: 'error',
    source: 'gcp-facts §1.5 (common.proto Aligner)',
    summary: "the aligner is valid for the metric's kind and value type",
    check(r, report, ctx) {
      forEachSite(r, (site) => {
        for (const s of steps(site, ctx.knownMetrics)) {
          if (s.alignerProblem) report(childPath(s.path, 'perSeriesAligner'), `${s.alignerProblem}${metricNote(site)} (gcp-facts §1.5)`);
        }
      });
    },
  },
  {
    id: 'aggregation/reducer-kind',
    kinds: KINDS,
    severity: 'error',
    source: 'gcp-facts §1.5 (common.proto Reducer)',
    summary: 'the reducer is valid for the aligned value type',
    check(r, report, ctx) {
      forEachSite(r, (site) => {
        for (const s of steps(site, ctx.knownMetrics)) {
          if (s.reducerProblem)
            report(childPath(s.path, 'crossSeriesReducer'), `${s.reducerProblem} after ${s.aligner ?? 'no aligner'}${metricNote(site)} (gcp-facts §1.5)`);
        }
      });
    },
  },
  {
    id: 'aggregation/percentile-of-non-distribution',
    kinds: KINDS,
    severity: 'warning',
    source: 'gcp-facts §1.5',
    summary: 'REDUCE_PERCENTILE_* of a non-distribution is a percentile across series, not a latency percentile',
    check(r, report, ctx) {
      forEachSite(r, (site) => {
        const metric = siteMetric(site);
        for (const s of steps(site, ctx.knownMetrics)) {
          if (!s.input || !s.aligned || s.reducerProblem || !s.reducer?.startsWith('REDUCE_PERCENTILE_') || s.aligned.valueType === 'DISTRIBUTION') continue;
          report(
            childPath(s.path, 'crossSeriesReducer'),
            `${s.reducer} after ${s.aligner ?? 'no aligner'} on${metric ? ` ${metric}` : ''} (${s.input.metricKind} ${s.input.valueType}) is the percentile of one value per series across series, not a latency percentile; percentiles need a DISTRIBUTION metric (ALIGN_PERCENTILE_* or ALIGN_DELTA + REDUCE_PERCENTILE_*) (gcp-facts §1.5)`,
          );
        }
      });
    },
  },
];

/** Shared by the alert and chart ratio rules: the group-by set a chain leaves (null: no cross-series reducer). */
export function chainLabels(aggs: unknown[]): string[] | null {
  let labels: string[] | null = null;
  for (const a of aggs) {
    const o = obj(a);
    const reducer = str(o?.crossSeriesReducer);
    if (reducer === undefined || reducer === 'REDUCE_NONE') continue;
    // One spelling per field (`labels` or `label`, a quoted key or not), as the simulator names it; as written when
    // it does not parse (another rule reports it).
    const fields = arr(o?.groupByFields)
      .filter((g): g is string => typeof g === 'string')
      .map((g) => {
        const field = parseGroupByField(g);
        return field ? groupFieldName(field) : g;
      });
    labels = [...new Set(fields)].sort();
  }
  return labels;
}

/** §1.4: numerator and denominator must produce series with the same labels, or the ratio joins on nothing. */
export function ratioLabelProblem(num: unknown[], den: unknown[]): string | undefined {
  const nl = chainLabels(num);
  const dl = chainLabels(den);
  const show = (l: string[] | null) => (l === null ? 'no cross-series reducer' : `groupByFields ${JSON.stringify(l)}`);
  if ((nl === null) !== (dl === null) || (nl && dl && (nl.length !== dl.length || nl.some((v, i) => v !== dl[i])))) {
    return `numerator and denominator must produce time series with the same labels: numerator has ${show(nl)}, denominator has ${show(dl)} (gcp-facts §1.4)`;
  }
  return undefined;
}

export type { LintContext };
