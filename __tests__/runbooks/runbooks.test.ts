/**
 * Every runbook renders for every environment and alert, fits Google's documentation limits
 * (8,192 characters AND 10,240 UTF-8 bytes), keeps the five sections and leaves no placeholder behind.
 */
import { resolveAlerts } from '../../catalog/alerts';
import { renderRunbook } from '../../catalog/runbooks';
import { loadEnvironments } from '../../environments';

const MAX_CHARS = 8192;
const MAX_BYTES = 10240;

const SECTIONS = [
  '## 1. What fired and why it matters',
  '## 2. First three checks',
  '## 3. Mitigations',
  '## 4. How to tell a false positive',
  '## 5. Escalation',
];

/** Markdown link destinations as CommonMark reads them: up to the first ")" that closes no "(" (or a space). */
function linkDestinations(markdown: string): string[] {
  const out: string[] = [];
  for (let i = markdown.indexOf('](http'); i >= 0; i = markdown.indexOf('](http', i + 2)) {
    let depth = 0;
    let j = i + 2;
    for (; j < markdown.length && !/\s/.test(markdown[j]); j++) {
      if (markdown[j] === '(') depth++;
      else if (markdown[j] === ')' && depth-- === 0) break;
    }
    out.push(markdown.slice(i + 2, j));
  }
  return out;
}

const cases = loadEnvironments().flatMap((env) => resolveAlerts(env).map((alert) => ({ env, alert, name: `${env.name} / ${alert.spec.id}` })));

describe('runbooks', () => {
  it('covers every environment and alert', () => {
    // Written out, not recomputed with resolveAlerts: an alert or environment dropped from the catalog fails here.
    const ids = [
      'bruteForceAttack',
      'ddosAttempt',
      'serviceDown',
      'highErrorRate',
      'elevatedRateLimiting',
      'performanceDegradation',
      'databaseConnectionIssues',
      'authenticationFailuresSpike',
      'pushWorkerDown',
      ...['availability', 'latency'].flatMap((slo) => ['fast', 'medium', 'slow'].map((w) => `slo_${slo}_${w}_burn`)),
    ];
    const expected = ['dev', 'staging', 'prod'].flatMap((env) => ids.map((id) => `${env} / ${id}`));
    expect(cases.map((c) => c.name).sort()).toEqual(expected.sort());
  });

  describe.each(cases)('$name', ({ env, alert }) => {
    const text = renderRunbook(env, alert, 'Dashboard');

    it('fits the documentation limits', () => {
      expect([...text].length).toBeLessThanOrEqual(MAX_CHARS);
      expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(MAX_BYTES);
    });

    it('has the five sections, in order', () => {
      const positions = SECTIONS.map((heading) => text.indexOf(`\n${heading}\n`));
      positions.forEach((pos, i) => expect({ heading: SECTIONS[i], found: pos >= 0 }).toEqual({ heading: SECTIONS[i], found: true }));
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    });

    it("names the environment's project and leaves no placeholder", () => {
      expect(text).toContain(env.projectId);
      expect(text).not.toContain('{{');
      expect(text).not.toContain('}}');
    });

    it('links the dashboard', () => {
      expect(text.trimEnd().split('\n').pop()).toBe('Dashboard: **Dashboard**');
    });

    it('has at most three long links, each a whole markdown link destination', () => {
      const urls = linkDestinations(text);
      expect(urls.length).toBeGreaterThan(0);
      expect(urls.filter((u) => u.length > 200).length).toBeLessThanOrEqual(3);
      // CommonMark ends a destination at its first unbalanced ")": each console link must survive whole.
      for (const url of urls) expect(url).toMatch(new RegExp(`^https://console\\.cloud\\.google\\.com/.*\\?project=${env.projectId}$`));
    });
  });

  it.each(loadEnvironments())('service down ($name) carries the rollback command', (env) => {
    const alert = resolveAlerts(env).find((a) => a.spec.id === 'serviceDown')!;
    const text = renderRunbook(env, alert, 'Dashboard');
    expect(text).toContain(
      `gcloud run services update-traffic ${env.services.api} --to-revisions=PREVIOUS=100 --region ${env.region} --project ${env.projectId}`,
    );
    expect(text).toContain(`/run/detail/${env.region}/${env.services.api}/revisions?project=${env.projectId}`);
  });
});
