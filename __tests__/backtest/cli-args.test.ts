/**
 * Issue 16, the backtest's arguments checked before anything is read: --from/--to/--now through the scenario files'
 * strict RFC 3339 parser (no roll-over, no local time), --cache a directory. Each is exit 2: a bad time a usage error (the
 * message and the synopsis), a bad cache one line. No API
 * server and no synth: every check here comes before the stack is read (the faults with the real client libraries
 * are in e2e.test.ts).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkCacheDir, parseTime, run } from '../../tools/backtest/cli';
import { UsageError } from '../../tools/shared/usage';

const NOW = Date.parse('2025-11-10T00:00:00Z');

async function backtest(args: string[]): Promise<{ code: number; err: string[]; out: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(['--env', 'prod', '--now', '2025-11-10T00:00:00Z', ...args], { out: (x) => out.push(x), err: (x) => err.push(x) });
  return { code, err, out };
}

describe('--from/--to are RFC 3339', () => {
  test.each([
    [['--from', '2025-02-30', '--to', '2025-03-05'], 'backtest: option --from: "2025-02-30": day 30 does not exist (February 2025 has 28 days)'],
    [['--from', '2025-11-01', '--to', '2025-11-01T03:00'], 'backtest: option --to: "2025-11-01T03:00" has no time zone: write Z or an offset (+01:00)'],
    [['--from', '2025-11-01T00:00:00', '--to', '2025-11-02'], 'backtest: option --from: "2025-11-01T00:00:00" has no time zone: write Z or an offset (+01:00)'],
  ])('%p: the message and the synopsis, exit 2', async (args, message) => {
    const r = await backtest(args);
    expect(r).toEqual({ code: 2, err: [message, expect.stringMatching(/^usage: vividly-monitoring backtest /)], out: [] });
  });

  test('a date is its UTC midnight and an offset is honoured, under any TZ', () => {
    // A child process on the compiled CLI (dist/, rebuilt by jest's global setup): jest gives the tests a copy of
    // process.env, so setting TZ in-process does not reach the clock.
    const script = `const { parseTime } = require('./dist/tools/backtest/cli');
      console.log(JSON.stringify([parseTime('2025-11-01', 0, 'from'), parseTime('2025-11-01T03:00:00+01:00', 0, 'to')]));`;
    const root = path.join(__dirname, '..', '..');
    for (const tz of ['Asia/Tokyo', 'America/Chicago']) {
      const r = spawnSync(process.execPath, ['-e', script], { cwd: root, env: { ...process.env, TZ: tz }, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toEqual([Date.UTC(2025, 10, 1), Date.UTC(2025, 10, 1, 2)]);
    }
    expect(parseTime('now-7d', NOW, 'from')).toBe(NOW - 7 * 86_400_000);
    expect(() => parseTime('2025-11-01T03:00', NOW, 'to')).toThrow(UsageError);
  });
});

describe('--cache must be a directory', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backtest-args-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a regular file, or one in its path: one line naming the option, exit 2 (was a raw ENOTDIR, exit 1)', async () => {
    const file = path.join(dir, 'cache.txt');
    fs.writeFileSync(file, '');
    // no synth there: only a check before the stack is read can answer
    const period = ['--from', '2025-11-01', '--to', '2025-11-02', '--synth-dir', path.join(dir, 'no-synth')];
    expect(await backtest([...period, '--cache', file])).toEqual({
      code: 2,
      err: [`backtest: option --cache: ${file} is a file, not a directory; give a directory for the page cache (it is created if missing)`],
      out: [],
    });
    const below = path.join(file, 'pages');
    expect((await backtest([...period, '--cache', below])).err).toEqual([
      `backtest: option --cache: ${below}: ${file} is a file, not a directory; give a directory for the page cache (it is created if missing)`,
    ]);
  });

  test('a directory, existing or not, passes', () => {
    expect(() => checkCacheDir(dir, true)).not.toThrow();
    expect(() => checkCacheDir(path.join(dir, 'new', 'cache'), true)).not.toThrow();
    expect(fs.existsSync(path.join(dir, 'new'))).toBe(false); // checked, not created
  });
});
