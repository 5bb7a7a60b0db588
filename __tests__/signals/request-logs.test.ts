/**
 * Cloud Run request logs (`run.googleapis.com%2Frequests`, vividly-app.md §2.6, §7): route/status of the six tracked
 * routes, failed logins by the real client IP, and latency without the server-sent-events endpoint, which is mounted
 * twice (`/api/v1/notifications/stream` and `/api/v1/internal/v1/notifications/stream`, §4).
 */
import { contributions, ENVS, expectCases, requestLogCases, TRACKED_ROUTES } from './support';
import { appJsonEntry, appTextEntry, requestLogEntry } from '../support/log-entries';

describe.each(ENVS)('%s: request-log metrics', (env) => {
  it('every request-log case contributes exactly what is expected', () => {
    expectCases(env, requestLogCases(env));
  });

  it('tracked_route_requests labels each of the six routes, with and without query strings', () => {
    for (const route of TRACKED_ROUTES) {
      for (const q of ['', '?a=1', '#frag']) {
        const got = contributions(env, requestLogEntry(env, { method: 'POST', path: route + q, status: 200 }));
        expect(got.tracked_route_requests).toEqual({ labels: { route, status: '200' } });
      }
    }
  });

  it.each(['/api/v1/auth/login-history', '/api/v1/content/generate/123', '/api/v1/auth/refresh-token', '/api/v1/content/generated'])(
    'tracked_route_requests does not count %s',
    (path) => {
      expect(contributions(env, requestLogEntry(env, { method: 'POST', path, status: 200 })).tracked_route_requests).toBeUndefined();
    },
  );

  it('auth_rejections_by_client_ip takes httpRequest.remoteIp, never the proxy address of the app lines', () => {
    const got = contributions(env, requestLogEntry(env, { method: 'POST', path: '/api/v1/auth/login', status: 401, remoteIp: '203.0.113.99' }));
    expect(got.auth_rejections_by_client_ip).toEqual({ labels: { client_ip: '203.0.113.99', status: '401' } });
    // The app-side lines of the same failure (with 169.254.x.x) are not request logs: no client_ip series from them.
    for (const e of [
      appJsonEntry(env, 'POST /api/v1/auth/login - 401', {
        fields: { method: 'POST', path: '/api/v1/auth/login', status_code: 401, client_ip: '169.254.1.1' },
      }),
      appTextEntry(env, 'POST /api/v1/auth/login - 401', { logger: 'app.middleware.logging_middleware' }),
    ]) {
      expect(contributions(env, e).auth_rejections_by_client_ip).toBeUndefined();
    }
  });

  it.each([
    ['POST', 200],
    ['POST', 403],
    ['GET', 401],
    ['OPTIONS', 401],
    ['GET', 429],
  ] as const)('auth_rejections_by_client_ip does not count %s /api/v1/auth/login -> %s', (method, status) => {
    expect(contributions(env, requestLogEntry(env, { method, path: '/api/v1/auth/login', status })).auth_rejections_by_client_ip).toBeUndefined();
  });

  it.each(['/api/v1/auth/login', '/api/v1/auth/register', '/api/v1/auth/logout'])(
    'auth_rejections_by_client_ip counts a 429 on POST %s by client IP',
    (path) => {
      const got = contributions(env, requestLogEntry(env, { method: 'POST', path, status: 429, remoteIp: '198.51.100.7' }));
      expect(got.auth_rejections_by_client_ip).toEqual({ labels: { client_ip: '198.51.100.7', status: '429' } });
      // Other routes' 429s and a 401 on register or logout are not per-IP rejections.
      expect(
        contributions(env, requestLogEntry(env, { method: 'POST', path: '/api/v1/auth/refresh', status: 429 })).auth_rejections_by_client_ip,
      ).toBeUndefined();
      expect(
        contributions(env, requestLogEntry(env, { method: 'POST', path: path.replace('login', 'logout'), status: 401 })).auth_rejections_by_client_ip,
      ).toBeUndefined();
    },
  );

  it('api_request_latencies extracts seconds from httpRequest.latency', () => {
    for (const s of [0.001, 0.123456, 2, 2.000001, 29.5, 300]) {
      const e = requestLogEntry(env, { path: '/api/v1/content/recent', latencySeconds: s });
      expect(e.httpRequest!.latency).toBe(`${s.toFixed(6)}s`);
      expect(contributions(env, e).api_request_latencies).toEqual({ value: s });
    }
  });

  it.each([
    '/api/v1/notifications/stream',
    '/api/v1/notifications/stream?token=abc',
    '/api/v1/internal/v1/notifications/stream',
    '/api/v1/internal/v1/notifications/stream?token=abc&last_event_id=7',
  ])('api_request_latencies excludes the streaming endpoint %s', (path) => {
    expect(contributions(env, requestLogEntry(env, { path, latencySeconds: 600 }))).toEqual({});
  });
});
