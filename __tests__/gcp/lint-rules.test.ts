/**
 * Every rule id of the lint and of the schema walker, shown firing on one mutation of a valid resource and silent on
 * the resource itself. The last test fails when a registered id has no case here (or a case names no rule).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintApiResource, lintSynth, PROJECT_QUOTAS, RESOURCE_RULES, SCHEMA_RULES, STACK_RULES, type ApiKind } from '../../gcp/lint';
import { tfResourceToApi } from '../../gcp/schema';
import * as fx from '../schema/fixtures';

type Any = any;

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const SAMPLE = JSON.parse(readFileSync(join(__dirname, '../schema/sample.cdk.tf.json'), 'utf8'));
const REQUESTS = 'metric.type="run.googleapis.com/request_count" AND resource.type="cloud_run_revision"';
const SLO = 'select_slo_burn_rate("projects/p/services/s/serviceLevelObjectives/o", "3600s")';

/** A rule case: a valid base, and a mutation of a clone that must make the rule fire. */
type Case =
  | { kind: ApiKind; base: object; mutate: (x: Any) => void; terraform?: boolean }
  | { synth: (s: Any) => void }
  | { tf: { valid: [type: string, body: Any]; mutated: [type: string, body: Any] } }
  | { synthValue: [unknown, unknown] };

/** A synth of `n` empty resources of one type. */
const countOf = (tfType: string, n: number) => ({ resource: { [tfType]: Object.fromEntries(Array.from({ length: n }, (_, i) => [`r${i}`, {}])) } });
const th = (p: Any) => p.conditions[0].conditionThreshold;
const alert = (mutate: (p: Any) => void): Case => ({ kind: 'AlertPolicy', base: fx.alertPolicy, mutate });
const uptime = (mutate: (u: Any) => void): Case => ({ kind: 'UptimeCheckConfig', base: fx.uptimeCheck, mutate });
const channel = (mutate: (c: Any) => void): Case => ({ kind: 'NotificationChannel', base: fx.notificationChannel, mutate });
const counter = (mutate: (m: Any) => void): Case => ({ kind: 'LogMetric', base: fx.logMetricCounter, mutate });
const distribution = (mutate: (m: Any) => void): Case => ({ kind: 'LogMetric', base: fx.logMetricDistribution, mutate });
const descriptor = (mutate: (d: Any) => void): Case => ({ kind: 'MetricDescriptor', base: fx.metricDescriptor, mutate });
const dashboard = (mutate: (d: Any) => void): Case => ({ kind: 'Dashboard', base: fx.dashboard, mutate });
const chartQuery = (d: Any) => d.mosaicLayout.tiles[1].widget.xyChart.dataSets[0].timeSeriesQuery;
const logMatchOnly = (p: Any) => {
  p.conditions = [{ displayName: 'errors', conditionMatchedLog: { filter: 'severity>=ERROR' } }];
  delete p.alertStrategy.notificationPrompts;
};

