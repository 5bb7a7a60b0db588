import * as path from 'node:path';
import { logMetricFromApi, logMetricSeries } from '../../gcp/simulate/logmetrics';
import { loadPolicyFile } from '../../gcp/simulate/policies';
import { parseScenario } from '../../gcp/simulate/scenario';
import { simulateScenario } from '../../gcp/simulate/simulate';
import { iso, scenario, T0 } from './helpers';

const set = loadPolicyFile(path.join(__dirname, 'fixtures', 'mini-cdk.tf.json'));
const byName = (r: ReturnType<typeof simulateScenario>, n: string) => r.policies.find((p) => p.displayName.includes(n))!;
const res = { type: 'cloud_run_revision', labels: { service_name: 'dev-vividly-api', revision_name: 'dev-vividly-api-00030', location: 'us-central1' } };
const entry = (s: number, severity: string, message: string) => ({ timestamp: iso(s), severity, resource: res, jsonPayload: { message, logger: 'app.main' } });

describe('cdk.tf.json input', () => {
  test('policies are converted and interpolations resolved', () => {
    expect(set.policies.map((p) => p.displayName)).toEqual(['dev - API error logs', 'dev - API down', 'dev - Unhandled exception', 'dev - Unresolvable']);
    const filter = set.policies[0].policy.conditions![0].conditionThreshold!.filter!;
    expect(filter).toContain('metric.type="logging.googleapis.com/user/api_errors"');
    expect(set.policies[1].policy.conditions![0].conditionThreshold!.filter).toContain('metric.label.check_id="api_health"');
    expect(set.policies[0].notificationChannels).toEqual(['${google_monitoring_notification_channel.email.id}']);
    expect(set.logMetrics.map((m) => m.metric.name)).toEqual(['api_errors']);
  });

  test('log entries become per-minute log-based metric points; LogMatch fires with its rate limit; leftover interpolation is an error', () => {
    const logs = [
      entry(600, 'INFO', 'ok'),
      entry(610, 'ERROR', 'Unexpected error: boom'), // minute [600, 660): 3 errors -> point at 660
      entry(620, 'ERROR', 'db'),
      entry(630, 'ERROR', 'db'),
      entry(700, 'ERROR', 'Unexpected error: again'), // 90 s after the first: rate-limited
      entry(1000, 'ERROR', 'Unexpected error: later'), // 390 s after: notified
    ];
    const r = simulateScenario(set, scenario({ logs, incidentStart: iso(600) }));
    const errs = byName(r, 'API error logs');
    expect(errs.error).toBeUndefined();
    // ALIGN_DELTA over (T-60, T]: the point at 660 holds 3 (> 2); seen at T = 660 (no ingestion delay modelled)
    expect(errs.firstFiredAt).toBe(T0 + 660_000);
    expect(errs.detectionSeconds).toBe(60);
    const lm = byName(r, 'Unhandled exception');
    expect(lm.firstFiredAt).toBe(T0 + 610_000);
    expect(lm.notifications).toEqual({ sent: 2, suppressed: 1 });
    expect(byName(r, 'Unresolvable').error).toMatch(
      /policy "dev - Unresolvable", condition "x": conditionThreshold.filter: unresolved Terraform interpolation/,
    );
  });

  test('uptime check series use the TF resource name as check_id', () => {
    const check = (region: string, failFrom?: string) => ({
      metric: { type: 'monitoring.googleapis.com/uptime_check/check_passed', labels: { check_id: 'api_health', checker_location: region } },
      resource: { type: 'uptime_url', labels: { host: 'api.example.com', project_id: 'vividly-dev' } },
      kind: 'GAUGE',
      valueType: 'BOOL',
      value: failFrom ? { step: { at: failFrom, before: 1, after: 0 } } : 1,
    });
    const down = simulateScenario(
      set,
      scenario({ incidentStart: iso(1800), series: [check('usa-iowa', 'incident'), check('europe', 'incident'), check('asia')] }),
    );
    // the sample at the incident time is already false; 2 false > 1 from T = 1800, held for 60 s
    expect(byName(down, 'API down').detectionSeconds).toBe(60);
    const oneRegion = simulateScenario(set, scenario({ incidentStart: iso(1800), series: [check('usa-iowa', 'incident'), check('europe'), check('asia')] }));
    expect(byName(oneRegion, 'API down').fired).toBe(false);
  });
});

describe('log-based metrics over logStreams', () => {
  // A stream's entries are evaluated once per template when the metric cannot tell them apart: the series must be the
  // ones an entry-by-entry evaluation gives, also for metrics that read timestamp or insertId or search every field.
  const sc = parseScenario(
    {
      name: 'two streams',
      start: '2025-01-01T00:00:00Z',
      end: 'start+30m',
      logStreams: [
        { template: { severity: 'ERROR', resource: res, jsonPayload: { message: 'db timeout', ms: '250' } }, rate: 0.2 },
        { template: { severity: 'INFO', resource: res, jsonPayload: { message: 'ok', ms: '12' } }, rate: 0.1 },
      ],
    },
    'inline.yaml',
  );
  const metric = (name: string, filter: string, extra: Record<string, unknown> = {}) => logMetricFromApi({ name, filter, ...extra }, name);
  const metrics = [
    metric('errors', 'severity>=ERROR'),
    metric('by_message', 'jsonPayload.message:*', { labelExtractors: { message: 'EXTRACT(jsonPayload.message)' } }),
    metric('first_stream_by_id', 'insertId:"sim-0-"'),
    metric('global_search', '"sim-1-1"'),
    metric('late', 'timestamp>="2025-01-01T00:20:00Z"', { labelExtractors: { id: 'EXTRACT(insertId)' } }),
  ];

  test('one evaluation per template gives the entry-by-entry series', () => {
    expect(sc.logs.length).toBeGreaterThan(400);
    expect(sc.logs.every((l) => l.template !== undefined)).toBe(true);
    const perEntry = logMetricSeries(
      metrics,
      sc.logs.map(({ t, entry }) => ({ t, entry })),
    );
    expect(logMetricSeries(metrics, sc.logs)).toEqual(perEntry);
    const total = (name: string) =>
      perEntry.filter((s) => s.metric.type.endsWith(`/${name}`)).reduce((sum, s) => sum + s.values.reduce((a: number, v) => a + (v as number), 0), 0);
    // Non-trivial: each metric counts a different part of the stream.
    expect(total('errors')).toBe(sc.logs.filter((l) => l.entry.severity === 'ERROR').length);
    expect(total('by_message')).toBe(sc.logs.length);
    expect(total('first_stream_by_id')).toBe(total('errors'));
    expect(total('global_search')).toBeGreaterThan(0);
    expect(total('global_search')).toBeLessThan(total('by_message') - total('errors'));
    expect(total('late')).toBe(sc.logs.filter((l) => l.t >= Date.parse('2025-01-01T00:20:00Z')).length);
  });
});
