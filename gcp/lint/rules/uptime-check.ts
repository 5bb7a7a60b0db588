/** Uptime checks (gcp-facts §4). */
import { CLOUD_RUN_SERVER_LABELS } from '../../facts/builtin-metrics';
import { parseDurationSeconds } from '../../schema/validate';
import { indexPath, isInterpolation } from '../../schema/types';
import { arr, obj, str, utf8Bytes, type LintRule, type Obj, type StackRule } from '../rule';

/**
 * Locations per selected region, for the "minimum of 3 locations" rule (gcp-facts §4.1). UNCONFIRMED: the per-region
 * location count is not documented; USA is taken as its 3 locations (Oregon, Iowa, Virginia), every other region as 1.
 */
const REGION_LOCATIONS: Readonly<Record<string, readonly string[]>> = {
  USA: ['USA_OREGON', 'USA_IOWA', 'USA_VIRGINIA'],
  USA_OREGON: ['USA_OREGON'],
  USA_IOWA: ['USA_IOWA'],
  USA_VIRGINIA: ['USA_VIRGINIA'],
  EUROPE: ['EUROPE'],
  SOUTH_AMERICA: ['SOUTH_AMERICA'],
  ASIA_PACIFIC: ['ASIA_PACIFIC'],
};

const MONITORED_RESOURCE_TYPES = [
  'uptime_url',
  'gce_instance',
  'gae_app',
  'aws_ec2_instance',
  'aws_elb_load_balancer',
  'k8s_service',
  'servicedirectory_service',
  'cloud_run_revision',
];

const KIND = ['UptimeCheckConfig'] as const;
const rule = (r: Omit<LintRule, 'kinds'>): LintRule => ({ ...r, kinds: KIND });
const http = (u: Obj) => obj(u.httpCheck);

