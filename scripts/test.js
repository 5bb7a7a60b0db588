#!/usr/bin/env node
// `npm test`: the whole suite on any machine. It makes sure the headless browser is there (finding Debian's
// Chromium, or installing it as root with apt-get), rebuilds dist/ only when a source is newer, runs eslint and the
// prettier check, and runs jest with the given arguments (`npm test -- __tests__/preview`).
//
// eslint and prettier read the sources, not dist/, so they run beside the build and jest instead of before them: on
// the 2-core machine they fill the time jest's workers wait (child processes, servers, timers) rather than adding
// ~20 s of their own in front of it. They run at a lower priority so jest's long files keep the cores; their output
// goes to temporary files and is printed after jest's, so the reports never interleave. The exit status is the first
// failure's (build, eslint, prettier, jest), and every check's verdict is printed.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { setImmediate } = require('node:timers');
const { ensureChromium } = require('./chromium');
const { ensureBuilt, progress } = require('./freshness');
const { SHORT_RUN_NODE_ARGS } = require('./v8-flags');

/**
 * V8 tuned for short runs (scripts/v8-flags.js, preloaded by scripts/short-run.js) in every process below: eslint,
 * prettier, jest, its workers and the processes the tests start. NODE_OPTIONS takes no V8 flag, but takes the file
 * that sets them; the user's own NODE_OPTIONS come after and win.
 */
const NODE_OPTIONS = (extra) => [extra, ...SHORT_RUN_NODE_ARGS.map((arg) => JSON.stringify(arg)), process.env.NODE_OPTIONS ?? ''].filter(Boolean).join(' ');

/**
 * Where the run's temporary files go. The suite makes and removes thousands of files (git worktrees, copies of the
 * project, synth outputs). On the 2-core machine's ext4 root, creating an inode among many just deleted (ext4's
 * find_inode_bit and recently_deleted, in a perf profile of the suite) cost about 3 s of CPU a run; in memory it costs
 * next to nothing. So: /dev/shm when TMPDIR is not set and /dev/shm is a tmpfs mounted without noexec (tests run
 * stand-in scripts from there) with 1 GiB free; else the system's temporary directory, as before.
 */
function temporaryBase({
  env = process.env,
  mounts = () => fs.readFileSync('/proc/self/mounts', 'utf8'),
  freeBytes = (dir) => {
    const { bavail, bsize } = fs.statfsSync(dir);
    return bavail * bsize;
  },
} = {}) {
  if (env.TMPDIR) return os.tmpdir();
  try {
    const mount = mounts()
      .split('\n')
      .map((line) => line.split(' '))
      .filter(([, point]) => point === '/dev/shm')
      .pop();
    if (mount && mount[2] === 'tmpfs' && !mount[3].split(',').includes('noexec') && freeBytes('/dev/shm') >= 2 ** 30) return '/dev/shm';
  } catch {
    // No /proc (not Linux) or no /dev/shm: the system's temporary directory.
  }
  return os.tmpdir();
}

/** prettier's cache flags; `npm run format:check` (package.json, which cannot import them) repeats them. */
const PRETTIER_CACHE = ['--cache', '--cache-strategy', 'content', '--cache-location', 'node_modules/.cache/prettier-check/cache.json'];

/** The processes started here, until they end: a signal to `npm test` is passed on to them. */
const children = new Set();
/** The signal that stopped the run, and its exit status (128 + its number). */
let interrupted;

function track(child) {
  children.add(child);
  child.on('close', () => children.delete(child));
  return child;
}

// Ctrl-C reaches the whole process group, but a SIGTERM or SIGHUP sent to `npm test` alone reached nobody else: jest
// went on for its ~30 s with no one to report to, and neither this run's temporary directory nor jest's was removed.
// Each signal is passed on, the children are awaited, and the temporary files removed before exiting.
function forwardSignals() {
  for (const [signal, status] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ]) {
    process.on(signal, () => {
      if (!interrupted) interrupted = { signal, status };
      for (const child of children) child.kill(signal);
    });
  }
}

