/**
 * Cost controls: `google_logging_project_exclusion`s that keep noise out of log storage (the `_Default` sink), per the
 * environment's `logExclusions` flags.
 *
 * User-defined log-based metrics still count excluded entries (gcp-facts §3.6), so an exclusion never breaks a metric.
 * But every log metric of the catalog is one whose entries a human must be able to read back (the runbooks send people
 * to Logs Explorer), so no exclusion may overlap one. That is guaranteed by construction: each exclusion's filter is
 * its target AND NOT (the filter of every catalog log metric on the same services). Where a target and a metric
 * overlap, the metric wins and the entries stay stored (for example the API's request logs of `/health`, which
 * `vividly/api_request_latencies` counts: only its app-log lines are excluded).
 */
import { LoggingProjectExclusion } from '@cdktf/provider-google/lib/logging-project-exclusion';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environments/schema';
import { DEV_FORMATTER_PREFIX } from '../catalog/filters';
import { logMetricSignals, STATIC_ASSET_PATHS, UPTIME_CHECKER_AGENT } from '../catalog/signals';
import { mayMatchFieldValue, parseFilter, UnsupportedFilterError, type Filter } from '../gcp/logging-query';
import { named, NamingStrategy } from './naming';

export type ExclusionId = keyof EnvironmentConfig['logExclusions'];

const SERVICE_NAME = ['resource', 'labels', 'service_name'];

export interface ExclusionSpec {
  id: ExclusionId;
  /** The exclusion's name in the project (letters, digits, `_`, `-`, `.`; at most 100 characters). */
  name: string;
  description: string;
  /** What the exclusion aims at, before the log-metric guard. */
  target: string;
  /** The deployed filter: target AND NOT (each log metric on the same services). */
  filter: string;
  /** Names of the log metrics the guard protects. */
  guardedMetrics: string[];
}

/** A regex-safe path (the schema allows `[A-Za-z0-9/_.-]`; only `.` is special). */
const pathRegex = (path: string) => path.replace(/\./g, '[.]');
const any = (terms: string[]) => (terms.length === 1 ? terms[0] : `(${terms.join(' OR ')})`);
const requestLog = (env: EnvironmentConfig) => `logName="projects/${env.projectId}/logs/run.googleapis.com%2Frequests"`;
const servicesOf = (env: EnvironmentConfig, which: Array<'api' | 'pushWorker'>) => which.map((w) => env.services[w]);
const scope = (services: string[]) => `resource.type="cloud_run_revision" AND ${any(services.map((s) => `resource.labels.service_name="${s}"`))}`;

/** The app's request-middleware lines for a path regex (`GET <path>` and `GET <path> - <status>`), JSON and text forms. */
function appRequestLines(paths: string, statusClass: string): string[] {
  const message = `GET ${paths}( - ${statusClass}[0-9][0-9])?`;
  return [
    `jsonPayload.message=~"^${message}$"`,
    // Text form: the message is followed by ` [request_id=…]` and/or ` (module:function:line)`.
    `textPayload=~"${DEV_FORMATTER_PREFIX}${message}( [[(]|$)"`,
    // uvicorn's access line: `INFO:     1.2.3.4:5678 - "GET /health HTTP/1.1" 200 OK`.
    `textPayload=~"^INFO: +[^ ]+ - .GET ${paths} HTTP/[0-9.]+. ${statusClass}[0-9][0-9]( |$)"`,
  ];
}

