/**
 * Terraform (synthesized CDKTF JSON, snake_case attributes) → Google API object (lowerCamelCase JSON names).
 *
 * The conversion is driven by the API descriptor: every TF attribute is looked up as a proto field name of the message
 * at that position; map fields keep their keys verbatim; single nested blocks given as one-element arrays are unwrapped
 * where the proto field is not repeated. Terraform meta-arguments and TF-only attributes (listed per resource type
 * below, read from `@cdktf/provider-google/lib/<resource>/index.d.ts`, provider 6.50.0) are dropped explicitly; any
 * other attribute the descriptor does not know is reported.
 *
 * Values are copied as they are: type checking is the job of `validateApiResource` (validate.ts). Terraform
 * interpolations (`"${...}"`) are strings; pass `{ allowInterpolation: true }` to the validator to accept them where a
 * string is expected.
 *
 * No jest / CLI code here: other tools import this module.
 */
import type { Type } from 'protobufjs';
import { fieldIndex, isType, messageTypeFor, resolvedType, fullName, WELL_KNOWN } from './descriptors';
import { childPath, indexPath, isInterpolation, isPlainObject, TF_RESOURCE_KINDS, type ApiKind, type Finding } from './types';

export type { Finding } from './types';

/** Terraform meta-arguments and provider-generic attributes present on every resource (dropped). */
export const TF_META_ARGUMENTS: readonly string[] = [
  '//', // CDKTF metadata (construct path, unique id)
  'depends_on',
  'lifecycle',
  'provider',
  'count',
  'for_each',
  'provisioner',
  'connection',
  'id', // TF `id` attribute (settable in the bindings, never an API field)
  'project', // API resource name prefix, not a body field
  'timeouts', // TF operation timeouts
];

/**
 * TF-only attributes per resource type, as dotted TF paths (no indexes), dropped without a finding. Attributes with a
 * special meaning (`sensitive_labels`, `password_wo`, `dashboard_json`) are handled in code below.
 */
export const TF_ONLY_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  google_monitoring_alert_policy: [],
  google_monitoring_uptime_check_config: [
    'http_check.auth_info.password_wo_version', // trigger for the write-only password (provider 6.x)
    // `log_check_failures` is a real API field (UptimeCheckConfig.log_check_failures) but it is newer than the
    // descriptor shipped in @google-cloud/monitoring 5.3.3, so it cannot be validated against it: dropped.
    'log_check_failures',
  ],
  google_monitoring_notification_channel: [
    'force_delete', // TF virtual field (gcp-facts §6.1)
    // `sensitive_labels` is not dropped: its keys become `labels` keys (gcp-facts §6.2).
  ],
  google_logging_metric: [],
  google_monitoring_metric_descriptor: [],
  google_monitoring_dashboard: [],
};

/** TF attribute (dotted path) → proto field name, where TF renames an API field. */
const TF_RENAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  google_monitoring_uptime_check_config: {
    'http_check.auth_info.password_wo': 'password', // write-only variant of `password` (gcp-facts §4.1)
  },
};

export interface TfToApiResult {
  api: object;
  findings: Finding[];
}

export function tfResourceToApi(resourceType: string, tfBody: object): { api: object; findings: Finding[] } {
  const findings: Finding[] = [];
  const kind: ApiKind | undefined = TF_RESOURCE_KINDS[resourceType];
  if (!kind) {
    findings.push({
      severity: 'error',
      path: '$',
      rule: 'tf/unsupported-resource-type',
      message: `resource type "${resourceType}" is not one of ${Object.keys(TF_RESOURCE_KINDS).join(', ')}`,
    });
    return { api: {}, findings };
  }
  if (!isPlainObject(tfBody)) {
    findings.push({ severity: 'error', path: '$', rule: 'tf/not-an-object', message: `the ${resourceType} body must be a JSON object` });
    return { api: {}, findings };
  }
  const body: Record<string, unknown> = { ...tfBody };
  for (const meta of TF_META_ARGUMENTS) delete body[meta];

  if (kind === 'Dashboard') return dashboardToApi(body, findings);

  if (kind === 'NotificationChannel') mergeSensitiveLabels(body, findings);

  const ctx: ConvertCtx = {
    resourceType,
    tfOnly: new Set(TF_ONLY_ATTRIBUTES[resourceType] ?? []),
    renames: TF_RENAMES[resourceType] ?? {},
    findings,
  };
  const api = convertMessage(messageTypeFor(kind), body, '$', '', ctx);
  return { api, findings };
}