/** Starts `node args` in the background with its output in a temporary file; resolves to { name, status, output }. */
function background(name, args, tmp) {
  const file = path.join(tmp, `${name}.log`);
  const fd = fs.openSync(file, 'w');
  const child = track(spawn(process.execPath, args, { stdio: ['ignore', fd, fd], env: { ...process.env, NODE_OPTIONS: NODE_OPTIONS() } }));
  fs.closeSync(fd);
  try {
    os.setPriority(child.pid, 10);
  } catch {
    // A lower priority is a nicety: without it the check still runs.
  }
  return new Promise((resolve) => {
    child.on('error', (err) => resolve({ name, status: 1, output: `${err.message}\n` }));
    child.on('close', (code, signal) => resolve({ name, status: code ?? (signal ? 1 : 0), output: fs.readFileSync(file, 'utf8') }));
  });
}

async function main() {
  ensureChromium();
  const tmp = fs.mkdtempSync(path.join(temporaryBase(), 'npm-test-'));
  try {
    // The code's own lint (typescript-eslint, the import boundaries) and format check: part of the suite, cached.
    // The packages export no bin path, so their bins are found beside their entry points.
    const eslintBin = path.join(path.dirname(require.resolve('eslint')), '..', 'bin', 'eslint.js');
    const checks = [
      background('eslint', [eslintBin, '--cache', '--cache-location', 'node_modules/.cache/eslint/', '--cache-strategy', 'content', '.'], tmp),
      // Both cache by content (a fresh clone's new mtimes invalidate nothing): a repeat run checks only changed files.
      // prettier's cache has a file of its own: any prettier run without --cache (`npx prettier --write x.ts` or
      // `--check .`) deletes the default one, and the next suite then checked every file again (~10 s of CPU).
      background('prettier', [require.resolve('prettier/bin/prettier.cjs'), '--check', ...PRETTIER_CACHE, '--log-level', 'warn', '.'], tmp),
    ];
    // jest starts beside the build: its own start (its modules, the configuration, the list of test files: about a
    // second) overlaps tsc instead of following it. Its global setup waits for the build (global-setup.js): the file
    // VIVIDLY_BUILD_DONE names is written once the build succeeded; a failed build stops jest before any test runs.
    const buildDone = path.join(tmp, 'build-done');
    const jest = track(
      spawn(process.execPath, [require.resolve('jest/bin/jest'), ...process.argv.slice(2)], {
        stdio: 'inherit',
        env: {
          ...process.env,
          CHECKPOINT_DISABLE: '1',
          // A larger young generation too (32 MB semi-spaces, V8's default is 16): the simulator, the backtest and
          // cdktf allocate many short-lived objects, and fewer scavenges cut the suite's CPU by about 5 %.
          NODE_OPTIONS: NODE_OPTIONS('--max-semi-space-size=32'),
          // jest's run directory goes inside this one (global-setup.js), so an interrupted run leaves nothing behind.
          VIVIDLY_TEST_TMP: tmp,
          VIVIDLY_BUILD_DONE: buildDone,
        },
      }),
    );
    const jestStatus = new Promise((resolve) => {
      jest.on('error', () => resolve(1));
      jest.on('close', (code) => resolve(code ?? 1));
    });
    let status = 0;
    let buildError;
    try {
      ensureBuilt({ say: (m) => progress(`npm test: ${m}`) }); // progress: on a terminal only
    } catch (err) {
      buildError = err;
    }
    // The build is synchronous: a signal that came during it is handled only now (two turns of the event loop; libuv
    // reads signals in its poll phase). Ctrl-C also stopped tsc, which is then no failed build to report.
    for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
    if (buildError && !interrupted) {
      process.stderr.write(`npm test: ${buildError.message}\n`);
      status = 1;
      jest.kill('SIGTERM');
    } else if (!interrupted) {
      fs.writeFileSync(buildDone, '');
    }
    const jestCode = await jestStatus;
    if (status === 0 && !interrupted) status = jestCode;
    const results = await Promise.all(checks);
    if (interrupted) {
      // The checks were stopped too: their verdicts would only be noise.
      process.stderr.write(`npm test: interrupted (${interrupted.signal}); temporary files removed\n`);
      return interrupted.status;
    }
    for (const check of results) {
      if (check.output) process.stderr.write(check.output);
      if (check.status !== 0) {
        process.stderr.write(`npm test: ${check.name} failed (see above)\n`);
        if (status === 0) status = check.status;
      }
    }
    return status;
  } finally {
    // A process a test started may still be writing below it for a moment after jest ended on a signal.
    fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
}

module.exports = { temporaryBase };

if (require.main === module) {
  forwardSignals();
  main().then(
    (status) => (process.exitCode = status),
    (err) => {
      process.stderr.write(`npm test: ${err.message}\n`);
      process.exitCode = 1;
    },
  );
}
