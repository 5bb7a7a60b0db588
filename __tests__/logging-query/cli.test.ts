/**
 * `check-logs` run in-process on the app's real LogEntry fixture against the sample synth in ./fixtures/synth
 * (metrics written from the vividly-app.md §7 recipes; expected counts follow the fixture's line map).
 */
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, JsonArrayScanner, formatTable } from '../../tools/logging-query/cli';
import { printEntry, requestLogEntry } from '../support/log-entries';
import { MALFORMED_STACKS, synthWithStack } from '../support/synth';

const SYNTH = join(__dirname, 'fixtures/synth');
const FIXTURE = join(__dirname, '../fixtures/vividly-api-logentries.jsonl');

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'check-logs-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function writeTmp(name: string, content: string): string {
  const file = join(tmp, name);
  writeFileSync(file, content);
  return file;
}

describe('check-logs --json on the staging fixture', () => {
  let report: any;
  let stderr: string;
  beforeAll(async () => {
    const r = await cli(['--env', 'staging', '--synth-dir', SYNTH, '--json', FIXTURE]);
    expect(r.code).toBe(0);
    report = JSON.parse(r.stdout); // exactly one JSON object
    stderr = r.stderr;
  });

  it('reports env, entry count and unmatched entries', () => {
    expect(report).toMatchObject({ env: 'staging', entries: 60, unmatched: 41 });
    expect(Object.keys(report).sort()).toEqual(['entries', 'env', 'metrics', 'unmatched']);
  });

  it('counts the one-off events at their fixture lines (31, 46, 53, 22)', () => {
    expect(report.metrics['vividly/auth_lockouts']).toEqual({ matched: 1, labels: {}, values: [] });
    expect(report.metrics['vividly/db_pool_exhausted'].matched).toBe(1);
    expect(report.metrics['vividly/content_generation_failed'].matched).toBe(1);
    expect(report.metrics['vividly/metric_write_failures']).toEqual({
      matched: 1,
      labels: { metric_type: { 'custom.googleapis.com/vividly/http_request_duration_seconds': 1 } },
      values: [],
    });
  });

  it('extracts status labels and durations from the 15 response lines', () => {
    const m = report.metrics['vividly/api_responses'];
    expect(m.matched).toBe(15);
    expect(m.labels).toEqual({
      status_code: { 200: 5, 202: 1, 204: 1, 401: 4, 403: 1, 422: 1, 500: 2 },
      method: { GET: 4, POST: 11 },
    });
    expect(m.values).toHaveLength(15);
    expect(m.values).toContain(30.032754013187947); // the DB-pool 500 after 30 s (line 47)
  });

  it('finds no print()/request-log lines in a JSON-only file, and skips disabled metrics with a note', () => {
    expect(report.metrics['vividly/login_failures']).toEqual({ matched: 0, labels: { reason: {} }, values: [] });
    expect(report.metrics['vividly/retired']).toBeUndefined();
    expect(stderr).toMatch(/vividly\/retired: disabled/);
  });
});

describe('check-logs on built text-format and request-log entries', () => {
  it('labels login failures from print() lines and login latency from Cloud Run request logs', async () => {
    const lines = [
      printEntry('staging', '[AuthService] User not found for email: a@example.org'),
      printEntry('staging', '[AuthService] Password verification failed for user: b@example.org'),
      printEntry('staging', '[AuthService] Password verification failed for user: c@example.org'),
      requestLogEntry('staging', { method: 'POST', path: '/api/v1/auth/login', status: 401, latencySeconds: 0.25 }),
      requestLogEntry('staging', { method: 'POST', path: '/api/v1/auth/login?next=%2F', status: 429, latencySeconds: 0.002 }),
      requestLogEntry('staging', { method: 'POST', path: '/api/v1/auth/login-help', status: 200 }),
    ];
    const file = writeTmp('built.jsonl', lines.map((l) => JSON.stringify(l)).join('\n'));
    const { code, stdout } = await cli(['--env', 'staging', '--synth-dir', SYNTH, '--json', file]);
    expect(code).toBe(0);
    const r = JSON.parse(stdout);
    expect(r.metrics['vividly/login_failures'].labels).toEqual({ reason: { 'User not found': 1, 'Password verification failed': 2 } });
    expect(r.metrics['vividly/login_requests']).toEqual({ matched: 2, labels: { status: { 401: 1, 429: 1 } }, values: [0.25, 0.002] });
    expect(r.unmatched).toBe(1);
  });
});

