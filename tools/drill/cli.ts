/**
 * `drill`: plan (default) or write (`--write`) the fire drills of an environment's alerts.
 *
 *   npm run drill -- --env staging --alert "Brute Force Attack"      # plan on stderr, entries as JSON lines on stdout
 *   npm run drill -- --env staging --all --json                      # one JSON object
 *   npm run drill -- --env staging --alert "brute force" --write     # write the entries with ADC
 *
 * An environment whose `drills.allowed` is false (prod) is refused, plan included: its plan is a list of commands that
 * would hurt it. `--plan-disallowed` prints the plan all the same, a warning first; `--write` is refused there always.
 *
 * `--write` gives each call to Cloud Logging a timeout (30 s) and retries a connection failure (no answer, DNS,
 * refused) twice, 2 and 4 s apart, then stops with one line saying it could not connect. A retried batch may land
 * twice (its first try may have arrived unanswered): the entries are labelled drill="true" either way.
 *
 * The entries are checked against the synthesized log-based metrics (--synth-dir, default cdktf.out) before anything
 * is printed or written: a synth that cannot be read, a --synth-dir without the environment's stack, or no synth at
 * all with --write is an error naming the file (only a dry run goes on without the default synth, with a note).
 *
 * Exit codes: 0 ok · 1 the write failed (one line: credentials, permission with the role, no connection, or the
 * rejected log) · 2 bad usage, unknown alert, an environment whose `drills.allowed` is false, or a synth that is
 * missing (as above) or cannot be read.
 */
import * as fs from 'node:fs';
import { ENVIRONMENT_NAMES, EnvironmentError, loadEnvironments, type EnvironmentConfig } from '../../environments';
import { resolveAlerts } from '../../catalog/alerts';
import { evaluateLogMetric, loadLogMetrics, SynthFormatError, type LogEntry, type LogMetric } from '../../gcp/logging-query';
import { defaultRunId, matchAlerts, planDrills, type DrillPlan } from './plan';
import { ConnectionError, createCloudLoggingWriter, describeWriteError, isConnectionError, shortLogName, TimeoutError, type DrillWriter } from './writer';
import { DEFAULT_SYNTH_DIR, stackFile } from '../../stacks/synth-output';
import { incidentsUrl } from '../../catalog/runbooks';
import { InputError, readTfJson } from '../shared/synth-dir';
import { parseCommandLine, unknownEnvironment, usageError } from '../shared/usage';

export interface DrillDeps {
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  writer: (projectId: string) => Promise<DrillWriter>;
  out: (line: string) => void;
  err: (line: string) => void;
  /** Environment loader (tests may override a config). */
  environment: (name: string) => EnvironmentConfig;
  /** Longest wait for one call to Cloud Logging (connecting, credentials, one write). */
  timeoutMs: number;
  /** Tries of a call that failed to connect (the first included). */
  attempts: number;
  /**
   * Called when a call was given up after its timeout: the client may hold its socket for a while (grpc-js waits
   * 20 s for a connection), which would keep the process alive after the one-line message. The CLI exits 2 s later.
   */
  abandoned: () => void;
}

const defaults: DrillDeps = {
  now: () => new Date(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  writer: createCloudLoggingWriter,
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  environment: (name) => loadEnvironments([name])[0],
  timeoutMs: 30_000,
  attempts: 3,
  abandoned: () => setTimeout(() => process.exit(process.exitCode ?? 1), 2000).unref(),
};

/** `f()` within deps.timeoutMs, tried again (2 s, 4 s later) while it fails to connect; then a ConnectionError. */
async function withRetries<T>(f: () => Promise<T>, deps: DrillDeps): Promise<T> {
  let last: unknown;
  for (let attempt = 1; attempt <= deps.attempts; attempt++) {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TimeoutError(deps.timeoutMs)), deps.timeoutMs);
        timer.unref?.();
      });
      return await Promise.race([f(), timeout]);
    } catch (e) {
      if (!isConnectionError(e)) throw e;
      last = e;
      if (attempt < deps.attempts) await deps.sleep(2000 * attempt);
    } finally {
      clearTimeout(timer);
    }
  }
  if (last instanceof TimeoutError) deps.abandoned();
  throw new ConnectionError(last, deps.attempts, deps.timeoutMs);
}

