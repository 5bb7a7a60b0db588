/**
 * `npm run backtest -- --env ENV --from TIME --to TIME [--policy FILE | --base REF] [--json] [--cache DIR]
 *  [--allow-large] [--project ID] [--synth-dir DIR]`
 *
 * Reads, with Application Default Credentials, what the policies read over the period (plus each condition's
 * lookback), replays it through the simulator and prints, per policy, the incidents it would have opened, next to
 * the comparison's: `--base REF`'s synth (built as `review` builds a ref), or the policies deployed now.
 * Exit: 0 ok; 1 partial data, a policy that could not be evaluated, or an API error (one line, e.g. the missing
 * role); 2 bad input (arguments, retention, caps).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseHumanDuration, InputError as SimInputError } from '../../gcp/simulate/errors';
import { loadPolicyDocument, loadPolicyFile, readJsonFile, type PolicySet } from '../../gcp/simulate/policies';
import { parseRfc3339 } from '../../gcp/simulate/timestamp';
import { DEFAULT_SYNTH_DIR, stackFile } from '../../stacks/synth-output';
import { cleanUpOnSignals, InputError as ReviewInputError, isGitRef, removeSynth, synthGitRef } from '../shared/synth-dir';
import { statusLine, type StatusLine } from '../shared/status-line';
import { parseCommandLine, unknownEnvironment, usageError, UsageError } from '../shared/usage';
import { runBacktest, type Side } from './backtest';
import { BacktestError, DEFAULT_CAPS, Fetcher, type Clients, type Progress } from './fetch';
import { formatText, toJson } from './report';

const USAGE = `usage: vividly-monitoring backtest --env ENV --from TIME --to TIME [--policy FILE | --base REF] [--json] [--cache DIR] [--allow-large]

  --env ENV         the working tree's policies: <synth-dir>/stacks/ENV/cdk.tf.json (npm run backtest synthesizes first)
  --from, --to      RFC 3339 with Z or an offset (2025-11-01T00:00:00Z, 2025-11-01T01:00:00+01:00), a date
                    (2025-11-01: its UTC midnight), "now" or "now-7d"
  --policy FILE     backtest this API-format policy file (or cdk.tf.json) instead of the working tree's policies
  --base REF        compare with the synth of git REF (default: the policies deployed now, read with the API)
  --json            machine-readable result
  --cache DIR       page cache (default .backtest-cache); a rerun over the same period is offline
  --allow-large     lift the caps: 31 days, 5,000,000 points, 2,000,000 log entries per run
  --project ID      default: the synth's google provider project
  --synth-dir DIR   default cdktf.out
  --now TIME        the present, for retention checks (default: the clock)
Needs roles/monitoring.viewer and roles/logging.viewer on the project (Application Default Credentials).
Exit: 0 ok, 1 partial data / not evaluated / API error, 2 bad input.`;

/** Test seams: client options for a local server, a fixed clock, no real sleeping. */
export interface RunDeps {
  clientOptions?: Record<string, unknown>;
  sleep?: (ms: number) => Promise<void>;
  backoffMs?: number;
  caps?: Partial<typeof DEFAULT_CAPS>;
  out?: (s: string) => void;
  err?: (s: string) => void;
}

/**
 * `--from`/`--to`/`--now`: `now`, `now-D`, or an RFC 3339 time with Z or an offset, or a date for its UTC midnight
 * (gcp/simulate/timestamp.ts, the scenario files' parser): never the machine's local time. Anything else is a UsageError.
 */
export function parseTime(value: string, now: number, option: string): number {
  const v = value.trim();
  const rel = /^now(?:\s*-\s*(.+))?$/.exec(v);
  if (rel) {
    if (!rel[1]) return now;
    try {
      return now - parseHumanDuration(rel[1]) * 1000;
    } catch (e) {
      throw new UsageError(`option --${option}: ${(e as Error).message}`);
    }
  }
  try {
    return parseRfc3339(v, '"now" or "now-7d"');
  } catch (e) {
    throw new UsageError(`option --${option}: ${(e as Error).message}`);
  }
}

/**
 * The page cache must be a directory or creatable as one: a regular file there (or in its path) failed only at the
 * first page written, after the synth and the first API calls, with a raw ENOTDIR and exit 1.
 */
export function checkCacheDir(dir: string, given: boolean): void {
  const option = given ? 'option --cache' : 'the default --cache';
  for (let p = path.resolve(dir); ; p = path.dirname(p)) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new BacktestError(`backtest: ${option}: ${dir}: ${(e as Error).message}`, 2);
    }
    if (stat?.isDirectory()) return;
    if (stat) {
      const what = p === path.resolve(dir) ? `${dir} is a file` : `${dir}: ${p} is a file`;
      throw new BacktestError(`backtest: ${option}: ${what}, not a directory; give a directory for the page cache (it is created if missing)`, 2);
    }
    if (path.dirname(p) === p) return;
  }
}

