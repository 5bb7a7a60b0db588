/**
 * Synthesizes the stacks of each environment: `node dist/main.js [dev|staging|prod ...]` (all by default; a name
 * given twice counts once). Only the selected environments' stacks are replaced: the others stay as they were, and
 * the manifest lists every stack synthesized so far whose environment is still configured.
 *
 * Every selected environment is validated (and its synthesized stacks checked) before anything is written, and the
 * output is swapped into place only when synth succeeded (tools/synth-output.ts): a bad value leaves cdktf.out
 * untouched and exits 2; Ctrl-C leaves the previous output whole; concurrent synths queue on a lock.
 *
 * `--each-env` (what scripts/cdktf-app.js passes for `cdktf synth|diff|deploy`): each environment stands alone. A bad
 * environment is reported once on stderr and left out of the output (never deployed from a stale synth), and the
 * others are written, so a bad value in prod.ts does not block `cdktf deploy staging`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { EnvironmentConfig, EnvironmentError, ENVIRONMENT_NAMES, loadEnvironments, unknownEnvironmentsMessage } from './environments';
import { MonitoringStack } from './stacks/monitoring-stack';
import { BootstrapStack } from './stacks/bootstrap-stack';
import { checkSynthesized } from './stacks/synth-checks';
import {
  checkReplaceable,
  commitSynth,
  discardPartial,
  installInterruptCleanup,
  MANIFEST,
  readManifest,
  stableStringify,
  stackFile,
  startPartial,
  SynthLockError,
  SynthOutputError,
  type SynthManifest,
} from './stacks/synth-output';
import { withShortTokenStacks } from './stacks/token-stacks';

/** Adds one stack of an environment to the app. Stack names start with the environment's name (`prod`, `prod-…`). */
export type StackFactory = (app: App, env: EnvironmentConfig) => TerraformStack;

/** The stacks of every environment, in order: adding a stack to each environment is one line here. */
export const ENVIRONMENT_STACKS: readonly StackFactory[] = [
  // The stack an admin applies once (`<env>-bootstrap`: the deployer's rights, the planner, the APIs they need)...
  (app, env) => new BootstrapStack(app, env),
  // ...then the monitoring stack, which never grants its own deployer anything.
  (app, env) => new MonitoringStack(app, env),
];

/** An environment's synthesized stacks (`cdk.tf.json` parsed), by stack name. */
export type SynthesizedStacks = Record<string, Record<string, unknown>>;

/** Checks of an environment's synthesized stacks before anything is written: each throws EnvironmentError. */
export type StackCheck = (env: EnvironmentConfig, stacks: SynthesizedStacks) => void;

/** Checks run on each environment's output before it is written: adding one is one line here. */
export const PRE_WRITE_CHECKS: readonly StackCheck[] = [checkSynthesized];

/** The environment a stack belongs to: `prod` for `prod` and `prod-bootstrap`. */
export const environmentOfStack = (stack: string): string => stack.split('-')[0];

export interface SynthOptions {
  /** Each environment on its own: a bad one is reported through `onSkipped` and left out, the others are written. */
  eachEnv?: boolean;
  onSkipped?: (env: string, message: string) => void;
  /** How long to wait for a concurrent synth's lock (ms). */
  lockTimeoutMs?: number;
}

/**
 * The synth as steps: it yields between environments, where an interrupt may stop it (the CLI lets signal handlers
 * run there); the commit at the end is one synchronous step. Returns the environments written.
 */
