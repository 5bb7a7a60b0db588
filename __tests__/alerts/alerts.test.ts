import { resolveAlerts } from '../../catalog/alerts';
import { loadEnvironments } from '../../environments';
import { ENVS, loadStack, resourcesOf } from '../support/synth';

const PLAN = [
  ['Brute Force Attack', 'CRITICAL', 'security'],
  ['DDoS Attempt', 'CRITICAL', 'engineering'],
  ['Service Down', 'CRITICAL', 'engineering'],
  ['High Error Rate', 'CRITICAL', 'engineering'],
  ['Elevated Rate Limiting', 'WARNING', 'engineering'],
  ['Performance Degradation', 'WARNING', 'engineering'],
  ['Database Connection Issues', 'WARNING', 'engineering'],
  ['Authentication Failures Spike', 'WARNING', 'security'],
] as const;

/** The prod values of the plan (issue: "values for prod, from the app's plan"). */
const PROD_CONDITIONS: Record<string, Array<{ threshold: number; alignment?: string; duration: string }>> = {
  'Brute Force Attack': [
    { threshold: 5, alignment: '3600s', duration: '0s' },
    { threshold: 29, alignment: '3600s', duration: '0s' },
  ],
  'DDoS Attempt': [{ threshold: 1000, alignment: '300s', duration: '0s' }],
  'Service Down': [{ threshold: 1, alignment: '300s', duration: '120s' }],
  // Guards: 100 real requests + the 20 uptime probes of 5 minutes, "more than 119" (catalog/guards.ts).
  'High Error Rate': [
    { threshold: 0.05, alignment: '300s', duration: '0s' },
    { threshold: 119, alignment: '300s', duration: '0s' },
  ],
  'Elevated Rate Limiting': [
    { threshold: 0.1, alignment: '300s', duration: '300s' },
    { threshold: 119, alignment: '300s', duration: '300s' },
  ],
  'Performance Degradation': [{ threshold: 2, alignment: '60s', duration: '600s' }],
  'Database Connection Issues': [
    { threshold: 160, alignment: '60s', duration: '300s' },
    { threshold: 0, alignment: '300s', duration: '0s' },
  ],
  'Authentication Failures Spike': [{ threshold: 100, alignment: '600s', duration: '0s' }],
};