/**
 * The real clients, after checking that credentials exist: without Application Default Credentials the gapic
 * clients reject from inside their stub set-up (an unhandled rejection and a stack); asking their GoogleAuth first
 * turns that into one line.
 */
export async function authenticatedClients(options: Record<string, unknown> = {}): Promise<Clients> {
  const clients = realClients(options);
  try {
    // A GoogleAuth (ADC) has getClient; an auth client passed in the options (tests: a fixed token) is used as is.
    const auth = (clients.metric as unknown as { auth?: { getClient?: () => Promise<unknown> } }).auth;
    if (typeof auth?.getClient === 'function') await auth.getClient();
  } catch (e) {
    throw new BacktestError(
      `backtest: no Application Default Credentials: run \`gcloud auth application-default login\` (${String((e as Error).message).split('\n')[0]})`,
      1,
    );
  }
  return clients;
}

/**
 * The five gapic clients the backtest calls. Loaded lazily (a fully cached run never loads gRPC), and each from its own
 * module: the same classes as the packages' `MetricServiceClient` … and `v2.LoggingServiceV2Client` exports, without
 * their indexes' other clients and the `Logging` wrapper (about a third of the load time).
 */
export function realClients(options: Record<string, unknown> = {}): Clients {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded lazily, so a cached run never loads gRPC */
  const { MetricServiceClient } = require('@google-cloud/monitoring/build/src/v3/metric_service_client');
  const { AlertPolicyServiceClient } = require('@google-cloud/monitoring/build/src/v3/alert_policy_service_client');
  const { UptimeCheckServiceClient } = require('@google-cloud/monitoring/build/src/v3/uptime_check_service_client');
  const { LoggingServiceV2Client, MetricsServiceV2Client } = require('@google-cloud/logging/build/src/v2');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return {
    metric: new MetricServiceClient(options),
    alert: new AlertPolicyServiceClient(options),
    logging: new LoggingServiceV2Client(options),
    logMetrics: new MetricsServiceV2Client(options),
    uptime: new UptimeCheckServiceClient(options),
  };
}

/** The fetch's progress as a status line on `err` when it is a terminal (else undefined). */
export function progressLine(err: NodeJS.WriteStream): (StatusLine & { show(p: Progress): void }) | undefined {
  const line = statusLine(err);
  if (!line) return undefined;
  const show = (p: Progress) =>
    line.update(
      `backtest: ${p.pages} page(s), ${p.points.toLocaleString('en-US')} points, ${p.entries.toLocaleString('en-US')} entries${p.retrying ? `; ${p.retrying}` : ''} - ${p.query}`,
      Boolean(p.retrying),
    );
  return { ...line, show };
}

