/**
 * Builders for the scenario suite: series and log entries in the exact shapes the real stacks read, with every figure
 * taken from the environment config (environments/<env>.ts) and every promise from the catalog (resolveAlerts).
 */
import { resolveAlerts } from '../../catalog/alerts';
import { loadEnvironments, EnvironmentConfig } from '../../environments';
import { loadPolicyFile, PolicySet } from '../../tools/simulate/policies';
import { parseScenario, Scenario } from '../../tools/simulate/scenario';
import { simulateScenario } from '../../tools/simulate/simulate';
import type { PolicyResult, ScenarioResult } from '../../tools/simulate/engine';
import type { LogEntry } from '../../tools/simulate/types';
import { appJsonEntry, appTextEntry, Env, requestLogEntry } from '../support/log-entries';
import { loadStack, stackPath } from '../support/synth';

export type { Env };
export const envConfig = (env: Env): EnvironmentConfig => loadEnvironments([env])[0];

const sets = new Map<string, PolicySet>();
/** The real synthesized stack's policies (jest global setup → SYNTH_DIR). */
export function policySet(env: Env): PolicySet {
  if (!sets.has(env)) sets.set(env, loadPolicyFile(stackPath(env)));
  return sets.get(env)!;
}

export const policyName = (env: Env, alert: string) => `Vividly API (${env}): ${alert}`;

/** The catalog's promised worst-case detection delay of an alert (by its name without the env prefix). */
export function promised(env: Env, alert: string): number {
  const a = resolveAlerts(envConfig(env)).find((x) => x.spec.displayName === alert);
  if (!a) throw new Error(`no alert "${alert}" in the catalog for ${env}`);
  return a.detectionDelaySeconds;
}

export function sloAlertNames(env: Env): string[] {
  return resolveAlerts(envConfig(env)).filter((a) => a.spec.id.startsWith('slo_')).map((a) => a.spec.displayName);
}

export function run(env: Env, spec: Record<string, unknown>, file = `${env}-inline.yaml`): ScenarioResult {
  return simulateScenario(policySet(env), parseScenario(spec, file));
}

export function result(r: ScenarioResult, env: Env, alert: string): PolicyResult {
  const p = r.policies.find((x) => x.displayName === policyName(env, alert));
  if (!p) throw new Error(`no policy "${policyName(env, alert)}" in ${env}: ${r.policies.map((x) => x.displayName).join(', ')}`);
  if (p.error) throw new Error(`policy could not be evaluated: ${p.error}`);
  return p;
}

export const fired = (r: ScenarioResult) => r.policies.filter((p) => p.fired).map((p) => p.displayName);
export const errors = (r: ScenarioResult) => r.policies.filter((p) => p.error).map((p) => p.error);

// ---- series ------------------------------------------------------------------------------------------------------

export const REVISION = (env: Env) => `${env}-vividly-api-00042-abc`;
const runResource = (env: Env, service?: string) => {
  const c = envConfig(env);
  const s = service ?? c.services.api;
  return { type: 'cloud_run_revision', labels: { service_name: s, revision_name: `${s}-00042-abc`, location: c.region, configuration_name: s, project_id: c.projectId } };
};

/** run.googleapis.com/request_count on the API service; `rate` is a generator in requests per second. */
export function requestCount(env: Env, code: number, rate: unknown, extra: Record<string, unknown> = {}) {
  return {
    metric: { type: 'run.googleapis.com/request_count', labels: { response_code: String(code), response_code_class: `${String(code)[0]}xx` } },
    resource: runResource(env),
    kind: 'DELTA',
    valueType: 'INT64',
    value: rate,
    ...extra,
  };
}

/** Uptime checks configured in the synth: resource name, host and the four regions. */
export function uptimeCheck(env: Env, target: 'api' | 'pushWorker') {
  const checks = loadStack(env).resource.google_monitoring_uptime_check_config as Record<string, any>;
  const entry = Object.entries(checks).find(([, b]) => b.user_labels?.target === (target === 'api' ? 'api' : 'push-worker') || (target === 'pushWorker' && /push/i.test(b.display_name)));
  if (!entry) throw new Error(`no ${target} uptime check in ${env}`);
  const [name, body] = entry;
  return { checkId: name, regions: body.selected_regions as string[], host: body.monitored_resource?.labels?.host as string | undefined };
}