describe.each(ENVS)('%s alert policies', (envName) => {
  const stack = loadStack(envName);
  const env = loadEnvironments([envName])[0];
  const policies = Object.values(resourcesOf(stack, 'google_monitoring_alert_policy'));
  const channels = resourcesOf(stack, 'google_monitoring_notification_channel');
  const channelRef = (name: string) => `\${google_monitoring_notification_channel.${name}.name}`;
  const pagerduty = '${data.google_monitoring_notification_channel.channel_pagerduty.name}';
  const byName = (alert: string) => {
    const found = policies.filter((p) => p.display_name === `Vividly API (${envName}): ${alert}`);
    expect(found).toHaveLength(1);
    return found[0];
  };

  it('has the eight plan policies with their severities, owners and labels', () => {
    for (const [alert, severity, team] of PLAN) {
      const p = byName(alert);
      expect(p.severity).toBe(severity);
      expect(p.user_labels).toMatchObject({ environment: envName, severity: severity.toLowerCase(), team });
      expect(p.alert_strategy.auto_close).toBe('1800s');
      expect(p.enabled).toBe(true);
    }
  });

  it("uses the catalog's thresholds and windows with the environment's overrides", () => {
    for (const alert of resolveAlerts(env)) {
      const p = byName(alert.spec.displayName);
      expect(p.conditions).toHaveLength(alert.conditions.length);
      alert.conditions.forEach((c, i) => {
        expect(p.conditions[i].condition_threshold.threshold_value).toBe(c.threshold);
        expect(p.conditions[i].condition_threshold.duration).toBe(`${c.durationSeconds}s`);
      });
    }
    if (envName === 'prod') {
      for (const [alert, expected] of Object.entries(PROD_CONDITIONS)) {
        const conditions = byName(alert).conditions.map((c: any) => ({
          threshold: c.condition_threshold.threshold_value,
          alignment: c.condition_threshold.aggregations?.[0]?.alignment_period,
          duration: c.condition_threshold.duration,
        }));
        expect({ alert, conditions }).toEqual({ alert, conditions: expected });
      }
    }
    if (envName !== 'prod') {
      // staging and dev override the low-traffic guard of the share alerts (their nights are quieter): 40 real + 20 probes.
      expect(byName('High Error Rate').conditions[1].condition_threshold.threshold_value).toBe(59);
    }
  });

  it('scopes every metric condition to the environment’s own services', () => {
    for (const p of policies) {
      for (const c of p.conditions) {
        const filter: string = c.condition_threshold.filter;
        if (filter.startsWith('select_slo_')) continue;
        // Every metric condition reads one of three resource types, each scoped to this environment's own resource.
        const scope = filter.includes('resource.type="cloud_run_revision"')
          ? new RegExp(`resource.labels.service_name="${envName}-vividly-(api|push-worker)"`).test(filter)
          : filter.includes('resource.type="cloudsql_database"')
            ? filter.includes(`database_id="${env.projectId}:${envName}-vividly-db"`)
            : filter.includes('resource.type="uptime_url"')
              ? filter.includes('metric.labels.check_id="${google_monitoring_uptime_check_config.')
              : false;
        expect({ condition: c.display_name, scoped: scope }).toEqual({ condition: c.display_name, scoped: true });
      }
    }
  });

  it('routes by severity: prod pages CRITICAL and e-mails the owner; staging e-mails only; dev notifies nobody', () => {
    for (const [alert, severity, team] of PLAN) {
      const routed = [...byName(alert).notification_channels].sort();
      const email = Object.keys(channels)
        .filter((n) => n.startsWith(`channel_email_${team}`))
        .map(channelRef);
      const expected = envName === 'prod' ? (severity === 'CRITICAL' ? [pagerduty, ...email] : email) : envName === 'staging' ? email : [];
      expect({ alert, routed }).toEqual({ alert, routed: expected.sort() });
    }
    // PagerDuty is never this stack's resource (its key would sit in this stack's state): prod reads the channel the
    // bootstrap stack made, by exactly the type, display name and labels that stack gives it.
    expect(channels.channel_pagerduty).toBeUndefined();
    const read = ((stack as any).data?.google_monitoring_notification_channel ?? {}).channel_pagerduty;
    if (envName === 'prod') {
      const made = resourcesOf(loadStack(`${envName}-bootstrap`), 'google_monitoring_notification_channel').channel_pagerduty;
      expect(made.sensitive_labels).toEqual({ service_key: '${var.pagerduty_service_key}' });
      expect({ type: read.type, display_name: read.display_name, user_labels: read.user_labels, project: read.project }).toEqual({
        type: made.type,
        display_name: made.display_name,
        user_labels: made.user_labels,
        project: made.project,
      });
    } else expect(read).toBeUndefined();
    // dev has its teams' e-mail channels, but no policy routes to them.
    if (envName === 'dev') {
      expect(Object.keys(channels).sort()).toEqual(['channel_email_engineering', 'channel_email_security']);
      for (const p of policies) expect(p.notification_channels).toEqual([]);
    }
  });

  it('embeds the runbook as documentation within the limits, with a dashboard link', () => {
    for (const p of policies) {
      const doc = p.documentation;
      expect(doc.mime_type).toBe('text/markdown');
      expect([...doc.content].length).toBeLessThanOrEqual(8192);
      expect(Buffer.byteLength(doc.content, 'utf8')).toBeLessThanOrEqual(10240);
      expect(doc.content).toContain(env.projectId);
      expect(doc.content).toMatch(
        /## 1\. What fired[\s\S]*## 2\. First three checks[\s\S]*## 3\. Mitigations[\s\S]*## 4\. How to tell a false positive[\s\S]*## 5\. Escalation/,
      );
      expect(doc.links).toHaveLength(1);
      expect(doc.links[0].url).toMatch(
        /^https:\/\/console\.cloud\.google\.com\/monitoring\/dashboards\/builder\/\$\{element\(split\("\/", google_monitoring_dashboard\.dashboard_[a-z_]+\.id\), 3\)\}\?project=/,
      );
    }
  });

  it('checks /health over HTTPS every 60 s from four regions with a healthy-body matcher; Service Down reads it', () => {
    const checks = resourcesOf(stack, 'google_monitoring_uptime_check_config');
    const api = checks.uptime_api_health;
    expect(api).toMatchObject({
      period: '60s',
      timeout: '10s',
      selected_regions: ['USA_IOWA', 'EUROPE', 'ASIA_PACIFIC', 'SOUTH_AMERICA'],
      monitored_resource: { type: 'uptime_url', labels: { host: env.api.host, project_id: env.projectId } },
      http_check: { path: '/health', use_ssl: true, validate_ssl: true, port: 443 },
      content_matchers: [{ content: '"status":"healthy"', matcher: 'CONTAINS_STRING' }],
    });
    const worker = checks.uptime_push_worker_health;
    expect(worker.http_check.service_agent_authentication).toEqual({ type: 'OIDC_TOKEN' });
    expect(worker.monitored_resource).toMatchObject({ type: 'cloud_run_revision', labels: { service_name: `${envName}-vividly-push-worker` } });
    const down = byName('Service Down').conditions[0].condition_threshold;
    expect(down.filter).toContain('metric.labels.check_id="${google_monitoring_uptime_check_config.uptime_api_health.uptime_check_id}"');
    expect(down.aggregations[0]).toMatchObject({ per_series_aligner: 'ALIGN_NEXT_OLDER', cross_series_reducer: 'REDUCE_COUNT_FALSE' });
  });
});
