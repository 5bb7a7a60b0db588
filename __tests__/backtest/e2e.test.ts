/**
 * End to end: a week of prod-shaped history (prod-week.ts: reference traffic, Poisson counts, a real incident, a gap)
 * served by a loopback server that speaks the Monitoring/Logging REST APIs, read by the REAL client libraries
 * (@google-cloud/monitoring, @google-cloud/logging, REST fallback), replayed through the working tree's prod
 * policies and compared with the policy deployed now (the app's own "High Error Rate", read with listAlertPolicies).
 *
 * The other suites that drive those client libraries against the loopback server run in this jest file too, each
 * kept in its own file: every jest file loads the libraries (two google-gax copies and their protos), the policy
 * schemas and the backtest's modules anew, about a second of CPU per file, paid here once.
 * - faults.cases.ts: 403s name the missing role; quota backs off, then partial data and a resumable cache; caps,
 *   retention and bad arguments stop up front;
 * - log-metric-source.cases.ts: a log-based metric's own series or its rebuild from log entries;
 * - cli.cases.ts: the progress line only on a terminal; --base REF compares with that ref's synth.
 */
import './faults.cases';
import './log-metric-source.cases';
import './cli.cases';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadPolicyFile } from '../../gcp/simulate/policies';
import { run } from '../../tools/backtest/cli';
import { planPolicies } from '../../tools/backtest/plan';
import type { BacktestResult } from '../../tools/backtest/backtest';
import { stackPath, synthDir } from '../support/synth';
import { clientOptions, startApiServer, type ApiServer } from './api-server';
import { BUSY, DATA_FROM, GAP, INCIDENT, NEW_LOG_METRIC, NOW, prodWeek, UPTIME_IDS, WEEK } from './prod-week';

let server: ApiServer;
let cache: string;
let result: BacktestResult;
let text: string;
let code: number;
const errors: string[] = [];

const argv = (extra: string[] = []) => [
  '--env',
  'prod',
  '--synth-dir',
  synthDir(),
  '--from',
  WEEK.from,
  '--to',
  WEEK.to,
  '--now',
  NOW,
  '--cache',
  cache,
  ...extra,
];
const inIncident = (t: string) => Date.parse(t) >= Date.parse(INCIDENT.start) && Date.parse(t) <= Date.parse(INCIDENT.end) + 15 * 60_000;

const policy = (side: 'head' | 'base', needle: string) => {
  const p = (side === 'head' ? result.head : result.base!).policies.find((x) => x.displayName.includes(needle));
  if (!p) throw new Error(`no ${side} policy ${needle}`);
  return p;
};

