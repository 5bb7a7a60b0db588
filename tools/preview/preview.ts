/** Reads the synthesized stacks and writes the preview pages (no provider imports). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dashboards as catalogDashboards } from '../../catalog/dashboards';
import { renderPreviewHtml, type PreviewDashboard } from './html';
import { stackFile } from '../../stacks/synth-output';
import { chartsWithData, scenarioOriginNotes, simulateCharts, type ScenarioSeries } from './scenario';
import { loadPolicyDocument } from '../../gcp/simulate/policies';
import { loadScenarioFile } from '../../gcp/simulate/scenario';
import { InputError } from '../../gcp/simulate/errors';
import { InputError as SynthInputError, readTfJson } from '../shared/synth-dir';
import type { EnvironmentName } from '../../environments/schema';

/** Catalog order first (System Overview leads), then any other dashboard by name. */
const CATALOG_ORDER = catalogDashboards.map((d) => `dashboard_${d.id.replace(/-/g, '_')}`);
const rank = (name: string) => (CATALOG_ORDER.includes(name) ? CATALOG_ORDER.indexOf(name) : CATALOG_ORDER.length);

export class PreviewError extends Error {}
/** A bad or missing input (the synthesized stack, the scenario): exit 2. */
export class PreviewInputError extends PreviewError {}

export { stackFile };

/** The dashboards of a synthesized stack, in catalog order, with `dashboard_json` parsed. */
export function dashboardsOfStack(cdkTfJson: unknown, source = 'cdk.tf.json'): PreviewDashboard[] {
  const resource = (cdkTfJson as { resource?: Record<string, Record<string, { dashboard_json?: unknown }>> })?.resource ?? {};
  const byName = resource.google_monitoring_dashboard ?? {};
  return Object.keys(byName)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((name) => {
      const raw = byName[name].dashboard_json;
      if (typeof raw !== 'string') throw new PreviewInputError(`${source}: google_monitoring_dashboard.${name}: dashboard_json is not a string`);
      try {
        // Terraform JSON escapes a literal "${" as "$${"; undo it to see what the API receives.
        return { resource: name, dashboard: JSON.parse(raw.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{')) as unknown };
      } catch (err) {
        throw new PreviewInputError(`${source}: google_monitoring_dashboard.${name}: dashboard_json is not JSON (${(err as Error).message})`);
      }
    });
}

/** What a preview page is drawn from: the stack's dashboards and, with a scenario, the simulated series. */
export interface PreviewModel {
  env: string;
  source: string;
  dashboards: PreviewDashboard[];
  scenario?: ScenarioSeries;
  /**
   * With a scenario: notes (check-logs' wording) when its series or log entries come from another environment, and
   * a warning when no chart gets data from it. For stderr; not part of the page.
   */
  warnings: { notes: string[]; warning?: string };
}

/** Reads `<synthDir>/stacks/<env>/cdk.tf.json` (and simulates `scenarioFile` through its dashboards' charts). */
export function previewModel(env: string, synthDir: string, scenarioFile?: string): PreviewModel {
  const file = stackFile(synthDir, env);
  if (!fs.existsSync(file)) throw new PreviewInputError(`no synthesized stack for "${env}" at ${file} (run \`npm run synth\` first)`);
  let stack: unknown;
  try {
    stack = readTfJson(file);
  } catch (err) {
    if (err instanceof SynthInputError) throw new PreviewInputError(err.message);
    throw err;
  }
  const dashboards = dashboardsOfStack(stack, file);
  if (dashboards.length === 0) throw new PreviewInputError(`${file} has no google_monitoring_dashboard`);
  let scenario: ScenarioSeries | undefined;
  const warnings: PreviewModel['warnings'] = { notes: [] };
  if (scenarioFile !== undefined) {
    try {
      const sc = loadScenarioFile(scenarioFile);
      scenario = simulateCharts(dashboards, loadPolicyDocument(stack, file), sc);
      warnings.notes = scenarioOriginNotes(env as EnvironmentName, sc);
      const charts = chartsWithData(dashboards, scenario);
      if (charts.total > 0 && charts.drawn === 0)
        warnings.warning = `scenario ${scenarioFile} draws data in 0 of the ${charts.total} charts: nothing in it matches their filters${warnings.notes.length ? ' (see the notes above)' : ''}`;
    } catch (err) {
      if (err instanceof InputError) throw new PreviewInputError(err.message);
      throw err;
    }
  }
  return { env, source: path.relative(process.cwd(), file) || file, dashboards, scenario, warnings };
}

/** `--json`: the page's model, with every simulated data set's series (or why it is not drawn) and the alerts' incidents. */
export function previewJson(model: PreviewModel): object {
  return {
    env: model.env,
    source: model.source,
    scenario: model.scenario && {
      name: model.scenario.name,
      file: model.scenario.file,
      incidentStart: model.scenario.incidentStart === null ? null : new Date(model.scenario.incidentStart).toISOString(),
      times: model.scenario.times.map((t) => new Date(t).toISOString()),
      dataSets: Object.fromEntries(model.scenario.dataSets),
      alerts: model.scenario.alerts.map((a) => ({
        ...a,
        incidents: a.incidents.map((i) => ({ opened: new Date(i.opened).toISOString(), closed: i.closed === null ? null : new Date(i.closed).toISOString() })),
      })),
    },
    dashboards: model.dashboards.map((d) => ({ resource: d.resource, dashboard: d.dashboard })),
  };
}

/** Writes `<outDir>/<env>.html` from `<synthDir>/stacks/<env>/cdk.tf.json`; returns the page's path. */
export function writePreview(env: string, synthDir: string, outDir: string, scenarioFile?: string): string {
  const model = previewModel(env, synthDir, scenarioFile);
  fs.mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, `${env}.html`);
  fs.writeFileSync(out, renderPreviewHtml(env, model.dashboards, model.source, model.scenario));
  return out;
}
