/** The dashboards, as data: which tiles show which signals and which alert thresholds. */
export interface DashboardSpec {
  id: string;
  title: string;
}

export const dashboards: DashboardSpec[] = [
  { id: 'system-overview', title: 'System Overview' },
  { id: 'authentication', title: 'Authentication' },
  { id: 'rate-limiting', title: 'Rate Limiting' },
  { id: 'content-generation', title: 'Content Generation' },
  { id: 'monitoring-cost', title: 'Monitoring Cost' },
];
