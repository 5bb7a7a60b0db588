/**
 * The bootstrap stacks (`<env>-bootstrap`): the deployer's rights, the read-only planner and Workload Identity
 * Federation exist before the monitoring stack is planned, and the monitoring stack never touches them.
 */
import { loadEnvironments } from '../../environments';
import { PLANNER_ROLES } from '../../constructs/deployer-access';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listStacks } from '../../tools/shared/synth-dir';
import { ENVS, loadStack, resourcesOf, synthDir, type TfJson } from '../support/synth';

const envs = Object.fromEntries(loadEnvironments().map((e) => [e.name, e]));
/** Every (type, identity) a stack declares: what a destroy of that stack would remove. */
function declared(stack: TfJson): string[] {
  const out: string[] = [];
  for (const [type, byName] of Object.entries(stack.resource)) {
    for (const r of Object.values(byName) as Record<string, any>[]) {
      if (type === 'google_project_iam_member') out.push(`${type} ${r.member} ${r.role}`);
      else if (type === 'google_project_service') out.push(`${type} ${r.service}`);
      else if (type === 'google_storage_bucket_iam_member') out.push(`${type} ${r.bucket} ${r.member} ${r.role}`);
    }
  }
  return out;
}

/**
 * Evaluates the two forms a state-bucket grant's condition uses (constructs/deployer-access.ts statePrefixCondition):
 * `resource.name.startsWith('…')` and `api.getAttribute('storage.googleapis.com/objectListPrefix', '').startsWith('…')`,
 * joined by `||`. Anything else in the expression fails the test.
 */
function grantAllows(expression: string): (req: { name: string; listPrefix?: string }) => boolean {
  const terms = expression.split(' || ').map((t) => {
    let m = /^resource\.name\.startsWith\('([^']+)'\)$/.exec(t);
    if (m) return (r: { name: string; listPrefix?: string }) => r.name.startsWith(m![1]);
    m = /^api\.getAttribute\('storage\.googleapis\.com\/objectListPrefix', ''\)\.startsWith\('([^']+)'\)$/.exec(t);
    if (m) return (r: { name: string; listPrefix?: string }) => (r.listPrefix ?? '').startsWith(m![1]);
    throw new Error(`unexpected condition term: ${t}`);
  });
  return (req) => terms.some((t) => t(req));
}

