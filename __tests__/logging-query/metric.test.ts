/**
 * Extractors and whole-metric evaluation. Rules: google.logging.v2.LogMetric proto comments (gcp-facts.md §3.2-3.4):
 * exactly one capture group; field converted to string before the regex; value must convert to double or is dropped;
 * label extraction failure gives "" / 0 / false; label values keep 1,024 characters.
 */
import { compileExtractor, compileLogMetric, evaluateLogMetric, extractLabel, extractValue, FilterSyntaxError, LogMetricError } from '../../gcp/logging-query';
import type { LogMetric } from '../../gcp/logging-query';
import { appJsonEntry, printEntry, requestLogEntry, workerEntry } from '../support/log-entries';

const response = appJsonEntry('staging', 'POST /api/v1/auth/login - 401', {
  logger: 'app.middleware.logging_middleware',
  function: 'dispatch',
  line: 85,
  requestId: 'r1',
  fields: { method: 'POST', path: '/api/v1/auth/login', status_code: 401, duration_seconds: 0.2969903379583662 },
});

describe('compileExtractor', () => {
  it('EXTRACT returns the field as a string (numbers in shortest round-trip form)', () => {
    expect(compileExtractor('EXTRACT(jsonPayload.status_code)').extract(response)).toBe('401');
    expect(compileExtractor('EXTRACT(jsonPayload.duration_seconds)').extract(response)).toBe('0.2969903379583662');
    expect(compileExtractor('EXTRACT(jsonPayload.absent)').extract(response)).toBeUndefined();
  });

  it('REGEXP_EXTRACT returns the capture group of the first match; no match is a failure', () => {
    const e = compileExtractor('REGEXP_EXTRACT(jsonPayload.message, "- (\\d{3})$")');
    expect(e.extract(response)).toBe('401');
    expect(e.extract(appJsonEntry('staging', 'POST /api/v1/auth/login'))).toBeUndefined();
  });

  it('REGEXP_EXTRACT converts a number to a string before applying the regex', () => {
    expect(compileExtractor('REGEXP_EXTRACT(jsonPayload.status_code, "^(\\d)")').extract(response)).toBe('4');
  });

  it('needs exactly one capture group', () => {
    expect(() => compileExtractor('REGEXP_EXTRACT(textPayload, "\\d+")')).toThrow(/has 0 capture groups; REGEXP_EXTRACT needs exactly one/);
    expect(() => compileExtractor('REGEXP_EXTRACT(textPayload, "(a)(b)")')).toThrow(/has 2 capture groups/);
    expect(() => compileExtractor('REGEXP_EXTRACT(textPayload, "(?:a)(b)")')).not.toThrow();
  });

  it('rejects other syntax with the extractor name and position', () => {
    expect(() => compileExtractor('jsonPayload.x')).toThrow(/EXTRACT\(field\) or REGEXP_EXTRACT/);
    expect(() => compileExtractor('EXTRACT(jsonPayload.x) extra')).toThrow(/unexpected text after the extractor/);
    expect(() => compileExtractor('EXTRACT(thud)')).toThrow(/undefined field thud/);
    const err = (() => {
      try {
        compileExtractor('REGEXP_EXTRACT(textPayload, "(?<=x)(y)")', { name: 'metric m label r' });
      } catch (e) {
        return e as FilterSyntaxError;
      }
      throw new Error('no error');
    })();
    expect(err).toBeInstanceOf(FilterSyntaxError);
    expect(err.message).toMatch(/^metric m label r: invalid RE2 .*lookbehind.* column 29/);
  });

  it('httpRequest.latency extracts as "0.285s", which is not a double: REGEXP_EXTRACT the number', () => {
    const entry = requestLogEntry('dev', { latencySeconds: 0.285 });
    expect(extractValue(compileExtractor('EXTRACT(httpRequest.latency)'), entry)).toBeUndefined();
    expect(extractValue(compileExtractor('REGEXP_EXTRACT(httpRequest.latency, "^([0-9.]+)s$")'), entry)).toBe(0.285);
  });
});

