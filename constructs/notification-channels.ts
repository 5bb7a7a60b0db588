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

/**
 * E-mail per team, PagerDuty where enabled, Slack where configured. Secrets (PagerDuty service key, Slack token)
 * come from sensitive Terraform variables (`TF_VAR_pagerduty_service_key`, `TF_VAR_slack_auth_token`) at plan
 * time, so they never appear in source, in cdktf.out or in snapshots (gcp-facts §6.3). They do reach the state:
 * the state bucket must be private.
 */
export class NotificationChannels extends Construct implements RoutingStrategy {
  private readonly email: Record<Team, MonitoringNotificationChannel[]>;
  private readonly pagerduty?: MonitoringNotificationChannel;
  private readonly slack?: MonitoringNotificationChannel;

  constructor(scope: Construct, id: string, private readonly env: EnvironmentConfig, naming: NamingStrategy) {
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

    if (env.notifications.pagerduty.enabled) {
      const key = new TerraformVariable(this, 'pagerduty_service_key', {
        type: 'string',
        sensitive: true,
        description: `PagerDuty Events API v1 service key for ${env.name} (set TF_VAR_pagerduty_service_key; never commit it)`,
      });
      key.overrideLogicalId('pagerduty_service_key');
      this.pagerduty = named(
        new MonitoringNotificationChannel(this, 'pagerduty', {
          project: env.projectId,
          displayName: `Vividly ${env.name} PagerDuty`,
          type: 'pagerduty',
          sensitiveLabels: { serviceKey: key.stringValue },
          userLabels: labels,
          forceDelete: false,
        }),
        naming.resourceName('channel', 'pagerduty'),
      );
    }
    if (env.notifications.slack) {
      const token = new TerraformVariable(this, 'slack_auth_token', {
        type: 'string',
        sensitive: true,
        description: `Slack bot token for ${env.name} (set TF_VAR_slack_auth_token; never commit it)`,
      });
      token.overrideLogicalId('slack_auth_token');
      this.slack = named(
        new MonitoringNotificationChannel(this, 'slack', {
          project: env.projectId,
          displayName: `Vividly ${env.name} Slack ${env.notifications.slack.channelName}`,
          type: 'slack',
          labels: { channel_name: env.notifications.slack.channelName },
          sensitiveLabels: { authToken: token.stringValue },
          userLabels: labels,
          forceDelete: false,
        }),
        naming.resourceName('channel', 'slack'),
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
          return this.pagerduty ? [this.pagerduty.name] : [];
        case 'slack':
          return this.slack ? [this.slack.name] : [];
      }
    });
  }
}
