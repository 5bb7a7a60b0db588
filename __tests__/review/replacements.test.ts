/**
 * Issue 12, "Review knows what Terraform will do": the ForceNew table (tools/review/replacements.ts) covers every
 * resource type the stacks create, and for each type a change of a ForceNew field plans a replacement (naming the
 * field) while a change of another field plans an update in place. Then the review itself: a descriptor's label
 * description, an uptime check's host and an alert threshold are replace / replace / update in place, with reasons.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../tools/review/cli';
import { DESCRIPTOR_DELETE_PERMISSION, FORCE_NEW, plannedAction } from '../../tools/review/replacements';
import { captureRun } from '../support/cli';
import { ENVS, loadStack, synthDir } from '../support/synth';

type Rec = Record<string, any>;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/** A real resource of `type` from the synthesized stacks (the first one `pick` accepts). */
function realResource(type: string, pick: (r: Rec) => boolean = () => true): Rec {
  for (const env of ENVS) {
    const found = Object.values((loadStack(env).resource[type] ?? {}) as Record<string, Rec>).find(pick);
    if (found) return found;
  }
  throw new Error(`no ${type} in the synthesized stacks`);
}

describe('the ForceNew table', () => {
  it('has an entry, with its schema file in the pinned provider, for every resource type of every environment', () => {
    const types = [...new Set(ENVS.flatMap((env) => Object.keys(loadStack(env).resource)))].sort();
    expect(types.length).toBeGreaterThan(10);
    expect(types.filter((t) => !FORCE_NEW[t])).toEqual([]);
    for (const t of types) {
      expect(FORCE_NEW[t].source).toMatch(/^hashicorp\/terraform-provider-(google@v6\.50\.0|time@v0\.13\.1):(google|internal)\/\S+\.go/);
      expect(FORCE_NEW[t].forceNew.length).toBeGreaterThan(0);
    }
  });

  /** Per type: one ForceNew change (the field expected in the reason) and, where the type has one, an in-place change. */
  const cases: Array<{ type: string; pick?: (r: Rec) => boolean; replace: [string, (r: Rec) => void]; inPlace?: (r: Rec) => void }> = [
    {
      type: 'google_logging_metric',
      pick: (r) => !!r.metric_descriptor?.labels,
      replace: ['metric_descriptor.labels.key', (r) => (r.metric_descriptor.labels[0].key = 'renamed_label')],
      inPlace: (r) => (r.filter = `${r.filter} AND severity>=INFO`),
    },
    { type: 'google_logging_project_bucket_config', replace: ['location', (r) => (r.location = 'us-central1')], inPlace: (r) => (r.retention_days = 60) },
    { type: 'google_logging_project_exclusion', replace: ['name', (r) => (r.name = `${r.name}-2`)], inPlace: (r) => (r.filter = `${r.filter} OR true`) },
    {
      type: 'google_monitoring_alert_policy',
      replace: ['project', (r) => (r.project = 'other-project')],
      inPlace: (r) => (r.display_name = `${r.display_name} (renamed)`),
    },
    {
      type: 'google_monitoring_custom_service',
      replace: ['service_id', (r) => (r.service_id = `${r.service_id}-2`)],
      inPlace: (r) => (r.display_name = 'Another name'),
    },
    {
      type: 'google_monitoring_dashboard',
      replace: ['project', (r) => (r.project = 'other-project')],
      inPlace: (r) => (r.dashboard_json = r.dashboard_json.replace('"displayName":"', '"displayName":"Renamed ')),
    },
    {
      type: 'google_monitoring_metric_descriptor',
      pick: (r) => !!r.labels,
      replace: ['labels', (r) => (r.labels[0].description = 'another description')],
      inPlace: (r) => (r.description = 'another description'),
    },
    {
      type: 'google_monitoring_notification_channel',
      replace: ['project', (r) => (r.project = 'other-project')],
      inPlace: (r) => (r.display_name = 'Another name'),
    },
    { type: 'google_monitoring_slo', replace: ['slo_id', (r) => (r.slo_id = `${r.slo_id}-2`)], inPlace: (r) => (r.goal = 0.9) },
    {
      type: 'google_monitoring_uptime_check_config',
      pick: (r) => r.monitored_resource?.type === 'uptime_url',
      replace: ['monitored_resource', (r) => (r.monitored_resource.labels.host = 'api.example.org')],
      inPlace: (r) => (r.timeout = '5s'),
    },
    { type: 'google_project_iam_member', replace: ['role', (r) => (r.role = 'roles/viewer')] },
    {
      type: 'google_project_service',
      replace: ['service', (r) => (r.service = 'pubsub.googleapis.com')],
      inPlace: (r) => (r.disable_on_destroy = !r.disable_on_destroy),
    },
    { type: 'time_sleep', replace: ['triggers', (r) => (r.triggers = { ...r.triggers, extra: 'x' })], inPlace: (r) => (r.create_duration = '5m') },
  ];

  it('has a case below for every type of the table', () => {
    expect(cases.map((c) => c.type).sort()).toEqual(Object.keys(FORCE_NEW).sort());
  });

  it.each(cases)('$type: a ForceNew change replaces (naming the field), another change updates in place', ({ type, pick, replace, inPlace }) => {
    const before = realResource(type, pick);
    const replaced = clone(before);
    replace[1](replaced);
    expect(plannedAction(type, before, replaced)).toEqual({ action: 'replace', fields: [replace[0]] });
    if (inPlace) {
      const updated = clone(before);
      inPlace(updated);
      expect(JSON.stringify(updated)).not.toBe(JSON.stringify(before));
      expect(plannedAction(type, before, updated)).toEqual({ action: 'update in place' });
    }
  });

  it('a log-based metric label description is in place, a value type spelled as its default is no change', () => {
    const before = realResource('google_logging_metric', (r) => !!r.metric_descriptor?.labels);
    const described = clone(before);
    described.metric_descriptor.labels[0].description = 'another description';
    expect(plannedAction('google_logging_metric', before, described)).toEqual({ action: 'update in place' });
    const defaulted = clone(before);
    for (const l of defaulted.metric_descriptor.labels) if (l.value_type === 'STRING') delete l.value_type;
    expect(plannedAction('google_logging_metric', before, defaulted)).toEqual({ action: 'update in place' });
  });

  it('a type outside the table is "unknown", never silently "in place"', () => {
    expect(plannedAction('google_storage_bucket', { name: 'a' }, { name: 'b' })).toMatchObject({ action: 'unknown' });
  });
});

