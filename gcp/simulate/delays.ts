/**
 * Ingestion delay per metric: how long after its timestamp a point becomes visible to alerting.
 *
 * "Latency refers to the delay between when Cloud Monitoring samples a metric and when the metric data point becomes
 * visible as time series data" — metric lists state it per metric as "After sampling, data is not visible for up to
 * N seconds" (https://cloud.google.com/monitoring/api/v3/latency-n-retention).
 *
 * Model: the engine uses the documented worst case ("up to"). An evaluation at wall-clock time T sees the data as of
 * T - delay, i.e. the alignment window is (T - delay - alignmentPeriod, T - delay]. Detection therefore includes the
 * delay. Longest matching prefix wins; a scenario can override any entry (`ingestionDelays`, checked by
 * delayOverrideProblem).
 */
import { BUILTIN_METRICS } from '../facts/builtin-metrics';

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

/** Log-based metrics' types: their names come from the synth or the scenario's `logMetrics`, unknown when it is read. */
const LOG_BASED_PREFIX = 'logging.googleapis.com/user/';

/**
 * Why a scenario's `ingestionDelays` key would never apply (undefined when it may): a key is a metric type prefix, so
 * it must be the start of some metric type the simulator can see: a prefix of the delay table's, of a built-in
 * metric type (gcp/facts/builtin-metrics.ts) or of one of the scenario's series' types, or any log-based metric
 * (`logging.googleapis.com/user/…`). A typo (`run.googleapis.con/`) matches nothing and would be ignored silently.
 */
export function delayOverrideProblem(prefix: string, seriesTypes: Iterable<string>): string | undefined {
  if (prefix.startsWith(LOG_BASED_PREFIX)) return undefined;
  const known = [...INGESTION_DELAYS.map((e) => e.prefix), ...Object.keys(BUILTIN_METRICS), ...seriesTypes];
  if (known.some((t) => t.startsWith(prefix))) return undefined;
  return (
    `${JSON.stringify(prefix)} is the start of no metric type the simulator knows, so it would never apply: a key is a metric type prefix ` +
    `(the longest matching one wins) such as ${INGESTION_DELAYS.map((e) => e.prefix).join(', ')}, any prefix of a built-in metric type ` +
    `(gcp/facts/builtin-metrics.ts) or of a metric type of the scenario's series, or any key under ${LOG_BASED_PREFIX} (log-based metrics)`
  );
}
