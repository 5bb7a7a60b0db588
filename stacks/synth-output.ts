/**
 * Where the synthesized stacks live, and how a synth replaces them without ever leaving them half-written.
 *
 * Layout: CDKTF writes `<synth dir>/stacks/<stack>/cdk.tf.json` and `<synth dir>/manifest.json`. Every tool reads
 * them here.
 *
 * Writing (main.ts): a synth writes into `<out>.partial-<pid>/` next to the output (same file system, so renames are
 * atomic), then, holding the lock `<out>.lock/`, merges in the stacks it did not synthesize (hard links of the current
 * output) and swaps the directories: `<out>` → `<out>.old-<pid>`, partial → `<out>`, old removed. The old output
 * stays whole until the new one is complete. The commit is synchronous, so SIGINT/SIGTERM handlers (which run only
 * between event-loop turns) never see it half-done; a SIGKILL between the two renames is repaired by the next synth,
 * which also removes partial and old directories of processes that no longer run.
 *
 * The swap replaces the output path whole, so a synth replaces only what a synth wrote (checkReplaceable): the path
 * must be absent, an empty folder, or a previous output (a CDKTF manifest.json and nothing else but stacks/).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const DEFAULT_SYNTH_DIR = 'cdktf.out';

/**
 * A synthesized `cdk.tf.json`: Terraform JSON (`resource` → type → name → body, and `data`, `terraform`, `provider`,
 * `variable`, `output`). The one type every reader of the synth (tools and tests) uses; the strict checks of its
 * bodies are the schema walker's (gcp/schema), not the type system's.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped Terraform JSON, checked by gcp/schema
export type TfJson = Record<string, any> & { resource: Record<string, Record<string, Record<string, any>>> };

export const stackFile = (synthDir: string, env: string): string => path.join(synthDir, 'stacks', env, 'cdk.tf.json');

/** The bootstrap stack of an environment is synthesized beside it as `<env>-bootstrap` (stacks/bootstrap-stack.ts). */
export const BOOTSTRAP_SUFFIX = '-bootstrap';
export const bootstrapStackName = (env: string): string => `${env}${BOOTSTRAP_SUFFIX}`;
export const isBootstrapStack = (stack: string): boolean => stack.endsWith(BOOTSTRAP_SUFFIX);

export const MANIFEST = 'manifest.json';
export const partialDirOf = (outdir: string, pid = process.pid): string => `${outdir}.partial-${pid}`;
const oldDirOf = (outdir: string, pid = process.pid): string => `${outdir}.old-${pid}`;
export const lockDirOf = (outdir: string): string => `${outdir}.lock`;

/** A synth that could not take the output's lock in time: one line for the user, exit 2. */
export class SynthLockError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SynthLockError';
  }
}

/** An output path that is not a synth output (a file, a folder of something else): one line for the user, exit 2. */
export class SynthOutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SynthOutputError';
  }
}

/** CDKTF's manifest: the stacks by name, each with its folder relative to the synth dir. */
export interface SynthManifest {
  version: string;
  stacks: Record<string, { name: string; workingDirectory: string; synthesizedStackPath: string; [key: string]: unknown }>;
  [key: string]: unknown;
}

/** JSON with sorted keys, formatted as CDKTF formats its manifest (json-stable-stringify with 2 spaces). */
export function stableStringify(value: unknown, level = 0): string {
  const space = '  ';
  const indent = `\n${space.repeat(level)}`;
  if (Array.isArray(value)) return `[${value.map((v) => `${indent}${space}${stableStringify(v, level + 1)}`).join(',')}${indent}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${indent}${space}${JSON.stringify(k)}: ${stableStringify((value as Record<string, unknown>)[k], level + 1)}`);
    return `{${entries.join(',')}${indent}}`;
  }
  return JSON.stringify(value);
}

export function readManifest(dir: string): SynthManifest | undefined {
  try {
    const json = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8')) as SynthManifest;
    return json && typeof json === 'object' && json.stacks && typeof json.stacks === 'object' ? json : undefined;
  } catch {
    return undefined;
  }
}

/** What cdktf and this synth write at the top of an output; Terraform's and cdktf's other files live in stacks/<stack>/. */
const OUTPUT_ENTRIES = new Set([MANIFEST, 'stacks']);
/** What a file browser leaves in any folder it shows (Finder, Explorer): not a user's file, and no reason to refuse. */
const FILE_BROWSER_ENTRIES = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini']);

