/**
 * What synth checks on its own output before it writes anything: the project's lint (gcp/lint, every platform
 * limit of docs/reference/gcp-facts.md) over each synthesized stack. Config that can never work has already been
 * refused while the stacks were built (environments/schema.ts; catalog/alerts.ts `resolveAlerts`: shares outside
 * (0, 1), burn rates that can never fire, windows outside the platform's limits). main.ts runs it (PRE_WRITE_CHECKS) between
 * `app.synth()` into its scratch directory and the swap into cdktf.out, so an error leaves cdktf.out untouched.
 */
import { EnvironmentError, type EnvironmentConfig } from '../environments/schema';
import { DEFAULT_KNOWN_METRICS, lintSynth } from '../gcp/lint';
import { APP_CUSTOM_METRICS } from '../catalog/known-metrics';

/** Throws EnvironmentError (exit 2 in main.ts) naming environment, resource, field and reason of every lint error. */
export function checkSynthesized(env: Pick<EnvironmentConfig, 'name'>, stacks: Readonly<Record<string, unknown>>): void {
  const lines: string[] = [];
  // The monitoring stack holds every monitoring resource; the bootstrap stack has none the lint reads.
  for (const f of lintSynth(stacks[env.name], { knownMetrics: { ...DEFAULT_KNOWN_METRICS, ...APP_CUSTOM_METRICS } })) {
    if (f.severity !== 'error') continue;
    lines.push(`environment "${env.name}": resource ${f.resource ?? '(stack)'}: field "${f.path}": ${f.message} [lint ${f.rule}]`);
  }
  if (lines.length) throw new EnvironmentError(`the synthesized stacks fail the lint (npm run lint):\n${lines.join('\n')}`);
}
