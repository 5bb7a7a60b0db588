/**
 * Reading synthesized stacks (`<dir>/stacks/<env>/cdk.tf.json`) for review, cost and export-hcl, and synthesizing the
 * working tree (or a git ref, in a temporary worktree) when no directory is given.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../../catalog/project-root';
import { ENVIRONMENT_NAMES } from '../../environments/schema';
import { alive, DEFAULT_SYNTH_DIR, isBootstrapStack } from '../../stacks/synth-output';

/** A bad argument or input: the CLI prints the message (one line) and exits 2. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

import type { TfJson } from '../../stacks/synth-output';

export type { TfJson };

/** The folder holding `<env>/cdk.tf.json`: DIR/stacks, or DIR itself when it already is a stacks folder. */
export function stacksDir(dir: string): string {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new InputError(`${dir}: not a directory`);
  const nested = path.join(dir, 'stacks');
  if (fs.existsSync(nested) && fs.statSync(nested).isDirectory()) return nested;
  const direct = fs.readdirSync(dir).some((e) => fs.existsSync(path.join(dir, e, 'cdk.tf.json')));
  if (direct) return dir;
  throw new InputError(`${dir}: no synthesized stacks (expected ${path.join(dir, 'stacks', '<env>', 'cdk.tf.json')})`);
}

/**
 * Environment names of a synth dir, sorted dev, staging, prod first, then alphabetically. The `<env>-bootstrap`
 * stacks beside them (IAM and identity federation an admin applies once) are no monitoring stacks: review, cost and
 * the HCL export leave them out.
 */
