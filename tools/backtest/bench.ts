/**
 * `npm run bench` section: replay of N days of prod history at the reference traffic (environments/defaults.ts
 * trafficProfile.prod = docs/reference/traffic.md) FROM THE CACHE through prod's policies, timed in a child process
 * (wall time and peak RSS) for 7/15/30 days with all policies and 30 days with half of them, so the report states
 * how time grows with days and with policies. Target: 30 days, all policies <= 30 s and <= 1 GB.
 *
 * The cache is filled once (not timed) by the backtest's own Fetcher reading generated history from in-memory
 * clients that answer like the API (REST JSON, one page per query); the timed runs get clients that throw, so they
 * are offline by construction. Run alone: `node dist/tools/backtest/bench.js [--runs N]`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { trafficProfile } from '../../environments/defaults';
import { matchesFilter, parseMonitoringFilter } from '../../gcp/simulate/filter';
import { loadPolicyFile } from '../../gcp/simulate/policies';
import { parseScenario } from '../../gcp/simulate/scenario';
import { runBacktest } from './backtest';
import { timeSeriesToApi } from './convert';
import { Fetcher, type Clients } from './fetch';
import { shortRunNodeArgs } from '../shared/synth-dir';

const TO = Date.parse('2025-12-01T00:00:00Z');
const DAY = 86_400_000;
const GNU_TIME = '/usr/bin/time';
type Json = Record<string, any>;

/** Reference prod traffic for the days before TO plus four days of lookback (more than any policy's), as REST JSON time series. */
export function referenceHistory(days: number): Json[] {
  const t = trafficProfile.prod;
  const start = new Date(TO - (days + 4) * DAY).toISOString();
  const diurnal = (seed: number) => [{ diurnal: { floor: t.floorRps, peak: t.peakRps, tzOffsetHours: t.utcOffsetHours } }, { noise: { pct: 20, seed } }];
  const api = {
    type: 'cloud_run_revision',
    labels: { service_name: 'prod-vividly-api', revision_name: 'prod-vividly-api-00042-abc', location: 'us-central1' },
  };
  const rc = (code: string, cls: string) => ({ type: 'run.googleapis.com/request_count', labels: { response_code: code, response_code_class: cls } });
  const uptime = (checkId: string, resource: Json) =>
    ['usa-iowa', 'usa-virginia', 'europe', 'asia-pacific'].map((loc) => ({
      metric: { type: 'monitoring.googleapis.com/uptime_check/check_passed', labels: { check_id: checkId, checker_location: loc } },
      resource,
      kind: 'GAUGE',
      valueType: 'BOOL',
      value: 1,
    }));
  const sc = parseScenario(
    {
      name: 'reference history',
      start,
      end: new Date(TO).toISOString(),
      series: [
        {
          metric: rc('200', '2xx'),
          resource: api,
          kind: 'DELTA',
          valueType: 'INT64',
          counts: { poisson: { seed: 1 } },
          value: { product: [...diurnal(1), 1 - t.errorShare - t.rateLimitedShare] },
        },
        {
          metric: rc('500', '5xx'),
          resource: api,
          kind: 'DELTA',
          valueType: 'INT64',
          counts: { poisson: { seed: 2 } },
          value: { product: [...diurnal(2), t.errorShare] },
        },
        {
          metric: rc('429', '4xx'),
          resource: api,
          kind: 'DELTA',
          valueType: 'INT64',
          counts: { poisson: { seed: 3 } },
          value: { product: [...diurnal(3), t.rateLimitedShare] },
        },
        {
          metric: { type: 'cloudsql.googleapis.com/database/postgresql/num_backends', labels: {} },
          resource: { type: 'cloudsql_database', labels: { database_id: 'vividly-prod:prod-vividly-db' } },
          kind: 'GAUGE',
          valueType: 'INT64',
          value: { diurnal: { floor: t.dbConnectionsInUse[0], peak: t.dbConnectionsInUse[1], tzOffsetHours: t.utcOffsetHours } },
        },
        {
          metric: { type: 'logging.googleapis.com/user/vividly/api_request_latencies', labels: {} },
          resource: api,
          kind: 'DELTA',
          valueType: 'DISTRIBUTION',
          latency: {
            p50: t.p95LatencySeconds / 3,
            p95: t.p95LatencySeconds,
            rate: { product: diurnal(4) },
            bucketOptions: { explicitBuckets: { bounds: [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 4, 5, 7.5, 10, 15, 30, 60, 120, 300] } },
          },
        },
        ...uptime('uptime_api_health', { type: 'uptime_url', labels: { host: 'api.vividly.mnps.edu' } }),
        ...uptime('uptime_push_worker_health', { type: 'cloud_run_revision', labels: { service_name: 'prod-vividly-push-worker' } }),
      ],
    },
    'bench',
  );
  return sc.series.map((series) => timeSeriesToApi(series));
}

