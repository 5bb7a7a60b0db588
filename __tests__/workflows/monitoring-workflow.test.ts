/**
 * The CI/CD workflow's policy, read from the YAML: which events reach which jobs, which identity and secrets each
 * job gets, saved plans applied, a credential-free validate job, actions pinned; and GitHub's own workflow parser
 * (scripts/lint-workflows.mjs) accepts it and rejects planted mistakes.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '../..');
const file = path.join(root, '.github/workflows/monitoring.yml');
const text = fs.readFileSync(file, 'utf8');
const wf = parse(text);
const jobs: Record<string, any> = wf.jobs;
const needs = (job: string): string[] => [jobs[job].needs ?? []].flat();
function upstream(job: string, seen = new Set<string>()): Set<string> {
  for (const n of needs(job)) if (!seen.has(n)) upstream(n, seen.add(n));
  return seen;
}
const steps = (job: string): any[] => jobs[job].steps;
const runs = (job: string): string =>
  steps(job)
    .filter((s) => s.run)
    .map((s) => s.run as string)
    .join('\n');
const uses = (job: string): string[] =>
  steps(job)
    .filter((s) => s.uses)
    .map((s) => s.uses as string);
/** Everything a job can see: its own text (env, steps, matrix) plus the workflow-level env. */
const jobText = (job: string) => JSON.stringify(jobs[job]) + JSON.stringify(wf.env ?? {});
const secretsOf = (job: string) => [...new Set([...jobText(job).matchAll(/secrets\.([A-Za-z_]+)/g)].map((m) => m[1]))].sort();
const auth = (job: string) => steps(job).find((s) => String(s.uses).startsWith('google-github-actions/auth@'));
const isDeployer = (job: string) => /DEPLOYER/.test(JSON.stringify(auth(job)?.with ?? {}));
const isPlanner = (job: string) => /PLANNER/.test(JSON.stringify(auth(job)?.with ?? {})) || /PLANNER/.test(JSON.stringify(jobs[job].strategy ?? {}));

/**
 * Whether a job can run for an event: a job whose `if` names other events, or needs a job that cannot run, does not.
 * (Only the `github.event_name ==`/`!=` forms this workflow uses are understood; anything else counts as reachable.)
 */
function reachable(job: string, event: string): boolean {
  const cond = String(jobs[job].if ?? '');
  const eq = [...cond.matchAll(/github\.event_name == '(\w+)'/g)].map((m) => m[1]);
  const ne = [...cond.matchAll(/github\.event_name != '(\w+)'/g)].map((m) => m[1]);
  if (eq.length && !eq.includes(event)) return false;
  if (ne.includes(event)) return false;
  return needs(job).every((n) => reachable(n, event));
}
const reachableFrom = (event: string) =>
  Object.keys(jobs)
    .filter((j) => reachable(j, event))
    .sort();

describe('monitoring workflow: events and jobs', () => {
  it('runs on pull requests, pushes to main and a nightly schedule', () => {
    expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'push', 'schedule']);
    expect(wf.on.push.branches).toEqual(['main']);
    expect(wf.on.schedule).toEqual([{ cron: expect.stringMatching(/^\d+ \d+ \* \* \*$/) }]);
    expect(String(wf.env.CHECKPOINT_DISABLE)).toBe('1');
  });

  it('maps each event to its jobs', () => {
    expect(reachableFrom('pull_request')).toEqual(['check', 'plan-pr', 'review', 'validate']);
    expect(reachableFrom('push')).toEqual(['check', 'deploy-prod', 'deploy-staging', 'plan-prod', 'plan-staging', 'validate']);
    expect(reachableFrom('schedule')).toEqual(['drift']);
  });

  it('checks in order: npm ci, typecheck, synth, lint of the synth, test (with terraform installed)', () => {
    const s = steps('check').map((x) => x.run ?? x.uses);
    const at = (re: RegExp) => s.findIndex((r) => re.test(r));
    const order = [/^npm ci$/, /npm run typecheck/, /npm run synth/, /npm run lint -- cdktf\.out\/stacks\/\*\/cdk\.tf\.json/, /npm test/].map(at);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(at(/^hashicorp\/setup-terraform@/)).toBeLessThan(at(/npm test/));
  });
});

