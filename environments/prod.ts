import type { EnvironmentInput } from './defaults';
import { GITHUB_REPOSITORY, trafficProfile } from './defaults';

/**
 * prod. PLACEHOLDERS, as in the app's own Terraform (`terraform/environments/prod.tfvars`, "TODO: Replace"):
 * the project id `vividly-prod`, the host `api.vividly.mnps.edu` and the team e-mail addresses. Replace them
 * before the first `cdktf deploy prod`.
 */
export const prod: EnvironmentInput = {
  name: 'prod',
  projectId: 'vividly-prod',
  region: 'us-central1',
  services: { api: 'prod-vividly-api', pushWorker: 'prod-vividly-push-worker' },
  // Instance `${env}-vividly-db` with the `max_connections=200` flag (app terraform/main.tf:74-111).
  cloudSql: { instance: 'prod-vividly-db', maxConnections: 200 },
  // The code publishes to the hard-coded topic `content-generation-requests` (pubsub_service.py:64).
  pubsub: { topic: 'content-generation-requests', subscription: 'content-generation-worker-sub', deadLetterTopic: 'content-requests-prod-dlq' },
  api: { host: 'api.vividly.mnps.edu', healthPath: '/health' },
  serviceAccounts: {
    apiRuntime: 'prod-cloud-run-sa@vividly-prod.iam.gserviceaccount.com',
    deployer: 'prod-cicd@vividly-prod.iam.gserviceaccount.com',
    planner: 'prod-monitoring-planner@vividly-prod.iam.gserviceaccount.com',
  },
  // Never the app stack's `terraform/state` prefix: two stacks on one state would destroy each other's resources.
  state: { bucket: 'vividly-prod-terraform-state', prefix: 'monitoring/prod' },
  notifications: {
    email: { engineering: ['engineering-oncall@vividly.mnps.edu'], security: ['security-oncall@vividly.mnps.edu'] },
    pagerduty: { enabled: true },
  },
  routing: { CRITICAL: ['pagerduty', 'email'], WARNING: ['email'] },
  alerts: {},
  traffic: trafficProfile.prod,
  logExclusions: { uptimeCheckRequests: true, successfulHealthChecks: true, staticAssetRequests: true },
  logRetentionDays: 30,
  // The SLOs (catalog/slos.ts has the defaults and the burn-rate windows).
  slo: { availabilityGoal: 0.995, latencyGoal: 0.95, latencyThresholdSeconds: 2, rollingDays: 28 },
  // Only `main` jobs in the protected GitHub environment `production` may impersonate the deployer.
  ci: { github: GITHUB_REPOSITORY, deployEnvironment: 'production' },
  drills: { allowed: false },
};
