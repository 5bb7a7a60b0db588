import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintApiResource, lintSynth, DEFAULT_KNOWN_METRICS, PROJECT_QUOTAS } from '../../gcp/lint';
import type { ApiKind, Finding } from '../../gcp/lint';
import * as fx from '../schema/fixtures';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const errs = (fs: Finding[]) => fs.filter((f) => f.severity === 'error');
/** [path, rule] of every finding with the rule */
const hits = (fs: Finding[], rule: string) => fs.filter((f) => f.rule === rule).map((f) => f.path);
const lint = (kind: ApiKind, o: unknown) => lintApiResource(kind, o);

/** Apply a mutation to a clone of a valid fixture. */
function mut<T>(base: T, f: (x: any) => void): T {
  const c = clone(base);
  f(c);
  return c;
}

describe('valid fixtures have no lint findings at all', () => {
  test.each(fx.VALID_RESOURCES)('%s', (kind, o) => {
    expect(lint(kind, o)).toEqual([]);
  });

  test('the sample synth is clean', () => {
    const synth: unknown = JSON.parse(readFileSync(join(__dirname, '../schema/sample.cdk.tf.json'), 'utf8'));
    expect(lintSynth(synth)).toEqual([]);
  });
});

const TH = '$.conditions[0].conditionThreshold';