const USAGE = `usage: vividly-monitoring drill --env ${ENVIRONMENT_NAMES.join('|')} (--alert NAME | --all) [--synth-dir cdktf.out] [--write] [--json]
  --alert NAME   alerts whose display name contains NAME (case-insensitive; an exact name wins)
  --all          every enabled alert of the environment
  --synth-dir    where the synthesized stacks are (default cdktf.out): the entries are checked against its log-based metrics;
                 a --synth-dir without the environment's stack is an error, and so is a missing default with --write
  --write        write the entries to Cloud Logging (Application Default Credentials; only where drills.allowed is true)
  --plan-disallowed  print the plan of an environment whose drills.allowed is false (never writes)
  --json         one JSON object instead of the plan (stderr) and JSON lines (stdout)`;

export { incidentsUrl };

/**
 * Which synthesized log-based metrics each plan's entries match (the check-logs evaluator). A synth that cannot be
 * read is an InputError naming the file; so is a missing one when it was asked for (`given`: --synth-dir) or when the
 * entries are to be written: only a dry run against the default folder goes on unchecked, with a note.
 */
function synthCheck(
  synthDir: string,
  env: EnvironmentConfig,
  plans: DrillPlan[],
  { given, write }: { given: boolean; write: boolean },
): { note: string; matches: Map<string, Record<string, number>> } {
  const file = stackFile(synthDir, env.name);
  const matches = new Map<string, Record<string, number>>();
  if (!fs.existsSync(file)) {
    const missing = `no synthesized stack for "${env.name}" at ${file}`;
    if (given) throw new InputError(`option --synth-dir: ${missing} (run \`npm run synth\` first, or pass the right --synth-dir)`);
    if (write) throw new InputError(`${missing}: refusing to write entries not checked against the log-based metrics (run \`npm run synth\` first)`);
    return { note: `no synth at ${file}: entries not checked against the log-based metrics (run \`npm run synth\`)`, matches };
  }
  let metrics: LogMetric[];
  try {
    metrics = loadLogMetrics(readTfJson(file));
  } catch (e) {
    if (e instanceof SynthFormatError) throw new InputError(`${file}: ${e.message.replace(/^cdk\.tf\.json: /, '')}`);
    throw e;
  }
  for (const plan of plans) {
    const counts: Record<string, number> = {};
    for (const wave of plan.waves)
      for (const e of wave.entries) for (const m of metrics) if (evaluateLogMetric(m, e).matched) counts[m.name] = (counts[m.name] ?? 0) + 1;
    matches.set(plan.alertId, counts);
  }
  return { note: `entries checked against the log-based metrics of ${file}`, matches };
}