describe('monitoring workflow: identities and secrets', () => {
  it('no job a pull request or the schedule reaches uses the deployer, a secret or an environment', () => {
    for (const event of ['pull_request', 'schedule']) {
      for (const j of reachableFrom(event)) {
        expect({ job: j, deployer: isDeployer(j), secrets: secretsOf(j), environment: jobs[j].environment }).toEqual({
          job: j,
          deployer: false,
          secrets: [],
          environment: undefined,
        });
      }
    }
  });

  it('plans pull requests and the drift watch as the planner, with state locking off', () => {
    for (const j of ['plan-pr', 'drift']) {
      expect(isPlanner(j)).toBe(true);
      expect(runs(j)).toMatch(/terraform -chdir="\$dir" plan [^\n]*-lock=false/);
      expect(runs(j)).not.toMatch(/cdktf (diff|deploy)|terraform [^\n]*apply/);
    }
    expect(jobs['plan-pr'].if).toMatch(/head\.repo\.full_name == github\.repository/);
  });

  it('gives the deployer only to jobs in a protected environment on pushes to main', () => {
    const deployers = Object.keys(jobs).filter(isDeployer).sort();
    expect(deployers).toEqual(['deploy-prod', 'deploy-staging']);
    expect(jobs['deploy-staging'].environment).toBe('staging');
    expect(jobs['deploy-prod'].environment).toBe('production');
    for (const j of deployers) expect(jobs[j].if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    // Only the deployer's jobs have an environment: the WIF condition admits the deployer from exactly these two.
    expect(
      Object.keys(jobs)
        .filter((j) => jobs[j].environment)
        .sort(),
    ).toEqual(deployers);
  });

  it('holds no secret in any job: the monitoring stacks declare no variable, their plans need none', () => {
    // Secrets reach only the jobs that apply, trivially: none does. The PagerDuty key is the bootstrap stack's.
    expect(Object.keys(jobs).filter((j) => secretsOf(j).length)).toEqual([]);
    expect(text).not.toMatch(/secrets\.|TF_VAR_|PASSPHRASE|gpg /);
  });
  it('requests an OIDC token only where a job authenticates, and never uses keys', () => {
    for (const j of Object.keys(jobs)) {
      const a = auth(j);
      expect({ job: j, idToken: jobs[j].permissions?.['id-token'] === 'write' }).toEqual({ job: j, idToken: Boolean(a) });
      if (a) expect(a.with).not.toHaveProperty('credentials_json');
    }
    expect(wf.permissions).toEqual({ contents: 'read' });
  });
});

describe('monitoring workflow: apply what was approved', () => {
  it('stages first: plan-staging → deploy-staging → plan-prod → deploy-prod (approval)', () => {
    expect(needs('deploy-staging')).toEqual(['plan-staging']);
    expect(needs('plan-prod')).toEqual(['deploy-staging']);
    expect(needs('deploy-prod').sort()).toEqual(['deploy-staging', 'plan-prod']);
    for (const j of ['deploy-staging', 'deploy-prod']) {
      expect(upstream(j).has('check')).toBe(true);
      expect(upstream(j).has('validate')).toBe(true);
      expect(jobs[j].concurrency['cancel-in-progress']).toBe(false);
    }
  });

  it.each([
    ['staging', 'plan-staging', 'deploy-staging'],
    ['prod', 'plan-prod', 'deploy-prod'],
  ])('%s applies the saved plan file made in the same run, with terraform in cdktf.out/stacks/<env>', (env, plan, deploy) => {
    expect(runs(plan)).toContain(`terraform -chdir="$dir" plan -input=false -lock=false -no-color -out=tfplan`);
    expect(runs(plan)).toContain(`dir=cdktf.out/stacks/${env}`);
    const upload = steps(plan).find((s) => String(s.uses).startsWith('actions/upload-artifact@'));
    const download = steps(deploy).find((s) => String(s.uses).startsWith('actions/download-artifact@'));
    expect(download.with.name).toBe(upload.with.name);
    expect(runs(deploy)).toContain(`terraform -chdir=cdktf.out/stacks/${env} apply -input=false -no-color tfplan`);
    expect(runs(deploy)).not.toMatch(/auto-approve|cdktf (diff|deploy)|npm |terraform -chdir=\S+ plan /);
    expect(uses(deploy).some((u) => u.startsWith('actions/checkout@'))).toBe(false);
    // The saved plan holds no secret and is kept one day; the apply checks it is the file the plan job made.
    expect(upload.with).toMatchObject({ path: 'plan.tar', 'retention-days': 1 });
    expect(runs(plan)).toContain('tar -C "$dir" -cf plan.tar cdk.tf.json .terraform.lock.hcl tfplan');
    expect(jobs[plan].outputs.sha256).toBe('${{ steps.plan.outputs.sha256 }}');
    expect(steps(plan).find((s) => s.id === 'plan').run).toMatch(/sha256=\$sha" >> "\$GITHUB_OUTPUT"/);
    const apply = steps(deploy).find((s) => String(s.run).includes(' apply '));
    expect(apply.env.PLAN_SHA256).toBe(`\${{ needs.${plan}.outputs.sha256 }}`);
    const check = apply.run.indexOf('sha256sum -c');
    expect(check).toBeGreaterThan(0);
    expect(check).toBeLessThan(apply.run.indexOf('tar -C'));
    // The approver sees the summary of exactly this plan.
    expect(runs(plan)).toMatch(/plan-summary[^\n]*>> "\$GITHUB_STEP_SUMMARY"/);
  });
});

describe('monitoring workflow: the real provider and the PR comment', () => {
  it('validates every synthesized stack and the HCL export with the pinned provider, without credentials', () => {
    const v = jobs.validate;
    expect(v.environment).toBeUndefined();
    expect(v.permissions).toBeUndefined();
    expect(auth('validate')).toBeUndefined();
    expect(secretsOf('validate')).toEqual([]);
    expect(runs('validate')).toMatch(/for dir in cdktf\.out\/stacks\/\*\/ terraform-export\/\*\/; do/);
    expect(runs('validate')).toContain('init -backend=false');
    expect(runs('validate')).toContain('validate -no-color');
    expect(runs('validate')).toContain('6\\.50\\.0');
    expect(runs('validate')).toContain('terraform fmt -check -recursive terraform-export');
  });

  it("runs the validate job's own steps in a copy of the project: every synthesized stack and exported environment is validated", () => {
    // The job once exported with `npm run export:hcl` alone, which synthesizes into a temporary directory: on a fresh
    // runner cdktf.out/stacks/*/ matched nothing and `terraform -chdir` failed on the literal glob, every run.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-job-'));
    try {
      // What the steps run: the npm scripts, the compiled app and the runbook templates it fills (no sources to rebuild).
      for (const e of ['package.json', 'cdktf.json', 'scripts', 'runbooks']) fs.cpSync(path.join(root, e), path.join(dir, e), { recursive: true });
      fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
      fs.cpSync(path.join(root, 'dist'), path.join(dir, 'dist'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'dist', '.build-stamp'), ''); // a good build, as after `npm ci` and the first build
      // A stand-in terraform: logs its arguments; `init` writes the lock file the step checks for the pinned provider.
      const bin = path.join(dir, '.bin');
      fs.mkdirSync(bin);
      fs.writeFileSync(
        path.join(bin, 'terraform'),
        [
          '#!/bin/sh',
          'echo "$*" >> "$TERRAFORM_LOG"',
          'case "$1" in -chdir=*) d="${1#-chdir=}"; shift ;; *) d=. ;; esac',
          'test -d "$d" || { echo "chdir $d: no such directory" >&2; exit 1; }',
          'if [ "$1" = init ]; then printf \'provider "registry.terraform.io/hashicorp/google" {\\n  version = "6.50.0"\\n}\\n\' > "$d/.terraform.lock.hcl"; fi',
        ].join('\n'),
        { mode: 0o755 },
      );
      const log = path.join(dir, 'terraform.log');
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        PATH: [bin, path.dirname(process.execPath), process.env.PATH].join(path.delimiter),
        TERRAFORM_LOG: log,
        CHECKPOINT_DISABLE: '1',
      };
      delete env.CDKTF_OUTDIR;
      for (const step of steps('validate').filter((s) => s.run && s.run !== 'npm ci')) {
        // GitHub's default shell for `run`: bash -e with pipefail.
        const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], { cwd: dir, env, encoding: 'utf8' });
        expect({ step: step.name, status: r.status, stderr: r.status === 0 ? '' : r.stderr }).toEqual({ step: step.name, status: 0, stderr: '' });
      }
      const calls = fs.readFileSync(log, 'utf8').trim().split('\n');
      const stacks = fs.readdirSync(path.join(dir, 'cdktf.out', 'stacks')).sort();
      const exported = fs.readdirSync(path.join(dir, 'terraform-export')).sort();
      expect(stacks).toEqual(['dev', 'dev-bootstrap', 'prod', 'prod-bootstrap', 'staging', 'staging-bootstrap']);
      expect(exported.length).toBeGreaterThanOrEqual(3);
      const validated = calls.filter((c) => / validate /.test(` ${c} `)).map((c) => /^-chdir=(\S+)/.exec(c)?.[1]);
      expect(validated.sort()).toEqual([...stacks.map((s) => `cdktf.out/stacks/${s}/`), ...exported.map((e) => `terraform-export/${e}/`)].sort());
      expect(calls.filter((c) => c.includes(' init -backend=false '))).toHaveLength(validated.length);
      expect(calls.at(-1)).toBe('fmt -check -recursive terraform-export');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("comments the review and every environment's plan summary on the pull request", () => {
    expect(needs('review').sort()).toEqual(['check', 'plan-pr']);
    expect(runs('review')).toMatch(/npm run review .*--base/);
    expect(runs('review')).toContain('plan-summary-$env');
    expect(runs('plan-pr')).toContain('plan-summary --env');
    expect(jobs.review.permissions['pull-requests']).toBe('write');
    // A fork's pull request gets a read-only token: the review goes to the job summary, and only a same-repository
    // pull request is commented on (else every fork's run would fail with 403).
    const comment = steps('review').findIndex((s) => String(s.uses).startsWith('actions/github-script@'));
    const summary = steps('review').findIndex((s) => /cat review\.md >> "\$GITHUB_STEP_SUMMARY"/.test(String(s.run)));
    expect(summary).toBeGreaterThan(0);
    expect(summary).toBeLessThan(comment);
    expect(steps('review')[summary].if).toBeUndefined();
    expect(steps('review')[comment].if).toBe('github.event.pull_request.head.repo.full_name == github.repository');
  });

  it('keeps one drift issue per environment: opened, updated, closed', () => {
    const script = steps('drift').find((s) => String(s.uses).startsWith('actions/github-script@')).with.script as string;
    expect(runs('drift')).toMatch(/plan -refresh-only [^\n]*-lock=false[^\n]*-detailed-exitcode/);
    for (const call of ['issues.create(', 'issues.update(', "state: 'closed'"]) expect(script).toContain(call);
    expect(jobs.drift.strategy.matrix.include.map((m: any) => m.env)).toEqual(['staging', 'prod']);
    expect(jobs.drift.permissions.issues).toBe('write');
  });
});

describe('monitoring workflow: current and pinned', () => {
  const all = Object.keys(jobs).flatMap(uses);

  it('pins every action to a full commit SHA with its version in a comment', () => {
    const lines = text.split('\n').filter((l) => /^\s*(- )?uses: /.test(l));
    expect(lines.length).toBe(all.length);
    for (const l of lines) expect(l).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it('uses the node24 majors (checked against the actions’ action.yml at these tags)', () => {
    const majors: Record<string, string> = {
      'actions/checkout': 'v7',
      'actions/setup-node': 'v7',
      'actions/upload-artifact': 'v7',
      'actions/download-artifact': 'v8',
      'actions/github-script': 'v8',
      'hashicorp/setup-terraform': 'v4',
      'google-github-actions/auth': 'v3',
    };
    for (const l of text.split('\n').filter((x) => /uses: /.test(x))) {
      const m = /uses: ([\w.-]+\/[\w.-]+)@[0-9a-f]{40} # (v\d+)\./.exec(l)!;
      expect([m[1], m[2]]).toEqual([m[1], majors[m[1]]]);
    }
  });

  it('runs Node 22 or later', () => {
    expect(Number(wf.env.NODE_VERSION)).toBeGreaterThanOrEqual(22);
    for (const j of Object.keys(jobs)) {
      for (const s of steps(j).filter((x) => String(x.uses).startsWith('actions/setup-node@'))) expect(s.with['node-version']).toBe('${{ env.NODE_VERSION }}');
    }
  });
});

describe("GitHub's workflow parser", () => {
  const planted = (edit: (t: string) => string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-lint-'));
    const f = path.join(dir, 'monitoring.yml');
    const changed = edit(text);
    expect(changed).not.toBe(text);
    fs.writeFileSync(f, changed);
    return f;
  };

  it('accepts the workflow', () => {
    // Linted in the same run as the planted files below: no line of its own, the run ended normally (nothing on
    // stderr, its summary last), and every error it counted is a planted file's.
    expect(all.stderr).toBe('');
    expect(linesOf(file)).toEqual([]);
    expect(all.stdout.trimEnd().split('\n').at(-1)).toBe(`lint-workflows: ${files.flatMap(linesOf).length} error(s)`);
  });

  const mistakes: [string, (t: string) => string, RegExp][] = [
    ['a misspelt key', (t: string) => t.replace('    runs-on: ubuntu-latest\n', '    runs_on: ubuntu-latest\n'), /Unexpected value 'runs_on'/],
    ['an unclosed expression', (t: string) => t.replace('${{ env.NODE_VERSION }}', '${{ env.NODE_VERSION }'), /:\d+:\d+: The expression is not closed/],
    ['a needs on an unknown job', (t: string) => t.replace('    needs: plan-staging\n', '    needs: plan-stagin\n'), /depends on unknown job 'plan-stagin'/],
    ['a bad cron', (t: string) => t.replace("'17 5 * * *'", "'17 25 * * *'"), /cron/i],
    ['an unknown permission', (t: string) => t.replace('      pull-requests: write\n', '      pull-request: write\n'), /pull-request/],
  ];
  // One run of the linter over the workflow and every planted file (one process start, not six): each file's lines
  // are its own.
  let files: string[];
  let all: SpawnSyncReturns<string>;
  const linesOf = (f: string) => all.stdout.split('\n').filter((l) => l.startsWith(`${path.relative(process.cwd(), f)}:`));
  beforeAll(() => {
    files = mistakes.map(([, edit]) => planted(edit));
    all = spawnSync(process.execPath, [path.join(root, 'scripts', 'lint-workflows.mjs'), file, ...files], { encoding: 'utf8' });
  });
  afterAll(() => files.forEach((f) => fs.rmSync(path.dirname(f), { recursive: true, force: true })));

  it.each(mistakes.map(([what, , message], i) => [what, i, message] as const))('fails on a planted mistake: %s', (_what, i, message) => {
    expect(all.status).toBe(1);
    const mine = linesOf(files[i]);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.join('\n')).toMatch(message);
  });
});

describe("README's first deploy", () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### First deploy, in order'), readme.indexOf('### CI/CD'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1];

  it('applies the bootstrap stack before anything else deploys', () => {
    const boot = block.indexOf('npx cdktf deploy "$ENV-bootstrap"');
    expect(boot).toBeGreaterThan(0);
    expect(block.slice(0, boot)).not.toMatch(/cdktf deploy|terraform[^\n]* apply/);
    expect(block.indexOf('sleep 420')).toBeGreaterThan(boot);
  });

  it('sets every variable and secret the workflow reads (prod names; staging by substitution)', () => {
    const names = new Set([...text.matchAll(/(?:vars|secrets)\.([A-Z_]+)/g)].map((m) => m[1].replace('STAGING', 'PROD')));
    for (const n of names)
      expect({ n, set: new RegExp(`gh (variable|secret) set ${n}\\b|for e in [^;]*; do gh secret set ${n}\\b`).test(block) }).toEqual({ n, set: true });
    expect(block).toContain('environments/production"');
    expect(block).not.toMatch(/gh secret set|production-plan/);
    expect(block).toMatch(/"reviewers": \[/);
  });
});
