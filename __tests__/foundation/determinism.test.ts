import { execFileSync } from 'node:child_process';
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

describe('deterministic output', () => {
  it('gives byte-identical cdktf.out on a second synth, from another working directory', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-again-'));
    const second = path.join(dir, 'out');
    execFileSync(process.execPath, [path.join(root, 'dist', 'main.js')], { cwd: dir, env: { ...process.env, CDKTF_OUTDIR: second } });
    const first = synthDir();
    const files = listFiles(first);
    expect(listFiles(second)).toEqual(files);
    for (const file of files)
      expect({ file, same: fs.readFileSync(path.join(second, file)).equals(fs.readFileSync(path.join(first, file))) }).toEqual({ file, same: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('contains no absolute paths and no timestamps', () => {
    for (const file of listFiles(synthDir())) {
      const text = fs.readFileSync(path.join(synthDir(), file), 'utf8');
      expect({ file, absolute: /"\/(root|home|tmp|work|Users)\//.test(text) || text.includes(os.tmpdir()) }).toEqual({ file, absolute: false });
      expect({ file, timestamp: /20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-9]{2}:[0-9]{2}/.test(text) }).toEqual({ file, timestamp: false });
    }
  });
});