/** One checker location per configured region (label values as the uptime metric reports them). */
const LOCATION: Record<string, string> = { USA: 'usa-virginia', USA_IOWA: 'usa-iowa', USA_OREGON: 'usa-oregon', USA_VIRGINIA: 'usa-virginia', EUROPE: 'eur-belgium', SOUTH_AMERICA: 'sa-brazil-sao_paulo', ASIA_PACIFIC: 'apac-singapore' };
export function checkerLocations(env: Env): string[] {
  return uptimeCheck(env, 'api').regions.map((r) => LOCATION[r] ?? r.toLowerCase());
}

/** The uptime checks' own requests: one a minute from each checker location, 200 (they are API requests too). */
export function uptimeTraffic(env: Env) {
  return requestCount(env, 200, checkerLocations(env).length / 60);
}

/** check_passed per checker location for the API's /health (resource uptime_url with the env's host). */
export function apiCheckPassed(env: Env, passed: (location: string) => unknown) {
  const c = envConfig(env);
  const { checkId } = uptimeCheck(env, 'api');
  return checkerLocations(env).map((loc) => ({
    metric: { type: 'monitoring.googleapis.com/uptime_check/check_passed', labels: { check_id: checkId, checker_location: loc } },
    resource: { type: 'uptime_url', labels: { host: c.api.host, project_id: c.projectId } },
    kind: 'GAUGE',
    valueType: 'BOOL',
    value: passed(loc),
  }));
}

/** check_passed of the push worker's check (resource: the worker's Cloud Run revision). */
export function workerCheckPassed(env: Env, passed: unknown) {
  const c = envConfig(env);
  const { checkId } = uptimeCheck(env, 'pushWorker');
  return checkerLocations(env).map((loc) => ({
    metric: { type: 'monitoring.googleapis.com/uptime_check/check_passed', labels: { check_id: checkId, checker_location: loc } },
    resource: runResource(env, c.services.pushWorker),
    kind: 'GAUGE',
    valueType: 'BOOL',
    value: passed,
  }));
}

export function dbBackends(env: Env, value: unknown) {
  const c = envConfig(env);
  return {
    metric: { type: 'cloudsql.googleapis.com/database/postgresql/num_backends', labels: { database: 'vividly' } },
    resource: { type: 'cloudsql_database', labels: { database_id: `${c.projectId}:${c.cloudSql.instance}`, region: c.region, project_id: c.projectId } },
    kind: 'GAUGE',
    valueType: 'INT64',
    value,
  };
}

/** The api_latency log metric's bucket options, as synthesized. */
export function latencyBucketOptions(env: Env) {
  const m = Object.values(loadStack(env).resource.google_logging_metric as Record<string, any>).find((b) => b.name === 'vividly/api_request_latencies');
  const bounds = m.bucket_options.explicit_buckets.bounds as number[];
  return { explicitBuckets: { bounds } };
}

/** The api_latency log metric's DISTRIBUTION series directly (seconds), for runs too long for one entry per request. */
export function latencySeries(env: Env, p50: unknown, p95: unknown, rate: unknown) {
  return {
    metric: { type: 'logging.googleapis.com/user/vividly/api_request_latencies', labels: {} },
    resource: runResource(env),
    kind: 'DELTA',
    valueType: 'DISTRIBUTION',
    latency: { p50, p95, rate, bucketOptions: latencyBucketOptions(env) },
  };
}

/** The env's diurnal traffic (traffic.md shape) × seeded ±20 % noise × share, as a generator. */
export function diurnal(env: Env, share = 1, seed = 1) {
  const t = envConfig(env).traffic;
  return { product: [{ diurnal: { floor: t.floorRps, peak: t.peakRps, tzOffsetHours: t.utcOffsetHours } }, { noise: { pct: 20, seed } }, share] };
}

