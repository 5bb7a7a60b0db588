/**
 * `npm test` stopped by a signal, and a jest global setup that fails, leave nothing behind: the signal is passed on
 * to jest (a SIGTERM to `npm test` alone once left jest running for its ~30 s with no one to report to), and the run's
 * temporary directories are removed (jest runs no teardown after a failed setup, nor on a signal).
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { linkDependencies } from '../support/dependencies';

const root = path.resolve(__dirname, '..', '..');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A skeleton of the project at `copy`: npm test's scripts and jest's support files, the installed packages, and
 * eslint and prettier configured with nothing to check (their verdicts are not what these tests are about, and a
 * check over the copied scripts cost each run about a second of CPU). Its build check and its checks never touch
 * this project's files or caches.
 */
function projectSkeleton(copy: string): void {
  for (const e of ['scripts', 'package.json', path.join('__tests__', 'support')]) fs.cpSync(path.join(root, e), path.join(copy, e), { recursive: true });
  linkDependencies(copy);
  fs.writeFileSync(path.join(copy, 'eslint.config.mjs'), "export default [{ ignores: ['scripts/', '__tests__/'] }];\n");
  fs.writeFileSync(path.join(copy, '.prettierignore'), 'scripts/\n__tests__/\n');
}

describe('npm test stopped by a signal', () => {
  it('SIGTERM to `npm test` alone stops jest, removes its temporary files and exits 143', async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'npm-test-signal-'));
    const userTmp = path.join(scratch, 'tmp');
    fs.mkdirSync(userTmp);
    // A jest project of one test that says it started (its pid: --runInBand runs it in jest's own process), leaves a
    // file in the run's directory as a test mid-way would, and waits.
    const project = path.join(scratch, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(
      path.join(project, 'waits.test.js'),
      `const fs = require('node:fs');
test('waits', async () => {
  fs.writeFileSync(require('node:path').join(process.env.VIVIDLY_TEST_TMP || require('node:os').tmpdir(), 'left-by-a-test'), '');
  fs.writeFileSync(process.env.STARTED, String(process.pid));
  await new Promise((resolve) => setTimeout(resolve, 60000));
}, 70000);
`,
    );
    const config = JSON.stringify({ rootDir: project, testMatch: ['**/waits.test.js'], transform: {}, cacheDirectory: path.join(scratch, 'jest-cache') });
    const started = path.join(scratch, 'started');
    // In a skeleton of the project with a dist/ that counts as a good build (nothing to compile).
    const copy = path.join(scratch, 'copy');
    projectSkeleton(copy);
    fs.mkdirSync(path.join(copy, 'dist'));
    fs.writeFileSync(path.join(copy, 'dist', 'main.js'), '');
    fs.writeFileSync(path.join(copy, 'dist', '.build-stamp'), '');
    const npmTest = spawn(process.execPath, [path.join(copy, 'scripts', 'test.js'), '--config', config, '--runInBand'], {
      cwd: copy,
      env: { ...process.env, TMPDIR: userTmp, STARTED: started },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    npmTest.stderr.on('data', (d) => (stderr += d));
    npmTest.stdout.resume();
    // 'exit', not 'close': a jest left running would hold the pipes open.
    const exited = new Promise<number | null>((resolve) => npmTest.on('exit', (code) => resolve(code)));
    let jestPid = 0;
    try {
      for (let waited = 0; !fs.existsSync(started) || !fs.readFileSync(started, 'utf8'); waited += 50) {
        if (waited > 45_000) throw new Error(`the test under jest never started; npm test said: ${stderr}`);
        await pause(50);
      }
      jestPid = Number(fs.readFileSync(started, 'utf8'));
      expect(alive(jestPid)).toBe(true);
      npmTest.kill('SIGTERM');
      expect(await exited).toBe(143);
      expect(stderr).toContain('npm test: interrupted (SIGTERM); temporary files removed');
      for (let waited = 0; alive(jestPid) && waited < 5000; waited += 50) await pause(50);
      expect(alive(jestPid)).toBe(false);
      // Neither npm test's directory (the checks' logs) nor jest's run directory inside it is left.
      expect(fs.readdirSync(userTmp)).toEqual([]);
    } finally {
      npmTest.kill('SIGKILL');
      if (jestPid && alive(jestPid)) process.kill(jestPid, 'SIGKILL');
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('npm test whose build fails', () => {
  it('stops jest, which started beside the build, before any test or synth: exit 1, the compiler’s error and one line', () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'npm-test-build-fails-'));
    try {
      // A skeleton project whose one source has a type error and whose jest configuration has the real global setup
      // (it waits for npm test's build) and one test that would leave a mark. The compiler runs without its library
      // (the error needs none): this test's cost is the processes npm test starts.
      const copy = path.join(scratch, 'copy');
      projectSkeleton(copy);
      fs.writeFileSync(
        path.join(copy, 'tsconfig.json'),
        JSON.stringify({ compilerOptions: { outDir: 'dist', strict: true, noLib: true, types: [] }, include: ['main.ts', 'globals.d.ts'] }),
      );
      fs.writeFileSync(path.join(copy, 'main.ts'), "export const port: number = 'eighty';\n");
      // The global types the compiler requires when it has no library.
      const globals = ['Array<T>', 'Boolean', 'Function', 'IArguments', 'Number', 'Object', 'RegExp', 'String', 'CallableFunction', 'NewableFunction'];
      fs.writeFileSync(path.join(copy, 'globals.d.ts'), globals.map((g) => `interface ${g} {}\n`).join(''));
      const mark = path.join(scratch, 'ran');
      fs.writeFileSync(path.join(copy, 'ran.test.js'), `test('ran', () => require('node:fs').writeFileSync(${JSON.stringify(mark)}, ''));\n`);
      const config = JSON.stringify({
        rootDir: copy,
        testMatch: ['**/ran.test.js'],
        transform: {},
        globalSetup: path.join(copy, '__tests__', 'support', 'global-setup.js'),
        cacheDirectory: path.join(scratch, 'jest-cache'),
      });
      // A jest left waiting for a build that failed would hold npm test forever: bounded, it is a failure, not a hang.
      const run = spawnSync(process.execPath, [path.join(copy, 'scripts', 'test.js'), '--config', config], { cwd: copy, encoding: 'utf8', timeout: 30_000 });
      expect({
        timedOut: run.error !== undefined,
        status: run.status,
        ran: fs.existsSync(mark),
        goodBuild: fs.existsSync(path.join(copy, 'dist', '.build-stamp')),
      }).toEqual({ timedOut: false, status: 1, ran: false, goodBuild: false });
      // tsc reports on stdout.
      expect(run.stdout).toContain("main.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'.");
      expect(run.stderr).toContain('npm test: the TypeScript build failed (errors above); nothing was run\n');
      expect(run.stdout + run.stderr).not.toMatch(/Test Suites|PASS|FAIL/);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("jest's global setup", () => {
  it('that fails (a bad environment) removes its run directory, with a relative TMPDIR, and never used the shell’s CDKTF_OUTDIR; a TMPDIR inside the project is refused first', () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'setup-fails-'));
    try {
      // What the setup runs (its scripts, the compiled app) in a copy whose compiled prod.ts has an invalid value (the
      // build stamp written last: a good build; no sources, so nothing is newer).
      const copy = path.join(scratch, 'project');
      projectSkeleton(copy);
      fs.cpSync(path.join(root, 'dist'), path.join(copy, 'dist'), { recursive: true });
      const prodJs = path.join(copy, 'dist', 'environments', 'prod.js');
      fs.writeFileSync(prodJs, fs.readFileSync(prodJs, 'utf8').replace('logRetentionDays: 30', 'logRetentionDays: -5'));
      fs.writeFileSync(path.join(copy, 'dist', '.build-stamp'), '');
      // The setup in a process of its own: a test file's process.env is jest's copy, which os.tmpdir() does not read.
      const setup = (env: Record<string, string>) =>
        spawnSync(
          process.execPath,
          [
            '-e',
            `require(${JSON.stringify(path.join(copy, '__tests__', 'support', 'global-setup.js'))})().then(
              () => process.exit(0),
              (err) => { console.log(JSON.stringify({ error: err.message.split('\\n')[0], CDKTF_OUTDIR: process.env.CDKTF_OUTDIR ?? null })); process.exit(1); })`,
          ],
          { cwd: scratch, env: { ...process.env, ...env }, encoding: 'utf8' },
        );

      const inside = path.join(copy, 'tmp');
      fs.mkdirSync(inside);
      const refused = setup({ TMPDIR: inside });
      expect({ status: refused.status, out: JSON.parse(refused.stdout).error }).toEqual({
        status: 1,
        out: `TMPDIR (${inside}) is inside the project: tests copy the project into temporary directories; set TMPDIR outside ${copy}`,
      });
      expect(fs.readdirSync(inside)).toEqual([]);

      fs.mkdirSync(path.join(scratch, 'rel-tmp'));
      const usersOut = path.join(scratch, 'users-cdktf.out');
      const failed = setup({ TMPDIR: 'rel-tmp', CDKTF_OUTDIR: usersOut });
      expect(failed.status).toBe(1);
      expect(JSON.parse(failed.stdout)).toEqual({ error: expect.stringContaining('Command failed'), CDKTF_OUTDIR: null });
      expect(failed.stderr).toContain('field "logRetentionDays"');
      expect(fs.readdirSync(path.join(scratch, 'rel-tmp'))).toEqual([]);
      expect(fs.existsSync(usersOut)).toBe(false);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }, 60_000);
});