/** In-memory clients answering like the API from generated history (filling the cache only). */
function historyClients(history: Json[], stack: string): Clients {
  const deployed = loadPolicyFile(stack).logMetrics.map((m) => ({
    name: m.metric.name,
    filter: m.metric.filter,
    ...(m.metric.labelExtractors ? { labelExtractors: m.metric.labelExtractors } : {}),
    ...(m.metric.valueExtractor ? { valueExtractor: m.metric.valueExtractor } : {}),
    ...(m.bucketOptions ? { bucketOptions: m.bucketOptions } : {}),
    createTime: '2025-01-01T00:00:00Z',
  }));
  const sec = (x: Json) => Number(x.seconds) * 1000;
  return {
    metric: {
      async listTimeSeries(req: Json) {
        const node = parseMonitoringFilter(req.filter);
        const from = sec(req.interval.startTime);
        const to = sec(req.interval.endTime);
        const items = history
          .filter((s) =>
            matchesFilter(node, { metric: { type: s.metric.type, labels: s.metric.labels }, resource: { type: s.resource.type, labels: s.resource.labels } }),
          )
          .map((s) => ({
            ...s,
            points: s.points.filter((p: Json) => {
              const t = Date.parse(p.interval.endTime);
              return t > from && t <= to;
            }),
          }))
          .filter((s) => s.points.length);
        return [items, null, { nextPageToken: '' }];
      },
    },
    alert: {
      async listAlertPolicies() {
        return [[], null, {}];
      },
    },
    logging: {
      async listLogEntries() {
        return [[], null, {}];
      },
    },
    logMetrics: {
      async listLogMetrics() {
        return [deployed, null, {}];
      },
    },
  };
}

const offline = (): Clients => {
  throw new Error('bench: a timed replay asked the API (the cache should answer)');
};

async function replay(
  stack: string,
  cache: string,
  days: number,
  policies: 'all' | 'half',
  clients: () => Clients,
): Promise<{ seconds: number; incidents: number; points: number; policies: number }> {
  const set = loadPolicyFile(stack);
  const head = { label: policies, set: policies === 'all' ? set : { ...set, policies: set.policies.slice(0, Math.ceil(set.policies.length / 2)) } };
  const fetcher = new Fetcher({ cacheDir: cache, clients, allowLarge: false });
  const started = process.hrtime.bigint();
  const r = await runBacktest({ env: 'prod', project: 'vividly-prod', from: TO - days * DAY, to: TO, now: TO + DAY, logRetentionDays: 30, head, fetcher });
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, incidents: r.head.total, points: r.data.points, policies: head.set.policies.length };
}

