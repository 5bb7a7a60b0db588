/**
 * Reading synthesized stacks (`<dir>/stacks/<env>/cdk.tf.json`) for review, cost and export-hcl, and synthesizing the
 * working tree (or a git ref, in a temporary worktree) when no directory is given.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../../catalog/project-root';
import { ENVIRONMENT_NAMES } from '../../environments/schema';
import { isBootstrapStack } from '../../stacks/synth-output';

/** A bad argument or input: the CLI prints the message (one line) and exits 2. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export type TfJson = Record<string, any> & { resource?: Record<string, Record<string, Record<string, any>>> };

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
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InputError(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new InputError(`${file}: field "(root)": must be a JSON object`);
  const resource = (json as TfJson).resource;
  if (resource !== undefined && (typeof resource !== 'object' || resource === null || Array.isArray(resource))) {
    throw new InputError(`${file}: field "resource": must be an object of resource types`);
  }
  return json as TfJson;
}

/** Synthesizes the working tree in-process into a fresh temp dir; returns the dir (the caller removes it). */
export function synthWorkingTree(envs?: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vividly-synth-'));
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

/** Test seams of {@link synthGitRef}. */
export interface SynthGitRefOptions {
  /** Called with the temporary worktree's path as soon as it is created (it is removed before synthGitRef returns). */
  onWorktree?: (worktree: string) => void;
  /** Called with the compiler used: `swc`, or `tsc` when @swc/core cannot be loaded. */
  onCompile?: (compiler: 'swc' | 'tsc') => void;
  /** Loads @swc/core (tests pass `() => undefined` to force the tsc fallback). */
  loadSwc?: () => SwcCore | undefined;
}

/** The part of @swc/core used here. */
export interface SwcCore {
  transformFileSync(file: string, options: Record<string, unknown>): { code: string };
}

function loadSwcCore(): SwcCore | undefined {
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

/**
 * Transpiles the TypeScript of `dir` into `dir/dist` with swc (CommonJS, ES2022, the relative paths kept, as tsc's
 * `rootDir: "."` does): no type checking, which is CI's typecheck job's business. A file swc cannot parse throws an
 * InputError naming it.
 */
export function transpileTree(dir: string, swc: SwcCore, label = dir): string[] {
  const files = typescriptSources(dir);
  for (const rel of files) {
    let code: string;
    try {
      ({ code } = swc.transformFileSync(path.join(dir, rel), {
        swcrc: false,
        configFile: false,
        sourceMaps: false,
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022', transform: { useDefineForClassFields: true } },
        module: { type: 'commonjs' },
      }));
    } catch (err) {
      // swc's first line is the diagnostic ("  x Expected '}', got '<eof>'"), then a code frame and a backtrace.
      const first = String((err as { message?: unknown } | undefined)?.message ?? err).split('\n').map((l) => l.trim().replace(/^x\s+/, '')).find(Boolean) ?? 'syntax error';
      throw new InputError(`${label}: cannot compile ${rel} (${first})`);
    }
    const target = path.join(dir, 'dist', rel.replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, code);
  }
  return files;
}

/**
 * Synthesizes a git ref: a detached temporary `git worktree`, the main checkout's node_modules symlinked in (no
 * `npm ci`), its TypeScript transpiled with @swc/core into `dist/` (about 10 times faster than a full `tsc` of the
 * worktree; type errors are the business of CI's typecheck job, not of a review), its `dist/main.js` run with
 * CDKTF_OUTDIR. Without @swc/core (a devDependency) it falls back to the worktree's own `tsc -p tsconfig.json`, whose
 * type errors do not stop it as long as `dist/main.js` is emitted. The worktree is always removed; the returned synth
 * dir is the caller's to remove.
 */
export function synthGitRef(ref: string, root = projectRoot(), options: SynthGitRefOptions = {}): string {
  const commit = git(['rev-parse', '--verify', `${ref}^{commit}`], root);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vividly-review-'));
  const worktree = path.join(tmp, 'worktree');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'vividly-synth-'));
  try {
    git(['worktree', 'add', '--detach', '--force', worktree, commit], root);
    options.onWorktree?.(worktree);
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(worktree, 'node_modules'), 'dir');
    const swc = (options.loadSwc ?? loadSwcCore)();
    let compileNote = '';
    if (swc) {
      options.onCompile?.('swc');
      transpileTree(worktree, swc, ref);
    } else {
      options.onCompile?.('tsc');
      const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
      const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: worktree, encoding: 'utf8' });
      compileNote = ` (${(compiled.stdout || compiled.stderr || '').trim().split('\n')[0]})`;
    }
    const main = path.join(worktree, 'dist', 'main.js');
    if (!fs.existsSync(main)) throw new InputError(`${ref}: compiling the ref emitted no dist/main.js${compileNote}`);
    try {
      execFileSync(process.execPath, [main], {
        cwd: worktree,
        env: { ...process.env, CDKTF_OUTDIR: path.join(out, 'cdktf.out'), CHECKPOINT_DISABLE: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (err) {
      const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? '';
      const lines = stderr.trim().split('\n');
      throw new InputError(`${ref}: synth failed (${lines.find((l) => /^\w*Error\b|^synth stopped/.test(l)) ?? lines.pop() ?? 'no output'})`);
    }
    return path.join(out, 'cdktf.out');
  } catch (err) {
    fs.rmSync(out, { recursive: true, force: true });
    throw err;
  } finally {
    spawnSync('git', ['worktree', 'remove', '--force', worktree], { cwd: root });
    fs.rmSync(tmp, { recursive: true, force: true });
    spawnSync('git', ['worktree', 'prune'], { cwd: root });
  }
}

/** Removes a synth made by {@link synthWorkingTree} or {@link synthGitRef} (its temporary parent folder). */
export function removeSynth(synthDir: string): void {
  fs.rmSync(path.dirname(synthDir), { recursive: true, force: true });
}
