/**
 * Build and synth only when something changed (scripts/freshness.js), the browser found or installed
 * (scripts/chromium.js, with PATH posing as a bare machine), and the package's bin: its --json output is pure JSON,
 * with no npm banner.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deadPid } from '../support/git';
import { synthDir } from '../support/synth';
import { removeSynth, workingTreeSynth } from '../../tools/shared/synth-dir';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const freshness = require('../../scripts/freshness.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dirLock = require('../../scripts/dir-lock.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const chromium = require('../../scripts/chromium.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bin = require('../../scripts/vividly-monitoring.js');

const root = path.resolve(__dirname, '..', '..');
let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'freshness-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(rel: string, secondsAgo: number, content = ''): string {
  const file = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  const t = new Date(Date.now() - secondsAgo * 1000);
  fs.utimesSync(file, t, t);
  return file;
}

describe('build only when a source is newer than dist/, or the last build did not succeed', () => {
  test('missing dist, no record of a good build, a newer source, then up to date', () => {
    write('catalog/a.ts', 100);
    expect(freshness.buildStaleReason(tmp)).toBe('dist/ is missing');
    write('dist/main.js', 50);
    expect(freshness.buildStaleReason(tmp)).toBe('dist/ has no record of a successful build (dist/.build-stamp)');
    write('dist/.build-stamp', 50);
    expect(freshness.buildStaleReason(tmp)).toBeUndefined();
    write('constructs/b.ts', 10);
    expect(freshness.buildStaleReason(tmp)).toBe(`${path.join('constructs', 'b.ts')} is newer than dist/`);
    // tsc may leave an unchanged output alone: the stamp records the build.
    write('dist/.build-stamp', 5);
    expect(freshness.buildStaleReason(tmp)).toBeUndefined();
    write('tools/x.d.ts', 1);
    expect(freshness.buildStaleReason(tmp)).toBeUndefined();
    // A `tsc` run since (by hand, and it may have failed) rewrote .tsbuildinfo: built again, not trusted.
    write('dist/.tsbuildinfo', 2);
    expect(freshness.buildStaleReason(tmp)).toBe('dist/ was built since its last recorded success (dist/.tsbuildinfo is newer than dist/.build-stamp)');
    // A source saved while the last build ran (after tsc read it, before the stamp was written) is not in dist/: the
    // stamp records when that build started.
    write('dist/.tsbuildinfo', 30);
    write('constructs/b.ts', 20);
    write('dist/.build-stamp', 10, `${Date.now() - 25_000}\n`);
    expect(freshness.buildStaleReason(tmp)).toBe(`${path.join('constructs', 'b.ts')} is newer than dist/`);
  });

  test('a build that failed is built again (its errors reported again), never taken for a good one', () => {
    // A stand-in for tsc that behaves like it on a type error: it emits dist/ and .tsbuildinfo, then exits 1.
    write(
      'node_modules/typescript/bin/tsc',
      0,
      `const fs = require('node:fs');
fs.appendFileSync('tsc.log', 'run\\n');
fs.mkdirSync('dist', { recursive: true });
fs.writeFileSync('dist/main.js', '');
fs.writeFileSync('dist/.tsbuildinfo', '{}');
process.exitCode = fs.existsSync('type-error') ? 1 : 0;`,
    );
    write('catalog/a.ts', 100);
    write('type-error', 100);
    const runs = () => fs.readFileSync(path.join(tmp, 'tsc.log'), 'utf8').split('\n').filter(Boolean).length;
    const say: string[] = [];
    const build = () => freshness.ensureBuilt({ root: tmp, say: (m: string) => say.push(m) });
    expect(build).toThrow('the TypeScript build failed (errors above); nothing was run');
    expect(freshness.buildStaleReason(tmp)).toBe('dist/ has no record of a successful build (dist/.build-stamp)');
    // Nothing edited: the next run builds again, and fails again.
    expect(build).toThrow('the TypeScript build failed');
    expect(runs()).toBe(2);
    fs.rmSync(path.join(tmp, 'type-error'));
    const before = Date.now();
    expect(build()).toBe(true);
    // The stamp records when the build started (a little before, for the file system's coarse clock).
    const started = Number(fs.readFileSync(path.join(tmp, 'dist', '.build-stamp'), 'utf8'));
    expect(started).toBeGreaterThanOrEqual(before - 100);
    expect(started).toBeLessThanOrEqual(before);
    expect(build()).toBe(false);
    expect(runs()).toBe(3);
    expect(say).toEqual([
      'building: dist/ is missing (tsc, incremental)',
      'building: dist/ has no record of a successful build (dist/.build-stamp) (tsc, incremental)',
      'building: dist/ has no record of a successful build (dist/.build-stamp) (tsc, incremental)',
    ]);
    // A good build whose stamp a later failed one left behind would count again: the stamp goes before tsc starts.
    write('type-error', 0);
    write('catalog/a.ts', 0);
    expect(build).toThrow('the TypeScript build failed');
    expect(freshness.buildStaleReason(tmp)).toBe('dist/ has no record of a successful build (dist/.build-stamp)');
  });
});

describe('one build at a time (dist.lock)', () => {
  // A stand-in for tsc that logs each run, holds the build until the test lets it go (a `release` file in the project,
  // at most 20 s), and writes what a good build writes.
  const heldTsc = `const fs = require('node:fs');
fs.appendFileSync('tsc.log', 'run\\n');
for (const end = Date.now() + 20000; !fs.existsSync('release') && Date.now() < end; ) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
fs.mkdirSync('dist', { recursive: true });
fs.writeFileSync('dist/main.js', '');`;
  /** The stand-in tsc, let go at once (`held` false) or when the test writes `release`. */
  const standInTsc = (held: boolean) => {
    write('node_modules/typescript/bin/tsc', 0, heldTsc);
    if (!held) write('release', 0);
  };
  /** ensureBuilt in a process of its own; `onStderr` sees its stderr as it comes. */
  const build = (root: string, onStderr: (text: string) => void = () => undefined) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          '-e',
          `require(${JSON.stringify(path.resolve(__dirname, '..', '..', 'scripts', 'freshness.js'))}).ensureBuilt({ root: ${JSON.stringify(root)}, say: (m) => console.error(m) })`,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr!.on('data', (d) => {
        stderr += d;
        onStderr(stderr);
      });
      child.on('close', (code) => resolve({ code, stderr }));
    });

  test('two builds started at once run tsc once; the second waits, then finds dist/ up to date', async () => {
    // The first build's tsc is held until the second says it waits: the two surely meet, and no longer than needed.
    standInTsc(true);
    write('catalog/a.ts', 100);
    const release = (text: string) => {
      if (text.includes('waiting for another build')) fs.writeFileSync(path.join(tmp, 'release'), '');
    };
    const [a, b] = await Promise.all([build(tmp, release), build(tmp, release)]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(fs.readFileSync(path.join(tmp, 'tsc.log'), 'utf8')).toBe('run\n');
    expect(`${a.stderr}${b.stderr}`).toMatch(/waiting for another build \(pid \d+\) to finish/);
    expect(fs.existsSync(path.join(tmp, 'dist.lock'))).toBe(false);
  }, 30_000);

  test("a lock caught between its holder's mkdir and its pid: the wait names the holder once its pid is there", async () => {
    // The moment two builds started at once can meet (seen in a bench run as "pid ?"): the lock made, no pid yet.
    standInTsc(false);
    write('catalog/a.ts', 100);
    fs.mkdirSync(path.join(tmp, 'dist.lock'));
    // The lock is let go once the waiter has said whom it waits for.
    const waiting = build(tmp, (text) => {
      if (text.includes('waiting for another build')) fs.rmSync(path.join(tmp, 'dist.lock'), { recursive: true, force: true });
    });
    await new Promise((r) => setTimeout(r, 300));
    fs.writeFileSync(path.join(tmp, 'dist.lock', 'pid'), String(process.pid));
    const { code, stderr } = await waiting;
    expect(code).toBe(0);
    expect(stderr.split('\n')[0]).toBe(`waiting for another build (pid ${process.pid}) to finish`);
  });

  test('a lock whose holder has ended (a build killed mid-way) is taken over', () => {
    standInTsc(false);
    write('catalog/a.ts', 100);
    write('dist.lock/pid', 0, String(deadPid()));
    expect(freshness.ensureBuilt({ root: tmp, say: () => undefined })).toBe(true);
    expect(fs.existsSync(path.join(tmp, 'dist.lock'))).toBe(false);
  });

  test("several builds meeting a killed build's lock take it over one at a time: tsc runs once", async () => {
    // Without the takeover guard, two waiters that judged the same ended holder could both remove the lock (the second
    // one the lock the first had just taken) and both run tsc into dist/. The held tsc keeps the first taker's lock
    // until every other build has seen it (each says whom it waits for).
    standInTsc(true);
    write('catalog/a.ts', 100);
    write('dist.lock/pid', 0, String(deadPid()));
    const builds = 4;
    const waiting = new Set<number>();
    const results = await Promise.all(
      Array.from({ length: builds }, (_, i) =>
        build(tmp, (text) => {
          if (/waiting for another build \(pid \d+\)/.test(text)) waiting.add(i);
          if (waiting.size === builds - 1) fs.writeFileSync(path.join(tmp, 'release'), '');
        }),
      ),
    );
    expect(results.map((r) => r.code)).toEqual(results.map(() => 0));
    expect(fs.readFileSync(path.join(tmp, 'tsc.log'), 'utf8')).toBe('run\n');
    expect(fs.readdirSync(tmp).filter((e) => e.startsWith('dist.lock'))).toEqual([]);
  }, 30_000);

  test('the takeover judges the lock again under its guard, and leaves it to a waiter already taking it over', () => {
    // The interleavings the process test above meets only by chance, each on purpose.
    const lock = path.join(tmp, 'dist.lock');
    const guard = `${lock}.takeover`;
    const holder = () => fs.readFileSync(path.join(lock, 'pid'), 'utf8');
    // Judged stale, but taken since by a live build: left alone (the lock a waiter has just taken is never removed).
    write('dist.lock/pid', 0, String(process.pid));
    dirLock.takeOverStaleLock(lock);
    expect(holder()).toBe(String(process.pid));
    // Another waiter holds the guard: this one removes nothing, even a lock whose holder has ended.
    write('dist.lock/pid', 0, String(deadPid()));
    fs.mkdirSync(guard);
    dirLock.takeOverStaleLock(lock);
    expect(fs.existsSync(path.join(lock, 'pid'))).toBe(true);
    expect(fs.existsSync(guard)).toBe(true);
    // A guard left 11 s ago (its waiter killed in those few lines) is removed; the next takeover removes the lock.
    const old = new Date(Date.now() - 11_000);
    fs.utimesSync(guard, old, old);
    dirLock.takeOverStaleLock(lock);
    expect(fs.existsSync(guard)).toBe(false);
    dirLock.takeOverStaleLock(lock);
    expect(fs.readdirSync(tmp).filter((e) => e.startsWith('dist.lock'))).toEqual([]);
  });
});

