import { LoggingMetric } from '@cdktf/provider-google/lib/logging-metric';
import { Sleep } from '@cdktf/provider-time/lib/sleep';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environments/schema';
import { logMetricSignals } from '../catalog/signals';
import { named, NamingStrategy } from './naming';

/**
 * How long a new log-based metric takes before an alert policy may reference it: "it could take up to 10
 * minutes to become available" (the API's 404, gcp-facts §1.11). depends_on alone is not enough.
 */
export const LOG_METRIC_PROPAGATION = '10m';

/**
 * The catalog's log-based metrics, and a `time_sleep` that alert policies depend on. The sleep is re-created
 * (and waits again) only when the set of log metrics changes, so ordinary deploys do not wait.
 */
export class LogMetrics extends Construct {
  readonly metrics: Map<string, LoggingMetric> = new Map();
  readonly propagated: Sleep;

  constructor(scope: Construct, id: string, env: EnvironmentConfig, naming: NamingStrategy) {
    super(scope, id);
    for (const signal of logMetricSignals()) {
      const spec = signal.logMetric!;
      const labels = spec.labels.map((l) => ({ key: l.key, valueType: l.valueType ?? 'STRING', description: l.description }));
      const metric = new LoggingMetric(this, spec.name, {
        project: env.projectId,
        name: spec.name,
        description: spec.description,
        filter: spec.filter(env),
        metricDescriptor: {
          metricKind: 'DELTA',
          valueType: spec.valueType,
          unit: spec.unit ?? '1',
          displayName: signal.title,
          labels: labels.length ? labels : undefined,
        },
        labelExtractors: spec.labels.length ? Object.fromEntries(spec.labels.map((l) => [l.key, l.extractor!])) : undefined,
        valueExtractor: spec.valueExtractor,
        bucketOptions: spec.bucketBounds ? { explicitBuckets: { bounds: spec.bucketBounds } } : undefined,
      });
      this.metrics.set(signal.id, named(metric, naming.resourceName('log_metric', spec.name.replace(/^vividly\//, ''))));
    }
    const all = [...this.metrics.values()];
    this.propagated = named(
      new Sleep(this, 'log-metrics-propagated', {
        createDuration: LOG_METRIC_PROPAGATION,
        dependsOn: all,
        // A new or renamed metric changes the trigger, re-creating the sleep: the next apply waits again.
        triggers: { log_metrics: [...this.metrics.values()].map((m) => m.name).join(',') },
      }),
      naming.resourceName('wait', 'log_metrics_propagated'),
    );
  }
}
