import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateApiResource, validateSynth, tfResourceToApi } from '../../gcp/schema';
import type { Finding } from '../../gcp/schema';
import * as fx from './fixtures';

const errors = (fs: Finding[]) => fs.filter((f) => f.severity === 'error');
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const only = (fs: Finding[], rule: string) =>
  errors(fs)
    .filter((f) => f.rule === rule)
    .map((f) => f.path);

describe('valid hand-written API objects pass', () => {
  test.each(fx.VALID_RESOURCES)('%s', (kind, obj) => {
    expect(validateApiResource(kind, obj)).toEqual([]);
  });

  test('proto (snake_case) names are accepted too', () => {
    const p = {
      display_name: 'x',
      combiner: 'OR',
      conditions: [{ display_name: 'c', condition_absent: { filter: 'f', duration: '120s' } }],
      user_labels: { a: 'b' },
    };
    expect(validateApiResource('AlertPolicy', p)).toEqual([]);
  });

  test('the fixture dashboard of the app is schema-valid', () => {
    const d: unknown = JSON.parse(readFileSync(join(__dirname, '../fixtures/vividly-existing-dashboard.json'), 'utf8'));
    expect(validateApiResource('Dashboard', d)).toEqual([]);
  });
});

describe('schema failures carry the right path', () => {
  test('unknown field', () => {
    const p = clone(fx.alertPolicy) as any;
    p.conditions[0].conditionThreshold.aggregations[0].perSeriesAlignr = 'ALIGN_RATE';
    const f = validateApiResource('AlertPolicy', p);
    expect(only(f, 'schema/unknown-field')).toEqual(['$.conditions[0].conditionThreshold.aggregations[0].perSeriesAlignr']);
  });

  test('bad enum and enum number', () => {
    const p = clone(fx.alertPolicy) as any;
    p.conditions[0].conditionThreshold.aggregations[0].perSeriesAligner = 'ALIGN_AVERAGE';
    p.combiner = 1;
    const f = validateApiResource('AlertPolicy', p);
    expect(only(f, 'schema/bad-enum')).toEqual(['$.conditions[0].conditionThreshold.aggregations[0].perSeriesAligner']);
    expect(only(f, 'schema/enum-number')).toEqual(['$.combiner']);
  });

  test('wrong scalar types, repeated not an array, bool wrapper', () => {
    const p = clone(fx.alertPolicy) as any;
    p.conditions[0].conditionThreshold.thresholdValue = 'high';
    p.conditions[0].conditionThreshold.trigger.count = 1.5;
    p.notificationChannels = 'projects/p/notificationChannels/1';
    p.enabled = 'yes';
    p.displayName = 3;
    const paths = only(validateApiResource('AlertPolicy', p), 'schema/wrong-type').sort();
    expect(paths).toEqual(
      [
        '$.conditions[0].conditionThreshold.thresholdValue',
        '$.conditions[0].conditionThreshold.trigger.count',
        '$.displayName',
        '$.enabled',
        '$.notificationChannels',
      ].sort(),
    );
  });

  test('two members of one oneof', () => {
    const p = clone(fx.alertPolicy) as any;
    p.conditions[0].conditionAbsent = { filter: 'x', duration: '120s' };
    p.conditions[0].conditionThreshold.trigger = { count: 1, percent: 50 };
    const paths = only(validateApiResource('AlertPolicy', p), 'schema/oneof-conflict').sort();
    expect(paths).toEqual(['$.conditions[0]', '$.conditions[0].conditionThreshold.trigger']);
    const d = clone(fx.dashboard) as any;
    d.gridLayout = { widgets: [] };
    expect(only(validateApiResource('Dashboard', d), 'schema/oneof-conflict')).toEqual(['$']);
  });

  test('same field under both names', () => {
    const f = validateApiResource('NotificationChannel', { ...fx.notificationChannel, display_name: 'x' });
    expect(only(f, 'schema/duplicate-field')).toEqual(['$.display_name']);
  });

  test('map values are type-checked, keys kept verbatim in paths', () => {
    const f = validateApiResource('AlertPolicy', { ...fx.alertPolicy, userLabels: { 'Team Name': 'x', n: 5 } });
    expect(errors(f).map((x) => x.path)).toEqual(['$.userLabels.n']);
    expect(validateApiResource('AlertPolicy', { ...fx.alertPolicy, userLabels: ['a'] }).map((x) => x.path)).toEqual(['$.userLabels']);
  });

  test('int64 may be a number or a decimal string; other strings fail', () => {
    const ok = clone(fx.dashboard) as any;
    ok.mosaicLayout.columns = '48';
    ok.mosaicLayout.tiles[1].yPos = '4';
    expect(validateApiResource('Dashboard', ok)).toEqual([]);
    const bad = clone(fx.dashboard) as any;
    bad.mosaicLayout.columns = '48.5';
    bad.mosaicLayout.tiles[1].width = true;
    expect(only(validateApiResource('Dashboard', bad), 'schema/wrong-type')).toEqual(['$.mosaicLayout.columns', '$.mosaicLayout.tiles[1].width']);
    const big = clone(fx.dashboard) as any;
    big.mosaicLayout.columns = '9223372036854775808';
    expect(only(validateApiResource('Dashboard', big), 'schema/out-of-range')).toEqual(['$.mosaicLayout.columns']);
  });

  test('Duration format', () => {
    for (const good of ['60s', '0s', '1.5s', '0.000000001s', '-3s']) {
      const p = clone(fx.alertPolicy) as any;
      p.alertStrategy.autoClose = good;
      expect(only(validateApiResource('AlertPolicy', p), 'schema/bad-duration')).toEqual([]);
    }
    for (const bad of ['60', '1m', 60, '1.0000000001s', ' 60s', '60S']) {
      const p = clone(fx.alertPolicy) as any;
      p.conditions[0].conditionThreshold.duration = bad;
      expect(only(validateApiResource('AlertPolicy', p), 'schema/bad-duration')).toEqual(['$.conditions[0].conditionThreshold.duration']);
    }
  });

  test('Timestamp, bytes, required and output-only fields', () => {
    const m = { ...fx.logMetricCounter, createTime: 'yesterday' };
    const f = validateApiResource('LogMetric', m);
    expect(only(f, 'schema/bad-timestamp')).toEqual(['$.createTime']);
    expect(f.filter((x) => x.rule === 'schema/output-only').map((x) => x.path)).toEqual(['$.createTime']);
    expect(validateApiResource('LogMetric', { ...fx.logMetricCounter, updateTime: '2025-01-31T12:00:00.123Z' }).filter((x) => x.severity === 'error')).toEqual(
      [],
    );

    const u = clone(fx.uptimeCheck) as any;
    u.httpCheck.requestMethod = 'POST';
    u.httpCheck.contentType = 'URL_ENCODED';
    u.httpCheck.body = 'Zm9vJTNEYmFy';
    expect(validateApiResource('UptimeCheckConfig', u)).toEqual([]);
    u.httpCheck.body = 'foo=bar!';
    expect(only(validateApiResource('UptimeCheckConfig', u), 'schema/bad-bytes')).toEqual(['$.httpCheck.body']);

    const { filter: _filter, ...noFilter } = fx.logMetricCounter;
    expect(only(validateApiResource('LogMetric', noFilter), 'schema/required')).toEqual(['$.filter']);
  });

  test('interpolations: accepted for strings/enums/durations only when allowed, reported for numbers', () => {
    const p = clone(fx.alertPolicy) as any;
    p.notificationChannels = ['${google_monitoring_notification_channel.x.name}'];
    p.conditions[0].conditionThreshold.duration = '${var.duration}';
    p.conditions[0].conditionThreshold.thresholdValue = '${var.threshold}';
    const f = validateApiResource('AlertPolicy', p, { allowInterpolation: true });
    expect(errors(f).map((x) => [x.path, x.rule])).toEqual([['$.conditions[0].conditionThreshold.thresholdValue', 'schema/interpolated-number']]);
    expect(only(validateApiResource('AlertPolicy', p), 'schema/bad-duration')).toEqual(['$.conditions[0].conditionThreshold.duration']);
  });
});