const CASES: Record<string, Case> = {
  // Alert policies
  'alert/display-name': alert((p) => (p.displayName = '')),
  'alert/combiner': alert((p) => delete p.combiner),
  'alert/conditions-count': alert((p) => (p.conditions = [])),
  'alert/log-match-alone': alert((p) => p.conditions.push({ displayName: 'l', conditionMatchedLog: { filter: 'severity>=ERROR' } })),
  'alert/mql-alone': alert((p) => p.conditions.push({ displayName: 'm', conditionMonitoringQueryLanguage: { query: 'fetch x', duration: '60s' } })),
  'alert/log-match-rate-limit': alert(logMatchOnly),
  'alert/notification-prompts': alert((p) => (p.alertStrategy.notificationPrompts = ['NOTIFICATION_PROMPT_UNSPECIFIED'])),
  'alert/channel-strategy': alert(
    (p) => (p.alertStrategy.notificationChannelStrategy = [{ notificationChannelNames: ['projects/p/notificationChannels/999'], renotifyInterval: '3600s' }]),
  ),
  'alert/documentation': alert((p) => (p.documentation.mimeType = 'text/plain')),
  'alert/condition-display-name': alert((p) => delete p.conditions[0].displayName),
  'alert/condition-name': alert((p) => (p.conditions[0].name = 'projects/p/alertPolicies/1/conditions/2')),
  'alert/condition-type': alert((p) => (p.conditions[0] = { displayName: 'empty' })),
  'alert/comparison': alert((p) => (th(p).comparison = 'COMPARISON_GE')),
  'alert/duration-required': alert((p) => delete th(p).duration),
  'alert/duration-whole-minutes': alert((p) => (th(p).duration = '90s')),
  'alert/duration-minimum': alert((p) => (p.conditions[0] = { displayName: 'gone', conditionAbsent: { filter: REQUESTS, duration: '60s' } })),
  'alert/evaluation-missing-data': alert((p) => (th(p).duration = '0s')),
  'alert/forecast-horizon': alert((p) => (th(p).forecastOptions = { forecastHorizon: '600s' })),
  'alert/slo-aggregations': alert((p) => (th(p).filter = SLO)),
  'alert/ratio-alignment': alert((p) => {
    th(p).denominatorFilter = th(p).filter;
    th(p).denominatorAggregations = [{ ...th(p).aggregations[0], alignmentPeriod: '120s' }];
  }),
  'alert/ratio-labels': alert((p) => {
    th(p).denominatorFilter = th(p).filter;
    th(p).denominatorAggregations = [{ ...th(p).aggregations[0], groupByFields: [] }];
  }),
  'alert/mql-deprecated': alert((p) => (p.conditions[0] = { displayName: 'm', conditionMonitoringQueryLanguage: { query: 'fetch x', duration: '60s' } })),
  'alert/promql': alert(
    (p) => (p.conditions[0] = { displayName: 'p', conditionPrometheusQueryLanguage: { query: '', duration: '60s', evaluationInterval: '45s' } }),
  ),
  'alert/log-match-filter': alert((p) => {
    logMatchOnly(p);
    p.conditions[0].conditionMatchedLog = {};
  }),
  // Queries (alert conditions and charts)
  'filter/length': alert((p) => (th(p).filter += ` AND resource.labels.service_name!="${'a'.repeat(2100)}"`)),
  'filter/syntax': alert((p) => (th(p).filter += ' AND metric.labels.response_code="5')),
  'filter/precedence': alert((p) => (th(p).filter += ' OR resource.type="uptime_url"')),
  'filter/slo-selector': alert((p) => {
    th(p).filter = 'select_slo_burn_rate("not-an-slo", "3600s")';
    delete th(p).aggregations;
  }),
  'alert/slo-lookback': alert((p) => {
    th(p).filter = SLO.replace('"3600s"', '"90000s"');
    delete th(p).aggregations;
  }),
  'dashboard/slo-lookback': dashboard((d) => {
    chartQuery(d).timeSeriesFilter = { filter: SLO.replace('"3600s"', '"3d"'.replace('3d', '72h')) };
  }),
  'uptime/cloud-run-server-labels': {
    synth: (s) => {
      const u = s.resource.google_monitoring_uptime_check_config.api_health;
      u.monitored_resource = { type: 'cloud_run_revision', labels: { project_id: 'p', service_name: 'push', location: 'us-central1' } };
    },
  },
  'filter/one-metric-type': alert((p) => (th(p).filter = 'resource.type="cloud_run_revision"')),
  'filter/resource-type': alert((p) => (th(p).filter = 'metric.type="run.googleapis.com/request_latencies"')),
  'filter/unknown-label': alert((p) => (th(p).filter += ' AND metric.labels.response_cod="500"')),
  'aggregation/alignment-period': alert((p) => (th(p).aggregations[0].alignmentPeriod = '30s')),
  'aggregation/reducer-needs-aligner': alert((p) => delete th(p).aggregations[0].perSeriesAligner),
  'aggregation/reduce-none': alert(
    (p) => (th(p).aggregations[0] = { alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_PERCENTILE_99', crossSeriesReducer: 'REDUCE_NONE' }),
  ),
  'aggregation/aligner-kind': alert((p) => (th(p).aggregations[0].perSeriesAligner = 'ALIGN_RATE')),
  'aggregation/reducer-kind': alert((p) => (th(p).aggregations[0].crossSeriesReducer = 'REDUCE_MAX')),
  'aggregation/percentile-of-non-distribution': alert((p) => {
    th(p).filter = REQUESTS;
    th(p).aggregations[0].perSeriesAligner = 'ALIGN_RATE';
  }),
  // Uptime checks
  'uptime/display-name': uptime((u) => delete u.displayName),
  'uptime/period': uptime((u) => (u.period = '120s')),
  'uptime/timeout': uptime((u) => (u.timeout = '90s')),
  'uptime/selected-regions': uptime((u) => (u.selectedRegions = ['EUROPE', 'ASIA_PACIFIC'])),
  'uptime/target': uptime((u) => delete u.monitoredResource),
  'uptime/monitored-resource': uptime((u) => (u.monitoredResource.labels.host = 'https://api.example.com')),
  'uptime/checker-type': uptime((u) => (u.checkerType = 'VPC_CHECKERS')),
  'uptime/check-type': uptime((u) => delete u.httpCheck),
  'uptime/http-method': uptime((u) => (u.httpCheck.body = 'Zm9v')),
  'uptime/headers': uptime((u) => (u.httpCheck.headers = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`x-h${i}`, 'v'])))),
  'uptime/pings-count': uptime((u) => (u.httpCheck.pingConfig = { pingsCount: 4 })),
  'uptime/tcp-port': uptime((u) => {
    delete u.httpCheck;
    delete u.contentMatchers;
    u.tcpCheck = {};
  }),
  'uptime/content-matchers': uptime((u) => (u.contentMatchers[0].matcher = 'MATCHES_JSON_PATH')),
  // Notification channels
  'channel/type': channel((c) => delete c.type),
  'channel/display-name': channel((c) => (c.displayName = 'x'.repeat(513))),
  'channel/description': channel((c) => (c.description = 'x'.repeat(1025))),
  'channel/labels': channel((c) => delete c.labels.email_address),
  'channel/webhook-token': channel((c) => {
    c.type = 'webhook_tokenauth';
    c.labels = { url: 'https://hooks.example.com/x' };
  }),
  'labels/user-labels': channel((c) => (c.userLabels = { Team: 'platform' })),
  'channel/secret-in-labels': {
    synth: (s) => {
      s.resource.google_monitoring_notification_channel.slack.labels.auth_token = 'xoxb-literal';
      delete s.resource.google_monitoring_notification_channel.slack.sensitive_labels;
    },
  },
  'channel/literal-secret': { synth: (s) => (s.resource.google_monitoring_notification_channel.slack.sensitive_labels.auth_token = 'xoxb-literal') },
  // Log-based metrics
  'logmetric/name': counter((m) => (m.name = '/vividly/x')),
  'logmetric/filter': counter((m) => (m.filter = '')),
  'logmetric/description': counter((m) => (m.description = 'x'.repeat(8001))),
  'logmetric/kind': counter((m) => (m.metricDescriptor.metricKind = 'GAUGE')),
  'logmetric/distribution': counter((m) => (m.valueExtractor = 'EXTRACT(jsonPayload.latency)')),
  'logmetric/extractor': counter((m) => (m.labelExtractors.reason = 'SUBSTR(jsonPayload.message, 1)')),
  'logmetric/regexp-capture-groups': counter((m) => (m.labelExtractors.reason = 'REGEXP_EXTRACT(jsonPayload.message, "reason=\\\\w+")')),
  'logmetric/bucket-options': distribution((m) => (m.bucketOptions = { explicitBuckets: { bounds: [5, 1] } })),
  'logmetric/bucket-count': distribution((m) => (m.bucketOptions = { linearBuckets: { numFiniteBuckets: 250, width: 1, offset: 0 } })),
  'logmetric/labels': counter((m) => (m.metricDescriptor.labels[0].valueType = 'DOUBLE')),
  'logmetric/label-key': counter((m) => {
    m.metricDescriptor.labels[0].key = 'Reason';
    m.labelExtractors = { Reason: m.labelExtractors.reason };
  }),
  'logmetric/label-extractor': counter((m) => delete m.labelExtractors.reason),
  // Metric descriptors
  'metricdescriptor/type': descriptor((d) => delete d.type),
  'metricdescriptor/kind': descriptor((d) => {
    d.metricKind = 'DELTA';
    d.valueType = 'BOOL';
  }),
  // Dashboards
  'dashboard/display-name': dashboard((d) => delete d.displayName),
  'dashboard/output-fields': dashboard((d) => (d.etag = 'abc')),
  'dashboard/layout': dashboard((d) => delete d.mosaicLayout),
  'dashboard/widget-content': dashboard((d) => (d.mosaicLayout.tiles[0].widget = { title: 'nothing' })),
  'dashboard/mosaic-columns': dashboard((d) => (d.mosaicLayout.columns = 60)),
  'dashboard/mosaic-tile': dashboard((d) => (d.mosaicLayout.tiles[2].width = 30)),
  'dashboard/mosaic-overlap': dashboard((d) => (d.mosaicLayout.tiles[2].xPos = 10)),
  'dashboard/mql-deprecated': dashboard(
    (d) => (d.mosaicLayout.tiles[1].widget.xyChart.dataSets[0].timeSeriesQuery = { timeSeriesQueryLanguage: 'fetch cloud_run_revision' }),
  ),
  'dashboard/ratio-alignment': dashboard((d) => {
    const q = chartQuery(d);
    const part = (period: string) => ({ filter: q.timeSeriesFilter.filter, aggregation: { ...q.timeSeriesFilter.aggregation, alignmentPeriod: period } });
    q.timeSeriesFilterRatio = { numerator: part('60s'), denominator: part('120s') };
    delete q.timeSeriesFilter;
  }),
  'dashboard/perpetual-diff': dashboard((d) => (d.mosaicLayout.tiles[1].xPos = 0)),
  // The schema walker (Google's descriptors) and the Terraform conversion
  'schema/unknown-field': alert((p) => (p.bogus = 1)),
  'schema/duplicate-field': alert((p) => (p.display_name = 'twice')),
  'schema/wrong-type': alert((p) => (p.displayName = 5)),
  'schema/bad-enum': alert((p) => (p.combiner = 'XOR')),
  'schema/enum-number': alert((p) => (p.combiner = 1)),
  'schema/oneof-conflict': alert((p) => (p.conditions[0].conditionAbsent = { filter: REQUESTS, duration: '300s' })),
  'schema/required': counter((m) => delete m.filter),
  'schema/output-only': counter((m) => (m.createTime = '2025-01-31T12:00:00Z')),
  'schema/bad-duration': alert((p) => (th(p).duration = '5m')),
  'schema/bad-timestamp': counter((m) => (m.createTime = 'yesterday')),
  'schema/bad-bytes': uptime((u) => {
    Object.assign(u.httpCheck, { requestMethod: 'POST', contentType: 'URL_ENCODED', body: 'foo=bar!' });
  }),
  'schema/out-of-range': dashboard((d) => (d.mosaicLayout.columns = 2 ** 40)),
  'schema/unsafe-integer': dashboard((d) => {
    delete d.mosaicLayout;
    d.gridLayout = { columns: 2 ** 60, widgets: [{ title: 't', text: { content: 'x' } }] };
  }),
  'schema/null': alert((p) => (p.severity = null)),
  'schema/interpolated-number': { kind: 'AlertPolicy', base: fx.alertPolicy, terraform: true, mutate: (p) => (th(p).thresholdValue = '${var.threshold}') },
  'schema/interpolated-message': { kind: 'AlertPolicy', base: fx.alertPolicy, terraform: true, mutate: (p) => (p.documentation = '${var.documentation}') },
  'tf/not-an-object': { synth: (s) => (s.resource.google_monitoring_alert_policy.error_rate = 5) },
  'tf/unsupported-resource-type': {
    tf: { valid: ['google_logging_metric', SAMPLE.resource.google_logging_metric.login_failures], mutated: ['google_storage_bucket', { name: 'b' }] },
  },
  'tf/unknown-attribute': { synth: (s) => (s.resource.google_monitoring_alert_policy.error_rate.bogus = 1) },
  'tf/duplicate-attribute': {
    tf: {
      valid: [
        'google_monitoring_uptime_check_config',
        { display_name: 'u', timeout: '10s', http_check: [{ auth_info: [{ username: 'u', password: '${var.p}' }] }] },
      ],
      mutated: [
        'google_monitoring_uptime_check_config',
        { display_name: 'u', timeout: '10s', http_check: [{ auth_info: [{ username: 'u', password: '${var.p}', password_wo: '${var.p}' }] }] },
      ],
    },
  },
  'tf/too-many-blocks': { synth: (s) => (s.resource.google_monitoring_alert_policy.error_rate.documentation = [{ content: 'one' }, { content: 'two' }]) },
  'tf/interpolated-block': { synth: (s) => (s.resource.google_monitoring_alert_policy.error_rate.alert_strategy = '${var.strategy}') },
  'tf/dashboard-json': { synth: (s) => (s.resource.google_monitoring_dashboard.overview.dashboard_json = '{"displayName":') },
  'tf/dashboard-json-not-literal': { synth: (s) => (s.resource.google_monitoring_dashboard.overview.dashboard_json = '${jsonencode(local.dashboard)}') },
  'tf/sensitive-labels': { synth: (s) => (s.resource.google_monitoring_notification_channel.slack.sensitive_labels = {}) },
  'tf/sensitive-label-conflict': { synth: (s) => (s.resource.google_monitoring_notification_channel.slack.labels.auth_token = '${var.slack_token}') },
  'synth/not-an-object': { synthValue: [SAMPLE, 5] },
  // Quotas: one resource more than the limit (empty bodies: only the count is under test).
  ...Object.fromEntries(PROJECT_QUOTAS.map((q) => [q.rule, { synthValue: [countOf(q.tfType, q.max), countOf(q.tfType, q.max + 1)] } as Case])),
  'quota/channels-per-policy': alert((p) => (p.notificationChannels = Array.from({ length: 17 }, (_, i) => `projects/p/notificationChannels/${i}`))),
  'quota/widgets-per-dashboard': dashboard((d) => {
    d.mosaicLayout.tiles = Array.from({ length: 26 }, (_, i) => ({
      yPos: i * 2 || undefined,
      width: 6,
      height: 2,
      widget: { title: `t${i}`, text: { content: 'x' } },
    }));
  }),
  'synth/bad-resource-block': { synthValue: [SAMPLE, { resource: 5 }] },
};

