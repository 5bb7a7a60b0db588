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
const hook = globalThis as { __RUN_TMP__?: string; __SYNTH_TMP__?: string; __USER_TMPDIR__?: string };

describe("the run's temporary directory", () => {
  it('is what os.tmpdir() returns in a test file (the workers inherit it)', () => {
    expect(path.basename(os.tmpdir())).toMatch(/^vividly-test-run-/);
    expect(path.dirname(process.env.SYNTH_DIR!)).toMatch(new RegExp(`^${os.tmpdir()}/vividly-synth-`));
  });

  it("a leftover fails the teardown, named; the directory is removed all the same, and TMPDIR is the user's again", async () => {
    // A stand-in run directory (the real one belongs to the run): the teardown reads it from the globals the setup set.
    const runTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stand-in-run-'));
    fs.mkdirSync(path.join(runTmp, 'leaky-abc123'));
    fs.writeFileSync(path.join(runTmp, 'left.txt'), '');
    const ours = process.env.TMPDIR;
    Object.assign(hook, { __RUN_TMP__: runTmp, __SYNTH_TMP__: undefined, __USER_TMPDIR__: '/the/users/own/tmp' });
    try {
      await expect(globalTeardown()).rejects.toThrow('tests left files in the temporary directory (removed now): leaky-abc123, left.txt');
      expect(fs.existsSync(runTmp)).toBe(false);
      expect(process.env.TMPDIR).toBe('/the/users/own/tmp');
      // Nothing left: the teardown passes and removes the directory; a user without TMPDIR gets none back.
      process.env.TMPDIR = ours;
      fs.mkdirSync(runTmp);
      hook.__USER_TMPDIR__ = undefined;
      await expect(globalTeardown()).resolves.toBeUndefined();
      expect(fs.existsSync(runTmp)).toBe(false);
      expect(process.env.TMPDIR).toBeUndefined();
    } finally {
      // This worker's later test files keep the run's directory.
      process.env.TMPDIR = ours;
      delete hook.__RUN_TMP__;
      delete hook.__USER_TMPDIR__;
    }
  });

  it("Node's compile cache, which tsc and prettier switch on in every process they run in, is kept in node_modules/.cache, not there", () => {
    // Node 22 (CI's version) writes it to os.tmpdir()/node-compile-cache unless NODE_COMPILE_CACHE says otherwise: the
    // teardown then failed every run. The test environment sets the variable in each worker, for the processes tests
    // start (node-environment.js). Node 20 has no compile cache (enableCompileCache is undefined), so there only the
    // variable is checked; on Node 22 the child really writes the cache and the run's directory stays clean.
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

describe("Node's compile cache in node_modules/.cache", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { pruneCompileCache } = require('../support/node-environment.js') as { pruneCompileCache(dir?: string, maxEntries?: number): void };

  it('is removed by the teardown once it holds more entries than the bound (the copies tests run add some each run)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compile-cache-'));
    try {
      // Two folders (Node versions), six entries in all.
      for (const [version, count] of [
        ['v22.23.5-x64-1', 4],
        ['v24.22.3-x64-2', 2],
      ] as const) {
        fs.mkdirSync(path.join(dir, version));
        for (let i = 0; i < count; i++) fs.writeFileSync(path.join(dir, version, `0000000${i}`), 'cached');
      }
      pruneCompileCache(dir, 6);
      expect(fs.readdirSync(dir).sort()).toEqual(['v22.23.5-x64-1', 'v24.22.3-x64-2']);
      pruneCompileCache(dir, 5);
      expect(fs.existsSync(dir)).toBe(false);
      // None at all (Node 20 writes none): nothing to do, no error.
      expect(() => pruneCompileCache(dir, 5)).not.toThrow();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("npm test's temporary directory (scripts/test.js)", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { temporaryBase } = require('../../scripts/test.js') as {
    temporaryBase(options: { env?: NodeJS.ProcessEnv; mounts?: () => string; freeBytes?: (dir: string) => number }): string;
  };
  const shm = (options: string) => `/dev/vda / ext4 rw,relatime 0 0\ntmpfs /dev/shm tmpfs ${options} 0 0\n`;
  const GiB = 2 ** 30;
  const base = (mounts: string, free = 24 * GiB, env: NodeJS.ProcessEnv = {}) => temporaryBase({ env, mounts: () => mounts, freeBytes: () => free });

  it('is in memory (/dev/shm) when TMPDIR is not set and /dev/shm is an executable tmpfs with 1 GiB free', () => {
    expect(base(shm('rw,nosuid,nodev,relatime,size=24684096k'))).toBe('/dev/shm');
  });

  it("is the system's temporary directory otherwise: TMPDIR set, noexec, under 1 GiB free, no tmpfs there, no /proc", () => {
    expect(base(shm('rw,relatime'), 24 * GiB, { TMPDIR: '/somewhere' })).toBe(os.tmpdir());
    expect(base(shm('rw,nosuid,nodev,noexec,relatime'))).toBe(os.tmpdir());
    // Docker's default /dev/shm is 64 MB.
    expect(base(shm('rw,relatime,size=65536k'), 64 * 2 ** 20)).toBe(os.tmpdir());
    expect(base('/dev/vda / ext4 rw,relatime 0 0\n/dev/vdb /dev/shm ext4 rw 0 0\n')).toBe(os.tmpdir());
    expect(base('/dev/vda / ext4 rw,relatime 0 0\n')).toBe(os.tmpdir());
    expect(
      temporaryBase({
        env: {},
        mounts: () => {
          throw new Error('ENOENT: /proc/self/mounts');
        },
      }),
    ).toBe(os.tmpdir());
  });
});
