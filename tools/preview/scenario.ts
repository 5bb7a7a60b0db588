/**
 * `preview --scenario FILE`: the dashboards' charts filled with the simulator's series for a scenario. Every data set
 * of every chart becomes a one-condition policy with the chart's own filter and aggregations (aligner, reducer,
 * group-by, then the secondary aggregation; a ratio's numerator and denominator), evaluated by the same engine as
 * `simulate` against the synthesized stack's log-based metrics and SLOs, so what a chart shows is what the alerts see.
 * A data set the simulator cannot evaluate keeps its reason, drawn in the tile instead of a made-up line. A data set's
 * pickTimeSeriesFilter (top or bottom N by a ranking method) keeps the series the chart or table would show. The stack's
 * own alert policies are run over the whole scenario too, as `simulate` runs them, for the incident list tiles.
 */
import { simulateScenario } from '../../gcp/simulate/simulate';
import type { PolicySet } from '../../gcp/simulate/policies';
import type { Scenario } from '../../gcp/simulate/scenario';
import type { ApiAggregation } from '../../gcp/api/aggregation';
import type { ApiAlertPolicy, ApiMetricThreshold } from '../../gcp/api/alert-policy';
import { RANKING_METHODS, type RankingMethod } from '../../gcp/api/dashboard';
import type { LoadedPolicy } from '../../gcp/simulate/types';
import type { OutputSeries } from '../../gcp/simulate/engine';
import { aggregationWindowSeconds } from '../../gcp/simulate/lookback';
import { groupFieldName, metricTypeComparisons, parseFilter } from '../../gcp/filter';
import type { PreviewDashboard } from './html';
import { classifyValue } from '../../gcp/logging-query/input-kind';
import { countSeen, foreignOriginNote, InputSummary } from '../logging-query/input-kind';
import type { EnvironmentName } from '../../environments/schema';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export interface SimulatedSeries {
  label: string;
  /**
   * The series' labels after the reduction, keyed by groupFieldName (gcp/filter): `metric.label.status`,
   * `resource.label.service_name`, `resource.type`, and `metric.label.*` / `resource.label.*` (every label of the kind).
   */
  labels: Record<string, string>;
  /** One value per time (null = no point). */
  values: (number | null)[];
  /** With a pickTimeSeriesFilter: the value the series was ranked by over the drawn window. */
  rankValue?: number;
}

/** A data set's pickTimeSeriesFilter as applied: `numTimeSeries` of `of` series kept. */
export interface SeriesPick {
  direction: 'TOP' | 'BOTTOM';
  rankingMethod: RankingMethod;
  numTimeSeries: number;
  of: number;
}

export interface SimulatedDataSet {
  series: SimulatedSeries[];
  /** The alignment period (seconds, the longest of the aggregation chain): a stacked bar's width. */
  periodSeconds?: number;
  pick?: SeriesPick;
  /** Why the simulator could not draw it. */
  error?: string;
}

/** An alert policy of the stack over the whole scenario: the incidents it opened, as `simulate` reports them. */
export interface SimulatedAlert {
  displayName: string;
  /** The TF resource name (`<name>` of `google_monitoring_alert_policy.<name>`, LoadedPolicy.resource): what a dashboard's policyNames reference. */
  resource?: string;
  incidents: { opened: number; closed: number | null }[];
  /** Why the simulator could not evaluate it. */
  error?: string;
}

export interface ScenarioSeries {
  name: string;
  file: string;
  /** Evaluation times (ms) drawn: the incident from an hour before to two hours after, or the whole scenario. */
  times: number[];
  incidentStart: number | null;
  /** Key: `${resource}/${tileIndex}/${dataSetIndex}`. */
  dataSets: Map<string, SimulatedDataSet>;
  /** The stack's alert policies (enabled ones), as `simulate` evaluates them over the whole scenario. */
  alerts: SimulatedAlert[];
}

export const dataSetKey = (resource: string, tile: number, dataSet: number): string => `${resource}/${tile}/${dataSet}`;

/** A chart data set as the simulator sees it: an alert condition (never fires: only its series are used) and its pick. */
interface ChartQuery {
  policy: LoadedPolicy;
  periodSeconds: number;
  pick?: Obj;
  /** The one metric type its filter selects (a `metric.type` group-by column's value; the series do not carry it). */
  metricType?: string;
}

/** The metric type a time series filter selects, when it names exactly one. */
function metricTypeOf(filter: string): string | undefined {
  try {
    const tree = parseFilter(filter);
    const types = tree.op === 'slo' ? [] : metricTypeComparisons(tree);
    return types.length === 1 ? types[0].literal : undefined;
  } catch {
    return undefined; // the simulator reports the filter it cannot read
  }
}