export function listStacks(dir: string): string[] {
  const root = stacksDir(dir);
  const order: readonly string[] = ENVIRONMENT_NAMES;
  const rank = (n: string) => (order.includes(n) ? order.indexOf(n) : order.length);
  return fs
    .readdirSync(root)
    .filter((e) => !isBootstrapStack(e) && fs.existsSync(path.join(root, e, 'cdk.tf.json')))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export function readStack(dir: string, env: string): TfJson {
  const file = path.join(stacksDir(dir), env, 'cdk.tf.json');
  if (!fs.existsSync(file)) throw new InputError(`${file}: missing (no stack "${env}" in ${dir})`);
  return readTfJson(file);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads one synthesized stack file (a `cdk.tf.json`, which exists): what is not JSON, not an object, or whose
 * `resource`, a resource type's value or a resource's body is not an object is an InputError naming the file and the
 * field (`<file>: resource.<type>: not an object`), never a bare "Unexpected end of JSON input", nor a stack read as
 * empty (a $0 bill, no log-based metric). For every tool that reads a synth (review, cost, export-hcl, preview, drill,
 * check-logs).
 */
export function readTfJson(file: string): TfJson {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InputError(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const notAnObject = (field: string) => new InputError(`${file}: ${field}: not an object`);
  if (!isObject(json)) throw notAnObject('(root)');
  const resource = json.resource;
  if (resource === undefined) return json as TfJson;
  if (!isObject(resource)) throw notAnObject('resource');
  for (const [type, byName] of Object.entries(resource)) {
    if (!isObject(byName)) throw notAnObject(`resource.${type}`);
    for (const [name, body] of Object.entries(byName)) if (!isObject(body)) throw notAnObject(`resource.${type}.${name}`);
  }
  return json as TfJson;
}

// ---------------------------------------------------------------------------------------------------------------
// Temporary directories and worktrees: removed on return, on error, on SIGINT/SIGTERM/SIGHUP, and (after a SIGKILL)
// by the next review, which recognizes them by the pid in their name.

const TEMP_PREFIX = 'vividly-review-';
const temporaries = new Set<string>();
const children = new Set<ChildProcess>();
/** The children started in a process group of their own: an interrupt kills the group (their own children too). */
const groups = new WeakSet<ChildProcess>();
const worktrees = new Map<string, string>(); // worktree path → repository root

/** A fresh temporary directory named after this process (so a later run can tell it was left behind). */
function tempDir(kind: 'synth' | 'worktree'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${TEMP_PREFIX}${kind}-${process.pid}-`));
  temporaries.add(dir);
  return dir;
}

/**
 * A fresh temporary directory `<tmp>/vividly-<tool>-<what>-<pid>-XXXXXX` of another tool (bench), removed by
 * {@link removeAllTemporaries}, so on SIGINT/SIGTERM/SIGHUP while {@link cleanUpOnSignals} is in force, unless
 * {@link removeTemporary} removed it first. Named after this process, as a review's are: what a run killed outright
 * (SIGKILL) left, the next run removes ({@link removeLeftoverTemporaries}).
 */
export function makeTemporaryDir(tool: string, what: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `vividly-${tool}-${what}-${process.pid}-`));
  temporaries.add(dir);
  return dir;
}

/**
 * Removes the temporary directories that runs of `tool` which have ended left in `tmp` (a review's of tempDir, a
 * bench's of {@link makeTemporaryDir}); `beforeRemoving` first undoes what a directory holds beyond its files (a
 * review's registered worktree). One still in use (an orphaned child of the killed run) is left for the next run.
 */
export function removeLeftoverTemporaries(tool: string, tmp = os.tmpdir(), beforeRemoving?: (dir: string) => void): string[] {
  const removed: string[] = [];
  for (const name of fs.readdirSync(tmp)) {
    if (!leftBehind(name, tool, '[a-z]+')) continue;
    const dir = path.join(tmp, name);
    try {
      beforeRemoving?.(dir);
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
      removed.push(dir);
    } catch {
      // Still in use: the next run tries again.
    }
  }
  return removed;
}

/** Registers a path (a folder or a file being written) for {@link removeAllTemporaries}; {@link removeTemporary} removes it. */
export function trackTemporary(p: string): void {
  temporaries.add(p);
}

/**
 * Unregisters and deletes a temporary worktree, and only it. `git worktree remove --force --force` does that when the
 * worktree is whole (forced twice: a killed `git worktree add` leaves it locked, "initializing"). When `remove` refuses
 * (killed before the worktree was whole, its `.git` file written and `commondir` not yet; or its folder already gone),
 * the folder and its entry in the repository (`worktrees/<id>`) are deleted here. Never `git worktree prune`: it
 * deletes any unlocked entry without a `gitdir` file, or whose `gitdir` names a missing `.git`, and that is what
 * another review's `git worktree add` looks like for a moment; the add then fails (17 of 80 adds beside a loop of
 * prunes, git 2.39). Two reviews of one repository at once, or a review beside a backtest of a ref, broke each other.
 */
function removeWorktree(worktree: string, root: string): void {
  const removed = spawnSync('git', ['worktree', 'remove', '--force', '--force', worktree], { cwd: root });
  if (removed.status !== 0) {
    const entry = worktreeEntry(worktree, root);
    for (const dir of entry ? [worktree, entry] : [worktree]) {
      try {
        fs.rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
      } catch {
        // Still in use (a child killed a moment ago): the next review removes what is left.
      }
    }
  }
  worktrees.delete(worktree);
}

/** `root`'s repository's worktree entries (`<common dir>/worktrees/<id>`); none outside a repository. */
function worktreeEntries(root: string): string[] {
  const common = spawnSync('git', ['rev-parse', '--git-common-dir'], { cwd: root, encoding: 'utf8' });
  const dir = common.status === 0 ? path.join(path.resolve(root, common.stdout.trim()), 'worktrees') : undefined;
  return dir && fs.existsSync(dir) ? fs.readdirSync(dir).map((id) => path.join(dir, id)) : [];
}

/** The `.git` file an entry's `gitdir` names (git 2.48+ may write it relative to the entry); undefined without one. */
function entryTarget(entry: string): string | undefined {
  try {
    return path.resolve(entry, fs.readFileSync(path.join(entry, 'gitdir'), 'utf8').trim());
  } catch {
    return undefined;
  }
}

/**
 * The worktree's entry: the one its own `.git` file names ("gitdir: <entry>", in whichever repository: a review of
 * another clone may be removing it), else the one of `root`'s repository. Either way only an entry whose `gitdir`
 * names this worktree's `.git` back (git writes that path resolved, so symlinks in the temporary directory are resolved
 * here too, as far as the path still exists). Undefined when none does, as for an add killed before it wrote `gitdir`:
 * git does not list such an entry.
 */
function worktreeEntry(worktree: string, root: string): string | undefined {
  const dotGit = new Set([worktree, resolvedAsFarAsExists(worktree)].map((w) => path.join(w, '.git')));
  let named: string | undefined;
  try {
    const m = /^gitdir: (.+)$/m.exec(fs.readFileSync(path.join(worktree, '.git'), 'utf8'));
    if (m) named = path.resolve(worktree, m[1].trim());
  } catch {
    // No .git file (killed before git wrote it, or the folder is gone): found from the repository's side.
  }
  const candidates = [...(named && path.basename(path.dirname(named)) === 'worktrees' ? [named] : []), ...worktreeEntries(root)];
  return candidates.find((entry) => dotGit.has(entryTarget(entry) ?? ''));
}

/** `p` with symlinks resolved in its longest existing prefix. */
function resolvedAsFarAsExists(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    const parent = path.dirname(p);
    return parent === p ? p : path.join(resolvedAsFarAsExists(parent), path.basename(p));
  }
}

function removeTemp(dir: string): void {
  // Retries: a child just killed may still be closing files in it.
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  temporaries.delete(dir);
}

/** Removes a temporary directory (or file) of {@link makeTemporaryDir} or {@link trackTemporary} and forgets it. */
export const removeTemporary = (p: string): void => removeTemp(p);

/** Stops the children still running (a synth in a worktree), then removes every worktree and temporary directory. */
export function removeAllTemporaries(): void {
  for (const child of children) {
    try {
      if (groups.has(child) && child.pid) process.kill(-child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      // Already gone.
    }
  }
  for (const [worktree, root] of [...worktrees]) removeWorktree(worktree, root);
  for (const dir of [...temporaries]) removeTemp(dir);
}

/**
 * Whether a temporary folder's name is a tool's (`vividly-<tool>-<kind>-<pid>-…`, the kind matching `kinds`) whose
 * process, another than this one, has ended: a review's (tempDir) or a bench's (makeTemporaryDir).
 */
function leftBehind(name: string, tool: string, kinds: string): boolean {
  const m = new RegExp(`^vividly-${tool}-${kinds}-(\\d+)-`).exec(name);
  return !!m && Number(m[1]) !== process.pid && !alive(Number(m[1]));
}

/**
 * Removes what a killed review (SIGKILL, power loss) left: its temp dirs and its worktrees, and from `root`'s list the
 * worktrees of killed reviews whose folders are already gone (deleted by a review of another clone, or a /tmp
 * cleared at boot). A live review's worktree, even one `git worktree add` is still making, is never touched.
 */
export function removeLeftovers(root = projectRoot(), tmp = os.tmpdir()): string[] {
  for (const entry of worktreeEntries(root)) {
    // A review's worktree is `<tmp>/vividly-review-worktree-<pid>-<random>/worktree`: its entry names `…/worktree/.git`.
    const target = entryTarget(entry);
    if (!target || fs.existsSync(target) || !target.endsWith(`${path.sep}worktree${path.sep}.git`)) continue;
    if (!leftBehind(path.basename(path.dirname(path.dirname(target))), 'review', 'worktree')) continue;
    try {
      fs.rmSync(entry, { recursive: true, force: true });
    } catch {
      // The next review tries again.
    }
  }
  return removeLeftoverTemporaries('review', tmp, (dir) => {
    if (path.basename(dir).startsWith(`${TEMP_PREFIX}worktree-`)) removeWorktree(path.join(dir, 'worktree'), root);
  });
}

/** Whether handlers of {@link cleanUpOnSignals} are installed (a nested call adds none). */
let cleaningOnSignals = false;

/**
 * Until the returned function is called, SIGINT, SIGTERM and SIGHUP remove every temporary worktree and directory
 * (and every partial output, tools/shared/output.ts), print `<tool>: interrupted (<signal>); <removed> removed`, then
 * exit 130/143/129. (Node runs the handlers between event-loop turns: a synchronous step finishes first, so a tool
 * awaits {@link interruptPoint} before it puts its output in place.) While handlers are installed, a nested call
 * installs none and returns a function that does nothing.
 */
export function cleanUpOnSignals(tool = 'review', removed = 'temporary worktrees and directories'): () => void {
  if (cleaningOnSignals) return () => undefined;
  cleaningOnSignals = true;
  const codes: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  const handlers = Object.entries(codes).map(([signal, code]) => {
    const handler = () => {
      removeAllTemporaries();
      process.stderr.write(`${tool}: interrupted (${signal}); ${removed} removed\n`);
      process.exit(code);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
    cleaningOnSignals = false;
  };
}

/**
 * The working tree is synthesized by the compiled app: when a tool runs from dist/ and dist/ is not a good build of
 * the working tree (a source is newer, or the last build failed: tsc still writes dist/ on a type error), the synth
 * would show other code than the sources. Returns why (scripts/freshness.js, as every npm script checks), or undefined.
 */
export function staleBuild(root = projectRoot()): string | undefined {
  if (__filename.endsWith('.ts')) return undefined; // running from the sources (jest): nothing compiled to go stale
  return freshness(root).buildStaleReason(root);
}

/** scripts/freshness.js: when dist/ and cdktf.out are older than what they are made from. */
function freshness(root: string): { buildStaleReason(root: string): string | undefined; synthStaleReason(root: string, outdir: string): string | undefined } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain Node script shared with scripts/cdktf-app.js
  return require(path.join(root, 'scripts', 'freshness.js'));
}

/**
 * The working tree's synth for a tool given no --synth-dir (cost, export-hcl). Run in the project's root (as the bin
 * runs it, having re-synthesized cdktf.out when a source or an environment was newer: scripts/freshness.js), the
 * project's cdktf.out when it is as new as everything it is made from, as check-logs, simulate and drill read it: no
 * synth per call. Else (another folder, or a synth older than a source) a fresh synth in a temporary directory, which
 * the caller removes with {@link removeSynth} when `temporary`.
 */
export function workingTreeSynth(envs?: string[], root = projectRoot()): { dir: string; temporary: boolean } {
  const own = path.join(root, DEFAULT_SYNTH_DIR);
  const fresh = path.resolve(process.cwd()) === root && !staleBuild(root) && !freshness(root).synthStaleReason(root, own);
  return fresh ? { dir: own, temporary: false } : { dir: synthWorkingTree(envs), temporary: true };
}

/** Synthesizes the working tree in-process into a fresh temp dir; returns the dir (the caller removes it). */
export function synthWorkingTree(envs?: string[]): string {
  const stale = staleBuild();
  if (stale) {
    throw new InputError(`${stale}: the working tree would be read as last built. Run the npm script (it builds first) or \`npm run build\`, then try again`);
  }
  const dir = tempDir('synth');
  const out = path.join(dir, 'cdktf.out');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the synth (cdktf, providers) loads only when a review needs it
  const { synthesize } = require('../../main') as { synthesize(outdir: string, envs?: readonly string[]): string[] };
  synthesize(out, envs);
  return out;
}

function git(args: string[], cwd: string): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new InputError(`git ${args.join(' ')}: ${(r.stderr || r.stdout || '').trim().split('\n')[0]}`);
  return r.stdout.trim();
}

