import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { prod } from '../../environments/prod';
import { synthesize } from '../../main';

const root = path.resolve(__dirname, '..', '..');
const PAGERDUTY_SECRET = 'PD-SECRET-7f3a9c1e-do-not-leak';
const SLACK_SECRET = 'xoxb-SLACK-SECRET-55aa-do-not-leak';

function grepTree(dir: string, needle: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return grepTree(full, needle);
    return fs.readFileSync(full, 'utf8').includes(needle) ? [full] : [];
  });
}

describe('secrets never reach the synthesized output', () => {
  const secretEnv = {
    ...process.env,
    TF_VAR_pagerduty_service_key: PAGERDUTY_SECRET,
    TF_VAR_slack_auth_token: SLACK_SECRET,
    PAGERDUTY_SERVICE_KEY: PAGERDUTY_SECRET,
    SLACK_AUTH_TOKEN: SLACK_SECRET,
  };

  it('the compiled app, with the secrets in its environment, writes them nowhere', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-secret-'));
    execFileSync(process.execPath, [path.join(root, 'dist', 'main.js')], { cwd: dir, env: { ...secretEnv, CDKTF_OUTDIR: path.join(dir, 'out') } });
    expect(fs.readdirSync(path.join(dir, 'out', 'stacks')).sort()).toEqual(['dev', 'dev-bootstrap', 'prod', 'prod-bootstrap', 'staging', 'staging-bootstrap']);
    expect(grepTree(dir, PAGERDUTY_SECRET)).toEqual([]);
    expect(grepTree(dir, SLACK_SECRET)).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('PagerDuty and Slack keys are sensitive Terraform variables referenced by the channels', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-slack-'));
    const withSlack = { ...JSON.parse(JSON.stringify(prod)), notifications: { ...prod.notifications, slack: { channelName: '#vividly-alerts' } } };
    process.env.TF_VAR_slack_auth_token = SLACK_SECRET;
    try {
      synthesize(path.join(dir, 'out'), ['prod'], { prod: withSlack });
    } finally {
      delete process.env.TF_VAR_slack_auth_token;
    }
    const stack = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'stacks', 'prod', 'cdk.tf.json'), 'utf8'));
    expect(stack.variable.pagerduty_service_key).toMatchObject({ sensitive: true, type: 'string' });
    expect(stack.variable.slack_auth_token).toMatchObject({ sensitive: true, type: 'string' });
    const channels = stack.resource.google_monitoring_notification_channel;
    expect(channels.channel_pagerduty.sensitive_labels).toEqual({ service_key: '${var.pagerduty_service_key}' });
    expect(channels.channel_slack.sensitive_labels).toEqual({ auth_token: '${var.slack_auth_token}' });
    expect(grepTree(dir, SLACK_SECRET)).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
