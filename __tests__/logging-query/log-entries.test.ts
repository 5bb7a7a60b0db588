/**
 * The shared LogEntry builders (__tests__/support/log-entries.ts) must produce the documented formats exactly,
 * otherwise filter tests written with them prove nothing. Compared with the real fixture where one exists.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appJsonEntry, appTextEntry, printEntry, requestLogEntry, workerEntry } from '../support/log-entries';

const fixture = readFileSync(join(__dirname, '../fixtures/vividly-api-logentries.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));

describe('appJsonEntry', () => {
  // Fixture line 24: "POST /api/v1/auth/login - 401" from the request middleware.
  const real = fixture[23];
  const built = appJsonEntry('staging', 'POST /api/v1/auth/login - 401', {
    timestamp: real.timestamp,
    logger: 'app.middleware.logging_middleware',
    function: 'dispatch',
    line: 85,
    requestId: real.jsonPayload.request_id,
    fields: { method: 'POST', path: '/api/v1/auth/login', status_code: 401, duration_seconds: real.jsonPayload.duration_seconds },
  });

  it('has the same LogEntry keys, logName, resource and severity as the fixture', () => {
    expect(Object.keys(built)).toEqual(Object.keys(real));
    expect(built.logName).toBe(real.logName);
    expect(built.resource).toEqual(real.resource);
    expect(built.severity).toBe('INFO');
    expect(built.timestamp).toBe(real.timestamp);
  });

  it('has the same jsonPayload, key order included', () => {
    expect(JSON.stringify(built.jsonPayload)).toBe(JSON.stringify(real.jsonPayload));
  });

  it('writes Python isoformat timestamps (no fraction when it is zero) and 6-digit LogEntry timestamps', () => {
    const e = appJsonEntry('prod', 'x', { timestamp: '2025-11-12T15:02:30Z' });
    expect(e.jsonPayload!.timestamp).toBe('2025-11-12T15:02:30+00:00');
    expect(e.timestamp).toBe('2025-11-12T15:02:30.000000Z');
    expect(e.jsonPayload!.environment).toBe('production');
    expect(e.logName).toBe('projects/vividly-prod/logs/run.googleapis.com%2Fstdout');
  });
});

describe('appTextEntry', () => {
  it('prints the DevelopmentFormatter line with ANSI colours, context and location, without severity', () => {
    const e = appTextEntry('dev', 'Rate limit exceeded: 169.254.1.1 on /api/v1/auth/login', {
      level: 'WARNING',
      logger: 'app.middleware.security',
      module: 'security',
      function: 'dispatch',
      line: 180,
      timestamp: '2025-11-12T15:00:50.123Z',
    });
    expect(e.textPayload).toBe(
      '\u001b[33m[WARNING]\u001b[0m 2025-11-12 15:00:50 - app.middleware.security - Rate limit exceeded: 169.254.1.1 on /api/v1/auth/login (security:dispatch:180)',
    );
    expect(e.severity).toBeUndefined();
    expect(e.jsonPayload).toBeUndefined();
    expect(e.resource!.labels!.service_name).toBe('dev-vividly-api');
    expect(e.logName).toBe('projects/vividly-dev-rich/logs/run.googleapis.com%2Fstdout');
  });

  it("uses the app's colour per level and the request context order request_id, user_id, correlation_id", () => {
    const colour = (level: 'DEBUG' | 'INFO' | 'ERROR' | 'CRITICAL') => /^\u001b\[(\d+)m/.exec(appTextEntry('dev', 'm', { level }).textPayload!)![1];
    expect([colour('DEBUG'), colour('INFO'), colour('ERROR'), colour('CRITICAL')]).toEqual(['36', '32', '31', '35']);
    const e = appTextEntry('dev', 'POST /api/v1/auth/login - 401', {
      logger: 'app.middleware.logging_middleware',
      function: 'dispatch',
      line: 85,
      requestId: 'r1',
      correlationId: 'r1',
      userId: 'u1',
    });
    expect(e.textPayload).toMatch(/ - POST \/api\/v1\/auth\/login - 401 \[request_id=r1, user_id=u1, correlation_id=r1\] \(logging_middleware:dispatch:85\)$/);
    expect(appTextEntry('dev', 'm', { ansi: false }).textPayload).toMatch(/^\[INFO\] /);
  });
});

describe('printEntry, workerEntry, requestLogEntry', () => {
  it('printEntry: plain text on stdout, no severity', () => {
    const e = printEntry('staging', '[AuthService] User not found for email: x@y');
    expect(e).toMatchObject({
      textPayload: '[AuthService] User not found for email: x@y',
      logName: 'projects/vividly-staging/logs/run.googleapis.com%2Fstdout',
    });
    expect(e.severity).toBeUndefined();
  });

  it('workerEntry: basicConfig format on stderr of the push worker', () => {
    const e = workerEntry('dev', 'Message 123 processed successfully', 'INFO', { timestamp: '2025-11-12T15:00:50.123Z' });
    expect(e.textPayload).toBe('2025-11-12 15:00:50,123 - app.workers.push_worker - INFO - Message 123 processed successfully');
    expect(e.logName).toBe('projects/vividly-dev-rich/logs/run.googleapis.com%2Fstderr');
    expect(e.resource!.labels!.service_name).toBe('dev-vividly-push-worker');
    expect(e.severity).toBeUndefined();
  });

  it('requestLogEntry: httpRequest fields, Duration latency, numeric status, severity by status class', () => {
    const e = requestLogEntry('dev', {
      method: 'POST',
      path: '/api/v1/auth/login',
      status: 401,
      latencySeconds: 0.123456,
      remoteIp: '198.51.100.4',
      userAgent: 'curl/8',
    });
    expect(e.httpRequest).toMatchObject({
      requestMethod: 'POST',
      requestUrl: 'https://dev-vividly-api-rm2v4spyrq-uc.a.run.app/api/v1/auth/login',
      status: 401,
      latency: '0.123456s',
      remoteIp: '198.51.100.4',
      userAgent: 'curl/8',
      protocol: 'HTTP/1.1',
    });
    expect(typeof e.httpRequest!.responseSize).toBe('string'); // int64 in proto3 JSON
    expect(e.logName).toBe('projects/vividly-dev-rich/logs/run.googleapis.com%2Frequests');
    expect([200, 302, 404, 429, 500, 503].map((status) => requestLogEntry('prod', { status }).severity)).toEqual([
      'INFO',
      'INFO',
      'WARNING',
      'WARNING',
      'ERROR',
      'ERROR',
    ]);
  });

  it('gives every entry a distinct insertId', () => {
    const ids = [printEntry('dev', 'a'), printEntry('dev', 'a'), requestLogEntry('dev')].map((e) => e.insertId);
    expect(new Set(ids).size).toBe(3);
  });
});
