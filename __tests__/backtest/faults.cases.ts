/**
 * Real-world faults, with the real client libraries against the loopback API server: a 403 is one line naming the
 * missing role; quota errors back off, and when they persist the data is reported partial (the policy is not
 * evaluated, nothing is zeroed) and a rerun resumes from the cached pages; caps, retention and bad arguments stop
 * up front with exit 2.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../tools/backtest/cli';
import { synthDir } from '../support/synth';
import { clientOptions, startApiServer, type ApiData, type ApiServer, type Faults, type Json } from './api-server';
import { toRest } from './prod-week';

// Six hours: the faults below (403s, quota, caps, retention, arguments) do not depend on the period's length, and
// every read of the three series costs its points' decoding by the real client libraries (a day was 3.5 times that).
const FROM = '2025-11-04T00:00:00Z';
const TO = '2025-11-04T06:00:00Z';
const NOW = '2025-11-10T00:00:00Z';
const appPolicy = path.join(__dirname, '..', 'simulate', 'fixtures', 'high-error-rate.json');

/** Three 5xx series (three revisions), one a page; one of them errs 6 a minute 03:00-03:30. */
function data(): ApiData {
  const start = Date.parse('2025-11-03T23:00:00Z');
  const series = ['a', 'b', 'c'].map((rev) => {
    const times: number[] = [];
    const values: number[] = [];
    for (let t = start + 60_000; t <= Date.parse(TO); t += 60_000) {
      times.push(t);
      const burst = rev === 'b' && t > Date.parse('2025-11-04T03:00:00Z') && t <= Date.parse('2025-11-04T03:30:00Z');
      values.push(burst ? 6 : 1);
    }
    return toRest({
      metric: { type: 'run.googleapis.com/request_count', labels: { response_code: '500', response_code_class: '5xx' } },
      resource: { type: 'cloud_run_revision', labels: { service_name: 'prod-vividly-api', revision_name: `prod-vividly-api-${rev}` } },
      metricKind: 'DELTA',
      valueType: 'INT64',
      times,
      values,
      origin: rev,
    });
  });
  return { timeSeries: series, entries: [], logMetrics: [], alertPolicies: [], seriesPageSize: 1 };
}

interface Outcome {
  code: number;
  out: string;
  err: string[];
}

async function backtest(server: ApiServer | undefined, cache: string, extra: string[] = [], opts: { from?: string; to?: string } = {}): Promise<Outcome> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(
    [
      '--env',
      'prod',
      '--synth-dir',
      synthDir(),
      '--policy',
      appPolicy,
      '--from',
      opts.from ?? FROM,
      '--to',
      opts.to ?? TO,
      '--now',
      NOW,
      '--cache',
      cache,
      ...extra,
    ],
    {
      clientOptions: server ? clientOptions(server.port) : { apiEndpoint: '127.0.0.1', port: 1, protocol: 'http', fallback: 'rest' },
      sleep: async () => undefined,
      out: (s) => out.push(s),
      err: (s) => err.push(s),
    },
  );
  return { code, out: out.join('\n'), err };
}