export function* synthesizeSteps(
  outdir: string,
  selected?: readonly string[],
  overrides?: Parameters<typeof loadEnvironments>[1],
  options: SynthOptions = {},
): Generator<void, string[]> {
  // Before anything is written: a path that is not a synth output is never replaced (checked again at the commit).
  checkReplaceable(outdir);
  const names = [...new Set(selected && selected.length ? selected : ENVIRONMENT_NAMES)];
  const skipped = new Set<string>();
  let environments: EnvironmentConfig[];
  if (options.eachEnv) {
    // An unknown name is a usage error, not an environment to skip.
    const unknown = unknownEnvironmentsMessage(names);
    if (unknown) throw new EnvironmentError(unknown);
    environments = names.flatMap((name) => {
      try {
        return loadEnvironments([name], overrides);
      } catch (err) {
        if (!(err instanceof EnvironmentError)) throw err;
        skipped.add(name);
        options.onSkipped?.(name, err.message);
        return [];
      }
    });
  } else {
    environments = loadEnvironments(names, overrides);
  }
  const partial = startPartial(outdir);
  try {
    const written: string[] = [];
    // One App per environment (each writes a manifest of its own stacks): merged into one manifest below.
    let manifest: SynthManifest | undefined;
    for (const env of environments) {
      yield;
      withShortTokenStacks(() => {
        const app = new App({ outdir: partial, skipValidation: false });
        for (const factory of ENVIRONMENT_STACKS) factory(app, env);
        app.synth();
      });
      const own = readManifest(partial)!;
      const stackNames = Object.keys(own.stacks);
      try {
        const stacks: SynthesizedStacks = Object.fromEntries(stackNames.map((s) => [s, JSON.parse(fs.readFileSync(stackFile(partial, s), 'utf8'))]));
        for (const check of PRE_WRITE_CHECKS) check(env, stacks);
        manifest = { ...own, stacks: { ...manifest?.stacks, ...own.stacks } };
        written.push(env.name);
      } catch (err) {
        if (!(options.eachEnv && err instanceof EnvironmentError)) throw err;
        skipped.add(env.name);
        options.onSkipped?.(env.name, err.message);
        for (const s of stackNames) fs.rmSync(path.join(partial, 'stacks', s), { recursive: true, force: true });
      }
    }
    yield;
    if (manifest) fs.writeFileSync(path.join(partial, MANIFEST), stableStringify(manifest));
    else fs.rmSync(path.join(partial, MANIFEST), { force: true });
    const replaced = new Set([...names]);
    commitSynth(
      outdir,
      partial,
      (stack) => (ENVIRONMENT_NAMES as readonly string[]).includes(environmentOfStack(stack)) && !replaced.has(environmentOfStack(stack)),
      options.lockTimeoutMs,
    );
    return written;
  } finally {
    discardPartial(partial);
  }
}

/** Synthesizes in one go (tests, review, docs): see {@link synthesizeSteps}. */
export function synthesize(outdir: string, selected?: readonly string[], overrides?: Parameters<typeof loadEnvironments>[1], options?: SynthOptions): string[] {
  const steps = synthesizeSteps(outdir, selected, overrides, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

async function cli(): Promise<number> {
  installInterruptCleanup();
  // Empty is an error, not "unset": cdktf's own App keeps an empty CDKTF_OUTDIR too (and then fails on it).
  if (process.env.CDKTF_OUTDIR === '') {
    console.error('synth stopped, nothing written: CDKTF_OUTDIR: empty; unset it (the output is then cdktf.out) or name a folder');
    return 2;
  }
  const outdir = process.env.CDKTF_OUTDIR ?? path.join(process.cwd(), 'cdktf.out');
  // `--quiet`: the offline tools' npm scripts synthesize first, so they never read a stale cdktf.out.
  const args = process.argv.slice(2);
  const quiet = args.includes('--quiet');
  const eachEnv = args.includes('--each-env');
  const selected = args.filter((a) => a !== '--quiet' && a !== '--each-env');
  try {
    const steps = synthesizeSteps(outdir, selected, undefined, {
      eachEnv,
      // One line per bad environment, on stderr only: cdktf shows the app's stderr once when it exits 0.
      onSkipped: (env, message) => console.error(`${env} left out of the synth (not deployable until fixed):\n${message}`),
    });
    let step = steps.next();
    while (!step.done) {
      await new Promise((resolve) => setImmediate(resolve)); // signal handlers run here, never during the commit
      step = steps.next();
    }
    const names = step.value;
    if (!process.env.CDKTF_OUTDIR && !quiet) console.log(`synthesized ${names.join(', ')} into ${path.relative(process.cwd(), outdir) || '.'}/stacks/`);
    return 0;
  } catch (err) {
    if (err instanceof EnvironmentError) {
      console.error(`synth stopped, nothing written:\n${err.message}`);
      return 2;
    }
    if (err instanceof SynthLockError || err instanceof SynthOutputError) {
      console.error(`synth stopped, nothing written: ${err.message}`);
      return 2;
    }
    throw err;
  }
}

if (require.main === module) {
  cli().then((code) => {
    process.exitCode = code;
  });
}
