/** loadLogMetrics reads google_logging_metric resources from CDKTF JSON, nested blocks as object or [object]. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLogMetrics, SynthFormatError } from '../../gcp/logging-query';

const sample = JSON.parse(readFileSync(join(__dirname, 'fixtures/synth/stacks/staging/cdk.tf.json'), 'utf8'));

describe('loadLogMetrics', () => {
  const metrics = loadLogMetrics(sample);
  const byName = (n: string) => metrics.find((m) => m.name === n)!;

  it('returns every google_logging_metric in document order, with its Terraform id', () => {
    expect(metrics.map((m) => [m.resourceId, m.name])).toEqual([
      ['auth_lockouts', 'vividly/auth_lockouts'],
      ['api_responses', 'vividly/api_responses'],
      ['db_pool_exhausted', 'vividly/db_pool_exhausted'],
      ['content_generation_failed', 'vividly/content_generation_failed'],
      ['metric_write_failures', 'vividly/metric_write_failures'],
      ['login_failures', 'vividly/login_failures'],
      ['login_requests', 'vividly/login_requests'],
      ['retired', 'vividly/retired'],
    ]);
  });

  it('accepts metric_descriptor as an object or as an array of one object; value_type defaults to STRING', () => {
    expect(byName('vividly/auth_lockouts')).toMatchObject({ metricKind: 'DELTA', valueType: 'INT64' }); // [{…}]
    expect(byName('vividly/api_responses')).toMatchObject({
      valueType: 'DISTRIBUTION',
      valueExtractor: 'EXTRACT(jsonPayload.duration_seconds)',
      labels: [
        { key: 'status_code', valueType: 'INT64', description: 'HTTP status' },
        { key: 'method', valueType: 'STRING', description: 'HTTP method' },
      ],
    });
    expect(byName('vividly/content_generation_failed').labels).toBeUndefined();
    expect(byName('vividly/retired').disabled).toBe(true);
  });

  it('returns [] for a stack without log-based metrics', () => {
    expect(loadLogMetrics({})).toEqual([]);
    expect(loadLogMetrics({ resource: { google_monitoring_alert_policy: {} } })).toEqual([]);
  });

  it.each([
    [{ resource: { google_logging_metric: { m: { name: 'x' } } } }, /google_logging_metric\.m\.filter: missing/],
    [{ resource: { google_logging_metric: { m: { name: 'x', filter: 'logName="${var.log}"' } } } }, /Terraform interpolation/],
    [{ resource: { google_logging_metric: { m: { name: 'x', filter: '', metric_descriptor: [{}, {}] } } } }, /expected one block, found an array of 2/],
    [
      { resource: { google_logging_metric: { m: { name: 'x', filter: '', metric_descriptor: { labels: [{ key: 'k', value_type: 'DOUBLE' }] } } } } },
      /labels\[0\]\.value_type: "DOUBLE"/,
    ],
  ])('rejects malformed input with the failing path (%#)', (doc, message) => {
    expect(() => loadLogMetrics(doc)).toThrow(SynthFormatError);
    expect(() => loadLogMetrics(doc)).toThrow(message);
  });
});
