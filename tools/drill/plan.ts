/**
 * Fire-drill plans: for every alert of an environment, either the exact Cloud Logging entries that make it fire (alerts
 * fed by log-based metrics) or the documented safe procedure that provokes it (alerts fed by built-in metrics).
 *
 * Entries are the lines the app and Cloud Run really print in THAT environment (tools/shared/log-entries.ts, the same
 * builders the signal tests use), marked as drills (`labels.drill = "true"`, client IPs from TEST-NET-3 203.0.113.0/24,
 * e-mails at example.com) and sized from the environment's resolved thresholds (catalog/alerts.ts), never hard-coded.
 */
import { resolveAlerts, type ResolvedAlert } from '../../catalog/alerts';
import type { SignalId } from '../../catalog/ids';
import { FAILURES_PER_LOCKOUT, signalById } from '../../catalog/signals';
import { sloSettings } from '../../catalog/slos';
import { isSloCondition, type MetricCondition, type SloBurnRateCondition } from '../../catalog/types';
import type { EnvironmentConfig } from '../../environments/schema';
import type { LogEntry } from '../../gcp/logging-query/types';
import { APP_LOG_FORMAT, appJsonEntry, appTextEntry, requestLogEntry, runAppHost, type BaseOptions, type PythonLevel } from '../shared/log-entries';
export { APP_LOG_FORMAT };

/** The statement every plan that writes to the request log carries (docs/verify-in-staging.md repeats it). */
export const REQUEST_LOG_CAVEAT =
  '[UNVERIFIED] that Cloud Logging accepts API writes to the Cloud Run log name run.googleapis.com/requests with an httpRequest field (and a resource of type cloud_run_revision from a caller that is not Cloud Run), and that log-based metrics count them like platform-written entries; if the write is rejected the drill says which log and why.';

/** The app's limits the procedures depend on (vividly-app.md §5, §1.2). */
const LOGIN_LIMIT_PER_MINUTE = 10; // RateLimitMiddleware: login 10 / 60 s per (client IP, path) per process (security.py:164-168)
const UVICORN_WORKERS = 4; // `uvicorn --workers 4` (backend/Dockerfile): four in-memory limiters per instance
const DRILL_USER_AGENT = 'vividly-drill/1.0';

export interface Wave {
  /** Seconds after the drill start at which the wave is written (0 = at once). */
  offsetSeconds: number;
  entries: LogEntry[];
}

/** One step: words to read, or a command to run (shell, copy-paste ready). */
export type ProcedureStep = { say: string; command?: undefined } | { command: string; say?: undefined };

export interface Procedure {
  summary: string;
  steps: ProcedureStep[];
  /** How long to watch for the incident after the provoking step starts (the alert's detection delay). */
  waitSeconds: number;
  cleanup: ProcedureStep[];
  /** Other alerts this procedure can open too, and when. */
  alsoFires: string[];
}

export interface DrillPlan {
  alertId: string;
  displayName: string;
  severity: string;
  team: string;
  kind: 'entries' | 'procedure' | 'entries+procedure';
  /** Promised by the catalog (`detectionDelaySeconds`), measured from the first write / the provoking step. */
  detectionDelaySeconds: number;
  /** The log-based metrics (signal ids) the entries are meant to feed. */
  signals: SignalId[];
  waves: Wave[];
  entryCount: number;
  /** How the entries are paced when written (absent: one burst). */
  pacing?: string;
  /** Why these counts: thresholds read from the resolved alert. */
  sizing: string[];
  procedure?: Procedure;
  caveats: string[];
}

export interface PlanOptions {
  /** The drill's start (injectable for tests); entries of the first wave are timestamped up to it. */
  now: Date;
  /** Distinguishes runs in insertIds and `labels.drill_run`; default derived from `now`. */
  runId?: string;
}

// ---- sizing helpers ----------------------------------------------------------------------------------------------

/** The smallest count above a GT threshold, plus a margin (25 %, at least 2). */
export function crossing(threshold: number): number {
  return Math.floor(threshold) + 1 + Math.max(2, Math.ceil(threshold * 0.25));
}

