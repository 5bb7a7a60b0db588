/** Stack-wide properties; resource counts and values are in the inventory (inventory.test.ts). */
import { ENVS, loadStack, resourcesOf } from '../support/synth';
import { TOKEN_STACK_FRAMES, withShortTokenStacks } from '../../stacks/token-stacks';

describe.each(ENVS)('%s stack', (env) => {
  const stack = loadStack(env);

  it('pins the google provider to 6.50.0 and keeps its own GCS state', () => {
    const terraform = stack.terraform as any;
    expect(terraform.required_providers.google.version).toBe('6.50.0');
    expect(terraform.backend.gcs.prefix).toBe(`monitoring/${env}`);
    expect(terraform.backend.gcs.bucket).toMatch(/-terraform-state$/);
  });

  it("enables the APIs it needs (Cloud Monitoring is the bootstrap stack's) without ever disabling them on destroy", () => {
    const services = Object.values(resourcesOf(stack, 'google_project_service'));
    expect(services.map((s) => s.service).sort()).toEqual(['clouderrorreporting.googleapis.com', 'cloudtrace.googleapis.com', 'logging.googleapis.com']);
    const bootstrap = Object.values(resourcesOf(loadStack(`${env}-bootstrap`), 'google_project_service')).map((s) => s.service);
    expect(bootstrap).toContain('monitoring.googleapis.com');
    for (const s of services) expect(s.disable_on_destroy).toBe(false);
  });

  it('keeps _Default logs for 30 days', () => {
    const buckets = Object.values(resourcesOf(stack, 'google_logging_project_bucket_config'));
    expect(buckets).toHaveLength(1);
    expect(buckets[0]).toMatchObject({ bucket_id: '_Default', location: 'global', retention_days: 30 });
  });

  it('grants IAM with non-authoritative members and predefined roles only', () => {
    expect(stack.resource.google_project_iam_binding).toBeUndefined();
    expect(stack.resource.google_project_iam_policy).toBeUndefined();
    const members = Object.values(resourcesOf(stack, 'google_project_iam_member'));
    for (const m of members) expect(m.role).not.toMatch(/^roles\/(owner|editor|viewer)$/);
    const runtime = members.filter((m) => String(m.member).startsWith(`serviceAccount:${env}-cloud-run-sa@`));
    // logging.logWriter and monitoring.metricWriter are the app's own grants (__tests__/foundation/iam.test.ts).
    expect(runtime.map((m) => m.role).sort()).toEqual(['roles/cloudtrace.agent', 'roles/errorreporting.writer']);
    // The deployer's rights live in the bootstrap stack: this stack never grants or revokes them.
    expect(members.filter((m) => String(m.member).includes(`${env}-cicd@`))).toEqual([]);
  });

  it('makes every alert on a log-based metric wait for the metrics to propagate', () => {
    const metricTypes = Object.values(resourcesOf(stack, 'google_logging_metric')).map((m) => `logging.googleapis.com/user/${m.name}`);
    const sleep = Object.keys(resourcesOf(stack, 'time_sleep'));
    expect(sleep.sort()).toEqual(['wait_log_metrics_propagated', 'wait_uptime_invoker_propagated']);
    // An SLO whose SLI reads a log-based metric counts as reading it.
    const slosOnLogMetrics = Object.entries(resourcesOf(stack, 'google_monitoring_slo'))
      .filter(([, slo]) => metricTypes.some((t) => JSON.stringify(slo.request_based_sli).includes(t)))
      .map(([name]) => `google_monitoring_slo.${name}.`);
    expect(slosOnLogMetrics).toEqual(['google_monitoring_slo.slo_latency.']);
    for (const policy of Object.values(resourcesOf(stack, 'google_monitoring_alert_policy'))) {
      const filters = JSON.stringify(policy.conditions);
      const usesLogMetric = [...metricTypes, ...slosOnLogMetrics].some((t) => filters.includes(t));
      expect({ policy: policy.display_name, waits: (policy.depends_on ?? []).includes('time_sleep.wait_log_metrics_propagated') }).toEqual({
        policy: policy.display_name,
        waits: usesLogMetric,
      });
    }
  });
});

describe("cdktf's token creation records during a synth (stacks/token-stacks.ts)", () => {
  /** Calls `body` from `depth` nested frames. */
  const nested = <T>(depth: number, body: () => T): T => (depth === 0 ? body() : nested(depth - 1, body));
  /** What cdktf's captureStackTrace does for every token: the whole stack, on a plain object, read at once. */
  const record = (): string[] => {
    const limit = Error.stackTraceLimit;
    const object = { stack: '' };
    try {
      Error.stackTraceLimit = Number.MAX_SAFE_INTEGER;
      Error.captureStackTrace(object);
    } finally {
      Error.stackTraceLimit = limit;
    }
    return object.stack.split('\n').slice(1);
  };
  const thrown = (): Error => {
    try {
      throw new Error('a misused value');
    } catch (err) {
      return err as Error;
    }
  };

  it('keeps the frames nearest the token, formatted plainly; outside a synth the record is whole', () => {
    const short = withShortTokenStacks(() => nested(40, record));
    expect(short).toHaveLength(TOKEN_STACK_FRAMES);
    expect(short[0]).toMatch(/^ {4}at record \(.*stack\.test\.ts:\d+:\d+\)$/);
    expect(nested(40, record).length).toBeGreaterThan(40);
  });

  it("formats an Error's stack as the formatter in place does (whole, source-mapped), and puts that formatter back, also after a throw", () => {
    const before = Error.prepareStackTrace;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 100;
    try {
      const inside = withShortTokenStacks(() => nested(40, thrown).stack!).split('\n');
      const outside = nested(40, thrown).stack!.split('\n');
      expect(inside[0]).toBe('Error: a misused value');
      expect(inside.length).toBeGreaterThan(40);
      // The line of the `throw` in this TypeScript file, as jest's source-mapped formatter reports it outside.
      expect(inside[1]).toBe(outside[1]);
      expect(inside[1]).toMatch(/stack\.test\.ts:\d+:\d+\)$/);
    } finally {
      Error.stackTraceLimit = limit;
    }
    expect(Error.prepareStackTrace).toBe(before);
    expect(() =>
      withShortTokenStacks(() => {
        throw new Error('stop');
      }),
    ).toThrow('stop');
    expect(Error.prepareStackTrace).toBe(before);
  });
});