describe('extractLabel defaults on failure', () => {
  const missing = compileExtractor('EXTRACT(jsonPayload.absent)');
  it.each([
    ['STRING', ''],
    ['INT64', 0],
    ['BOOL', false],
  ] as const)('%s -> %p', (type, expected) => {
    expect(extractLabel(missing, response, type)).toBe(expected);
  });

  it('converts to the label type, and keeps only 1,024 characters of a STRING', () => {
    expect(extractLabel(compileExtractor('EXTRACT(jsonPayload.status_code)'), response, 'INT64')).toBe(401);
    expect(extractLabel(compileExtractor('EXTRACT(jsonPayload.method)'), response, 'INT64')).toBe(0);
    const long = printEntry('dev', 'x'.repeat(2000));
    expect((extractLabel(compileExtractor('EXTRACT(textPayload)'), long, 'STRING') as string).length).toBe(1024);
  });
});

describe('evaluateLogMetric', () => {
  const latency: LogMetric = {
    name: 'vividly/api_latency',
    filter: 'jsonPayload.status_code>=100',
    labelExtractors: { status: 'EXTRACT(jsonPayload.status_code)', method: 'EXTRACT(jsonPayload.method)' },
    valueExtractor: 'EXTRACT(jsonPayload.duration_seconds)',
    labels: [
      { key: 'status', valueType: 'INT64' },
      { key: 'method', valueType: 'STRING' },
    ],
    valueType: 'DISTRIBUTION',
  };

  it('returns matched, labels and value for a matching entry', () => {
    expect(evaluateLogMetric(latency, response)).toEqual({
      matched: true,
      labels: { status: 401, method: 'POST' },
      value: 0.2969903379583662,
      valueDropped: false,
    });
  });

  it('returns matched:false and no labels for a non-matching entry', () => {
    expect(evaluateLogMetric(latency, appJsonEntry('staging', 'POST /api/v1/auth/login'))).toEqual({
      matched: false,
      labels: {},
      value: undefined,
      valueDropped: false,
    });
  });

  it('drops the value (but reports the match) when it is not a double', () => {
    const bad = appJsonEntry('staging', 'x', { fields: { status_code: 200, duration_seconds: 'fast' } });
    expect(evaluateLogMetric(latency, bad)).toMatchObject({ matched: true, value: undefined, valueDropped: true });
  });

  it('counts text-format worker lines with a REGEXP_EXTRACT value (vividly-app.md §7 recipe)', () => {
    const metric: LogMetric = {
      name: 'vividly/generation_duration',
      filter: 'resource.labels.service_name="dev-vividly-push-worker" AND textPayload=~"Request completed (successfully|from cache): request_id="',
      valueExtractor: 'REGEXP_EXTRACT(textPayload, "duration=([0-9.]+)s")',
      valueType: 'DISTRIBUTION',
    };
    const done = workerEntry('dev', 'Request completed successfully: request_id=72e3e982-01bd-4002-b362-37a4ae2cf301, video_url=gs://b/v.mp4, duration=84.2s');
    expect(evaluateLogMetric(metric, done)).toMatchObject({ matched: true, value: 84.2 });
    expect(evaluateLogMetric(metric, workerEntry('dev', 'Processing message: abc')).matched).toBe(false);
  });

  it('rejects a descriptor label without extractor, an extractor without label, and a DISTRIBUTION without value_extractor', () => {
    expect(() => compileLogMetric({ name: 'm', filter: '', labels: [{ key: 'a', valueType: 'STRING' }] })).toThrow(LogMetricError);
    expect(() => compileLogMetric({ name: 'm', filter: '', labels: [], labelExtractors: { a: 'EXTRACT(textPayload)' } })).toThrow(
      /"a" is not a metric_descriptor label/,
    );
    expect(() => compileLogMetric({ name: 'm', filter: '', valueType: 'DISTRIBUTION' })).toThrow(/needs a value_extractor/);
  });

  it('names the metric and the part in filter errors', () => {
    expect(() => compileLogMetric({ name: 'vividly/x', filter: 'severity>=EROR' })).toThrow(/^log-based metric "vividly\/x" filter: .*severity/);
  });
});
