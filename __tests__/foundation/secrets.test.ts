import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { prod } from '../../environments/prod';
import { synthesize } from '../../main';
import { loadStack, synthDir } from '../support/synth';
import { secretEnv, SYNTH_SECRETS } from '../support/synth-secrets';

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
  it('the compiled app, with the secrets in its environment, writes them nowhere', () => {
    // The global setup runs the compiled app exactly so: these secrets in its environment, its working directory the
    // temporary directory that holds its output (global-setup.js).
    const dir = path.dirname(synthDir());
    expect(SYNTH_SECRETS).toEqual({ pagerduty: PAGERDUTY_SECRET, slack: SLACK_SECRET });
    expect(secretEnv()).toEqual({
      TF_VAR_pagerduty_service_key: PAGERDUTY_SECRET,
      TF_VAR_slack_auth_token: SLACK_SECRET,
      PAGERDUTY_SERVICE_KEY: PAGERDUTY_SECRET,
      SLACK_AUTH_TOKEN: SLACK_SECRET,
    });
    expect(process.env.SYNTH_SECRET_VARS).toBe('PAGERDUTY_SERVICE_KEY,SLACK_AUTH_TOKEN,TF_VAR_pagerduty_service_key,TF_VAR_slack_auth_token');
    expect(fs.readdirSync(path.join(synthDir(), 'stacks')).sort()).toEqual(['dev', 'dev-bootstrap', 'prod', 'prod-bootstrap', 'staging', 'staging-bootstrap']);
    // Meaningful only while a stack consumes the key: prod's bootstrap stack does, through its variable.
    expect(grepTree(dir, '${var.pagerduty_service_key}').map((f) => path.relative(dir, f))).toEqual([
      path.join('cdktf.out', 'stacks', 'prod-bootstrap', 'cdk.tf.json'),
    ]);
    expect(grepTree(dir, PAGERDUTY_SECRET)).toEqual([]);
    expect(grepTree(dir, SLACK_SECRET)).toEqual([]);
  });

  it('PagerDuty and Slack keys are sensitive variables of the bootstrap stack only, referenced by its channels', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-slack-'));
    const withSlack = { ...JSON.parse(JSON.stringify(prod)), notifications: { ...prod.notifications, slack: { channelName: '#vividly-alerts' } } };
    const routed = { ...withSlack, routing: { ...withSlack.routing, WARNING: [...withSlack.routing.WARNING, 'slack'] } };
    process.env.TF_VAR_slack_auth_token = SLACK_SECRET;
    process.env.TF_VAR_pagerduty_service_key = PAGERDUTY_SECRET;
    try {
      synthesize(path.join(dir, 'out'), ['prod'], { prod: routed });
    } finally {
      delete process.env.TF_VAR_slack_auth_token;
      delete process.env.TF_VAR_pagerduty_service_key;
    }
    const read = (stack: string) => JSON.parse(fs.readFileSync(path.join(dir, 'out', 'stacks', stack, 'cdk.tf.json'), 'utf8'));
    const boot = read('prod-bootstrap');
    expect(boot.variable.pagerduty_service_key).toMatchObject({ sensitive: true, type: 'string' });
    expect(boot.variable.slack_auth_token).toMatchObject({ sensitive: true, type: 'string' });
    const channels = boot.resource.google_monitoring_notification_channel;
    expect(channels.channel_pagerduty.sensitive_labels).toEqual({ service_key: '${var.pagerduty_service_key}' });
    expect(channels.channel_slack.sensitive_labels).toEqual({ auth_token: '${var.slack_auth_token}' });
    expect(channels.channel_slack.labels).toEqual({ channel_name: '#vividly-alerts' });

    // The monitoring stack, whose state pull requests read: no variable, no sensitive label, no secret-bearing
    // channel of its own; it reads both channels by data source and routes to them.
    const mon = read('prod');
    expect(mon.variable).toBeUndefined();
    expect(JSON.stringify(mon)).not.toMatch(/sensitive_labels|"service_key"|"auth_token"|\$\{var\./);
    const own = Object.values<any>(mon.resource.google_monitoring_notification_channel).map((c) => c.type);
    expect([...new Set(own)]).toEqual(['email']);
    expect(Object.keys(mon.data.google_monitoring_notification_channel).sort()).toEqual(['channel_pagerduty', 'channel_slack']);
    const warning = Object.values<any>(mon.resource.google_monitoring_alert_policy).find((p) => p.severity === 'WARNING');
    expect(warning.notification_channels).toContain('${data.google_monitoring_notification_channel.channel_slack.name}');
    expect(grepTree(dir, SLACK_SECRET)).toEqual([]);
    expect(grepTree(dir, PAGERDUTY_SECRET)).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each(['dev', 'staging', 'prod'])('the %s monitoring stack declares nothing that can hold a secret in its state', (env) => {
    // The global setup's synth: the compiled app's output for every environment.
    const mon = loadStack(env);
    expect(mon.variable).toBeUndefined();
    expect(JSON.stringify(mon.resource)).not.toContain('sensitive_labels');
  });
});
