/**
 * Loading alert policies: API-format JSON (one policy, a list, or `{alertPolicies: […]}`) or a synthesized
 * `cdk.tf.json` (Terraform JSON, snake_case), converted with gcp/schema/tf-to-api.ts.
 *
 * Terraform interpolations are resolved where the value is knowable offline:
 * - `${google_monitoring_uptime_check_config.<NAME>.uptime_check_id}` → `<NAME>` (so scenario series for uptime checks
 *   must use the TF resource name as `metric.labels.check_id`);
 * - `${google_logging_metric.<NAME>.name}` / `.id` → that resource's literal `name` attribute;
 * - `${google_monitoring_slo.<NAME>.name}` / `.id` → `projects/<project>/services/<service_id>/serviceLevelObjectives/<slo_id>`
 *   built from that resource (its `service` may itself be `${google_monitoring_custom_service.<S>.service_id}`), or
 *   `google_monitoring_slo.<NAME>` when a part is not literal; the SLO's definition is loaded with it (slo.ts).
 * API-format documents may carry SLO definitions as `{"alertPolicies": […], "serviceLevelObjectives": […]}`.
 * Any other interpolation left in a filter makes that policy an explicit evaluation error. Notification channel
 * references are only reported. A `${google_monitoring_alert_policy.<NAME>.name}` (a dashboard's incident list) names
 * the policy loaded with `resource` NAME (alertPolicyReference).
 */
import * as fs from 'node:fs';
import { tfResourceToApi } from '../schema/tf-to-api';
import { stripBom } from '../text';
import { knownMetricsFromSynth, type KnownMetrics } from '../lint/known-metrics';
import { loadLogMetrics } from '../logging-query/synth';
import { InputError } from './errors';
import { SimLogMetric } from './logmetrics';
import { SimSlo, sloFromApi, sloFromTf } from './slo';
import type { ApiAlertPolicy } from '../api/alert-policy';
import { BucketOptions, LoadedPolicy } from './types';

