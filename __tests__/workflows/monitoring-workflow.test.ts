/** The CI/CD workflow: checks before anything, review on pull requests, staging before prod, prod behind approval. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const file = path.resolve(__dirname, '../../.github/workflows/monitoring.yml');
const wf = parse(fs.readFileSync(file, 'utf8'));
const jobs: Record<string, any> = wf.jobs;
const needs = (job: string): string[] => [jobs[job].needs ?? []].flat();
/** Every job a job waits for, directly or not. */
function upstream(job: string, seen = new Set<string>()): Set<string> {
  for (const n of needs(job)) if (!seen.has(n)) upstream(n, seen.add(n));
  return seen;
}
const runs = (job: string): string[] => jobs[job].steps.filter((s: any) => s.run).map((s: any) => s.run as string);
const uses = (job: string): string[] => jobs[job].steps.filter((s: any) => s.uses).map((s: any) => s.uses as string);
const deployJobs = Object.keys(jobs).filter((j) => runs(j).some((r) => /cdktf deploy/.test(r)));
const diffJobs = Object.keys(jobs).filter((j) => runs(j).some((r) => /cdktf diff/.test(r)));

describe('monitoring workflow', () => {
  it('runs on pull requests and on pushes to main', () => {
    expect(wf.on).toHaveProperty('pull_request');
    expect(wf.on.push.branches).toEqual(['main']);
    expect(String(wf.env.CHECKPOINT_DISABLE)).toBe('1');
  });

  it('checks in order: npm ci, typecheck, synth, lint of the synth, test', () => {
    const steps = runs('check');
    const at = (re: RegExp) => steps.findIndex((r) => re.test(r));
    const order = [/^npm ci$/, /npm run typecheck/, /npm run synth/, /npm run lint -- cdktf\.out\/stacks\/\*\/cdk\.tf\.json/, /npm test/].map(at);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('posts the review as a pull-request comment after the checks', () => {
    expect(needs('review')).toContain('check');
    expect(jobs.review.if).toMatch(/github\.event_name == 'pull_request'/);
    expect(runs('review').some((r) => /npm run review .*--base/.test(r))).toBe(true);
    expect(uses('review')).toContain('actions/github-script@v7');
    expect(jobs.review.permissions['pull-requests']).toBe('write');
  });

  it('diffs and deploys staging and prod, every one after the checks', () => {
    expect(diffJobs.sort()).toEqual(['diff-prod', 'diff-staging']);
    expect(deployJobs.sort()).toEqual(['deploy-prod', 'deploy-staging']);
    for (const j of [...diffJobs, ...deployJobs]) expect(upstream(j).has('check')).toBe(true);
    expect(runs('deploy-staging').some((r) => /cdktf deploy staging --auto-approve/.test(r))).toBe(true);
    expect(runs('deploy-prod').some((r) => /cdktf deploy prod --auto-approve/.test(r))).toBe(true);
  });

  it('deploys prod only after staging, behind the production environment', () => {
    expect(needs('deploy-prod')).toContain('deploy-staging');
    expect(upstream('deploy-prod').has('diff-prod')).toBe(true);
    expect(upstream('deploy-staging').has('deploy-prod')).toBe(false);
    const env = jobs['deploy-prod'].environment;
    expect(typeof env === 'string' ? env : env.name).toBe('production');
    expect(jobs['deploy-staging'].environment).toBe('staging');
  });

  it('deploys only on pushes to main', () => {
    for (const j of deployJobs) {
      expect(jobs[j].if).toMatch(/github\.event_name == 'push'/);
      expect(jobs[j].if).toMatch(/github\.ref == 'refs\/heads\/main'/);
      expect(jobs[j].if).not.toMatch(/\|\|/);
    }
  });

  it('authenticates with Workload Identity Federation and takes the PagerDuty key from secrets', () => {
    for (const j of [...diffJobs, ...deployJobs]) {
      const auth = jobs[j].steps.find((s: any) => String(s.uses).startsWith('google-github-actions/auth@'));
      expect(auth.with.workload_identity_provider).toMatch(/\$\{\{ *vars\.\w+ *\}\}/);
      expect(auth.with).not.toHaveProperty('credentials_json');
      expect(jobs[j].permissions['id-token']).toBe('write');
    }
    for (const j of ['diff-prod', 'deploy-prod']) expect(jobs[j].env.TF_VAR_pagerduty_service_key).toMatch(/^\$\{\{ *secrets\.\w+ *\}\}$/);
    expect(fs.readFileSync(file, 'utf8')).not.toMatch(/TF_VAR_pagerduty_service_key: *['"]?[A-Za-z0-9]{16,}/);
  });
});
