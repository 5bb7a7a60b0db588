/**
 * `bench --suite --baseline REF --node BIN --baseline-node BIN` (tools/bench.ts): the arguments are checked before
 * any suite runs, and a baseline or a Node.js binary that could not be measured like HEAD is refused with one line.
 * (The timings themselves are printed by `npm run bench`, never asserted.)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkBaseline, run } from '../../tools/bench';
import { captureRun } from '../support/cli';
import { deadPid, git as gitIn } from '../support/git';
import { interruptTool, startTool, until } from '../support/interrupt';

describe('bench --suite --baseline / --node / --baseline-node', () => {
  it.each([
    [
      'an unknown ref',
      ['--suite', '--baseline', 'no-such-ref-anywhere'],
      'bench: option --baseline: "no-such-ref-anywhere" is not a commit of this repository',
    ],
    ['a baseline without --suite', ['--baseline', 'HEAD'], 'bench: option --baseline: for whole-suite runs only: use it with --suite'],
    ['a Node.js binary without --suite', ['--node', process.execPath], 'bench: option --node: for whole-suite runs only: use it with --suite'],
    ['zero runs', ['--suite', '--runs', '0'], 'bench: option --runs: must be a positive whole number (got "0")'],
    // npm's `#!/usr/bin/env node` finds the binary on PATH only under that name.
    ['a binary not named node', ['--suite', '--node', '/bin/sh'], 'bench: option --node: "/bin/sh" is not a file named node (it is put first on PATH for npm)'],
    [
      'a baseline binary that does not run',
      ['--suite', '--baseline-node', '/no/such/dir/node'],
      'bench: option --baseline-node: "/no/such/dir/node" does not run as Node.js (spawnSync /no/such/dir/node ENOENT)',
    ],
  ])('refuses %s: the message and the synopsis, exit 2', async (_name, argv, line) => {
    const { code, out, err } = await captureRun(run, argv);
    expect({ code, out }).toEqual({ code: 2, out: '' });
    expect(err.split('\n')).toEqual([line, expect.stringMatching(/^usage: vividly-monitoring bench /)]);
  });

  it('refuses a commit whose package-lock.json differs from HEAD (its suite needs other node_modules)', () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-baseline-'));
    const git = (...args: string[]) => gitIn(repo, ...args);
    try {
      git('init', '--quiet');
      fs.writeFileSync(path.join(repo, 'package-lock.json'), '{"lockfileVersion": 3}\n');
      git('add', '.');
      git('commit', '--quiet', '-m', 'old lock');
      git('tag', 'old-lock');
      fs.writeFileSync(path.join(repo, 'package-lock.json'), '{"lockfileVersion": 3, "packages": {}}\n');
      git('add', '.');
      git('commit', '--quiet', '-m', 'new lock');
      git('tag', 'new-lock');
      fs.writeFileSync(path.join(repo, 'README.md'), 'a change elsewhere\n');
      git('add', '.');
      git('commit', '--quiet', '-m', 'HEAD: same lock as new-lock');
      expect(checkBaseline('old-lock', repo)).toBe('option --baseline: "old-lock" has another package-lock.json than HEAD: its suite needs other node_modules');
      expect(checkBaseline('new-lock', repo)).toBeUndefined();
      expect(checkBaseline('HEAD', repo)).toBeUndefined();
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });
});

describe('bench, interrupted', () => {
  it('Ctrl-C while a synth is timed: the synth stopped, its temporary directory removed, exit 130', async () => {
    // Stopped once the first run's folder exists: the compiled app is being timed in it.
    const { result, left } = await interruptTool(() => ['bench', '--runs', '1'], 'SIGINT', 'vividly-bench-');
    expect({ code: result.code, signal: result.signal, stderr: result.stderr }).toEqual({
      code: 130,
      signal: null,
      stderr: 'bench: interrupted (SIGINT); temporary directories removed\n',
    });
    expect(left).toEqual([]);
  }, 60_000);

  it("removes the folders a bench killed outright (SIGKILL) left, named after its pid, and never a running bench's", async () => {
    const tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-leftovers-'));
    try {
      // A suite's clone left by a killed bench, and one of a bench still running (this test's worker stands in for it).
      const killed = path.join(tmpdir, `vividly-bench-suite-${deadPid()}-a1B2c3`);
      const running = path.join(tmpdir, `vividly-bench-suite-${process.pid}-d4E5f6`);
      for (const dir of [killed, running]) fs.mkdirSync(path.join(dir, 'head', 'node_modules'), { recursive: true });
      const { child, done } = startTool(['bench', '--runs', '1'], { tmpdir });
      // Its first synth's folder, named after it: it removed the leftovers before making any.
      await until(child, () => fs.readdirSync(tmpdir).some((n) => n.startsWith(`vividly-bench-synth-${child.pid}-`)));
      child.kill('SIGINT');
      expect((await done).code).toBe(130);
      expect(fs.readdirSync(tmpdir)).toEqual([path.basename(running)]);
    } finally {
      fs.rmSync(tmpdir, { recursive: true, force: true });
    }
  }, 60_000);
});
