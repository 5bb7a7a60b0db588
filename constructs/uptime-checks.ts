import { DataGoogleProject } from '@cdktf/provider-google/lib/data-google-project';
import { MonitoringUptimeCheckConfig } from '@cdktf/provider-google/lib/monitoring-uptime-check-config';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { Sleep } from '@cdktf/provider-time/lib/sleep';
import { Construct } from 'constructs';
import { CHECKER_REGIONS, UPTIME_PERIOD_SECONDS } from '../catalog/uptime';
import type { EnvironmentConfig } from '../environments/schema';
import { CLOUD_RUN_SERVER_LABELS } from '../gcp/facts/builtin-metrics';
import { named, NamingStrategy } from './naming';

export { CHECKER_REGIONS };
export const UPTIME_PERIOD = `${UPTIME_PERIOD_SECONDS}s`;
export const UPTIME_TIMEOUT = '10s';
/** FastAPI renders JSON compactly: `{"status":"healthy",...}` (vividly-app.md §4). */
export const HEALTHY_BODY = '"status":"healthy"';
/** What the uptime service agent needs to probe the (private) push worker with an OIDC token. */
export const UPTIME_AGENT_ROLE = 'roles/run.invoker';
/**
 * IAM allow-policy changes "typically propagate in 2 minutes, but could potentially take 7 minutes or longer"
 * (cloud.google.com/iam/docs/access-change-propagation, gcp-facts §10). The push worker's check is created only after
 * this wait, so its first probes do not meet a 403; Push Worker Down's own 5-minute duration covers a slower
 * propagation on top (12 minutes in all). time_sleep waits on create only: later deploys do not wait.
 */
export const INVOKER_PROPAGATION_SECONDS = 420;

export class UptimeChecks extends Construct {
  readonly api: MonitoringUptimeCheckConfig;
  readonly pushWorker: MonitoringUptimeCheckConfig;
  /** Passed once the uptime agent's run.invoker grant has had time to propagate. */
  readonly invokerPropagated: Sleep;

  constructor(scope: Construct, id: string, env: EnvironmentConfig, naming: NamingStrategy) {
    super(scope, id);
    this.api = named(
      new MonitoringUptimeCheckConfig(this, 'api', {
        project: env.projectId,
        displayName: `Vividly API (${env.name}) ${env.api.healthPath}`,
        period: UPTIME_PERIOD,
        timeout: UPTIME_TIMEOUT,
        selectedRegions: [...CHECKER_REGIONS],
        monitoredResource: { type: 'uptime_url', labels: { project_id: env.projectId, host: env.api.host } },
        httpCheck: { path: env.api.healthPath, port: 443, useSsl: true, validateSsl: true, requestMethod: 'GET' },
        contentMatchers: [{ content: HEALTHY_BODY, matcher: 'CONTAINS_STRING' }],
        userLabels: naming.labels({ target: 'api' }),
      }),
      naming.resourceName('uptime', 'api_health'),
    );

    // The uptime service agent must be allowed to invoke the worker for its OIDC-authenticated probe, before the
    // first probe runs (a 403 would open Push Worker Down on the first deploy). Project-level, because granting on
    // the one service needs run.services.setIamPolicy, which only roles/run.admin-sized roles hold.
    const project = named(new DataGoogleProject(this, 'project', { projectId: env.projectId }), 'project');
    const invoker = named(
      new ProjectIamMember(this, 'uptime-agent-invoker', {
        project: env.projectId,
        role: UPTIME_AGENT_ROLE,
        member: `serviceAccount:service-${project.number}@gcp-sa-monitoring-notification.iam.gserviceaccount.com`,
      }),
      naming.resourceName('iam', 'uptime_agent_run_invoker'),
    );
    // Replaced (and so waited for again) whenever the grant itself is replaced.
    this.invokerPropagated = named(
      new Sleep(this, 'invoker-propagated', {
        createDuration: `${INVOKER_PROPAGATION_SECONDS}s`,
        triggers: { role: invoker.role, member: invoker.member },
        dependsOn: [invoker],
      }),
      'wait_uptime_invoker_propagated',
    );

    // The worker is not public: probe it as a Cloud Run service with the uptime service agent's OIDC token.
    this.pushWorker = named(
      new MonitoringUptimeCheckConfig(this, 'push-worker', {
        project: env.projectId,
        displayName: `Vividly push worker (${env.name}) /health`,
        period: UPTIME_PERIOD,
        timeout: UPTIME_TIMEOUT,
        selectedRegions: [...CHECKER_REGIONS],
        monitoredResource: {
          type: 'cloud_run_revision',
          labels: { project_id: env.projectId, service_name: env.services.pushWorker, location: env.region },
        },
        httpCheck: { path: '/health', port: 443, useSsl: true, requestMethod: 'GET', serviceAgentAuthentication: { type: 'OIDC_TOKEN' } },
        contentMatchers: [{ content: HEALTHY_BODY, matcher: 'CONTAINS_STRING' }],
        userLabels: naming.labels({ target: 'push-worker' }),
        dependsOn: [this.invokerPropagated],
        // The API fills in `configuration_name` and `revision_name` (the revision serving at creation time). Leaving
        // them out makes every plan show a diff on these ForceNew labels, so every apply would replace the check (new
        // id, a gap in check_passed, Push Worker Down rewritten); writing them as "" fails with 404 "Could not fetch
        // resource metadata for cloud_run_revision" (maintainer's reproduction in
        // hashicorp/terraform-provider-google#19733; provider 6.50.0 suppresses the diff only for `project_id`,
        // gcp-facts §10). Terraform keeps the values the API chose for exactly these two keys; a change of service,
        // location or project still plans a replacement. Lint rule `uptime/cloud-run-server-labels` guards it.
        lifecycle: { ignoreChanges: [...CLOUD_RUN_SERVER_LABELS.map((k) => `monitored_resource[0].labels["${k}"]`)] },
      }),
      naming.resourceName('uptime', 'push_worker_health'),
    );
  }
}
