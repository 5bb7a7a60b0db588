/**
 * `export-hcl` as a command (issue 16): interrupted, it leaves no temporary synth and writes nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTool, until } from '../support/interrupt';

describe('export-hcl, interrupted', () => {
  it('SIGTERM while it synthesizes the working tree: its temporary synth removed, nothing written, exit 143', async () => {
    const tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-hcl-kill-'));
    try {
      const out = path.join(tmpdir, 'export');
      const { child, done } = startTool(['export-hcl', '--out', out], { tmpdir });
      // The temporary synth folder exists: the in-process synth has begun (its handlers were installed before).
      await until(child, () => fs.readdirSync(tmpdir).some((n) => n.startsWith('vividly-review-synth-')));
      child.kill('SIGTERM');
      const result = await done;
      expect({ code: result.code, signal: result.signal, stderr: result.stderr }).toEqual({
        code: 143,
        signal: null,
        stderr: 'export-hcl: interrupted (SIGTERM); temporary directories removed\n',
      });
      expect(fs.readdirSync(tmpdir)).toEqual([]);
    } finally {
      fs.rmSync(tmpdir, { recursive: true, force: true });
    }
  }, 60_000);
});
