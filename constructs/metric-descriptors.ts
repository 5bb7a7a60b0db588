import { MonitoringMetricDescriptor } from '@cdktf/provider-google/lib/monitoring-metric-descriptor';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environments/schema';
import { appCustomMetrics } from '../catalog/signals';
import { named, NamingStrategy } from './naming';

/**
 * Descriptors for the app's `custom.googleapis.com/vividly/*` metrics with the kind the app really writes: GAUGE
 * (it creates none, so the first point auto-creates a GAUGE: vividly-app.md §3.2). Declaring them fixes the
 * contract (labels, units) before the app writes, and makes a kind change a reviewed diff.
 */
export class MetricDescriptors extends Construct {
  constructor(scope: Construct, id: string, env: EnvironmentConfig, naming: NamingStrategy) {
    super(scope, id);
    for (const metric of appCustomMetrics) {
      named(
        new MonitoringMetricDescriptor(this, metric.name, {
          project: env.projectId,
          type: `custom.googleapis.com/vividly/${metric.name}`,
          metricKind: 'GAUGE',
          valueType: metric.valueType,
          displayName: metric.name,
          description: `${metric.description}${metric.written ? '' : ' No source yet: this descriptor is the contract.'}`,
          unit: metric.name.endsWith('_ms') ? 'ms' : metric.name.endsWith('_seconds') ? 's' : '1',
          labels: metric.labels.map((key) => ({ key, valueType: 'STRING', description: key })),
          launchStage: 'GA',
        }),
        naming.resourceName('metric_descriptor', metric.name),
      );
    }
  }
}