interface Row {
  days: number;
  policies: 'all' | 'half';
  n: number;
  wall: number;
  inProcess: number;
  peakMb: number | null;
  points: number;
  incidents: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Prints the backtest section of `npm run bench` (synth, fill the cache, time the replays). */
export async function benchBacktest(runs = 1): Promise<void> {
  const root = path.resolve(__dirname, '..', '..', '..');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-backtest-'));
  try {
    const out = path.join(tmp, 'cdktf.out');
    const synth = spawnSync(process.execPath, [...shortRunNodeArgs(), path.join(root, 'dist', 'main.js'), '--quiet'], {
      cwd: root,
      env: { ...process.env, CDKTF_OUTDIR: out },
      encoding: 'utf8',
    });
    if (synth.status !== 0) throw new Error(`bench: synth failed: ${synth.stderr}`);
    const stack = path.join(out, 'stacks', 'prod', 'cdk.tf.json');
    const cache = path.join(tmp, 'cache');
    const genStart = Date.now();
    const history = referenceHistory(30);
    const cases: [number, 'all' | 'half'][] = [
      [7, 'all'],
      [15, 'all'],
      [30, 'all'],
      [30, 'half'],
    ];
    // One cache per period, so each timed run reads exactly its days (a covering 30-day cache would answer the
    // shorter periods too, but parsing it would blur how time grows with days); the half set reads the 30-day one.
    for (const days of [7, 15, 30]) await replay(stack, `${cache}-${days}`, days, 'all', () => historyClients(history, stack));
    const fillSeconds = (Date.now() - genStart) / 1000;
    const rows: Row[] = [];
    for (const [days, pol] of cases) {
      const samples: { wall: number; inProcess: number; peakMb: number | null; points: number; incidents: number; n: number }[] = [];
      for (let i = 0; i < runs; i++) {
        // V8 tuned as the bin runs `backtest` (scripts/v8-flags.js).
        const args = [...shortRunNodeArgs(), __filename, '--replay', stack, `${cache}-${days}`, String(days), pol];
        const haveTime = fs.existsSync(GNU_TIME);
        const started = process.hrtime.bigint();
        const r = haveTime
          ? spawnSync(GNU_TIME, ['-f', '__PEAK_KB__%M', process.execPath, ...args], { cwd: root, encoding: 'utf8' })
          : spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
        const wall = Number(process.hrtime.bigint() - started) / 1e9;
        if (r.status !== 0) throw new Error(`bench: replay ${days} d ${pol} failed: ${r.stderr}`);
        const j = JSON.parse(r.stdout.trim().split('\n').pop()!);
        const peak = /__PEAK_KB__(\d+)/.exec(r.stderr ?? '');
        samples.push({ wall, inProcess: j.seconds, peakMb: peak ? Number(peak[1]) / 1024 : null, points: j.points, incidents: j.incidents, n: j.policies });
      }
      const peaks = samples.map((s) => s.peakMb).filter((x): x is number => x !== null);
      rows.push({
        days,
        policies: pol,
        n: samples[0].n,
        wall: median(samples.map((s) => s.wall)),
        inProcess: median(samples.map((s) => s.inProcess)),
        peakMb: peaks.length ? median(peaks) : null,
        points: samples[0].points,
        incidents: samples[0].incidents,
      });
    }
    console.log(
      `\nBacktest replay from the cache: prod's policies over N days of reference traffic (traffic.md, Poisson counts); cache filled once in ${fillSeconds.toFixed(1)} s (not timed); median of ${runs} run(s)\n`,
    );
    console.log('| days | policies | points read | replay (in process) | wall (process) | peak memory (RSS) | incidents |');
    console.log('|---|---|---|---|---|---|---|');
    for (const r of rows) {
      console.log(
        `| ${r.days} | ${r.policies} (${r.n}) | ${r.points.toLocaleString('en-US')} | ${r.inProcess.toFixed(2)} s | ${r.wall.toFixed(2)} s | ${r.peakMb === null ? 'n/a' : `${r.peakMb.toFixed(0)} MB`} | ${r.incidents} |`,
      );
    }
    const by = (d: number, p: string) => rows.find((r) => r.days === d && r.policies === p)!;
    const r7 = by(7, 'all');
    const r15 = by(15, 'all');
    const r30 = by(30, 'all');
    const h30 = by(30, 'half');
    console.log(
      `\nGrowth: days 7 → 15 → 30 = ${(r15.inProcess / r7.inProcess).toFixed(2)}x and ${(r30.inProcess / r7.inProcess).toFixed(2)}x the 7-day time (linear would be 2.14x and 4.29x); policies half → all (${h30.n} → ${r30.n}) = ${(r30.inProcess / h30.inProcess).toFixed(2)}x (linear ${(r30.n / h30.n).toFixed(2)}x).`,
    );
    console.log(
      `Target: 30 days, all policies <= 30 s and <= 1 GB: ${r30.wall <= 30 && (r30.peakMb ?? 0) <= 1024 ? 'met' : 'NOT met'} (${r30.wall.toFixed(1)} s, ${r30.peakMb?.toFixed(0) ?? 'n/a'} MB).`,
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  if (argv[0] === '--replay') {
    const [, stack, cache, days, pol] = argv;
    replay(stack, cache, Number(days), pol as 'all' | 'half', offline).then(
      (r) => console.log(JSON.stringify(r)),
      (e) => {
        console.error(e);
        process.exitCode = 1;
      },
    );
  } else {
    const i = argv.indexOf('--runs');
    benchBacktest(i >= 0 ? Number(argv[i + 1]) : 1).catch((e) => {
      console.error(e);
      process.exitCode = 1;
    });
  }
}
