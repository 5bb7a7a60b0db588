/** Valid hand-written API objects (each one must pass the schema and the lint with no errors). */
export const alertPolicy = {
  displayName: 'API p99 latency',
  combiner: 'OR',
  enabled: true,
  severity: 'WARNING',
  userLabels: { service: 'api', env: 'staging' },
  notificationChannels: ['projects/p/notificationChannels/123'],
  documentation: {
    content: '## Runbook\nCheck the revision.',
    mimeType: 'text/markdown',
    subject: 'p99 high',
    links: [{ displayName: 'Runbook', url: 'https://example.com/rb' }],
  },
  conditions: [
    {
      displayName: 'p99 > 2 s',
      conditionThreshold: {
        filter: 'metric.type="run.googleapis.com/request_latencies" AND resource.type="cloud_run_revision" AND resource.labels.service_name="api"',
        aggregations: [
          {
            alignmentPeriod: '60s',
            perSeriesAligner: 'ALIGN_DELTA',
            crossSeriesReducer: 'REDUCE_PERCENTILE_99',
            groupByFields: ['resource.label.service_name'],
          },
        ],
        comparison: 'COMPARISON_GT',
        thresholdValue: 2000,
        duration: '300s',
        trigger: { count: 1 },
        evaluationMissingData: 'EVALUATION_MISSING_DATA_INACTIVE',
      },
    },
  ],
  alertStrategy: { autoClose: '1800s', notificationPrompts: ['OPENED', 'CLOSED'] },
};

export const uptimeCheck = {
  displayName: 'api /health',
  monitoredResource: { type: 'uptime_url', labels: { project_id: 'p', host: 'api.example.com' } },
  httpCheck: {
    path: '/health',
    port: 443,
    useSsl: true,
    validateSsl: true,
    requestMethod: 'GET',
    acceptedResponseStatusCodes: [{ statusClass: 'STATUS_CLASS_2XX' }],
  },
  period: '300s',
  timeout: '10s',
  contentMatchers: [{ content: '"status":"healthy"', matcher: 'CONTAINS_STRING' }],
  checkerType: 'STATIC_IP_CHECKERS',
  selectedRegions: ['USA', 'EUROPE'],
  userLabels: { service: 'api' },
};

export const notificationChannel = {
  type: 'email',
  displayName: 'On-call',
  description: 'primary on-call',
  labels: { email_address: 'oncall@example.com' },
  userLabels: { team: 'platform' },
  enabled: true,
};

export const logMetricCounter = {
  name: 'vividly/login_failures',
  description: 'Failed logins by reason',
  filter: 'resource.type="cloud_run_revision" AND jsonPayload.message=~"^Login failed"',
  metricDescriptor: { metricKind: 'DELTA', valueType: 'INT64', unit: '1', labels: [{ key: 'reason', valueType: 'STRING', description: 'why' }] },
  labelExtractors: { reason: 'REGEXP_EXTRACT(jsonPayload.message, "reason=(\\\\w+)")' },
};

export const logMetricDistribution = {
  name: 'vividly/db_pool_wait_seconds',
  filter: 'jsonPayload.message=~"^DB pool"',
  metricDescriptor: { metricKind: 'DELTA', valueType: 'DISTRIBUTION', unit: 's' },
  valueExtractor: 'REGEXP_EXTRACT(jsonPayload.message, "waited ([0-9.]+)s")',
  bucketOptions: { explicitBuckets: { bounds: [0.1, 0.5, 1, 5, 30] } },
};

export const metricDescriptor = {
  type: 'custom.googleapis.com/vividly/queue_depth',
  metricKind: 'GAUGE',
  valueType: 'INT64',
  unit: '1',
  description: 'Jobs waiting',
  displayName: 'Queue depth',
  labels: [{ key: 'queue', valueType: 'STRING' }],
  launchStage: 'BETA',
  metadata: { samplePeriod: '60s', ingestDelay: '30s' },
};

export const dashboard = {
  displayName: 'Vividly API',
  labels: { team: 'platform' },
  mosaicLayout: {
    columns: 48,
    tiles: [
      { width: 48, height: 4, widget: { title: 'About', text: { content: '# API', format: 'MARKDOWN' } } },
      {
        yPos: 4,
        width: 24,
        height: 16,
        widget: {
          title: 'Requests',
          xyChart: {
            dataSets: [
              {
                timeSeriesQuery: {
                  timeSeriesFilter: {
                    filter: 'metric.type="run.googleapis.com/request_count" resource.type="cloud_run_revision"',
                    aggregation: {
                      alignmentPeriod: '60s',
                      perSeriesAligner: 'ALIGN_RATE',
                      crossSeriesReducer: 'REDUCE_SUM',
                      groupByFields: ['metric.label.response_code_class'],
                    },
                  },
                },
                plotType: 'STACKED_AREA',
              },
            ],
            yAxis: { label: 'req/s', scale: 'LINEAR' },
          },
        },
      },
      {
        xPos: 24,
        yPos: 4,
        width: 24,
        height: 16,
        widget: {
          title: 'Uptime',
          scorecard: {
            timeSeriesQuery: {
              timeSeriesFilter: {
                filter: 'metric.type="monitoring.googleapis.com/uptime_check/check_passed" resource.type="uptime_url"',
                aggregation: { alignmentPeriod: '300s', perSeriesAligner: 'ALIGN_FRACTION_TRUE', crossSeriesReducer: 'REDUCE_MEAN' },
              },
            },
            thresholds: [{ value: 0.9, direction: 'BELOW', color: 'RED' }],
          },
        },
      },
    ],
  },
};

/** Every valid hand-written resource, by API kind: the schema and the lint must both pass each of them. */
export const VALID_RESOURCES = [
  ['AlertPolicy', alertPolicy],
  ['UptimeCheckConfig', uptimeCheck],
  ['NotificationChannel', notificationChannel],
  ['LogMetric', logMetricCounter],
  ['LogMetric', logMetricDistribution],
  ['MetricDescriptor', metricDescriptor],
  ['Dashboard', dashboard],
] as const;
