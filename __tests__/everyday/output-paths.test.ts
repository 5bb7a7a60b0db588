/**
 * The tools' output paths (tools/shared/output.ts, issue 16): checked before any work, written beside their targets
 * and put in place together at the end, so nothing is ever half-written.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkOutputPath, commitOutputs, pendingOutput } from '../../tools/shared/output';
import { deadPid } from '../support/git';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'output-paths-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const message = (f: () => void): string | undefined => {
  try {
    f();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
};

describe('checkOutputPath', () => {
  it('names the option, the path and the reason; missing parent folders are fine', () => {
    const file = path.join(dir, 'f');
    fs.writeFileSync(file, '');
    expect(message(() => checkOutputPath('out', '', 'file'))).toBe('option --out: must not be empty');
    expect(message(() => checkOutputPath('out', '  ', 'dir'))).toBe('option --out: must not be empty');
    expect(message(() => checkOutputPath('out', dir, 'file'))).toBe(`option --out: ${dir}: is a directory (a file is written there)`);
    expect(message(() => checkOutputPath('out', file, 'dir'))).toBe(`option --out: ${file}: exists and is not a directory`);
    expect(message(() => checkOutputPath('out', path.join(file, 'a', 'b'), 'dir'))).toBe(
      `option --out: ${path.join(file, 'a', 'b')}: ${file} is not a directory`,
    );
    expect(message(() => checkOutputPath('out', path.join(dir, 'new', 'x.md'), 'file'))).toBeUndefined();
    expect(message(() => checkOutputPath('out', file, 'file'))).toBeUndefined();
    expect(message(() => checkOutputPath('out', dir, 'dir'))).toBeUndefined();
    expect(message(() => checkOutputPath('out', '/dev/null', 'file'))).toBeUndefined();
    // A relative path is named as given, its parent relative to the working directory.
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(message(() => checkOutputPath('plot', 'f/x', 'dir'))).toBe('option --plot: f/x: f is not a directory');
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('pendingOutput and commitOutputs', () => {
  it('write beside the target and put everything in place at the end; a discarded output leaves nothing', async () => {
    const out = path.join(dir, 'a', 'b', 'out');
    const report = path.join(dir, 'report.md');
    const folder = pendingOutput('out', out, 'dir');
    const file = pendingOutput('report', report, 'file');
    fs.mkdirSync(path.join(folder.path, 'dev'));
    fs.writeFileSync(path.join(folder.path, 'dev', 'main.tf'), 'new');
    fs.writeFileSync(file.path, 'table');
    // Beside the targets (in their nearest existing folder), not in them.
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.existsSync(report)).toBe(false);
    await commitOutputs(folder, file);
    expect(fs.readFileSync(path.join(out, 'dev', 'main.tf'), 'utf8')).toBe('new');
    expect(fs.readFileSync(report, 'utf8')).toBe('table');
    expect(fs.readdirSync(dir).sort()).toEqual(['a', 'report.md']);
    const dropped = pendingOutput('out', path.join(dir, 'dropped'), 'dir');
    fs.writeFileSync(path.join(dropped.path, 'x'), '');
    dropped.discard();
    expect(fs.readdirSync(dir).sort()).toEqual(['a', 'report.md']);
  });

  it('fill a folder that exists: its other files stay (terraform init state beside main.tf), same names are replaced', async () => {
    const out = path.join(dir, 'export');
    fs.mkdirSync(path.join(out, 'dev', '.terraform'), { recursive: true });
    fs.writeFileSync(path.join(out, 'dev', 'main.tf'), 'old');
    fs.writeFileSync(path.join(out, 'dev', '.terraform.lock.hcl'), 'lock');
    const pending = pendingOutput('out', out, 'dir');
    // Made inside it: its parent need not be writable, and a mount point is no other file system for the renames.
    expect(path.dirname(pending.path)).toBe(out);
    for (const env of ['dev', 'prod']) {
      fs.mkdirSync(path.join(pending.path, env));
      fs.writeFileSync(path.join(pending.path, env, 'main.tf'), `new ${env}`);
    }
    await commitOutputs(pending);
    expect(fs.readdirSync(path.join(out, 'dev')).sort()).toEqual(['.terraform', '.terraform.lock.hcl', 'main.tf']);
    expect(fs.readFileSync(path.join(out, 'dev', 'main.tf'), 'utf8')).toBe('new dev');
    expect(fs.readFileSync(path.join(out, 'prod', 'main.tf'), 'utf8')).toBe('new prod');
    expect(fs.readdirSync(dir)).toEqual(['export']);
  });

  it('commit none when one cannot be put in place (a folder where a file goes, appeared since the check)', async () => {
    const out = path.join(dir, 'export');
    const report = path.join(dir, 'report.md');
    const folder = pendingOutput('out', out, 'dir');
    fs.writeFileSync(path.join(folder.path, 'main.tf'), 'new');
    const file = pendingOutput('report', report, 'file');
    fs.writeFileSync(file.path, 'table');
    fs.mkdirSync(out);
    fs.mkdirSync(path.join(out, 'main.tf'));
    await expect(commitOutputs(file, folder)).rejects.toThrow(`option --out: ${out}: ${path.join(out, 'main.tf')} is a directory`);
    expect(fs.existsSync(report)).toBe(false);
    folder.discard();
    file.discard();
    expect(fs.readdirSync(dir)).toEqual(['export']);
  });

  it('follow a symbolic link, write a device as it is, and remove what a killed process left beside the target', async () => {
    const real = path.join(dir, 'real.md');
    fs.writeFileSync(real, 'old');
    fs.symlinkSync(real, path.join(dir, 'link.md'));
    const stale = path.join(dir, `report.md.partial-${deadPid()}-1`);
    fs.writeFileSync(stale, 'left by a SIGKILL');
    const viaLink = pendingOutput('report', path.join(dir, 'link.md'), 'file');
    fs.writeFileSync(viaLink.path, 'new');
    const devNull = pendingOutput('report', '/dev/null', 'file');
    // Not beside it in /dev (only root may write there): in the temporary directory.
    expect(path.dirname(devNull.path)).toBe(os.tmpdir());
    fs.writeFileSync(devNull.path, 'nothing');
    const report = pendingOutput('report', path.join(dir, 'report.md'), 'file');
    fs.writeFileSync(report.path, 'table');
    await commitOutputs(viaLink, devNull, report);
    expect(fs.lstatSync(path.join(dir, 'link.md')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(real, 'utf8')).toBe('new');
    expect(fs.statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual(['link.md', 'real.md', 'report.md']);
  });
});
