import { DataGoogleMonitoringNotificationChannel } from '@cdktf/provider-google/lib/data-google-monitoring-notification-channel';
import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel';
import { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import type { ChannelKind, EnvironmentConfig } from '../environments/schema';
import type { Severity, Team } from '../catalog/types';
import { named, NamingStrategy } from './naming';

/** Routing strategy: which channels an alert of a severity, owned by a team, notifies. */
export interface RoutingStrategy {
  channelsFor(severity: Severity, team: Team): string[];
  /** The channel kinds behind `channelsFor`, for documentation and tests. */
  kindsFor(severity: Severity): ChannelKind[];
}

/** The channel kinds whose labels carry a secret (gcp-facts §6.2): created by the bootstrap stack, never here. */
export const SECRET_CHANNEL_KINDS = ['pagerduty', 'slack'] as const;
export type SecretChannelKind = (typeof SECRET_CHANNEL_KINDS)[number];

/** The secret-bearing channels an environment configures. */
export function secretChannelKinds(env: EnvironmentConfig): SecretChannelKind[] {
  return SECRET_CHANNEL_KINDS.filter((kind) => (kind === 'pagerduty' ? env.notifications.pagerduty.enabled : Boolean(env.notifications.slack)));
}

/**
 * What identifies a secret-bearing channel: the bootstrap stack creates it with these values and the monitoring
 * stack finds it by them (`data.google_monitoring_notification_channel` lists with a filter on type, display name
 * and user labels and fails unless exactly one channel matches: provider 6.50.0
 * google/services/monitoring/data_source_monitoring_notification_channel.go).
 */
export function secretChannelIdentity(
  env: EnvironmentConfig,
  kind: SecretChannelKind,
): { type: string; displayName: string; userLabels: Record<string, string> } {
  const displayName = kind === 'pagerduty' ? `Vividly ${env.name} PagerDuty` : `Vividly ${env.name} Slack ${env.notifications.slack?.channelName ?? ''}`;
  return { type: kind, displayName, userLabels: { stack: `${env.name}-bootstrap` } };
}

/**
 * PagerDuty (service key) and Slack (token): created in the admin-applied `<env>-bootstrap` stack, whose state
 * prefix only admins can read. The keys come from sensitive Terraform variables (`TF_VAR_pagerduty_service_key`,
 * `TF_VAR_slack_auth_token`) given to that apply only, so they never appear in source, in cdktf.out or in snapshots
 * (gcp-facts §6.3), and never in the monitoring stack's state, which pull-request plans read.
 */
export class SecretNotificationChannels extends Construct {
  readonly channels: Partial<Record<SecretChannelKind, MonitoringNotificationChannel>> = {};

  constructor(scope: Construct, id: string, env: EnvironmentConfig, naming: NamingStrategy) {
    super(scope, id);
    for (const kind of secretChannelKinds(env)) {
      const variableName = kind === 'pagerduty' ? 'pagerduty_service_key' : 'slack_auth_token';
      const secret = new TerraformVariable(this, variableName, {
        type: 'string',
        sensitive: true,
        description:
          kind === 'pagerduty'
            ? `PagerDuty Events API v1 service key for ${env.name} (set TF_VAR_pagerduty_service_key; never commit it)`
            : `Slack bot token for ${env.name} (set TF_VAR_slack_auth_token; never commit it)`,
      });
      secret.overrideLogicalId(variableName);
      const { type, displayName, userLabels } = secretChannelIdentity(env, kind);
      this.channels[kind] = named(
        new MonitoringNotificationChannel(this, kind, {
          project: env.projectId,
          displayName,
          type,
          labels: kind === 'slack' ? { channel_name: env.notifications.slack!.channelName } : undefined,
          sensitiveLabels: kind === 'pagerduty' ? { serviceKey: secret.stringValue } : { authToken: secret.stringValue },
          userLabels: naming.labels(userLabels),
          // Policies of the monitoring stack reference it: deleting it must fail while they do.
          forceDelete: false,
        }),
        naming.resourceName('channel', kind),
      );
    }
  }
}

/**
 * E-mail per team, PagerDuty where enabled, Slack where configured. The e-mail channels are this stack's; the
 * secret-bearing ones are the bootstrap stack's (SecretNotificationChannels), read here by a data source that puts
 * only their name, type and non-secret labels into this stack's state: the API obfuscates sensitive labels and the
 * provider's read never sets `sensitive_labels` (6.50.0 resource_monitoring_notification_channel.go, Decoder). So this
 * stack has no sensitive variable, and planning it needs no secret.
 */
export class NotificationChannels extends Construct implements RoutingStrategy {
  private readonly email: Record<Team, MonitoringNotificationChannel[]>;
  private readonly secret: Partial<Record<SecretChannelKind, DataGoogleMonitoringNotificationChannel>> = {};

  constructor(
    scope: Construct,
    id: string,
    private readonly env: EnvironmentConfig,
    naming: NamingStrategy,
  ) {
    super(scope, id);
    const labels = naming.labels();
    const emailChannels = (team: Team) =>
      env.notifications.email[team].map((address, i) =>
        named(
          new MonitoringNotificationChannel(this, `email-${team}-${i}`, {
            project: env.projectId,
            displayName: `Vividly ${env.name} ${team} (${address})`,
            type: 'email',
            labels: { email_address: address },
            userLabels: { ...labels, team },
            forceDelete: false,
          }),
          naming.resourceName('channel', `email_${team}${i ? `_${i + 1}` : ''}`),
        ),
      );
    // Every environment has its teams' e-mail channels (dev's exist unused, ready for a routing change).
    this.email = { engineering: emailChannels('engineering'), security: emailChannels('security') };

    for (const kind of secretChannelKinds(env)) {
      const { type, displayName, userLabels } = secretChannelIdentity(env, kind);
      this.secret[kind] = named(
        // The same user labels as the channel: the read returns them all, so config and state agree.
        new DataGoogleMonitoringNotificationChannel(this, kind, { project: env.projectId, type, displayName, userLabels: naming.labels(userLabels) }),
        naming.resourceName('channel', kind),
      );
    }
  }

  kindsFor(severity: Severity): ChannelKind[] {
    return this.env.routing[severity];
  }

  channelsFor(severity: Severity, team: Team): string[] {
    return this.kindsFor(severity).flatMap((kind) => {
      switch (kind) {
        case 'email':
          return this.email[team].map((c) => c.name);
        case 'pagerduty':
        case 'slack':
          return this.secret[kind] ? [this.secret[kind].name] : [];
      }
    });
  }
}
