import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environments/schema';
import { API_RUNTIME_ROLES } from './iam';
import { named, NamingStrategy } from './naming';
import { UPTIME_AGENT_ROLE } from './uptime-checks';

/**
 * The narrow predefined roles the deployer needs to manage what the monitoring stack creates. Granted by the
 * bootstrap stack (applied once by an admin), never by the monitoring stack itself: a stack that grants its own
 * deployer fails its first apply with 403 and can revoke the deployer half-way through a destroy.
 */
export const DEPLOYER_ROLES = [
  'roles/monitoring.alertPolicyEditor', // alert policies
  'roles/monitoring.uptimeCheckConfigEditor', // uptime checks
  'roles/monitoring.dashboardEditor', // dashboards
  'roles/monitoring.notificationChannelEditor', // notification channels
  'roles/monitoring.servicesEditor', // services and SLOs
  // Metric descriptors: create and list (monitoring.metricDescriptors.create). Deleting one (a destroy, or a kind
  // change that replaces it) needs monitoring.metricDescriptors.delete, which no narrower predefined role than
  // roles/monitoring.editor holds: such a change is done once by an admin (README, "First deploy").
  'roles/monitoring.metricWriter',
  'roles/logging.configWriter', // log-based metrics, bucket settings, exclusions
  'roles/serviceusage.serviceUsageAdmin', // google_project_service (monitoring, logging, error reporting, trace)
] as const;

/** Every role the monitoring stack itself grants: the only roles its deployer may grant or revoke. */
export const MONITORING_STACK_GRANTED_ROLES = [...API_RUNTIME_ROLES, UPTIME_AGENT_ROLE] as const;

/**
 * Project IAM Admin limited by an IAM condition on `iam.googleapis.com/modifiedGrantsByRole` to the roles the
 * monitoring stack grants (Google, "Set limits on granting roles": cloud.google.com/iam/docs/setting-limits-on-granting-roles).
 * Reading the policy (a refresh) modifies no grant, so the default `[]` passes `hasOnly`.
 */
export function limitedGrantCondition(roles: readonly string[]): string {
  return `api.getAttribute('iam.googleapis.com/modifiedGrantsByRole', []).hasOnly([${roles.map((r) => `'${r}'`).join(', ')}])`;
}

/**
 * Read-only roles of the planner (pull-request plans and the nightly drift watch): enough to refresh every resource
 * type the monitoring stack holds, nothing that writes.
 */
export const PLANNER_ROLES = [
  'roles/monitoring.viewer', // alert policies, uptime checks, dashboards, channels, services, SLOs, metric descriptors
  'roles/logging.viewer', // log-based metrics, the _Default bucket's settings, exclusions
  'roles/serviceusage.serviceUsageViewer', // google_project_service
  'roles/browser', // data google_project and the project's allow policy (google_project_iam_member refresh)
] as const;

/**
 * The IAM condition that limits a storage role on the state bucket to one state prefix. Terraform's gcs backend keeps
 * a workspace's state at `<prefix>/<workspace>.tfstate` and its lock at `<prefix>/<workspace>.tflock`, and lists
 * workspaces with the prefix `<prefix>/` (hashicorp/terraform internal/backend/remote-state/gcs/backend_state.go), so:
 * - object reads and writes: `resource.name` of an object is `projects/_/buckets/BUCKET/objects/OBJECT` (Google,
 *   "Resource attributes for IAM Conditions", resource name format for Cloud Storage objects); the trailing `/`
 *   keeps `monitoring/prod/` from matching `monitoring/prod-bootstrap/`;
 * - the listing `terraform init` does: a list request names the bucket, not an object, so it is allowed through the
 *   request attribute `storage.googleapis.com/objectListPrefix` (the list call's `prefix`), also limited to `<prefix>/`.
 *   UNCONFIRMED for allow policies: found only in Credential Access Boundary rules (Google's downscoped credentials).
 *   If Google ignores it here, the list is denied (fails closed): `terraform init` of the planner or deployer stops
 *   with a 403 on the list, and the fix is a separate unconditioned list-only grant, never a wider read.
 * Conditions on a bucket need uniform bucket-level access (README, "First deploy").
 */
export function statePrefixCondition(bucket: string, prefix: string): string {
  const folder = `${prefix.replace(/\/+$/, '')}/`;
  return (
    `resource.name.startsWith('projects/_/buckets/${bucket}/objects/${folder}')` +
    ` || api.getAttribute('storage.googleapis.com/objectListPrefix', '').startsWith('${folder}')`
  );
}

/** The deployer's and the planner's rights in one environment, and their access to its state bucket. */
export class DeployerAccess extends Construct {
  readonly members: (ProjectIamMember | StorageBucketIamMember)[] = [];

  constructor(scope: Construct, id: string, env: EnvironmentConfig, naming: NamingStrategy) {
    super(scope, id);
    const deployer = `serviceAccount:${env.serviceAccounts.deployer}`;
    const planner = `serviceAccount:${env.serviceAccounts.planner}`;
    const project = (who: string, member: string, role: string, condition?: { title: string; description: string; expression: string }) =>
      this.members.push(
        named(
          new ProjectIamMember(this, `${who}-${role}`, { project: env.projectId, role, member, condition }),
          naming.resourceName('iam', `${who}_${role.replace('roles/', '')}`),
        ),
      );
    for (const role of DEPLOYER_ROLES) project('deployer', deployer, role);
    project('deployer', deployer, 'roles/resourcemanager.projectIamAdmin', {
      title: 'monitoring-stack-grants-only',
      description: 'May grant and revoke only the roles the monitoring stack declares',
      expression: limitedGrantCondition(MONITORING_STACK_GRANTED_ROLES),
    });
    for (const role of PLANNER_ROLES) project('planner', planner, role);

    // State: the deployer reads and writes the monitoring stack's state (and its lock file); the planner only reads it
    // (plans run with -lock=false). Neither reaches another prefix of the bucket, above all not `<env>-bootstrap`'s,
    // which holds the secret-bearing channels: only admins read or write that one.
    const bucket = (who: string, member: string, role: string) =>
      this.members.push(
        named(
          new StorageBucketIamMember(this, `${who}-state-${role}`, {
            bucket: env.state.bucket,
            role,
            member,
            condition: {
              title: `state-prefix-${env.state.prefix}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 100),
              description: `Only the objects of the monitoring stack's state, gs://${env.state.bucket}/${env.state.prefix}/`,
              expression: statePrefixCondition(env.state.bucket, env.state.prefix),
            },
          }),
          naming.resourceName('state', `${who}_${role.replace('roles/', '')}`),
        ),
      );
    bucket('deployer', deployer, 'roles/storage.objectAdmin');
    bucket('planner', planner, 'roles/storage.objectViewer');
  }
}