function human(plan: DrillPlan, env: EnvironmentConfig, matches: Record<string, number> | undefined, write: boolean): string[] {
  const L: string[] = [];
  const mins = (s: number) => `${Math.ceil(s / 60)} min`;
  L.push(
    `== ${plan.displayName} [${plan.severity}, ${plan.team}]: ${plan.kind === 'procedure' ? 'built-in metrics, procedure' : `${plan.entryCount} log entries${plan.kind === 'entries+procedure' ? ' + a procedure' : ''}`}`,
  );
  if (plan.entryCount) {
    const byLog = new Map<string, number>();
    for (const w of plan.waves) for (const e of w.entries) byLog.set(shortLogName(e.logName ?? ''), (byLog.get(shortLogName(e.logName ?? '')) ?? 0) + 1);
    L.push(`   writes: ${[...byLog].map(([l, n]) => `${n} to ${l}`).join(', ')} (resource cloud_run_revision ${env.services.api}, labels.drill="true")`);
    if (matches)
      L.push(
        `   matches: ${
          Object.entries(matches)
            .map(([m, n]) => `${m} x${n}`)
            .join(', ') || 'NO log-based metric (check the synth)'
        }`,
      );
    for (const s of plan.sizing) L.push(`   sizing: ${s}`);
    L.push(`   pacing: ${plan.pacing ?? 'one burst, timestamped up to now'}`);
  }
  if (plan.procedure) {
    const p = plan.procedure;
    L.push(`   ${p.summary}`);
    for (const s of p.steps) L.push(s.command ? `   $ ${s.command}` : `   - ${s.say}`);
    if (p.cleanup.length) L.push('   cleanup:');
    for (const s of p.cleanup) L.push(s.command ? `   $ ${s.command}` : `   - ${s.say}`);
    for (const a of p.alsoFires) L.push(`   also: ${a}`);
    L.push(`   wait: up to ${mins(p.waitSeconds)} after the provoking step starts`);
  }
  L.push(
    `   expect: an incident for "${plan.displayName}" within ${mins(plan.detectionDelaySeconds)} (detectionDelaySeconds ${plan.detectionDelaySeconds}) of ${plan.kind === 'procedure' ? 'the provoking step' : write ? 'the first write' : 'the write'}: ${incidentsUrl(env)}`,
  );
  for (const c of plan.caveats) L.push(`   caveat: ${c}`);
  return L;
}

interface Scheduled {
  offsetSeconds: number;
  plan: DrillPlan;
  entries: LogEntry[];
}

/** Writes the waves at their offsets, each re-stamped with its write time (writes cannot be dated in the future). */
async function writeAll(plans: DrillPlan[], env: EnvironmentConfig, deps: DrillDeps): Promise<number> {
  const schedule: Scheduled[] = plans
    .flatMap((plan) => plan.waves.map((w) => ({ offsetSeconds: w.offsetSeconds, plan, entries: w.entries })))
    .sort((a, b) => a.offsetSeconds - b.offsetSeconds);
  if (!schedule.length) {
    deps.err('drill: nothing to write (the selected alerts are provoked by the procedures above)');
    return 0;
  }
  let writer: DrillWriter;
  try {
    writer = await withRetries(() => deps.writer(env.projectId), deps);
  } catch (e) {
    deps.err(describeWriteError(e, env.projectId, `projects/${env.projectId}/logs/run.googleapis.com%2Fstdout`));
    return 1;
  }
  try {
    return await writeSchedule(schedule, writer, env, deps);
  } finally {
    await writer.close?.();
  }
}

async function writeSchedule(schedule: Scheduled[], writer: DrillWriter, env: EnvironmentConfig, deps: DrillDeps): Promise<number> {
  const start = deps.now().getTime();
  for (const item of schedule) {
    const due = start + item.offsetSeconds * 1000;
    const wait = due - deps.now().getTime();
    if (wait > 0) await deps.sleep(wait);
    const last = Math.max(...item.entries.map((e) => Date.parse(e.timestamp ?? '')));
    const shift = deps.now().getTime() - last;
    const stamped = item.entries.map((e) => ({ ...e, timestamp: new Date(Date.parse(e.timestamp ?? '') + shift).toISOString() }));
    const byLog = new Map<string, LogEntry[]>();
    for (const e of stamped) byLog.set(e.logName ?? '', [...(byLog.get(e.logName ?? '') ?? []), e]);
    for (const [logName, entries] of byLog) {
      try {
        await withRetries(() => writer.write(logName, entries), deps);
      } catch (e) {
        deps.err(describeWriteError(e, env.projectId, logName));
        return 1;
      }
      deps.err(`drill: ${item.plan.displayName}: wrote ${entries.length} entries to ${shortLogName(logName)} at +${item.offsetSeconds} s`);
    }
  }
  return 0;
}

