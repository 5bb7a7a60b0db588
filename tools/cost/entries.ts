/**
 * Representative log entries of each kind of traffic, so the cost estimate can ask the synthesized exclusion filters
 * which of them are dropped from storage, instead of assuming it. Built with the project's real-format builders
 * (tools/shared/log-entries.ts), in each environment's own form (JSON or text), for the environment's project and host.
 */
import { UPTIME_CHECKER_USER_AGENT } from '../../catalog/signals';
import type { EnvironmentConfig } from '../../environments/schema';
import { APP_LOG_FORMAT, appJsonEntry, appTextEntry, containerLine, requestLogEntry, workerEntry } from '../shared/log-entries';
import type { LogEntry } from '../../gcp/logging-query';

export const UPTIME_UA = UPTIME_CHECKER_USER_AGENT;

const where = (env: EnvironmentConfig, service: string) => ({ projectId: env.projectId, location: env.region, service });

export function requestLog(env: EnvironmentConfig, service: string, method: string, path: string, status: number, userAgent?: string): LogEntry {
  return requestLogEntry(env.name, {
    ...where(env, service),
    method,
    path,
    status,
    userAgent,
    host: env.api.host,
    latencySeconds: 0.05,
    remoteIp: '203.0.113.7',
  });
}

/** A request-middleware line of the API (`GET /path` or `GET /path - 200`) in the environment's format. */
export function appLine(env: EnvironmentConfig, message: string, fields: Record<string, unknown> = {}): LogEntry {
  const o = { ...where(env, env.services.api), logger: 'app.middleware.logging_middleware' };
  return APP_LOG_FORMAT[env.name] === 'json' ? appJsonEntry(env.name, message, { ...o, fields }) : appTextEntry(env.name, message, { ...o, requestId: 'r1' });
}

/** uvicorn's access line (stdout, plain text in every environment). */
export function accessLine(env: EnvironmentConfig, service: string, method: string, path: string, status: number): LogEntry {
  return containerLine(env.name, 'stdout', `INFO:     169.254.1.1:41234 - "${method} ${path} HTTP/1.1" ${status} OK`, where(env, service));
}

/** A push-worker line (`logging.basicConfig` on stderr). */
export function workerLine(env: EnvironmentConfig, message: string): LogEntry {
  return workerEntry(env.name, message, 'INFO', where(env, env.services.pushWorker));
}