/**
 * Throws SynthOutputError unless `outdir` may be replaced whole: it is absent, an empty folder, or a previous synth
 * output (a folder holding a CDKTF manifest.json and, beside it, at most a stacks/ folder). Anything else there, or a
 * file or symbolic link at that path, would be deleted by the swap.
 */
export function checkReplaceable(outdir: string): void {
  const refuse = (reason: string): never => {
    throw new SynthOutputError(`${outdir}: ${reason}; a synth replaces its output folder whole, so move it away or choose another output folder`);
  };
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(outdir);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return;
    if (errorCode(err) === 'ENOTDIR') throw new SynthOutputError(`${outdir}: a folder on its path is a file`);
    throw err;
  }
  if (stat.isSymbolicLink()) refuse('a symbolic link, not a synth output folder');
  if (!stat.isDirectory()) refuse('a file, not a synth output folder');
  const names = fs
    .readdirSync(outdir)
    .filter((n) => !FILE_BROWSER_ENTRIES.has(n))
    .sort();
  if (names.length === 0) return;
  const foreign = names.filter((n) => !OUTPUT_ENTRIES.has(n));
  if (foreign.length) refuse(`not a synth output (it holds ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ` and ${foreign.length - 3} more` : ''})`);
  if (!readManifest(outdir)) refuse(`not a synth output (no CDKTF ${MANIFEST} in it)`);
  if (names.includes('stacks') && !fs.lstatSync(path.join(outdir, 'stacks')).isDirectory()) refuse('not a synth output (its stacks is not a folder)');
}

const errorCode = (err: unknown) => (err as NodeJS.ErrnoException).code;

/** scripts/dir-lock.js: the lock protocol the build's lock (scripts/freshness.js) shares, in plain JavaScript. */
interface DirLock {
  alive(pid: number): boolean;
  acquireDirLock(lock: string, options: { timeoutMs: number; pollMs: number; timeout(holder: number | undefined): Error }): void;
  releaseDirLock(lock: string): void;
}
/**
 * The project's scripts/dir-lock.js: the build takes the same lock before anything is compiled, so the code lives
 * there as JavaScript, one folder up from stacks/ in the sources and two from dist/stacks/. Only those two places:
 * never another project's scripts/ further up.
 */
function loadDirLock(): DirLock {
  const places = ['..', path.join('..', '..')].map((up) => path.resolve(__dirname, up, 'scripts', 'dir-lock.js'));
  const file = places.find((f) => fs.existsSync(f));
  if (!file) throw new Error(`the project's scripts/dir-lock.js is missing (looked at ${places.join(' and ')})`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as DirLock;
}
const dirLock = loadDirLock();

/** Whether a process with this pid runs (EPERM: it does, as another user's); never for 0 or less (process groups). */
export const alive = (pid: number): boolean => dirLock.alive(pid);

/** Removes `lock` if this process holds it: never a lock another synth took over since. */
function releaseLock(lock: string): void {
  heldLocks.delete(lock);
  dirLock.releaseDirLock(lock);
}

/**
 * Takes `<out>.lock/` (scripts/dir-lock.js), waiting while another live synth holds it; a lock whose process is gone
 * is taken over. Returns the release function.
 */
export function acquireSynthLock(outdir: string, timeoutMs = 120_000): () => void {
  const lock = lockDirOf(outdir);
  dirLock.acquireDirLock(lock, {
    timeoutMs,
    pollMs: 25,
    timeout: (holder) =>
      new SynthLockError(
        `${lock}: another synth (pid ${holder ?? '?'}) has held the output's lock for ${Math.round(timeoutMs / 1000)} s; if none is running, remove ${lock}`,
      ),
  });
  heldLocks.add(lock);
  return () => releaseLock(lock);
}

/** Locks held by this process and partial directories it is writing: what a signal handler must remove. */
const heldLocks = new Set<string>();
const activePartials = new Set<string>();

export function startPartial(outdir: string): string {
  const partial = partialDirOf(outdir);
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial, { recursive: true });
  activePartials.add(partial);
  return partial;
}

export function discardPartial(partial: string): void {
  fs.rmSync(partial, { recursive: true, force: true });
  activePartials.delete(partial);
}