export async function run(argv: string[], overrides: Partial<DrillDeps> = {}): Promise<number> {
  const deps: DrillDeps = { ...defaults, ...overrides };
  const parsed = parseCommandLine(
    'drill',
    USAGE,
    {
      args: argv,
      options: {
        env: { type: 'string' },
        alert: { type: 'string' },
        all: { type: 'boolean' },
        'synth-dir': { type: 'string' },
        write: { type: 'boolean' },
        json: { type: 'boolean' },
        'plan-disallowed': { type: 'boolean' },
      },
      allowPositionals: false,
    },
    deps,
  );
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  const usage = (message: string) => usageError('drill', USAGE, message, deps);
  if (!values.env) return usage('option --env: required');
  // The bad value before the missing option: `--env qa` is the mistake to name.
  const unknown = unknownEnvironment([values.env]);
  if (unknown) return usage(unknown);
  if (!values.alert === !values.all) return usage('give exactly one of --alert NAME or --all');
  let env: EnvironmentConfig;
  try {
    env = deps.environment(values.env);
  } catch (e) {
    deps.err(`drill: ${e instanceof EnvironmentError ? e.message : String((e as Error).message ?? e)}`);
    return 2;
  }
  if (values.write && !env.drills.allowed) {
    deps.err(`drill: refusing to write to ${env.name} (project ${env.projectId}): drills.allowed is false in environments/${env.name}.ts`);
    return 2;
  }
  // The plan of a disallowed environment is a list of commands against it (a login burst, a broken deploy).
  const disallowed = `drills are NOT allowed in ${env.name} (project ${env.projectId}): drills.allowed is false in environments/${env.name}.ts`;
  if (!env.drills.allowed && !values['plan-disallowed']) {
    deps.err(
      `drill: refusing to plan for ${env.name} (project ${env.projectId}): drills.allowed is false in environments/${env.name}.ts; add --plan-disallowed to read the plan anyway (it never writes)`,
    );
    return 2;
  }
  const warning = env.drills.allowed
    ? undefined
    : `WARNING: ${disallowed}. This plan is for reading only: do not run its commands or write its entries against ${env.name}.`;
  if (warning) deps.err(`drill: ${warning}`);
  const alerts = values.all ? resolveAlerts(env).filter((a) => a.params.enabled !== false) : matchAlerts(env, values.alert!);
  if (!alerts.length) {
    const names = resolveAlerts(env).map((a) => a.spec.displayName);
    deps.err(`drill: no alert of ${env.name} matches "${values.alert}"; alerts: ${names.join(', ')}`);
    return 2;
  }
  const now = deps.now();
  const runId = defaultRunId(now);
  const plans = planDrills(env, alerts, { now, runId });
  let check: ReturnType<typeof synthCheck>;
  try {
    check = synthCheck(values['synth-dir'] ?? DEFAULT_SYNTH_DIR, env, plans, { given: values['synth-dir'] !== undefined, write: !!values.write });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    deps.err(`drill: ${e.message}`);
    return 2;
  }

  if (values.json) {
    deps.out(
      JSON.stringify({
        ...(warning ? { warning } : {}),
        env: env.name,
        projectId: env.projectId,
        runId,
        startedAt: now.toISOString(),
        mode: values.write ? 'write' : 'dry-run',
        incidentsUrl: incidentsUrl(env),
        synthCheck: check.note,
        drills: plans.map((p) => ({ ...p, metricMatches: check.matches.get(p.alertId) ?? null })),
      }),
    );
  } else {
    deps.err(
      `drill: ${env.name} (project ${env.projectId}), run ${runId} at ${now.toISOString()}, ${values.write ? 'WRITING' : 'dry run (add --write to write the entries)'}`,
    );
    deps.err(`drill: ${check.note}`);
    for (const plan of plans) for (const line of human(plan, env, check.matches.get(plan.alertId), !!values.write)) deps.err(line);
    if (!values.write) for (const plan of plans) for (const w of plan.waves) for (const e of w.entries) deps.out(JSON.stringify(e));
  }
  if (!values.write) return 0;
  return writeAll(plans, env, deps);
}
