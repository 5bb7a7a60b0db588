/**
 * What must NOT count: anchoring (422 warnings echoing user input), other services and other environments,
 * worker lines for API metrics and vice versa, and `Database health check failed` (fires on every call, §4).
 */
import {
  allCases,
  appJsonCases,
  appTextCases,
  contributions,
  crossServiceCases,
  ENVS,
  expectCases,
  fixtureEntries,
  printCases,
  requestLogCases,
  workerCases,
} from './support';
import { appJsonEntry, appTextEntry, runAppHost, workerEntry } from '../support/log-entries';

const LOCKOUT_INPUT = 'Account locked due to 5 failed attempts: ';

describe.each(ENVS)('%s: negative cases', (env) => {
  it('a 422 validation WARNING quoting "Account locked due to 5 failed attempts: " is not a lockout (JSON and text)', () => {
    const message = `Validation error on http://${runAppHost(env)}/api/v1/auth/login: [{'type': 'string_too_short', 'loc': ('body', 'password'), 'msg': 'String should have at least 8 characters', 'input': '${LOCKOUT_INPUT}eve@example.org from 10.0.0.1', 'ctx': {'min_length': 8}}]`;
    const json = appJsonEntry(env, message, { severity: 'WARNING', requestId: 'f893c921-1960-4b17-9ad0-499ecc9cfd76' });
    const text = appTextEntry(env, message, { level: 'WARNING', requestId: 'f893c921-1960-4b17-9ad0-499ecc9cfd76' });
    expect(json.jsonPayload!.message).toContain(LOCKOUT_INPUT);
    expect(text.textPayload).toContain(LOCKOUT_INPUT);
    expect(contributions(env, json)).toEqual({});
    expect(contributions(env, text)).toEqual({});
  });

  it('the same lockout on the frontend service or the push worker counts nowhere', () => {
    for (const service of [`${env}-vividly-frontend`, `${env}-vividly-push-worker`]) {
      expect(contributions(env, appJsonEntry(env, `${LOCKOUT_INPUT}x@example.org from 169.254.1.1`, { severity: 'WARNING', service }))).toEqual({});
      expect(contributions(env, appTextEntry(env, `${LOCKOUT_INPUT}x@example.org from 169.254.1.1`, { level: 'WARNING', service }))).toEqual({});
    }
    // ... while on the API it does (the negative above is not vacuous).
    expect(Object.keys(contributions(env, appTextEntry(env, `${LOCKOUT_INPUT}x@example.org from 169.254.1.1`, { level: 'WARNING' })))).toEqual([
      'account_lockouts',
    ]);
  });

  it('cross-service cases (worker lines on the API, API lines on the worker and the frontend) count nowhere', () => {
    expectCases(env, crossServiceCases(env));
  });

  it("another environment's entries count nowhere", () => {
    for (const other of ENVS.filter((e) => e !== env)) {
      const matched = allCases(other)
        .filter((c) => Object.keys(contributions(env, c.entry)).length > 0)
        .map((c) => c.id);
      expect(matched).toEqual([]);
    }
  });

  it('API metrics never count worker lines, worker metrics never count API lines', () => {
    const api = [...appTextCases(env), ...appJsonCases(env), ...printCases(env), ...requestLogCases(env)];
    for (const c of api) for (const m of Object.keys(contributions(env, c.entry))) expect(m).not.toMatch(/^content_generation_/);
    for (const c of workerCases(env)) for (const m of Object.keys(contributions(env, c.entry))) expect(m).toMatch(/^content_generation_/);
  });

  it('`Database health check failed` is never counted, whatever its error text', () => {
    const errors = [
      "Textual SQL expression 'SELECT 1' should be explicitly declared as text('SELECT 1')",
      '(psycopg2.OperationalError) FATAL:  remaining connection slots are reserved for non-replication superuser connections',
      '(psycopg2.OperationalError) FATAL:  sorry, too many clients already',
      'QueuePool limit of size 10 overflow 20 reached, connection timed out, timeout 30.00',
    ];
    for (const err of errors) {
      const msg = `Database health check failed: ${err}`;
      expect(contributions(env, appJsonEntry(env, msg, { severity: 'ERROR', logger: 'app.api.v1.endpoints.health' }))).toEqual({});
      expect(contributions(env, appTextEntry(env, msg, { level: 'ERROR', logger: 'app.api.v1.endpoints.health' }))).toEqual({});
      expect(contributions(env, workerEntry(env, msg, 'ERROR'))).toEqual({});
    }
  });

  it("the fixture's health-check line (59) counts nowhere", () => {
    const line59 = fixtureEntries()[58];
    expect(String(line59.jsonPayload!.message)).toMatch(/^Database health check failed: /);
    expect(contributions(env, line59)).toEqual({});
  });
});
