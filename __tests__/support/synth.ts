/** Access to the synthesized stacks that jest's global setup wrote (the compiled app's real output). */
import * as fs from 'node:fs';
import * as os from 'node:os';
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

/**
 * The stacks a tool must refuse (tools/shared/synth-dir.ts readTfJson): each a `cdk.tf.json` text and the field the
 * refusal names. Read as empty, they gave a $0 bill and "0 log-based metrics" with exit 0.
 */
export const MALFORMED_STACKS: ReadonlyArray<readonly [text: string, field: string]> = [
  ['{"resource":{"google_monitoring_alert_policy":"oops"}}', 'resource.google_monitoring_alert_policy'],
  ['{"resource":{"google_logging_metric":[]}}', 'resource.google_logging_metric'],
  ['{"resource":{"google_logging_metric":{"errors":"oops"}}}', 'resource.google_logging_metric.errors'],
  ['{"resource":"oops"}', 'resource'],
];

/** A synth folder of its own (the caller removes it) whose only stack, `<dir>/stacks/<env>/cdk.tf.json`, is `text`. */
export function synthWithStack(env: string, text: string): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'malformed-synth-'));
  const file = path.join(dir, 'stacks', env, 'cdk.tf.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return { dir, file };
}