function conditionOf(alert: ResolvedAlert, signal: string): MetricCondition {
  const c = alert.conditions.find((x): x is MetricCondition => !isSloCondition(x) && x.query.signal === signal);
  if (!c) throw new Error(`drill: alert "${alert.spec.displayName}" has no condition on signal "${signal}"`);
  return c;
}

const minutes = (s: number) => `${+(s / 60).toFixed(1)} min`;
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

// ---- entry construction ------------------------------------------------------------------------------------------

class EntryFactory {
  private seq = 0;
  readonly format: 'json' | 'text';
  private readonly base: BaseOptions;
  constructor(
    readonly env: EnvironmentConfig,
    readonly alertId: string,
    readonly runId: string,
  ) {
    this.format = APP_LOG_FORMAT[env.name];
    this.base = { projectId: env.projectId, location: env.region, service: env.services.api, revision: `${env.services.api}-drill` };
  }

  /** Drill marks: recognisable labels, a unique insertId, and no platform-only fields (receive time, trace). */
  private mark(entry: LogEntry): LogEntry {
    const { receiveTimestamp: _r, trace: _t, spanId: _s, ...rest } = entry;
    void _r;
    void _t;
    void _s;
    this.seq += 1;
    return {
      ...rest,
      insertId: `drill-${this.runId}-${this.alertId}-${String(this.seq).padStart(5, '0')}`,
      labels: { drill: 'true', drill_alert: this.alertId, drill_run: this.runId },
    };
  }

  /** An API app line in the environment's own format (JSON message or ANSI text). */
  app(at: Date, message: string, o: { level: PythonLevel; logger: string; function: string; line: number; requestId?: string }): LogEntry {
    const common = { ...this.base, timestamp: at, logger: o.logger, function: o.function, line: o.line, requestId: o.requestId };
    return this.mark(
      this.format === 'json'
        ? appJsonEntry(this.env.name, message, { ...common, severity: o.level })
        : appTextEntry(this.env.name, message, { ...common, level: o.level }),
    );
  }

  request(at: Date, o: { method: string; path: string; status: number; latencySeconds: number; remoteIp: string }): LogEntry {
    return this.mark(
      requestLogEntry(this.env.name, { ...this.base, timestamp: at, host: this.apiHost(), userAgent: `${DRILL_USER_AGENT} (${this.alertId})`, ...o }),
    );
  }

  apiHost(): string {
    return this.env.api.host;
  }
}

/** Timestamps for a burst of n entries ending at `end`, `spacingMs` apart (writes cannot be dated in the future). */
function burst(end: Date, n: number, spacingMs: number): Date[] {
  return Array.from({ length: n }, (_, i) => new Date(end.getTime() - (n - 1 - i) * spacingMs));
}

