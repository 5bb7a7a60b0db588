/**
 * Every deployed log-based metric over the real staging fixture (__tests__/fixtures/vividly-api-logentries.jsonl,
 * StructuredFormatter JSON as Cloud Run stores it). Expected line numbers were worked out line by line from the file
 * and the line map in __tests__/fixtures/README.md:
 *
 *   22  ERROR   Failed to write metric custom.googleapis.com/vividly/http_request_duration_seconds: 400 …  -> metric_write_failures
 *   31  WARNING Account locked due to 5 failed attempts: mallory@example.org from 169.254.1.1          -> account_lockouts
 *           (line 30 is the 5th failure's "POST /api/v1/auth/login - 401" request line: not a lockout)
 *   32  WARNING Blocked login attempt for locked account: mallory@example.org from 169.254.1.1         -> locked_login_attempts
 *   33  WARNING Rate limit exceeded: 169.254.1.1 on /api/v1/auth/login                                  -> rate_limit_rejections
 *   38  WARNING Refresh token mismatch for session session_8aZcYd41HbEfGi7J. Possible replay attack.     -> token_refresh_replays
 *   46  ERROR   Database error on http://…/api/v1/content/recent: QueuePool limit of size 10 overflow 20 … -> db_connection_errors
 *
 * Nothing else: the fixture has no print() lines (login_failure_reasons 0), no Cloud Run request logs (the three
 * request-log metrics 0) and no push-worker lines (the four worker metrics 0). Line 43 (422 echoing input), line 59
 * (`Database health check failed`) and lines 52-53 (API-side generation failure) count nowhere.
 */
import { ALL_METRICS, deployedMetrics, ENVS, fixtureEntries } from './support';

const EXPECTED_LINES: Record<string, number[]> = {
  account_lockouts: [31],
  locked_login_attempts: [32],
  rate_limit_rejections: [33],
  token_refresh_replays: [38],
  db_connection_errors: [46],
  metric_write_failures: [22],
  login_failure_reasons: [],
  tracked_route_requests: [],
  auth_rejections_by_client_ip: [],
  api_request_latencies: [],
  content_generation_completed: [],
  content_generation_duration: [],
  content_generation_failures: [],
  content_generation_retries: [],
};

function matchedLines(env: (typeof ENVS)[number]): Record<string, number[]> {
  const entries = fixtureEntries();
  const out: Record<string, number[]> = {};
  for (const [name, metric] of deployedMetrics(env)) {
    out[name] = entries.flatMap((entry, i) => (metric.evaluate(entry).matched ? [i + 1] : []));
  }
  return out;
}

describe('fixture: vividly-api-logentries.jsonl (staging JSON form)', () => {
  const entries = fixtureEntries();

  it('is the 60-line staging API fixture the line map describes', () => {
    expect(entries).toHaveLength(60);
    for (const e of entries) {
      expect(e.resource?.labels?.service_name).toBe('staging-vividly-api');
      expect(e.logName).toBe('projects/vividly-staging/logs/run.googleapis.com%2Fstdout');
      expect(e.jsonPayload).toBeDefined();
      expect(e.textPayload).toBeUndefined();
    }
  });

  it('every environment deploys exactly the fourteen log-based metrics', () => {
    for (const env of ENVS) expect([...deployedMetrics(env).keys()].sort()).toEqual(ALL_METRICS);
  });

  it('each staging metric matches exactly the expected fixture lines', () => {
    expect(matchedLines('staging')).toEqual(EXPECTED_LINES);
  });

  it('the counts per metric', () => {
    const counts = Object.fromEntries(Object.entries(matchedLines('staging')).map(([k, v]) => [k, v.length]));
    expect(counts).toEqual({
      account_lockouts: 1,
      locked_login_attempts: 1,
      rate_limit_rejections: 1,
      token_refresh_replays: 1,
      db_connection_errors: 1,
      metric_write_failures: 1,
      login_failure_reasons: 0,
      tracked_route_requests: 0,
      auth_rejections_by_client_ip: 0,
      api_request_latencies: 0,
      content_generation_completed: 0,
      content_generation_duration: 0,
      content_generation_failures: 0,
      content_generation_retries: 0,
    });
  });

  it('the matched lines are the events the line map names', () => {
    const msg = (line: number) => String(entries[line - 1].jsonPayload!.message);
    expect(msg(22)).toMatch(/^Failed to write metric /);
    expect(msg(31)).toMatch(/^Account locked due to 5 failed attempts: /);
    expect(msg(32)).toMatch(/^Blocked login attempt for locked account: /);
    expect(msg(33)).toMatch(/^Rate limit exceeded: /);
    expect(msg(38)).toMatch(/^Refresh token mismatch for session /);
    expect(msg(46)).toMatch(/^Database error on \S+: QueuePool limit of size 10 overflow 20 reached/);
    // The look-alikes that must not count.
    expect(msg(30)).toBe('POST /api/v1/auth/login - 401');
    expect(msg(43)).toMatch(/^Validation error on /);
    expect(msg(59)).toMatch(/^Database health check failed: /);
  });

  it.each(['dev', 'prod'] as const)("the staging fixture counts nothing in %s (another environment's service)", (env) => {
    expect(Object.values(matchedLines(env)).flat()).toEqual([]);
  });
});
