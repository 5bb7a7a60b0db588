import * as path from 'node:path';
import { loadPolicyFile } from '../../gcp/simulate/policies';
import { simulateScenario } from '../../gcp/simulate/simulate';
import { iso, scenario, T0 } from './helpers';

const set = loadPolicyFile(path.join(__dirname, 'fixtures', 'mini-cdk.tf.json'));
const byName = (r: ReturnType<typeof simulateScenario>, n: string) => r.policies.find((p) => p.displayName.includes(n))!;
const res = { type: 'cloud_run_revision', labels: { service_name: 'dev-vividly-api', revision_name: 'dev-vividly-api-00030', location: 'us-central1' } };
const entry = (s: number, severity: string, message: string) => ({ timestamp: iso(s), severity, resource: res, jsonPayload: { message, logger: 'app.main' } });

describe('cdk.tf.json input', () => {
  test('policies are converted and interpolations resolved', () => {
    expect(set.policies.map((p) => p.displayName)).toEqual(['dev - API error logs', 'dev - API down', 'dev - Unhandled exception', 'dev - Unresolvable']);
    const filter = set.policies[0].policy.conditions![0].conditionThreshold!.filter!;
    expect(filter).toContain('metric.type="logging.googleapis.com/user/api_errors"');
    expect(set.policies[1].policy.conditions![0].conditionThreshold!.filter).toContain('metric.label.check_id="api_health"');
    expect(set.policies[0].notificationChannels).toEqual(['${google_monitoring_notification_channel.email.id}']);
    expect(set.logMetrics.map((m) => m.metric.name)).toEqual(['api_errors']);
  });

  test('log entries become per-minute log-based metric points; LogMatch fires with its rate limit; leftover interpolation is an error', () => {
    const logs = [
      entry(600, 'INFO', 'ok'),
      entry(610, 'ERROR', 'Unexpected error: boom'), // minute [600, 660): 3 errors -> point at 660
      entry(620, 'ERROR', 'db'),
      entry(630, 'ERROR', 'db'),
      entry(700, 'ERROR', 'Unexpected error: again'), // 90 s after the first: rate-limited
      entry(1000, 'ERROR', 'Unexpected error: later'), // 390 s after: notified
    ];
    const r = simulateScenario(set, scenario({ logs, incidentStart: iso(600) }));
    const errs = byName(r, 'API error logs');
    expect(errs.error).toBeUndefined();
    // ALIGN_DELTA over (T-60, T]: the point at 660 holds 3 (> 2); seen at T = 660 (no ingestion delay modelled)
    expect(errs.firstFiredAt).toBe(T0 + 660_000);
    expect(errs.detectionSeconds).toBe(60);
    const lm = byName(r, 'Unhandled exception');
    expect(lm.firstFiredAt).toBe(T0 + 610_000);
    expect(lm.notifications).toEqual({ sent: 2, suppressed: 1 });
    expect(byName(r, 'Unresolvable').error).toMatch(
      /policy "dev - Unresolvable", condition "x": conditionThreshold.filter: unresolved Terraform interpolation/,
    );
  });

  test('uptime check series use the TF resource name as check_id', () => {
    const check = (region: string, failFrom?: string) => ({
      metric: { type: 'monitoring.googleapis.com/uptime_check/check_passed', labels: { check_id: 'api_health', checker_location: region } },
      resource: { type: 'uptime_url', labels: { host: 'api.example.com', project_id: 'vividly-dev' } },
      kind: 'GAUGE',
      valueType: 'BOOL',
      value: failFrom ? { step: { at: failFrom, before: 1, after: 0 } } : 1,
    });
    const down = simulateScenario(
      set,
      scenario({ incidentStart: iso(1800), series: [check('usa-iowa', 'incident'), check('europe', 'incident'), check('asia')] }),
    );
    // the sample at the incident time is already false; 2 false > 1 from T = 1800, held for 60 s
    expect(byName(down, 'API down').detectionSeconds).toBe(60);
    const oneRegion = simulateScenario(set, scenario({ incidentStart: iso(1800), series: [check('usa-iowa', 'incident'), check('europe'), check('asia')] }));
    expect(byName(oneRegion, 'API down').fired).toBe(false);
  });
});