export interface PolicySet {
  policies: LoadedPolicy[];
  logMetrics: SimLogMetric[];
  /** Request-based SLOs that `select_slo_burn_rate` filters may name (synth `google_monitoring_slo`, or `serviceLevelObjectives`). */
  slos: SimSlo[];
  notes: string[];
  /**
   * Metric kinds the synth declares (log-based metrics, descriptors: `knownMetricsFromSynth`), added to the lint's
   * defaults when each policy is checked for what the API would reject before evaluation.
   */
  knownMetrics?: KnownMetrics;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = stripBom(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(file, '', `cannot read: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(file, '', `not valid JSON: ${(e as Error).message}`);
  }
}

/** Load policies from any supported JSON document. */
export function loadPolicyDocument(doc: unknown, file: string): PolicySet {
  if (isRecord(doc) && isRecord(doc.resource)) return loadTfJson(doc, file);
  let list: unknown[];
  if (Array.isArray(doc)) list = doc;
  else if (isRecord(doc) && Array.isArray(doc.alertPolicies)) list = doc.alertPolicies;
  else if (isRecord(doc) && doc.serviceLevelObjectives !== undefined) throw new InputError(file, 'alertPolicies', 'required next to serviceLevelObjectives');
  else if (isRecord(doc)) list = [doc];
  else throw new InputError(file, '', 'expected an AlertPolicy object, a list of them, {"alertPolicies": […]} or a cdk.tf.json');
  const policies = list.map((p, i): LoadedPolicy => {
    const field = Array.isArray(doc) ? `[${i}]` : isRecord(doc) && Array.isArray(doc.alertPolicies) ? `alertPolicies[${i}]` : '';
    if (!isRecord(p)) throw new InputError(file, field, 'an AlertPolicy must be a JSON object');
    if (Object.keys(p).some((k) => k.includes('_'))) {
      const k = Object.keys(p).find((x) => x.includes('_'))!;
      throw new InputError(
        file,
        `${field}${field ? '.' : ''}${k}`,
        'snake_case field: API-format policies use camelCase JSON names (give a cdk.tf.json for Terraform bodies)',
      );
    }
    if (!Array.isArray(p.conditions)) throw new InputError(file, `${field}${field ? '.' : ''}conditions`, 'required (a list of 1 to 6 conditions)');
    const policy = p as ApiAlertPolicy;
    return {
      displayName: typeof policy.displayName === 'string' && policy.displayName ? policy.displayName : `${file}${field}`,
      policy,
      origin: `${file}${field}`,
      notificationChannels: Array.isArray(policy.notificationChannels) ? policy.notificationChannels.map(String) : [],
      notes: [],
    };
  });
  const slos: SimSlo[] = [];
  if (isRecord(doc) && Array.isArray(doc.alertPolicies) && doc.serviceLevelObjectives !== undefined) {
    if (!Array.isArray(doc.serviceLevelObjectives)) throw new InputError(file, 'serviceLevelObjectives', 'must be a list of ServiceLevelObjective objects');
    doc.serviceLevelObjectives.forEach((o, i) => {
      try {
        slos.push(sloFromApi(o, `${file} serviceLevelObjectives[${i}]`));
      } catch (e) {
        throw new InputError(file, `serviceLevelObjectives[${i}]`, (e as Error).message);
      }
    });
  }
  return { policies, logMetrics: [], slos, notes: [] };
}

export function loadPolicyFile(file: string): PolicySet {
  return loadPolicyDocument(readJsonFile(file), file);
}

const UPTIME_RE = /\$\{google_monitoring_uptime_check_config\.([A-Za-z0-9_-]+)\.uptime_check_id\}/g;
const LOGMETRIC_RE = /\$\{google_logging_metric\.([A-Za-z0-9_-]+)\.(name|id)\}/g;
const SLO_RE = /\$\{google_monitoring_slo\.([A-Za-z0-9_-]+)\.(name|id)\}/g;
const ALERT_POLICY_RE = /^\$\{google_monitoring_alert_policy\.([A-Za-z0-9_-]+)\.(?:name|id)\}$/;

/**
 * The TF resource name (LoadedPolicy.resource) a whole-string `${google_monitoring_alert_policy.<NAME>.name}` (or
 * `.id`) names, as a dashboard's incident list references its policies; undefined for anything else.
 */
export function alertPolicyReference(value: string): string | undefined {
  return ALERT_POLICY_RE.exec(value)?.[1];
}

/** Resolve the knowable interpolations inside every string of a TF body. */
export function resolveInterpolations(
  value: unknown,
  uptimeNames: Set<string>,
  logMetricNames: Map<string, string>,
  sloNames: Map<string, string> = new Map(),
): unknown {
  if (typeof value === 'string') {
    if (!value.includes('${')) return value;
    return value
      .replace(UPTIME_RE, (m, name: string) => (uptimeNames.has(name) ? name : m))
      .replace(LOGMETRIC_RE, (m, name: string) => logMetricNames.get(name) ?? m)
      .replace(SLO_RE, (m, name: string) => sloNames.get(name) ?? m);
  }
  if (Array.isArray(value)) return value.map((v) => resolveInterpolations(v, uptimeNames, logMetricNames, sloNames));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveInterpolations(v, uptimeNames, logMetricNames, sloNames)]));
  return value;
}

/** The API name of a `google_monitoring_slo` of the synth, when project, service and slo_id are knowable. */
function sloResourceName(id: string, body: Record<string, unknown>, services: Record<string, unknown>): string {
  let service = body.service;
  const m = typeof service === 'string' ? /^\$\{google_monitoring_custom_service\.([A-Za-z0-9_-]+)\.(service_id|id|name)\}$/.exec(service) : null;
  if (m) {
    const sb = services[m[1]];
    service = isRecord(sb) && typeof sb.service_id === 'string' ? sb.service_id : undefined;
  }
  const ok = (x: unknown): x is string => typeof x === 'string' && !!x && !x.includes('${');
  return ok(body.project) && ok(service) && ok(body.slo_id)
    ? `projects/${body.project}/services/${service}/serviceLevelObjectives/${body.slo_id}`
    : `google_monitoring_slo.${id}`;
}

function loadTfJson(doc: Record<string, unknown>, file: string): PolicySet {
  const resources = doc.resource as Record<string, unknown>;
  const get = (type: string): Record<string, unknown> => {
    const r = resources[type];
    if (r === undefined) return {};
    if (!isRecord(r)) throw new InputError(file, `resource.${type}`, 'must be an object keyed by resource name');
    return r;
  };
  const uptime = new Set(Object.keys(get('google_monitoring_uptime_check_config')));
  const logMetricBodies = get('google_logging_metric');
  const logMetricNames = new Map<string, string>();
  for (const [id, body] of Object.entries(logMetricBodies)) {
    if (isRecord(body) && typeof body.name === 'string' && !body.name.includes('${')) logMetricNames.set(id, body.name);
  }
  const notes: string[] = [];
  const services = get('google_monitoring_custom_service');
  const sloNames = new Map<string, string>();
  const slos: SimSlo[] = [];
  for (const [id, rawBody] of Object.entries(get('google_monitoring_slo'))) {
    if (!isRecord(rawBody)) throw new InputError(file, `resource.google_monitoring_slo.${id}`, 'must be an object');
    const name = sloResourceName(id, rawBody, services);
    const origin = `${file} google_monitoring_slo.${id}`;
    try {
      slos.push(sloFromTf(resolveInterpolations(rawBody, uptime, logMetricNames) as Record<string, unknown>, name, origin));
      sloNames.set(id, name);
    } catch (e) {
      // Left unresolved: a policy selecting it becomes an explicit evaluation error.
      notes.push(`${origin}: cannot be evaluated offline: ${(e as Error).message}`);
    }
  }
  const policies: LoadedPolicy[] = [];
  for (const [id, rawBody] of Object.entries(get('google_monitoring_alert_policy'))) {
    const where = `resource.google_monitoring_alert_policy.${id}`;
    if (!isRecord(rawBody)) throw new InputError(file, where, 'must be an object');
    const channels = Array.isArray(rawBody.notification_channels) ? rawBody.notification_channels.map(String) : [];
    const body = resolveInterpolations(rawBody, uptime, logMetricNames, sloNames) as Record<string, unknown>;
    const { api, findings } = tfResourceToApi('google_monitoring_alert_policy', body);
    const policy = api as ApiAlertPolicy;
    policies.push({
      displayName: typeof policy.displayName === 'string' && policy.displayName ? policy.displayName : id,
      policy,
      origin: `${file} google_monitoring_alert_policy.${id}`,
      resource: id,
      notificationChannels: channels,
      notes: findings.map((f) => `tf-to-api ${f.severity} ${f.path}: ${f.message}`),
    });
  }
  const logMetrics: SimLogMetric[] = [];
  for (const [id, body] of Object.entries(logMetricBodies)) {
    const origin = `${file} google_logging_metric.${id}`;
    try {
      const [metric] = loadLogMetrics({ resource: { google_logging_metric: { [id]: body } } });
      let bucketOptions: BucketOptions | undefined;
      if (metric.valueType === 'DISTRIBUTION') {
        const { api } = tfResourceToApi('google_logging_metric', body as object);
        bucketOptions = (api as { bucketOptions?: BucketOptions }).bucketOptions;
      }
      logMetrics.push({ metric, bucketOptions, origin });
    } catch (e) {
      notes.push(`${origin}: skipped, cannot be evaluated offline: ${(e as Error).message}`);
    }
  }
  return { policies, logMetrics, slos, notes, knownMetrics: knownMetricsFromSynth(doc) };
}