describe.each(ENVS)('%s-bootstrap stack', (env) => {
  const boot = loadStack(`${env}-bootstrap`);
  const mon = loadStack(env);
  const cfg = envs[env];
  const members = Object.values(resourcesOf(boot, 'google_project_iam_member'));
  const rolesOf = (who: string) =>
    members
      .filter((m) => m.member === `serviceAccount:${who}`)
      .map((m) => m.role)
      .sort();

  it('keeps its own state prefix in the environment state bucket', () => {
    const b = (boot.terraform as any).backend.gcs;
    const m = (mon.terraform as any).backend.gcs;
    expect(b.bucket).toBe(m.bucket);
    expect(b.prefix).toBe(`monitoring/${env}-bootstrap`);
    // GCS keeps `<prefix>/<workspace>.tfstate`: neither state may sit inside the other's folder.
    expect(`${b.prefix}/`.startsWith(`${m.prefix}/`) || `${m.prefix}/`.startsWith(`${b.prefix}/`)).toBe(false);
    expect((boot.terraform as any).required_providers.google).toEqual({ source: 'hashicorp/google', version: '6.50.0' });
  });

  it("grants the deployer's roles, which the monitoring stack never grants or revokes", () => {
    expect(rolesOf(cfg.serviceAccounts.deployer)).toEqual(
      expect.arrayContaining([
        'roles/monitoring.alertPolicyEditor',
        'roles/monitoring.uptimeCheckConfigEditor',
        'roles/monitoring.dashboardEditor',
        'roles/monitoring.notificationChannelEditor',
        'roles/logging.configWriter',
      ]),
    );
    const deployerInMonitoring = JSON.stringify(mon.resource).includes(cfg.serviceAccounts.deployer);
    expect(deployerInMonitoring).toBe(false);
    expect(resourcesOf(mon, 'google_service_account_iam_member')).toEqual({});
    expect(resourcesOf(mon, 'google_storage_bucket_iam_member')).toEqual({});
  });

  it('lets the deployer grant only the roles the monitoring stack grants (an IAM condition on modifiedGrantsByRole)', () => {
    const admin = members.filter((m) => m.role === 'roles/resourcemanager.projectIamAdmin');
    expect(admin).toHaveLength(1);
    expect(admin[0].member).toBe(`serviceAccount:${cfg.serviceAccounts.deployer}`);
    const m = /^api\.getAttribute\('iam\.googleapis\.com\/modifiedGrantsByRole', \[\]\)\.hasOnly\(\[(.*)\]\)$/.exec(admin[0].condition.expression);
    expect(m).not.toBeNull();
    const allowed = m![1]
      .split(', ')
      .map((r) => r.replace(/'/g, ''))
      .sort();
    const granted = [...new Set(Object.values(resourcesOf(mon, 'google_project_iam_member')).map((r) => r.role))].sort();
    expect(allowed).toEqual(granted);
  });

  it('gives the planner read-only roles and read-only state access', () => {
    expect(rolesOf(cfg.serviceAccounts.planner)).toEqual([...PLANNER_ROLES].sort());
    for (const role of rolesOf(cfg.serviceAccounts.planner)) expect(role).toMatch(/\.(viewer|serviceUsageViewer)$|^roles\/browser$/);
    const bucket = Object.values(resourcesOf(boot, 'google_storage_bucket_iam_member'));
    expect(bucket.map((b) => [b.member, b.role]).sort()).toEqual(
      [
        [`serviceAccount:${cfg.serviceAccounts.deployer}`, 'roles/storage.objectAdmin'],
        [`serviceAccount:${cfg.serviceAccounts.planner}`, 'roles/storage.objectViewer'],
      ].sort(),
    );
    for (const b of bucket) expect(b.bucket).toBe(cfg.state.bucket);
    const sa = Object.values(resourcesOf(boot, 'google_service_account'));
    expect(sa.map((s) => `${s.account_id}@${s.project}.iam.gserviceaccount.com`)).toEqual([cfg.serviceAccounts.planner]);
  });

  it('accepts only this repository, and lets only main in the protected environment impersonate the deployer', () => {
    const providers = resourcesOf(boot, 'google_iam_workload_identity_pool_provider');
    const repo = `${cfg.ci.github.owner}/${cfg.ci.github.repository}`;
    expect(providers.wif_provider_planner.attribute_condition).toBe(`assertion.repository == '${repo}'`);
    for (const p of Object.values(providers)) expect(p.oidc.issuer_uri).toBe('https://token.actions.githubusercontent.com');
    const bindings = resourcesOf(boot, 'google_service_account_iam_member');
    expect(bindings.wif_user_planner.member).toBe(
      `principalSet://iam.googleapis.com/\${google_iam_workload_identity_pool.wif_pool_planner.name}/attribute.repository/${repo}`,
    );
    if (cfg.ci.deployEnvironment) {
      expect(providers.wif_provider_deployer.attribute_condition).toBe(
        `assertion.repository == '${repo}' && assertion.ref == 'refs/heads/main' && assertion.environment == '${cfg.ci.deployEnvironment}'`,
      );
      // Its own pool: a principalSet names a whole pool, so the planner's tokens can never reach the deployer.
      expect(providers.wif_provider_deployer.workload_identity_pool_id).not.toBe(providers.wif_provider_planner.workload_identity_pool_id);
      expect(bindings.wif_user_deployer).toMatchObject({
        role: 'roles/iam.workloadIdentityUser',
        service_account_id: `projects/${cfg.projectId}/serviceAccounts/${cfg.serviceAccounts.deployer}`,
        member: expect.stringContaining('wif_pool_deployer'),
      });
    } else {
      expect(Object.keys(providers)).toEqual(['wif_provider_planner']);
      expect(Object.keys(bindings)).toEqual(['wif_user_planner']);
    }
  });

  it('turns on the APIs federation and planning need, before anything else', () => {
    const services = Object.values(resourcesOf(boot, 'google_project_service'));
    expect(services.map((s) => s.service).sort()).toEqual([
      'cloudresourcemanager.googleapis.com',
      'iam.googleapis.com',
      'iamcredentials.googleapis.com',
      'monitoring.googleapis.com',
      'serviceusage.googleapis.com',
      'sts.googleapis.com',
    ]);
    for (const s of services) expect(s.disable_on_destroy).toBe(false);
    for (const [type, byName] of Object.entries(boot.resource)) {
      if (type === 'google_project_service') continue;
      for (const r of Object.values(byName) as Record<string, any>[]) expect(r.depends_on).toHaveLength(services.length);
    }
  });

  it("limits the deployer's and the planner's state access to the monitoring stack's prefix: never the bootstrap's", () => {
    const bucket = Object.values(resourcesOf(boot, 'google_storage_bucket_iam_member'));
    const monPrefix = (mon.terraform as any).backend.gcs.prefix;
    const bootPrefix = (boot.terraform as any).backend.gcs.prefix;
    expect(bucket).toHaveLength(2);
    for (const b of bucket) {
      const allows = grantAllows(b.condition.expression);
      const object = (name: string) => ({ name: `projects/_/buckets/${cfg.state.bucket}/objects/${name}` });
      // What terraform's gcs backend touches: <prefix>/<workspace>.tfstate and .tflock, and a list of <prefix>/.
      expect(allows(object(`${monPrefix}/default.tfstate`))).toBe(true);
      expect(allows(object(`${monPrefix}/default.tflock`))).toBe(true);
      expect(allows({ name: `projects/_/buckets/${cfg.state.bucket}`, listPrefix: `${monPrefix}/` })).toBe(true);
      // The bootstrap state (the PagerDuty key), other prefixes and a listing of the whole bucket: denied.
      expect(allows(object(`${bootPrefix}/default.tfstate`))).toBe(false);
      expect(allows(object(`${bootPrefix}/default.tflock`))).toBe(false);
      expect(allows(object('terraform/state/default.tfstate'))).toBe(false);
      expect(allows(object(`${monPrefix}`))).toBe(false);
      expect(allows({ name: `projects/_/buckets/${cfg.state.bucket}`, listPrefix: `${bootPrefix}/` })).toBe(false);
      expect(allows({ name: `projects/_/buckets/${cfg.state.bucket}`, listPrefix: '' })).toBe(false);
      expect(allows({ name: `projects/_/buckets/${cfg.state.bucket}`, listPrefix: 'monitoring/' })).toBe(false);
    }
  });

  it('holds the channels that carry a secret, with the key from a sensitive variable; the monitoring stack reads them', () => {
    const made = resourcesOf(boot, 'google_monitoring_notification_channel');
    const read = ((mon as any).data?.google_monitoring_notification_channel ?? {}) as Record<string, any>;
    expect(Object.keys(made).sort()).toEqual(Object.keys(read).sort());
    if (cfg.notifications.pagerduty.enabled) {
      expect(made.channel_pagerduty).toMatchObject({
        type: 'pagerduty',
        sensitive_labels: { service_key: '${var.pagerduty_service_key}' },
        force_delete: false,
      });
      expect((boot as any).variable.pagerduty_service_key).toMatchObject({ sensitive: true });
      expect((boot as any).output.pagerduty_channel.value).toBe('${google_monitoring_notification_channel.channel_pagerduty.name}');
    } else {
      expect(made).toEqual({});
      expect((boot as any).variable).toBeUndefined();
    }
    for (const [name, ch] of Object.entries(made)) {
      for (const key of ['project', 'type', 'display_name', 'user_labels']) expect([name, key, read[name][key]]).toEqual([name, key, ch[key]]);
    }
  });

  it('declares nothing the monitoring stack declares too (a destroy of one would remove it for both)', () => {
    const mine = new Set(declared(boot));
    expect(declared(mon).filter((d) => mine.has(d))).toEqual([]);
  });
});

describe('the synth layout', () => {
  it('writes <env>-bootstrap beside each environment, and the tools list only the monitoring stacks', () => {
    expect(fs.readdirSync(path.join(synthDir(), 'stacks')).sort()).toEqual(['dev', 'dev-bootstrap', 'prod', 'prod-bootstrap', 'staging', 'staging-bootstrap']);
    expect(listStacks(synthDir())).toEqual(['dev', 'staging', 'prod']);
    const manifest = JSON.parse(fs.readFileSync(path.join(synthDir(), 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks).sort()).toEqual(['dev', 'dev-bootstrap', 'prod', 'prod-bootstrap', 'staging', 'staging-bootstrap']);
  });
});
