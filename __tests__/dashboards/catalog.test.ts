/**
 * The dashboards read the same catalog as the alerts: every tile's signal exists, every alert's signals appear on
 * the dashboard it links to, and every alert condition is drawn as a threshold line on a chart of exactly the
 * numbers the condition evaluates (same filter, aligner, reducer, grouping and window).
 */
import { resolveAlerts } from '../../catalog/alerts';
import { ChartTile, dashboards, queriesOf, seriesOf, tilesOf } from '../../catalog/dashboards';
import { signalById, signals } from '../../catalog/signals';
import { sloSettings } from '../../catalog/slos';
import { isSloCondition, type ConditionSpec, type MetricCondition } from '../../catalog/types';
import { EnvironmentConfig, loadEnvironments } from '../../environments';
import { checkAggregation } from '../../constructs/dashboards/aggregation';
import { mosaicProblems } from '../../constructs/dashboards/mosaic';
import { normalizeDashboardJson } from '../../constructs/dashboards/normalize';
import { chartFilter, conditionChartValue, renderDashboard, thresholdCondition } from '../../constructs/dashboards/render';

const envs = loadEnvironments();
const prod = envs.find((e) => e.name === 'prod')!;

type Json = any;
const widgets = (d: Json): Json[] => d.mosaicLayout.tiles.map((t: Json) => t.widget);
const dataSetFilters = (ds: Json): Array<{ filter: string; aggregation: Json }> => {
  const q = ds.timeSeriesQuery;
  const parts = q.timeSeriesFilterRatio ? [q.timeSeriesFilterRatio.numerator, q.timeSeriesFilterRatio.denominator] : [q.timeSeriesFilter];
  // What is selected and how it is aggregated (a top-N pick only hides series, it changes no value).
  return parts.map((p: Json) => ({ aggregation: p.aggregation, filter: p.filter }));
};

/** The chart data set a metric condition evaluates, rendered as the dashboard would render it. */
function conditionDataSet(env: EnvironmentConfig, c: MetricCondition) {
  const agg = (q: MetricCondition['query']) => ({
    alignmentPeriod: `${c.alignmentSeconds}s`,
    perSeriesAligner: q.aligner,
    ...(q.reducer ? { crossSeriesReducer: q.reducer } : {}),
    ...(q.groupBy?.length ? { groupByFields: q.groupBy } : {}),
  });
  const parts = [{ filter: chartFilter(env, c.query), aggregation: agg(c.query) }];
  if (c.denominator) parts.push({ filter: chartFilter(env, c.denominator), aggregation: agg(c.denominator) });
  return normalizeDashboardJson(parts);
}

