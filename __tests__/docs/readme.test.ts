import * as fs from 'node:fs';
import * as path from 'node:path';
import { costSection, regenerate } from '../../tools/docs/generate';
import { loadStack } from '../support/synth';

const readme = fs.readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');

describe('README', () => {
  it('has generated tables that match the catalog (run `npm run docs` after changing it)', () => {
    expect(regenerate(readme, { cost: () => costSection(loadStack('prod') as any) })).toBe(readme);
  });

  it('states the two commands', () => {
    expect(readme).toContain('npm ci && npm run synth');
    expect(readme).toContain('npm test');
  });

  it('lists every plan metric, and says "no source yet" where the app emits nothing', () => {
    for (const name of ['rate_limit_middleware_latency_ms', 'auth_session_duration_seconds', 'auth_active_sessions']) {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
      expect(row).toContain('no source yet');
    }
  });
});