interface ConvertCtx {
  resourceType: string;
  tfOnly: Set<string>;
  renames: Readonly<Record<string, string>>;
  findings: Finding[];
}

function convertMessage(type: Type, tf: Record<string, unknown>, path: string, dotted: string, ctx: ConvertCtx): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const index = fieldIndex(type);
  for (const [key, value] of Object.entries(tf)) {
    const keyPath = childPath(path, key);
    const dottedKey = dotted ? `${dotted}.${key}` : key;
    if (key === '//') continue;
    if (ctx.tfOnly.has(dottedKey)) continue;
    const renamed = ctx.renames[dottedKey];
    const info = index.get(renamed ?? key);
    // TF attributes are snake_case; a lowerCamelCase key in a TF body is not a Terraform attribute.
    if (!info || info.protoName !== (renamed ?? key)) {
      ctx.findings.push({
        severity: 'error',
        path: keyPath,
        rule: 'tf/unknown-attribute',
        message: `"${key}" is neither a field of ${fullName(type)} nor a known Terraform-only attribute of ${ctx.resourceType}`,
      });
      continue;
    }
    if (value === null || value === undefined) continue; // TF null = unset
    const { field, jsonName } = info;
    if (jsonName in out) {
      ctx.findings.push({
        severity: 'error',
        path: keyPath,
        rule: 'tf/duplicate-attribute',
        message: `"${key}" maps to API field "${jsonName}", which is already set`,
      });
      continue;
    }
    const target = resolvedType(field);
    const nestedMessage = isType(target) && !WELL_KNOWN.has(fullName(target)) ? target : null;

    if (field.map) {
      if (!isPlainObject(value)) {
        if (isInterpolation(value)) {
          ctx.findings.push({
            severity: 'error',
            path: keyPath,
            rule: 'tf/interpolated-block',
            message: `map "${key}" is a Terraform expression (${value}); it cannot be validated offline`,
          });
        } else {
          out[jsonName] = value; // the validator reports the wrong type
        }
        continue;
      }
      const m: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        m[k] = nestedMessage && isPlainObject(v) ? convertMessage(nestedMessage, v, childPath(keyPath, k), `${dottedKey}.${k}`, ctx) : v;
      }
      out[jsonName] = m;
      continue;
    }

    if (field.repeated) {
      // Terraform JSON syntax allows a single object where a list of blocks is expected.
      const items = Array.isArray(value) ? value : nestedMessage && isPlainObject(value) ? [value] : value;
      if (!Array.isArray(items)) {
        if (isInterpolation(items)) {
          ctx.findings.push({
            severity: 'error',
            path: keyPath,
            rule: 'tf/interpolated-block',
            message: `list "${key}" is a Terraform expression (${items}); it cannot be validated offline`,
          });
        } else {
          out[jsonName] = items;
        }
        continue;
      }
      out[jsonName] = items.map((item, i) =>
        nestedMessage && isPlainObject(item) ? convertMessage(nestedMessage, item, indexPath(keyPath, i), dottedKey, ctx) : item,
      );
      continue;
    }

    // Singular field.
    let single: unknown = value;
    if (Array.isArray(value)) {
      if (value.length === 0) continue; // empty block list = block absent
      if (value.length > 1) {
        ctx.findings.push({
          severity: 'error',
          path: keyPath,
          rule: 'tf/too-many-blocks',
          message: `"${key}" is a single block in the API (${fullName(type)}.${info.protoName}) but ${value.length} were given`,
        });
        continue;
      }
      single = value[0];
    }
    if (nestedMessage) {
      if (isPlainObject(single)) {
        out[jsonName] = convertMessage(nestedMessage, single, keyPath, dottedKey, ctx);
      } else if (isInterpolation(single)) {
        ctx.findings.push({
          severity: 'error',
          path: keyPath,
          rule: 'tf/interpolated-block',
          message: `block "${key}" is a Terraform expression (${single}); it cannot be validated offline`,
        });
      } else {
        out[jsonName] = single; // the validator reports the wrong type
      }
    } else {
      out[jsonName] = single;
    }
  }
  return out;
}