export function isGitRef(ref: string, cwd = projectRoot()): boolean {
  return spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd, encoding: 'utf8' }).status === 0;
}

/**
 * Node's arguments that run the project's code as `npm run synth` and the bin do: V8 tuned for a short run
 * (scripts/v8-flags.js, preloaded by scripts/short-run.js).
 */
export function shortRunNodeArgs(): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain Node script shared with npm test and the build
  return (require(path.join(projectRoot(), 'scripts', 'v8-flags.js')) as { SHORT_RUN_NODE_ARGS: string[] }).SHORT_RUN_NODE_ARGS;
}

/** Runs node with `args` (V8 tuned for a short run) as a tracked child (killed on interrupt); resolves with its exit code and output. */
function runNode(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runTracked(process.execPath, [...shortRunNodeArgs(), ...args], options);
}

/**
 * Runs `command` as a tracked child: {@link removeAllTemporaries} (an interrupt) kills it, and with `group` its whole
 * process group (it is started in one of its own: what it starts is stopped too, even when the signal was sent to
 * this process alone). Resolves with its exit code and output.
 */
export function runTracked(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; group?: boolean },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: !!options.group });
    children.add(child);
    if (options.group) groups.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', (err) => {
      children.delete(child);
      reject(err);
    });
    child.on('close', (code) => {
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Lets pending signal handlers run (between the synchronous steps of a synth, or before an output is put in place).
 * Two turns of the event loop: libuv reads signals in its poll phase, and code resumed from an I/O callback (a child's
 * exit, a stream's data) reaches the first setImmediate before the next poll; the second comes after it.
 */
export const interruptPoint = async (): Promise<void> => {
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
};

/** Test seams of {@link synthGitRef}. */
export interface SynthGitRefOptions {
  /** Called with the temporary worktree's path as soon as it is created (it is removed before synthGitRef returns). */
  onWorktree?: (worktree: string) => void;
  /** Called with the compiler used: `swc`, or `tsc` when @swc/core cannot be loaded. */
  onCompile?: (compiler: 'swc' | 'tsc') => void;
  /** Loads @swc/core (tests pass `() => undefined` to force the tsc fallback). */
  loadSwc?: () => SwcCore | undefined;
  /** Synthesize only these environments (`node dist/main.js ENV…`); default all. */
  envs?: readonly string[];
}

/** The part of @swc/core used here. */
export interface SwcCore {
  transformFileSync(file: string, options: Record<string, unknown>): { code: string };
}

/** @swc/core, or undefined when it cannot be loaded (a devDependency). */
export function loadSwcCore(): SwcCore | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional: absent swc falls back to tsc
    return require('@swc/core') as SwcCore;
  } catch {
    return undefined;
  }
}

const SKIPPED_DIRS = new Set(['node_modules', '__tests__', 'dist', 'cdktf.out']);

/** Every `*.ts` of `dir` (not `.d.ts`) outside node_modules, __tests__, dist, cdktf.out and dot folders, relative to `dir`. */
function typescriptSources(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const child = path.join(rel, e.name);
    if (e.isDirectory()) {
      if (!SKIPPED_DIRS.has(e.name) && !e.name.startsWith('.')) out.push(...typescriptSources(dir, child));
    } else if (e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(child);
  }
  return out.sort();
}

const SWC_OPTIONS = {
  swcrc: false,
  configFile: false,
  sourceMaps: false,
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022', transform: { useDefineForClassFields: true } },
  module: { type: 'commonjs' },
};

/** The CommonJS code of `rel` (a `.ts` of `dir`), written nowhere. A file swc cannot parse throws an InputError. */
export function compileSource(dir: string, rel: string, swc: SwcCore, label: string): string {
  try {
    return swc.transformFileSync(path.join(dir, rel), SWC_OPTIONS).code;
  } catch (err) {
    // swc's first line is the diagnostic ("  x Expected '}', got '<eof>'"), then a code frame and a backtrace.
    const first =
      String((err as { message?: unknown } | undefined)?.message ?? err)
        .split('\n')
        .map((l) => l.trim().replace(/^x\s+/, ''))
        .find(Boolean) ?? 'syntax error';
    throw new InputError(`${label}: cannot compile ${rel} (${first})`);
  }
}

/** Transpiles `rel` (a `.ts` of `dir`) into `dir/dist`; returns the emitted code. A file swc cannot parse throws. */
function transpileFile(dir: string, rel: string, swc: SwcCore, label: string): string {
  const code = compileSource(dir, rel, swc, label);
  const target = path.join(dir, 'dist', rel.replace(/\.ts$/, '.js'));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, code);
  return code;
}

