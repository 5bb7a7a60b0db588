import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environments/schema';
import { named, NamingStrategy } from './naming';

/**
 * What the API's runtime service account needs to write telemetry that nobody else grants it (plan-summary "IAM
 * Permissions"). Deliberately absent: `roles/logging.logWriter` and `roles/monitoring.metricWriter`, which the app's
 * own Terraform grants the same account (vividly-app.md §1.6, `cloud_run.tf:39-85`). A `google_project_iam_member`
 * is not reference-counted: destroying it removes the member whoever else declared it (gcp-facts §10), so declaring
 * them here too would let a destroy of this stack silently revoke the app's logging. __tests__/foundation/iam.test.ts
 * keeps the two lists apart (fixture: __tests__/fixtures/vividly-app-iam-grants.json).
 */
export const API_RUNTIME_ROLES = ['roles/errorreporting.writer', 'roles/cloudtrace.agent'] as const;

/**
 * Non-authoritative members only: a binding or policy would strip grants made elsewhere (gcp-facts §7.2).
 * The deployer's own rights are not here: the bootstrap stack holds them (stacks/bootstrap-stack.ts), so this stack
 * never grants or revokes the rights of the identity that applies it.
 */
export class Iam extends Construct {
  readonly members: ProjectIamMember[] = [];

  constructor(scope: Construct, id: string, env: EnvironmentConfig, naming: NamingStrategy) {
    super(scope, id);
    for (const role of API_RUNTIME_ROLES) {
      this.members.push(
        named(
          new ProjectIamMember(this, `api_runtime-${role}`, { project: env.projectId, role, member: `serviceAccount:${env.serviceAccounts.apiRuntime}` }),
          naming.resourceName('iam', `api_runtime_${role.replace('roles/', '')}`),
        ),
      );
    }
  }
}