describe('backtest of a prod week through the real client libraries', () => {
  beforeAll(async () => {
    server = await startApiServer(prodWeek(stackPath('prod')), { quota: new Map([['timeSeries:1', 1]]) });
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'backtest-e2e-'));
    const out: string[] = [];
    code = await run(argv(['--json']), {
      clientOptions: clientOptions(server.port),
      sleep: async () => undefined,
      out: (s) => out.push(s),
      err: (s) => errors.push(s),
    });
    result = JSON.parse(out.join('\n'));
    const out2: string[] = [];
    // Offline rerun (clients pointed at a closed port): the app's policy as the candidate, read from the same cache.
    await run(argv(['--policy', path.join(__dirname, '..', 'simulate', 'fixtures', 'high-error-rate.json')]), {
      clientOptions: { apiEndpoint: '127.0.0.1', port: 1, protocol: 'http', fallback: 'rest' },
      out: (s) => out2.push(s),
      err: (s) => errors.push(s),
    });
    text = out2.join('\n');
  }, 240_000);

  afterAll(async () => {
    await server.close();
    fs.rmSync(cache, { recursive: true, force: true });
  });

  test('exit 0; every working-tree policy evaluated', () => {
    expect(errors.filter((e) => !/not evaluated/.test(e))).toEqual([]);
    expect(result.head.policies.filter((p) => p.error)).toEqual([]);
    expect(code).toBe(0);
  });

  test('the project finds the incident: High Error Rate, Database Connection Issues and the fast SLO burn open inside it', () => {
    for (const needle of ['(prod): High Error Rate', 'Database Connection Issues', 'SLO Availability burn rate (page, 1 h/5 min)']) {
      const p = policy('head', needle);
      expect(p.incidents.length).toBeGreaterThan(0);
      expect(p.incidents.every((i) => inIncident(i.start))).toBe(true);
    }
    const her = policy('head', '(prod): High Error Rate').incidents[0];
    // 30 % of requests fail: the 5xx share peaks near 0.3.
    expect(her.peak).toBeGreaterThan(0.2);
    expect(her.peak).toBeLessThan(0.4);
  });

  test('no working-tree paging policy opens an incident outside the incident (quiet rest of the week)', () => {
    const outside = result.head.policies.flatMap((p) => p.incidents.filter((i) => !inIncident(i.start)).map((i) => `${p.displayName} ${i.start}`));
    expect(outside.filter((s) => !/ticket/.test(s))).toEqual([]);
  });

  test("the app's own High Error Rate (deployed now, read with listAlertPolicies) pages outside the incident: the busy afternoon", () => {
    const app = policy('base', 'prod - High Error Rate');
    const falsePages = app.incidents.filter((i) => !inIncident(i.start));
    expect(falsePages.length).toBeGreaterThan(0);
    // on the busy afternoon (0.2 % of 30 rps is above its absolute 0.05/s), where the project's share-based policy is quiet
    expect(falsePages.some((i) => Date.parse(i.start) >= Date.parse(BUSY.at) && Date.parse(i.start) <= Date.parse(BUSY.until))).toBe(true);
    expect(app.incidents.some((i) => inIncident(i.start))).toBe(true);
    expect(result.base!.total).toBe(app.incidents.length);
  });

  test('the new log-based metric is rebuilt from log entries (its filter, the Logging-query evaluator); deployed ones use their series', () => {
    expect(result.data.logMetricSources[NEW_LOG_METRIC]).toMatch(/^log entries \(not deployed\)/);
    expect(result.data.logMetricSources['vividly/api_request_latencies']).toBe('its own time series');
    // 120 QueuePool lines in the incident; the near misses (other DB errors, the push worker's line) are not fetched.
    expect(result.data.logEntries).toBe(120);
    const db = policy('head', 'Database Connection Issues');
    expect(db.incidents.some((i) => /app log/.test(i.condition))).toBe(true);
  });

  test('pagination and a 429 page: every page fetched once after one backoff; the gap is reported, not zeroed', () => {
    expect(server.log.filter((r) => r.status === 429)).toHaveLength(1);
    expect(result.data.retries).toBe(1);
    expect(server.log.some((r) => r.method === 'timeSeries' && r.page >= 2)).toBe(true);
    expect(server.log.some((r) => r.method === 'entries' && r.page >= 2)).toBe(true);
    const gap = result.gaps.find((g) => g.filter.includes('num_backends'));
    // from the last point before the gap (07:59) to the first after it (09:00)
    expect(Date.parse(gap!.from)).toBeLessThanOrEqual(Date.parse(GAP.from));
    expect(Date.parse(gap!.from)).toBeGreaterThan(Date.parse(GAP.from) - 5 * 60_000);
    expect(gap!.until).toBe(new Date(GAP.until).toISOString());
    expect(result.gaps).toHaveLength(1);
  });

  test("each series is read once: the working tree's 429 and 5xx queries are answered by its request_count query", () => {
    const reads = server.log.filter((r) => r.method === 'timeSeries' && r.status === 200).map((r) => r.query);
    const api = 'resource.labels.service_name="prod-vividly-api"';
    expect(reads.some((q) => q.includes('run.googleapis.com/request_count') && q.includes(api) && !q.includes('metric.labels'))).toBe(true);
    expect(reads.filter((q) => q.includes(api) && /metric\.labels\.response_code(_class)?=/.test(q))).toEqual([]);
    expect(policy('head', 'DDoS Attempt').error).toBeUndefined();
  });

  test("uptime policies read the deployed checks' API ids, not the synth's Terraform names: no policy lacks data", () => {
    expect(result.notes.filter((n) => /no time series matched/.test(n) && /uptime/.test(n))).toEqual([]);
    expect(
      server.log
        .filter((r) => r.method === 'timeSeries' && r.query.includes('check_id'))
        .every((r) => Object.values(UPTIME_IDS).some((id) => r.query.includes(`check_id="${id}"`))),
    ).toBe(true);
    expect(server.log.some((r) => r.method === 'uptimeCheckConfigs')).toBe(true);
  });

  test('the recorded history covers the longest lookback of the prod policies (no policy starts the week without data)', () => {
    const longest = Math.max(...[...planPolicies(loadPolicyFile(stackPath('prod'))).series.values()].map((q) => q.lookbackMs));
    expect(Date.parse(DATA_FROM)).toBeLessThanOrEqual(Date.parse(WEEK.from) - longest);
  });

  test('the rerun is offline: the cache answers (the second run pointed the clients at a closed port)', () => {
    const app = policy('base', 'prod - High Error Rate').incidents.length;
    expect(text).toContain(`**${app} incidents (high-error-rate.json) instead of ${app} (deployed policies)**`);
    expect(text).toMatch(/ 0 page\(s\) fetched, [1-9]\d* from the cache/);
    expect(text).toContain(`| prod - High Error Rate | ${app} | ${app} |`);
  });
});
