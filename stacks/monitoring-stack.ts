import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { GcsBackend, TerraformResource, TerraformStack } from 'cdktf';
import { dependable } from 'cdktf/lib/tfExpression';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environments/schema';
import { AlertPolicies } from '../constructs/alert-policies';
import { Dashboards } from '../constructs/dashboards';
import { Iam } from '../constructs/iam';
import { LogExclusions } from '../constructs/log-exclusions';
import { LogMetrics } from '../constructs/log-metrics';
import { LogRetention } from '../constructs/log-retention';
import { MetricDescriptors } from '../constructs/metric-descriptors';
import { defaultNaming, NamingStrategy } from '../constructs/naming';
import { NotificationChannels } from '../constructs/notification-channels';
import { ProjectServices } from '../constructs/project-services';
import { Slos } from '../constructs/slos';
import { UptimeChecks } from '../constructs/uptime-checks';

/** The google provider this project is bound to (@cdktf/provider-google 16.12.1). */
export const GOOGLE_PROVIDER_VERSION = '6.50.0';

/**
 * The whole monitoring stack of one environment (stack name = environment name), composed from one construct
 * per concern. Decisions live in catalog/ and environments/; this file only wires them.
 */
export class MonitoringStack extends TerraformStack {
  readonly naming: NamingStrategy;

  constructor(
    scope: Construct,
    readonly env: EnvironmentConfig,
  ) {
    super(scope, env.name);
    this.naming = defaultNaming(env);
    const naming = this.naming;

    // Each environment has its own state bucket and prefix: never shared with another stack.
    new GcsBackend(this, { bucket: env.state.bucket, prefix: env.state.prefix });
    new GoogleProvider(this, 'google', { project: env.projectId, region: env.region });
    // The binding writes the short source "google"; spell out the registry address plain Terraform resolves it to.
    this.addOverride('terraform.required_providers.google.source', 'hashicorp/google');
    new TimeProvider(this, 'time', {});

    const services = new ProjectServices(this, 'services', env, naming);
    new LogRetention(this, 'log-retention', env, naming);
    new LogExclusions(this, 'log-exclusions', env, naming);
    new Iam(this, 'iam', env, naming);
    const channels = new NotificationChannels(this, 'channels', env, naming);
    const logMetrics = new LogMetrics(this, 'log-metrics', env, naming);
    new MetricDescriptors(this, 'metric-descriptors', env, naming);
    const uptime = new UptimeChecks(this, 'uptime', env, naming);
    const dashboards = new Dashboards(this, 'dashboards', env, naming);
    const slos = new Slos(this, 'slos', env, naming, logMetrics.propagated);
    new AlertPolicies(this, 'alerts', {
      env,
      naming,
      routing: channels,
      uptimeCheckIds: { api: uptime.api.uptimeCheckId, pushWorker: uptime.pushWorker.uptimeCheckId },
      logMetricsReady: logMetrics.propagated,
      dashboards: dashboards.links,
      sloNames: slos.names,
    });

    // Logging resources need their API on in a fresh project (written as CDKTF writes dependsOn). Cloud Monitoring's
    // is on before this stack is first planned: the bootstrap stack turns it on.
    const logging = services.byName['logging.googleapis.com'];
    for (const node of this.node.findAll()) {
      if (node instanceof TerraformResource && /^google_logging_/.test(node.terraformResourceType)) {
        node.dependsOn = [...(node.dependsOn ?? []), dependable(logging)];
      }
    }
  }
}