let cache: string;
const servers: ApiServer[] = [];
async function serve(faults: Faults = {}, d: ApiData = data()): Promise<ApiServer> {
  const s = await startApiServer(d, faults);
  servers.push(s);
  return s;
}
describe('backtest faults', () => {
  beforeEach(() => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'backtest-faults-'));
  });
  afterEach(async () => {
    fs.rmSync(cache, { recursive: true, force: true });
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  test('baseline: three pages, the burst found by the --policy candidate, 0 exit', async () => {
    const s = await serve();
    const r = await backtest(s, cache, ['--json']);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as Json;
    expect(j.head.label).toBe('high-error-rate.json');
    expect(j.head.policies[0].incidents).toHaveLength(1);
    expect(j.head.policies[0].incidents[0].start.slice(0, 13)).toBe('2025-11-04T03');
    expect(s.log.filter((x) => x.method === 'timeSeries').map((x) => x.page)).toEqual([0, 1, 2]);
  });

  test('403 on time series: one line naming roles/monitoring.viewer, exit 1, no stack', async () => {
    const s = await serve({ forbidden: new Set(['timeSeries']) });
    const r = await backtest(s, cache);
    expect(r.code).toBe(1);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/^backtest: permission denied for time series of projects\/vividly-prod .*: grant roles\/monitoring\.viewer /);
    expect(r.err[0]).not.toMatch(/\n|\bat .*\.js:\d+/);
    expect(r.out).toBe('');
  });

  test('403 on the deployed alert policies also names roles/monitoring.viewer', async () => {
    const s = await serve({ forbidden: new Set(['alertPolicies']) });
    const r = await backtest(s, cache);
    expect(r.err[0]).toMatch(/alert policies of projects\/vividly-prod: grant roles\/monitoring\.viewer/);
  });

  test('403 on log entries names roles/logging.viewer', async () => {
    const d = data();
    const s = await serve({ forbidden: new Set(['entries']) }, d);
    const logPolicy = path.join(cache, 'log-policy.json');
    fs.writeFileSync(
      logPolicy,
      JSON.stringify({
        displayName: 'log match',
        conditions: [{ displayName: 'c', conditionMatchedLog: { filter: 'severity>=ERROR' } }],
        alertStrategy: { notificationRateLimit: { period: '300s' } },
      }),
    );
    const out: string[] = [];
    const err: string[] = [];
    const code = await run(['--env', 'prod', '--synth-dir', synthDir(), '--policy', logPolicy, '--from', FROM, '--to', TO, '--now', NOW, '--cache', cache], {
      clientOptions: clientOptions(s.port),
      out: (x) => out.push(x),
      err: (x) => err.push(x),
    });
    expect(code).toBe(1);
    expect(err).toEqual([expect.stringMatching(/^backtest: permission denied for log entries of projects\/vividly-prod: grant roles\/logging\.viewer /)]);
  });

  test('a 429 that persists: partial data reported, the policy NOT evaluated (never zero), exit 1; the rerun resumes at the cached page', async () => {
    const s = await serve({ quota: new Map([['timeSeries:1', Infinity]]) });
    const r = await backtest(s, cache);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/### Partial data/);
    expect(r.out).toMatch(/quota exhausted \(RESOURCE_EXHAUSTED\) after 8 attempts; 1 page\(s\) cached in .*, rerun to resume/);
    expect(r.out).toMatch(/\| prod - High Error Rate \| not evaluated \|/);
    expect(r.err.join('\n')).toMatch(/"prod - High Error Rate" not evaluated: incomplete data/);
    expect(s.log.filter((x) => x.status === 429)).toHaveLength(8);

    s.faults.quota!.set('timeSeries:1', 0);
    const before = s.log.length;
    const again = await backtest(s, cache, ['--json']);
    expect(again.code).toBe(0);
    // page 0 came from the cache; only pages 1 and 2 (and the deployed policies) were asked for
    expect(
      s.log
        .slice(before)
        .filter((x) => x.method === 'timeSeries')
        .map((x) => x.page),
    ).toEqual([1, 2]);
    expect(JSON.parse(again.out).head.policies[0].incidents).toHaveLength(1);
  });

  test('a broader query that stops early: the narrower one it would answer is read on its own (its policy evaluated)', async () => {
    // Revision b's series is the 5xx one (its burst 03:00-03:30); a and c answer 200. The broad query reads a, b, c one
    // a page and its page 1 always answers 429; the 5xx query alone has one page.
    const d = data();
    for (const sr of d.timeSeries)
      if (!sr.resource.labels.revision_name.endsWith('-b')) sr.metric.labels = { response_code: '200', response_code_class: '2xx' };
    const s = await serve({ quota: new Map([['timeSeries:1', Infinity]]) }, d);
    const rc = 'metric.type="run.googleapis.com/request_count" AND resource.type="cloud_run_revision"';
    const threshold = (displayName: string, filter: string, thresholdValue: number) => ({
      displayName,
      combiner: 'OR',
      conditions: [
        {
          displayName: 'c',
          conditionThreshold: {
            filter,
            aggregations: [{ alignmentPeriod: '300s', perSeriesAligner: 'ALIGN_DELTA', crossSeriesReducer: 'REDUCE_SUM' }],
            comparison: 'COMPARISON_GT',
            thresholdValue,
            duration: '0s',
          },
        },
      ],
    });
    const file = path.join(cache, 'two.json');
    fs.writeFileSync(
      file,
      JSON.stringify([threshold('all requests', rc, 1e9), threshold('5xx burst', `${rc} AND metric.labels.response_code_class="5xx"`, 10)]),
    );
    const out: string[] = [];
    const code = await run(
      ['--env', 'prod', '--synth-dir', synthDir(), '--policy', file, '--from', FROM, '--to', TO, '--now', NOW, '--cache', cache, '--json'],
      { clientOptions: clientOptions(s.port), sleep: async () => undefined, out: (x) => out.push(x), err: () => undefined },
    );
    expect(code).toBe(1);
    const j = JSON.parse(out.join('\n')) as Json;
    const byName = (n: string) => j.head.policies.find((p: Json) => p.displayName === n);
    expect(byName('all requests').error).toMatch(/^incomplete data, not evaluated: .*quota exhausted/);
    expect(byName('5xx burst').error).toBeUndefined();
    expect(byName('5xx burst').incidents.map((i: Json) => i.start.slice(0, 13))).toEqual(['2025-11-04T03']);
    expect(s.log.some((x) => x.method === 'timeSeries' && x.status === 200 && x.query.includes('response_code_class'))).toBe(true);
  });

  test('--base that is not a git ref: one line, exit 2', async () => {
    const err: string[] = [];
    const code = await run(
      ['--env', 'prod', '--synth-dir', synthDir(), '--base', 'no-such-ref-xyz', '--from', FROM, '--to', TO, '--now', NOW, '--cache', cache],
      { out: () => undefined, err: (x) => err.push(x) },
    );
    expect(code).toBe(2);
    expect(err).toEqual([expect.stringMatching(/option --base: "no-such-ref-xyz" is not a git ref/)]);
  });

  test('a pull over the point cap stops with exit 2 unless --allow-large', async () => {
    const s = await serve();
    const capped = async (extra: string[]) => {
      const err: string[] = [];
      const code = await run(
        ['--env', 'prod', '--synth-dir', synthDir(), '--policy', appPolicy, '--from', FROM, '--to', TO, '--now', NOW, '--cache', cache, ...extra],
        { clientOptions: clientOptions(s.port), caps: { points: 500 }, out: () => undefined, err: (x) => err.push(x) },
      );
      return { code, err };
    };
    // three series of 420 points: the second page passes 500
    const r = await capped([]);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([expect.stringMatching(/the pull passed 500 points \(cap for one run\); narrow --from\/--to or pass --allow-large/)]);
    expect((await capped(['--allow-large'])).code).toBe(0);
  });

  test('a period over 31 days stops before any request, exit 2 unless --allow-large', async () => {
    const s = await serve();
    // 31 days is the period cap; a 32-day period is refused before any request
    const r = await backtest(s, cache, [], { from: '2025-10-08T00:00:00Z', to: '2025-11-09T00:00:00Z' });
    expect(r.code).toBe(2);
    expect(r.err).toEqual([expect.stringMatching(/32\.0 days, over the 31-day cap .* --allow-large/)]);
    expect(s.log).toEqual([]);
    const large = await backtest(s, cache, ['--allow-large', '--json'], { from: '2025-10-08T00:00:00Z', to: '2025-11-09T00:00:00Z' });
    expect(large.code).toBe(0);
  });

  test('retention checked up front: log entries older than the bucket keeps (30 d) for a new log-based metric', async () => {
    const s = await serve();
    // The working tree's prod policies read the new metric vividly/db_connection_errors (not deployed here: the
    // server lists no log metrics), so it must come from log entries, which the _Default bucket keeps 30 days.
    const out: string[] = [];
    const err: string[] = [];
    const code = await run(
      ['--env', 'prod', '--synth-dir', synthDir(), '--from', '2025-10-01T00:00:00Z', '--to', '2025-10-08T00:00:00Z', '--now', NOW, '--cache', cache],
      { clientOptions: clientOptions(s.port), out: (x) => out.push(x), err: (x) => err.push(x) },
    );
    expect(code).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(
      /^backtest: logging\.googleapis\.com\/user\/vividly\/\S+ must be rebuilt from log entries \(not deployed\), but the _Default log bucket keeps 30 days/,
    );
    expect(s.log.filter((x) => x.method === 'timeSeries' || x.method === 'entries')).toEqual([]);
  });

  test.each([
    [['--from', 'yesterday'], /option --from: "yesterday" is not a time/, true],
    [['--to', '2099-01-01'], /option --to: .* is in the future/, false],
    [['--base', 'HEAD'], /give at most one of --policy and --base/, true],
    [['--env', 'qa'], /unknown environment "qa"/, true],
  ])('bad argument %p: one line (and the synopsis after a usage error), exit 2', async (extra, message, usage) => {
    const r = await backtest(undefined, cache, extra as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([expect.stringMatching(message), ...(usage ? [expect.stringMatching(/^usage: vividly-monitoring backtest /)] : [])]);
  });
});
