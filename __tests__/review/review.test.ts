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
import { listStacks, readStack, synthGitRef } from '../../tools/review/synth-dir';
import { synthDir } from '../support/synth';
import { captureRun } from '../support/cli';

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
    r.google_monitoring_alert_policy.alert_service_down.notification_channels = r.google_monitoring_alert_policy.alert_service_down.notification_channels.filter(
      (c: string) => !c.includes('channel_pagerduty'),
    );
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
    expect(accessBlock).toMatch(/Routing of \*\*Vividly API \(prod\): Service Down\*\* \(`alert_service_down`\): − `channel_pagerduty` \(pagerduty\)/);
    expect(accessBlock).toContain('Notification channel changed: `channel_email_engineering`: labels: `{"email_address":"engineering-oncall@vividly.mnps.edu"}` → `{"email_address":"someone-else@example.com"}`');
  });

  it('shows the threshold change on the right condition', () => {
    expect(markdown).toMatch(/Changed \*\*Vividly API \(prod\): High Error Rate\*\* \(`alert_high_error_rate`\)\n {2}- condition 1 "[^"]+": threshold `0\.05` → `0\.1`/);
    expect(markdown).not.toMatch(/condition 2 "At least/);
  });

  it('names the dashboard tile removed by title', () => {
    expect(markdown).toMatch(new RegExp(`#### Dashboards\\n\\n- Changed dashboard \\*\\*Vividly API \\(prod\\) - System Overview\\*\\* \\(\`dashboard_system_overview\`\\)\\n {2}- tile removed "${removedTile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
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
    expect(md).toMatch(/#### Log-based metrics and filters\n\n- Changed log metric `vividly\/[a-z_]+` \(`log_metric_[a-z_]+`\)\n {2}- filter: .* AND severity>=WARNING`/);
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

  it('synthesizes a git ref in a temporary worktree and always removes the worktree', () => {
    const root = path.resolve(__dirname, '..', '..');
    const worktrees = () => spawnSync('git', ['worktree', 'list', '--porcelain'], { cwd: root, encoding: 'utf8' }).stdout;
    const before = worktrees();
    let out: string | undefined;
    try {
      // The committed HEAD synthesizes (CI runs on a clean clone of it).
      out = synthGitRef('HEAD', root);
      expect(listStacks(out)).toEqual(expect.arrayContaining(['dev', 'staging', 'prod']));
    } finally {
      if (out) fs.rmSync(path.dirname(out), { recursive: true, force: true });
    }
    expect(worktrees()).toBe(before);
  }, 180000);
});