describe('check-logs human output', () => {
  it('prints an aligned table with one row per enabled metric', async () => {
    const { code, stdout } = await cli(['--env', 'staging', '--synth-dir', SYNTH, FIXTURE]);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    const header = lines.find((l) => l.startsWith('METRIC'))!;
    const rows = lines.filter((l) => l.startsWith('vividly/'));
    expect(rows).toHaveLength(7);
    // MATCHED is right-aligned under its header; LABELS starts at the same column in every row.
    const matchedEnd = header.indexOf('MATCHED') + 'MATCHED'.length;
    for (const row of rows) expect(row[matchedEnd - 1]).toMatch(/\d/);
    expect(rows.find((r) => r.startsWith('vividly/api_responses'))).toMatch(/ 15 {2}status_code: 200=5, 401=4, 500=2/);
    expect(stdout).toMatch(/entries matching no metric: 41/);
  });
});

describe('check-logs input handling', () => {
  it('reports malformed lines with file and line number, skips them, keeps going, and exits 2 (the input was not clean)', async () => {
    const good = JSON.stringify(printEntry('staging', '[AuthService] User not found for email: a@example.org'));
    const file = writeTmp('mixed.jsonl', [good, '{not json', '[1,2]', '', '"a string"', good].join('\n'));
    const { code, stdout, stderr } = await cli(['--env', 'staging', '--synth-dir', SYNTH, '--json', file]);
    expect(code).toBe(2);
    expect(stderr).toContain('3 malformed line(s) skipped; the report covers the 2 entries read');
    expect(JSON.parse(stdout)).toMatchObject({ entries: 2, metrics: { 'vividly/login_failures': { matched: 2 } } });
    expect(stderr).toContain(`${file}:2: invalid JSON`);
    expect(stderr).toContain(`${file}:3: not a JSON object (got an array)`);
    expect(stderr).toContain(`${file}:5: not a JSON object (got string)`);
    expect(stderr).not.toContain(`${file}:4`);
  });

  it('also reads the JSON array printed by gcloud logging read --format=json', async () => {
    const file = writeTmp('gcloud.json', JSON.stringify([printEntry('staging', 'hello'), 42]));
    const { code, stdout, stderr } = await cli(['--env', 'staging', '--synth-dir', SYNTH, '--json', file]);
    expect(code).toBe(2); // the 42 is not an entry
    expect(JSON.parse(stdout)).toMatchObject({ entries: 1, unmatched: 1 });
    expect(stderr).toContain(`${file}[1]: not a JSON object (got number)`);
  });

  it('reads a file with a UTF-8 byte-order mark and CRLF line ends; an empty or all-garbage file is an error', async () => {
    const good = JSON.stringify(printEntry('staging', 'hello'));
    const bom = writeTmp('bom.jsonl', `\uFEFF${good}\r\n${good}\r\n`);
    const ok = await cli(['--env', 'staging', '--synth-dir', SYNTH, '--json', bom]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ entries: 2 });
    const empty = await cli(['--env', 'staging', '--synth-dir', SYNTH, writeTmp('empty.jsonl', '')]);
    expect(empty).toMatchObject({ code: 2, stdout: '' });
    expect(empty.stderr).toMatch(/no log entry read \(empty input\)/);
    const garbage = await cli(['--env', 'staging', '--synth-dir', SYNTH, writeTmp('garbage.jsonl', 'nope\nnot json\n')]);
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).toMatch(/no log entry read \(2 malformed line\(s\)\)/);
  });

  it.each([
    [['--synth-dir', SYNTH, FIXTURE], /option --env: required/],
    [['--env', 'qa', '--synth-dir', SYNTH, FIXTURE], /unknown environment "qa"/],
    [['--env', 'dev', '--synth-dir', SYNTH, FIXTURE], /stacks\/dev\/cdk\.tf\.json: no synth for env "dev"/],
    [['--env', 'staging', '--synth-dir', SYNTH, '/nonexistent/x.jsonl'], /\/nonexistent\/x\.jsonl: input file not found/],
    [['--env', 'staging', '--synth-dir', SYNTH], /no input files/],
    [['--env', 'staging', '--bogus', FIXTURE], /Unknown option '--bogus'/],
  ])('exits 2 with one clear error: %j', async (argv, message) => {
    const { code, stdout, stderr } = await cli(argv as string[]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toMatch(message);
  });

  it.each(MALFORMED_STACKS)('exits 2 on the stack %s: one line naming the file and the field (not "0 log-based metrics")', async (text, field) => {
    const { dir, file } = synthWithStack('dev', text);
    try {
      expect(await cli(['--env', 'dev', '--synth-dir', dir, FIXTURE])).toEqual({
        code: 2,
        stdout: '',
        stderr: `check-logs: ${file}: ${field}: not an object\n`,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 naming the metric when a filter in the synth is invalid', async () => {
    const dir = join(tmp, 'bad-synth');
    mkdirSync(join(dir, 'stacks', 'prod'), { recursive: true });
    writeFileSync(
      join(dir, 'stacks', 'prod', 'cdk.tf.json'),
      JSON.stringify({
        resource: { google_logging_metric: { m: { name: 'vividly/broken', filter: 'textPayload=~"(?!x)"' } } },
      }),
    );
    const { code, stderr } = await cli(['--env', 'prod', '--synth-dir', dir, FIXTURE]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/log-based metric "vividly\/broken" filter: invalid RE2 .*lookahead/);
  });

  it('writes to process.stdout when no IO is given (as the dispatcher calls it)', async () => {
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const errSpy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await run(['--env', 'staging', '--synth-dir', SYNTH, '--json', FIXTURE])).toBe(0);
      expect(JSON.parse(spy.mock.calls.map((c) => String(c[0])).join(''))).toMatchObject({ entries: 60 });
    } finally {
      spy.mockRestore();
      errSpy.mockRestore();
    }
  });
});

