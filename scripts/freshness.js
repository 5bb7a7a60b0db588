// Build and synth only when something changed, so a repeated tool call or test run costs its own time:
//   - dist/ is rebuilt (incremental tsc, dist/.tsbuildinfo) when a TypeScript source is newer than the last build, or
//     that build did not succeed (only a success writes dist/.build-stamp);
//   - cdktf.out is re-synthesized when a source, an environment file, a runbook or the installed dependencies are
//     newer than the synthesized stacks (or a stack is missing).
// Plain JavaScript with no dependency: it runs before anything is compiled (npm test, the bin, cdktf's app, jest's
// global setup). Progress goes to stderr, and only when stderr is a terminal, so redirected output stays clean.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { acquireDirLock, releaseDirLock } = require('./dir-lock');
const { SHORT_RUN_NODE_ARGS } = require('./v8-flags');

const ROOT = path.resolve(__dirname, '..');
/** What tsconfig.json compiles. */
const SOURCES = ['main.ts', 'environments', 'catalog', 'stacks', 'constructs', 'gcp', 'tools'];
/** What a synth reads besides the compiled code: runbook templates, the project and dependency manifests. */
const SYNTH_INPUTS = ['runbooks', 'cdktf.json', 'package-lock.json', 'tsconfig.json'];
const ENVIRONMENTS = ['dev', 'staging', 'prod'];
const BUILD_STAMP = path.join('dist', '.build-stamp');

