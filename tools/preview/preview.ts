/** Reads the synthesized stacks and writes the preview pages (no provider imports). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dashboards as catalogDashboards } from '../../catalog/dashboards';
import { renderPreviewHtml, type PreviewDashboard } from './html';
import { stackFile } from '../../stacks/synth-output';

/** Catalog order first (System Overview leads), then any other dashboard by name. */
const CATALOG_ORDER = catalogDashboards.map((d) => `dashboard_${d.id.replace(/-/g, '_')}`);
const rank = (name: string) => (CATALOG_ORDER.includes(name) ? CATALOG_ORDER.indexOf(name) : CATALOG_ORDER.length);

export class PreviewError extends Error {}

export { stackFile };

/** The dashboards of a synthesized stack, in catalog order, with `dashboard_json` parsed. */
export function dashboardsOfStack(cdkTfJson: unknown, source = 'cdk.tf.json'): PreviewDashboard[] {
  const resource = (cdkTfJson as { resource?: Record<string, Record<string, { dashboard_json?: unknown }>> })?.resource ?? {};
  const byName = resource.google_monitoring_dashboard ?? {};
  return Object.keys(byName)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((name) => {
      const raw = byName[name].dashboard_json;
      if (typeof raw !== 'string') throw new PreviewError(`${source}: google_monitoring_dashboard.${name}: dashboard_json is not a string`);
      try {
        // Terraform JSON escapes a literal "${" as "$${"; undo it to see what the API receives.
        return { resource: name, dashboard: JSON.parse(raw.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{')) as unknown };
      } catch (err) {
        throw new PreviewError(`${source}: google_monitoring_dashboard.${name}: dashboard_json is not JSON (${(err as Error).message})`);
      }
    });
}

/** Writes `<outDir>/<env>.html` from `<synthDir>/stacks/<env>/cdk.tf.json`; returns the page's path. */
export function writePreview(env: string, synthDir: string, outDir: string): string {
  const file = stackFile(synthDir, env);
  if (!fs.existsSync(file)) throw new PreviewError(`no synthesized stack for "${env}" at ${file} (run \`npm run synth\` first)`);
  const dashboards = dashboardsOfStack(JSON.parse(fs.readFileSync(file, 'utf8')), file);
  if (dashboards.length === 0) throw new PreviewError(`${file} has no google_monitoring_dashboard`);
  fs.mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, `${env}.html`);
  fs.writeFileSync(out, renderPreviewHtml(env, dashboards, path.relative(process.cwd(), file) || file));
  return out;
}