/** Removes what this process has half-written (partial directories) and the locks it holds. For signal handlers. */
export function cleanUpAfterInterrupt(): void {
  for (const partial of activePartials) fs.rmSync(partial, { recursive: true, force: true });
  activePartials.clear();
  for (const lock of [...heldLocks]) releaseLock(lock);
}

/**
 * SIGINT, SIGTERM and SIGHUP remove the partial directory and exit 130/143/129. Node runs these handlers only between
 * event-loop turns, so a handler never runs in the middle of the (synchronous) commit.
 */
export function installInterruptCleanup(): void {
  const codes: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  for (const [signal, code] of Object.entries(codes)) {
    process.on(signal, () => {
      cleanUpAfterInterrupt();
      process.stderr.write(`synth interrupted (${signal}): nothing written, the previous output is unchanged\n`);
      process.exit(code);
    });
  }
}

/** Under the lock: puts back an output a SIGKILLed swap left aside, and removes partial/old dirs of dead processes. */
function recover(outdir: string): void {
  const parent = path.dirname(outdir);
  const base = path.basename(outdir);
  const leftovers = fs.existsSync(parent) ? fs.readdirSync(parent) : [];
  const pattern = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(partial|old)-(\\d+)$`);
  const dead = leftovers.map((n) => ({ n, m: pattern.exec(n) })).filter((x) => x.m && Number(x.m[2]) !== process.pid && !alive(Number(x.m[2])));
  if (!fs.existsSync(outdir)) {
    const old = dead.find((x) => x.m![1] === 'old');
    if (old) fs.renameSync(path.join(parent, old.n), outdir);
  }
  for (const x of dead) fs.rmSync(path.join(parent, x.n), { recursive: true, force: true });
}

/** Hard-links (or copies, where links fail) the tree `from` into `to`: cheap, and the source stays untouched. */
function linkTree(from: string, to: string): void {
  const stat = fs.lstatSync(from);
  if (stat.isDirectory()) {
    fs.mkdirSync(to, { recursive: true });
    for (const name of fs.readdirSync(from)) linkTree(path.join(from, name), path.join(to, name));
  } else if (stat.isSymbolicLink()) {
    fs.symlinkSync(fs.readlinkSync(from), to);
  } else {
    try {
      fs.linkSync(from, to);
    } catch {
      fs.copyFileSync(from, to);
    }
  }
}

/** Terraform's own files in a stack folder (`cdktf deploy` runs terraform there): kept across synths, as cdktf does. */
const isTerraformWorkingFile = (name: string) => name.startsWith('.terraform') || name.startsWith('terraform.');

/**
 * Commits a finished partial directory (holding manifest.json and stacks/ of the stacks it synthesized) as `outdir`.
 * Stacks of the current output for which `keep(name)` holds and that the partial lacks are carried over with their
 * manifest entries; Terraform's working files in a re-synthesized stack's folder are carried over too.
 */
export function commitSynth(outdir: string, partial: string, keep: (stack: string) => boolean, lockTimeoutMs?: number): void {
  const release = acquireSynthLock(outdir, lockTimeoutMs);
  try {
    recover(outdir);
    // Again under the lock, right before the swap: the path may have changed since the synth began.
    checkReplaceable(outdir);
    const current = fs.existsSync(outdir) ? readManifest(outdir) : undefined;
    const manifest = readManifest(partial) ?? { version: current?.version ?? '', stacks: {} };
    for (const [name, entry] of Object.entries(current?.stacks ?? {})) {
      const from = path.join(outdir, entry.workingDirectory ?? path.join('stacks', name));
      if (!fs.existsSync(from)) continue;
      const to = path.join(partial, 'stacks', name);
      if (manifest.stacks[name]) {
        for (const file of fs.readdirSync(from).filter(isTerraformWorkingFile)) {
          if (!fs.existsSync(path.join(to, file))) linkTree(path.join(from, file), path.join(to, file));
        }
      } else if (keep(name)) {
        linkTree(from, path.join(partial, entry.workingDirectory ?? path.join('stacks', name)));
        manifest.stacks[name] = entry;
      }
    }
    fs.writeFileSync(path.join(partial, MANIFEST), stableStringify(manifest));
    const old = oldDirOf(outdir);
    fs.rmSync(old, { recursive: true, force: true });
    if (fs.existsSync(outdir)) fs.renameSync(outdir, old);
    fs.renameSync(partial, outdir);
    activePartials.delete(partial);
    fs.rmSync(old, { recursive: true, force: true });
  } finally {
    release();
  }
}
