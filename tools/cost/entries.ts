/**
 * Representative log entries of each kind of traffic, in the formats the app and Cloud Run write
 * (docs/reference/vividly-app.md §2), so the cost estimate can ask the synthesized exclusion filters which of them
 * are dropped from storage, instead of assuming it.
 */
import type { EnvironmentConfig } from '../../environments/schema';
import type { LogEntry } from '../logging-query';

export const UPTIME_UA = 'GoogleStackdriverMonitoring-UptimeChecks(https://cloud.google.com/monitoring)';
const BROWSER_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';

/** JSON app lines only where ENVIRONMENT is `staging` (or `production`); Terraform-deployed dev and prod print text (§2.1). */
export const printsJson = (env: EnvironmentConfig) => env.name === 'staging';

const resource = (env: EnvironmentConfig, service: string) => ({
  type: 'cloud_run_revision',
  labels: { project_id: env.projectId, service_name: service, revision_name: `${service}-00001-abc`, location: env.region, configuration_name: service },
});

export function requestLog(env: EnvironmentConfig, service: string, method: string, path: string, status: number, userAgent = BROWSER_UA): LogEntry {
  return {
    logName: `projects/${env.projectId}/logs/run.googleapis.com%2Frequests`,
    resource: resource(env, service),
    severity: status >= 500 ? 'ERROR' : status >= 400 ? 'WARNING' : 'INFO',
    httpRequest: { requestMethod: method, requestUrl: `https://${env.api.host}${path}`, status, latency: '0.050000s', userAgent, remoteIp: '203.0.113.7' },
  };
}

/** A request-middleware line of the API (`GET /path` or `GET /path - 200`) in the environment's format. */
export function appLine(env: EnvironmentConfig, message: string, fields: Record<string, unknown> = {}): LogEntry {
  const base = { logName: `projects/${env.projectId}/logs/run.googleapis.com%2Fstdout`, resource: resource(env, env.services.api) };
  if (printsJson(env)) {
    return { ...base, severity: 'INFO', jsonPayload: { message, logger: 'app.middleware.logging_middleware', environment: env.name, ...fields } };
  }
  return { ...base, textPayload: `\u001b[32m[INFO]\u001b[0m 2026-11-26 15:00:00 - app.middleware.logging_middleware - ${message} [request_id=r1, correlation_id=r1] (logging_middleware:dispatch:85)` };
}

/** uvicorn's access line (stdout, plain text in every environment). */
export function accessLine(env: EnvironmentConfig, service: string, method: string, path: string, status: number): LogEntry {
  return {
    logName: `projects/${env.projectId}/logs/run.googleapis.com%2Fstdout`,
    resource: resource(env, service),
    textPayload: `INFO:     169.254.1.1:41234 - "${method} ${path} HTTP/1.1" ${status} OK`,
  };
}

/** A push-worker line (`logging.basicConfig` on stderr). */
export function workerLine(env: EnvironmentConfig, message: string): LogEntry {
  return {
    logName: `projects/${env.projectId}/logs/run.googleapis.com%2Fstderr`,
    resource: resource(env, env.services.pushWorker),
    textPayload: `2026-11-26 15:00:00,123 - app.workers.push_worker - INFO - ${message}`,
  };
}
