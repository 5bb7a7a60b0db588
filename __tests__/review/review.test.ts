/**
 * The review diff on two real synths: the global setup's synth as base, and a copy whose JSON is mutated (a
 * threshold, a dashboard tile, an IAM member, a notification channel, an alert's routing) as head.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../tools/review/cli';
import { diffEnvironment, reviewMarkdown } from '../../tools/review/diff';
import { InputError, listStacks, readStack, synthGitRef, transpileTree, type SwcCore } from '../../tools/shared/synth-dir';
import { synthDir } from '../support/synth';
import { captureRun } from '../support/cli';
import { git as gitIn } from '../support/git';

let tmp: string;
let base: string;
let head: string;

function copyStacks(to: string) {
  fs.cpSync(path.join(synthDir(), 'stacks'), path.join(to, 'stacks'), { recursive: true });
}
const file = (dir: string, env: string) => path.join(dir, 'stacks', env, 'cdk.tf.json');
const edit = (dir: string, env: string, f: (json: any) => void) => {
  const json = JSON.parse(fs.readFileSync(file(dir, env), 'utf8'));
  f(json);
  fs.writeFileSync(file(dir, env), JSON.stringify(json, null, 2));
};

const capture = (argv: string[]) => captureRun(run, argv);

/** Whether `git worktree list` of `root` still names `worktree` (by its unique mkdtemp folder: /tmp may be a symlink). */
const worktreeListed = (root: string, worktree: string) =>
  spawnSync('git', ['worktree', 'list', '--porcelain'], { cwd: root, encoding: 'utf8' })
    .stdout.split('\n')
    .some((l) => l.startsWith('worktree ') && l.includes(`/${path.basename(path.dirname(worktree))}/`));

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'review-test-'));
  base = path.join(tmp, 'base');
  head = path.join(tmp, 'head');
  copyStacks(base);
  // The dashboard whose tile is removed: give the base two tiles if the catalog has none yet.
  edit(base, 'prod', (j) => {
    const d = j.resource.google_monitoring_dashboard.dashboard_system_overview;
    const dash = JSON.parse(d.dashboard_json);
    const tiles = dash.mosaicLayout.tiles;
    if (tiles.length < 2) {
      tiles.push({ xPos: 0, yPos: 0, width: 24, height: 16, widget: { title: 'Request rate', xyChart: { dataSets: [] } } });
      tiles.push({ xPos: 24, yPos: 0, width: 24, height: 16, widget: { title: 'p95 latency', xyChart: { dataSets: [] } } });
    }
    d.dashboard_json = JSON.stringify(dash);
  });
  fs.cpSync(base, head, { recursive: true });
  edit(head, 'prod', (j) => {
    const r = j.resource;
    r.google_monitoring_alert_policy.alert_high_error_rate.conditions[0].condition_threshold.threshold_value = 0.1;
    const d = r.google_monitoring_dashboard.dashboard_system_overview;
    const dash = JSON.parse(d.dashboard_json);
    dash.mosaicLayout.tiles.shift();
    d.dashboard_json = JSON.stringify(dash);
    r.google_project_iam_member.iam_contractor_owner = { project: 'vividly-prod', role: 'roles/owner', member: 'user:contractor@example.com' };
    r.google_monitoring_notification_channel.channel_email_engineering.labels.email_address = 'someone-else@example.com';
    r.google_monitoring_alert_policy.alert_service_down.notification_channels =
      r.google_monitoring_alert_policy.alert_service_down.notification_channels.filter((c: string) => !c.includes('channel_pagerduty'));
  });
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('review markdown', () => {
  let markdown: string;
  let removedTile: string;
  beforeAll(async () => {
    const dash = JSON.parse(readStack(base, 'prod').resource!.google_monitoring_dashboard.dashboard_system_overview.dashboard_json);
    removedTile = dash.mosaicLayout.tiles[0].widget.title;
    const result = await capture(['--base', base, '--head', head]);
    expect(result).toMatchObject({ code: 0, err: '' });
    markdown = result.out;
  });

  it('puts IAM and routing changes first, under "⚠ Access and paging"', () => {
    const prod = markdown.slice(markdown.indexOf('### prod'));
    const access = prod.indexOf('#### ⚠ Access and paging');
    expect(access).toBeGreaterThan(0);
    expect(access).toBeLessThan(prod.indexOf('#### Alerts'));
    const accessBlock = prod.slice(access, prod.indexOf('#### Alerts'));
    expect(accessBlock).toContain('IAM member added: `roles/owner` → `user:contractor@example.com` (`iam_contractor_owner`)');
    expect(accessBlock).toMatch(
      /Routing of \*\*Vividly API \(prod\): Service Down\*\* \(`alert_service_down`\): − `channel_pagerduty` \(pagerduty, read from the bootstrap stack\)/,
    );
    expect(accessBlock).toContain(
      'Notification channel changed: `channel_email_engineering`: labels: `{"email_address":"engineering-oncall@vividly.mnps.edu"}` → `{"email_address":"someone-else@example.com"}`',
    );
  });

  it('shows the threshold change on the right condition', () => {
    expect(markdown).toMatch(
      /Changed \*\*Vividly API \(prod\): High Error Rate\*\* \(`alert_high_error_rate`\)\n {2}- condition 1 "[^"]+": threshold `0\.05` → `0\.1`/,
    );
    expect(markdown).not.toMatch(/condition 2 "At least/);
  });

  it('names the dashboard tile removed by title', () => {
    expect(markdown).toMatch(
      new RegExp(
        `#### Dashboards\\n\\n- Changed dashboard \\*\\*Vividly API \\(prod\\) - System Overview\\*\\* \\(\`dashboard_system_overview\`\\)\\n {2}- tile removed "${removedTile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`,
      ),
    );
  });

  it('says "No changes." for untouched environments and nothing else about them', () => {
    expect(markdown).toContain('### dev\n\nNo changes.');
    expect(markdown).toContain('### staging\n\nNo changes.');
  });

  it('reports nothing changed in one line', async () => {
    const result = await capture(['--base', base, '--head', base]);
    expect(result.code).toBe(0);
    expect(result.out.trim().split('\n')).toHaveLength(1);
    expect(result.out).toMatch(/^No monitoring changes between/);
  });
});

