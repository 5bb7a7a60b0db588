/** Client-library objects (toObject with defaults and oneofs, as google-gax returns them) → API JSON; which queries read which series. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findGaps, resolveUptimeIds, type Side } from '../../tools/backtest/backtest';
import { logEntryToJson, mergeSeries, protoToJson, timeSeriesFromApi } from '../../tools/backtest/convert';
import { matches, parseFilter } from '../../gcp/logging-query/filter';
import { coveringQueries, type SeriesQuery } from '../../tools/backtest/plan';

// What AlertPolicyServiceClient.listAlertPolicies returned for the app's policy (recorded from the REST fallback).
const clientPolicy = {
  conditions: [
    {
      displayName: 'Error rate > 5%',
      name: '',
      conditionThreshold: {
        aggregations: [{ groupByFields: [], alignmentPeriod: { seconds: '60', nanos: 0 }, perSeriesAligner: 'ALIGN_RATE', crossSeriesReducer: 'REDUCE_NONE' }],
        denominatorAggregations: [],
        filter: 'resource.type = "cloud_run_revision" AND metric.type = "run.googleapis.com/request_count" AND metric.labels.response_code_class = "5xx"',
        comparison: 'COMPARISON_GT',
        thresholdValue: 0.05,
        duration: { seconds: '300', nanos: 0 },
        trigger: null,
        denominatorFilter: '',
        evaluationMissingData: 'EVALUATION_MISSING_DATA_UNSPECIFIED',
        forecastOptions: null,
      },
      condition: 'conditionThreshold',
    },
  ],
  notificationChannels: [],
  userLabels: {},
  name: '',
  displayName: 'prod - High Error Rate',
  combiner: 'OR',
  creationRecord: null,
  mutationRecord: null,
  documentation: null,
  enabled: { value: true },
  validity: null,
  alertStrategy: null,
  severity: 'SEVERITY_UNSPECIFIED',
};

describe('protoToJson', () => {
  test("the client's AlertPolicy object becomes the API JSON the app's fixture holds", () => {
    const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'simulate', 'fixtures', 'high-error-rate.json'), 'utf8'));
    const { notificationChannels: _n, ...expected } = fixture;
    // REDUCE_NONE is the enum's zero value, but not *_UNSPECIFIED: kept, and equivalent to its absence
    expected.conditions[0].conditionThreshold.aggregations[0].crossSeriesReducer = 'REDUCE_NONE';
    expect(protoToJson(clientPolicy)).toEqual(expected);
  });

  test('enabled: false survives (a BoolValue wrapper, not a default)', () => {
    expect(protoToJson({ displayName: 'x', enabled: { value: false } })).toEqual({ displayName: 'x', enabled: false });
  });

  test('a LogEntry: Struct payload to JSON, timestamps to RFC 3339, latency to a proto3 JSON duration, defaults dropped', () => {
    const e = logEntryToJson({
      labels: {},
      insertId: 'abc',
      httpRequest: { requestMethod: 'POST', status: 401, latency: { seconds: '0', nanos: 350000000 }, cacheHit: false, requestUrl: '' },
      resource: { labels: { service_name: 'prod-vividly-api' }, type: 'cloud_run_revision' },
      timestamp: { seconds: '1762128010', nanos: 500000000 },
      severity: 'ERROR',
      logName: 'projects/p/logs/run.googleapis.com%2Fstdout',
      operation: null,
      trace: '',
      payload: 'jsonPayload',
      jsonPayload: {
        fields: {
          message: { stringValue: 'Rate limit exceeded: x', kind: 'stringValue' },
          n: { numberValue: 3, kind: 'numberValue' },
          nested: { structValue: { fields: { ok: { boolValue: true, kind: 'boolValue' } } }, kind: 'structValue' },
        },
      },
    });
    expect(e).toEqual({
      insertId: 'abc',
      httpRequest: { requestMethod: 'POST', status: 401, latency: '0.350s' },
      resource: { labels: { service_name: 'prod-vividly-api' }, type: 'cloud_run_revision' },
      timestamp: '2025-11-03T00:00:10.5Z',
      severity: 'ERROR',
      logName: 'projects/p/logs/run.googleapis.com%2Fstdout',
      jsonPayload: { message: 'Rate limit exceeded: x', n: 3, nested: { ok: true } },
    });
    expect(matches(parseFilter('jsonPayload.message=~"^Rate limit" AND httpRequest.latency>"0.3s" AND jsonPayload.nested.ok=true'), e as never)).toBe(true);
  });
});

describe('timeSeriesFromApi', () => {
  test('points newest first → ascending; int64 strings → numbers; truncated bucket counts padded with zeros', () => {
    const s = timeSeriesFromApi(
      {
        metric: { type: 'logging.googleapis.com/user/x', labels: {} },
        resource: { type: 'global', labels: {} },
        metricKind: 'DELTA',
        valueType: 'DISTRIBUTION',
        points: [
          {
            interval: { endTime: { seconds: '120', nanos: 0 } },
            value: { distributionValue: { count: '2', mean: 1.5, bucketOptions: { explicitBuckets: { bounds: [0, 1, 2] } }, bucketCounts: ['0', '1', '1'] } },
          },
          {
            interval: { endTime: '1970-01-01T00:01:00Z' },
            value: { distributionValue: { count: '1', mean: 0.5, bucketOptions: { explicitBuckets: { bounds: [0, 1, 2] } }, bucketCounts: ['0', '1'] } },
          },
        ],
      },
      't',
    );
    expect(s.times).toEqual([60_000, 120_000]);
    expect((s.values[0] as { bucketCounts: number[] }).bucketCounts).toEqual([0, 1, 0, 0]);
    expect((s.values[1] as { count: number }).count).toBe(2);
  });

  test('INT64 zero and BOOL false are data, kept as 0', () => {
    const s = timeSeriesFromApi(
      {
        metric: { type: 'm' },
        resource: { type: 'r' },
        metricKind: 'GAUGE',
        valueType: 'BOOL',
        points: [{ interval: { endTime: '2025-01-01T00:00:00Z' }, value: { boolValue: false } }],
      },
      't',
    );
    expect(s.values).toEqual([0]);
  });

  test('the same series fetched by two filters is merged, not double counted', () => {
    const mk = (pts: [number, number][]) =>
      timeSeriesFromApi(
        {
          metric: { type: 'm', labels: { a: '1' } },
          resource: { type: 'r', labels: {} },
          metricKind: 'DELTA',
          valueType: 'INT64',
          points: pts.map(([t, v]) => ({ interval: { endTime: new Date(t).toISOString() }, value: { int64Value: String(v) } })),
        },
        't',
      );
    const merged = mergeSeries([
      mk([
        [60_000, 1],
        [120_000, 2],
      ]),
      mk([
        [120_000, 2],
        [180_000, 3],
      ]),
    ]);
    expect(merged).toHaveLength(1);
    expect(merged[0].values).toEqual([1, 2, 3]);
  });
});

describe('findGaps', () => {
  const gauge = (times: number[]) => ({
    metric: { type: 'g', labels: {} },
    resource: { type: 'r', labels: {} },
    metricKind: 'GAUGE' as const,
    valueType: 'INT64' as const,
    times,
    values: times.map(() => 1),
    origin: 'x',
  });
  test('an hour without points in a minute series is a gap; a 5-minute hole is not', () => {
    const times = Array.from({ length: 300 }, (_, i) => i * 60_000).filter(
      (t) => !(t > 60 * 60_000 && t < 120 * 60_000) && !(t > 200 * 60_000 && t < 205 * 60_000),
    );
    expect(findGaps('f', [gauge(times)], 0, 299 * 60_000)).toEqual([
      { filter: 'f', from: new Date(60 * 60_000).toISOString(), until: new Date(120 * 60_000).toISOString() },
    ]);
  });
});

describe('coveringQueries (each series read once)', () => {
  const rc = 'metric.type="run.googleapis.com/request_count" AND resource.type="cloud_run_revision"';
  const q = (filter: string, lookbackMin: number): SeriesQuery => ({
    filter,
    metricType: 'run.googleapis.com/request_count',
    lookbackMs: lookbackMin * 60_000,
    readers: [filter],
  });
  test('a query with more terms and a shorter lookback reads from the broader one; others are read on their own', () => {
    const all = q(`${rc} AND resource.labels.service_name="api"`, 60);
    const errors = q(`${rc} AND resource.labels.service_name="api" AND metric.labels.response_code_class="5xx"`, 10);
    const longer = q(`${rc} AND resource.labels.service_name="api" AND metric.labels.response_code="429"`, 120);
    const otherService = q(`${rc} AND metric.labels.response_code_class="5xx"`, 5);
    const cover = coveringQueries([errors, all, longer, otherService]);
    expect(cover.get(errors)).toBe(all);
    expect(cover.has(all)).toBe(false);
    expect(cover.has(longer)).toBe(false); // needs more history than the broader query reads
    expect(cover.has(otherService)).toBe(false); // not a subset: it also selects other services
  });

  test('the same filter written twice (spacing, term order) is read once, by the first; chains end at the broadest', () => {
    const a = q(`${rc} AND resource.labels.service_name="api"`, 30);
    const b = q(`resource.type = "cloud_run_revision" AND resource.labels.service_name = "api" AND metric.type = "run.googleapis.com/request_count"`, 30);
    const narrow = q(`${rc} AND resource.labels.service_name="api" AND metric.labels.response_code="500"`, 10);
    const middle = q(`${rc} AND resource.labels.service_name="api" AND metric.labels.response_code_class="5xx"`, 20);
    const narrowest = q(`${middle.filter} AND metric.labels.response_code="503"`, 10);
    const cover = coveringQueries([narrowest, middle, a, b, narrow]);
    expect(cover.get(b)).toBe(a);
    expect(cover.has(a)).toBe(false);
    expect(cover.get(narrow)).toBe(a);
    expect(cover.get(middle)).toBe(a);
    expect(cover.get(narrowest)).toBe(a);
  });

  test('a number is its value, however it is spelt', () => {
    const a = q(`${rc} AND metric.labels.response_code >= 500`, 30);
    const b = q(`${rc} AND metric.labels.response_code >= 500.0 AND resource.labels.service_name="api"`, 30);
    expect(coveringQueries([a, b]).get(b)).toBe(a);
  });
});

describe("resolveUptimeIds: a synth's check_id (the Terraform name) becomes the deployed check's id", () => {
  const UPTIME = 'metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND resource.type="uptime_url"';
  const side = (filters: Array<{ filter: string; denominatorFilter?: string } | { absent: string }>): Side => ({
    label: 'head',
    uptimeChecks: { api_health: 'Vividly API /health', worker_health: 'Push worker /health' },
    set: {
      policies: filters.map((f, i) => ({
        displayName: `p${i}`,
        origin: 'test',
        notificationChannels: [],
        notes: [],
        policy: {
          displayName: `p${i}`,
          conditions: [{ displayName: 'c', ...('absent' in f ? { conditionAbsent: { filter: f.absent } } : { conditionThreshold: f }) }],
        },
      })),
      logMetrics: [],
      slos: [],
      notes: [],
    },
  });
  const fetcher = (deployed: string[]) => ({
    listUptimeChecks: () =>
      Promise.resolve(deployed.map((display, i) => ({ name: `projects/p/uptimeCheckConfigs/live-${i}`, displayName: display }) as Record<string, unknown>)),
  });
  const filtersOf = (s: Side) =>
    s.set.policies.flatMap(({ policy }) => policy.conditions!.map((c) => c.conditionThreshold ?? c.conditionAbsent)).map((c) => JSON.parse(JSON.stringify(c)));

  test('every spelling of the comparison: spaced, label/labels, one_of, in a denominator and an absence, under NOT', async () => {
    const notes: string[] = [];
    const out = await resolveUptimeIds(
      side([
        { filter: `${UPTIME} AND metric.labels.check_id="api_health"` },
        { filter: `${UPTIME} AND metric.label.check_id = "api_health"`, denominatorFilter: `${UPTIME} AND NOT metric.labels.check_id = "worker_health"` },
        { filter: `${UPTIME} AND metric.labels.check_id = one_of("api_health", "worker_health", "other")` },
        { absent: `${UPTIME} AND (metric.labels.check_id="worker_health" OR metric.labels.checker_location="usa-iowa")` },
      ]),
      { fetcher: fetcher(['Push worker /health', 'Vividly API /health']), project: 'p', now: Date.parse('2025-01-31T00:00:00Z') },
      notes,
    );
    expect(filtersOf(out)).toEqual([
      { filter: `${UPTIME} AND metric.labels.check_id="live-1"` },
      { filter: `${UPTIME} AND metric.labels.check_id="live-1"`, denominatorFilter: `${UPTIME} AND NOT metric.labels.check_id="live-0"` },
      { filter: `${UPTIME} AND metric.labels.check_id=one_of("live-1", "live-0", "other")` },
      { filter: `${UPTIME} AND (metric.labels.check_id="live-0" OR metric.labels.checker_location="usa-iowa")` },
    ]);
    expect(notes).toEqual([]);
  });

  test('a filter naming no check keeps its text; a check not deployed is noted and left as it is', async () => {
    const notes: string[] = [];
    const input = side([
      { filter: `${UPTIME}  AND  metric.labels.checker_location = "usa-iowa"` },
      { filter: `${UPTIME} AND metric.labels.check_id = "worker_health"` },
      { filter: `${UPTIME} AND metric.labels.check_id = "api_health"` },
    ]);
    const out = await resolveUptimeIds(input, { fetcher: fetcher(['Vividly API /health']), project: 'p', now: Date.parse('2025-01-31T00:00:00Z') }, notes);
    expect(filtersOf(out)).toEqual([
      { filter: `${UPTIME}  AND  metric.labels.checker_location = "usa-iowa"` },
      { filter: `${UPTIME} AND metric.labels.check_id = "worker_health"` },
      { filter: `${UPTIME} AND metric.labels.check_id="live-0"` },
    ]);
    expect(notes).toEqual(['head: uptime check "Push worker /health" (worker_health) is not deployed: the policies reading it see no data']);
    expect(filtersOf(input)[2]).toEqual({ filter: `${UPTIME} AND metric.labels.check_id = "api_health"` });
  });
});
