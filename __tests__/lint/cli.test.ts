import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../tools/lint/cli';
import { captureRun } from '../support/cli';

const FIXTURE = join(__dirname, '../fixtures/vividly-existing-dashboard.json');
const SAMPLE = join(__dirname, '../schema/sample.cdk.tf.json');

const cli = (argv: string[]) => captureRun(run, argv);

const tmp = mkdtempSync(join(tmpdir(), 'lint-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('lint CLI on the app dashboard (vividly-app.md §1.9)', () => {
  test('reports every chart whose aligner is invalid for its GAUGE custom metric', async () => {
    const { code, out } = await cli(['--json', FIXTURE]);
    expect(code).toBe(1);
    const findings = JSON.parse(out) as Array<{ file: string; severity: string; path: string; rule: string }>;
    const tile = (p: string) => Number(/tiles\[(\d+)\]/.exec(p)?.[1]);
    // ALIGN_RATE on GAUGE INT64 counters: Total Hits, Exceeded, Login Attempts, Failed Logins, Token Refresh,
    // HTTP Requests, Content Gen Requests (§1.9 rows with ALIGN_RATE).
    const aligner = findings.filter((f) => f.rule === 'aggregation/aligner-kind');
    expect(aligner.every((f) => f.severity === 'error' && f.path.endsWith('.perSeriesAligner'))).toBe(true);
    expect(aligner.map((f) => tile(f.path))).toEqual([1, 2, 4, 5, 6, 9, 11]);
    // ALIGN_MEAN + REDUCE_PERCENTILE_95 on GAUGE DOUBLE (Rate Limit Middleware Latency, HTTP Duration p95): valid per
    // the proto, but not a latency percentile -> warning.
    const pct = findings.filter((f) => f.rule === 'aggregation/percentile-of-non-distribution');
    expect(pct.map((f) => [tile(f.path), f.severity])).toEqual([
      [3, 'warning'],
      [10, 'warning'],
    ]);
    // Charts that are fine: Session Duration / Active Sessions (ALIGN_MEAN on a GAUGE), Content Gen Duration (MEAN/MEAN).
    const flagged = new Set([...aligner, ...pct].map((f) => tile(f.path)));
    for (const ok of [7, 8, 12]) expect(flagged.has(ok)).toBe(false);
    // The only other findings: "xPos": 0 perpetual-diff warnings.
    const rest = findings.filter((f) => !['aggregation/aligner-kind', 'aggregation/percentile-of-non-distribution'].includes(f.rule));
    expect(new Set(rest.map((f) => `${f.rule}/${f.severity}`))).toEqual(new Set(['dashboard/perpetual-diff/warning']));
    expect(findings.every((f) => f.file === FIXTURE)).toBe(true);
  });

  test('text output: file: $.path: rule: message', async () => {
    const { code, out } = await cli([FIXTURE]);
    expect(code).toBe(1);
    expect(out.split('\n')).toContain(
      `${FIXTURE}: $.mosaicLayout.tiles[1].widget.xyChart.dataSets[0].timeSeriesQuery.timeSeriesFilter.aggregation.perSeriesAligner: aggregation/aligner-kind: ALIGN_RATE is valid only for CUMULATIVE/DELTA metrics with numeric (INT64/DOUBLE) values, but the series is GAUGE INT64 (custom.googleapis.com/vividly/rate_limit_hits_total) (gcp-facts §1.5)`,
    );
  });
});

describe('lint CLI inputs and exit codes', () => {
  test('a clean synth and a clean API alert policy exit 0; several files at once', async () => {
    const policy = join(tmp, 'policy.json');
    writeFileSync(policy, JSON.stringify((await import('../schema/fixtures')).alertPolicy));
    const r = await cli([SAMPLE, policy]);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });

  test('a UTF-8 byte-order mark before the JSON is skipped (it was "Unexpected token")', async () => {
    const policy = join(tmp, 'bom-policy.json');
    writeFileSync(policy, `\uFEFF${JSON.stringify((await import('../schema/fixtures')).alertPolicy)}`);
    expect(await cli([policy])).toEqual({ code: 0, out: '', err: 'lint: 0 error(s), 0 warning(s) in 1 file(s)' });
  });

  test('malformed JSON: exit 2, file and position named', async () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, '{\n  "displayName": "x",\n  "mosaicLayout": }\n');
    const r = await cli([bad]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(bad);
    expect(r.err).toMatch(/line 3, column 19/);
  });

  test('unreadable file: exit 2', async () => {
    const r = await cli([join(tmp, 'missing.json')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('missing.json');
  });

  test('ambiguous shape asks for --kind; --kind overrides', async () => {
    const amb = join(tmp, 'amb.json');
    writeFileSync(amb, JSON.stringify({ displayName: 'x' }));
    const r = await cli([amb]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--kind/);
    const forced = await cli(['--kind', 'AlertPolicy', amb]);
    expect(forced.code).toBe(1);
    expect(forced.out).toMatch(/alert\/conditions-count/);
  });

  test('bad usage: exit 2', async () => {
    expect((await cli([])).code).toBe(2);
    expect((await cli(['--kind', 'Nope', SAMPLE])).code).toBe(2);
    expect((await cli(['--bogus', SAMPLE])).code).toBe(2);
  });
});

describe('lint CLI summary (issue 15)', () => {
  test('a malformed file is not followed by "0 error(s)"; the summary counts only linted files', async () => {
    const bad = join(tmp, 'bad-summary.json');
    writeFileSync(bad, '{ "displayName": ');
    const r = await cli([bad]);
    expect(r.code).toBe(2);
    expect(r.err).not.toMatch(/0 error\(s\)/);
    expect(r.err).toMatch(/lint: nothing linted: 1 file\(s\) could not be read/);
    const mixed = await cli([SAMPLE, bad]);
    expect(mixed.code).toBe(2);
    expect(mixed.err).toMatch(/lint: 0 error\(s\), 0 warning\(s\) in 1 file\(s\); 1 file\(s\) not linted \(see above\)/);
  });
});