/**
 * Transpiles the TypeScript of `dir` into `dir/dist` with swc (CommonJS, ES2022, the relative paths kept, as tsc's
 * `rootDir: "."` does): no type checking, which is CI's typecheck job's business. A file swc cannot parse throws an
 * InputError naming it. With `entry` (a `.ts` relative to `dir`), only that file and the sources its code requires by
 * a relative path (`import`, `export … from`, `require('./x')`, `import('./x')`), transitively: what running it loads,
 * not the tests' helpers or the other tools. Without, every `*.ts` outside node_modules, __tests__ and dist (the
 * fallback when a module is required by a computed path). Returns the files transpiled, sorted. What the scan cannot
 * see and no missing module reveals (a computed require inside try/catch, modules found by listing a folder) would be
 * left out silently; the synth side does neither today.
 */
export function transpileTree(dir: string, swc: SwcCore, label = dir, entry?: string, skip: ReadonlySet<string> = new Set()): string[] {
  if (entry === undefined) {
    const files = typescriptSources(dir).filter((rel) => !skip.has(rel));
    for (const rel of files) transpileFile(dir, rel, swc, label);
    return files;
  }
  return requiredSources(dir, entry, (rel) => transpileFile(dir, rel, swc, label));
}

/**
 * `entry` (a `.ts` relative to `dir`) and the sources its code requires by a relative path (`import`, `export … from`,
 * `require('./x')`, `import('./x')`; not type-only imports, which compile to nothing), transitively: what running it
 * loads. `compile(rel)` gives a source's CommonJS code; a source `within` refuses is neither listed nor followed.
 * Sorted, relative to `dir`.
 */