/** The chart data set as an alert condition the simulator evaluates, or why it cannot be. */
function asQuery(dataSet: unknown, name: string): ChartQuery | string {
  const q = obj(obj(dataSet).timeSeriesQuery);
  const aggs = (...xs: unknown[]): ApiAggregation[] => xs.filter((x) => Object.keys(obj(x)).length > 0) as ApiAggregation[];
  let threshold: ApiMetricThreshold;
  let pick: unknown;
  if (q.timeSeriesFilter) {
    const f = obj(q.timeSeriesFilter);
    threshold = { filter: f.filter as string, aggregations: aggs(f.aggregation, f.secondaryAggregation) };
    pick = f.pickTimeSeriesFilter;
  } else if (q.timeSeriesFilterRatio) {
    const r = obj(q.timeSeriesFilterRatio);
    const n = obj(r.numerator);
    const d = obj(r.denominator);
    threshold = {
      filter: n.filter as string,
      aggregations: aggs(n.aggregation, r.secondaryAggregation),
      denominatorFilter: d.filter as string,
      denominatorAggregations: aggs(d.aggregation, r.secondaryAggregation),
    };
    pick = r.pickTimeSeriesFilter;
  } else {
    return `${Object.keys(q)[0] ?? 'an empty query'} is not simulated (only timeSeriesFilter and timeSeriesFilterRatio)`;
  }
  const pickError = pick === undefined ? undefined : checkPick(obj(pick));
  if (pickError) return pickError;
  const policy: ApiAlertPolicy = {
    displayName: name,
    combiner: 'OR',
    conditions: [{ displayName: name, conditionThreshold: { ...threshold, comparison: 'COMPARISON_GT', thresholdValue: Number.MAX_VALUE, duration: '0s' } }],
  };
  return {
    policy: { displayName: name, policy, origin: `chart ${name}`, notificationChannels: [], notes: [] },
    periodSeconds: aggregationWindowSeconds(threshold.aggregations),
    pick: pick === undefined ? undefined : obj(pick),
    metricType: threshold.filter === undefined ? undefined : metricTypeOf(threshold.filter),
  };
}

/** How a pickTimeSeriesFilter ranks a series over the drawn window: every ranking method of the API. */
const RANKINGS: Record<RankingMethod, (values: number[]) => number> = {
  METHOD_MEAN: (v) => v.reduce((a, b) => a + b, 0) / v.length,
  METHOD_MAX: (v) => Math.max(...v),
  METHOD_MIN: (v) => Math.min(...v),
  METHOD_SUM: (v) => v.reduce((a, b) => a + b, 0),
  METHOD_LATEST: (v) => v[v.length - 1],
};

const isRankingMethod = (m: string): m is RankingMethod => (RANKING_METHODS as readonly string[]).includes(m);

function checkPick(p: Obj): string | undefined {
  const method = String(p.rankingMethod ?? '');
  if (!isRankingMethod(method)) return `pickTimeSeriesFilter.rankingMethod ${method || '(none)'} is not simulated (${RANKING_METHODS.join(', ')})`;
  if (p.direction !== undefined && p.direction !== 'TOP' && p.direction !== 'BOTTOM') return `pickTimeSeriesFilter.direction ${String(p.direction)} is not simulated (TOP, BOTTOM)`;
  if (p.interval !== undefined) return 'pickTimeSeriesFilter.interval is not simulated (the series are ranked over the drawn window)';
  return undefined;
}

/** The series a pickTimeSeriesFilter keeps, ranked (a series without a point in the window ranks last), with their rank values. */
function applyPick(series: SimulatedSeries[], pick: Obj): { series: SimulatedSeries[]; pick: SeriesPick } {
  const rankingMethod = pick.rankingMethod as RankingMethod; // checkPick let it through
  const rank = RANKINGS[rankingMethod];
  const direction = pick.direction === 'BOTTOM' ? 'BOTTOM' : 'TOP';
  const numTimeSeries = typeof pick.numTimeSeries === 'number' ? pick.numTimeSeries : 0;
  const ranked = series.map((s) => {
    const points = s.values.filter((v): v is number => v !== null && Number.isFinite(v));
    return points.length ? { ...s, rankValue: rank(points) } : s;
  });
  const key = (s: SimulatedSeries) => (s.rankValue === undefined ? -Infinity : direction === 'TOP' ? s.rankValue : -s.rankValue);
  const kept = ranked.sort((a, b) => key(b) - key(a) || a.label.localeCompare(b.label)).slice(0, numTimeSeries);
  return { series: kept, pick: { direction, rankingMethod, numTimeSeries, of: series.length } };
}

/**
 * A reduced series' labels keyed by groupFieldName: each label, `resource.type`, `metric.type` (the query's), and each
 * kind's `*` (all of its labels).
 */
function fieldLabels(s: OutputSeries, metricType: string | undefined): Record<string, string> {
  const out: Record<string, string> = { [groupFieldName({ kind: 'resource.type' })]: s.resourceType };
  if (metricType !== undefined) out[groupFieldName({ kind: 'metric.type' })] = metricType;
  for (const [kind, labels] of [
    ['resource', s.resourceLabels],
    ['metric', s.metricLabels],
  ] as const) {
    const entries = Object.entries(labels);
    for (const [key, value] of entries) out[groupFieldName({ kind, key })] = value;
    if (entries.length) out[groupFieldName({ kind, key: '*' })] = entries.map(([k, v]) => `${k}=${v}`).join(', ');
  }
  return out;
}