describe('dashboard catalog', () => {
  it('has the six dashboards with unique ids and titles', () => {
    expect(dashboards.map((d) => d.id)).toEqual([
      'system-overview',
      'authentication',
      'rate-limiting',
      'content-generation',
      'monitoring-cost',
      'error-budget',
    ]);
    expect(new Set(dashboards.map((d) => d.title)).size).toBe(dashboards.length);
  });

  it('names only signals that exist, with aggregations valid for their kind and value type (gcp-facts §1.5)', () => {
    const ids = new Set(signals.map((s) => s.id));
    for (const d of dashboards) {
      for (const tile of tilesOf(d)) {
        for (const q of seriesOf(tile).flatMap(queriesOf)) {
          expect(`${d.id} / ${tile.title}: ${ids.has(q.signal) ? 'ok' : `unknown signal ${q.signal}`}`).toBe(`${d.id} / ${tile.title}: ok`);
          const s = signalById(q.signal);
          expect({
            tile: tile.title,
            problems: checkAggregation({ kind: s.metricKind, valueType: s.valueType }, q.aligner, q.reducer, q.alignmentSeconds).problems,
          }).toEqual({ tile: tile.title, problems: [] });
        }
      }
    }
  });

  it('rejects the invalid aggregations the app repository used (negative control)', () => {
    // ALIGN_RATE on the app's auto-created GAUGE metrics, percentiles on a counter, RATE on a distribution.
    expect(checkAggregation({ kind: 'GAUGE', valueType: 'INT64' }, 'ALIGN_RATE').problems[0]).toMatch(/not valid for a GAUGE/);
    expect(checkAggregation({ kind: 'DELTA', valueType: 'INT64' }, 'ALIGN_PERCENTILE_99').problems[0]).toMatch(/not valid for INT64/);
    expect(checkAggregation({ kind: 'DELTA', valueType: 'DISTRIBUTION' }, 'ALIGN_RATE').problems[0]).toMatch(/not valid for DISTRIBUTION/);
    expect(checkAggregation({ kind: 'DELTA', valueType: 'DISTRIBUTION' }, 'ALIGN_DELTA', 'REDUCE_MAX').problems[0]).toMatch(
      /REDUCE_MAX is not valid for DISTRIBUTION/,
    );
    expect(checkAggregation({ kind: 'DELTA', valueType: 'DISTRIBUTION' }, 'ALIGN_DELTA', 'REDUCE_PERCENTILE_95')).toEqual({ problems: [], output: 'DOUBLE' });
  });

  describe.each(envs.map((e) => [e.name, e] as const))('%s', (_name, env) => {
    const alerts = resolveAlerts(env);
    const rendered = Object.fromEntries(dashboards.map((d) => [d.id, renderDashboard(d, env, alerts)]));

    it('lays every dashboard out on the 48-column mosaic without overlaps', () => {
      for (const d of dashboards) {
        const json = rendered[d.id] as Json;
        expect(json.mosaicLayout.columns).toBe(48);
        expect(json.mosaicLayout.tiles).toHaveLength(tilesOf(d).length);
        expect({ id: d.id, problems: mosaicProblems(json.mosaicLayout.tiles) }).toEqual({ id: d.id, problems: [] });
      }
    });

    it("links every alert to a dashboard that shows all of the alert's signals", () => {
      for (const a of alerts) {
        const d = dashboards.find((x) => x.id === a.spec.dashboard);
        expect(`${a.spec.id} → ${d ? d.id : `missing dashboard ${a.spec.dashboard}`}`).toBe(`${a.spec.id} → ${a.spec.dashboard}`);
        const shown = new Set(
          tilesOf(d!)
            .flatMap(seriesOf)
            .flatMap(queriesOf)
            .map((q) => q.signal),
        );
        for (const s of a.signals) expect(`${a.spec.id}: ${s} ${shown.has(s) ? 'shown' : 'missing'}`).toBe(`${a.spec.id}: ${s} shown`);
      }
    });

    it('draws every metric condition of the plan alerts as a threshold line over exactly the numbers it evaluates', () => {
      const plan = alerts.filter((a) => !a.spec.id.startsWith('slo_'));
      expect(plan.length).toBeGreaterThanOrEqual(9);
      for (const a of plan) {
        a.conditions.forEach((c: ConditionSpec, i) => {
          if (isSloCondition(c)) return;
          const d = dashboards.find((x) => x.id === a.spec.dashboard)!;
          const tiles = tilesOf(d).filter(
            (t): t is ChartTile =>
              t.kind === 'chart' && (t.thresholds ?? []).some((th) => 'alert' in th && th.alert === a.spec.id && (th.condition ?? 0) === i),
          );
          expect(`${a.spec.id}[${i}]: ${tiles.length} tile(s)`).not.toBe(`${a.spec.id}[${i}]: 0 tile(s)`);
          for (const tile of tiles) {
            const w = widgets(rendered[d.id]).find((x) => x.title === tile.title);
            const line = w.xyChart.thresholds.find((t: Json) => t.label.startsWith(a.spec.displayName) && (t.value ?? 0) === c.threshold);
            expect({ tile: tile.title, line: line ? 'found' : w.xyChart.thresholds }).toEqual({ tile: tile.title, line: 'found' });
            expect(line.direction).toBe(c.comparison === 'COMPARISON_GT' ? 'ABOVE' : 'BELOW');
            expect(line.color).toBe(a.spec.severity === 'CRITICAL' ? 'RED' : 'YELLOW');
            const sets = w.xyChart.dataSets.map(dataSetFilters);
            expect({ tile: tile.title, matches: sets.some((s: Json) => JSON.stringify(s) === JSON.stringify(conditionDataSet(env, c))) }).toEqual({
              tile: tile.title,
              matches: true,
            });
          }
        });
      }
    });

    it('draws each availability burn-rate alert at its error ratio, burn rate x (1 - goal)', () => {
      const burns = alerts.filter((a) => /^slo_availability_.*_burn$/.test(a.spec.id));
      for (const a of burns) {
        const c = a.conditions[0];
        const w = widgets(rendered['error-budget']).find((x) => (x.xyChart?.thresholds ?? []).some((t: Json) => t.label.startsWith(a.spec.displayName)));
        expect(w).toBeDefined();
        const line = w.xyChart.thresholds.find((t: Json) => t.label.startsWith(a.spec.displayName));
        expect(line.value).toBeCloseTo(conditionChartValue(env, c), 9);
        expect(line.value).toBeCloseTo(c.threshold * (1 - sloSettings(env).availabilityGoal), 9);
        expect(w.xyChart.dataSets[0].timeSeriesQuery.timeSeriesFilterRatio.numerator.aggregation.alignmentPeriod).toBe(
          `${isSloCondition(c) ? c.sloBurnRate.lookbackSeconds : 0}s`,
        );
      }
    });

    it('shows the alert policies as an incident list that names no policy (no Terraform cycle)', () => {
      const lists = Object.values(rendered)
        .flatMap((d) => widgets(d))
        .filter((w) => 'incidentList' in w);
      expect(lists).toHaveLength(1);
      expect(lists[0].incidentList).toEqual({});
    });

    it('draws the Cloud SQL capacity line at max_connections and the alert line at threshold x max_connections', () => {
      const w = widgets(rendered['system-overview']).find((x) => x.title === 'Cloud SQL connections against capacity');
      const values = w.xyChart.thresholds.map((t: Json) => t.value);
      const db = alerts.find((a) => a.spec.id === 'databaseConnectionIssues')!;
      expect(values).toEqual([Math.floor(db.params.threshold * env.cloudSql.maxConnections), env.cloudSql.maxConnections]);
    });
  });

  it('moves a line and its window when an environment overrides the alert', () => {
    const overridden: EnvironmentConfig = {
      ...prod,
      alerts: { ...prod.alerts, highErrorRate: { threshold: 0.02, windowSeconds: 600 }, databaseConnectionIssues: { threshold: 0.5 } },
    };
    const d = dashboards.find((x) => x.id === 'system-overview')!;
    const before = widgets(renderDashboard(d, prod));
    const after = widgets(renderDashboard(d, overridden));
    const share = (ws: Json[]) => ws.find((w) => w.title === '5xx share of requests').xyChart;
    expect(share(before).thresholds[0].value).toBe(0.05);
    expect(share(after).thresholds[0].value).toBe(0.02);
    expect(share(after).thresholds[0].label).toContain('2 %');
    expect(share(after).dataSets[0].timeSeriesQuery.timeSeriesFilterRatio.numerator.aggregation.alignmentPeriod).toBe('600s');
    const db = (ws: Json[]) => ws.find((w) => w.title === 'Cloud SQL connections against capacity').xyChart.thresholds[0].value;
    expect([db(before), db(after)]).toEqual([160, 100]);
  });

  it('shows the plan content of each dashboard', () => {
    const r = Object.fromEntries(dashboards.map((d) => [d.id, widgets(renderDashboard(d, prod))]));
    const byTitle = (id: string, re: RegExp) => r[id].filter((w) => re.test(w.title ?? ''));
    // System Overview: pooled latency percentiles from the log-based latency (no streaming endpoint).
    const latency = byTitle('system-overview', /^Latency p50/)[0].xyChart.dataSets.map((ds: Json) => ds.timeSeriesQuery.timeSeriesFilter);
    expect(latency.map((f: Json) => f.aggregation.crossSeriesReducer)).toEqual(['REDUCE_PERCENTILE_50', 'REDUCE_PERCENTILE_95', 'REDUCE_PERCENTILE_99']);
    expect(latency.every((f: Json) => f.aggregation.perSeriesAligner === 'ALIGN_DELTA' && f.filter.includes('vividly/api_request_latencies'))).toBe(true);
    // CPU and memory (DELTA DISTRIBUTION): percentile aligners.
    const cpu = byTitle('system-overview', /utilization/);
    expect(cpu).toHaveLength(4);
    for (const w of cpu)
      for (const ds of w.xyChart.dataSets) expect(ds.timeSeriesQuery.timeSeriesFilter.aggregation.perSeriesAligner).toMatch(/^ALIGN_PERCENTILE_/);
    // Authentication: the session metrics have no source, shown as text.
    expect(byTitle('authentication', /Sessions/)[0].text.content).toContain('auth_active_sessions');
    // Rate Limiting: top 10 failing client IPs.
    const table = r['rate-limiting'].find((w) => 'timeSeriesTable' in w).timeSeriesTable.dataSets[0].timeSeriesQuery.timeSeriesFilter;
    expect(table.pickTimeSeriesFilter).toEqual({ direction: 'TOP', numTimeSeries: 10, rankingMethod: 'METHOD_MAX' });
    expect(table.aggregation.groupByFields).toEqual(['metric.label.client_ip']);
    // Content Generation: a duration heatmap and the Pub/Sub backlog.
    expect(r['content-generation'].some((w) => w.xyChart?.dataSets[0].plotType === 'HEATMAP')).toBe(true);
    expect(JSON.stringify(r['content-generation'])).toContain('num_undelivered_messages');
    // Monitoring Cost: uptime executions counted per checker location, for both checks.
    const uptime = byTitle('monitoring-cost', /Uptime check executions/)[0].xyChart.dataSets.map((ds: Json) => ds.timeSeriesQuery.timeSeriesFilter);
    expect(uptime.map((f: Json) => [f.aggregation.perSeriesAligner, f.aggregation.groupByFields[0]])).toEqual([
      ['ALIGN_COUNT', 'metric.label.checker_location'],
      ['ALIGN_COUNT', 'metric.label.checker_location'],
    ]);
  });

  it('follows a renamed metric: the chart filters come from the signal catalog', () => {
    const s = signalById('lockouts');
    const original = s.filter;
    try {
      s.filter = () => 'metric.type="logging.googleapis.com/user/vividly/renamed" AND resource.type="cloud_run_revision"';
      const json = JSON.stringify(
        renderDashboard(
          dashboards.find((d) => d.id === 'authentication')!,
          prod,
        ),
      );
      expect(json).toContain('vividly/renamed');
      expect(json).not.toContain('vividly/account_lockouts');
    } finally {
      s.filter = original;
    }
  });
});

it('refuses a threshold naming an unknown alert', () => {
  expect(() => thresholdCondition(resolveAlerts(prod), { alert: 'noSuchAlert' as never })).toThrow(/unknown alert "noSuchAlert"/);
});