describe('review diff details', () => {
  it('reports added and removed alerts, log metric filter changes and authoritative IAM', () => {
    const b = readStack(base, 'staging');
    const h = JSON.parse(JSON.stringify(b));
    const metric = Object.values<any>(h.resource.google_logging_metric)[0];
    metric.filter = `${metric.filter} AND severity>=WARNING`;
    delete h.resource.google_monitoring_alert_policy.alert_ddos_attempt;
    h.resource.google_project_iam_binding = { owners: { project: 'vividly-staging', role: 'roles/owner', members: ['user:x@example.com'] } };
    const md = reviewMarkdown([diffEnvironment('staging', b, h)], { base: 'a', head: 'b' });
    expect(md).toContain('Authoritative `google_project_iam_binding` `owners` added');
    expect(md).toContain('Alert removed, it no longer pages: **Vividly API (staging): DDoS Attempt**');
    expect(md).toMatch(
      /#### Log-based metrics and filters\n\n- Changed log metric `vividly\/[a-z_]+` \(`log_metric_[a-z_]+`\)\n {2}- filter: .* AND severity>=WARNING`/,
    );
  });
});

describe('providers, backend and variables', () => {
  // The monitoring stacks have no variable any more (secrets live in the bootstrap stacks): the variable checks run on
  // a base that declares one, as a stack with a secret would.
  const withKey = () => {
    const b = JSON.parse(JSON.stringify(readStack(base, 'prod')));
    b.variable = { ...b.variable, pagerduty_service_key: { type: 'string', sensitive: true } };
    return b;
  };
  const mutated = (f: (j: any) => void) => {
    const h = withKey();
    f(h);
    return h;
  };
  const md = (h: any) => reviewMarkdown([diffEnvironment('prod', withKey(), h)], { base: 'a', head: 'b' });

  it('flags a backend change first and loudly: the state moves', async () => {
    const backendDir = path.join(tmp, 'backend');
    fs.cpSync(base, backendDir, { recursive: true });
    edit(backendDir, 'prod', (j) => {
      j.terraform.backend.gcs.bucket = 'vividly-prod-terraform-state-v2';
      j.terraform.backend.gcs.prefix = 'monitoring/prod-v2';
    });
    const result = await capture(['--base', base, '--head', backendDir]);
    expect(result.code).toBe(0);
    const prod = result.out.slice(result.out.indexOf('### prod'));
    expect(prod).toMatch(
      /^### prod\n\n> ⚠ \*\*The Terraform state moves\*\*: backend gcs `vividly-prod-terraform-state\/monitoring\/prod` → gcs `vividly-prod-terraform-state-v2\/monitoring\/prod-v2` \(bucket: `vividly-prod-terraform-state` → `vividly-prod-terraform-state-v2`; prefix: `monitoring\/prod` → `monitoring\/prod-v2`\)\. Run `terraform init -migrate-state`/,
    );
    expect(result.out).toContain('### staging\n\nNo changes.');
  });

  it('a backend removed or added is flagged too', () => {
    expect(md(mutated((j) => delete j.terraform.backend))).toContain(
      '> ⚠ **The Terraform state moves**: backend gcs `vividly-prod-terraform-state/monitoring/prod` removed',
    );
  });

  it('lists required provider, provider configuration and variable changes in their own section, after access and before alerts', () => {
    const h = mutated((j) => {
      j.terraform.required_providers.google.version = '7.0.0';
      j.terraform.required_providers.time.source = 'example/time';
      j.terraform.required_providers.random = { source: 'hashicorp/random', version: '3.6.0' };
      j.provider.google[0].project = 'vividly-prod-2';
      j.provider.google[0].region = 'europe-west1';
      j.provider.google.push({ alias: 'secondary', project: 'vividly-dr' });
      j.variable.pagerduty_service_key.sensitive = false;
      j.variable.slack_webhook = { type: 'string', sensitive: true };
      j.variable.retention_days = { type: 'number', default: 30 };
      j.resource.google_project_iam_member.iam_x = { project: 'vividly-prod', role: 'roles/viewer', member: 'user:x@example.com' };
      j.resource.google_monitoring_alert_policy.alert_high_error_rate.severity = 'WARNING';
    });
    const out = md(h);
    const access = out.indexOf('#### ⚠ Access and paging');
    const section = out.indexOf('#### Providers, backend and variables');
    const alerts = out.indexOf('#### Alerts');
    expect(access).toBeGreaterThan(0);
    expect(section).toBeGreaterThan(access);
    expect(alerts).toBeGreaterThan(section);
    const lines = out
      .slice(section, alerts)
      .split('\n')
      .filter((l) => l.startsWith('- '));
    expect(lines).toEqual([
      '- Required provider `google` changed: version: `6.50.0` → `7.0.0`',
      '- Required provider added: `random` `hashicorp/random` `3.6.0`',
      '- Required provider `time` changed: source: `hashicorp/time` → `example/time`',
      '- Provider configuration `google` changed: project: `vividly-prod` → `vividly-prod-2`; region: `us-central1` → `europe-west1`',
      '- Provider configuration added: `google.secondary` (alias `secondary`, project `vividly-dr`)',
      '- Variable `pagerduty_service_key` changed: **no longer sensitive: its value shows in plan output and logs**',
      '- Variable added: `retention_days` (type `number`, not sensitive, default `30`)',
      '- Variable added: `slack_webhook` (type `string`, sensitive): every plan and apply now needs a value (TF_VAR_slack_webhook)',
    ]);
    expect(out).not.toContain('state moves');
  });

  it('a variable removed, and a provider or variable change alone, is a change', () => {
    const out = md(mutated((j) => delete j.variable.pagerduty_service_key));
    expect(out).toContain('#### Providers, backend and variables\n\n- Variable removed: `pagerduty_service_key` (was type `string`, sensitive)');
    expect(md(mutated((j) => (j.provider.google[0].region = 'us-east1')))).toMatch(/^## Monitoring review/);
  });
});

describe('review arguments and git refs', () => {
  it('rejects what is neither a directory nor a git ref, in one line, exit 2', async () => {
    const result = await capture(['--base', 'no-such-ref-or-dir-42', '--head', base]);
    expect(result.code).toBe(2);
    expect(result.err.split('\n')).toHaveLength(1);
    expect(result.err).toContain('--base: "no-such-ref-or-dir-42" is neither a synth directory nor a git ref');
  });

  it('requires --base and rejects unknown options', async () => {
    expect((await capture([])).code).toBe(2);
    expect((await capture(['--base', base, '--bogus'])).code).toBe(2);
  });

  it('checks --out before any work: a folder, a path below a file, or an empty value is one line naming it, exit 2', async () => {
    const file = path.join(tmp, 'a-file.md');
    fs.writeFileSync(file, 'kept');
    const cases: Array<[string, string]> = [
      [tmp, `review: option --out: ${tmp}: is a directory (a file is written there)`],
      [path.join(file, 'x.md'), `review: option --out: ${path.join(file, 'x.md')}: ${file} is not a directory`],
      ['', 'review: option --out: must not be empty'],
    ];
    for (const [out, line] of cases) {
      // A base that would need a synth: the check comes first, so none is made.
      const result = await capture(['--base', 'HEAD', '--head', base, '--out', out]);
      expect({ out, code: result.code, stdout: result.out, stderr: result.err }).toEqual({ out, code: 2, stdout: '', stderr: line });
    }
    expect(fs.readFileSync(file, 'utf8')).toBe('kept');
  });

  it('--out in a folder that does not exist yet: created, the markdown written whole, nothing left beside it', async () => {
    const out = path.join(tmp, 'comments', 'review.md');
    const before = fs.readdirSync(tmp);
    const result = await capture(['--base', base, '--head', base, '--out', out]);
    expect(result.code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(`${result.out}\n`);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['review.md']);
    // The markdown was made in the nearest folder that existed (tmp), and nothing of it is left there.
    expect(fs.readdirSync(tmp).sort()).toEqual([...before, 'comments'].sort());
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });

  it('rejects a directory without stacks', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'review-empty-'));
    try {
      const result = await capture(['--base', empty, '--head', base]);
      expect(result.code).toBe(2);
      expect(result.err).toMatch(/no synthesized stacks/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('synthesizes a git ref in a temporary worktree (transpiled with swc) and always removes the worktree', async () => {
    // Only the worktree this call created is checked: other reviews may add and remove theirs at the same time.
    const root = path.resolve(__dirname, '..', '..');
    let worktree: string | undefined;
    const compilers: string[] = [];
    let out: string | undefined;
    try {
      // The committed HEAD synthesizes (CI runs on a clean clone of it).
      out = await synthGitRef('HEAD', root, {
        onWorktree: (w) => {
          worktree = w;
          expect(worktreeListed(root, w)).toBe(true);
        },
        onCompile: (c) => compilers.push(c),
      });
      expect(listStacks(out)).toEqual(expect.arrayContaining(['dev', 'staging', 'prod']));
    } finally {
      if (out) fs.rmSync(path.dirname(out), { recursive: true, force: true });
    }
    expect(compilers).toEqual(['swc']);
    expect(worktree).toContain('vividly-review-');
    expect(fs.existsSync(worktree!)).toBe(false);
    expect(worktreeListed(root, worktree!)).toBe(false);
  }, 180000);
});

describe('synthesizing a git ref (a small repository of its own)', () => {
  let repo: string;
  const git = (...args: string[]) => gitIn(repo, ...args);
  const put = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
    fs.writeFileSync(path.join(repo, rel), text);
  };
  const commit = (tag: string) => {
    git('add', '-A');
    git('commit', '-q', '-m', tag);
    git('tag', tag);
  };
  // main.ts writes stacks/dev/cdk.tf.json from a relative import; __tests__ and .d.ts files must not be compiled.
  // No @types/node (its parse alone costs tsc seconds): the few Node names are declared here. For the same reason the
  // tsconfig names ES5's library: the fixture needs nothing newer, and target ES2022's default libraries (the DOM's
  // among them) cost tsc two more seconds of parsing.
  const MAIN = `declare const require: (id: string) => any;
declare const process: { env: Record<string, string | undefined> };
const fs = require('node:fs');
const path = require('node:path');
import { stack, type Stack } from './lib/stack';
const s: Stack = stack('dev');
const dir = path.join(process.env.CDKTF_OUTDIR!, 'stacks', 'dev');
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(s));
`;

  beforeAll(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'review-repo-'));
    git('init', '-q');
    put('.gitignore', 'node_modules\ndist\n');
    fs.symlinkSync(path.resolve(__dirname, '..', '..', 'node_modules'), path.join(repo, 'node_modules'), 'dir');
    put(
      'tsconfig.json',
      JSON.stringify({
        compilerOptions: { target: 'ES2022', lib: ['es5'], module: 'commonjs', outDir: 'dist', rootDir: '.', strict: true, types: [] },
        include: ['main.ts', 'lib/**/*.ts'],
      }),
    );
    put('main.ts', MAIN);
    put(
      'lib/stack.ts',
      `export interface Stack { resource: Record<string, unknown> }\nexport const stack = (env: string): Stack => ({ resource: { null_resource: { [env]: {} } } });\n`,
    );
    put('lib/unused.ts', 'export const unused = 1;\n');
    put('lib/types.d.ts', 'this is not TypeScript at all\n');
    put('__tests__/x.test.ts', 'this is not TypeScript either(\n');
    commit('good');
    // The stack module required by a computed path: nothing in main.ts's code names it.
    put(
      'main.ts',
      MAIN.replace(`import { stack, type Stack } from './lib/stack';`, `const { stack } = require(['.', 'lib', 'stack'].join('/'));\ntype Stack = unknown;`),
    );
    commit('computed');
    put('main.ts', `${MAIN}throw new TypeError('boom: no stack');\n`);
    commit('throws');
    put('main.ts', MAIN);
    put('lib/stack.ts', 'export const stack = (env: string) => {{{\n');
    commit('syntax');
  });
  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

  async function synth(ref: string, options: Parameters<typeof synthGitRef>[2] = {}) {
    let worktree: string | undefined;
    const compilers: string[] = [];
    try {
      const out = await synthGitRef(ref, repo, {
        ...options,
        onWorktree: (w) => {
          worktree = w;
        },
        onCompile: (c) => compilers.push(c),
      });
      const stack = readStack(out, 'dev');
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
      return { stack, compilers, worktree: worktree! };
    } finally {
      expect(worktree).toBeDefined();
      expect(fs.existsSync(worktree!)).toBe(false);
      expect(worktreeListed(repo, worktree!)).toBe(false);
    }
  }

  it('transpiles every .ts outside node_modules, __tests__ and dist with swc, keeping relative paths, skipping .d.ts; from an entry, what it requires', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'review-swc-'));
    try {
      git('--work-tree', dir, 'checkout', 'good', '--', '.');
      fs.mkdirSync(path.join(dir, 'dist', 'old'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'dist', 'old', 'stale.ts'), 'not (compiled');
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the loader under test takes the CommonJS module object
      const swc = require('@swc/core') as SwcCore;
      const files = transpileTree(dir, swc);
      expect(files).toEqual(['lib/stack.ts', 'lib/unused.ts', 'main.ts']);
      expect(fs.readFileSync(path.join(dir, 'dist', 'main.js'), 'utf8')).toMatch(/require\("\.\/lib\/stack"\)/);
      expect(fs.existsSync(path.join(dir, 'dist', 'lib', 'stack.js'))).toBe(true);
      expect(fs.existsSync(path.join(dir, 'dist', 'lib', 'types.d.js'))).toBe(false);
      expect(fs.existsSync(path.join(dir, 'dist', '__tests__'))).toBe(false);
      // From main.ts (what a ref's synth does): main.ts and the sources it requires, nothing else.
      fs.rmSync(path.join(dir, 'dist'), { recursive: true });
      expect(transpileTree(dir, swc, dir, 'main.ts')).toEqual(['lib/stack.ts', 'main.ts']);
      expect(fs.existsSync(path.join(dir, 'dist', 'lib', 'stack.js'))).toBe(true);
      expect(fs.existsSync(path.join(dir, 'dist', 'lib', 'unused.js'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('synthesizes with swc, and with tsc when @swc/core cannot be loaded', async () => {
    const expected = { resource: { null_resource: { dev: {} } } };
    const swc = await synth('good');
    expect(swc.compilers).toEqual(['swc']);
    expect(swc.stack).toEqual(expected);
    const tsc = await synth('good', { loadSwc: () => undefined });
    expect(tsc.compilers).toEqual(['tsc']);
    expect(tsc.stack).toEqual(expected);
    // A source main.ts requires by a computed path: its first run misses it, the whole tree is transpiled, run again.
    const computed = await synth('computed');
    expect(computed.compilers).toEqual(['swc']);
    expect(computed.stack).toEqual(expected);
  }, 60000);

  it('a ref that does not synthesize is one InputError line, and its worktree is removed all the same', async () => {
    await expect(synth('throws')).rejects.toThrow(new InputError('throws: synth failed (TypeError: boom: no stack)'));
    let error: unknown;
    try {
      await synth('syntax');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe("syntax: cannot compile lib/stack.ts (Expected '}', got '<eof>')");
  });
});
