/** Access to the synthesized stacks that jest's global setup wrote (the compiled app's real output). */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { TfJson } from '../../stacks/synth-output';

export type { TfJson };

export const ENVS = ['dev', 'staging', 'prod'] as const;

export function synthDir(): string {
  const dir = process.env.SYNTH_DIR;
  if (!dir) throw new Error('SYNTH_DIR is not set: run the tests through jest (global setup synthesizes the stacks)');
  return dir;
}

export function stackPath(env: string): string {
  return path.join(synthDir(), 'stacks', env, 'cdk.tf.json');
}

const cache = new Map<string, TfJson>();
export function loadStack(env: string): TfJson {
  if (!cache.has(env)) cache.set(env, JSON.parse(fs.readFileSync(stackPath(env), 'utf8')) as TfJson);
  return cache.get(env)!;
}

export function resourcesOf(stack: TfJson, type: string): Record<string, Record<string, any>> {
  return (stack.resource[type] ?? {}) as Record<string, Record<string, any>>;
}

/** `resource name → dashboard_json string` of one environment. */
export function dashboardJsons(env: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(resourcesOf(loadStack(env), 'google_monitoring_dashboard')).map(([name, body]) => [name, body.dashboard_json as string]),
  );
}