describe('alert policy rules', () => {
  test('durations in whole minutes; absence >= 120 s', () => {
    expect(
      hits(
        lint(
          'AlertPolicy',
          mut(fx.alertPolicy, (p) => (p.conditions[0].conditionThreshold.duration = '90s')),
        ),
        'alert/duration-whole-minutes',
      ),
    ).toEqual([`${TH}.duration`]);
    expect(
      hits(
        lint(
          'AlertPolicy',
          mut(fx.alertPolicy, (p) => (p.conditions[0].conditionThreshold.duration = '0s')),
        ),
        'alert/duration-whole-minutes',
      ),
    ).toEqual([]);
    const absent = (d: string) =>
      mut(fx.alertPolicy, (p) => {
        p.conditions[0] = {
          displayName: 'gone',
          conditionAbsent: { filter: 'metric.type="run.googleapis.com/request_count" resource.type="cloud_run_revision"', duration: d },
        };
      });
    expect(hits(lint('AlertPolicy', absent('60s')), 'alert/duration-minimum')).toEqual(['$.conditions[0].conditionAbsent.duration']);
    expect(errs(lint('AlertPolicy', absent('120s')))).toEqual([]);
    expect(
      hits(
        lint(
          'AlertPolicy',
          mut(fx.alertPolicy, (p) => delete p.conditions[0].conditionThreshold.duration),
        ),
        'alert/duration-required',
      ),
    ).toEqual([`${TH}.duration`]);
  });

  test('alignment period: 60 s .. 90,000 s for alert policies, required with an aligner', () => {
    const withPeriod = (v: string | undefined) =>
      mut(fx.alertPolicy, (p) =>
        v === undefined
          ? delete p.conditions[0].conditionThreshold.aggregations[0].alignmentPeriod
          : (p.conditions[0].conditionThreshold.aggregations[0].alignmentPeriod = v),
      );
    const path = `${TH}.aggregations[0].alignmentPeriod`;
    expect(hits(lint('AlertPolicy', withPeriod('30s')), 'aggregation/alignment-period')).toEqual([path]);
    expect(hits(lint('AlertPolicy', withPeriod('90060s')), 'aggregation/alignment-period')).toEqual([path]);
    expect(hits(lint('AlertPolicy', withPeriod(undefined)), 'aggregation/alignment-period')).toEqual([path]);
    expect(hits(lint('AlertPolicy', withPeriod('90000s')), 'aggregation/alignment-period')).toEqual([]);
    // charts may go up to 104 weeks
    const d = mut(
      fx.dashboard,
      (x) => (x.mosaicLayout.tiles[1].widget.xyChart.dataSets[0].timeSeriesQuery.timeSeriesFilter.aggregation.alignmentPeriod = '604800s'),
    );
    expect(errs(lint('Dashboard', d))).toEqual([]);
  });

  test('aligner valid for the metric kind/value type; reducer valid for the aligned output', () => {
    const agg = (a: object) => mut(fx.alertPolicy, (p) => (p.conditions[0].conditionThreshold.aggregations[0] = { alignmentPeriod: '60s', ...a }));
    // request_latencies is DELTA DISTRIBUTION: ALIGN_RATE invalid, ALIGN_PERCENTILE_99 valid
    expect(hits(lint('AlertPolicy', agg({ perSeriesAligner: 'ALIGN_RATE' })), 'aggregation/aligner-kind')).toEqual([`${TH}.aggregations[0].perSeriesAligner`]);
    expect(errs(lint('AlertPolicy', agg({ perSeriesAligner: 'ALIGN_PERCENTILE_99' })))).toEqual([]);
    // ALIGN_DELTA keeps a distribution; REDUCE_MIN needs numeric
    expect(hits(lint('AlertPolicy', agg({ perSeriesAligner: 'ALIGN_DELTA', crossSeriesReducer: 'REDUCE_MIN' })), 'aggregation/reducer-kind')).toEqual([
      `${TH}.aggregations[0].crossSeriesReducer`,
    ]);
    // a reducer needs an aligner
    expect(hits(lint('AlertPolicy', agg({ crossSeriesReducer: 'REDUCE_SUM' })), 'aggregation/reducer-needs-aligner')).toEqual([
      `${TH}.aggregations[0].crossSeriesReducer`,
    ]);
    // BOOL gauge: fraction true ok, mean not
    const uptime = (a: string) =>
      mut(fx.alertPolicy, (p) => {
        p.conditions[0].conditionThreshold.filter = 'metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND resource.type="uptime_url"';
        p.conditions[0].conditionThreshold.aggregations = [{ alignmentPeriod: '1200s', perSeriesAligner: a, crossSeriesReducer: 'REDUCE_COUNT_FALSE' }];
      });
    expect(errs(lint('AlertPolicy', uptime('ALIGN_NEXT_OLDER')))).toEqual([]);
    expect(hits(lint('AlertPolicy', uptime('ALIGN_MEAN')), 'aggregation/aligner-kind')).toHaveLength(1);
    // injectable KnownMetrics: an unknown metric is not checked, a passed one is
    const custom = mut(fx.alertPolicy, (p) => {
      p.conditions[0].conditionThreshold.filter = 'metric.type="custom.googleapis.com/x" AND resource.type="global"';
      p.conditions[0].conditionThreshold.aggregations = [{ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_RATE' }];
    });
    expect(errs(lintApiResource('AlertPolicy', custom))).toEqual([]);
    expect(
      hits(
        lintApiResource('AlertPolicy', custom, {
          knownMetrics: { ...DEFAULT_KNOWN_METRICS, 'custom.googleapis.com/x': { metricKind: 'GAUGE', valueType: 'DOUBLE' } },
        }),
        'aggregation/aligner-kind',
      ),
    ).toHaveLength(1);
  });

  test('comparison only GT or LT', () => {
    expect(
      hits(
        lint(
          'AlertPolicy',
          mut(fx.alertPolicy, (p) => (p.conditions[0].conditionThreshold.comparison = 'COMPARISON_GE')),
        ),
        'alert/comparison',
      ),
    ).toEqual([`${TH}.comparison`]);
    expect(
      hits(
        lint(
          'AlertPolicy',
          mut(fx.alertPolicy, (p) => (p.conditions[0].conditionThreshold.comparison = 'COMPARISON_LT')),
        ),
        'alert/comparison',
      ),
    ).toEqual([]);
  });

  test('1..6 conditions', () => {
    expect(
      hits(
        lint(
          'AlertPolicy',
          mut(fx.alertPolicy, (p) => (p.conditions = [])),
        ),
        'alert/conditions-count',
      ),
    ).toEqual(['$.conditions']);
    const seven = mut(fx.alertPolicy, (p) => (p.conditions = Array.from({ length: 7 }, () => clone(fx.alertPolicy.conditions[0]))));
    expect(hits(lint('AlertPolicy', seven), 'alert/conditions-count')).toEqual(['$.conditions']);
    const six = mut(fx.alertPolicy, (p) => (p.conditions = Array.from({ length: 6 }, () => clone(fx.alertPolicy.conditions[0]))));
    expect(hits(lint('AlertPolicy', six), 'alert/conditions-count')).toEqual([]);
  });

  test('log-match condition alone and with a notification rate limit', () => {
    const logCond = { displayName: 'log', conditionMatchedLog: { filter: 'severity>=ERROR', labelExtractors: { path: 'EXTRACT(httpRequest.requestUrl)' } } };
    const good = mut(fx.alertPolicy, (p) => {
      p.conditions = [logCond];
      p.alertStrategy = { notificationRateLimit: { period: '300s' }, autoClose: '1800s' };
    });
    expect(lint('AlertPolicy', good)).toEqual([]);
    const two = mut(good, (p) => p.conditions.push(clone(fx.alertPolicy.conditions[0])));
    expect(hits(lint('AlertPolicy', two), 'alert/log-match-alone')).toEqual(['$.conditions']);
    const noLimit = mut(good, (p) => delete p.alertStrategy.notificationRateLimit);
    expect(hits(lint('AlertPolicy', noLimit), 'alert/log-match-rate-limit')).toEqual(['$.alertStrategy.notificationRateLimit']);
  });

  test('user labels: charset, length, count', () => {
    const labels = (l: Record<string, string>) => mut(fx.alertPolicy, (p) => (p.userLabels = l));
    expect(hits(lint('AlertPolicy', labels({ Team: 'a', ok: 'Upper', '1x': 'a', k: 'x'.repeat(64) })), 'labels/user-labels')).toEqual([
      '$.userLabels.Team',
      '$.userLabels.ok',
      '$.userLabels["1x"]',
      '$.userLabels.k',
    ]);
    expect(hits(lint('AlertPolicy', labels(Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v'])))), 'labels/user-labels')).toEqual([
      '$.userLabels',
    ]);
    expect(hits(lint('AlertPolicy', labels({ 'a-b_c': '', team: 'x'.repeat(63) })), 'labels/user-labels')).toEqual([]);
  });

  test('documentation limits', () => {
    const doc = (d: object) => mut(fx.alertPolicy, (p) => (p.documentation = { mimeType: 'text/markdown', ...d }));
    expect(hits(lint('AlertPolicy', doc({ content: 'a'.repeat(8193) })), 'alert/documentation')).toEqual(['$.documentation.content']);
    expect(hits(lint('AlertPolicy', doc({ content: 'é'.repeat(5121) })), 'alert/documentation')).toEqual(['$.documentation.content']); // 10,242 bytes
    expect(hits(lint('AlertPolicy', doc({ content: 'a'.repeat(8192) })), 'alert/documentation')).toEqual([]);
    const link = { displayName: 'r', url: 'https://x' };
    expect(hits(lint('AlertPolicy', doc({ links: [link, link, link, link] })), 'alert/documentation')).toEqual(['$.documentation.links']);
    expect(hits(lint('AlertPolicy', doc({ links: [{ displayName: 'x'.repeat(64), url: 'u' }] })), 'alert/documentation')).toEqual([
      '$.documentation.links[0].displayName',
    ]);
    expect(hits(lint('AlertPolicy', doc({ links: [link, link, link] })), 'alert/documentation')).toEqual([]);
  });

  test('filters: length, exactly one metric.type, resource.type in alert filters', () => {
    const filter = (f: string) => mut(fx.alertPolicy, (p) => (p.conditions[0].conditionThreshold.filter = f));
    expect(
      hits(
        lint('AlertPolicy', filter(`metric.type="run.googleapis.com/request_latencies" resource.type="x" ${'metric.labels.a="b" '.repeat(120)}`)),
        'filter/length',
      ),
    ).toEqual([`${TH}.filter`]);
    expect(hits(lint('AlertPolicy', filter('resource.type="cloud_run_revision"')), 'filter/one-metric-type')).toEqual([`${TH}.filter`]);
    expect(hits(lint('AlertPolicy', filter('metric.type="a" OR metric.type="b" resource.type="x"')), 'filter/one-metric-type')).toEqual([`${TH}.filter`]);
    expect(hits(lint('AlertPolicy', filter('metric.type="run.googleapis.com/request_latencies"')), 'filter/resource-type')).toEqual([`${TH}.filter`]);
    expect(
      hits(
        lint('AlertPolicy', filter('metric.type="run.googleapis.com/request_latencies" AND metric.labels.x="metric.type" resource.type="r"')),
        'filter/one-metric-type',
      ),
    ).toEqual([]);
  });

  test('ratio conditions need equal alignment periods', () => {
    const ratio = (den: string) =>
      mut(fx.alertPolicy, (p) => {
        const t = p.conditions[0].conditionThreshold;
        t.filter = 'metric.type="run.googleapis.com/request_count" AND resource.type="cloud_run_revision" AND metric.labels.response_code_class="5xx"';
        t.aggregations = [{ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_RATE', crossSeriesReducer: 'REDUCE_SUM' }];
        t.denominatorFilter = 'metric.type="run.googleapis.com/request_count"';
        t.denominatorAggregations = [{ alignmentPeriod: den, perSeriesAligner: 'ALIGN_RATE', crossSeriesReducer: 'REDUCE_SUM' }];
      });
    expect(hits(lint('AlertPolicy', ratio('300s')), 'alert/ratio-alignment')).toEqual([`${TH}.denominatorAggregations`]);
    expect(errs(lint('AlertPolicy', ratio('60s')))).toEqual([]);
  });
});

describe('uptime check rules', () => {
  const u = (f: (x: any) => void) => lint('UptimeCheckConfig', mut(fx.uptimeCheck, f));
  test('period in {60s,300s,600s,900s}', () => {
    expect(
      hits(
        u((x) => (x.period = '120s')),
        'uptime/period',
      ),
    ).toEqual(['$.period']);
    expect(
      hits(
        u((x) => (x.period = '900s')),
        'uptime/period',
      ),
    ).toEqual([]);
  });
  test('timeout 1..60 s and required', () => {
    expect(
      hits(
        u((x) => (x.timeout = '61s')),
        'uptime/timeout',
      ),
    ).toEqual(['$.timeout']);
    expect(
      hits(
        u((x) => delete x.timeout),
        'uptime/timeout',
      ),
    ).toEqual(['$.timeout']);
    expect(
      hits(
        u((x) => (x.timeout = '60s')),
        'uptime/timeout',
      ),
    ).toEqual([]);
  });
  test('selected regions: none, or >= 3 locations (USA = 3)', () => {
    expect(
      hits(
        u((x) => (x.selectedRegions = ['EUROPE', 'ASIA_PACIFIC'])),
        'uptime/selected-regions',
      ),
    ).toEqual(['$.selectedRegions']);
    expect(
      hits(
        u((x) => (x.selectedRegions = ['USA_OREGON', 'USA'])),
        'uptime/selected-regions',
      ),
    ).toEqual([]);
    expect(
      hits(
        u((x) => (x.selectedRegions = ['EUROPE', 'ASIA_PACIFIC', 'SOUTH_AMERICA'])),
        'uptime/selected-regions',
      ),
    ).toEqual([]);
    expect(
      hits(
        u((x) => delete x.selectedRegions),
        'uptime/selected-regions',
      ),
    ).toEqual([]);
  });
  test('GET with a body / host with a scheme', () => {
    expect(
      hits(
        u((x) => (x.httpCheck.body = 'eA==')),
        'uptime/http-method',
      ),
    ).toEqual(['$.httpCheck.body']);
    expect(
      hits(
        u((x) => (x.monitoredResource.labels.host = 'https://api.example.com/health')),
        'uptime/monitored-resource',
      ),
    ).toEqual(['$.monitoredResource.labels.host']);
  });
});

describe('log metric rules', () => {
  const c = (f: (x: any) => void) => lint('LogMetric', mut(fx.logMetricCounter, f));
  const d = (f: (x: any) => void) => lint('LogMetric', mut(fx.logMetricDistribution, f));
  test('<= 10 labels, every label has an extractor', () => {
    expect(
      hits(
        c((x) => {
          x.metricDescriptor.labels = Array.from({ length: 11 }, (_, i) => ({ key: `l${i}` }));
          x.labelExtractors = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`l${i}`, 'EXTRACT(jsonPayload.x)']));
        }),
        'logmetric/labels',
      ),
    ).toEqual(['$.metricDescriptor.labels']);
    expect(
      hits(
        c((x) => (x.labelExtractors = {})),
        'logmetric/label-extractor',
      ),
    ).toEqual(['$.metricDescriptor.labels[0].key']);
  });
  test('exactly one capture group per REGEXP_EXTRACT', () => {
    expect(
      hits(
        c((x) => (x.labelExtractors.reason = 'REGEXP_EXTRACT(jsonPayload.message, "(a)(b)")')),
        'logmetric/regexp-capture-groups',
      ),
    ).toEqual(['$.labelExtractors.reason']);
    expect(
      hits(
        c((x) => (x.labelExtractors.reason = 'REGEXP_EXTRACT(jsonPayload.message, "a.b")')),
        'logmetric/regexp-capture-groups',
      ),
    ).toEqual(['$.labelExtractors.reason']);
    expect(
      hits(
        c((x) => (x.labelExtractors.reason = 'REGEXP_EXTRACT(jsonPayload.message, "(?:x|y)([a-z]+)\\\\(lit\\\\)[()]")')),
        'logmetric/regexp-capture-groups',
      ),
    ).toEqual([]);
    expect(
      hits(
        c((x) => (x.labelExtractors.reason = 'SUBSTR(jsonPayload.message)')),
        'logmetric/extractor',
      ),
    ).toEqual(['$.labelExtractors.reason']);
  });
  test('DELTA + INT64 or DELTA + DISTRIBUTION only', () => {
    expect(
      hits(
        c((x) => (x.metricDescriptor.metricKind = 'GAUGE')),
        'logmetric/kind',
      ),
    ).toEqual(['$.metricDescriptor.metricKind']);
    expect(
      hits(
        c((x) => (x.metricDescriptor.valueType = 'DOUBLE')),
        'logmetric/kind',
      ),
    ).toEqual(['$.metricDescriptor.valueType']);
    expect(
      hits(
        c((x) => delete x.metricDescriptor),
        'logmetric/kind',
      ),
    ).toEqual([]);
  });
  test('distribution needs bucket options and a value extractor', () => {
    expect(
      hits(
        d((x) => delete x.bucketOptions),
        'logmetric/distribution',
      ),
    ).toEqual(['$.bucketOptions']);
    expect(
      hits(
        d((x) => delete x.valueExtractor),
        'logmetric/distribution',
      ),
    ).toEqual(['$.valueExtractor']);
    expect(
      hits(
        d((x) => (x.bucketOptions.explicitBuckets.bounds = [1, 1])),
        'logmetric/bucket-options',
      ),
    ).toEqual(['$.bucketOptions.explicitBuckets.bounds[1]']);
  });
  test('name length and charset', () => {
    expect(
      hits(
        c((x) => (x.name = 'a'.repeat(101))),
        'logmetric/name',
      ),
    ).toEqual(['$.name']);
    expect(
      hits(
        c((x) => (x.name = 'login failures')),
        'logmetric/name',
      ),
    ).toEqual(['$.name']);
    expect(
      hits(
        c((x) => (x.name = '/login')),
        'logmetric/name',
      ),
    ).toEqual(['$.name']);
    expect(
      hits(
        c((x) => (x.name = "a-b_c.d,e+f!g*h'i(j)k%l/m")),
        'logmetric/name',
      ),
    ).toEqual([]);
  });
});

describe('dashboard rules', () => {
  const dash = (f: (x: any) => void) => lint('Dashboard', mut(fx.dashboard, f));
  test('mosaic tiles inside 1..48 columns, no overlaps, width/height >= 1', () => {
    expect(
      hits(
        dash((x) => (x.mosaicLayout.columns = 49)),
        'dashboard/mosaic-columns',
      ),
    ).toEqual(['$.mosaicLayout.columns']);
    expect(
      hits(
        dash((x) => (x.mosaicLayout.tiles[2].xPos = 30)),
        'dashboard/mosaic-tile',
      ),
    ).toEqual(['$.mosaicLayout.tiles[2]']);
    expect(
      hits(
        dash((x) => (x.mosaicLayout.tiles[2].xPos = 20)),
        'dashboard/mosaic-overlap',
      ),
    ).toEqual(['$.mosaicLayout.tiles[2]']);
    expect(
      hits(
        dash((x) => delete x.mosaicLayout.tiles[2].height),
        'dashboard/mosaic-tile',
      ),
    ).toEqual(['$.mosaicLayout.tiles[2].height']);
  });
  test('perpetual diffs: zero/false/empty values, xPos 0, non-canonical durations (errors in synth, warnings in API files)', () => {
    const f = dash((x) => {
      x.mosaicLayout.tiles[1].xPos = 0;
      x.mosaicLayout.tiles[1].widget.xyChart.dataSets[0].timeSeriesQuery.timeSeriesFilter.aggregation.alignmentPeriod = '60.0s';
      x.mosaicLayout.tiles[1].widget.xyChart.yAxis.label = '';
      x.mosaicLayout.tiles[1].widget.xyChart.thresholds = [];
      x.mosaicLayout.tiles[0].widget.text.content = '';
    });
    const diff = f.filter((x) => x.rule === 'dashboard/perpetual-diff');
    expect(diff.every((x) => x.severity === 'warning')).toBe(true);
    expect(diff.map((x) => x.path).sort()).toEqual(
      [
        '$.mosaicLayout.tiles[0].widget.text.content',
        '$.mosaicLayout.tiles[1].xPos',
        '$.mosaicLayout.tiles[1].widget.xyChart.dataSets[0].timeSeriesQuery.timeSeriesFilter.aggregation.alignmentPeriod',
        '$.mosaicLayout.tiles[1].widget.xyChart.yAxis.label',
        '$.mosaicLayout.tiles[1].widget.xyChart.thresholds',
      ].sort(),
    );
    const synth = {
      resource: { google_monitoring_dashboard: { d: { dashboard_json: JSON.stringify(mut(fx.dashboard, (x) => (x.mosaicLayout.tiles[1].xPos = 0))) } } },
    };
    expect(lintSynth(synth).map((x) => [x.severity, x.path, x.rule])).toEqual([
      ['error', '$.resource.google_monitoring_dashboard.d.dashboard_json.mosaicLayout.tiles[1].xPos', 'dashboard/perpetual-diff'],
    ]);
  });
});

describe('synth-level rules', () => {
  test('log-based metric kinds come from the same synth; literal secrets are reported', () => {
    const synth: any = JSON.parse(readFileSync(join(__dirname, '../schema/sample.cdk.tf.json'), 'utf8'));
    synth.resource.google_monitoring_alert_policy.login_failures.conditions[0].condition_threshold.aggregations[0].per_series_aligner = 'ALIGN_PERCENTILE_99';
    synth.resource.google_monitoring_notification_channel.slack.sensitive_labels.auth_token = 'xoxb-literal';
    const f = lintSynth(synth, { sourceName: 'sample' });
    expect(errs(f).map((x) => [x.resource, x.path, x.rule])).toEqual([
      [
        'google_monitoring_alert_policy.login_failures',
        '$.resource.google_monitoring_alert_policy.login_failures.conditions[0].conditionThreshold.aggregations[0].perSeriesAligner',
        'aggregation/aligner-kind',
      ],
      [
        'google_monitoring_notification_channel.slack',
        '$.resource.google_monitoring_notification_channel.slack.sensitive_labels.auth_token',
        'channel/literal-secret',
      ],
    ]);
  });
});

describe('SLO selector conditions', () => {
  const slo = 'projects/vividly-prod/services/vividly-api/serviceLevelObjectives/availability';
  const burn = (filter: string, withAggregations = false) =>
    mut(fx.alertPolicy, (p) => {
      p.conditions[0].conditionThreshold.filter = filter;
      if (!withAggregations) delete p.conditions[0].conditionThreshold.aggregations;
    });

  test('a burn-rate selector needs no metric.type or resource.type', () => {
    expect(errs(lint('AlertPolicy', burn(`select_slo_burn_rate("${slo}", "3600s")`)))).toEqual([]);
    expect(errs(lint('AlertPolicy', burn('select_slo_burn_rate("${google_monitoring_slo.slo_availability.name}", "3600s")')))).toEqual([]);
  });

  test('a malformed selector, a missing lookback or a bad SLO name is reported', () => {
    expect(hits(lint('AlertPolicy', burn(`select_slo_burn_rate("${slo}")`)), 'filter/slo-selector')).toEqual([`${TH}.filter`]);
    expect(hits(lint('AlertPolicy', burn(`select_slo_burn_rate("${slo}", "1 hour")`)), 'filter/slo-selector')).toEqual([`${TH}.filter`]);
    expect(hits(lint('AlertPolicy', burn('select_slo_burn_rate("projects/p/slos/x", "60m")')), 'filter/slo-selector')).toEqual([`${TH}.filter`]);
    expect(hits(lint('AlertPolicy', burn(`select_slo_burnrate("${slo}", "60m")`)), 'filter/slo-selector')).toEqual([`${TH}.filter`]);
  });

  test('aggregations on an SLO condition are an error (the API ignores them)', () => {
    expect(hits(lint('AlertPolicy', burn(`select_slo_burn_rate("${slo}", "3600s")`, true)), 'alert/slo-aggregations')).toEqual([`${TH}.aggregations`]);
  });
});

describe('label keys a filter or group-by names', () => {
  const withFilter = (filter: string, groupBy = ['resource.label.service_name']) =>
    mut(fx.alertPolicy, (p) => {
      p.conditions[0].conditionThreshold.filter = filter;
      p.conditions[0].conditionThreshold.aggregations[0].groupByFields = groupBy;
    });
  const base = 'metric.type="run.googleapis.com/request_latencies" AND resource.type="cloud_run_revision"';

  test('a typo in a metric or resource label is reported (the condition would silently match nothing)', () => {
    expect(hits(lint('AlertPolicy', withFilter(`${base} AND metric.labels.response_cod="500"`)), 'filter/unknown-label')).toEqual([`${TH}.filter`]);
    expect(hits(lint('AlertPolicy', withFilter(`${base} AND resource.labels.servce_name="api"`)), 'filter/unknown-label')).toEqual([`${TH}.filter`]);
    expect(hits(lint('AlertPolicy', withFilter(base, ['metric.label.nonexistent'])), 'filter/unknown-label')).toEqual([TH]);
  });

  test('real label keys, label values that look like keys, and unknown metrics pass', () => {
    expect(
      hits(
        lint(
          'AlertPolicy',
          withFilter(`${base} AND metric.labels.response_code_class="5xx" AND resource.labels.service_name="metric.labels.x"`, ['metric.label.response_code']),
        ),
        'filter/unknown-label',
      ),
    ).toEqual([]);
    expect(
      hits(
        lint('AlertPolicy', withFilter('metric.type="example.com/unknown" AND resource.type="global" AND metric.labels.anything="x"', [])),
        'filter/unknown-label',
      ),
    ).toEqual([]);
  });

  test("a synth's log-based metric labels (and the default log label) are known", () => {
    const synth = {
      resource: {
        google_logging_metric: {
          m: {
            name: 'vividly/x',
            filter: 'severity>=ERROR',
            metric_descriptor: { metric_kind: 'DELTA', value_type: 'INT64', labels: [{ key: 'route', value_type: 'STRING' }] },
            label_extractors: { route: 'EXTRACT(httpRequest.requestUrl)' },
          },
        },
        google_monitoring_alert_policy: {
          a: {
            display_name: 'x',
            combiner: 'OR',
            conditions: [
              {
                display_name: 'c',
                condition_threshold: {
                  filter: 'metric.type="logging.googleapis.com/user/vividly/x" AND resource.type="cloud_run_revision" AND metric.labels.rout="/a"',
                  aggregations: [
                    { alignment_period: '60s', per_series_aligner: 'ALIGN_DELTA', cross_series_reducer: 'REDUCE_SUM', group_by_fields: ['metric.label.log'] },
                  ],
                  comparison: 'COMPARISON_GT',
                  threshold_value: 1,
                  duration: '0s',
                },
              },
            ],
          },
        },
      },
    };
    const found = lintSynth(synth).filter((f) => f.rule === 'filter/unknown-label');
    expect(found.map((f) => f.message)).toEqual([
      expect.stringContaining('metric.label.rout (in filter) is not a label of logging.googleapis.com/user/vividly/x: one of log, route'),
    ]);
  });
});

describe('alert/ratio-labels (gcp-facts §1.4: numerator and denominator produce series with the same labels)', () => {
  const REQ = 'metric.type="run.googleapis.com/request_count" AND resource.type="cloud_run_revision"';
  const agg = (groupByFields?: string[], reducer = true) => [
    {
      alignmentPeriod: '60s',
      perSeriesAligner: 'ALIGN_RATE',
      ...(reducer ? { crossSeriesReducer: 'REDUCE_SUM' } : {}),
      ...(groupByFields ? { groupByFields } : {}),
    },
  ];
  const ratio = (num: unknown[], den: unknown[]) =>
    mut(fx.alertPolicy, (p) => {
      const t = p.conditions[0].conditionThreshold;
      t.filter = `${REQ} AND metric.labels.response_code_class="5xx"`;
      t.aggregations = num;
      t.denominatorFilter = REQ;
      t.denominatorAggregations = den;
    });
  test('different group-by sets are an error', () => {
    const f = lint('AlertPolicy', ratio(agg(['resource.label.service_name', 'metric.label.response_code_class']), agg(['resource.label.service_name'])));
    expect(hits(f, 'alert/ratio-labels')).toEqual([`${TH}.denominatorAggregations`]);
    expect(f.find((x) => x.rule === 'alert/ratio-labels')!.severity).toBe('error');
  });
  test('a reducer on one side only is an error', () => {
    expect(hits(lint('AlertPolicy', ratio(agg(['resource.label.service_name']), agg(undefined, false))), 'alert/ratio-labels')).toEqual([
      `${TH}.denominatorAggregations`,
    ]);
  });
  test('the same set (order, label/labels and a quoted key aside) is clean', () => {
    expect(
      errs(
        lint(
          'AlertPolicy',
          ratio(agg(['resource.label.service_name', 'resource.label.location']), agg(['resource.labels.location', 'resource.label."service_name"'])),
        ),
      ),
    ).toEqual([]);
    expect(errs(lint('AlertPolicy', ratio(agg(), agg())))).toEqual([]);
  });
  test('dashboard timeSeriesFilterRatio: same rule', () => {
    const part = (groupByFields: string[]) => ({
      filter: REQ,
      aggregation: { alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_RATE', crossSeriesReducer: 'REDUCE_SUM', groupByFields },
    });
    const dash = (den: string[]) =>
      mut(fx.dashboard, (x) => {
        const q = x.mosaicLayout.tiles[1].widget.xyChart.dataSets[0].timeSeriesQuery;
        delete q.timeSeriesFilter;
        q.timeSeriesFilterRatio = { numerator: part(['resource.label.service_name', 'metric.label.response_code_class']), denominator: part(den) };
      });
    const bad = lint('Dashboard', dash(['resource.label.service_name']));
    expect(hits(bad, 'alert/ratio-labels')).toEqual([
      '$.mosaicLayout.tiles[1].widget.xyChart.dataSets[0].timeSeriesQuery.timeSeriesFilterRatio.denominator.aggregation',
    ]);
    expect(hits(lint('Dashboard', dash(['metric.label.response_code_class', 'resource.label.service_name'])), 'alert/ratio-labels')).toEqual([]);
  });
});

describe('alert/slo-lookback (gcp-facts §10: burn-rate alerts look back at most 24 h)', () => {
  const slo = 'projects/vividly-prod/services/vividly-api/serviceLevelObjectives/availability';
  const policy = (lookback: string) =>
    mut(fx.alertPolicy, (p) => {
      p.conditions[0].conditionThreshold.filter = `select_slo_burn_rate("${slo}", "${lookback}")`;
      delete p.conditions[0].conditionThreshold.aggregations;
    });
  const chart = (lookback: string) =>
    mut(fx.dashboard, (d) => {
      const tsf = d.mosaicLayout.tiles[1].widget.xyChart.dataSets[0].timeSeriesQuery.timeSeriesFilter;
      tsf.filter = `select_slo_burn_rate("${slo}", "${lookback}")`;
      delete tsf.aggregation;
    });

  test.each(['259200s', '4320m', '25h', '86401s'])('a policy looking back %s is an error', (lookback) => {
    const f = lint('AlertPolicy', policy(lookback));
    expect(hits(errs(f), 'alert/slo-lookback')).toEqual([`${TH}.filter`]);
    expect(f.find((x) => x.rule === 'alert/slo-lookback')!.message).toContain('gcp-facts §10');
  });

  test.each(['86400s', '1440m', '24h', '7200s', '3600s'])('a policy looking back %s (24 h or less) is clean', (lookback) => {
    expect(errs(lint('AlertPolicy', policy(lookback)))).toEqual([]);
  });

  test('a chart looking back 3 d gets a warning (no alert can use it), 24 h nothing', () => {
    const f = lint('Dashboard', chart('259200s'));
    expect(errs(f)).toEqual([]);
    expect(f.map((x) => x.rule)).toEqual(['dashboard/slo-lookback']);
    expect(lint('Dashboard', chart('86400s')).filter((x) => x.rule === 'dashboard/slo-lookback')).toEqual([]);
  });
});

describe('uptime/cloud-run-server-labels (gcp-facts §10, terraform-provider-google#19733)', () => {
  const synth = () => JSON.parse(readFileSync(join(process.env.SYNTH_DIR!, 'stacks', 'prod', 'cdk.tf.json'), 'utf8'));
  const worker = (s: any) => s.resource.google_monitoring_uptime_check_config.uptime_push_worker_health;
  const rule = (s: unknown) =>
    lintSynth(s)
      .filter((f) => f.rule === 'uptime/cloud-run-server-labels')
      .map((f) => [f.severity, f.path]);
  const base = '$.resource.google_monitoring_uptime_check_config.uptime_push_worker_health';

  test('the real stack leaves the labels out and ignores them: clean', () => {
    expect(worker(synth()).lifecycle.ignore_changes).toEqual([
      'monitored_resource[0].labels["configuration_name"]',
      'monitored_resource[0].labels["revision_name"]',
    ]);
    expect(rule(synth())).toEqual([]);
  });

  test('without the ignore (the permadiff that replaces the check on every apply): one error per label', () => {
    const s = synth();
    delete worker(s).lifecycle;
    expect(rule(s)).toEqual([
      ['error', `${base}.lifecycle.ignore_changes`],
      ['error', `${base}.lifecycle.ignore_changes`],
    ]);
  });

  test('the labels written as "" (404 at create) are an error even with the ignore; ignoring all labels is accepted', () => {
    const s = synth();
    worker(s).monitored_resource.labels.revision_name = '';
    expect(rule(s)).toEqual([['error', `${base}.monitored_resource.labels.revision_name`]]);
    const t = synth();
    worker(t).lifecycle.ignore_changes = ['monitored_resource[0].labels'];
    expect(rule(t)).toEqual([]);
  });

  test('uptime_url checks are not concerned', () => {
    const s = synth();
    expect(s.resource.google_monitoring_uptime_check_config.uptime_api_health.lifecycle).toBeUndefined();
    expect(lintSynth(s).filter((f) => f.resource === 'google_monitoring_uptime_check_config.uptime_api_health')).toEqual([]);
  });
});

describe('quota rules (issue 15): each fires above its documented count and not at it', () => {
  const synthWith = (tfType: string, n: number, body: object = {}) => ({
    resource: { [tfType]: Object.fromEntries(Array.from({ length: n }, (_, i) => [`r${i}`, body])) },
  });

  test.each(PROJECT_QUOTAS.map((q) => [q.rule, q] as const))('%s', (_rule, q) => {
    // Counting needs no valid bodies: the quota findings are the ones under test.
    const quotaFindings = (fs: Finding[]) => fs.filter((f) => f.rule.startsWith('quota/'));
    const at = quotaFindings(lintSynth(synthWith(q.tfType, q.max)));
    const over = quotaFindings(lintSynth(synthWith(q.tfType, q.max + 1), { sourceName: 'x.json' }));
    expect(at).toEqual([]);
    expect(over).toHaveLength(1);
    expect(over[0]).toMatchObject({ rule: q.rule, severity: q.severity, path: `$.resource.${q.tfType}`, source: 'x.json' });
    expect(over[0].message).toContain(`${q.max + 1} `);
    expect(over[0].message).toMatch(/gcp-facts|cloud\.google\.com/);
  });

  test('lintSynth runs the project quotas', () => {
    const synth = synthWith('google_logging_project_exclusion', 51, { name: 'x', filter: 'severity<INFO' });
    expect(
      lintSynth(synth)
        .filter((f) => f.rule.startsWith('quota/'))
        .map((f) => [f.rule, f.severity]),
    ).toEqual([['quota/exclusions-per-sink', 'error']]);
  });

  test('quota/channels-per-policy: 17 channels warn, 16 do not', () => {
    const withChannels = (n: number) =>
      mut(fx.alertPolicy, (p) => (p.notificationChannels = Array.from({ length: n }, (_, i) => `projects/p/notificationChannels/${i}`)));
    expect(hits(lint('AlertPolicy', withChannels(16)), 'quota/channels-per-policy')).toEqual([]);
    const f = lint('AlertPolicy', withChannels(17)).filter((x) => x.rule === 'quota/channels-per-policy');
    expect(f.map((x) => [x.severity, x.path])).toEqual([['warning', '$.notificationChannels']]);
  });

  test('quota/widgets-per-dashboard: 26 widgets warn, 25 do not (mosaic tiles and nested grid widgets alike)', () => {
    const tile = (i: number) => ({ yPos: i * 2, width: 6, height: 2, widget: { title: `t${i}`, text: { content: 'x' } } });
    const mosaic = (n: number) => ({ displayName: 'd', mosaicLayout: { columns: 12, tiles: Array.from({ length: n }, (_, i) => tile(i)) } });
    expect(hits(lint('Dashboard', mosaic(25)), 'quota/widgets-per-dashboard')).toEqual([]);
    expect(hits(lint('Dashboard', mosaic(26)), 'quota/widgets-per-dashboard')).toEqual(['$']);
    const grid = (n: number) => ({
      displayName: 'd',
      gridLayout: { widgets: Array.from({ length: n }, (_, i) => ({ title: `t${i}`, text: { content: 'x' } })) },
    });
    expect(hits(lint('Dashboard', grid(26)), 'quota/widgets-per-dashboard')).toEqual(['$']);
    expect(hits(lint('Dashboard', grid(25)), 'quota/widgets-per-dashboard')).toEqual([]);
  });
});
