/**
 * The synthesized `dashboard_json` of every environment (what is tested is what is deployed): drift-free by the
 * rules of gcp-facts §5.6, round-tripped through the provider's own diff suppression, laid out soundly, equal to
 * the catalog's rendering, and clean under the strict schema validator and lint.
 */
import { dashboards, tilesOf } from '../../catalog/dashboards';
import { loadEnvironments } from '../../environments';
import { mosaicProblems } from '../../constructs/dashboards/mosaic';
import { diffSuppressed, driftRisks, normalizeDashboardJson, simulateApiRead } from '../../constructs/dashboards/normalize';
import { renderDashboardJson } from '../../constructs/dashboards/render';
import { DEFAULT_KNOWN_METRICS, knownMetricsFromSynth, lintApiResource } from '../../gcp/lint';
import { validateApiResource } from '../../gcp/schema';
import { dashboardJsons, ENVS, loadStack } from '../support/synth';

describe.each(ENVS)('synthesized dashboards of %s', (envName) => {
  const env = loadEnvironments([envName])[0];
  const jsons = () => dashboardJsons(envName);
  const resourceName = (id: string) => `dashboard_${id.replace(/-/g, '_')}`;

  it('has one google_monitoring_dashboard per catalog dashboard, equal to its rendering', () => {
    expect(Object.keys(jsons()).sort()).toEqual(dashboards.map((d) => resourceName(d.id)).sort());
    for (const d of dashboards) expect(jsons()[resourceName(d.id)]).toBe(renderDashboardJson(d, env));
  });

  it('writes dashboard_json with no value the API drops or rewrites (gcp-facts §5.6)', () => {
    for (const [name, raw] of Object.entries(jsons())) {
      const parsed = JSON.parse(raw);
      expect({ name, risks: driftRisks(parsed) }).toEqual({ name, risks: [] });
      // Already in normal form: normalizing changes not one byte (sorted keys, canonical durations, array order kept).
      expect(JSON.stringify(normalizeDashboardJson(parsed))).toBe(raw);
      expect(raw).not.toMatch(/"xPos":0|"yPos":0|:false|:""|:\[\]|:null/);
      expect(raw).not.toMatch(/[$%]\{/);
    }
  });

  it("shows no diff after the API's read-back under the provider's diff suppression", () => {
    for (const [name, raw] of Object.entries(jsons())) {
      expect({ name, suppressed: diffSuppressed(simulateApiRead(raw), raw) }).toEqual({ name, suppressed: true });
    }
  });

  it('places every tile inside the 48-column grid without overlaps', () => {
    for (const d of dashboards) {
      const parsed = JSON.parse(jsons()[resourceName(d.id)]);
      expect(parsed.mosaicLayout.columns).toBe(48);
      expect(parsed.mosaicLayout.tiles).toHaveLength(tilesOf(d).length);
      expect({ id: d.id, problems: mosaicProblems(parsed.mosaicLayout.tiles) }).toEqual({ id: d.id, problems: [] });
      // Rows stack: each tile starts where the tiles above it end.
      const ys = [...new Set(parsed.mosaicLayout.tiles.map((t: any) => t.yPos ?? 0))] as number[];
      expect(ys).toEqual(d.rows.map((_, i) => d.rows.slice(0, i).reduce((s, r) => s + r.height, 0)));
    }
  });

  it('links every alert policy to its dashboard by the dashboard resource id', () => {
    const policies = Object.values(loadStack(envName).resource.google_monitoring_alert_policy ?? {}) as any[];
    expect(policies.length).toBeGreaterThan(0);
    for (const p of policies)
      expect([p.documentation].flat()[0].links[0].url).toMatch(
        /monitoring\/dashboards\/builder\/\$\{element\(split\("\/", google_monitoring_dashboard\.dashboard_[a-z_]+\.id\), 3\)\}/,
      );
  });

  it('passes the strict schema validator and the platform lint (gcp/schema, gcp/lint)', () => {
    const knownMetrics = { ...DEFAULT_KNOWN_METRICS, ...knownMetricsFromSynth(loadStack(envName)) };
    for (const [name, raw] of Object.entries(jsons())) {
      const parsed = JSON.parse(raw);
      expect({ name, schema: validateApiResource('Dashboard', parsed) }).toEqual({ name, schema: [] });
      expect({ name, lint: lintApiResource('Dashboard', parsed, { terraform: true, knownMetrics }) }).toEqual({ name, lint: [] });
    }
  });
});

{
  it('the lint would catch a drifting or invalid dashboard (negative control)', () => {
    const parsed = JSON.parse(dashboardJsons('prod').dashboard_system_overview);
    parsed.mosaicLayout.tiles[0].xPos = 0;
    parsed.mosaicLayout.tiles[1].widget.xyChart.dataSets[0].timeSeriesQuery.timeSeriesFilter.aggregation.perSeriesAligner = 'ALIGN_PERCENTILE_99';
    const rules = lintApiResource('Dashboard', parsed, {
      terraform: true,
      knownMetrics: { ...DEFAULT_KNOWN_METRICS, ...knownMetricsFromSynth(loadStack('prod')) },
    }).map((f) => f.rule);
    expect(rules).toEqual(expect.arrayContaining(['dashboard/perpetual-diff', 'aggregation/aligner-kind']));
  });
}
