import { MonitoringDashboard } from '@cdktf/provider-google/lib/monitoring-dashboard';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environments/schema';
import { resolveAlerts } from '../catalog/alerts';
import { dashboards } from '../catalog/dashboards';
import { renderDashboardJson } from './dashboards/render';
import type { DashboardLink } from './alert-policies';
import { named, NamingStrategy } from './naming';

/**
 * One `google_monitoring_dashboard` per dashboard of catalog/dashboards.ts. The JSON is rendered and normalized
 * by constructs/dashboards/ (no perpetual diff: gcp-facts §5.6); thresholds come from the environment's resolved
 * alerts. That folder is pure (no provider, no cdktf), so tests and tools can use it without a synth.
 */
export class Dashboards extends Construct {
  readonly links: Record<string, DashboardLink> = {};

  constructor(scope: Construct, id: string, env: EnvironmentConfig, naming: NamingStrategy) {
    super(scope, id);
    const alerts = resolveAlerts(env);
    for (const spec of dashboards) {
      const dashboard = named(
        new MonitoringDashboard(this, spec.id, {
          project: env.projectId,
          dashboardJson: renderDashboardJson(spec, env, alerts),
        }),
        naming.resourceName('dashboard', spec.id),
      );
      // The dashboard's id is projects/NUMBER/dashboards/ID; the console URL wants the last segment.
      this.links[spec.id] = {
        title: spec.title,
        url: `https://console.cloud.google.com/monitoring/dashboards/builder/${Fn.element(Fn.split('/', dashboard.id), 3)}?project=${env.projectId}`,
      };
    }
  }
}
