/**
 * `export-hcl` as a command (issue 16): its --out checked before any work, and interrupted, it leaves no temporary
 * synth and writes nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../tools/export-hcl/cli';
import { captureRun } from '../support/cli';
import { interruptTool } from '../support/interrupt';
import { synthDir } from '../support/synth';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-hcl-cli-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('export-hcl --out', () => {
  it('an empty value, a file, or a path below a file is one line naming the option, exit 2, and nothing is written', async () => {
    const file = path.join(dir, 'a-file');
    fs.writeFileSync(file, 'kept');
    const cwd = process.cwd();
    // Run from the scratch folder: an empty --out wrote dev/, staging/ and prod/ into the current folder, exit 0.
    process.chdir(dir);
    try {
      for (const [out, line] of [
        ['', 'export-hcl: option --out: must not be empty'],
        ['a-file', 'export-hcl: option --out: a-file: exists and is not a directory'],
        [path.join('a-file', 'x'), `export-hcl: option --out: ${path.join('a-file', 'x')}: a-file is not a directory`],
      ]) {
        const result = await captureRun(run, ['--synth-dir', synthDir(), '--out', out]);
        expect({ out, code: result.code, stdout: result.out, stderr: result.err }).toEqual({ out, code: 2, stdout: '', stderr: line });
      }
    } finally {
      process.chdir(cwd);
    }
    expect(fs.readdirSync(dir)).toEqual(['a-file']);
  });
});

describe('export-hcl with one bad stack', () => {
  it('converts every stack before writing: exit 2 naming the bad file, and no main.tf written or replaced', async () => {
    const synth = path.join(dir, 'synth');
    fs.cpSync(path.join(synthDir(), 'stacks'), path.join(synth, 'stacks'), { recursive: true });
    const broken = path.join(synth, 'stacks', 'staging', 'cdk.tf.json');
    fs.writeFileSync(broken, fs.readFileSync(broken, 'utf8').slice(0, 100));
    const out = path.join(dir, 'export');
    // A fresh folder, and one holding an earlier export of dev.
    for (const earlier of [false, true]) {
      if (earlier) {
        fs.mkdirSync(path.join(out, 'dev'), { recursive: true });
        fs.writeFileSync(path.join(out, 'dev', 'main.tf'), 'earlier');
      }
      const result = await captureRun(run, ['--synth-dir', synth, '--out', out]);
      expect({ code: result.code, stdout: result.out }).toEqual({ code: 2, stdout: '' });
      expect(result.err).toMatch(new RegExp(`^export-hcl: ${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON \\(`));
      expect(fs.readdirSync(dir).sort()).toEqual(earlier ? ['export', 'synth'] : ['synth']);
      if (earlier) expect(fs.readdirSync(out, { recursive: true })).toEqual(['dev', path.join('dev', 'main.tf')]);
      if (earlier) expect(fs.readFileSync(path.join(out, 'dev', 'main.tf'), 'utf8')).toBe('earlier');
    }
  });
});

describe('export-hcl, interrupted', () => {
  it('SIGTERM while it synthesizes the working tree: its temporary synth removed, nothing written, exit 143', async () => {
    // Stopped once the temporary synth folder exists: the in-process synth has begun (its handlers were installed before).
    // Run outside the project's root, where the working tree is synthesized (in it, a fresh cdktf.out would be read).
    const { result, left } = await interruptTool((tmpdir) => ['export-hcl', '--out', path.join(tmpdir, 'export')], 'SIGTERM', 'vividly-review-synth-', {
      inTmpdir: true,
    });
    expect({ code: result.code, signal: result.signal, stderr: result.stderr }).toEqual({
      code: 143,
      signal: null,
      stderr: 'export-hcl: interrupted (SIGTERM); temporary directories removed\n',
    });
    expect(left).toEqual([]);
  }, 60_000);
});