export function requiredSources(dir: string, entry: string, compile: (rel: string) => string, within: (rel: string) => boolean = () => true): string[] {
  const done = new Set<string>();
  const queue = [path.normalize(entry)];
  while (queue.length) {
    const rel = queue.shift()!;
    if (done.has(rel)) continue;
    done.add(rel);
    for (const m of compile(rel).matchAll(/\brequire\(\s*(["'])(\.{1,2}\/[^"'\\]*|\.{1,2})\1\s*\)/g)) {
      const request = path.join(path.dirname(rel), m[2]);
      // Node's lookup for a relative request, on the sources: X.ts (X.js written as the compiled name), X/index.ts.
      // Not a folder the whole-tree walk skips (its requires fail, as they would with the whole tree transpiled).
      const source = [`${request.replace(/\.js$/, '')}.ts`, path.join(request, 'index.ts')].find(
        (c) =>
          !c.endsWith('.d.ts') &&
          !c.split(path.sep).some((seg) => seg === '..' || SKIPPED_DIRS.has(seg) || seg.startsWith('.')) &&
          fs.existsSync(path.join(dir, c)),
      );
      if (source && !done.has(source) && within(source)) queue.push(source);
    }
  }
  return [...done].sort();
}

/**
 * Synthesizes a git ref: a detached temporary `git worktree`, the main checkout's node_modules symlinked in (no
 * `npm ci`), its TypeScript transpiled with @swc/core into `dist/` (about 10 times faster than a full `tsc` of the
 * worktree; type errors are the business of CI's typecheck job, not of a review: main.ts and the sources it requires,
 * every source if one is missing when it runs), its `dist/main.js` run with
 * CDKTF_OUTDIR. Without @swc/core (a devDependency) it falls back to the worktree's own `tsc -p tsconfig.json`, whose
 * type errors do not stop it as long as `dist/main.js` is emitted. The worktree is always removed; the returned synth
 * dir is the caller's to remove.
 */
export async function synthGitRef(ref: string, root = projectRoot(), options: SynthGitRefOptions = {}): Promise<string> {
  const commit = git(['rev-parse', '--verify', `${ref}^{commit}`], root);
  const tmp = tempDir('worktree');
  const worktree = path.join(tmp, 'worktree');
  const out = tempDir('synth');
  try {
    worktrees.set(worktree, root);
    git(['worktree', 'add', '--detach', '--force', worktree, commit], root);
    options.onWorktree?.(worktree);
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(worktree, 'node_modules'), 'dir');
    await interruptPoint();
    const swc = (options.loadSwc ?? loadSwcCore)();
    let compileNote = '';
    // The sources main.ts loads (fewer files to compile and write than the whole tree), the rest only if it needs them.
    let transpiled: string[] | undefined;
    if (swc) {
      options.onCompile?.('swc');
      const entry = fs.existsSync(path.join(worktree, 'main.ts')) ? 'main.ts' : undefined;
      const files = transpileTree(worktree, swc, ref, entry);
      if (entry) transpiled = files; // else the whole tree is already there
    } else {
      options.onCompile?.('tsc');
      const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
      const compiled = await runNode([tsc, '-p', 'tsconfig.json'], { cwd: worktree });
      compileNote = ` (${(compiled.stdout || compiled.stderr || '').trim().split('\n')[0]})`;
    }
    await interruptPoint();
    const main = path.join(worktree, 'dist', 'main.js');
    if (!fs.existsSync(main)) throw new InputError(`${ref}: compiling the ref emitted no dist/main.js${compileNote}`);
    const runSynth = () =>
      runNode([main, ...(options.envs ?? [])], {
        cwd: worktree,
        env: { ...process.env, CDKTF_OUTDIR: path.join(out, 'cdktf.out'), CHECKPOINT_DISABLE: '1' },
      });
    let synth = await runSynth();
    if (synth.code !== 0 && swc && transpiled && missingCompiledModule(synth.stderr, path.join(worktree, 'dist'))) {
      // A source required by a computed path (not seen in the code): the whole tree, as before, and once more.
      transpileTree(worktree, swc, ref, undefined, new Set(transpiled));
      fs.rmSync(path.join(out, 'cdktf.out'), { recursive: true, force: true });
      await interruptPoint();
      synth = await runSynth();
    }
    if (synth.code !== 0) {
      const lines = synth.stderr.trim().split('\n');
      throw new InputError(`${ref}: synth failed (${lines.find((l) => /^\w*Error\b|^synth stopped/.test(l)) ?? lines.pop() ?? 'no output'})`);
    }
    return path.join(out, 'cdktf.out');
  } catch (err) {
    removeTemp(out);
    throw err;
  } finally {
    removeWorktree(worktree, root);
    removeTemp(tmp);
  }
}

/** Whether a synth's stderr is Node's "Cannot find module" for a require made by a compiled file below `dist`. */
function missingCompiledModule(stderr: string, dist: string): boolean {
  // A relative request (a package the ref needs but node_modules lacks is not a source left out).
  const m = /Cannot find module '\.{1,2}\/[^']*'\nRequire stack:\n- (.*)/.exec(stderr);
  // Node names the requiring file by its real path (the temporary folder may be a symlink, as on macOS).
  return !!m && [dist, fs.realpathSync.native(dist)].some((d) => m[1].startsWith(`${d}${path.sep}`));
}

/** Removes a synth made by {@link synthWorkingTree} or {@link synthGitRef} (its temporary parent folder). */
export function removeSynth(synthDir: string): void {
  removeTemp(path.dirname(synthDir));
}
