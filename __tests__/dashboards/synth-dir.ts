/** The synthesized stacks: jest's global setup (SYNTH_DIR), or a synth of our own when run without it. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ENVS = ['dev', 'staging', 'prod'] as const;

let own: string | undefined;

export function synthDir(): string {
  if (process.env.SYNTH_DIR) return process.env.SYNTH_DIR;
  if (!own) {
    own = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dashboards-synth-')), 'cdktf.out');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('../../main') as { synthesize(outdir: string): string[] }).synthesize(own);
  }
  return own;
}

export type Stack = { resource: Record<string, Record<string, Record<string, unknown>>> };

export function loadStack(env: string): Stack {
  return JSON.parse(fs.readFileSync(path.join(synthDir(), 'stacks', env, 'cdk.tf.json'), 'utf8')) as Stack;
}

/** `resource name → dashboard_json string` of one environment. */
export function dashboardJsons(env: string): Record<string, string> {
  const byName = loadStack(env).resource.google_monitoring_dashboard ?? {};
  return Object.fromEntries(Object.entries(byName).map(([name, body]) => [name, body.dashboard_json as string]));
}
