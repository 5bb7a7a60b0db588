import { MonitoringAlertPolicy, MonitoringAlertPolicyConditions } from '@cdktf/provider-google/lib/monitoring-alert-policy';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environments/schema';
import { resolveAlerts, ResolvedAlert } from '../catalog/alerts';
import { renderRunbook } from '../catalog/runbooks';
import { queryFilter, signalById } from '../catalog/signals';
import { ConditionSpec, isSloCondition, Query } from '../catalog/types';
import { named, NamingStrategy, snakeCase } from './naming';
import type { RoutingStrategy } from './notification-channels';

export interface DashboardLink {
  title: string;
  /** The console URL (may hold a Terraform reference to the dashboard's id). */
  url: string;
}

export interface AlertPoliciesProps {
  env: EnvironmentConfig;
  naming: NamingStrategy;
  routing: RoutingStrategy;
  uptimeCheckIds: { api: string; pushWorker: string };
  /** What alerts on log-based metrics must wait for (gcp-facts §1.11). */
  logMetricsReady: ITerraformDependable;
  dashboards: Record<string, DashboardLink>;
  /** SLO resource names by SLO id, for burn-rate conditions. */
  sloNames: Record<string, string>;
}

/** Auto-close an incident after 30 minutes without data, so a fixed problem never leaves a stale page open. */
export const AUTO_CLOSE = '1800s';

function aggregation(query: Query, alignmentSeconds: number) {
  return {
    alignmentPeriod: `${alignmentSeconds}s`,
    perSeriesAligner: query.aligner,
    crossSeriesReducer: query.reducer,
    groupByFields: query.groupBy,
  };
}

export function usesLogMetric(alert: ResolvedAlert): boolean {
  return alert.signals.some((id) => signalById(id).logMetric);
}

export class AlertPolicies extends Construct {
  readonly policies: Map<string, MonitoringAlertPolicy> = new Map();
  readonly alerts: ResolvedAlert[];

  constructor(scope: Construct, id: string, props: AlertPoliciesProps) {
    super(scope, id);
    const { env, naming, routing } = props;
    this.alerts = resolveAlerts(env);
    for (const alert of this.alerts) {
      const { spec } = alert;
      const dashboard = props.dashboards[spec.dashboard];
      if (!dashboard) throw new Error(`catalog: alert ${spec.id} links to unknown dashboard "${spec.dashboard}"`);
      const conditions = alert.conditions.map((c) => this.condition(env, c, props));
      const policy = new MonitoringAlertPolicy(this, spec.id, {
        project: env.projectId,
        displayName: `Vividly API (${env.name}): ${spec.displayName}`,
        severity: spec.severity,
        enabled: alert.params.enabled,
        combiner: spec.combiner,
        conditions,
        notificationChannels: routing.channelsFor(spec.severity, spec.team),
        userLabels: naming.labels({ severity: spec.severity.toLowerCase(), team: spec.team, alert: snakeCase(spec.id).replace(/_/g, '-') }),
        alertStrategy: { autoClose: AUTO_CLOSE, notificationPrompts: ['OPENED', 'CLOSED'] },
        documentation: {
          mimeType: 'text/markdown',
          subject: `[${spec.severity}] ${env.name}: ${spec.displayName}`,
          content: renderRunbook(env, alert, dashboard.title),
          links: [{ displayName: `Dashboard: ${dashboard.title}`.slice(0, 63), url: dashboard.url }],
        },
        dependsOn: usesLogMetric(alert) ? [props.logMetricsReady] : undefined,
      });
      this.policies.set(spec.id, named(policy, naming.resourceName('alert', spec.id)));
    }
  }

  private condition(env: EnvironmentConfig, c: ConditionSpec, props: AlertPoliciesProps): MonitoringAlertPolicyConditions {
    if (isSloCondition(c)) {
      const slo = props.sloNames[c.sloBurnRate.slo];
      if (!slo) throw new Error(`catalog: condition "${c.displayName}" names unknown SLO "${c.sloBurnRate.slo}"`);
      // SLO conditions take only a time-series selector: no aggregation (Google's "Creating an alerting policy" for SLOs).
      return {
        displayName: c.displayName,
        conditionThreshold: {
          filter: `select_slo_burn_rate("${slo}", "${c.sloBurnRate.lookbackSeconds}s")`,
          comparison: c.comparison,
          thresholdValue: c.threshold,
          duration: `${c.durationSeconds}s`,
          trigger: { count: 1 },
        },
      };
    }
    const checkFilter = c.uptimeCheck ? `metric.labels.check_id="${props.uptimeCheckIds[c.uptimeCheck]}"` : undefined;
    return {
      displayName: c.displayName,
      conditionThreshold: {
        filter: queryFilter(env, c.query, checkFilter),
        aggregations: [aggregation(c.query, c.alignmentSeconds)],
        denominatorFilter: c.denominator ? queryFilter(env, c.denominator) : undefined,
        denominatorAggregations: c.denominator ? [aggregation(c.denominator, c.alignmentSeconds)] : undefined,
        comparison: c.comparison,
        thresholdValue: c.threshold,
        duration: `${c.durationSeconds}s`,
        trigger: { count: 1 },
      },
    };
  }
}