function requestId(runId: string, n: number): string {
  const hex = (runId.replace(/[^0-9a-f]/g, '') + n.toString(16)).padStart(32, '0').slice(-32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}

// ---- per-alert plans ---------------------------------------------------------------------------------------------

type Planner = (
  alert: ResolvedAlert,
  env: EnvironmentConfig,
  o: Required<PlanOptions>,
) => Omit<DrillPlan, 'alertId' | 'displayName' | 'severity' | 'team' | 'detectionDelaySeconds' | 'entryCount'>;

/** Brute force: one TEST-NET client IP failing logins for several accounts, and the app's lockout line after each fifth. */
const bruteForce: Planner = (alert, env, o) => {
  const lockoutCond = conditionOf(alert, 'lockouts');
  const ipCond = conditionOf(alert, 'auth_rejections_by_ip');
  const lockouts = crossing(lockoutCond.threshold);
  const failuresNeeded = crossing(ipCond.threshold);
  const accounts = Math.max(lockouts, Math.ceil(failuresNeeded / FAILURES_PER_LOCKOUT));
  const f = new EntryFactory(env, alert.spec.id, o.runId);
  const remoteIp = '203.0.113.66';
  const total = accounts * (FAILURES_PER_LOCKOUT + 1);
  const times = burst(o.now, total, 200);
  const entries: LogEntry[] = [];
  let k = 0;
  for (let a = 1; a <= accounts; a++) {
    const email = `drill-brute-${a}@example.com`;
    for (let i = 0; i < FAILURES_PER_LOCKOUT; i++)
      entries.push(f.request(times[k++], { method: 'POST', path: '/api/v1/auth/login', status: 401, latencySeconds: 0.31, remoteIp }));
    // security.py:146-148: written after the fifth 401, without request_id; the IP is the proxy's (vividly-app.md §2.6, invented value).
    entries.push(
      f.app(times[k++], `Account locked due to ${FAILURES_PER_LOCKOUT} failed attempts: ${email} from 169.254.1.1`, {
        level: 'WARNING',
        logger: 'app.middleware.security',
        function: '_record_failed_attempt',
        line: 146,
      }),
    );
  }
  return {
    kind: 'entries',
    signals: ['auth_rejections_by_ip', 'lockouts', 'tracked_route_requests'],
    waves: [{ offsetSeconds: 0, entries }],
    sizing: [
      `${accounts} lockouts (condition: more than ${lockoutCond.threshold} in ${minutes(lockoutCond.alignmentSeconds)}), one per drill account after ${FAILURES_PER_LOCKOUT} failures (security.py:57-148)`,
      `${accounts * FAILURES_PER_LOCKOUT} failed logins (401, POST /api/v1/auth/login) from ${remoteIp} (condition: at least ${ipCond.threshold + 1} from one IP)`,
      `stays below Authentication Failures Spike: ${accounts * FAILURES_PER_LOCKOUT} failed logins, far under its threshold`,
    ],
    caveats: [REQUEST_LOG_CAVEAT],
  };
};

/** Failed logins spread over many TEST-NET IPs (at most 4 each, so no single IP looks like brute force, and no lockout lines). */
const authSpike: Planner = (alert, env, o) => {
  const cond = conditionOf(alert, 'tracked_route_requests');
  const n = crossing(cond.threshold);
  const perIp = 4;
  const f = new EntryFactory(env, alert.spec.id, o.runId);
  const entries = burst(o.now, n, 100).map((t, i) =>
    f.request(t, { method: 'POST', path: '/api/v1/auth/login', status: 401, latencySeconds: 0.29, remoteIp: `203.0.113.${100 + Math.floor(i / perIp)}` }),
  );
  const ips = Math.ceil(n / perIp);
  if (100 + ips > 254) throw new Error(`drill: ${n} failed logins need more than the 155 TEST-NET addresses 203.0.113.100-254 at ${perIp} each`);
  return {
    kind: 'entries',
    signals: ['tracked_route_requests', 'auth_rejections_by_ip'],
    waves: [{ offsetSeconds: 0, entries }],
    sizing: [
      `${n} failed logins (401, POST /api/v1/auth/login) within seconds (condition: more than ${cond.threshold} in ${minutes(cond.alignmentSeconds)})`,
      `from ${ips} addresses 203.0.113.100-${100 + ips - 1}, at most ${perIp} each: no IP reaches Brute Force Attack's per-IP count, and no lockout lines are written`,
    ],
    caveats: [REQUEST_LOG_CAVEAT],
  };
};

/** The app's QueuePool line (main.py:117); the num_backends half is a procedure. */
const dbConnections: Planner = (alert, env, o) => {
  const cond = conditionOf(alert, 'db_connection_errors');
  const backends = conditionOf(alert, 'db_connections');
  const n = crossing(cond.threshold);
  const f = new EntryFactory(env, alert.spec.id, o.runId);
  const paths = ['/api/v1/content/recent', '/api/v1/auth/me', '/api/v1/content/history'];
  const entries = burst(o.now, n, 1000).map((t, i) =>
    f.app(
      t,
      `Database error on http://${runAppHost(env.name, env.services.api)}${paths[i % paths.length]}: QueuePool limit of size 10 overflow 20 reached, connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)`,
      {
        level: 'ERROR',
        logger: 'app.main',
        function: 'sqlalchemy_exception_handler',
        line: 117,
        requestId: requestId(o.runId, i + 1),
      },
    ),
  );
  const inUseLow = env.traffic.dbConnectionsInUse[0];
  const clients = Math.max(1, backends.threshold - inUseLow + Math.max(5, Math.ceil(backends.threshold * 0.05)));
  const holdSeconds = backends.alignmentSeconds + backends.durationSeconds + 180 + 165 + 120;
  const ceiling = env.cloudSql.maxConnections - 3 - env.traffic.dbConnectionsInUse[1];
  return {
    kind: 'entries+procedure',
    signals: ['db_connection_errors'],
    waves: [{ offsetSeconds: 0, entries }],
    sizing: [
      `${n} "QueuePool limit … reached" lines (condition: more than ${cond.threshold} in ${minutes(cond.alignmentSeconds)}), as main.py:117 prints them in ${env.name} (${APP_LOG_FORMAT[env.name]})`,
      `num_backends half (optional procedure): ${clients} extra connections so the instance holds more than ${backends.threshold} of ${env.cloudSql.maxConnections} for ${minutes(backends.durationSeconds)}`,
    ],
    procedure: {
      summary: `Connections half: hold ${clients} idle-ish connections to ${env.cloudSql.instance} for ${minutes(holdSeconds)}, so num_backends stays above ${backends.threshold} for ${minutes(backends.durationSeconds)}.`,
      steps: [
        {
          say: `From a host that reaches the instance's private IP (a VM in the ${env.name} VPC, or the Cloud SQL Auth Proxy with --private-ip there), with the credentials of secret database-url-${env.name}:`,
        },
        { command: `gcloud sql instances describe ${env.cloudSql.instance} --project ${env.projectId} --format='value(ipAddresses[0].ipAddress)'` },
        {
          command: `pgbench --no-vacuum --select-only --client=${clients} --jobs=4 --time=${holdSeconds} --rate=${clients} --host=<PRIVATE_IP> --username=vividly vividly`,
        },
        {
          say:
            clients > ceiling
              ? `WARNING: ${clients} + the app's ${env.traffic.dbConnectionsInUse[1]} exceeds ${env.cloudSql.maxConnections} - 3 reserved: the app may be refused connections (lower --client).`
              : `Headroom: ${clients} + the app's usual ${env.traffic.dbConnectionsInUse.join('-')} stays under ${env.cloudSql.maxConnections} - 3 reserved superuser slots.`,
        },
      ],
      waitSeconds: alert.detectionDelaySeconds,
      cleanup: [
        {
          say: 'pgbench exits after --time; nothing else to undo. Stop it early with Ctrl-C if the app starts logging QueuePool or "remaining connection slots" errors on its own.',
        },
      ],
      alsoFires: [],
    },
    caveats: [],
  };
};

/**
 * Slow request-log entries, written in waves: log entries cannot be dated in the future, so "above the threshold for
 * the whole duration" is built by writing every 20 s (three waves per minute, so every one-minute alignment window gets
 * slow values even if a wave is late), each wave stamped with the moment it is written.
 */
const performance: Planner = (alert, env, o) => {
  const cond = conditionOf(alert, 'api_latency');
  const pct = Number(/REDUCE_PERCENTILE_(\d+)/.exec(cond.query.reducer ?? '')?.[1] ?? 95) / 100;
  const slowShare = Math.min(0.5, 4 * (1 - pct)); // four times the share the percentile needs, at peak traffic
  const peakPerMinute = env.traffic.peakRps * 60;
  const slowPerMinute = Math.ceil(+((peakPerMinute * slowShare) / (1 - slowShare)).toFixed(6));
  const waveEvery = 20;
  const perWave = Math.ceil(slowPerMinute / (60 / waveEvery));
  const spanSeconds = cond.alignmentSeconds + cond.durationSeconds + 120;
  const waveCount = Math.ceil(spanSeconds / waveEvery);
  const latency = +(cond.threshold * 2.5).toFixed(3);
  const f = new EntryFactory(env, alert.spec.id, o.runId);
  const waves: Wave[] = [];
  for (let w = 0; w < waveCount; w++) {
    const end = new Date(o.now.getTime() + w * waveEvery * 1000);
    waves.push({
      offsetSeconds: w * waveEvery,
      entries: burst(end, perWave, 50).map((t) =>
        f.request(t, { method: 'GET', path: '/api/v1/health/detailed', status: 200, latencySeconds: latency, remoteIp: '203.0.113.77' }),
      ),
    });
  }
  return {
    kind: 'entries',
    signals: ['api_latency'],
    waves,
    pacing: `${waveCount} waves of ${perWave} entries, one every ${waveEvery} s for ${minutes(waveCount * waveEvery)} (the command keeps running); each wave is stamped with its write time, since entries cannot be dated in the future`,
    sizing: [
      `latency ${latency} s (threshold ${cond.threshold} s), ${slowPerMinute} a minute = ${Math.round(slowShare * 100)} % of the ${env.name} peak of ${peakPerMinute} requests a minute, ${Math.round((1 - pct) * 400)} % being what p${Math.round(pct * 100)} needs`,
      `for ${minutes(waveCount * waveEvery)}: the ${minutes(cond.alignmentSeconds)} window plus the ${minutes(cond.durationSeconds)} duration plus 2 min margin`,
      `SLO Latency burn alerts stay quiet at any traffic level: at night the slow share over 1 h stays under the fast-burn ratio, over 6 h under the medium-burn ratio, and over 24 h under the slow-burn ratio`,
    ],
    caveats: [REQUEST_LOG_CAVEAT, 'The endpoint /api/v1/health/detailed is only the URL written into the entries: nothing is requested from the app.'],
  };
};

// ---- built-in metric procedures ----------------------------------------------------------------------------------

function gcloudEnv(env: EnvironmentConfig): string {
  return `--project ${env.projectId}`;
}

function loadScript(env: EnvironmentConfig, url: string, body: string, requests: number, seconds: number, tag: string): string {
  const sleep = Math.max(0.01, +(seconds / requests).toFixed(3));
  return `( for i in $(seq 1 ${requests}); do curl -s -o /dev/null -w '%{http_code}\\n' --max-time 30 -X POST -H 'Content-Type: application/json' -H ${q(`User-Agent: ${DRILL_USER_AGENT} (${tag})`)} --data ${q(body)} ${url} & sleep ${sleep}; done; wait ) | sort | uniq -c   # ${env.name} only: ${requests} requests over ${seconds} s`;
}

function uptimeProcedure(env: EnvironmentConfig, alert: ResolvedAlert, checkName: string, healthPath: string): Procedure {
  const findId = `CHECK_ID=$(gcloud monitoring uptime list-configs ${gcloudEnv(env)} --filter=${q(`displayName="${checkName}"`)} --format='value(name.basename())')`;
  return {
    summary: `Point the Terraform-managed uptime check "${checkName}" at a path that answers 404 for ${minutes(alert.detectionDelaySeconds + 120)}, then point it back. A separate temporary check would not do: the policy filters on this check's check_id.`,
    steps: [
      { command: findId },
      { command: `gcloud monitoring uptime update "$CHECK_ID" ${gcloudEnv(env)} --path=/drill-${alert.spec.id}-404` },
      {
        say: `Wait up to ${minutes(alert.detectionDelaySeconds)} (the alert needs more than ${alert.params.threshold} checker location failing for ${minutes(alert.params.durationSeconds)}).`,
      },
    ],
    waitSeconds: alert.detectionDelaySeconds,
    cleanup: [
      { command: `gcloud monitoring uptime update "$CHECK_ID" ${gcloudEnv(env)} --path=${healthPath}` },
      { say: `Then \`cdktf diff ${env.name}\` must show no change for the check (the drill left no drift).` },
    ],
    alsoFires: [],
  };
}

function taggedRevision(env: EnvironmentConfig, dbHost: string): { steps: ProcedureStep[]; cleanup: ProcedureStep[] } {
  const svc = `${env.services.api} --region ${env.region} ${gcloudEnv(env)}`;
  return {
    steps: [
      {
        say: `Deploy a tagged revision that receives no user traffic, with DATABASE_URL pointing at ${dbHost}: every login on it answers 500 before any password check (main.py:117; no 401, no lockout); users keep the current revision.`,
      },
      { command: `gcloud run services describe ${svc} --format=export > /tmp/${env.services.api}-before-drill.yaml` },
      { command: `IMAGE=$(gcloud run services describe ${svc} --format='value(spec.template.spec.containers[0].image)')` },
      {
        command: `gcloud run deploy ${svc} --image "$IMAGE" --tag drill --no-traffic --remove-secrets DATABASE_URL --update-env-vars DATABASE_URL=postgresql://drill:drill@${dbHost}:5432/vividly?connect_timeout=5`,
      },
      { command: `URL=$(gcloud run services describe ${svc} --format='value(status.url)'); TAG_URL="https://drill---\${URL#https://}"` },
    ],
    cleanup: [
      { command: `gcloud run services update ${svc} --remove-env-vars DATABASE_URL --update-secrets DATABASE_URL=database-url-${env.name}:latest` },
      { command: `gcloud run services update-traffic ${svc} --remove-tags drill --to-latest` },
      { say: `Compare with /tmp/${env.services.api}-before-drill.yaml (image, env, secrets, traffic); the next deploy of the app also resets the template.` },
    ],
  };
}

function builtinPlanner(alert: ResolvedAlert, env: EnvironmentConfig): Procedure {
  const p = alert.params;
  const loginUrl = (base: string) => `${base}/api/v1/auth/login`;
  const host = `https://${env.api.host}`;
  const allowedPerSecond = (LOGIN_LIMIT_PER_MINUTE * UVICORN_WORKERS) / 60; // per instance
  const peak = env.traffic.peakRps;
  const floor = env.traffic.floorRps;
  switch (alert.spec.id) {
    case 'ddosAttempt': {
      const seconds = Math.min(180, Math.floor(p.windowSeconds * 0.6));
      const allowance = Math.ceil(allowedPerSecond * 2 * seconds); // up to two instances answer 422 before limiting
      const requests = Math.ceil(p.threshold * 1.5) + allowance;
      return {
        summary: `A bounded burst of ${requests} empty-body logins against ${env.name}'s login endpoint in ${seconds} s: beyond ${LOGIN_LIMIT_PER_MINUTE} a minute per process the rate limiter answers 429 (security.py:164-190), so more than ${p.threshold} 429s land within ${minutes(p.windowSeconds)}. The empty body {} answers 422, never 401: no failed login, no lockout.`,
        steps: [
          { command: loadScript(env, loginUrl(host), '{}', requests, seconds, alert.spec.id) },
          { say: 'The output counts status codes: expect mostly 429 and a few 422.' },
        ],
        waitSeconds: alert.detectionDelaySeconds,
        cleanup: [{ say: 'Nothing to undo: the limiter forgets after 60 s.' }],
        alsoFires: [
          'Elevated Rate Limiting is expected too, about 5 min later: a DDoS is elevated rate limiting (429 share above its threshold for its duration).',
        ],
      };
    }
    case 'elevatedRateLimiting': {
      const ddos = resolveAlerts(env).find((a) => a.spec.id === 'ddosAttempt')!;
      const rate429 = Math.min(2.5, (0.6 * ddos.params.threshold) / ddos.params.windowSeconds);
      const rate = +(rate429 + allowedPerSecond).toFixed(2);
      const seconds = p.windowSeconds + p.durationSeconds + 240;
      const share = rate429 / (rate + peak);
      return {
        summary: `${rate} empty-body logins a second for ${minutes(seconds)}: about ${rate429.toFixed(2)} 429s a second, ${Math.round(share * 100)} % of the requests even at the ${peak} req/s peak (threshold ${p.threshold * 100} %, guard ${p.minRequests} requests), but fewer than ${ddos.params.threshold} 429s in ${minutes(ddos.params.windowSeconds)} so DDoS Attempt stays quiet.`,
        steps: [
          { command: loadScript(env, loginUrl(host), '{}', Math.ceil(rate * seconds), seconds, alert.spec.id) },
          { say: 'If the output shows mostly 422 (more instances answered), raise the rate a little; stay under DDoS Attempt.' },
        ],
        waitSeconds: alert.detectionDelaySeconds,
        cleanup: [{ say: 'Nothing to undo.' }],
        alsoFires: share < p.threshold * 2 ? [`The 429 share is thin at peak (${Math.round(share * 100)} %): run outside school hours.`] : [],
      };
    }
    case 'highErrorRate': {
      const rate = Math.min(+(allowedPerSecond * 0.9).toFixed(2), Math.max(0.25, +((2 * p.threshold * peak) / (1 - 2 * p.threshold)).toFixed(2)));
      const seconds = p.windowSeconds + p.durationSeconds + 120;
      const bad = Math.ceil(rate * seconds);
      const tagged = taggedRevision(env, 'drill-db.invalid');
      const nightShare = bad / (bad + floor * 3600);
      return {
        summary: `${bad} requests answered 500 by a no-traffic tagged revision over ${minutes(seconds)} (${rate}/s): the 5xx share of ${env.services.api} passes ${p.threshold * 100} % over ${minutes(p.windowSeconds)} at the ${peak} req/s peak (guard: ${p.minRequests} requests in the window).`,
        steps: [
          ...tagged.steps,
          { command: loadScript(env, loginUrl('"$TAG_URL"'), '{"email":"drill@example.com","password":"drill-not-a-password"}', bad, seconds, alert.spec.id) },
          { say: 'Expect 500s (database unreachable before any password check: no 401, no lockout).' },
        ],
        waitSeconds: alert.detectionDelaySeconds,
        cleanup: tagged.cleanup,
        alsoFires: [
          `Run it during school hours: at night (${floor} req/s) these ${bad} errors are ${Math.round(nightShare * 100)} % of the hour and the SLO Availability fast burn (1 h/5 min) opens too.`,
        ],
      };
    }
    case 'serviceDown':
      return uptimeProcedure(env, alert, `Vividly API (${env.name}) ${env.api.healthPath}`, env.api.healthPath);
    case 'pushWorkerDown':
      return uptimeProcedure(env, alert, `Vividly push worker (${env.name}) /health`, '/health');
    default:
      break;
  }
  if (alert.spec.id.startsWith('slo_')) return sloProcedure(alert, env);
  throw new Error(`drill: no procedure for alert "${alert.spec.displayName}"`);
}

/**
 * SLO burn alerts: the same tagged revision, sized from the burn rate and the window lengths. The login limiter lets
 * each instance answer about 0.6 requests a second, so when the peak needs more the drill is sized for the night
 * floor (fewer requests make the same share); when even that is out of reach (the 3-day windows) it is not drilled live.
 */
function sloProcedure(alert: ResolvedAlert, env: EnvironmentConfig): Procedure {
  const latency = alert.spec.id.startsWith('slo_latency');
  const goalCond = alert.conditions.filter((c): c is SloBurnRateCondition => isSloCondition(c));
  const longSeconds = Math.max(...goalCond.map((c) => c.sloBurnRate.lookbackSeconds));
  const shortSeconds = Math.min(...goalCond.map((c) => c.sloBurnRate.lookbackSeconds));
  const settings = sloSettings(env);
  const goal = latency ? settings.latencyGoal : settings.availabilityGoal;
  const badRatio = alert.params.threshold * (1 - goal);
  const seconds = Math.max(shortSeconds, Math.min(longSeconds, 3600));
  const limit = ((LOGIN_LIMIT_PER_MINUTE * UVICORN_WORKERS) / 60) * 0.9;
  // bad / (traffic * long + bad) > ratio  =>  bad > ratio * traffic * long / (1 - ratio), with 30 % margin
  const needed = (rps: number) => (badRatio >= 1 ? Infinity : Math.ceil((1.3 * badRatio * rps * longSeconds) / (1 - badRatio)));
  const options = [
    { when: `even at the ${env.traffic.peakRps} req/s peak`, bad: needed(env.traffic.peakRps) },
    { when: `at night only (the ${env.traffic.floorRps} req/s floor, 00-07 local)`, bad: needed(env.traffic.floorRps) },
  ].filter((o) => Number.isFinite(o.bad) && o.bad / seconds <= limit);
  const kind = latency ? 'slow' : 'failing';
  if (longSeconds > 6 * 3600 || !options.length) {
    return {
      summary: `Not drilled live: firing needs more than ${(badRatio * 100).toFixed(1)} % of ${minutes(longSeconds)} of ${env.name}'s requests to be ${kind}, more than a no-traffic revision behind the login limiter can serve without degrading ${env.name} for hours. Verify it offline with a scenario instead.`,
      steps: [{ command: `npm run simulate -- --env ${env.name} scenarios/<a ${kind} scenario>.yaml` }],
      waitSeconds: alert.detectionDelaySeconds,
      cleanup: [],
      alsoFires: [],
    };
  }
  const { when, bad } = options[0];
  const rate = +(bad / seconds).toFixed(3);
  const tagged = taggedRevision(env, latency ? '10.255.255.1' : 'drill-db.invalid');
  return {
    summary: `${bad} ${kind} requests on a no-traffic tagged revision over ${minutes(seconds)} (${rate}/s): more than ${(badRatio * 100).toFixed(1)} % of ${minutes(longSeconds)} of ${env.name}'s requests ${when}, a burn rate above ${alert.params.threshold} over both ${minutes(longSeconds)} and ${minutes(shortSeconds)}.${latency ? ' The database host is blackholed with connect_timeout=5: each request takes about 5 s, then answers 500.' : ''}`,
    steps: [
      ...tagged.steps,
      {
        command: loadScript(
          env,
          `"$TAG_URL"/api/v1/auth/login`,
          '{"email":"drill@example.com","password":"drill-not-a-password"}',
          bad,
          seconds,
          alert.spec.id,
        ),
      },
    ],
    // detectionDelaySeconds assumes a full outage; a paced drill passes the ratio only near its end.
    waitSeconds: Math.max(alert.detectionDelaySeconds, seconds + 300),
    cleanup: tagged.cleanup,
    alsoFires: latency
      ? [
          'These requests also fail: High Error Rate and the SLO Availability page alerts open too (and Performance Degradation when the p95 stays above its threshold for its duration).',
        ]
      : ['High Error Rate may open first (its 5-minute share), and the other SLO Availability page alert if the drill runs long.'],
  };
}

const ENTRY_PLANNERS: Record<string, Planner> = {
  bruteForceAttack: bruteForce,
  authenticationFailuresSpike: authSpike,
  databaseConnectionIssues: dbConnections,
  performanceDegradation: performance,
};

/** The plan for one resolved alert of `env`. */
export function planDrill(alert: ResolvedAlert, env: EnvironmentConfig, options: PlanOptions): DrillPlan {
  const o: Required<PlanOptions> = { now: options.now, runId: options.runId ?? defaultRunId(options.now) };
  const head = {
    alertId: alert.spec.id,
    displayName: alert.spec.displayName,
    severity: alert.spec.severity,
    team: alert.spec.team,
    detectionDelaySeconds: alert.detectionDelaySeconds,
  };
  const planner = ENTRY_PLANNERS[alert.spec.id];
  if (planner) {
    const body = planner(alert, env, o);
    for (const s of body.signals) if (!signalById(s).logMetric) throw new Error(`drill: signal ${s} is not log-based`);
    return { ...head, ...body, entryCount: body.waves.reduce((n, w) => n + w.entries.length, 0) };
  }
  const procedure = builtinPlanner(alert, env);
  return { ...head, kind: 'procedure', signals: [], waves: [], entryCount: 0, sizing: [], procedure, caveats: [] };
}

export function defaultRunId(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').slice(0, 15).toLowerCase();
}

/** Alerts whose display name contains `name` (case-insensitive); an exact match wins over substrings. */
export function matchAlerts(env: EnvironmentConfig, name: string): ResolvedAlert[] {
  const all = resolveAlerts(env).filter((a) => a.params.enabled !== false);
  const needle = name.trim().toLowerCase();
  const exact = all.filter((a) => a.spec.displayName.toLowerCase() === needle);
  return exact.length ? exact : all.filter((a) => a.spec.displayName.toLowerCase().includes(needle));
}

export function planDrills(env: EnvironmentConfig, alerts: ResolvedAlert[], options: PlanOptions): DrillPlan[] {
  return alerts.map((a) => planDrill(a, env, options));
}
