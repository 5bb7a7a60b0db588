import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environments/schema';
import { named, NamingStrategy } from './naming';

/**
 * The APIs the plan needs (plan-summary "GCP Services"). Service Usage itself, which this resource needs, and
 * Cloud Monitoring, which this stack's plan already reads (the secret channels' data sources), are the bootstrap
 * stack's (stacks/bootstrap-stack.ts BOOTSTRAP_SERVICES): no API is declared by both stacks.
 */
export const REQUIRED_SERVICES = ['logging.googleapis.com', 'clouderrorreporting.googleapis.com', 'cloudtrace.googleapis.com'] as const;

export class ProjectServices extends Construct {
  readonly byName: Record<(typeof REQUIRED_SERVICES)[number], ProjectService>;

  constructor(scope: Construct, id: string, env: EnvironmentConfig, naming: NamingStrategy) {
    super(scope, id);
    this.byName = Object.fromEntries(
      REQUIRED_SERVICES.map((service) => [
        service,
        named(
          new ProjectService(this, service, {
            project: env.projectId,
            service,
            // Destroying this stack must never switch an API off for the whole project (gcp-facts §8.3).
            disableOnDestroy: false,
            disableDependentServices: false,
          }),
          naming.resourceName('service', service.split('.')[0]),
        ),
      ]),
    ) as ProjectServices['byName'];
  }
}