export const uptimeCheckRules: LintRule[] = [
  rule({
    id: 'uptime/display-name',
    severity: 'error',
    source: 'gcp-facts §4.1',
    summary: 'displayName is required',
    check(u, report) {
      if (!str(u.displayName)) report('$.displayName', 'displayName is required (gcp-facts §4.1)');
    },
  }),
  rule({
    id: 'uptime/period',
    severity: 'error',
    source: 'gcp-facts §4.1',
    summary: 'period is 60s, 300s, 600s or 900s',
    check(u, report) {
      if (u.period === undefined || isInterpolation(u.period)) return;
      const s = parseDurationSeconds(u.period);
      if (s !== null && ![60, 300, 600, 900].includes(s))
        report('$.period', `period ${String(u.period)} must be one of 60s, 300s, 600s, 900s (gcp-facts §4.1)`);
    },
  }),
  rule({
    id: 'uptime/timeout',
    severity: 'error',
    source: 'gcp-facts §4.1',
    summary: 'timeout is required, 1 to 60 s',
    check(u, report) {
      if (u.timeout === undefined) return report('$.timeout', 'timeout is required (gcp-facts §4.1)');
      const s = parseDurationSeconds(u.timeout);
      if (s !== null && (s < 1 || s > 60)) report('$.timeout', `timeout ${String(u.timeout)} must be 1 to 60 s (gcp-facts §4.1)`);
    },
  }),
  rule({
    id: 'uptime/selected-regions',
    severity: 'error',
    source: 'gcp-facts §4.1',
    summary: 'selectedRegions is empty or covers at least 3 locations',
    check(u, report) {
      const regions = arr(u.selectedRegions).filter((r): r is string => typeof r === 'string');
      if (regions.length === 0) return;
      const locations = new Set(regions.flatMap((r) => REGION_LOCATIONS[r] ?? []));
      if (locations.size < 3) {
        report(
          '$.selectedRegions',
          `selectedRegions cover ${locations.size} location(s); omit the field or select regions covering at least 3 locations (gcp-facts §4.1; USA counted as 3 locations, others as 1 — UNCONFIRMED)`,
        );
      }
    },
  }),
  rule({
    id: 'uptime/target',
    severity: 'error',
    source: 'gcp-facts §4.1',
    summary: 'one of monitoredResource, resourceGroup, syntheticMonitor',
    check(u, report) {
      if (!['monitoredResource', 'resourceGroup', 'syntheticMonitor'].some((k) => u[k] !== undefined))
        report('$', 'one of monitoredResource, resourceGroup, syntheticMonitor is required (gcp-facts §4.1)');
    },
  }),
  rule({
    id: 'uptime/monitored-resource',
    severity: 'error',
    source: 'gcp-facts §4.1',
    summary: 'a supported monitored-resource type; an uptime_url host without scheme, port or path',
    check(u, report) {
      const mr = obj(u.monitoredResource);
      if (!mr) return;
      const t = str(mr.type);
      if (t !== undefined && !MONITORED_RESOURCE_TYPES.includes(t))
        report('$.monitoredResource.type', `monitoredResource.type "${t}" must be one of ${MONITORED_RESOURCE_TYPES.join(', ')} (gcp-facts §4.1)`);
      const host = str(obj(mr.labels)?.host);
      if (t === 'uptime_url' && host !== undefined && !isInterpolation(host) && /[/:]/.test(host)) {
        report('$.monitoredResource.labels.host', `host "${host}" must be a hostname without scheme, port or path (gcp-facts §4.1)`);
      }
    },
  }),
  rule({
    id: 'uptime/checker-type',
    severity: 'error',
    source: 'gcp-facts §4.1',
    summary: 'VPC_CHECKERS needs a servicedirectory_service resource',
    check(u, report) {
      if (u.checkerType === 'VPC_CHECKERS' && str(obj(u.monitoredResource)?.type) !== 'servicedirectory_service') {
        report('$.checkerType', 'VPC_CHECKERS requires a servicedirectory_service monitored resource (gcp-facts §4.1)');
      }
    },
  }),
  rule({
    id: 'uptime/check-type',
    severity: 'error',
    source: 'gcp-facts §4.1',
    summary: 'one of httpCheck or tcpCheck',
    check(u, report) {
      if (u.httpCheck === undefined && u.tcpCheck === undefined && u.syntheticMonitor === undefined)
        report('$', 'one of httpCheck or tcpCheck is required (gcp-facts §4.1)');
    },
  }),
  rule({
    id: 'uptime/http-method',
    severity: 'error',
    source: 'gcp-facts §4.1',
    summary: 'GET checks have no contentType or body; POST checks set contentType and no Content-Type header',
    check(u, report) {
      const h = http(u);
      if (!h) return;
      const method = str(h.requestMethod) ?? 'GET';
      if (method === 'GET' || method === 'METHOD_UNSPECIFIED') {
        if (h.contentType !== undefined && h.contentType !== 'TYPE_UNSPECIFIED')
          report('$.httpCheck.contentType', 'GET checks must not set contentType (gcp-facts §4.1)');
        if (h.body !== undefined) report('$.httpCheck.body', 'body is only for POST checks (gcp-facts §4.1)');
      } else if (method === 'POST') {
        if (h.contentType === undefined || h.contentType === 'TYPE_UNSPECIFIED')
          report('$.httpCheck.contentType', 'POST checks must set contentType (gcp-facts §4.1)');
        if (Object.keys(obj(h.headers) ?? {}).some((k) => k.toLowerCase() === 'content-type'))
          report('$.httpCheck.headers', 'POST checks must not set a Content-Type header (gcp-facts §4.1)');
      }
    },
  }),
  rule({
    id: 'uptime/headers',
    severity: 'error',
    source: 'gcp-facts §4.1',
    summary: 'at most 100 headers',
    check(u, report) {
      const n = Object.keys(obj(http(u)?.headers) ?? {}).length;
      if (n > 100) report('$.httpCheck.headers', `${n} headers; at most 100 (gcp-facts §4.1)`);
    },
  }),
  rule({
    id: 'uptime/pings-count',
    severity: 'error',
    source: 'gcp-facts §4.1',
    summary: 'pingsCount is at most 3',
    check(u, report) {
      const pc = obj(http(u)?.pingConfig)?.pingsCount;
      if (typeof pc === 'number' && pc > 3) report('$.httpCheck.pingConfig.pingsCount', 'pingsCount must be <= 3 (gcp-facts §4.1)');
    },
  }),
  rule({
    id: 'uptime/tcp-port',
    severity: 'error',
    source: 'gcp-facts §4.1',
    summary: 'a TCP check has a port',
    check(u, report) {
      const tcp = obj(u.tcpCheck);
      if (tcp && tcp.port === undefined) report('$.tcpCheck.port', 'tcpCheck.port is required (gcp-facts §4.1)');
    },
  }),
  rule({
    id: 'uptime/content-matchers',
    severity: 'error',
    severityNote: 'warning when more than one matcher is given (only the first is used)',
    source: 'gcp-facts §4.1',
    summary: 'one content matcher, content ≤ 1,024 bytes, JSON_PATH matchers carry jsonPathMatcher',
    check(u, report) {
      const matchers = arr(u.contentMatchers);
      if (matchers.length > 1) report('$.contentMatchers', 'only the first content matcher is used (gcp-facts §4.1)', 'warning');
      matchers.forEach((m, i) => {
        const mp = indexPath('$.contentMatchers', i);
        const mo = obj(m) ?? {};
        const content = str(mo.content);
        if (content !== undefined && utf8Bytes(content) > 1024) report(`${mp}.content`, 'content longer than 1,024 bytes (gcp-facts §4.1)');
        if (/JSON_PATH/.test(String(mo.matcher)) && !obj(mo.jsonPathMatcher))
          report(`${mp}.jsonPathMatcher`, `${String(mo.matcher)} needs jsonPathMatcher (gcp-facts §4.1)`);
      });
    },
  }),
];

