/**
 * Issue 15: synthesizing one environment replaces only its output, the swap is atomic (Ctrl-C at any moment leaves
 * the old or the new output whole), and concurrent synths queue on a lock. (A bad environment and the cdktf CLI:
 * cdktf-bad-environment.test.ts.)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dev } from '../../environments/dev';
import { prod } from '../../environments/prod';
import { staging } from '../../environments/staging';
import { PRE_WRITE_CHECKS, synthesize, type StackCheck } from '../../main';
import { EnvironmentError } from '../../environments';
import { acquireSynthLock, checkReplaceable, commitSynth, lockDirOf, stableStringify, SynthLockError, SynthOutputError } from '../../stacks/synth-output';
import { deadPid } from '../support/git';

const root = path.resolve(__dirname, '..', '..');
const main = path.join(root, 'dist', 'main.js');

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'synth-output-'));
const read = (outdir: string, file: string) => fs.readFileSync(path.join(outdir, file), 'utf8');
/** Every environment synthesizes its monitoring stack and its bootstrap stack. */
const withBootstrap = (envs: string[]) => envs.flatMap((e) => [e, `${e}-bootstrap`]).sort();
const stacksOf = (outdir: string) => Object.keys(JSON.parse(read(outdir, 'manifest.json')).stacks).sort();
/** The files that make an output: the manifest and each stack's JSON. */
const snapshot = (outdir: string): Record<string, string> =>
  Object.fromEntries(['manifest.json', ...stacksOf(outdir).map((s) => `stacks/${s}/cdk.tf.json`)].map((f) => [f, read(outdir, f)]));
const withPrefix = (raw: unknown, prefix: string) => {
  const copy = JSON.parse(JSON.stringify(raw));
  copy.state.prefix = prefix;
  return copy;
};
/**
 * An output that differs from a fresh synth in every stack (another state prefix): "old" in the tests below. It is
 * synthesized once, on first use, and copied into each test's directory (a copy costs milliseconds, a synth a second).
 */
let oldOutput: string | undefined;
const synthOld = (outdir: string) => {
  if (!oldOutput) {
    oldOutput = path.join(tmp(), 'cdktf.out');
    synthesize(oldOutput, undefined, { dev: withPrefix(dev, 'old/dev'), staging: withPrefix(staging, 'old/staging'), prod: withPrefix(prod, 'old/prod') });
  }
  fs.cpSync(oldOutput, outdir, { recursive: true });
};
afterAll(() => {
  if (oldOutput) fs.rmSync(path.dirname(oldOutput), { recursive: true, force: true });
});

