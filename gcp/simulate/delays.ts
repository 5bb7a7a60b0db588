/**
 * Ingestion delay per metric: how long after its timestamp a point becomes visible to alerting.
 *
 * "Latency refers to the delay between when Cloud Monitoring samples a metric and when the metric data point becomes
 * visible as time series data" — metric lists state it per metric as "After sampling, data is not visible for up to
 * N seconds" (https://cloud.google.com/monitoring/api/v3/latency-n-retention).
 *
 * Model: the engine uses the documented worst case ("up to"). An evaluation at wall-clock time T sees the data as of
 * T - delay, i.e. the alignment window is (T - delay - alignmentPeriod, T - delay]. Detection therefore includes the
 * delay. Longest matching prefix wins; a scenario can override any entry (`ingestionDelays`).
 */
export interface DelayEntry {
  prefix: string;
  seconds: number;
  source: string;
}

export const INGESTION_DELAYS: DelayEntry[] = [
  {
    prefix: 'run.googleapis.com/',
    seconds: 180,
    source: 'gcp-facts §2.2: Cloud Run (Knative analog metrics_knative) "sampled every 60 s, visible after up to 180 s"',
  },
  {
    prefix: 'cloudsql.googleapis.com/database/postgresql/num_backends',
    seconds: 165,
    source: 'gcp-facts §2.3 / https://cloud.google.com/monitoring/api/metrics_gcp_c: "After sampling, data is not visible for up to 165 seconds"',
  },
  {
    prefix: 'logging.googleapis.com/user/',
    seconds: 0,
    source:
      'gcp-facts §3.6 / https://cloud.google.com/logging/docs/logs-based-metrics: Logging writes the series "every minute per stream"; the per-minute bucketing is modelled in the log pipeline (points at the end of each minute), no further delay documented (UNCONFIRMED)',
  },
  {
    prefix: 'monitoring.googleapis.com/uptime_check/',
    seconds: 0,
    source: 'no delay found in the documentation (UNCONFIRMED); override with ingestionDelays if needed',
  },
];

/** Used for metric types no entry matches. */
export const DEFAULT_DELAY: DelayEntry = {
  prefix: '',
  seconds: 0,
  source: 'no documented delay for this metric type: 0 s (override with the scenario field ingestionDelays)',
};

export function ingestionDelay(metricType: string, overrides: Record<string, number> = {}): DelayEntry {
  const entries: DelayEntry[] = [
    ...INGESTION_DELAYS,
    ...Object.entries(overrides).map(([prefix, seconds]) => ({ prefix, seconds, source: 'scenario ingestionDelays' })),
  ];
  let best: DelayEntry = DEFAULT_DELAY;
  for (const e of entries) {
    if (
      metricType.startsWith(e.prefix) &&
      (e.prefix.length > best.prefix.length || (e.prefix.length === best.prefix.length && e.source === 'scenario ingestionDelays'))
    )
      best = e;
  }
  return best;
}
