import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthDir } from '../support/synth';

const root = path.resolve(__dirname, '..', '..');

function listFiles(dir: string, base = dir): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const full = path.join(dir, e.name);
      return e.isDirectory() ? listFiles(full, base) : [path.relative(base, full)];
    })
    .sort();
}

/**
 * The file's one second synth, made by the app `cdktf synth|diff|deploy` runs (cdktf.json → scripts/cdktf-app.js: the
 * compiled app, with the CLI's output directory, from the project's root). The global setup synthesized from a
 * temporary directory, so this synth is also one from another working directory. (Both tests below once started a
 * synth of every environment of their own; a synth costs a second of CPU.)
 */
let dir: string;
let second: string;
let app: { status: number | null; stderr: string };
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-again-'));
  second = path.join(dir, 'out');
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'cdktf-app.js')], { env: { ...process.env, CDKTF_OUTDIR: second }, encoding: 'utf8' });
  app = { status: r.status, stderr: r.stderr };
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("cdktf's app (cdktf.json → scripts/cdktf-app.js)", () => {
  it("runs the compiled app with the CLI's output directory, building only when a source is newer", () => {
    expect(JSON.parse(fs.readFileSync(path.join(root, 'cdktf.json'), 'utf8')).app).toBe('node scripts/cdktf-app.js');
    expect(app).toEqual({ status: 0, stderr: '' });
    expect(fs.readdirSync(path.join(second, 'stacks')).sort()).toEqual(['dev', 'dev-bootstrap', 'prod', 'prod-bootstrap', 'staging', 'staging-bootstrap']);
  });
});

describe('deterministic output', () => {
  it('gives byte-identical cdktf.out on a second synth, from another working directory', () => {
    expect(app.status).toBe(0);
    const first = synthDir();
    const files = listFiles(first);
    expect(listFiles(second)).toEqual(files);
    for (const file of files)
      expect({ file, same: fs.readFileSync(path.join(second, file)).equals(fs.readFileSync(path.join(first, file))) }).toEqual({ file, same: true });
  });

  it('contains no absolute paths and no timestamps', () => {
    for (const file of listFiles(synthDir())) {
      const text = fs.readFileSync(path.join(synthDir(), file), 'utf8');
      expect({ file, absolute: /"\/(root|home|tmp|work|Users)\//.test(text) || text.includes(os.tmpdir()) }).toEqual({ file, absolute: false });
      expect({ file, timestamp: /20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-9]{2}:[0-9]{2}/.test(text) }).toEqual({ file, timestamp: false });
    }
  });
});
