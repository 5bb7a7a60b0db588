/**
 * Grants another stack owns. A google_project_iam_member is not reference-counted: destroying it removes the member
 * whoever else declared it (gcp-facts §10). So neither of our stacks may declare a grant the app's own Terraform makes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadEnvironments } from '../../environments';
import { ENVS, loadStack, resourcesOf } from '../support/synth';

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'vividly-app-iam-grants.json'), 'utf8')) as {
  grants: { member: string; role: string; source: string }[];
};
const envs = Object.fromEntries(loadEnvironments().map((e) => [e.name, e]));
const appGrants = (env: string) => fixture.grants.map((g) => `${g.member.replace(/\$\{env\}/g, env).replace(/\$\{project\}/g, envs[env].projectId)} ${g.role}`);
const ours = (stack: string) => Object.values(resourcesOf(loadStack(stack), 'google_project_iam_member')).map((m) => `${m.member} ${m.role}`);

describe.each(ENVS)('%s: grants the app owns', (env) => {
  it('the fixture names the runtime account this project configures, with the two telemetry roles', () => {
    expect(appGrants(env)).toEqual(
      expect.arrayContaining([
        `serviceAccount:${envs[env].serviceAccounts.apiRuntime} roles/logging.logWriter`,
        `serviceAccount:${envs[env].serviceAccounts.apiRuntime} roles/monitoring.metricWriter`,
      ]),
    );
  });

  it.each([env, `${env}-bootstrap`])('%s declares none of them', (stack) => {
    const app = new Set(appGrants(env));
    expect(ours(stack).length).toBeGreaterThan(0);
    expect(ours(stack).filter((g) => app.has(g))).toEqual([]);
  });

  it('the check sees an overlap when one is planted', () => {
    const app = new Set(appGrants(env));
    const planted = [...ours(env), `serviceAccount:${envs[env].serviceAccounts.apiRuntime} roles/logging.logWriter`];
    expect(planted.filter((g) => app.has(g))).toHaveLength(1);
  });
});
