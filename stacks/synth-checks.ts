/**
 * What synth checks on its own output before it writes anything: the project's lint (tools/lint, every platform
 * limit of docs/reference/gcp-facts.md) over each synthesized stack. Config that can never work has already been
 * refused while the stacks were built (environments/schema.ts; catalog/alerts.ts `resolveAlerts`: shares outside
 * (0, 1), burn rates that can never fire, windows outside the platform's limits). main.ts calls this between
 * `app.synth()` into its scratch directory and the swap into cdktf.out, so an error leaves cdktf.out untouched.
 */
import * as fs from 'node:fs';
import { EnvironmentError } from '../environments/schema';
import { DEFAULT_KNOWN_METRICS, lintSynth } from '../gcp/lint';
import { APP_CUSTOM_METRICS } from '../catalog/known-metrics';
import { stackFile } from './synth-output';

/** Throws EnvironmentError (exit 2 in main.ts) naming environment, resource, field and reason of every lint error. */
export function checkSynthesized(synthDir: string, environments: readonly { name: string }[]): void {
  const lines: string[] = [];
  for (const env of environments) {
    const file = stackFile(synthDir, env.name);
    const json: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const f of lintSynth(json, { knownMetrics: { ...DEFAULT_KNOWN_METRICS, ...APP_CUSTOM_METRICS } })) {
      if (f.severity !== 'error') continue;
      lines.push(`environment "${env.name}": resource ${f.resource ?? '(stack)'}: field "${f.path}": ${f.message} [lint ${f.rule}]`);
    }
  }
  if (lines.length) throw new EnvironmentError(`the synthesized stacks fail the lint (npm run lint):\n${lines.join('\n')}`);
}
