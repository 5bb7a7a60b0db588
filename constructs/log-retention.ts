import { LoggingProjectBucketConfig } from '@cdktf/provider-google/lib/logging-project-bucket-config';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environments/schema';
import { named, NamingStrategy } from './naming';

/**
 * The `_Default` log bucket's retention (30 days in the plan). The bucket cannot be created or deleted: Terraform
 * adopts it, and a destroy only forgets it (gcp-facts §8.1).
 */
export class LogRetention extends Construct {
  constructor(scope: Construct, id: string, env: EnvironmentConfig, naming: NamingStrategy) {
    super(scope, id);
    named(
      new LoggingProjectBucketConfig(this, 'default-bucket', {
        project: env.projectId,
        location: 'global',
        bucketId: '_Default',
        retentionDays: env.logRetentionDays,
      }),
      naming.resourceName('log_bucket', 'default'),
    );
  }
}