export async function run(argv: string[], deps: RunDeps = {}): Promise<number> {
  const out = deps.out ?? ((s: string) => console.log(s));
  const err = deps.err ?? ((s: string) => console.error(s));
  const parsed = parseCommandLine(
    'backtest',
    USAGE,
    {
      args: argv,
      allowPositionals: false,
      options: {
        env: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        policy: { type: 'string' },
        base: { type: 'string' },
        json: { type: 'boolean', default: false },
        cache: { type: 'string' },
        'allow-large': { type: 'boolean', default: false },
        project: { type: 'string' },
        'synth-dir': { type: 'string' },
        now: { type: 'string' },
      },
    },
    { out, err },
  );
  if (typeof parsed === 'number') return parsed;
  const values: Record<string, string | boolean | undefined> = parsed.values;
  const usage = (message: string) => usageError('backtest', USAGE, message, { err });
  const env = values.env as string | undefined;
  if (!env) return usage('option --env: required');
  const unknown = unknownEnvironment([env]);
  if (unknown) return usage(unknown);
  if (values.from === undefined) return usage('option --from: required');
  if (values.to === undefined) return usage('option --to: required');
  if (values.policy !== undefined && values.base !== undefined) return usage('give at most one of --policy and --base');
  let now: number, from: number, to: number;
  try {
    now = values.now !== undefined ? parseTime(values.now as string, Date.now(), 'now') : Date.now();
    from = parseTime(values.from as string, now, 'from');
    to = parseTime(values.to as string, now, 'to');
  } catch (e) {
    if (e instanceof UsageError) return usage(e.message);
    throw e;
  }
  let baseDir: string | undefined;
  let progress: ReturnType<typeof progressLine>;
  // Ctrl-C removes the --base ref's worktree and synth, and (handled between event-loop turns) never stops the cache
  // in the middle of writing a page or its state file.
  const stopCleaningOnSignals = cleanUpOnSignals('backtest', 'temporary worktrees and directories');
  try {
    const cacheDir = (values.cache as string | undefined) ?? '.backtest-cache';
    checkCacheDir(cacheDir, values.cache !== undefined);
    const synthDir = (values['synth-dir'] as string | undefined) ?? DEFAULT_SYNTH_DIR;
    const stack = stackFile(synthDir, env);
    if (!fs.existsSync(stack)) throw new BacktestError(`backtest: ${stack}: missing; run \`npm run synth\` first (or give --synth-dir)`, 2);
    const tf = readJsonFile(stack) as Record<string, any>;
    const synthSet = loadPolicyFile(stack);
    const project = (values.project as string | undefined) ?? tf.provider?.google?.[0]?.project;
    if (typeof project !== 'string' || !project) throw new BacktestError(`backtest: ${stack}: provider.google[0].project: missing; give --project`, 2);
    const bucket = Object.values((tf.resource?.google_logging_project_bucket_config ?? {}) as Record<string, Record<string, unknown>>).find(
      (b) => b.bucket_id === '_Default',
    );
    // "If this value is set to zero at bucket creation time, the default time of 30 days will be used" (gcp-facts §8.1).
    const logRetentionDays = typeof bucket?.retention_days === 'number' && bucket.retention_days > 0 ? bucket.retention_days : 30;

    // Offline the synth names an uptime check by its Terraform resource name; the API names it by an id it assigns.
    const uptimeChecks = Object.fromEntries(
      Object.entries((tf.resource?.google_monitoring_uptime_check_config ?? {}) as Record<string, Record<string, unknown>>).map(([name, body]) => [
        name,
        String(body.display_name ?? ''),
      ]),
    );
    let head: Side = { label: 'working tree', set: synthSet };
    if (values.policy !== undefined) {
      const file = values.policy as string;
      const set: PolicySet = loadPolicyDocument(readJsonFile(file), file);
      // The candidate reads the environment's log-based metrics and SLOs as the synth defines them.
      head = {
        label: path.basename(file),
        set: { ...set, logMetrics: synthSet.logMetrics, slos: [...set.slos, ...synthSet.slos], knownMetrics: synthSet.knownMetrics },
      };
    }
    head.uptimeChecks = uptimeChecks;
    let base: Side | 'deployed' = 'deployed';
    if (values.base !== undefined) {
      const ref = values.base as string;
      if (!isGitRef(ref)) throw new BacktestError(`backtest: option --base: "${ref}" is not a git ref of this repository`, 2);
      // Only the environment compared (the ref's other stacks would be synthesized for nothing); should that fail (a
      // ref without this environment), the whole ref, whose outcome says why.
      try {
        baseDir = await synthGitRef(ref, undefined, { envs: [env] });
      } catch (e) {
        if (!(e instanceof ReviewInputError)) throw e;
        baseDir = await synthGitRef(ref);
      }
      const file = stackFile(baseDir, env);
      if (!fs.existsSync(file)) throw new BacktestError(`backtest: option --base: ${ref} has no stack "${env}"`, 2);
      const baseTf = readJsonFile(file) as Record<string, any>;
      base = {
        label: ref,
        set: loadPolicyFile(file),
        uptimeChecks: Object.fromEntries(
          Object.entries((baseTf.resource?.google_monitoring_uptime_check_config ?? {}) as Record<string, Record<string, unknown>>).map(([n, b]) => [
            n,
            String(b.display_name ?? ''),
          ]),
        ),
      };
    }
    const stderr = process.stderr;
    progress = deps.err ? undefined : progressLine(stderr);
    const fetcher = new Fetcher({
      cacheDir,
      allowLarge: values['allow-large'] as boolean,
      clients: () => authenticatedClients(deps.clientOptions),
      sleep: deps.sleep,
      backoffMs: deps.backoffMs,
      caps: deps.caps,
      onProgress: progress?.show,
    });
    const result = await runBacktest({ env, project, from, to, head, base, logRetentionDays, now, allowLarge: values['allow-large'] as boolean, fetcher });
    progress?.clear();
    out(values.json ? toJson(result) : formatText(result));
    const notEvaluated = [...result.head.policies, ...(result.base?.policies ?? [])].filter((p) => p.error);
    for (const p of notEvaluated) err(`backtest: "${p.displayName}" not evaluated: ${p.error}`);
    return result.partial.length || notEvaluated.length ? 1 : 0;
  } catch (e) {
    progress?.clear();
    if (e instanceof BacktestError) {
      err(e.message);
      return e.exitCode;
    }
    if (e instanceof SimInputError) {
      err(`backtest: ${e.message}`);
      return 2;
    }
    if (e instanceof ReviewInputError) {
      err(`backtest: ${e.message.split('\n')[0]}`);
      return 2;
    }
    throw e;
  } finally {
    if (baseDir) removeSynth(baseDir);
    stopCleaningOnSignals();
  }
}
