/**
 * The suite's temporary directory (global-setup.js): every worker, and every process a test starts, has it as TMPDIR;
 * the teardown removes it, and fails the run naming whatever a test left there.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const globalTeardown = require('../support/global-teardown.js') as () => Promise<void>;
const hook = globalThis as { __RUN_TMP__?: string; __SYNTH_TMP__?: string; __USER_ENV__?: Record<string, string | undefined> };

describe("the run's temporary directory", () => {
  it('is what os.tmpdir() returns in a test file (the workers inherit it)', () => {
    expect(path.basename(os.tmpdir())).toMatch(/^vividly-test-run-/);
    expect(path.dirname(process.env.SYNTH_DIR!)).toMatch(new RegExp(`^${os.tmpdir()}/vividly-synth-`));
  });

  it("a leftover fails the teardown, named; the directory is removed all the same, and the user's TMPDIR and NODE_COMPILE_CACHE are back", async () => {
    // A stand-in run directory (the real one belongs to the run): the teardown reads it from the globals the setup set.
    const runTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stand-in-run-'));
    fs.mkdirSync(path.join(runTmp, 'leaky-abc123'));
    fs.writeFileSync(path.join(runTmp, 'left.txt'), '');
    const ours = { TMPDIR: process.env.TMPDIR, NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE };
    Object.assign(hook, {
      __RUN_TMP__: runTmp,
      __SYNTH_TMP__: undefined,
      __USER_ENV__: { TMPDIR: '/the/users/own/tmp', NODE_COMPILE_CACHE: '/the/users/own/cache' },
    });
    try {
      await expect(globalTeardown()).rejects.toThrow('tests left files in the temporary directory (removed now): leaky-abc123, left.txt');
      expect(fs.existsSync(runTmp)).toBe(false);
      expect([process.env.TMPDIR, process.env.NODE_COMPILE_CACHE]).toEqual(['/the/users/own/tmp', '/the/users/own/cache']);
      // Nothing left: the teardown passes and removes the directory; a user without these variables gets none back.
      Object.assign(process.env, ours);
      fs.mkdirSync(runTmp);
      hook.__USER_ENV__ = { TMPDIR: undefined, NODE_COMPILE_CACHE: undefined };
      await expect(globalTeardown()).resolves.toBeUndefined();
      expect(fs.existsSync(runTmp)).toBe(false);
      expect([process.env.TMPDIR, process.env.NODE_COMPILE_CACHE]).toEqual([undefined, undefined]);
    } finally {
      // This worker's later test files keep the run's values.
      Object.assign(process.env, ours);
      delete hook.__RUN_TMP__;
      delete hook.__USER_ENV__;
    }
  });

  it("Node's compile cache, which tsc and prettier switch on in every process they run in, is kept in node_modules/.cache, not there", () => {
    // Node 22 (CI's version) writes it to os.tmpdir()/node-compile-cache unless NODE_COMPILE_CACHE says otherwise: the
    // teardown then failed every run. Node 20 has no compile cache (enableCompileCache is undefined), so there only
    // the variable is checked; on Node 22 the child really writes the cache and the run's directory stays clean.
    const child = spawnSync(
      process.execPath,
      [
        '-e',
        "const m = require('node:module'); const r = m.enableCompileCache?.(); require('node:fs'); process.stdout.write(JSON.stringify({ dir: r?.directory ?? process.env.NODE_COMPILE_CACHE }))",
      ],
      { encoding: 'utf8' },
    );
    expect(child.status).toBe(0);
    // node_modules/.cache/node-compile-cache, or the user's own NODE_COMPILE_CACHE (Node 22 adds a folder per version).
    const { dir } = JSON.parse(child.stdout) as { dir?: string };
    expect({ dir, inRunDirectory: dir !== undefined && `${dir}/`.startsWith(`${os.tmpdir()}/`) }).toEqual({ dir: expect.any(String), inRunDirectory: false });
    expect(fs.readdirSync(os.tmpdir())).not.toContain('node-compile-cache');
  });
});
