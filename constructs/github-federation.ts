import { IamWorkloadIdentityPool } from '@cdktf/provider-google/lib/iam-workload-identity-pool';
import { IamWorkloadIdentityPoolProvider } from '@cdktf/provider-google/lib/iam-workload-identity-pool-provider';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environments/schema';
import { named, NamingStrategy } from './naming';

/** GitHub Actions' OIDC issuer (docs.github.com, "OpenID Connect reference"). */
export const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';
/** The only branch whose jobs may deploy. */
export const DEPLOY_REF = 'refs/heads/main';
export const PLANNER_POOL_ID = 'github-planner';
export const DEPLOYER_POOL_ID = 'github-deployer';
export const PROVIDER_ID = 'github';

/**
 * The attribute conditions of the two pools. GitHub uses one issuer for every repository, so each condition names
 * the repository (Google: "you must use an attribute condition" for GitHub; a token of any other repository is
 * rejected). The deployer's pool also requires `main` and the protected GitHub environment: a pull request's token
 * carries `refs/pull/N/merge` and no environment, so no pull request can ever impersonate the deployer.
 */
export function plannerCondition(env: EnvironmentConfig): string {
  return `assertion.repository == '${env.ci.github.owner}/${env.ci.github.repository}'`;
}
export function deployerCondition(env: EnvironmentConfig, environment: string): string {
  return `${plannerCondition(env)} && assertion.ref == '${DEPLOY_REF}' && assertion.environment == '${environment}'`;
}

/**
 * Workload Identity Federation for the GitHub workflow, one pool per identity: a principalSet names a whole pool,
 * so the planner's tokens (any branch of the repository) and the deployer's (main in a protected environment) must
 * not share one. Also creates the read-only planner service account.
 */
export class GithubFederation extends Construct {
  readonly planner: ServiceAccount;
  readonly plannerProvider: IamWorkloadIdentityPoolProvider;
  readonly deployerProvider?: IamWorkloadIdentityPoolProvider;

  constructor(scope: Construct, id: string, env: EnvironmentConfig, naming: NamingStrategy) {
    super(scope, id);
    const project = env.projectId;
    const repository = `${env.ci.github.owner}/${env.ci.github.repository}`;

    this.planner = named(
      new ServiceAccount(this, 'planner', {
        project,
        accountId: env.serviceAccounts.planner.split('@')[0],
        displayName: `Monitoring planner (${env.name}, read-only)`,
        description: 'Plans the monitoring stack for pull requests and the nightly drift watch; holds no write role',
      }),
      naming.resourceName('sa', 'planner'),
    );

    const federate = (who: 'planner' | 'deployer', poolId: string, condition: string, mapping: Record<string, string>, serviceAccount: string) => {
      const pool = named(
        new IamWorkloadIdentityPool(this, `${who}-pool`, {
          project,
          workloadIdentityPoolId: poolId,
          displayName: `GitHub ${who} (${env.name})`,
          description: `GitHub Actions of ${repository}: the ${who} identity`,
        }),
        naming.resourceName('wif_pool', who),
      );
      const provider = named(
        new IamWorkloadIdentityPoolProvider(this, `${who}-provider`, {
          project,
          workloadIdentityPoolId: pool.workloadIdentityPoolId,
          workloadIdentityPoolProviderId: PROVIDER_ID,
          displayName: `GitHub Actions (${who})`,
          attributeMapping: { 'google.subject': 'assertion.sub', 'attribute.repository': 'assertion.repository', ...mapping },
          attributeCondition: condition,
          oidc: { issuerUri: GITHUB_OIDC_ISSUER },
        }),
        naming.resourceName('wif_provider', who),
      );
      named(
        new ServiceAccountIamMember(this, `${who}-wif-user`, {
          serviceAccountId: serviceAccount,
          role: 'roles/iam.workloadIdentityUser',
          member: `principalSet://iam.googleapis.com/${pool.name}/attribute.repository/${repository}`,
        }),
        naming.resourceName('wif_user', who),
      );
      return provider;
    };

    this.plannerProvider = federate('planner', PLANNER_POOL_ID, plannerCondition(env), { 'attribute.ref': 'assertion.ref' }, this.planner.name);
    if (env.ci.deployEnvironment) {
      this.deployerProvider = federate(
        'deployer',
        DEPLOYER_POOL_ID,
        deployerCondition(env, env.ci.deployEnvironment),
        { 'attribute.ref': 'assertion.ref', 'attribute.environment': 'assertion.environment' },
        `projects/${project}/serviceAccounts/${env.serviceAccounts.deployer}`,
      );
    }
  }
}
