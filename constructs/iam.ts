import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environments/schema';
import { named, NamingStrategy } from './naming';

/** What the API's runtime service account needs to write telemetry (plan-summary "IAM Permissions"). */
export const API_RUNTIME_ROLES = ['roles/monitoring.metricWriter', 'roles/logging.logWriter', 'roles/errorreporting.writer', 'roles/cloudtrace.agent'] as const;

/**
 * The narrow predefined roles the deployer needs to manage what this project creates. Deliberately absent:
 * `roles/resourcemanager.projectIamAdmin`, which managing these members needs; a stack must not grant its own
 * deployer the right to grant anything, so that one is granted once, by hand (README, "First deploy").
 */
export const DEPLOYER_ROLES = [
  'roles/monitoring.alertPolicyEditor', // alert policies
  'roles/monitoring.uptimeCheckConfigEditor', // uptime checks
  'roles/monitoring.dashboardEditor', // dashboards
  'roles/monitoring.notificationChannelEditor', // notification channels
  'roles/monitoring.servicesEditor', // services and SLOs
  // Metric descriptors: create and list (monitoring.metricDescriptors.create). Deleting one (a destroy, or a kind
  // change that replaces it) needs monitoring.metricDescriptors.delete, which no narrower predefined role than
  // roles/monitoring.editor holds: such a change is done once by hand (README, "First deploy").
  'roles/monitoring.metricWriter',
  'roles/logging.configWriter', // log-based metrics, bucket settings, exclusions
  'roles/serviceusage.serviceUsageAdmin', // google_project_service
] as const;

/** Non-authoritative members only: a binding or policy would strip grants made elsewhere (gcp-facts §7.2). */
export class Iam extends Construct {
  readonly members: ProjectIamMember[] = [];

  constructor(scope: Construct, id: string, env: EnvironmentConfig, naming: NamingStrategy) {
    super(scope, id);
    const grant = (who: string, email: string, roles: readonly string[]) => {
      for (const role of roles) {
        this.members.push(
          named(
            new ProjectIamMember(this, `${who}-${role}`, { project: env.projectId, role, member: `serviceAccount:${email}` }),
            naming.resourceName('iam', `${who}_${role.replace('roles/', '')}`),
          ),
        );
      }
    };
    grant('api_runtime', env.serviceAccounts.apiRuntime, API_RUNTIME_ROLES);
    grant('deployer', env.serviceAccounts.deployer, DEPLOYER_ROLES);
  }
}
