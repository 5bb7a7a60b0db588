// The suite's jest runtime reads each file once per worker (__tests__/support/read-once.js): a kept copy must never
// hide a change. And V8 tuned for short runs (scripts/v8-flags.js), which npm test preloads in every process.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

interface Source {
  stamp: string | undefined;
  buffer: Buffer;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { readSource } = require('../support/read-once.js') as { readSource: (file: string, nowMs?: number) => Source };

describe("the test runtime's worker-wide file reads", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'test-runtime-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A clock 10 s ahead: the file is past the 2 s during which it is always read anew. */
  const later = () => Date.now() + 10_000;
  /** Past one tick of the file system's clock (4 ms at HZ=250), so a second write gets another ctime. */
  const tick = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25);

  it('keep an unchanged file: the second read is the first copy', () => {
    const file = path.join(dir, 'module.js');
    fs.writeFileSync(file, 'module.exports = 1;\n');
    const first = readSource(file, later());
    expect(first.stamp).toBeDefined();
    expect(readSource(file, later())).toBe(first);
  });

  it('read a rewritten file anew, even with the same size and its old mtime put back', () => {
    const file = path.join(dir, 'module.js');
    const mtime = 1_700_000_000; // whole seconds: put back exactly
    fs.writeFileSync(file, 'module.exports = 1;\n');
    fs.utimesSync(file, mtime, mtime);
    const first = readSource(file, later());
    tick();
    fs.writeFileSync(file, 'module.exports = 2;\n');
    fs.utimesSync(file, mtime, mtime);
    const second = readSource(file, later());
    expect(second).not.toBe(first);
    expect(second.buffer.toString()).toBe('module.exports = 2;\n');
  });

  it('read a file replaced by another (a new inode) anew', () => {
    const file = path.join(dir, 'module.js');
    fs.writeFileSync(file, 'module.exports = 1;\n');
    const first = readSource(file, later());
    fs.writeFileSync(`${file}.new`, 'module.exports = 3;\n');
    fs.renameSync(`${file}.new`, file);
    expect(readSource(file, later()).buffer.toString()).toBe('module.exports = 3;\n');
    expect(readSource(file, later())).not.toBe(first);
  });

  it("take no test's stub of fs: a spied readFileSync never reaches the copies", () => {
    const file = path.join(dir, 'module.js');
    fs.writeFileSync(file, 'module.exports = 1;\n');
    // The module object itself (`import * as` gives a copy of its properties), as a test that stubs fs would spy on.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const stub = jest.spyOn(require('node:fs') as typeof fs, 'readFileSync').mockReturnValue(Buffer.from('stub'));
    try {
      expect(readSource(file, later()).buffer.toString()).toBe('module.exports = 1;\n');
    } finally {
      stub.mockRestore();
    }
  });

  it('never keep a file changed under 2 s ago: a second write within one clock tick could leave its stat as it was', () => {
    const file = path.join(dir, 'module.js');
    fs.writeFileSync(file, 'module.exports = 1;\n');
    const now = Date.now();
    const first = readSource(file, now);
    expect(first.stamp).toBeUndefined();
    expect(readSource(file, now)).not.toBe(first);
  });
});

describe('V8 tuned for short runs (scripts/v8-flags.js)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SHORT_RUN_V8_FLAGS, SHORT_RUN_NODE_ARGS } = require('../../scripts/v8-flags.js') as { SHORT_RUN_V8_FLAGS: string[]; SHORT_RUN_NODE_ARGS: string[] };
  /** V8's optimization status of a function called 20,000 times (synchronous optimization: no timing in it). */
  const statusAfterCalls = (args: string[]) => {
    const probe = 'function f(x) { return x + 1; } for (let i = 0; i < 20000; i++) f(i); process.stdout.write(String(%GetOptimizationStatus(f)));';
    // Without the suite's own NODE_OPTIONS (npm test preloads the tuning there).
    const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--no-concurrent-recompilation', ...args, '-e', probe], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    return { status: r.status, stderr: r.stderr, optimization: Number(r.stdout) };
  };
  /** V8's bit for "optimized by TurboFan" (src/runtime/runtime.h, OptimizationStatus). */
  const TURBOFANNED = 1 << 6;

  it('are flags this Node.js knows: on a command line and preloaded, nothing said, exit 0', () => {
    for (const args of [SHORT_RUN_V8_FLAGS, SHORT_RUN_NODE_ARGS]) {
      const r = statusAfterCalls(args);
      expect({ args, status: r.status, stderr: r.stderr }).toEqual({ args, status: 0, stderr: '' });
    }
  });

  it('TurboFan comes ten times later: 20,000 calls optimize a function by default, not when tuned (V8 12 and later)', () => {
    if (Number(process.versions.v8.split('.')[0]) < 12) {
      // Node 20's V8 counts an interrupt budget, not calls: ten times its default of 67,584.
      expect(SHORT_RUN_V8_FLAGS).toEqual(['--interrupt-budget=675840']);
      return;
    }
    expect(SHORT_RUN_V8_FLAGS).toEqual(['--invocation-count-for-turbofan=30000']);
    expect(statusAfterCalls([]).optimization & TURBOFANNED).toBe(TURBOFANNED);
    expect(statusAfterCalls(SHORT_RUN_NODE_ARGS).optimization & TURBOFANNED).toBe(0);
    expect(statusAfterCalls(SHORT_RUN_V8_FLAGS).optimization & TURBOFANNED).toBe(0);
  });
});