describe('synthesizing some environments', () => {
  it('`synth prod` replaces only prod: dev and staging stay byte-identical and the manifest stays complete', () => {
    const dir = tmp();
    const out = path.join(dir, 'cdktf.out');
    synthOld(out);
    const before = snapshot(out);
    expect(synthesize(out, ['prod'])).toEqual(['prod']);
    const after = snapshot(out);
    expect(stacksOf(out)).toEqual(withBootstrap(['dev', 'prod', 'staging']));
    expect(after['stacks/dev/cdk.tf.json']).toBe(before['stacks/dev/cdk.tf.json']);
    expect(after['stacks/staging/cdk.tf.json']).toBe(before['stacks/staging/cdk.tf.json']);
    expect(after['stacks/prod/cdk.tf.json']).not.toBe(before['stacks/prod/cdk.tf.json']);
    expect(after['stacks/prod/cdk.tf.json']).toContain('"monitoring/prod"');
    expect(fs.readdirSync(dir)).toEqual(['cdktf.out']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ignores a name given twice (`synth -- prod prod`): one line, exit 0', () => {
    const dir = tmp();
    const out = path.join(dir, 'cdktf.out');
    const r = spawnSync(process.execPath, [main, 'prod', 'prod'], { cwd: dir, encoding: 'utf8' });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout.trim().split('\n')).toEqual(['synthesized prod into cdktf.out/stacks/']);
    expect(stacksOf(out)).toEqual(withBootstrap(['prod']));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('drops stacks of environments no longer configured, and old stacks of a re-synthesized environment', () => {
    const dir = tmp();
    const out = path.join(dir, 'cdktf.out');
    synthOld(out);
    const manifest = JSON.parse(read(out, 'manifest.json'));
    for (const extra of ['qa', 'prod-legacy', 'dev-legacy']) {
      fs.cpSync(path.join(out, 'stacks', 'dev'), path.join(out, 'stacks', extra), { recursive: true });
      manifest.stacks[extra] = {
        ...manifest.stacks.dev,
        name: extra,
        constructPath: extra,
        workingDirectory: `stacks/${extra}`,
        synthesizedStackPath: `stacks/${extra}/cdk.tf.json`,
      };
    }
    fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest));
    synthesize(out, ['prod']);
    // qa is not an environment any more; prod-legacy was not produced by this prod synth; dev-legacy is dev's, untouched.
    expect(stacksOf(out)).toEqual([...withBootstrap(['dev', 'prod', 'staging']), 'dev-legacy'].sort());
    expect(fs.readdirSync(path.join(out, 'stacks')).sort()).toEqual([...withBootstrap(['dev', 'prod', 'staging']), 'dev-legacy'].sort());
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("keeps Terraform's working files (.terraform, lock file) of a re-synthesized stack, as cdktf does", () => {
    const dir = tmp();
    const out = path.join(dir, 'cdktf.out');
    // An existing output with prod in it (the old one: a copy, not a synth), then prod synthesized over it.
    synthOld(out);
    fs.writeFileSync(path.join(out, 'stacks', 'prod', '.terraform.lock.hcl'), 'lock');
    fs.mkdirSync(path.join(out, 'stacks', 'prod', '.terraform', 'providers'), { recursive: true });
    fs.writeFileSync(path.join(out, 'stacks', 'prod', '.terraform', 'providers', 'p'), 'binary');
    fs.writeFileSync(path.join(out, 'stacks', 'prod', 'stray.json'), '{}');
    synthesize(out, ['prod']);
    expect(fs.readdirSync(path.join(out, 'stacks', 'prod')).sort()).toEqual(['.terraform', '.terraform.lock.hcl', 'cdk.tf.json']);
    expect(read(out, 'stacks/prod/.terraform/providers/p')).toBe('binary');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("writes the manifest exactly as cdktf's own json-stable-stringify does", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- cdktf's own copy of json-stable-stringify
    const stringify = require(require.resolve('json-stable-stringify', { paths: [path.dirname(require.resolve('cdktf'))] }));
    const dir = tmp();
    const out = path.join(dir, 'cdktf.out');
    // The old output is a synthesize() of every environment: its manifest is the one written by merging each
    // environment's App manifest (copied byte for byte here).
    synthOld(out);
    const text = read(out, 'manifest.json');
    expect(Object.keys(JSON.parse(text).stacks)).toHaveLength(6);
    expect(text).toBe(stringify(JSON.parse(text), { space: 2 }));
    expect(stableStringify({ b: [], a: { c: [1, { d: null }] }, e: {} })).toBe(stringify({ b: [], a: { c: [1, { d: null }] }, e: {} }, { space: 2 }));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a pre-write check that fails writes nothing (one message naming the environment)', () => {
    const dir = tmp();
    const out = path.join(dir, 'cdktf.out');
    synthOld(out);
    const before = snapshot(out);
    const checks = PRE_WRITE_CHECKS as StackCheck[];
    const check: StackCheck = (env, stacks) => {
      if (env.name === 'prod' && stacks.prod) throw new EnvironmentError('environments/prod.ts: environment "prod": test check');
    };
    checks.push(check);
    try {
      // Staging and prod (not all three): staging is synthesized and checked first, prod fails last, so a good
      // environment's finished synth is what must not be written; dev would only repeat staging's part.
      expect(() => synthesize(out, ['staging', 'prod'])).toThrow('test check');
      expect(snapshot(out)).toEqual(before);
      expect(fs.readdirSync(dir)).toEqual(['cdktf.out']);
      // cdktf's way (each environment on its own): prod left out (its old output removed, never deployed stale), the others written.
      const skipped: string[] = [];
      expect(synthesize(out, ['staging', 'prod'], undefined, { eachEnv: true, onSkipped: (env, m) => skipped.push(`${env}: ${m}`) })).toEqual(['staging']);
      expect(skipped).toEqual(['prod: environments/prod.ts: environment "prod": test check']);
      expect(stacksOf(out)).toEqual(withBootstrap(['dev', 'staging']));
      expect(fs.existsSync(path.join(out, 'stacks', 'prod'))).toBe(false);
      const after = snapshot(out);
      expect(after['stacks/dev/cdk.tf.json']).toBe(before['stacks/dev/cdk.tf.json']);
      expect(after['stacks/staging/cdk.tf.json']).not.toBe(before['stacks/staging/cdk.tf.json']);
    } finally {
      checks.splice(checks.indexOf(check), 1);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('an output path that is not a synth output', () => {
  const refusal = (out: string, reason: string) =>
    `${out}: ${reason}; a synth replaces its output folder whole, so move it away or choose another output folder`;
  /** Every file and folder below `dir` with its content (folders as '/'), to compare before and after. */
  const tree = (dir: string): Record<string, string> =>
    Object.fromEntries(
      (fs.readdirSync(dir, { recursive: true }) as string[]).sort().map((f) => {
        const full = path.join(dir, f);
        const stat = fs.lstatSync(full);
        return [f, stat.isSymbolicLink() ? `-> ${fs.readlinkSync(full)}` : stat.isDirectory() ? '/' : fs.readFileSync(full, 'utf8')];
      }),
    );

  it('`CDKTF_OUTDIR=precious` (a folder of other files) is refused with one line, exit 2; the folder is untouched, nothing written', () => {
    // The reviewer's case: the synth used to delete notes.txt and exit 0 (`cdktf synth --output DIR` sets this variable).
    const dir = tmp();
    fs.mkdirSync(path.join(dir, 'precious', 'stacks'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'precious', 'notes.txt'), 'hi');
    fs.writeFileSync(path.join(dir, 'precious', 'manifest.json'), '{"stacks": {}}');
    const before = tree(dir);
    const r = spawnSync(process.execPath, [main, 'dev'], { cwd: dir, env: { ...process.env, CDKTF_OUTDIR: 'precious' }, encoding: 'utf8' });
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({
      status: 2,
      stdout: '',
      stderr: `synth stopped, nothing written: ${refusal('precious', 'not a synth output (it holds notes.txt)')}\n`,
    });
    expect(tree(dir)).toEqual(before);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('an empty CDKTF_OUTDIR is an input error: one line naming the variable, exit 2, nothing written', () => {
    const dir = tmp();
    const r = spawnSync(process.execPath, [main, 'dev'], { cwd: dir, env: { ...process.env, CDKTF_OUTDIR: '' }, encoding: 'utf8' });
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({
      status: 2,
      stdout: '',
      stderr: 'synth stopped, nothing written: CDKTF_OUTDIR: empty; unset it (the output is then cdktf.out) or name a folder\n',
    });
    expect(fs.readdirSync(dir)).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a file, a link, a folder holding more than manifest.json and stacks/, or one without a manifest, before writing', () => {
    const manifest = '{"stacks": {}, "version": "0.21.0"}';
    // `at`: where the output is below the case's folder (cdktf.out); `reason`: what the refusal says after the path.
    const cases: Array<{ name: string; at?: string; make: (out: string) => void; reason?: string }> = [
      { name: 'a file', make: (out) => fs.writeFileSync(out, 'data'), reason: 'a file, not a synth output folder' },
      {
        name: 'a link to an output',
        make: (out) => (synthOld(`${out}-real`), fs.symlinkSync(`${out}-real`, out)),
        reason: 'a symbolic link, not a synth output folder',
      },
      {
        name: 'an output with a file of its own',
        make: (out) => (synthOld(out), fs.writeFileSync(path.join(out, 'README'), 'mine')),
        reason: 'not a synth output (it holds README)',
      },
      {
        name: 'many foreign entries',
        make: (out) => ['a', 'b', 'c', 'd', 'e'].forEach((n) => fs.mkdirSync(path.join(out, n), { recursive: true })),
        reason: 'not a synth output (it holds a, b, c and 2 more)',
      },
      {
        name: 'stacks/ without a manifest',
        make: (out) => fs.mkdirSync(path.join(out, 'stacks', 'x'), { recursive: true }),
        reason: 'not a synth output (no CDKTF manifest.json in it)',
      },
      {
        name: "a manifest that is not CDKTF's",
        make: (out) => (fs.mkdirSync(out), fs.writeFileSync(path.join(out, 'manifest.json'), '{"name": "my-app"}')),
        reason: 'not a synth output (no CDKTF manifest.json in it)',
      },
      {
        name: 'stacks as a file',
        make: (out) => (fs.mkdirSync(out), fs.writeFileSync(path.join(out, 'manifest.json'), manifest), fs.writeFileSync(path.join(out, 'stacks'), '')),
        reason: 'not a synth output (its stacks is not a folder)',
      },
      { name: 'below a file', at: 'f/cdktf.out', make: (out) => fs.writeFileSync(path.dirname(out), '') },
    ];
    for (const c of cases) {
      const dir = tmp();
      const out = path.join(dir, c.at ?? 'cdktf.out');
      c.make(out);
      const before = tree(dir);
      let error: unknown;
      try {
        synthesize(out, ['dev']);
      } catch (err) {
        error = err;
      }
      const message = c.reason ? refusal(out, c.reason) : `${out}: a folder on its path is a file`;
      expect({ case: c.name, error: error instanceof SynthOutputError && error.message }).toEqual({ case: c.name, error: message });
      expect({ case: c.name, tree: tree(dir) }).toEqual({ case: c.name, tree: before });
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts no path, an empty folder, a previous output (Terraform working files in its stacks included)', () => {
    const dir = tmp();
    const out = path.join(dir, 'cdktf.out');
    checkReplaceable(out);
    fs.mkdirSync(out);
    checkReplaceable(out);
    fs.writeFileSync(path.join(out, 'manifest.json'), '{"stacks": {}, "version": "0.21.0"}');
    checkReplaceable(out); // what a synth whose environments were all left out (--each-env) commits
    fs.rmSync(out, { recursive: true });
    synthOld(out);
    fs.mkdirSync(path.join(out, 'stacks', 'prod', '.terraform'));
    fs.writeFileSync(path.join(out, 'stacks', 'prod', 'terraform.tfstate'), '{}');
    checkReplaceable(out);
    // A file browser's own entry (a Finder window once opened on it) is no user's file.
    fs.writeFileSync(path.join(out, '.DS_Store'), '');
    checkReplaceable(out);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the commit checks again under the lock: a folder that became foreign during the synth is left whole', () => {
    // The path passed the check when the synth began, then gained a file of its own: the swap would have deleted it.
    const dir = tmp();
    const out = path.join(dir, 'cdktf.out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'notes.txt'), 'hi');
    const partial = path.join(dir, 'cdktf.out.partial-test');
    fs.mkdirSync(partial);
    fs.writeFileSync(path.join(partial, 'manifest.json'), '{"stacks": {}, "version": "0.21.0"}');
    expect(() => commitSynth(out, partial, () => true)).toThrow(new SynthOutputError(refusal(out, 'not a synth output (it holds notes.txt)')));
    expect(tree(dir)).toEqual({
      'cdktf.out': '/',
      'cdktf.out/notes.txt': 'hi',
      'cdktf.out.partial-test': '/',
      'cdktf.out.partial-test/manifest.json': expect.any(String),
    });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('interrupted and concurrent synths', () => {
  const run = (out: string, args: string[] = []) =>
    spawn(process.execPath, [main, ...args], { env: { ...process.env, CDKTF_OUTDIR: out }, stdio: ['ignore', 'pipe', 'pipe'] });
  const finished = (child: ChildProcess) =>
    new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) => {
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += d));
      child.on('close', (code, signal) => resolve({ code, signal, stderr }));
    });

  it('Ctrl-C or SIGTERM at any moment leaves the old or the new output whole, and no partial directory', async () => {
    // `synth dev` over an old output of every environment: the same swap and lock as a full synth, a third of the
    // work per run.
    const dir = tmp();
    const out = path.join(dir, 'cdktf.out');
    synthOld(out);
    const old = snapshot(out);
    // A pristine copy of the old output, put back after a run that finished (cheaper than synthesizing it again).
    const pristine = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-old-'));
    fs.cpSync(out, path.join(pristine, 'cdktf.out'), { recursive: true });
    // The new output, synthesized in-process over another copy of the old one: what a finished child must leave.
    const fresh = path.join(dir, 'fresh');
    fs.cpSync(out, fresh, { recursive: true });
    synthesize(fresh, ['dev']);
    const expected = snapshot(fresh);
    expect(expected).not.toEqual(old);
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    type Child = ReturnType<typeof run>;
    /**
     * Resolves (with the time) when the child's partial directory appears: by then its signal handlers are installed
     * and its synth has begun. Resolves at once should the child have exited before.
     */
    const running = (child: Child) => child.exitCode === null && child.signalCode === null;
    const synthStarted = async (child: Child) => {
      while (!fs.existsSync(`${out}.partial-${child.pid}`) && running(child)) await sleep(5);
      return Date.now();
    };
    // Each run is stopped at a moment of its own, found by watching for the synth's partial directory rather than by
    // fixed delays: one run left to finish (it times its synth, from the partial directory's creation to its rename
    // into place), then one stopped at once (before Node has even loaded the app, so before the handlers), one as its
    // synth starts (handlers installed, nothing written yet) and one after the timed synth, as it commits. They reach
    // every state the sweep of six delays from 0 to 1.15 runs reached by chance (killed before the handlers,
    // interrupted and cleaned up, finished), each on purpose.
    let synthMs = 0;
    const stops: Array<{ name: string; signal?: NodeJS.Signals; wait: (child: Child, done: Promise<unknown>) => Promise<unknown> }> = [
      {
        name: 'left to finish',
        wait: async (child, done) => {
          const started = await synthStarted(child);
          while (fs.existsSync(`${out}.partial-${child.pid}`) && running(child)) await sleep(5);
          synthMs = Date.now() - started;
          await done;
        },
      },
      { name: 'at once', signal: 'SIGINT', wait: async () => undefined },
      { name: 'as the synth starts', signal: 'SIGTERM', wait: (child) => synthStarted(child) },
      {
        name: 'about when it commits',
        signal: 'SIGINT',
        wait: async (child) => {
          await synthStarted(child);
          await sleep(synthMs);
        },
      },
    ];
    const outcomes: string[] = [];
    const kinds: string[] = [];
    for (const [i, stop] of stops.entries()) {
      if (i > 0 && outcomes[outcomes.length - 1] === 'new') {
        fs.rmSync(out, { recursive: true, force: true });
        fs.cpSync(path.join(pristine, 'cdktf.out'), out, { recursive: true });
      }
      const child = run(out, ['dev']);
      const done = finished(child);
      const signal = stop.signal;
      await stop.wait(child, done);
      if (signal) child.kill(signal);
      const result = await done;
      // Killed before the handlers were installed (signal), interrupted (130/143, one line), or already done (0).
      expect([signal && result.signal === signal, result.code === 0, result.code === 130, result.code === 143].some(Boolean)).toBe(true);
      if (result.code === 130 || result.code === 143)
        expect(result.stderr.trim().split('\n')).toEqual([`synth interrupted (${signal}): nothing written, the previous output is unchanged`]);
      const now = snapshot(out);
      const outcome = JSON.stringify(now) === JSON.stringify(old) ? 'old' : JSON.stringify(now) === JSON.stringify(expected) ? 'new' : 'MIXED';
      outcomes.push(outcome);
      kinds.push(result.signal ? 'killed before the handlers' : result.code === 0 ? 'finished' : 'interrupted, cleaned up');
      expect({ stop: stop.name, outcome, leftovers: fs.readdirSync(dir).sort() }).toEqual({
        stop: stop.name,
        outcome: outcome === 'MIXED' ? 'old or new' : outcome,
        leftovers: ['cdktf.out', 'fresh'],
      });
    }
    console.log(`interrupts: ${outcomes.map((o, i) => `${stops[i].name}: ${o} (${kinds[i]})`).join(', ')}`);
    // The stops reached every state, each where it was aimed: finished (the new output), killed before the handlers
    // and interrupted as the synth started (the old one); the stop about the commit may land on either side of it.
    expect(outcomes.slice(0, 3)).toEqual(['new', 'old', 'old']);
    expect(kinds.slice(0, 3)).toEqual(['finished', 'killed before the handlers', 'interrupted, cleaned up']);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(pristine, { recursive: true, force: true });
  }, 300_000);

  it('three synths at once all succeed (they queue on the lock), never ENOTEMPTY', async () => {
    const dir = tmp();
    const out = path.join(dir, 'cdktf.out');
    // One round from no output: the first commit creates the output and the two queued behind it replace it (move it
    // aside, carry the other environments' stacks over, swap), so both paths run under contention. A second round
    // repeated only the replacing path, three more processes for no state the first round lacks.
    const results = await Promise.all([run(out, ['dev']), run(out, ['prod']), run(out, ['staging'])].map(finished));
    expect(results.map((r) => ({ code: r.code, stderr: r.stderr }))).toEqual(results.map(() => ({ code: 0, stderr: '' })));
    expect(stacksOf(out)).toEqual(withBootstrap(['dev', 'prod', 'staging']));
    expect(fs.readdirSync(path.join(out, 'stacks')).sort()).toEqual(withBootstrap(['dev', 'prod', 'staging']));
    expect(fs.readdirSync(dir)).toEqual(['cdktf.out']);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 180_000);

  it('after a SIGKILL mid-swap the next synth puts the old output back and removes the leftovers', () => {
    const dir = tmp();
    const out = path.join(dir, 'cdktf.out');
    synthOld(out);
    const old = snapshot(out);
    // What a SIGKILL between the two renames leaves: the output moved aside, a partial directory, a stale lock.
    const dead = deadPid();
    fs.renameSync(out, `${out}.old-${dead}`);
    fs.mkdirSync(`${out}.partial-${dead}/stacks`, { recursive: true });
    fs.mkdirSync(lockDirOf(out));
    fs.writeFileSync(path.join(lockDirOf(out), 'pid'), dead);
    synthesize(out, ['prod']);
    expect(fs.readdirSync(dir)).toEqual(['cdktf.out']);
    const now = snapshot(out);
    expect(now['stacks/dev/cdk.tf.json']).toBe(old['stacks/dev/cdk.tf.json']);
    expect(now['stacks/prod/cdk.tf.json']).not.toBe(old['stacks/prod/cdk.tf.json']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('waits for a live lock holder and gives up with one line naming the lock', () => {
    const dir = tmp();
    const out = path.join(dir, 'cdktf.out');
    const release = acquireSynthLock(out);
    try {
      // One synth that gives up: its error is checked for both its class and its message. It waits 50 ms (two tries
      // of the lock, 25 ms apart): as surely a wait for a holder that never lets go as a longer one.
      let error: unknown;
      try {
        synthesize(out, ['dev'], undefined, { lockTimeoutMs: 50 });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(SynthLockError);
      expect((error as Error).message).toContain(`${lockDirOf(out)}: another synth (pid ${process.pid}) has held the output's lock`);
      expect(fs.readdirSync(dir).sort()).toEqual(['cdktf.out.lock']);
    } finally {
      release();
    }
    synthesize(out, ['dev'], undefined, { lockTimeoutMs: 200 });
    expect(fs.readdirSync(dir)).toEqual(['cdktf.out']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("waits for a lock caught between its holder's mkdir and pid write (an empty or partial pid file), never takes it", () => {
    // The race three concurrent synths once lost a stack to: the pid file was created empty and written after, and
    // Number('') is 0, which counted as a dead holder, so a waiter removed a lock its holder was still taking and both
    // committed at once. The pid file is now renamed into place whole; anything else in it is an unknown holder.
    for (const written of ['', '12x']) {
      const dir = tmp();
      const out = path.join(dir, 'cdktf.out');
      fs.mkdirSync(lockDirOf(out));
      fs.writeFileSync(path.join(lockDirOf(out), 'pid'), written);
      expect(() => acquireSynthLock(out, 50)).toThrow(SynthLockError);
      expect(fs.readdirSync(lockDirOf(out))).toEqual(['pid']);
      // Once the lock has gone without a pid for 10 s, it was never completed: taken over.
      const past = new Date(Date.now() - 11_000);
      fs.utimesSync(lockDirOf(out), past, past);
      acquireSynthLock(out, 50)();
      expect(fs.readdirSync(dir)).toEqual([]);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('several synths meeting the stale lock of a killed one take it over one at a time', async () => {
    // Four processes find the lock of a dead synth at the same moment (each signals it is ready, then waits for a
    // start file); each holds the lock for 20 ms while a marker file created with 'wx' shows whether another is
    // inside. Without the takeover guard, waiters that judged the same dead holder removed each other's fresh locks:
    // overlaps, ENOTEMPTY and ENOENT.
    const lockModule = path.join(root, 'dist', 'stacks', 'synth-output.js');
    const holder = `
      const fs = require('node:fs');
      const path = require('node:path');
      const { acquireSynthLock } = require(${JSON.stringify(lockModule)});
      const [out, dir] = process.argv.slice(1);
      const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
      fs.writeFileSync(path.join(dir, 'ready-' + process.pid), '');
      while (!fs.existsSync(path.join(dir, 'go'))) pause(1);
      const release = acquireSynthLock(out, 20000);
      fs.writeFileSync(path.join(dir, 'inside'), String(process.pid), { flag: 'wx' });
      pause(20);
      fs.rmSync(path.join(dir, 'inside'));
      release();`;
    const dead = deadPid();
    for (let round = 0; round < 3; round++) {
      const dir = tmp();
      const out = path.join(dir, 'cdktf.out');
      fs.mkdirSync(lockDirOf(out));
      fs.writeFileSync(path.join(lockDirOf(out), 'pid'), dead);
      const children = Array.from({ length: 4 }, () => spawn(process.execPath, ['-e', holder, out, dir], { stdio: ['ignore', 'ignore', 'pipe'] }));
      const results = Promise.all(children.map(finished));
      const deadline = Date.now() + 30_000;
      while (fs.readdirSync(dir).filter((n) => n.startsWith('ready-')).length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      fs.writeFileSync(path.join(dir, 'go'), '');
      const outcomes = (await results).map(({ code, stderr }) => ({ code, stderr }));
      expect({ round, results: outcomes }).toEqual({ round, results: children.map(() => ({ code: 0, stderr: '' })) });
      expect(fs.readdirSync(dir).filter((n) => !n.startsWith('ready-'))).toEqual(['go']);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('git ignores the partial, old and lock directories', () => {
    for (const name of ['cdktf.out.partial-123/x', 'cdktf.out.old-123/x', 'cdktf.out.lock/pid', 'cdktf.out/manifest.json']) {
      expect({ name, ignored: spawnSync('git', ['check-ignore', '-q', '--no-index', name], { cwd: root }).status }).toEqual({ name, ignored: 0 });
    }
  });
});
