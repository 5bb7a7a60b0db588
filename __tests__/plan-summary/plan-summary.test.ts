/** The plan summary of the pull-request comment: replacements first, then creates, updates, destroys; full plan collapsed. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../tools/plan-summary/cli';
import { kindOf, planMarkdown, summarize, type PlanJson } from '../../tools/plan-summary';

// Shaped like `terraform show -json tfplan` (format 1.2): resource_changes[].change.actions.
const plan: PlanJson = {
  format_version: '1.2',
  planned_values: {},
  resource_changes: [
    { address: 'google_monitoring_alert_policy.alert_high_error_rate', change: { actions: ['update'] } },
    {
      address: 'google_monitoring_uptime_check_config.uptime_push_worker_health',
      change: { actions: ['delete', 'create'] },
      action_reason: 'replace_because_cannot_update',
    },
    { address: 'google_monitoring_dashboard.dashboard_overview', change: { actions: ['create', 'delete'] } },
    { address: 'google_logging_metric.log_new', change: { actions: ['create'] } },
    { address: 'google_logging_metric.log_old', change: { actions: ['delete'] } },
    { address: 'google_project_service.service_monitoring', change: { actions: ['no-op'] } },
    { address: 'data.google_project.project', mode: 'data', change: { actions: ['read'] } },
  ],
};

describe('plan summary', () => {
  it('classifies every action list Terraform writes', () => {
    expect([['create'], ['update'], ['delete'], ['delete', 'create'], ['create', 'delete'], ['no-op'], ['read']].map((a) => kindOf(a as never))).toEqual([
      'create',
      'update',
      'destroy',
      'replace',
      'replace',
      undefined,
      undefined,
    ]);
  });

  it('counts and lists each kind', () => {
    expect(summarize(plan)).toEqual({
      replace: ['google_monitoring_dashboard.dashboard_overview', 'google_monitoring_uptime_check_config.uptime_push_worker_health'],
      create: ['google_logging_metric.log_new'],
      update: ['google_monitoring_alert_policy.alert_high_error_rate'],
      destroy: ['google_logging_metric.log_old'],
    });
  });

  it('puts replacements first with a warning and the full plan collapsed below', () => {
    const md = planMarkdown('prod', plan, 'Terraform will perform the following actions:\n```\n');
    expect(md).toContain('**2 to replace, 1 to create, 1 to update in place, 1 to destroy**');
    const at = (s: string) => md.indexOf(s);
    expect(at('> [!WARNING]')).toBeGreaterThan(0);
    expect(at('Replace:')).toBeLessThan(at('Create:'));
    expect(at('Create:')).toBeLessThan(at('Update in place:'));
    expect(at('Update in place:')).toBeLessThan(at('Destroy:'));
    expect(at('Destroy:')).toBeLessThan(at('<details><summary>Full plan</summary>'));
    // A fence longer than any backtick run in the plan text, so the plan cannot break out of it.
    expect(md).toContain('````\nTerraform will perform the following actions:\n```\n````');
  });

  it('says "No changes." for an empty plan and has no warning', () => {
    const md = planMarkdown('staging', { format_version: '1.2', planned_values: {}, resource_changes: [] }, 'No changes.');
    expect(md).toContain('**0 to replace, 0 to create, 0 to update in place, 0 to destroy**');
    expect(md).not.toContain('[!WARNING]');
  });

  it('CLI: writes the markdown, and names the file and field of bad input with exit 2', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-summary-'));
    const json = path.join(dir, 'plan.json');
    const txt = path.join(dir, 'plan.txt');
    const out = path.join(dir, 'out.md');
    fs.writeFileSync(json, JSON.stringify(plan));
    fs.writeFileSync(txt, 'plan text');
    expect(await run(['--env', 'prod', '--json', json, '--text', txt, '--out', out])).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toContain('### Terraform plan: prod');
    const errors: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((m: string) => void errors.push(m));
    fs.writeFileSync(json, '{"format_version": "1.2", "planned_values": {}, "resource_changes": {}}');
    expect(await run(['--env', 'prod', '--json', json, '--text', txt])).toBe(2);
    fs.writeFileSync(json, '{not json');
    expect(await run(['--env', 'prod', '--json', json, '--text', txt])).toBe(2);
    expect(await run(['--env', 'prod'])).toBe(2);
    spy.mockRestore();
    expect(errors[0]).toBe(`plan-summary: ${json}: field "resource_changes": must be the array of \`terraform show -json PLAN\``);
    expect(errors[1]).toMatch(new RegExp(`^plan-summary: ${json.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not valid JSON`));
    expect(errors[2]).toBe('plan-summary: options --json, --text: required');
    expect(errors[3]).toMatch(/^usage: vividly-monitoring plan-summary /);
    // An --out that cannot be written is one line naming it, before anything is read; nothing is left beside it.
    errors.length = 0;
    const spy2 = jest.spyOn(console, 'error').mockImplementation((m: string) => void errors.push(m));
    expect(await run(['--env', 'prod', '--json', json, '--text', txt, '--out', dir])).toBe(2);
    expect(await run(['--env', 'prod', '--json', json, '--text', txt, '--out', path.join(txt, 'x.md')])).toBe(2);
    spy2.mockRestore();
    expect(errors).toEqual([
      `plan-summary: option --out: ${dir}: is a directory (a file is written there)`,
      expect.stringMatching(new RegExp(`^plan-summary: option --out: ${path.join(txt, 'x.md').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `)),
    ]);
    expect(fs.readdirSync(dir).sort()).toEqual(['out.md', 'plan.json', 'plan.txt']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe("Terraform's own JSON (fixtures/, written by Terraform 1.11)", () => {
    const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8'));

    it('reads a real plan, and one with nothing planned (no resource_changes at all) as "No changes."', () => {
      expect(summarize(fixture('terraform-1.11-create.plan.json'))).toEqual({ replace: [], create: ['terraform_data.a'], update: [], destroy: [] });
      expect(planMarkdown('dev', fixture('terraform-1.11-nothing.plan.json'), '')).toContain('No changes.');
    });

    // Each of these once printed "0 to replace, 0 to create, ... No changes." with exit 0.
    it.each([
      ['a synthesized stack', { resource: { google_monitoring_alert_policy: {} } }, 'field "format_version": undefined: not the JSON of a saved plan'],
      ['an empty object', {}, 'field "format_version": undefined: not the JSON of a saved plan'],
      ['an array', [], 'not the JSON of a saved plan (`terraform show -json tfplan`): not a JSON object'],
      ['a state', fixture('terraform-1.11.state.json'), 'field "planned_values": missing: a state (`terraform show -json` without a plan file), not the JSON'],
      ['a plan that errored', { ...fixture('terraform-1.11-create.plan.json'), errored: true }, 'field "errored": true: Terraform could not finish this plan'],
    ])('refuses %s, naming the field', (_what, json, message) => {
      expect(() => summarize(json as PlanJson)).toThrow(message);
    });

    it('CLI: a BOM before the JSON is read past; a state is refused with exit 2, naming the file', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-summary-'));
      const json = path.join(dir, 'plan.json');
      const txt = path.join(dir, 'plan.txt');
      fs.writeFileSync(txt, 'plan text');
      fs.writeFileSync(json, `\uFEFF${JSON.stringify(fixture('terraform-1.11-create.plan.json'))}`);
      const printed: string[] = [];
      const write = jest.spyOn(process.stdout, 'write').mockImplementation((m) => printed.push(String(m)) > 0);
      const errors: string[] = [];
      const error = jest.spyOn(console, 'error').mockImplementation((m: string) => void errors.push(m));
      try {
        expect(await run(['--env', 'dev', '--json', json, '--text', txt])).toBe(0);
        fs.writeFileSync(json, JSON.stringify(fixture('terraform-1.11.state.json')));
        expect(await run(['--env', 'dev', '--json', json, '--text', txt])).toBe(2);
      } finally {
        write.mockRestore();
        error.mockRestore();
        fs.rmSync(dir, { recursive: true, force: true });
      }
      expect(printed.join('')).toContain('**0 to replace, 1 to create, 0 to update in place, 0 to destroy**');
      expect(errors).toEqual([
        `plan-summary: ${json}: field "planned_values": missing: a state (\`terraform show -json\` without a plan file), not the JSON of a saved plan (\`terraform show -json tfplan\`)`,
      ]);
    });
  });
});
