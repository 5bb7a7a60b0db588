/**
 * Issue 15: a bad environment does not block `cdktf deploy` of another (its message printed once). Its own file (the
 * cdktf CLI run is seconds long) so jest can run it beside synth-output.test.ts instead of after it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-bad-env-'));
/** Every environment synthesizes its monitoring stack and its bootstrap stack. */
const withBootstrap = (envs: string[]) => envs.flatMap((e) => [e, `${e}-bootstrap`]).sort();
const stacksOf = (outdir: string) => Object.keys(JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')).stacks).sort();

describe('cdktf synth|diff|deploy with a bad value in one environment', () => {
  /** A copy of the project whose compiled prod.ts has an invalid value (node_modules linked, dist copied last). */
  function badProdProject(): string {
    const dir = tmp();
    for (const e of fs.readdirSync(root)) {
      if (['node_modules', 'dist', '.git', 'cdktf.out', '__tests__'].includes(e) || e.startsWith('cdktf.out.')) continue;
      fs.cpSync(path.join(root, e), path.join(dir, e), { recursive: true });
    }
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    fs.cpSync(path.join(root, 'dist'), path.join(dir, 'dist'), { recursive: true }); // newer than every source: no rebuild
    const prodJs = path.join(dir, 'dist', 'environments', 'prod.js');
    const text = fs.readFileSync(prodJs, 'utf8');
    expect(text).toContain('maxConnections: 200');
    fs.writeFileSync(prodJs, text.replace('maxConnections: 200', 'maxConnections: -5'));
    // The copy is a good build: its stamp written after every compiled file (and .tsbuildinfo), as a build writes it.
    fs.writeFileSync(path.join(dir, 'dist', '.build-stamp'), '');
    return dir;
  }
  const cdktf = (dir: string, ...args: string[]) =>
    spawnSync(process.execPath, [path.join(root, 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cdktf'), ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1', FORCE_COLOR: '0', CI: '1' },
      timeout: 120_000,
    });
  const count = (text: string, needle: string) => text.split(needle).length - 1;

  it('`cdktf diff prod` synthesizes the other environments, names the bad one once, then cannot find prod', () => {
    // One CLI run (loading the CLI costs about 3 s of CPU): `cdktf synth`, `diff` and `deploy` all synthesize through
    // the same code, @cdktf/cli-core's CdktfProject.synth() (diff() and deploy() await it first), which runs the app
    // and streams its output (SynthStack.synth); a synth that failed would stop diff there, so reaching "Could not find
    // stack" means the synth succeeded (`cdktf synth` exits 0), and it is what `cdktf deploy prod` meets next.
    const dir = badProdProject();
    const diff = cdktf(dir, 'diff', 'prod');
    const out = diff.stdout + diff.stderr;
    expect(diff.status).not.toBe(0);
    expect(count(out, 'cloudSql.maxConnections')).toBe(1);
    expect(out).toContain('prod left out of the synth');
    expect(out).toMatch(/Could not find stack: prod/);
    // The synth before it wrote the good environments' stacks, and only theirs.
    expect(stacksOf(path.join(dir, 'cdktf.out'))).toEqual(withBootstrap(['dev', 'staging']));
    expect(fs.readdirSync(path.join(dir, 'cdktf.out', 'stacks')).sort()).toEqual(withBootstrap(['dev', 'staging']));
    fs.rmSync(dir, { recursive: true, force: true });
  }, 240_000);
});