describe('npm run review: replace or update in place, with reasons', () => {
  let tmp: string;
  let markdown: string;
  const descriptorId = () =>
    Object.entries(loadStack('prod').resource.google_monitoring_metric_descriptor as Record<string, Rec>).find(([, r]) => r.labels)![0];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'review-replace-'));
    const base = path.join(tmp, 'base');
    const head = path.join(tmp, 'head');
    fs.cpSync(path.join(synthDir(), 'stacks'), path.join(base, 'stacks'), { recursive: true });
    fs.cpSync(path.join(synthDir(), 'stacks'), path.join(head, 'stacks'), { recursive: true });
    const file = path.join(head, 'stacks', 'prod', 'cdk.tf.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    const r = json.resource;
    r.google_monitoring_metric_descriptor[descriptorId()].labels[0].description = 'a clearer description';
    r.google_monitoring_uptime_check_config.uptime_api_health.monitored_resource.labels.host = 'api2.vividly.mnps.edu';
    r.google_monitoring_alert_policy.alert_high_error_rate.conditions[0].condition_threshold.threshold_value = 0.1;
    fs.writeFileSync(file, JSON.stringify(json, null, 2));
    const result = await captureRun(run, ['--base', base, '--head', head]);
    expect(result).toMatchObject({ code: 0, err: '' });
    markdown = result.out;
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('says replace / replace / update in place for a label description, a host and a threshold', () => {
    const start = markdown.indexOf('#### What Terraform will do');
    const section = markdown.slice(start, markdown.indexOf('#### ', start + 5));
    const lines = section.split('\n').filter((l) => l.startsWith('- '));
    expect(lines).toEqual([
      '- `google_monitoring_alert_policy.alert_high_error_rate`: update in place',
      `- \`google_monitoring_metric_descriptor.${descriptorId()}\`: **replace** (\`labels\` forces replacement)`,
      '- `google_monitoring_uptime_check_config.uptime_api_health`: **replace** (`monitored_resource` forces replacement)',
    ]);
  });

  it('warns loudly, first, about what the two replacements lose, and that the descriptor needs an admin', () => {
    const prod = markdown.slice(markdown.indexOf('### prod'));
    const warnings = prod.split('\n').filter((l) => l.startsWith('> ⚠'));
    expect(warnings).toHaveLength(2);
    expect(prod.indexOf('> ⚠')).toBeLessThan(prod.indexOf('#### '));
    expect(warnings[0]).toContain(`google_monitoring_metric_descriptor.${descriptorId()}\` will be replaced** (\`labels\` forces replacement)`);
    expect(warnings[0]).toContain(`**needs an admin**: deleting a descriptor needs ${DESCRIPTOR_DELETE_PERMISSION}`);
    expect(warnings[1]).toContain(
      '`google_monitoring_uptime_check_config.uptime_api_health` will be replaced** (`monitored_resource` forces replacement): the check gets a new uptime_check_id',
    );
  });
});

describe('review warnings for renames and removals', () => {
  const stack = () => clone(loadStack('prod')) as any;
  it('a renamed log-based metric is a new metric (the API creates it under the new name), with the 10-minute wait', async () => {
    const { diffEnvironment } = await import('../../tools/review/diff');
    const head = stack();
    const id = Object.keys(head.resource.google_logging_metric)[0];
    head.resource.google_logging_metric[id].name = 'renamed_metric';
    const d = diffEnvironment('prod', loadStack('prod') as any, head);
    expect(d.plan.find((l) => l.includes(`google_logging_metric.${id}`))).toMatch(/\*\*new metric\*\* \(`name` `[^`]+` → `renamed_metric`\)/);
    expect(d.warnings.join('\n')).toMatch(/Log-based metric renamed.*up to 10 minutes/);
  });

  it('removing a metric descriptor needs an admin', async () => {
    const { diffEnvironment } = await import('../../tools/review/diff');
    const head = stack();
    const id = Object.keys(head.resource.google_monitoring_metric_descriptor)[0];
    delete head.resource.google_monitoring_metric_descriptor[id];
    const d = diffEnvironment('prod', loadStack('prod') as any, head);
    expect(d.warnings).toEqual([
      expect.stringContaining(
        `**Removing \`google_monitoring_metric_descriptor.${id}\` needs an admin**: deleting a descriptor needs ${DESCRIPTOR_DELETE_PERMISSION}`,
      ),
    ]);
  });
});