function targets(env: EnvironmentConfig): Array<Omit<ExclusionSpec, 'filter' | 'guardedMetrics'> & { services: string[] }> {
  const both = servicesOf(env, ['api', 'pushWorker']);
  const healthPaths = [...new Set([env.api.healthPath, '/health'])].map(pathRegex);
  const health = healthPaths.length === 1 ? healthPaths[0] : `(${healthPaths.join('|')})`;
  return [
    {
      id: 'uptimeCheckRequests',
      name: 'vividly-uptime-check-requests',
      description: `Successful request logs and the app's start lines of Cloud Monitoring's own uptime probes (user agent ${UPTIME_CHECKER_AGENT}). Uptime results are in monitoring/uptime_check metrics; a failed probe's request log stays stored for the Service Down runbook.`,
      services: both,
      target: `${scope(both)} AND ((${requestLog(env)} AND httpRequest.userAgent:"${UPTIME_CHECKER_AGENT}" AND httpRequest.status<400) OR jsonPayload.user_agent:"${UPTIME_CHECKER_AGENT}")`,
    },
    {
      id: 'successfulHealthChecks',
      name: 'vividly-successful-health-checks',
      description: `Successful health checks (status below 400) of ${health}: request logs and the app's own GET lines. Failures stay stored.`,
      services: both,
      target: `${scope(both)} AND ((${requestLog(env)} AND httpRequest.requestUrl=~"^https?://[^/]+${health}([?#].*)?$" AND httpRequest.status<400) OR ${any(appRequestLines(health, '[123]'))})`,
    },
    {
      id: 'staticAssetRequests',
      name: 'vividly-static-asset-requests',
      description: 'Static asset requests to the API (favicon, robots.txt, /static/, API docs assets) below status 500. Server errors stay stored.',
      services: servicesOf(env, ['api']),
      target: `${scope(servicesOf(env, ['api']))} AND ((${requestLog(env)} AND httpRequest.requestUrl=~"^https?://[^/]+${STATIC_ASSET_PATHS}([?#].*)?$" AND httpRequest.status<500) OR ${any(appRequestLines(STATIC_ASSET_PATHS, '[1-4]'))})`,
    },
  ];
}

/**
 * The log metrics that may count entries of any of the services (read from each filter's parsed tree: a filter that
 * pins resource.labels.service_name to other services only is left out; one the offline evaluator cannot read is
 * kept); an exclusion on those services guards them.
 */
export function logMetricsOn<M extends { filter: string }>(services: string[], metrics: M[]): M[] {
  return metrics.filter((m) => {
    let filter: Filter;
    try {
      filter = parseFilter(m.filter);
    } catch (e) {
      // The offline evaluator does not implement some valid functions (sample(), SEARCH(), …): Logging deploys them, so
      // the metric is guarded, the conservative answer, rather than the synth failing on the evaluator's limits. A
      // mistake in the filter (unbalanced parentheses, a bad RE2) still stops the synth here, not at deploy.
      if (e instanceof UnsupportedFilterError) return true;
      throw e;
    }
    return services.some((svc) => mayMatchFieldValue(filter, SERVICE_NAME, svc));
  });
}

/** The exclusions an environment enables, with their guarded filters. */
export function exclusionSpecs(env: EnvironmentConfig): ExclusionSpec[] {
  return targets(env)
    .filter((t) => env.logExclusions[t.id])
    .map(({ services, ...t }) => {
      const guards = logMetricsOn(
        services,
        logMetricSignals().map((s) => ({ name: s.logMetric!.name, filter: s.logMetric!.filter(env) })),
      );
      const filter = [`(${t.target})`, ...guards.map((g) => `NOT (${g.filter})`)].join(' AND ');
      if (filter.length > 20000) throw new Error(`log exclusion ${t.name}: filter is ${filter.length} characters, over the 20,000 limit (gcp-facts §3.7)`);
      return { ...t, filter, guardedMetrics: guards.map((g) => g.name) };
    });
}

export class LogExclusions extends Construct {
  readonly exclusions: LoggingProjectExclusion[] = [];

  constructor(scope: Construct, id: string, env: EnvironmentConfig, naming: NamingStrategy) {
    super(scope, id);
    for (const spec of exclusionSpecs(env)) {
      this.exclusions.push(
        named(
          new LoggingProjectExclusion(this, spec.id, {
            project: env.projectId,
            name: spec.name,
            description: spec.description,
            filter: spec.filter,
          }),
          naming.resourceName('log_exclusion', spec.id),
        ),
      );
    }
  }
}
