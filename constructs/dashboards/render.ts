/**
 * catalog/dashboards.ts → `google.monitoring.dashboard.v1.Dashboard` JSON for one environment. Pure: no provider
 * imports, so the construct, the tests and the docs share it. Every query goes through the signal catalog
 * (`signal.filter(env)`) and every alert threshold through `resolveAlerts(env)`.
 */
import { resolveAlerts, type ResolvedAlert } from '../../catalog/alerts';
import { type ChartQuery, type ChartTile, type DashboardSpec, type SeriesSpec, type ThresholdSpec, type TileSpec } from '../../catalog/dashboards';
import { queryFilter, signalById } from '../../catalog/signals';
import { sloResourceName } from '../../catalog/slos';
import { SLOS, sloSettings } from '../../catalog/slos';
import { type ConditionSpec, isSloCondition } from '../../catalog/types';
import type { EnvironmentConfig } from '../../environments/schema';
import { checkAggregation } from './aggregation';
import { layoutMosaic, MOSAIC_COLUMNS } from './mosaic';
import { dashboardJsonString, normalizeDashboardJson } from './normalize';
import type { ApiAggregation } from '../../gcp/api/aggregation';
import type { ApiDashboard, ApiThreshold, ApiTimeSeriesQuery, ApiWidget } from '../../gcp/api/dashboard';

export const DEFAULT_ALIGNMENT_SECONDS = 60;

export class DashboardSpecError extends Error {}

export const dashboardDisplayName = (env: EnvironmentConfig, spec: DashboardSpec): string => `Vividly API (${env.name}) - ${spec.title}`;

/** The Monitoring filter of a query: the signal's filter for the environment, plus the query's label terms. */
/** A chart reads the same filter an alert on that query evaluates. */
export const chartFilter = (env: EnvironmentConfig, query: Pick<ChartQuery, 'signal' | 'where'>): string => queryFilter(env, query);

/** The alert condition a threshold refers to, resolved for the environment. */
export function thresholdCondition(alerts: readonly ResolvedAlert[], t: ThresholdSpec): { alert: ResolvedAlert; condition: ConditionSpec } | undefined {
  if (!('alert' in t)) return undefined;
  const alert = alerts.find((a) => a.spec.id === t.alert);
  if (!alert) throw new DashboardSpecError(`dashboard threshold names unknown alert "${t.alert}"`);
  const condition = alert.conditions[t.condition ?? 0];
  if (!condition) throw new DashboardSpecError(`dashboard threshold names condition ${t.condition ?? 0} of "${t.alert}", which has ${alert.conditions.length}`);
  return { alert, condition };
}

/** The window a condition evaluates: its alignment period, or an SLO burn rate's lookback. */
export const conditionWindowSeconds = (c: ConditionSpec): number => (isSloCondition(c) ? c.sloBurnRate.lookbackSeconds : c.alignmentSeconds);

/**
 * The value of a condition's threshold in the units a chart of its signal shows. A burn rate b of an SLO with goal
 * g is an error ratio of b x (1 - g), so a burn-rate alert is drawn on the error-ratio chart at that ratio.
 */
export function conditionChartValue(env: EnvironmentConfig, c: ConditionSpec): number {
  if (!isSloCondition(c)) return c.threshold;
  const slo = SLOS.find((s) => s.id === c.sloBurnRate.slo);
  if (!slo) throw new DashboardSpecError(`condition "${c.displayName}" names unknown SLO "${c.sloBurnRate.slo}"`);
  return +(c.threshold * (1 - slo.goal(sloSettings(env)))).toPrecision(6);
}

/** The alignment period a tile's series default to: the window of the alert whose threshold it shows. */
function tileAlignment(alerts: readonly ResolvedAlert[], tile: ChartTile): number {
  const windows = [
    ...new Set(
      (tile.thresholds ?? [])
        .map((t) => thresholdCondition(alerts, t))
        .filter((r) => r !== undefined)
        .map((r) => conditionWindowSeconds(r.condition)),
    ),
  ];
  if (windows.length > 1)
    throw new DashboardSpecError(`tile "${tile.title}": thresholds of alerts with different windows (${windows.join(', ')} s) cannot share one chart`);
  return windows[0] ?? DEFAULT_ALIGNMENT_SECONDS;
}

function aggregation(tileTitle: string, query: ChartQuery, defaultSeconds: number): ApiAggregation {
  const signal = signalById(query.signal);
  const seconds = query.alignmentSeconds ?? defaultSeconds;
  const check = checkAggregation({ kind: signal.metricKind, valueType: signal.valueType }, query.aligner, query.reducer, seconds);
  if (check.problems.length)
    throw new DashboardSpecError(`tile "${tileTitle}", signal ${signal.id} (${signal.metricKind} ${signal.valueType}): ${check.problems.join('; ')}`);
  return { alignmentPeriod: `${seconds}s`, perSeriesAligner: query.aligner, crossSeriesReducer: query.reducer, groupByFields: query.groupBy };
}