/** Simulates every chart data set of the dashboards over the scenario. */
export function simulateCharts(dashboards: readonly PreviewDashboard[], set: PolicySet, sc: Scenario): ScenarioSeries {
  const queries: { key: string; query: ChartQuery }[] = [];
  const dataSets = new Map<string, SimulatedDataSet>();
  for (const { resource, dashboard } of dashboards) {
    arr(obj(obj(dashboard).mosaicLayout).tiles).forEach((tile, t) => {
      const widget = obj(obj(tile).widget);
      const chart = obj(widget.xyChart ?? widget.timeSeriesTable);
      arr(chart.dataSets).forEach((ds, i) => {
        const key = dataSetKey(resource, t, i);
        const q = asQuery(ds, key);
        if (typeof q === 'string') dataSets.set(key, { series: [], error: q });
        else queries.push({ key, query: q });
      });
    });
  }
  // Only the drawn window is evaluated (on the scenario's own evaluation grid, so the values are those of a whole
  // run): the aligners still read the series before it.
  const hour = 3600_000;
  const step = sc.evaluationIntervalSeconds * 1000;
  const first = sc.evaluateFrom ?? sc.start;
  const from = sc.incidentStart !== undefined ? first + Math.max(0, Math.ceil((sc.incidentStart - hour - first) / step)) * step : first;
  const to = sc.incidentStart !== undefined ? Math.min(sc.end, sc.incidentStart + 2 * hour) : sc.end;
  const noExpectations = { fire: [], notFire: [], maxDetectionSeconds: {} };
  const result = simulateScenario({ ...set, policies: queries.map((q) => q.query.policy) }, { ...sc, evaluateFrom: from, end: to, expect: noExpectations });
  result.policies.forEach((p, i) => {
    const { key, query } = queries[i];
    if (p.error) {
      dataSets.set(key, { series: [], error: p.error.replace(/^.*?: /, '') });
      return;
    }
    const series = (p.conditions[0]?.series ?? []).map((s) => ({
      label: Object.entries({ ...s.resourceLabels, ...s.metricLabels }).map(([k, v]) => `${k}=${v}`).join(', ') || s.resourceType || '(all)',
      labels: fieldLabels(s, query.metricType),
      values: s.values,
    }));
    dataSets.set(key, { periodSeconds: query.periodSeconds, ...(query.pick ? applyPick(series, query.pick) : { series }) });
  });
  // The alerts as `simulate` runs them, over the whole scenario (a policy's state before the drawn window decides
  // when its incidents open and close).
  const alerts = simulateScenario(set, { ...sc, expect: noExpectations })
    .policies.map((p, i) => ({ p, resource: set.policies[i].resource })) // the results are in set.policies' order
    .filter(({ p }) => !p.disabled)
    .map(({ p, resource }) => ({
      displayName: p.displayName,
      resource,
      incidents: p.windows.map((w) => ({ opened: w.start, closed: w.end })),
      ...(p.error ? { error: p.error.replace(/^.*?: /, '') } : {}),
    }));
  return { name: sc.name, file: sc.file, times: result.evaluationTimes, incidentStart: result.incidentStart, dataSets, alerts };
}

/** The charts (tiles with data sets) of the dashboards, and how many of them the scenario draws a point in. */
export function chartsWithData(dashboards: readonly PreviewDashboard[], scenario: ScenarioSeries): { total: number; drawn: number } {
  let total = 0;
  let drawn = 0;
  for (const { resource, dashboard } of dashboards) {
    arr(obj(obj(dashboard).mosaicLayout).tiles).forEach((tile, t) => {
      const widget = obj(obj(tile).widget);
      const dataSets = arr(obj(widget.xyChart ?? widget.timeSeriesTable).dataSets);
      if (!dataSets.length) return;
      total++;
      const hasPoint = dataSets.some((_, i) => scenario.dataSets.get(dataSetKey(resource, t, i))?.series.some((s) => s.values.some((v) => v !== null)));
      if (hasPoint) drawn++;
    });
  }
  return { total, drawn };
}

/**
 * What check-logs notes about its input, asked of a scenario drawn in `env`'s dashboards: log entries of another
 * environment's project, services or log format, and series whose resource labels (project_id, service_name) are
 * another environment's. Empty when nothing says the scenario is another environment's.
 */
export function scenarioOriginNotes(env: EnvironmentName, sc: Scenario): string[] {
  const logs = new InputSummary(env, "the scenario's log entries");
  for (const l of sc.logs) logs.add(classifyValue(l.entry));
  const projects = new Map<string, number>();
  const services = new Map<string, number>();
  for (const s of sc.series) {
    countSeen(projects, s.resource.labels.project_id);
    countSeen(services, s.resource.labels.service_name);
  }
  const subject = "the scenario's series";
  const series = foreignOriginNote(env, subject, 'project', projects) ?? foreignOriginNote(env, subject, 'service', services);
  return [...(sc.logs.length ? logs.notes() : []), ...(series ? [series] : [])];
}
