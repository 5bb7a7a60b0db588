/**
 * Strict validation of generated monitoring resources against Google's API descriptors.
 *
 *   tfResourceToApi(resourceType, tfBody)   TF attributes → API object (+ conversion findings)      (tf-to-api.ts)
 *   validateApiResource(kind, obj)          API object → schema findings                              (validate.ts)
 *   validateSynth(cdkTfJson, sourceName)    every supported resource of a synthesized cdk.tf.json
 */
import { tfResourceToApi } from './tf-to-api';
import { validateApiResource } from './validate';
import { childPath, isPlainObject, TF_RESOURCE_KINDS, type ApiKind, type Finding } from './types';

export { tfResourceToApi, TF_META_ARGUMENTS, TF_ONLY_ATTRIBUTES } from './tf-to-api';
export { validateApiResource, validateMessageType, normalizeToJsonNames, parseDurationSeconds, type ValidateOptions } from './validate';
export { API_KINDS, TF_RESOURCE_KINDS, type ApiKind, type Finding, type Severity } from './types';

/** One supported resource of a synth, converted. */
export interface SynthResource {
  resourceType: string;
  name: string;
  /** `google_monitoring_alert_policy.x` */
  address: string;
  kind: ApiKind;
  tfBody: Record<string, unknown>;
  api: object;
  /** Conversion findings, paths already prefixed with the resource path. */
  conversionFindings: Finding[];
  /** `$.resource.<type>.<name>` */
  tfPath: string;
  /** Where API paths are rooted: the resource path, or `.dashboard_json` for dashboards. */
  apiRootPath: string;
}

/** Prefix a `$...` path with another root. */
export function rebasePath(root: string, path: string): string {
  return path === '$' ? root : root + path.slice(1);
}

/** Enumerate and convert the six supported resource types of a cdk.tf.json (other types are ignored). */
export function synthResources(cdkTfJson: unknown, sourceName?: string): { resources: SynthResource[]; findings: Finding[] } {
  const findings: Finding[] = [];
  const resources: SynthResource[] = [];
  if (!isPlainObject(cdkTfJson)) {
    findings.push({
      severity: 'error',
      path: '$',
      rule: 'synth/not-an-object',
      message: 'a synthesized cdk.tf.json must be a JSON object',
      source: sourceName,
    });
    return { resources, findings };
  }
  const resourceBlock = cdkTfJson.resource;
  if (resourceBlock === undefined) return { resources, findings };
  if (!isPlainObject(resourceBlock)) {
    findings.push({
      severity: 'error',
      path: '$.resource',
      rule: 'synth/bad-resource-block',
      message: '"resource" must be an object of type → name → body',
      source: sourceName,
    });
    return { resources, findings };
  }
  for (const [resourceType, kind] of Object.entries(TF_RESOURCE_KINDS)) {
    const byName = resourceBlock[resourceType];
    if (byName === undefined) continue;
    const typePath = childPath('$.resource', resourceType);
    if (!isPlainObject(byName)) {
      findings.push({
        severity: 'error',
        path: typePath,
        rule: 'synth/bad-resource-block',
        message: `"${resourceType}" must map names to resource bodies`,
        source: sourceName,
      });
      continue;
    }
    for (const [name, body] of Object.entries(byName)) {
      const tfPath = childPath(typePath, name);
      const address = `${resourceType}.${name}`;
      const { api, findings: conv } = tfResourceToApi(resourceType, isPlainObject(body) ? body : (body as object));
      const conversionFindings = conv.map((f) => ({ ...f, path: rebasePath(tfPath, f.path), resource: address, source: sourceName }));
      resources.push({
        resourceType,
        name,
        address,
        kind,
        tfBody: isPlainObject(body) ? body : {},
        api,
        conversionFindings,
        tfPath,
        apiRootPath: kind === 'Dashboard' ? `${tfPath}.dashboard_json` : tfPath,
      });
    }
  }
  return { resources, findings };
}

/** Convert + schema-validate every supported resource of a synthesized cdk.tf.json. */
export function validateSynth(cdkTfJson: object, sourceName: string): Finding[] {
  const { resources, findings } = synthResources(cdkTfJson, sourceName);
  for (const r of resources) {
    findings.push(...r.conversionFindings);
    // A dashboard whose dashboard_json could not be parsed has nothing to validate.
    if (r.kind === 'Dashboard' && r.conversionFindings.some((f) => f.rule.startsWith('tf/dashboard-json'))) continue;
    for (const f of validateApiResource(r.kind, r.api, { allowInterpolation: true })) {
      findings.push({ ...f, path: rebasePath(r.apiRootPath, f.path), resource: r.address, source: sourceName });
    }
  }
  return findings;
}
