import type { EnvironmentInput } from './defaults';
import { GITHUB_REPOSITORY, trafficProfile } from './defaults';

/**
 * staging. PLACEHOLDERS, as in the app's own Terraform (`terraform/environments/staging.tfvars`, "TODO: Replace"):
 * the project id `vividly-staging`, the host `api-staging.vividly.mnps.edu` and the team e-mail addresses.
 * staging is where the fire drills run; it e-mails (and posts to Slack if configured), never pages.
 */
export const staging: EnvironmentInput = {
  name: 'staging',
  projectId: 'vividly-staging',
  region: 'us-central1',
  services: { api: 'staging-vividly-api', pushWorker: 'staging-vividly-push-worker' },
  cloudSql: { instance: 'staging-vividly-db', maxConnections: 200 },
  pubsub: { topic: 'content-generation-requests', subscription: 'content-generation-worker-sub', deadLetterTopic: 'content-requests-staging-dlq' },
  api: { host: 'api-staging.vividly.mnps.edu', healthPath: '/health' },
  serviceAccounts: {
    apiRuntime: 'staging-cloud-run-sa@vividly-staging.iam.gserviceaccount.com',
    deployer: 'staging-cicd@vividly-staging.iam.gserviceaccount.com',
    planner: 'staging-monitoring-planner@vividly-staging.iam.gserviceaccount.com',
  },
  state: { bucket: 'vividly-staging-terraform-state', prefix: 'monitoring/staging' },
  notifications: {
    email: { engineering: ['engineering-staging@vividly.mnps.edu'], security: ['security-staging@vividly.mnps.edu'] },
    pagerduty: { enabled: false },
  },
  routing: { CRITICAL: ['email'], WARNING: ['email'] },
  alerts: {
    // Night traffic is ~0.1 req/s (30 real requests in 5 minutes): a guard of 40 real requests (60 with the uptime
    // checks' 20 probes, which the guard adds itself) keeps a handful of night-time failures from paging while still
    // covering the school day.
    highErrorRate: { minRequests: 40 },
    elevatedRateLimiting: { minRequests: 40 },
  },
  traffic: trafficProfile.staging,
  logExclusions: { uptimeCheckRequests: true, successfulHealthChecks: true, staticAssetRequests: false },
  logRetentionDays: 30,
  // staging normally fails 0.5 % of requests (docs/reference/traffic.md): a 99.5 % goal would burn at 1x all week.
  slo: { availabilityGoal: 0.99, latencyGoal: 0.95 },
  // Only `main` jobs in the protected GitHub environment `staging` may impersonate the deployer.
  ci: { github: GITHUB_REPOSITORY, deployEnvironment: 'staging' },
  drills: { allowed: true },
};
