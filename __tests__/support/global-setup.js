// Synthesizes every environment once, with the compiled app exactly as `npm run synth` does, into a temp dir
// that all test files read (process.env.SYNTH_DIR): what is tested is what is deployed. dist/ is rebuilt first
// whenever a TypeScript source is newer than it (scripts/freshness.js), so `npx jest -u` after an edit never
// snapshots stale output. The app runs as CI runs it before a deploy, with the notification secrets in its
// environment, from the temporary directory (nothing may be written outside CDKTF_OUTDIR): secrets.test.ts checks
// that no file below that directory holds a secret.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const { ensureBuilt, progress } = require('../../scripts/freshness');
const { secretEnv } = require('./synth-secrets');

/**
 * Under `npm test`, which builds while jest starts (scripts/test.js): resolves once the file `done` is there (the
 * build succeeded), and rejects if `npm test` ended first (jest's parent changed). A failed build stops jest itself.
 */
async function parentBuild(done) {
  const parent = process.ppid;
  while (!fs.existsSync(done)) {
    if (process.ppid !== parent) throw new Error('npm test ended before its build finished');
    await sleep(20);
  }
}

module.exports = async function globalSetup() {
  const root = path.resolve(__dirname, '..', '..');
  if (process.env.VIVIDLY_BUILD_DONE) await parentBuild(process.env.VIVIDLY_BUILD_DONE);
  // Also after npm test's build: `npm test -- --watch` runs this setup again after each edit.
  ensureBuilt({ root, say: (m) => progress(`jest global setup: ${m}`) }); // progress: on a terminal only
  // One temporary directory for the run: the workers and every process they start inherit it as TMPDIR, so
  // os.tmpdir() is inside it. The teardown removes it whatever happened, and fails the run if a test left anything in
  // it (a test cleans up after itself; a crashed run leaves nothing in the user's /tmp either). Set here, after jest
  // resolved its own cache directory (which also derives from os.tmpdir()).
  // A relative TMPDIR would move with each test's working directory; one inside the project would hold the copies
  // of the project some tests make (a copy into itself).
  const userTmp = path.resolve(os.tmpdir());
  if (userTmp === root || userTmp.startsWith(root + path.sep)) {
    throw new Error(`TMPDIR (${userTmp}) is inside the project: tests copy the project into temporary directories; set TMPDIR outside ${root}`);
  }
  // The tests choose their synths' output directories: a CDKTF_OUTDIR exported in the user's shell would send the
  // synths they start (the workers inherit this environment) into the user's own output.
  delete process.env.CDKTF_OUTDIR;
  // `npm test` passes its own temporary directory (VIVIDLY_TEST_TMP), which it removes even when interrupted.
  const runTmp = fs.mkdtempSync(path.join(process.env.VIVIDLY_TEST_TMP || userTmp, 'vividly-test-run-'));
  // The teardown puts the user's own back (`jest --watch -i` runs the setup again in this same process).
  globalThis.__USER_TMPDIR__ = process.env.TMPDIR;
  process.env.TMPDIR = runTmp;
  globalThis.__RUN_TMP__ = runTmp;
  const dir = fs.mkdtempSync(path.join(runTmp, 'vividly-synth-'));
  const outdir = path.join(dir, 'cdktf.out');
  try {
    execFileSync(process.execPath, [path.join(root, 'dist', 'main.js')], {
      cwd: dir,
      env: { ...process.env, ...secretEnv(), CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' },
      stdio: 'inherit',
    });
  } catch (err) {
    // jest runs no teardown after a failed setup: remove the run's directory here (a bad environment, say).
    if (globalThis.__USER_TMPDIR__ === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = globalThis.__USER_TMPDIR__;
    fs.rmSync(runTmp, { recursive: true, force: true });
    globalThis.__RUN_TMP__ = undefined;
    throw err;
  }
  process.env.SYNTH_DIR = outdir;
  // Which secret variables the app had (secrets.test.ts checks the synth it reads was made with them).
  process.env.SYNTH_SECRET_VARS = Object.keys(secretEnv()).sort().join(',');
  globalThis.__SYNTH_TMP__ = dir;
};