describe('check-logs on big or broken inputs (issue 15: streamed, counted, never one stderr line per bad line)', () => {
  it('counts malformed lines and shows only the first few with their line numbers', async () => {
    const good = JSON.stringify(printEntry('staging', '[AuthService] User not found for email: a@example.org'));
    const lines = [good];
    for (let i = 0; i < 1000; i++) lines.push(`{broken ${i}`);
    lines.push(good);
    const file = writeTmp('many-bad.jsonl', lines.join('\n'));
    const { code, stdout, stderr } = await cli(['--env', 'staging', '--synth-dir', SYNTH, '--json', file]);
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toMatchObject({ entries: 2 });
    const errLines = stderr.trim().split('\n');
    expect(errLines.length).toBeLessThanOrEqual(8); // disabled-metric note + 5 shown + "more" + summary
    for (const n of [2, 3, 4, 5, 6]) expect(stderr).toContain(`${file}:${n}: invalid JSON`);
    expect(stderr).not.toContain(`${file}:7:`);
    expect(stderr).toContain('… and 995 more malformed line(s) not shown');
    expect(stderr).toContain('check-logs: 1000 malformed line(s) skipped; the report covers the 2 entries read');
  });

  it('reads stdin when the file is -', async () => {
    const { Readable } = await import('node:stream');
    const good = JSON.stringify(printEntry('staging', '[AuthService] User not found for email: a@example.org'));
    let stdout = '';
    let stderr = '';
    const code = await run(['--env', 'staging', '--synth-dir', SYNTH, '--json', '-'], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      stdin: Readable.from([`${good}\n${good.slice(0, 40)}`, `${good.slice(40)}\n`]),
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ entries: 2, metrics: { 'vividly/login_failures': { matched: 2 } } });
  });

  it('shows how far it is on a terminal (erased before the report), and nothing when stderr is not one', async () => {
    const good = JSON.stringify(printEntry('staging', '[AuthService] User not found for email: a@example.org'));
    const file = writeTmp('many.jsonl', `${Array.from({ length: 3000 }, () => good).join('\n')}\n`);
    const drawn = (isTTY: boolean) => {
      const written: string[] = [];
      const status = { isTTY, columns: 200, write: (t: string) => written.push(t) > 0 } as unknown as NodeJS.WriteStream;
      return { status, written };
    };
    const terminal = drawn(true);
    let stdout = '';
    const code = await run(['--env', 'staging', '--synth-dir', SYNTH, '--json', file], {
      stdout: (t) => (stdout += t),
      stderr: () => undefined,
      status: terminal.status,
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ entries: 3000 });
    // Drawn at the first thousand entries (later ones fall within the same 100 ms), then erased.
    expect(terminal.written[0]).toMatch(new RegExp(`^\\r\\x1b\\[Kcheck-logs: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\d+ of \\d+ MB, 1,024 entries$`));
    expect(terminal.written[terminal.written.length - 1]).toBe('\r\x1b[K');
    const pipe = drawn(false);
    expect(
      await run(['--env', 'staging', '--synth-dir', SYNTH, '--json', file], { stdout: () => undefined, stderr: () => undefined, status: pipe.status }),
    ).toBe(0);
    expect(pipe.written).toEqual([]);
    // Entries typed on the terminal (stdin is one): no line redrawn over what is being typed.
    const { Readable } = await import('node:stream');
    const keyboard = Object.assign(Readable.from([`${Array.from({ length: 3000 }, () => good).join('\n')}\n`]), { isTTY: true });
    const typing = drawn(true);
    expect(
      await run(['--env', 'staging', '--synth-dir', SYNTH, '--json', '-'], {
        stdout: () => undefined,
        stderr: () => undefined,
        stdin: keyboard,
        status: typing.status,
      }),
    ).toBe(0);
    expect(typing.written).toEqual([]);
  });

  it('splits a pretty-printed JSON array into elements whatever the chunk boundaries', () => {
    const entries = [
      { textPayload: 'a ] tricky, "quoted" } string \\', timestamp: '2025-11-12T15:00:00Z', labels: { x: '[' } },
      { jsonPayload: { nested: [1, { deep: [] }] } },
      7,
    ];
    const text = JSON.stringify(entries, null, 2);
    for (const size of [1, 3, 7, 64, text.length]) {
      const got: unknown[] = [];
      const failures: string[] = [];
      const scanner = new JsonArrayScanner(
        (t, i) => got.push([i, JSON.parse(t)]),
        (m) => failures.push(m),
      );
      for (let i = 0; i < text.length; i += size) scanner.push(text.slice(i, i + size));
      scanner.end();
      expect(failures).toEqual([]);
      expect(got).toEqual(entries.map((e, i) => [i, e]));
    }
  });

  it('reports an unterminated array once and keeps the elements read before', () => {
    const got: string[] = [];
    const failures: string[] = [];
    const scanner = new JsonArrayScanner(
      (t) => got.push(t),
      (m) => failures.push(m),
    );
    scanner.push('[{"a": 1}, {"b": 2');
    scanner.end();
    expect(got).toEqual(['{"a": 1}']);
    expect(failures).toEqual(['invalid JSON array (no closing ] after 1 element(s)); rest of the file skipped']);
  });

  it('summarises hundreds of thousands of values without spreading them onto the call stack', () => {
    const values = Array.from({ length: 300_000 }, (_, i) => i % 1000);
    const report = { env: 'staging', entries: values.length, unmatched: 0, metrics: { m: { matched: values.length, labels: {}, values } } };
    const compiled = [{ metric: { name: 'm' }, valueExtractor: 'x' }] as unknown as Parameters<typeof formatTable>[1];
    expect(formatTable(report, compiled)).toMatch(/n=300000 min=0 mean=499\.5 max=999/);
  });
});
