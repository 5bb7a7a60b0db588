/**
 * Probes before permissions: the uptime agent's run.invoker grant takes minutes to propagate (IAM: "typically 2
 * minutes, but could potentially take 7 minutes or longer"), so the push worker's check, and with it Push Worker
 * Down, must come after a wait on the grant: nothing may alert because of the deploy itself.
 */
import { INVOKER_PROPAGATION_SECONDS } from '../../constructs/uptime-checks';
import { ENVS, loadStack, resourcesOf, type TfJson } from '../support/synth';

/** Every resource address a resource waits for, directly or through references and depends_on. */
function upstream(stack: TfJson, address: string, seen = new Set<string>()): Set<string> {
  const [type, name] = address.split('.');
  const body = stack.resource[type]?.[name];
  if (!body) return seen;
  const refs = new Set<string>(body.depends_on as string[] | undefined);
  for (const m of JSON.stringify(body).matchAll(/\$\{([a-z_0-9]+\.[a-z_0-9]+)\./g)) refs.add(m[1]);
  for (const r of refs) if (!seen.has(r) && !r.startsWith('data.')) upstream(stack, r, seen.add(r));
  return seen;
}
const seconds = (d: string) => Number(/^(\d+)s$/.exec(d)![1]);

describe.each(ENVS)('%s stack', (env) => {
  const stack = loadStack(env);
  const checks = resourcesOf(stack, 'google_monitoring_uptime_check_config');
  const pushCheck = Object.entries(checks).find(([, c]) => c.monitored_resource.type === 'cloud_run_revision')!;
  const invoker = Object.entries(resourcesOf(stack, 'google_project_iam_member')).find(([, m]) => m.role === 'roles/run.invoker')!;
  const sleep = resourcesOf(stack, 'time_sleep').wait_uptime_invoker_propagated;

  it('waits at least 7 minutes after the run.invoker grant, and again whenever the grant is replaced', () => {
    expect(sleep.depends_on).toEqual([`google_project_iam_member.${invoker[0]}`]);
    expect(seconds(sleep.create_duration)).toBe(INVOKER_PROPAGATION_SECONDS);
    expect(INVOKER_PROPAGATION_SECONDS).toBeGreaterThanOrEqual(7 * 60);
    expect(sleep.triggers).toEqual({ role: `\${google_project_iam_member.${invoker[0]}.role}`, member: `\${google_project_iam_member.${invoker[0]}.member}` });
  });

  it("creates the push worker's check only after the wait", () => {
    expect(pushCheck[1].depends_on).toContain('time_sleep.wait_uptime_invoker_propagated');
    expect(upstream(stack, `google_monitoring_uptime_check_config.${pushCheck[0]}`).has(`google_project_iam_member.${invoker[0]}`)).toBe(true);
  });

  it('orders Push Worker Down after the wait, and its duration covers a slower propagation on top', () => {
    const policies = Object.entries(resourcesOf(stack, 'google_monitoring_alert_policy')).filter(([, p]) =>
      JSON.stringify(p.conditions).includes(`google_monitoring_uptime_check_config.${pushCheck[0]}.`),
    );
    expect(policies.length).toBeGreaterThan(0);
    for (const [name, policy] of policies) {
      expect(upstream(stack, `google_monitoring_alert_policy.${name}`).has('time_sleep.wait_uptime_invoker_propagated')).toBe(true);
      const duration = Math.min(...policy.conditions.map((c: any) => seconds((c.condition_threshold ?? c.condition_absent).duration)));
      // Probes may meet a 403 only past the wait; the policy opens only after `duration` of failures beyond that.
      expect(INVOKER_PROPAGATION_SECONDS + duration).toBeGreaterThanOrEqual(10 * 60);
    }
  });

  it('the API check (public) does not wait', () => {
    const api = Object.entries(checks).find(([, c]) => c.monitored_resource.type === 'uptime_url')!;
    expect(upstream(stack, `google_monitoring_uptime_check_config.${api[0]}`).has('time_sleep.wait_uptime_invoker_propagated')).toBe(false);
  });
});
