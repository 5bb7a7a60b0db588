/**
 * Where a log-based metric's points come from: its own series when the deployed metric has the working tree's
 * definition and predates the data; otherwise rebuilt from the entries its filter matches (so a new or changed
 * metric is backtested with its new definition).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runBacktest } from '../../tools/backtest/backtest';
import { realClients } from '../../tools/backtest/cli';
import { Fetcher } from '../../tools/backtest/fetch';
import { appTextEntry } from '../../tools/shared/log-entries';
import { loadPolicyDocument, loadPolicyFile, type PolicySet } from '../../gcp/simulate/policies';
import { stackPath } from '../support/synth';
import { clientOptions, startApiServer, type Json } from './api-server';
import { toRest } from './prod-week';

const NAME = 'vividly/rate_limit_rejections';
const FROM = Date.parse('2025-11-04T00:00:00Z');
const TO = Date.parse('2025-11-04T06:00:00Z');

// The working tree's prod policies, read once for the file (no test changes them).
let prodSet: PolicySet | undefined;
const prod = () => (prodSet ??= loadPolicyFile(stackPath('prod')));

async function sourceWith(deployed: Json | undefined): Promise<{ source: string; incidents: number; requests: string[] }> {
  const synth = prod();
  const mine = synth.logMetrics.find((m) => m.metric.name === NAME)!;
  const policy = loadPolicyDocument(
    [
      {
        displayName: 'rate limit',
        combiner: 'OR',
        conditions: [
          {
            displayName: 'c',
            conditionThreshold: {
              filter: `metric.type="logging.googleapis.com/user/${NAME}" AND resource.type="cloud_run_revision"`,
              aggregations: [{ alignmentPeriod: '300s', perSeriesAligner: 'ALIGN_DELTA', crossSeriesReducer: 'REDUCE_SUM' }],
              comparison: 'COMPARISON_GT',
              thresholdValue: 10,
              duration: '0s',
            },
          },
        ],
      },
    ],
    'inline.json',
  );
  // The old series says nothing happened; the entries hold a burst of 30 rejections at 03:00.
  const oldSeries = toRest({
    metric: { type: `logging.googleapis.com/user/${NAME}`, labels: {} },
    resource: { type: 'cloud_run_revision', labels: { service_name: 'prod-vividly-api' } },
    metricKind: 'DELTA',
    valueType: 'INT64',
    times: [FROM + 3 * 3600_000],
    values: [1],
    origin: 'old',
  });
  const entries = Array.from({ length: 30 }, (_, i) =>
    appTextEntry('prod', `Rate limit exceeded: login attempts from 203.0.113.${i % 3} (limit 5/min)`, {
      level: 'WARNING',
      timestamp: new Date(FROM + 3 * 3600_000 + i * 5_000),
    }),
  );
  const server = await startApiServer({ timeSeries: [oldSeries], entries, logMetrics: deployed ? [deployed] : [], alertPolicies: [] });
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'backtest-lm-'));
  try {
    const fetcher = new Fetcher({ cacheDir: cache, clients: () => realClients(clientOptions(server.port)) });
    const r = await runBacktest({
      env: 'prod',
      project: 'vividly-prod',
      from: FROM,
      to: TO,
      now: TO + 86400_000,
      logRetentionDays: 30,
      fetcher,
      head: { label: 'candidate', set: { ...policy, logMetrics: [mine], knownMetrics: synth.knownMetrics } },
    });
    expect(mine.metric.filter).toMatch(/Rate limit exceeded/);
    return { source: r.data.logMetricSources[NAME], incidents: r.head.total, requests: server.log.map((x) => x.method) };
  } finally {
    await server.close();
    fs.rmSync(cache, { recursive: true, force: true });
  }
}

const deployedAs = (filter: string | undefined, createTime: string): Json | undefined => {
  const mine = prod().logMetrics.find((m) => m.metric.name === NAME)!;
  return {
    name: NAME,
    filter: filter ?? mine.metric.filter,
    ...(mine.metric.labelExtractors ? { labelExtractors: mine.metric.labelExtractors } : {}),
    createTime,
    updateTime: createTime,
  };
};

describe('log-based metric source', () => {
  test('deployed long ago with the same definition: its own series (no log read)', async () => {
    const r = await sourceWith(deployedAs(undefined, '2025-09-01T00:00:00Z'));
    expect(r.source).toBe('its own time series');
    expect(r.requests).not.toContain('entries');
    expect(r.incidents).toBe(0);
  });

  test('deployed with another filter: rebuilt from the entries the NEW filter matches', async () => {
    const r = await sourceWith(deployedAs('resource.type="cloud_run_revision" AND textPayload:"Rate limit"', '2025-09-01T00:00:00Z'));
    expect(r.source).toBe('log entries (deployed with another definition)');
    expect(r.requests).toContain('entries');
    expect(r.requests).not.toContain('timeSeries');
    expect(r.incidents).toBe(1);
  });

  test('created after the data start: rebuilt from entries', async () => {
    const r = await sourceWith(deployedAs(undefined, '2025-11-04T02:00:00Z'));
    expect(r.source).toMatch(/^log entries \(deployed or changed at 2025-11-04T02:00:00.000Z, after the data start\)/);
  });

  test('not deployed: rebuilt from entries', async () => {
    expect((await sourceWith(undefined)).source).toBe('log entries (not deployed)');
  });
});