function timeSeriesQuery(env: EnvironmentConfig, tileTitle: string, series: SeriesSpec, defaultSeconds: number): ApiTimeSeriesQuery {
  const pick = series.top ? { rankingMethod: series.top.method, numTimeSeries: series.top.count, direction: 'TOP' as const } : undefined;
  if ('slo' in series.query) {
    // SLO data is read with a selector and no aggregation ("Retrieving SLO data").
    const { selector, sloId, lookbackSeconds } = series.query.slo;
    const args = [`"${sloResourceName(env, sloId)}"`, ...(lookbackSeconds ? [`"${lookbackSeconds}s"`] : [])];
    return { timeSeriesFilter: { filter: `${selector}(${args.join(', ')})` } };
  }
  if ('ratio' in series.query) {
    const { numerator, denominator } = series.query.ratio;
    const [n, d] = [aggregation(tileTitle, numerator, defaultSeconds), aggregation(tileTitle, denominator, defaultSeconds)];
    if (n.alignmentPeriod !== d.alignmentPeriod) throw new DashboardSpecError(`tile "${tileTitle}": numerator and denominator need the same alignment period`);
    return {
      timeSeriesFilterRatio: {
        numerator: { filter: chartFilter(env, numerator), aggregation: n },
        denominator: { filter: chartFilter(env, denominator), aggregation: d },
        pickTimeSeriesFilter: pick,
      },
    };
  }
  const query = series.query;
  if (series.plot === 'HEATMAP') {
    const signal = signalById(query.signal);
    const out = checkAggregation({ kind: signal.metricKind, valueType: signal.valueType }, query.aligner, query.reducer).output;
    if (out !== 'DISTRIBUTION')
      throw new DashboardSpecError(`tile "${tileTitle}": a HEATMAP needs a distribution, ${query.aligner}/${query.reducer ?? '-'} gives ${out}`);
  }
  return { timeSeriesFilter: { filter: chartFilter(env, query), aggregation: aggregation(tileTitle, query, defaultSeconds), pickTimeSeriesFilter: pick } };
}

const isRatioChart = (tile: ChartTile) => tile.series.some((s) => 'ratio' in s.query);

function formatValue(value: number, asShare: boolean): string {
  return asShare ? `${+(value * 100).toFixed(2)} %` : `${+value.toFixed(3)}`;
}

function threshold(alerts: readonly ResolvedAlert[], env: EnvironmentConfig, tile: ChartTile, t: ThresholdSpec): ApiThreshold {
  const resolved = thresholdCondition(alerts, t);
  if (!resolved) {
    const fixed = t as Extract<ThresholdSpec, { value: unknown }>;
    const value = fixed.value(env);
    return { label: `${fixed.label}: ${formatValue(value, isRatioChart(tile))}`, value, color: fixed.color, direction: 'ABOVE' };
  }
  const { alert, condition } = resolved;
  const above = condition.comparison === 'COMPARISON_GT';
  const note = t.label ? ` (${t.label})` : '';
  const off = alert.params.enabled ? '' : ' [disabled]';
  const value = conditionChartValue(env, condition);
  return {
    label: `${alert.spec.displayName}${note}: ${above ? '>' : '<'} ${formatValue(value, isRatioChart(tile))}${off}`,
    value,
    color: alert.spec.severity === 'CRITICAL' ? 'RED' : 'YELLOW',
    direction: above ? 'ABOVE' : 'BELOW',
  };
}

function widget(env: EnvironmentConfig, alerts: readonly ResolvedAlert[], tile: TileSpec): ApiWidget {
  switch (tile.kind) {
    case 'chart': {
      const seconds = tileAlignment(alerts, tile);
      return {
        title: tile.title,
        xyChart: {
          dataSets: tile.series.map((s) => ({ timeSeriesQuery: timeSeriesQuery(env, tile.title, s, seconds), plotType: s.plot ?? 'LINE' })),
          thresholds: (tile.thresholds ?? []).map((t) => threshold(alerts, env, tile, t)),
          yAxis: tile.yLabel ? { label: tile.yLabel, scale: 'LINEAR' } : undefined,
        },
      };
    }
    case 'table':
      return {
        title: tile.title,
        timeSeriesTable: {
          dataSets: [{ timeSeriesQuery: timeSeriesQuery(env, tile.title, tile.series, DEFAULT_ALIGNMENT_SECONDS) }],
          metricVisualization: 'NUMBER',
        },
      };
    case 'text':
      return { title: tile.title, text: { content: tile.markdown(env), format: 'MARKDOWN' } };
    case 'incidents':
      // No policyNames: the policies link to this dashboard, a reference back would be a Terraform cycle.
      return { title: tile.title, incidentList: {} };
  }
}

/** The dashboard of one environment, normalized (gcp-facts §5.6). */
export function renderDashboard(spec: DashboardSpec, env: EnvironmentConfig, alerts: readonly ResolvedAlert[] = resolveAlerts(env)): ApiDashboard {
  const tiles = layoutMosaic(
    spec.rows.map((row) => ({ height: row.height, tiles: row.tiles.map((t) => ({ width: t.width, widget: widget(env, alerts, t) })) })),
    MOSAIC_COLUMNS,
  );
  return normalizeDashboardJson<ApiDashboard>({ displayName: dashboardDisplayName(env, spec), mosaicLayout: { columns: MOSAIC_COLUMNS, tiles } });
}

/** The `dashboard_json` string. Terraform would read `${` and `%{` in it as templates, so they are refused. */
export function renderDashboardJson(spec: DashboardSpec, env: EnvironmentConfig, alerts?: readonly ResolvedAlert[]): string {
  const json = dashboardJsonString(renderDashboard(spec, env, alerts));
  const template = /[$%]\{/.exec(json);
  if (template) throw new DashboardSpecError(`dashboard "${spec.id}": "${template[0]}" would be read by Terraform as a template; reword it`);
  return json;
}
