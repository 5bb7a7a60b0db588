/**
 * The platform lint: strict schema validation (gcp/schema) plus every registered rule (registry.ts).
 *
 *   lintApiResource(kind, obj, ctx)        schema findings + rule findings for one API-format object
 *   lintSynth(cdkTfJson, { knownMetrics }) conversion + schema + rules for every supported resource of a synth
 */
import type { KnownMetrics } from '../facts/metrics';
import { rebasePath, synthResources } from '../schema/index';
import type { ApiKind, Finding, Severity } from '../schema/types';
import { normalizeToJsonNames, validateApiResource } from '../schema/validate';
import { DEFAULT_KNOWN_METRICS, knownMetricsFromSynth } from './known-metrics';
import { RESOURCE_RULES, STACK_RULES } from './registry';
import { isObj, type LintContext, type Obj } from './rule';

export { DEFAULT_KNOWN_METRICS, knownMetricsFromSynth } from './known-metrics';
export { metricLabelsFromSynth } from './labels';
export { RESOURCE_RULES, STACK_RULES } from './registry';
export { SCHEMA_RULES, type SchemaRule } from './schema-rules';
export { countCaptureGroups } from './rules/log-metric';
export { CHANNELS_PER_POLICY, PROJECT_QUOTAS, WIDGETS_PER_DASHBOARD } from './rules/quotas';
export type { LintRule, StackRule } from './rule';
export type { KnownMetrics, MetricKind, MetricShape, ValueType } from '../facts/metrics';
export type { Finding, Severity, ApiKind } from '../schema/types';

export interface LintOptions {
  /** Metric kinds, value types and labels for the aggregation and label rules (default: Google's built-ins). */
  knownMetrics?: KnownMetrics;
  /** The object comes from Terraform (synth): dashboard perpetual-diff rules become errors, `${...}` is accepted. */
  terraform?: boolean;
  /** Include schema findings (default true). */
  schema?: boolean;
}

/** Runs the rules of one resource kind on an API-format object (after the schema walk). */
export function lintApiResource(kind: ApiKind, apiObj: unknown, options: LintOptions = {}): Finding[] {
  const findings: Finding[] = [];
  if (options.schema ?? true) findings.push(...validateApiResource(kind, apiObj, { allowInterpolation: options.terraform ?? false }));
  const o = normalizeToJsonNames(kind, apiObj);
  if (!isObj(o)) return findings;
  const ctx: LintContext = { knownMetrics: options.knownMetrics ?? DEFAULT_KNOWN_METRICS, terraform: options.terraform ?? false };
  for (const rule of RESOURCE_RULES) {
    if (!rule.kinds.includes(kind)) continue;
    rule.check(o, (path, message, severity?: Severity) => findings.push({ severity: severity ?? rule.severity, path, rule: rule.id, message }), ctx);
  }
  return findings;
}

/** Lints every supported resource of a synthesized cdk.tf.json, and the stack-wide rules. */
export function lintSynth(cdkTfJson: unknown, options: { knownMetrics?: KnownMetrics; sourceName?: string } = {}): Finding[] {
  const source = options.sourceName;
  const { resources, findings } = synthResources(cdkTfJson, source);
  // Order: built-in default < caller's catalog < what this synth itself declares.
  const knownMetrics: KnownMetrics = { ...DEFAULT_KNOWN_METRICS, ...(options.knownMetrics ?? {}), ...knownMetricsFromSynth(cdkTfJson) };
  const logMetricNames = new Map<string, string>();
  for (const r of resources) if (r.kind === 'LogMetric' && typeof r.tfBody.name === 'string') logMetricNames.set(r.name, r.tfBody.name);
  for (const r of resources) {
    findings.push(...r.conversionFindings);
    if (r.kind === 'Dashboard' && r.conversionFindings.some((f) => f.rule.startsWith('tf/dashboard-json'))) continue;
    const api = resolveLogMetricRefs(r.api, logMetricNames);
    for (const f of lintApiResource(r.kind, api, { knownMetrics, terraform: true })) {
      findings.push({ ...f, path: rebasePath(r.apiRootPath, f.path), resource: r.address, source });
    }
  }
  const resourceBlock = isObj(cdkTfJson) && isObj(cdkTfJson.resource) ? cdkTfJson.resource : {};
  const view = { resources: resources.map((r) => ({ address: r.address, kind: r.kind, tfBody: r.tfBody as Obj, api: r.api as Obj })), resourceBlock };
  const tfPathOf = new Map(resources.map((r) => [r.address, r.tfPath]));
  for (const rule of STACK_RULES) {
    rule.check(view, (resource, path, message, severity) => {
      const tfPath = resource !== undefined ? tfPathOf.get(resource) : undefined;
      findings.push({ severity: severity ?? rule.severity, path: tfPath ? rebasePath(tfPath, path) : path, rule: rule.id, message, resource, source });
    });
  }
  return findings;
}

/** `${google_logging_metric.X.name}` inside filters → the literal metric name, so the metric kind can be looked up. */
function resolveLogMetricRefs(api: object, names: Map<string, string>): object {
  if (names.size === 0) return api;
  const json = JSON.stringify(api).replace(/\$\{google_logging_metric\.([A-Za-z0-9_-]+)\.name\}/g, (m, n: string) => names.get(n) ?? m);
  return JSON.parse(json) as object;
}