// ---- log entries -------------------------------------------------------------------------------------------------

/** The form the API prints in that environment: JSON in staging, ANSI text in dev and Terraform-deployed prod. */
export function appLine(env: Env, message: string, level: 'WARNING' | 'ERROR', at: number, logger: string): LogEntry {
  const timestamp = new Date(at);
  if (env === 'staging') return appJsonEntry(env, message, { severity: level, logger, timestamp }) as LogEntry;
  return appTextEntry(env, message, { level, logger, timestamp }) as LogEntry;
}

export function failedLogin(env: Env, at: number, ip: string, status = 401): LogEntry {
  return requestLogEntry(env, { timestamp: new Date(at), method: 'POST', path: '/api/v1/auth/login', status, remoteIp: ip, latencySeconds: 0.12 }) as LogEntry;
}

export function lockoutLine(env: Env, at: number, email: string, proxyIp = '169.254.1.1'): LogEntry {
  // security.py:146-148 (vividly-app.md §2.5): the IP in the line is the proxy's.
  return appLine(env, `Account locked due to 5 failed attempts: ${email} from ${proxyIp}`, 'WARNING', at, 'app.middleware.security');
}

/**
 * `n` failed logins of one IP against one e-mail from `at`, `gap` ms apart; the app locks the account at the 5th
 * failure of an (IP, e-mail) within an hour (security.py:57-148) and prints the lockout line.
 */
export function attack(env: Env, at: number, ip: string, emails: string[], perEmail: number, gapMs: number): LogEntry[] {
  const out: LogEntry[] = [];
  let t = at;
  for (const email of emails) {
    for (let i = 1; i <= perEmail; i++) {
      out.push(failedLogin(env, t, ip));
      if (i === 5) out.push(lockoutLine(env, t + 50, email));
      t += gapMs;
    }
  }
  return out;
}

/** Inverse standard normal CDF (Acklam's rational approximation, |rel err| < 1.2e-9). */
function probit(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549671010243128, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const q = p < 0.5 ? p : 1 - p;
  let x: number;
  if (q < 0.02425) {
    const r = Math.sqrt(-2 * Math.log(q));
    x = (((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5]) / ((((d[0] * r + d[1]) * r + d[2]) * r + d[3]) * r + 1);
    x = -x;
  } else {
    const r = (q - 0.5) * (q - 0.5);
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * (q - 0.5)) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    return p < 0.5 ? x : -x;
  }
  return p < 0.5 ? x : -x;
}

/**
 * Request-log entries for `minutes` minutes from `from`: `perMinute` requests a minute whose latencies are the
 * deterministic quantiles of a lognormal with the given p50 and p95 (seconds), spread evenly over each minute.
 */
export function requestLogs(env: Env, from: number, minutes: number, perMinute: number, p50: (m: number) => number, p95: (m: number) => number): LogEntry[] {
  const out: LogEntry[] = [];
  const paths = ['/api/v1/content/topics', '/api/v1/students/me', '/api/v1/classes', '/health'];
  for (let m = 0; m < minutes; m++) {
    const mu = Math.log(p50(m));
    const sigma = (Math.log(p95(m)) - mu) / 1.6448536269514722;
    for (let i = 0; i < perMinute; i++) {
      const lat = Math.exp(mu + sigma * probit((i + 0.5) / perMinute));
      // interleave quantiles over the minute so every part of it holds fast and slow requests
      const slot = (i * 7919) % perMinute;
      out.push(requestLogEntry(env, { timestamp: new Date(from + m * 60_000 + Math.floor(((slot + 0.5) * 60_000) / perMinute)), path: paths[i % paths.length], latencySeconds: lat, remoteIp: `198.51.100.${(i % 50) + 1}` }) as LogEntry);
    }
  }
  return out;
}

export const MIN = 60_000;
export const at = (iso: string) => Date.parse(iso);
export type { Scenario };