/** Rules on the Terraform body of an uptime check (its lifecycle block has no API form). */
export const uptimeCheckStackRules: StackRule[] = [
  {
    id: 'uptime/cloud-run-server-labels',
    severity: 'error',
    source: 'gcp-facts §10 (hashicorp/terraform-provider-google#19733)',
    summary: 'a cloud_run_revision check leaves configuration_name and revision_name out and ignores them (else every apply replaces it)',
    check(stack, report) {
      for (const r of stack.resources) {
        if (r.kind !== 'UptimeCheckConfig') continue;
        const mr = obj(r.tfBody.monitored_resource) ?? obj(arr(r.tfBody.monitored_resource)[0]);
        if (str(mr?.type) !== 'cloud_run_revision') continue;
        const labels = obj(mr?.labels) ?? {};
        const ignore = obj(r.tfBody.lifecycle)?.ignore_changes;
        const forms = (key: string) => [
          'monitored_resource',
          'monitored_resource[0]',
          'monitored_resource[0].labels',
          `monitored_resource[0].labels["${key}"]`,
          `monitored_resource[0].labels.${key}`,
        ];
        const ignored = (key: string) => ignore === 'all' || arr(ignore).some((x) => typeof x === 'string' && forms(key).includes(x.replace(/\s+/g, '')));
        for (const key of CLOUD_RUN_SERVER_LABELS) {
          if (key in labels) {
            report(
              r.address,
              `$.monitored_resource.labels.${key}`,
              `${key} is filled in by the API: written as "" the create fails with 404, written as a revision it goes stale on the next deploy; leave it out and ignore it (gcp-facts §10, terraform-provider-google#19733)`,
            );
          } else if (!ignored(key)) {
            report(
              r.address,
              '$.lifecycle.ignore_changes',
              `a cloud_run_revision uptime check must ignore monitored_resource[0].labels["${key}"]: the API fills it in, and the diff replaces the check on every apply (gcp-facts §10, terraform-provider-google#19733)`,
            );
          }
        }
      }
    },
  },
];
