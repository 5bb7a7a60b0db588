import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import { GcsBackend, TerraformOutput, TerraformResource, TerraformStack } from 'cdktf';
import { dependable } from 'cdktf/lib/tfExpression';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environments/schema';
import { DeployerAccess } from '../constructs/deployer-access';
import { GithubFederation } from '../constructs/github-federation';
import { SecretNotificationChannels } from '../constructs/notification-channels';
import { defaultNaming, named } from '../constructs/naming';
import { bootstrapStackName } from './synth-output';

/** APIs that must be on before the deployer or the planner can authenticate and plan (and before WIF exists). */
export const BOOTSTRAP_SERVICES = [
  'iam.googleapis.com', // service accounts, workload identity pools
  'iamcredentials.googleapis.com', // impersonating the deployer / planner from a federated token
  'sts.googleapis.com', // exchanging GitHub's OIDC token
  'cloudresourcemanager.googleapis.com', // project allow policy (google_project_iam_member)
  'serviceusage.googleapis.com', // google_project_service in the monitoring stack
  // The secret-bearing notification channels below; and the monitoring stack reads them with a data source at plan
  // time, so the API is on before its first plan. (The monitoring stack therefore does not declare it.)
  'monitoring.googleapis.com',
] as const;

/** The state prefix of an environment's bootstrap stack: its own, beside the monitoring stack's. */
export const bootstrapStatePrefix = (env: EnvironmentConfig): string => `${env.state.prefix}-bootstrap`;

/**
 * `<env>-bootstrap`: what must exist before the monitoring stack can be planned or applied, applied once by an
 * admin (README, "First deploy"): the deployer's roles, the read-only planner, Workload Identity Federation for the
 * GitHub workflow, the APIs these need, and the notification channels that carry a secret (PagerDuty, Slack): their
 * keys live only in this stack's state, which neither the planner nor the deployer can read (DeployerAccess). The monitoring stack never grants or revokes its own deployer's rights.
 */
export class BootstrapStack extends TerraformStack {
  constructor(
    scope: Construct,
    readonly env: EnvironmentConfig,
  ) {
    super(scope, bootstrapStackName(env.name));
    const naming = defaultNaming(env);
    new GcsBackend(this, { bucket: env.state.bucket, prefix: bootstrapStatePrefix(env) });
    new GoogleProvider(this, 'google', { project: env.projectId, region: env.region });
    this.addOverride('terraform.required_providers.google.source', 'hashicorp/google');

    const services = BOOTSTRAP_SERVICES.map((service) =>
      named(
        // Never switched off by a destroy: the app and the monitoring stack rely on them too (gcp-facts §8.3).
        new ProjectService(this, service, { project: env.projectId, service, disableOnDestroy: false, disableDependentServices: false }),
        naming.resourceName('service', service.split('.')[0]),
      ),
    );
    new DeployerAccess(this, 'access', env, naming);
    const secretChannels = new SecretNotificationChannels(this, 'channels', env, naming);
    const federation = new GithubFederation(this, 'github', env, naming);
    // Everything else needs the APIs on first (a fresh project has IAM Credentials and STS off).
    for (const node of this.node.findAll()) {
      if (node instanceof TerraformResource && !(node instanceof ProjectService)) node.dependsOn = services.map((s) => dependable(s));
    }

    // What the GitHub workflow's variables take (README, "CI/CD").
    new TerraformOutput(this, 'planner_service_account', { value: federation.planner.email });
    new TerraformOutput(this, 'planner_workload_identity_provider', { value: federation.plannerProvider.name });
    if (federation.deployerProvider) {
      new TerraformOutput(this, 'deployer_service_account', { value: env.serviceAccounts.deployer });
      new TerraformOutput(this, 'deployer_workload_identity_provider', { value: federation.deployerProvider.name });
    }
    // Not secret: the channels' resource names (the monitoring stack finds them by type, display name and labels).
    for (const [kind, channel] of Object.entries(secretChannels.channels)) new TerraformOutput(this, `${kind}_channel`, { value: channel.name });
  }
}
