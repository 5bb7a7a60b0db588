/**
 * Label hygiene (vividly-app.md §2.7, gcp-facts §3.4): no log-based metric of any environment may carry an e-mail,
 * a user id, a request id or a raw path with ids. Checked twice: statically on the deployed descriptors and extractors,
 * and dynamically over every entry the signal tests build (many carry e-mails, UUIDs and ids in messages and paths).
 */
import { allCases, contributions, deployedMetrics, ENVS, fixtureEntries, UUID_RE } from './support';

/** The only label keys allowed, each bounded by construction. */
const ALLOWED_LABELS: Record<string, string> = {
  route: 'one of six fixed routes',
  status: 'HTTP status',
  client_ip: 'real client IP (request log)',
  reason: 'three fixed phrases',
  source: 'two fixed phrases',
  stage: 'two fixed set_error stages',
};

/** The fields extractors may read. */
const ALLOWED_FIELDS = new Set(['textPayload', 'httpRequest.requestUrl', 'httpRequest.status', 'httpRequest.remoteIp', 'httpRequest.latency']);

/** The text of the first capturing group of a regex (RE2 syntax, no escapes used by the catalog). */
function captureGroup(re: string): string {
  for (let i = 0; i < re.length; i++) {
    if (re[i] === '\\') {
      i++;
      continue;
    }
    if (re[i] === '(' && re[i + 1] !== '?') {
      let depth = 0;
      for (let j = i; j < re.length; j++) {
        if (re[j] === '\\') {
          j++;
          continue;
        }
        if (re[j] === '(') depth++;
        if (re[j] === ')' && --depth === 0) return re.slice(i + 1, j);
      }
    }
  }
  throw new Error(`no capture group in ${re}`);
}

describe.each(ENVS)('%s: label hygiene', (env) => {
  const metrics = [...deployedMetrics(env).values()];

  it('label keys are in the allow-list', () => {
    const keys = metrics.flatMap((m) => m.labels.map((l) => l.key));
    expect(keys.sort()).toEqual(['client_ip', 'reason', 'route', 'source', 'stage', 'status', 'status']);
    for (const k of keys) expect(Object.keys(ALLOWED_LABELS)).toContain(k);
  });

  it('extractors read only allowed fields; a REGEXP_EXTRACT label captures only fixed alternatives', () => {
    for (const m of metrics) {
      const extractors = { ...(m.metric.labelExtractors ?? {}), ...(m.metric.valueExtractor ? { __value: m.metric.valueExtractor } : {}) };
      for (const [key, text] of Object.entries(extractors)) {
        const parsed = /^(EXTRACT|REGEXP_EXTRACT)\(\s*([A-Za-z_.]+)\s*(?:,\s*"(.*)"\s*)?\)$/.exec(text);
        expect(parsed).not.toBeNull();
        const [, fn, field, re] = parsed!;
        expect(ALLOWED_FIELDS).toContain(field);
        if (key === '__value') continue;
        if (fn === 'EXTRACT') {
          // Whole fields only for the status code and the client IP.
          expect(['httpRequest.status', 'httpRequest.remoteIp']).toContain(field);
          continue;
        }
        // A label capture made of literal alternatives only: no wildcard or class that could take an id or an e-mail.
        const group = captureGroup(re);
        expect({ metric: m.metric.name, key, group }).toEqual({ metric: m.metric.name, key, group: expect.stringMatching(/^[A-Za-z0-9_/ |:?()-]+$/) });
        expect(group).not.toMatch(/[.*+[\]\\{}]/);
      }
    }
  });

  it('over every built entry and the fixture, no extracted label value contains "@" or a UUID', () => {
    const entries = [...ENVS.flatMap((e) => allCases(e).map((c) => c.entry)), ...fixtureEntries()];
    // The corpus really does carry e-mails and UUIDs (otherwise this would prove nothing).
    const raw = entries.map((e) => JSON.stringify(e));
    expect(raw.filter((s) => s.includes('@')).length).toBeGreaterThan(20);
    expect(raw.filter((s) => UUID_RE.test(s)).length).toBeGreaterThan(20);

    let labelled = 0;
    const values = new Map<string, Set<string>>();
    for (const entry of entries) {
      for (const c of Object.values(contributions(env, entry))) {
        for (const [k, v] of Object.entries(c.labels ?? {})) {
          labelled++;
          const s = String(v);
          expect(s).not.toContain('@');
          expect(s).not.toMatch(UUID_RE);
          expect(s).not.toMatch(/user_[A-Za-z0-9]{8,}|session_|req_[0-9a-f]/);
          if (!values.has(k)) values.set(k, new Set());
          values.get(k)!.add(s);
        }
      }
    }
    expect(labelled).toBeGreaterThan(50);
    // And the bounded labels take only their bounded values.
    expect([...values.get('route')!].sort()).toEqual([
      '/api/v1/auth/login',
      '/api/v1/auth/logout',
      '/api/v1/auth/logout-all',
      '/api/v1/auth/refresh',
      '/api/v1/auth/register',
      '/api/v1/content/generate',
    ]);
    expect([...values.get('reason')!].sort()).toEqual(['Password verification failed', 'User account not active', 'User not found']);
    expect([...values.get('source')!].sort()).toEqual(['from cache', 'successfully']);
    expect([...values.get('stage')!].sort()).toEqual(['content_generation', 'message_parsing']);
    for (const s of values.get('status')!) expect(s).toMatch(/^[1-5][0-9]{2}$/);
    for (const ip of values.get('client_ip')!) expect(ip).toMatch(/^[0-9.]+$|^[0-9a-f:]+$/);
    expect([...values.get('client_ip')!].some((ip) => ip.startsWith('169.254.'))).toBe(false);
  });
});