describe('synth only when a source or environment is newer than cdktf.out', () => {
  test('missing stacks, up to date, then an environment, a runbook or the compiled code newer', () => {
    write('environments/prod.ts', 100);
    write('dist/main.js', 90);
    const out = path.join(tmp, 'cdktf.out');
    expect(freshness.synthStaleReason(tmp, out)).toMatch(/has no synth of every environment/);
    for (const env of ['dev', 'staging', 'prod']) write(`cdktf.out/stacks/${env}/cdk.tf.json`, 50, '{}');
    expect(freshness.synthStaleReason(tmp, out)).toBeUndefined();
    write('environments/prod.ts', 10);
    expect(freshness.synthStaleReason(tmp, out)).toBe('a source or environment is newer than the synth');
    write('environments/prod.ts', 100);
    write('runbooks/high-error-rate.md', 10);
    expect(freshness.synthStaleReason(tmp, out)).toBe('a source or environment is newer than the synth');
    write('runbooks/high-error-rate.md', 100);
    write('dist/tools/x.js', 10);
    expect(freshness.synthStaleReason(tmp, out)).toBe('a source or environment is newer than the synth');
  });

  test('a source saved while the synth ran is newer than its output: synthesized again next time', () => {
    // A good build, and a stand-in app that sees an environment saved mid-synth (after it read it, before it wrote).
    write('environments/prod.ts', 100);
    write('dist/.build-stamp', 50, `${Date.now() - 50_000}\n`);
    write(
      'dist/main.js',
      60,
      `const fs = require('node:fs');
const path = require('node:path');
fs.appendFileSync('synth.log', 'run\\n');
fs.writeFileSync('environments/prod.ts', '// saved during the synth\\n');
for (const env of ['dev', 'staging', 'prod']) {
  fs.mkdirSync(path.join(process.env.CDKTF_OUTDIR, 'stacks', env), { recursive: true });
  fs.writeFileSync(path.join(process.env.CDKTF_OUTDIR, 'stacks', env, 'cdk.tf.json'), '{}');
}`,
    );
    const out = path.join(tmp, 'cdktf.out');
    expect(freshness.ensureSynth({ root: tmp, outdir: out, say: () => undefined })).toBe(true);
    expect(freshness.synthStaleReason(tmp, out)).toBe('a source or environment is newer than the synth');
    // The next build's code, written just before the synth (in the same millisecond as the synth starts, with a file
    // time's fraction of a millisecond), and nothing saved during it: up to date after it, no second synth for nothing.
    write('environments/prod.ts', 30);
    write('dist/.build-stamp', 20, `${Date.now() - 20_000}\n`);
    const app = path.join(tmp, 'dist', 'main.js');
    fs.writeFileSync(app, fs.readFileSync(app, 'utf8').replace(/^fs\.writeFileSync\('environments.*\n/m, ''));
    const justBuilt = (Date.now() + 0.6) / 1000;
    fs.utimesSync(app, justBuilt, justBuilt);
    expect(freshness.ensureSynth({ root: tmp, outdir: out, say: () => undefined })).toBe(true);
    expect(freshness.synthStaleReason(tmp, out)).toBeUndefined();
    expect(freshness.ensureSynth({ root: tmp, outdir: out, say: () => undefined })).toBe(false);
    expect(fs.readFileSync(path.join(tmp, 'synth.log'), 'utf8')).toBe('run\nrun\n');
    // A runbook dated an hour ahead (clock skew, an unpacked archive): the stacks are not stamped ahead of the clock,
    // where they would hide the next edits until it caught up; the runbook only keeps the synth stale.
    const ahead = (Date.now() + 3_600_000) / 1000;
    fs.utimesSync(write('runbooks/high-error-rate.md', 0), ahead, ahead);
    expect(freshness.ensureSynth({ root: tmp, outdir: out, say: () => undefined })).toBe(true);
    expect(fs.statSync(path.join(out, 'stacks', 'prod', 'cdk.tf.json')).mtimeMs).toBeLessThanOrEqual(Date.now());
    expect(freshness.synthStaleReason(tmp, out)).toBe('a source or environment is newer than the synth');
  });

  test('the bin synthesizes only for the tools that read cdktf.out, and not when told another synth', () => {
    expect(bin.needsSynth(['simulate', '--env', 'prod', 'x.yaml'])).toBe(true);
    expect(bin.needsSynth(['check-logs', '--env', 'prod', '--synth-dir', 'elsewhere', 'x.jsonl'])).toBe(false);
    expect(bin.needsSynth(['simulate', '--policy=p.json', 'x.yaml'])).toBe(false);
    expect(bin.needsSynth(['drill', '--help'])).toBe(false);
    // After `--`, a `--help` is an operand (a file so named), not a request for help.
    expect(bin.needsSynth(['simulate', '--env', 'prod', '--', '--help'])).toBe(true);
    expect(bin.needsSynth(['lint', 'cdk.tf.json'])).toBe(false);
    // Linting this project's own synth (CI's `npm run lint -- cdktf.out/stacks/*/cdk.tf.json`) lints a fresh one.
    expect(bin.needsSynth(['lint', '--json', path.join('cdktf.out', 'stacks', 'prod', 'cdk.tf.json')])).toBe(true);
    expect(bin.needsSynth(['lint', path.join(root, 'cdktf.out', 'stacks', 'dev', 'cdk.tf.json')])).toBe(true);
    expect(bin.needsSynth(['lint', path.join(tmp, 'cdktf.out', 'stacks', 'dev', 'cdk.tf.json')])).toBe(false);
    expect(bin.needsSynth(['lint', '--help', path.join('cdktf.out', 'x.json')])).toBe(false);
    // cost and export-hcl read it too (they synthesized the working tree into a temporary directory on every call).
    expect(bin.needsSynth(['cost', '--env', 'prod'])).toBe(true);
    expect(bin.needsSynth(['export-hcl', '--synth-dir', 'elsewhere'])).toBe(false);
  });

  test("cost and export-hcl read the project's cdktf.out when it is fresh, else synthesize the working tree into a temporary directory", () => {
    // A project of its own: the freshness script, a source, and a synth of every environment newer than it.
    for (const script of ['freshness.js', 'dir-lock.js', 'v8-flags.js'])
      write(`scripts/${script}`, 100, fs.readFileSync(path.join(root, 'scripts', script), 'utf8'));
    write('catalog/a.ts', 100);
    for (const env of ['dev', 'staging', 'prod']) write(`cdktf.out/stacks/${env}/cdk.tf.json`, 50, '{}');
    fs.mkdirSync(path.join(tmp, 'elsewhere'));
    const cwd = process.cwd();
    const synthesized: string[] = [];
    try {
      process.chdir(tmp);
      expect(workingTreeSynth(['dev'], tmp)).toEqual({ dir: path.join(tmp, 'cdktf.out'), temporary: false });
      // Run in another folder, or with a source newer than the synth: the working tree synthesized.
      process.chdir(path.join(tmp, 'elsewhere'));
      synthesized.push(workingTreeSynth(['dev'], tmp).dir);
      process.chdir(tmp);
      write('catalog/a.ts', 0);
      synthesized.push(workingTreeSynth(['dev'], tmp).dir);
      for (const dir of synthesized) {
        expect(dir.startsWith(path.join(tmp, 'cdktf.out'))).toBe(false);
        expect(fs.existsSync(path.join(dir, 'stacks', 'dev', 'cdk.tf.json'))).toBe(true);
      }
    } finally {
      process.chdir(cwd);
      for (const dir of synthesized) removeSynth(dir);
    }
  }, 60_000);

  test('progress is printed only on a terminal', () => {
    const said: string[] = [];
    freshness.progress('building', { isTTY: false, write: (s: string) => said.push(s) });
    expect(said).toEqual([]);
    freshness.progress('building', { isTTY: true, write: (s: string) => said.push(s) });
    expect(said).toEqual(['building\n']);
  });
});

describe("npm test's browser: found on PATH, or installed with apt-get as root", () => {
  function fakeAptGet(dir: string): void {
    // Stands in for Debian's apt-get: records its arguments; `install ... chromium` puts a chromium on the PATH.
    write(
      path.relative(tmp, path.join(dir, 'apt-get')),
      0,
      `#!/bin/sh\necho "$@" >> "${dir}/apt.log"\ncase "$*" in *install*chromium*) printf '#!/bin/sh\\n' > "${dir}/chromium"; /bin/chmod +x "${dir}/chromium";; esac\n`,
    );
    fs.chmodSync(path.join(dir, 'apt-get'), 0o755);
  }

  test('finds chromium on PATH', () => {
    const dir = path.join(tmp, 'bin');
    write('bin/chromium', 0, '#!/bin/sh\n');
    fs.chmodSync(path.join(dir, 'chromium'), 0o755);
    expect(chromium.findChromium({ PATH: dir })).toBe(path.join(dir, 'chromium'));
    expect(chromium.findChromium({ PATH: path.join(tmp, 'empty') })).toBeUndefined();
  });

  test('a bare machine as root: installs Debian chromium with apt-get, saying so', () => {
    const dir = path.join(tmp, 'bin');
    fakeAptGet(dir);
    const said: string[] = [];
    const found = chromium.ensureChromium({ env: { PATH: dir }, isRoot: true, say: (m: string) => said.push(m) });
    expect(found).toBe(path.join(dir, 'chromium'));
    expect(fs.readFileSync(path.join(dir, 'apt.log'), 'utf8').split('\n').filter(Boolean)).toEqual([
      'update -qq',
      'install -y -qq --no-install-recommends chromium',
    ]);
    expect(said[0]).toMatch(/not found; installing Debian's "chromium" package with apt-get/);
    expect(said[1]).toBe(`chromium: installed ${path.join(dir, 'chromium')}`);
  });

  test('a bare machine without root: installs nothing and says how to', () => {
    const dir = path.join(tmp, 'bin');
    fakeAptGet(dir);
    const said: string[] = [];
    expect(chromium.ensureChromium({ env: { PATH: dir }, isRoot: false, say: (m: string) => said.push(m) })).toBeUndefined();
    expect(fs.existsSync(path.join(dir, 'apt.log'))).toBe(false);
    expect(said.join('\n')).toContain('sudo apt-get install chromium');
  });

  test('a CHROMIUM_PATH that names nothing, as root: installs nothing, and names the variable as the cause', () => {
    const dir = path.join(tmp, 'bin');
    fakeAptGet(dir);
    const said: string[] = [];
    const env = { PATH: dir, CHROMIUM_PATH: path.join(tmp, 'typo', 'chromium') };
    expect(chromium.ensureChromium({ env, isRoot: true, say: (m: string) => said.push(m) })).toBeUndefined();
    expect(fs.existsSync(path.join(dir, 'apt.log'))).toBe(false);
    expect(said).toEqual([
      `chromium: CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file; the browser tests (__tests__/browser: dashboard preview, simulator plots) will fail.`,
      'chromium: correct CHROMIUM_PATH, or unset it to use chromium from PATH',
    ]);
  });
});

describe('the bin (npx vividly-monitoring)', () => {
  test('drill --json on stdout is one JSON document: no npm banner, no progress', () => {
    const r = spawnSync(
      process.execPath,
      [path.join(root, 'scripts', 'vividly-monitoring.js'), 'drill', '--env', 'staging', '--alert', 'brute force', '--json', '--synth-dir', synthDir()],
      { cwd: root, encoding: 'utf8' },
    );
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ env: 'staging', mode: 'dry-run' });
  });
});