/** gcp-facts §6.2: `sensitive_labels{auth_token|password|service_key}` are API `labels`. */
function mergeSensitiveLabels(body: Record<string, unknown>, findings: Finding[]): void {
  if (!('sensitive_labels' in body)) return;
  let sensitive = body.sensitive_labels;
  delete body.sensitive_labels;
  if (Array.isArray(sensitive)) {
    if (sensitive.length === 0) return;
    if (sensitive.length > 1) {
      findings.push({ severity: 'error', path: '$.sensitive_labels', rule: 'tf/too-many-blocks', message: 'sensitive_labels is a single block' });
      return;
    }
    sensitive = sensitive[0];
  }
  if (sensitive === null || sensitive === undefined) return;
  if (!isPlainObject(sensitive)) {
    findings.push({ severity: 'error', path: '$.sensitive_labels', rule: 'tf/interpolated-block', message: 'sensitive_labels must be a block (object)' });
    return;
  }
  const allowed = ['auth_token', 'password', 'service_key'];
  const present = Object.keys(sensitive).filter(
    (k) => sensitive && (sensitive as Record<string, unknown>)[k] !== null && (sensitive as Record<string, unknown>)[k] !== undefined,
  );
  for (const k of present) {
    if (!allowed.includes(k)) {
      findings.push({
        severity: 'error',
        path: childPath('$.sensitive_labels', k),
        rule: 'tf/unknown-attribute',
        message: `sensitive_labels supports only ${allowed.join(', ')}`,
      });
    }
  }
  if (present.length !== 1) {
    findings.push({
      severity: 'error',
      path: '$.sensitive_labels',
      rule: 'tf/sensitive-labels',
      message: `exactly one of ${allowed.join(', ')} must be set (gcp-facts §6.2), found ${present.length}`,
    });
  }
  const labelsRaw = body.labels;
  const labels: Record<string, unknown> = isPlainObject(labelsRaw) ? { ...labelsRaw } : {};
  if (labelsRaw !== undefined && labelsRaw !== null && !isPlainObject(labelsRaw)) {
    findings.push({ severity: 'error', path: '$.labels', rule: 'tf/interpolated-block', message: 'labels must be a map to merge sensitive_labels into it' });
  }
  for (const k of present) {
    if (!allowed.includes(k)) continue;
    if (k in labels) {
      findings.push({
        severity: 'error',
        path: childPath('$.sensitive_labels', k),
        rule: 'tf/sensitive-label-conflict',
        message: `Sensitive label [${k}] cannot be set in both \`labels\` and the \`sensitive_labels\` block (gcp-facts §6.2)`,
      });
      continue;
    }
    labels[k] = (sensitive as Record<string, unknown>)[k];
  }
  body.labels = labels;
}

function dashboardToApi(body: Record<string, unknown>, findings: Finding[]): TfToApiResult {
  let api: object = {};
  for (const key of Object.keys(body)) {
    if (key === 'dashboard_json') continue;
    findings.push({
      severity: 'error',
      path: childPath('$', key),
      rule: 'tf/unknown-attribute',
      message: `"${key}" is not an attribute of google_monitoring_dashboard (dashboard_json, project, id, timeouts)`,
    });
  }
  const raw = body.dashboard_json;
  if (typeof raw !== 'string') {
    findings.push({
      severity: 'error',
      path: '$.dashboard_json',
      rule: 'tf/dashboard-json',
      message: raw === undefined ? 'dashboard_json is required' : 'dashboard_json must be a JSON string',
    });
    return { api, findings };
  }
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!isPlainObject(parsed)) {
      findings.push({ severity: 'error', path: '$.dashboard_json', rule: 'tf/dashboard-json', message: 'dashboard_json must encode a JSON object' });
    } else {
      api = parsed;
    }
  } catch (err) {
    const expr = /^\$\{/.test(raw.trim());
    findings.push({
      severity: 'error',
      path: '$.dashboard_json',
      rule: expr ? 'tf/dashboard-json-not-literal' : 'tf/dashboard-json',
      message: expr
        ? 'dashboard_json is a Terraform expression, not literal JSON; it cannot be validated offline'
        : `dashboard_json is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
    });
  }
  return { api, findings };
}
