/**
 * `preview --scenario FILE`: the dashboards' charts filled with the simulator's series for a scenario. Every data set
 * of every chart becomes a one-condition policy with the chart's own filter and aggregations (aligner, reducer,
 * group-by, then the secondary aggregation; a ratio's numerator and denominator), evaluated by the same engine as
 * `simulate` against the synthesized stack's log-based metrics and SLOs, so what a chart shows is what the alerts see.
 * A data set the simulator cannot evaluate keeps its reason, drawn in the tile instead of a made-up line.
 */
import { simulateScenario } from '../../gcp/simulate/simulate';
import type { PolicySet } from '../../gcp/simulate/policies';
import type { Scenario } from '../../gcp/simulate/scenario';
import type { ApiAggregation } from '../../gcp/api/aggregation';
import type { ApiAlertPolicy } from '../../gcp/api/alert-policy';
import type { LoadedPolicy } from '../../gcp/simulate/types';
import type { PreviewDashboard } from './html';
import { classifyValue } from '../../gcp/logging-query/input-kind';
import { countSeen, foreignOriginNote, InputSummary } from '../logging-query/input-kind';
import type { EnvironmentName } from '../../environments/schema';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export interface SimulatedSeries {
  label: string;
  /** One value per time (null = no point). */
  values: (number | null)[];
}

export interface SimulatedDataSet {
  series: SimulatedSeries[];
  /** Why the simulator could not draw it. */
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
}

export const dataSetKey = (resource: string, tile: number, dataSet: number): string => `${resource}/${tile}/${dataSet}`;

/** The chart data set as an alert condition the simulator evaluates (never fires: only its series are used). */
function asPolicy(dataSet: unknown, name: string): LoadedPolicy | string {
  const q = obj(obj(dataSet).timeSeriesQuery);
  const aggs = (...xs: unknown[]): ApiAggregation[] => xs.filter((x) => Object.keys(obj(x)).length > 0) as ApiAggregation[];
  let threshold: Obj;
  if (q.timeSeriesFilter) {
    const f = obj(q.timeSeriesFilter);
    threshold = { filter: f.filter, aggregations: aggs(f.aggregation, f.secondaryAggregation) };
  } else if (q.timeSeriesFilterRatio) {
    const r = obj(q.timeSeriesFilterRatio);
    const n = obj(r.numerator);
    const d = obj(r.denominator);
    threshold = {
      filter: n.filter,
      aggregations: aggs(n.aggregation, r.secondaryAggregation),
      denominatorFilter: d.filter,
      denominatorAggregations: aggs(d.aggregation, r.secondaryAggregation),
    };
  } else {
    return `${Object.keys(q)[0] ?? 'an empty query'} is not simulated (only timeSeriesFilter and timeSeriesFilterRatio)`;
  }
  const policy: ApiAlertPolicy = {
    displayName: name,
    combiner: 'OR',
    conditions: [{ displayName: name, conditionThreshold: { ...threshold, comparison: 'COMPARISON_GT', thresholdValue: Number.MAX_VALUE, duration: '0s' } }],
  };
  return { displayName: name, policy, origin: `chart ${name}`, notificationChannels: [], notes: [] };
}

/** Simulates every chart data set of the dashboards over the scenario. */
export function simulateCharts(dashboards: readonly PreviewDashboard[], set: PolicySet, sc: Scenario): ScenarioSeries {
  const policies: { key: string; policy: LoadedPolicy }[] = [];
  const dataSets = new Map<string, SimulatedDataSet>();
  for (const { resource, dashboard } of dashboards) {
    arr(obj(obj(dashboard).mosaicLayout).tiles).forEach((tile, t) => {
      const widget = obj(obj(tile).widget);
      const chart = obj(widget.xyChart ?? widget.timeSeriesTable);
      arr(chart.dataSets).forEach((ds, i) => {
        const key = dataSetKey(resource, t, i);
        const p = asPolicy(ds, key);
        if (typeof p === 'string') dataSets.set(key, { series: [], error: p });
        else policies.push({ key, policy: p });
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
  const result = simulateScenario({ ...set, policies: policies.map((p) => p.policy) }, { ...sc, evaluateFrom: from, end: to, expect: { fire: [], notFire: [], maxDetectionSeconds: {} } });
  result.policies.forEach((p, i) => {
    const key = policies[i].key;
    if (p.error) {
      dataSets.set(key, { series: [], error: p.error.replace(/^.*?: /, '') });
      return;
    }
    const series = (p.conditions[0]?.series ?? []).map((s) => ({
      label: Object.entries({ ...s.resourceLabels, ...s.metricLabels }).map(([k, v]) => `${k}=${v}`).join(', ') || s.resourceType || '(all)',
      values: s.values,
    }));
    dataSets.set(key, { series });
  });
  return { name: sc.name, file: sc.file, times: result.evaluationTimes, incidentStart: result.incidentStart, dataSets };
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