/**
 * The rule ids of the valid inputs, linted once per input and way of linting: most cases share one fixture or SAMPLE
 * (the lint does not modify its input; every case's mutation is made on a clone).
 */
const validIds = new Map<unknown, Map<string, string[]>>();
function once(input: unknown, how: string, lint: () => string[]): string[] {
  const byHow = validIds.get(input) ?? validIds.set(input, new Map()).get(input)!;
  return byHow.get(how) ?? byHow.set(how, lint()).get(how)!;
}

/** The rule ids a case's input produces, before and after its mutation. */
function firedIds(c: Case): { before: string[]; after: string[] } {
  const ids = (fs: Array<{ rule: string }>) => [...new Set(fs.map((f) => f.rule))];
  if ('kind' in c) {
    const after = clone(c.base) as Any;
    c.mutate(after);
    const run = (o: unknown) => ids(lintApiResource(c.kind, o, { terraform: c.terraform }));
    return { before: once(c.base, `${c.kind} terraform=${c.terraform}`, () => run(c.base)), after: run(after) };
  }
  if ('synth' in c) {
    const after = clone(SAMPLE);
    c.synth(after);
    return { before: once(SAMPLE, 'lintSynth', () => ids(lintSynth(SAMPLE))), after: ids(lintSynth(after)) };
  }
  if ('tf' in c) {
    const run = ([type, body]: [string, Any]) => ids(tfResourceToApi(type, body).findings);
    return { before: run(c.tf.valid), after: run(c.tf.mutated) };
  }
  const valid = c.synthValue[0];
  return { before: once(valid, 'lintSynth', () => ids(lintSynth(valid))), after: ids(lintSynth(c.synthValue[1])) };
}

describe('every rule fires on its mutation and not on the valid resource', () => {
  test.each(Object.entries(CASES))('%s', (id, c) => {
    const { before, after } = firedIds(c);
    expect({ id, firesOnValid: before.includes(id) }).toEqual({ id, firesOnValid: false });
    expect({ id, firesOnMutation: after.includes(id) }).toEqual({ id, firesOnMutation: true });
  });
});

test('the registry and the cases name the same rule ids', () => {
  const registered = [...RESOURCE_RULES, ...STACK_RULES, ...SCHEMA_RULES].map((r) => r.id).sort();
  expect(Object.keys(CASES).sort()).toEqual(registered);
});

test('every rule says where its fact comes from', () => {
  for (const r of [...RESOURCE_RULES, ...STACK_RULES, ...SCHEMA_RULES])
    expect({ id: r.id, source: r.source.length > 5, summary: r.summary.length > 5 }).toEqual({ id: r.id, source: true, summary: true });
});