describe('TF → API conversion', () => {
  const synth = JSON.parse(readFileSync(join(__dirname, 'sample.cdk.tf.json'), 'utf8')) as any;

  test('the sample cdk.tf.json converts and validates cleanly', () => {
    expect(validateSynth(synth, 'sample.cdk.tf.json')).toEqual([]);
  });

  test('snake_case → API names, blocks unwrapped, map keys verbatim, TF-only attributes dropped', () => {
    const { api, findings } = tfResourceToApi('google_logging_metric', synth.resource.google_logging_metric.db_pool_wait);
    expect(findings).toEqual([]);
    expect(api).toEqual({
      name: 'vividly/db_pool_wait',
      filter: 'jsonPayload.message=~"^DB pool"',
      metricDescriptor: { metricKind: 'DELTA', valueType: 'DISTRIBUTION', unit: 's' },
      valueExtractor: 'REGEXP_EXTRACT(jsonPayload.message, "waited ([0-9.]+)s")',
      bucketOptions: { exponentialBuckets: { numFiniteBuckets: 20, growthFactor: 2, scale: 0.01 } },
    });
    const up = tfResourceToApi('google_monitoring_uptime_check_config', synth.resource.google_monitoring_uptime_check_config.api_health).api as any;
    expect(up.monitoredResource.labels).toEqual({ project_id: 'vividly-staging', host: 'api.example.com' });
    expect(up.userLabels).toEqual({ service: 'api' });
    expect(up).not.toHaveProperty('timeouts');
    expect(up).not.toHaveProperty('logCheckFailures');
    const lm = tfResourceToApi('google_logging_metric', synth.resource.google_logging_metric.login_failures).api as any;
    expect(Object.keys(lm.labelExtractors)).toEqual(['reason']);
  });

  test('sensitive_labels keys become labels; conflicts reported; force_delete dropped', () => {
    const r = tfResourceToApi('google_monitoring_notification_channel', synth.resource.google_monitoring_notification_channel.slack);
    expect(r.findings).toEqual([]);
    expect(r.api).toEqual({ displayName: 'Slack', type: 'slack', labels: { channel_name: '#alerts', auth_token: '${var.slack_token}' } });
    const c = tfResourceToApi('google_monitoring_notification_channel', {
      type: 'slack',
      labels: { auth_token: 'a' },
      sensitive_labels: [{ auth_token: 'b' }],
    });
    expect(c.findings.map((f) => f.rule)).toEqual(['tf/sensitive-label-conflict']);
  });

  test('unknown attributes, too many blocks and interpolated blocks are findings', () => {
    const body = {
      display_name: 'x',
      combiner: 'OR',
      conditions: [{ display_name: 'c', condition_threshold: [{ filter: 'f', duration: '60s', comparison: 'COMPARISON_GT', bogus: 1 }] }],
      documentation: [{ content: 'a' }, { content: 'b' }],
      alert_strategy: '${var.strategy}',
      displayName: 'camel is not TF',
    };
    const { findings } = tfResourceToApi('google_monitoring_alert_policy', body);
    expect(findings.map((f) => [f.path, f.rule])).toEqual([
      ['$.conditions[0].condition_threshold.bogus', 'tf/unknown-attribute'],
      ['$.documentation', 'tf/too-many-blocks'],
      ['$.alert_strategy', 'tf/interpolated-block'],
      ['$.displayName', 'tf/unknown-attribute'],
    ]);
  });

  test('dashboard_json is parsed; bad JSON reported', () => {
    const ok = tfResourceToApi('google_monitoring_dashboard', synth.resource.google_monitoring_dashboard.overview);
    expect(ok.findings).toEqual([]);
    expect((ok.api as any).mosaicLayout.columns).toBe(48);
    const bad = tfResourceToApi('google_monitoring_dashboard', { dashboard_json: '{"displayName":' });
    expect(bad.findings.map((f) => f.rule)).toEqual(['tf/dashboard-json']);
    const expr = tfResourceToApi('google_monitoring_dashboard', { dashboard_json: '${jsonencode(local.d)}' });
    expect(expr.findings.map((f) => f.rule)).toEqual(['tf/dashboard-json-not-literal']);
  });

  test('validateSynth prefixes paths with the resource and reports schema errors in TF values', () => {
    const s = clone(synth);
    s.resource.google_monitoring_alert_policy.error_rate.conditions[0].condition_threshold.aggregations[0].per_series_aligner = 'ALIGN_RATES';
    s.resource.google_monitoring_alert_policy.error_rate.conditions[0].condition_threshold.threshold_value = '${var.t}';
    s.resource.google_monitoring_uptime_check_config.api_health.http_check.port = '${var.port}';
    const f = validateSynth(s, 'x.json');
    expect(f.map((x) => [x.resource, x.path, x.rule])).toEqual([
      [
        'google_monitoring_alert_policy.error_rate',
        '$.resource.google_monitoring_alert_policy.error_rate.conditions[0].conditionThreshold.thresholdValue',
        'schema/interpolated-number',
      ],
      [
        'google_monitoring_alert_policy.error_rate',
        '$.resource.google_monitoring_alert_policy.error_rate.conditions[0].conditionThreshold.aggregations[0].perSeriesAligner',
        'schema/bad-enum',
      ],
      [
        'google_monitoring_uptime_check_config.api_health',
        '$.resource.google_monitoring_uptime_check_config.api_health.httpCheck.port',
        'schema/interpolated-number',
      ],
    ]);
    expect(f.every((x) => x.source === 'x.json')).toBe(true);
    const d = clone(synth);
    d.resource.google_monitoring_dashboard.overview.dashboard_json = JSON.stringify({
      displayName: 'x',
      mosaicLayout: { columns: 48, tiles: [{ width: 1, height: 1, widget: { text: {}, foo: 1 } }] },
    });
    expect(validateSynth(d, 'x').map((x) => x.path)).toEqual([
      '$.resource.google_monitoring_dashboard.overview.dashboard_json.mosaicLayout.tiles[0].widget.foo',
    ]);
  });
});