/** The newest modification time (ms) of the files below `entry` whose name passes `keep` (0 when none). */
function newest(root, entry, keep = () => true) {
  const full = path.join(root, entry);
  const stat = fs.statSync(full, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return keep(entry) ? stat.mtimeMs : 0;
  let max = 0;
  for (const name of fs.readdirSync(full)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    max = Math.max(max, newest(root, path.join(entry, name), keep));
  }
  return max;
}

const isTs = (f) => f.endsWith('.ts') && !f.endsWith('.d.ts');
const mtime = (file) => fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;

/** Progress on stderr, only for a person at a terminal. */
function progress(message, stream = process.stderr) {
  if (stream.isTTY) stream.write(`${message}\n`);
}

/** The newest source (relative path) and its modification time. */
function newestSource(root = ROOT) {
  let best = { file: 'tsconfig.json', mtimeMs: mtime(path.join(root, 'tsconfig.json')) };
  const walk = (entry) => {
    const full = path.join(root, entry);
    const stat = fs.statSync(full, { throwIfNoEntry: false });
    if (!stat) return;
    if (!stat.isDirectory()) {
      if (isTs(entry) && stat.mtimeMs > best.mtimeMs) best = { file: entry, mtimeMs: stat.mtimeMs };
      return;
    }
    for (const name of fs.readdirSync(full)) if (name !== 'node_modules' && !name.startsWith('.')) walk(path.join(entry, name));
  };
  SOURCES.forEach(walk);
  return best;
}

/**
 * When the last good build started (ms since the epoch), as its stamp records it (else the stamp's own time). A source
 * saved while tsc ran may not be in dist/, and is older than the stamp written after: it must count as newer.
 */
function buildStartedMs(root = ROOT) {
  const file = path.join(root, BUILD_STAMP);
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch {
    // Removed since it was seen (another build starting): its time, 0 now, makes every source newer.
  }
  return /^\d+$/.test(text) ? Number(text) : mtime(file);
}

/**
 * Why dist/ must be rebuilt, or undefined when it is up to date. Only a build seen to succeed here counts: its stamp is
 * written after tsc exits 0. tsc still emits the JavaScript and rewrites .tsbuildinfo on a type error, so by those files
 * alone the next `npm test` or `cdktf deploy` would pass over the errors and run that code. A missing stamp (a build
 * that failed or was interrupted) or a .tsbuildinfo newer than it (a `tsc` run by hand, which may have failed) is built
 * again: incremental, and it reports the errors again. A source changed since that build started is built again too.
 */
function buildStaleReason(root = ROOT) {
  if (!fs.existsSync(path.join(root, 'dist', 'main.js'))) return 'dist/ is missing';
  const stamp = mtime(path.join(root, BUILD_STAMP));
  if (stamp === 0) return 'dist/ has no record of a successful build (dist/.build-stamp)';
  const source = newestSource(root);
  if (source.mtimeMs > buildStartedMs(root)) return `${source.file} is newer than dist/`;
  if (mtime(path.join(root, 'dist', '.tsbuildinfo')) > stamp)
    return 'dist/ was built since its last recorded success (dist/.tsbuildinfo is newer than dist/.build-stamp)';
  return undefined;
}

/**
 * Runs `fn` holding `<root>/dist.lock/` (scripts/dir-lock.js), waiting while a live build holds it: two tools started
 * at once after an edit (`npm test` beside `npm run simulate`) ran tsc into dist/ together, and one could load a file
 * the other was rewriting. A lock whose holder has ended (killed mid-build), or that never got a pid in 10 s, is taken
 * over.
 */
function withBuildLock(root, say, fn, timeoutMs = 10 * 60_000) {
  const lock = path.join(root, 'dist.lock');
  const waitingSince = Date.now();
  let said = false;
  acquireDirLock(lock, {
    timeoutMs,
    pollMs: 100,
    // Said once a live holder's pid is there (it follows its mkdir at once), or after a second without one.
    waiting: (holder) => {
      if (said || (holder === undefined && Date.now() - waitingSince <= 1000)) return;
      say(`waiting for another build (pid ${holder ?? '?'}) to finish`);
      said = true;
    },
    timeout: (holder) => new Error(`another build (pid ${holder ?? '?'}) has held ${lock} for ${timeoutMs / 1000} s; if none runs, remove it`),
  });
  try {
    return fn();
  } finally {
    releaseDirLock(lock);
  }
}

/** Runs the incremental tsc build when dist/ is stale; returns true when it built. Throws when tsc fails. */
function ensureBuilt({ root = ROOT, say = progress } = {}) {
  if (!buildStaleReason(root)) return false;
  return withBuildLock(root, say, () => {
    // Judged again under the lock: the build this one waited for may have made dist/ up to date.
    const reason = buildStaleReason(root);
    if (!reason) return false;
    say(`building: ${reason} (tsc, incremental)`);
    // File times come from a coarse clock (a few ms behind Date.now()): the margin keeps a save just after tsc read
    // the file newer than the recorded start. At worst, a save in the 100 ms before a build is built once more.
    const started = Date.now() - 100;
    // No stamp while tsc writes: a build that fails or is interrupted is not taken for a good one.
    fs.rmSync(path.join(root, BUILD_STAMP), { force: true });
    try {
      // A larger young generation: tsc allocates fast and short-lived; fewer scavenges cut a full build's CPU by ~15 %.
      // TurboFan later (scripts/v8-flags.js): a full build's CPU by another 25 %.
      const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
      execFileSync(process.execPath, [...SHORT_RUN_NODE_ARGS, '--max-semi-space-size=32', tsc, '-p', 'tsconfig.json'], {
        cwd: root,
        stdio: ['ignore', 'inherit', 'inherit'],
      });
    } catch {
      throw new Error('the TypeScript build failed (errors above); nothing was run');
    }
    fs.writeFileSync(path.join(root, BUILD_STAMP), `${started}\n`);
    return true;
  });
}

/** The newest time (ms) of what a synth is made from: the sources, the other synth inputs and the compiled code. */
function newestSynthInput(root = ROOT) {
  return Math.max(
    ...SOURCES.map((s) => newest(root, s, isTs)),
    ...SYNTH_INPUTS.map((s) => newest(root, s)),
    newest(root, 'dist', (f) => f.endsWith('.js')),
  );
}

/** Why `<outdir>` must be re-synthesized, or undefined when every stack is newer than every input. */
function synthStaleReason(root = ROOT, outdir = path.join(root, 'cdktf.out')) {
  const stacks = ENVIRONMENTS.map((env) => mtime(path.join(outdir, 'stacks', env, 'cdk.tf.json')));
  if (stacks.some((t) => t === 0)) return `${path.relative(process.cwd(), outdir) || outdir} has no synth of every environment`;
  return newestSynthInput(root) > Math.min(...stacks) ? 'a source or environment is newer than the synth' : undefined;
}

/** Builds if needed, then synthesizes all environments into `outdir` when stale; returns true when it synthesized. */
function ensureSynth({ root = ROOT, outdir = path.join(root, 'cdktf.out'), say = progress } = {}) {
  ensureBuilt({ root, say });
  const reason = synthStaleReason(root, outdir);
  if (!reason) return false;
  say(`synthesizing dev, staging, prod: ${reason}`);
  // As for the build: a source saved while the synth ran may not be in its output, yet is older than the stacks it
  // wrote after. The stacks take the synth's start as their time, so such a source is newer and synthesized again;
  // never older than the inputs the synth read (the build just before it wrote dist/ within that margin), rounded up
  // to the millisecond a file time can be set to (file times carry fractions of one). An input dated in the future
  // (clock skew, an unpacked archive) is not followed there: stacks stamped ahead of the clock would hide the next
  // edits until the clock caught up; such an input only makes each call synthesize again, as before.
  const now = Date.now();
  const input = newestSynthInput(root);
  const started = new Date(input <= now + 1 ? Math.ceil(Math.max(now - 100, input)) : now - 100);
  try {
    execFileSync(process.execPath, [...SHORT_RUN_NODE_ARGS, path.join(root, 'dist', 'main.js'), '--quiet'], {
      cwd: root,
      env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  } catch {
    throw new Error('synth failed (see above); nothing was run');
  }
  for (const env of ENVIRONMENTS) {
    try {
      fs.utimesSync(path.join(outdir, 'stacks', env, 'cdk.tf.json'), started, started);
    } catch {
      // Moved aside by another synth swapping in its output at this moment: its own stacks keep their time.
    }
  }
  return true;
}

module.exports = { ROOT, SOURCES, SYNTH_INPUTS, newest, progress, buildStaleReason, ensureBuilt, synthStaleReason, ensureSynth };

// `node scripts/freshness.js build|synth`: the same checks from a shell (npm run synth builds this way).
if (require.main === module) {
  const what = process.argv[2];
  if (what !== 'build' && what !== 'synth') {
    process.stderr.write('usage: node scripts/freshness.js build|synth\n');
    process.exitCode = 2;
  } else {
    try {
      if (what === 'build') ensureBuilt();
      else ensureSynth();
    } catch (err) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 1;
    }
  }
}
