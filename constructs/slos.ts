import { MonitoringCustomService } from '@cdktf/provider-google/lib/monitoring-custom-service';
import { MonitoringSlo } from '@cdktf/provider-google/lib/monitoring-slo';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environments/schema';
import { SELECT, signalById } from '../catalog/signals';
import { SLO_SERVICE_ID, SLOS, sloSettings } from '../catalog/slos';
import { named, NamingStrategy } from './naming';

/**
 * The API as a monitored service with request-based SLOs: availability (non-5xx share of request_count) and
 * latency (share of requests under the threshold, from the log-based latency distribution, which leaves out the
 * streaming endpoint).
 */
export class Slos extends Construct {
  /** SLO resource names (`projects/…/services/…/serviceLevelObjectives/…`), by SLO id. */
  readonly names: Record<string, string> = {};

  constructor(scope: Construct, id: string, env: EnvironmentConfig, naming: NamingStrategy, logMetricsReady: ITerraformDependable) {
    super(scope, id);
    const settings = sloSettings(env);
    const service = named(
      new MonitoringCustomService(this, 'service', {
        project: env.projectId,
        serviceId: SLO_SERVICE_ID,
        displayName: `Vividly API (${env.name})`,
        userLabels: naming.labels(),
      }),
      naming.resourceName('service', 'vividly_api'),
    );
    for (const slo of SLOS) {
      // The SLI reads the signal the catalog names for the SLO (the one a burn-rate alert on it is said to read).
      const sli = signalById(slo.signals[0]).filter(env);
      const resource = new MonitoringSlo(this, slo.id, {
        project: env.projectId,
        service: service.serviceId,
        sloId: slo.id,
        displayName: slo.name(settings),
        goal: slo.goal(settings),
        rollingPeriodDays: settings.rollingDays,
        requestBasedSli:
          slo.id === 'availability'
            ? { goodTotalRatio: { totalServiceFilter: sli, badServiceFilter: `${sli} AND ${SELECT.serverErrors}` } }
            : { distributionCut: { distributionFilter: sli, range: { min: 0, max: settings.latencyThresholdSeconds } } },
        userLabels: naming.labels({ slo: slo.id }),
        // The latency SLI reads a log-based metric, which is unusable for minutes after its creation.
        dependsOn: slo.id === 'latency' ? [logMetricsReady] : undefined,
      });
      this.names[slo.id] = named(resource, naming.resourceName('slo', slo.id)).name;
    }
  }
}
