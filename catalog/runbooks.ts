/**
 * Runbooks are markdown files under runbooks/ with `{{placeholders}}` that the environment fills in; the result
 * is each alert policy's documentation. An unknown placeholder stops synth: a runbook never ships with a hole.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EnvironmentConfig } from '../environments/schema';
import type { ResolvedAlert } from './alerts';
import { projectRoot } from './project-root';
import { signals } from './signals';

const CONSOLE = 'https://console.cloud.google.com';

/** The incident list of the environment's project (runbooks, drills). */
export const incidentsUrl = (env: EnvironmentConfig): string => `${CONSOLE}/monitoring/alerting/incidents?project=${env.projectId}`;

export function logsExplorerUrl(env: EnvironmentConfig, query: string): string {
  return `${CONSOLE}/logs/query;query=${encodeURIComponent(query)};duration=PT1H?project=${env.projectId}`;
}

/** The routing of a severity, in words, for the runbook's escalation section. */
export function describeRouting(env: EnvironmentConfig, alert: ResolvedAlert): string {
  const kinds = env.routing[alert.spec.severity];
  if (!kinds.length) return `nobody is notified in ${env.name} (no channel is routed for ${alert.spec.severity}); the incident still opens`;
  return kinds.map((k) => (k === 'email' ? `e-mail to ${alert.spec.team}` : k === 'pagerduty' ? 'PagerDuty page' : 'Slack')).join(' + ');
}

export function runbookVariables(env: EnvironmentConfig, alert: ResolvedAlert, dashboardTitle: string): Record<string, string> {
  const p = alert.params;
  const vars: Record<string, string> = {
    env: env.name,
    projectId: env.projectId,
    region: env.region,
    apiService: env.services.api,
    workerService: env.services.pushWorker,
    apiHost: env.api.host,
    healthPath: env.api.healthPath,
    dbInstance: env.cloudSql.instance,
    maxConnections: String(env.cloudSql.maxConnections),
    subscription: env.pubsub.subscription,
    displayName: alert.spec.displayName,
    severity: alert.spec.severity,
    team: alert.spec.team,
    firesWhen: alert.spec.firesWhen,
    threshold: String(p.threshold),
    thresholdPercent: `${+(p.threshold * 100).toFixed(2)} %`,
    thresholdPerSecond: String(+(p.threshold / p.windowSeconds).toFixed(1)),
    windowMinutes: String(p.windowSeconds / 60),
    durationMinutes: String(p.durationSeconds / 60),
    minRequests: String(p.minRequests ?? ''),
    detectionMinutes: String(Math.ceil(alert.detectionDelaySeconds / 60)),
    routing: describeRouting(env, alert),
    conditions: alert.conditions.map((c) => `- ${c.displayName}`).join('\n'),
    dashboard: dashboardTitle,
    incidentsUrl: incidentsUrl(env),
    metricsExplorerUrl: `${CONSOLE}/monitoring/metrics-explorer?project=${env.projectId}`,
    apiRevisionsUrl: `${CONSOLE}/run/detail/${env.region}/${env.services.api}/revisions?project=${env.projectId}`,
    workerRevisionsUrl: `${CONSOLE}/run/detail/${env.region}/${env.services.pushWorker}/revisions?project=${env.projectId}`,
    dbUrl: `${CONSOLE}/sql/instances/${env.cloudSql.instance}/overview?project=${env.projectId}`,
    drill: `npm run drill -- --env staging --alert "${alert.spec.displayName}"`,
  };
  for (const signal of signals) {
    vars[`metricFilter.${signal.id}`] = signal.filter(env);
    if (signal.logMetric) {
      const query = signal.logMetric.filter(env);
      vars[`logQuery.${signal.id}`] = query;
      vars[`logsUrl.${signal.id}`] = logsExplorerUrl(env, query);
    }
  }
  // Handy queries that are not metrics.
  const api = `resource.type="cloud_run_revision" AND resource.labels.service_name="${env.services.api}"`;
  vars['logsUrl.apiErrors'] = logsExplorerUrl(env, `${api} AND (severity>=ERROR OR httpRequest.status>=500)`);
  vars['logsUrl.api429'] = logsExplorerUrl(env, `${api} AND httpRequest.status=429`);
  vars['logsUrl.apiSlow'] = logsExplorerUrl(env, `${api} AND httpRequest.latency>="2s"`);
  vars['logsUrl.apiHealth'] = logsExplorerUrl(env, `${api} AND httpRequest.requestUrl=~"${env.api.healthPath}$"`);
  return vars;
}

export function renderTemplate(source: string, template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g, (_, key: string) => {
    if (!(key in vars)) throw new Error(`${source}: unknown placeholder {{${key}}}`);
    return vars[key];
  });
}

export function runbookPath(alert: ResolvedAlert): string {
  return path.join(projectRoot(), 'runbooks', alert.spec.runbook);
}

export function renderRunbook(env: EnvironmentConfig, alert: ResolvedAlert, dashboardTitle: string): string {
  const file = runbookPath(alert);
  const template = fs.readFileSync(file, 'utf8');
  return renderTemplate(`runbooks/${alert.spec.runbook}`, template, runbookVariables(env, alert, dashboardTitle)).trim() + '\n';
}
