import { MonitoringDashboard } from '@cdktf/provider-google/lib/monitoring-dashboard';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environments/schema';
import { dashboards } from '../catalog/dashboards';
import type { DashboardLink } from './alert-policies';
import { named, NamingStrategy, snakeCase } from './naming';

export class Dashboards extends Construct {
  readonly links: Record<string, DashboardLink> = {};

  constructor(scope: Construct, id: string, env: EnvironmentConfig, naming: NamingStrategy) {
    super(scope, id);
    for (const spec of dashboards) {
      const title = `Vividly API (${env.name}) - ${spec.title}`;
      const dashboard = named(
        new MonitoringDashboard(this, spec.id, {
          project: env.projectId,
          dashboardJson: JSON.stringify({ displayName: title, mosaicLayout: { columns: 48, tiles: [] } }),
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
export const dashboardResourceName = (id: string) => `dashboard_${snakeCase(id)}`;
