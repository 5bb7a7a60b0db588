/** Plain data types of the catalog. No provider imports: constructs, dashboards, docs and tools all read these. */
import type { MetricKind, ValueType as ApiValueType } from '../gcp/facts/metrics';
import type { EnvironmentConfig } from '../environments/schema';
import type { CatalogAlertId, DashboardId, SignalId, SloId } from './ids';

export type { MetricKind };
/** The value types this project's signals use (no MONEY). */
export type ValueType = Exclude<ApiValueType, 'MONEY'>;

/** Where a signal's data really comes from. */
export type SourceKind = 'built-in metric' | 'Cloud Run request log' | 'app log' | 'worker log' | 'app custom metric' | 'no source yet';

export interface LabelSpec {
  key: string;
  valueType?: 'STRING' | 'INT64' | 'BOOL';
  description: string;
  /** EXTRACT(...) or REGEXP_EXTRACT(...), for log-based metrics. */
  extractor?: string;
  /** Why the number of values stays bounded (written down, as the platform limits series per metric). */
  cardinality?: string;
}

/** A `google_logging_metric`: a counter (DELTA/INT64) or a distribution (DELTA/DISTRIBUTION). */
export interface LogMetricSpec {
  /** The metric name; its Monitoring type is `logging.googleapis.com/user/<name>`. */
  name: string;
  description: string;
  filter: (env: EnvironmentConfig) => string;
  valueType: 'INT64' | 'DISTRIBUTION';
  unit?: string;
  labels: LabelSpec[];
  valueExtractor?: string;
  /** Explicit bucket bounds for distributions. */
  bucketBounds?: number[];
}

export interface Signal {
  id: SignalId;
  title: string;
  description: string;
  source: SourceKind;
  metricType: string;
  resourceType: string;
  metricKind: MetricKind;
  valueType: ValueType;
  unit: string;
  labels: LabelSpec[];
  /** Monitoring filter selecting this signal in one environment (metric type, resource type, scope). */
  filter: (env: EnvironmentConfig) => string;
  logMetric?: LogMetricSpec;
}

export type Severity = 'CRITICAL' | 'WARNING';
export type Team = 'engineering' | 'security';
export type Aligner =
  | 'ALIGN_DELTA'
  | 'ALIGN_RATE'
  | 'ALIGN_SUM'
  | 'ALIGN_MEAN'
  | 'ALIGN_MAX'
  | 'ALIGN_MIN'
  | 'ALIGN_COUNT'
  | 'ALIGN_NEXT_OLDER'
  | 'ALIGN_FRACTION_TRUE'
  | 'ALIGN_COUNT_FALSE'
  | 'ALIGN_PERCENTILE_50'
  | 'ALIGN_PERCENTILE_95'
  | 'ALIGN_PERCENTILE_99';
export type Reducer =
  | 'REDUCE_SUM'
  | 'REDUCE_MEAN'
  | 'REDUCE_MAX'
  | 'REDUCE_MIN'
  | 'REDUCE_COUNT'
  | 'REDUCE_COUNT_FALSE'
  | 'REDUCE_FRACTION_TRUE'
  | 'REDUCE_PERCENTILE_50'
  | 'REDUCE_PERCENTILE_95'
  | 'REDUCE_PERCENTILE_99';

/** One series selection with its aggregation: what a chart or a condition reads. */
export interface Query {
  signal: SignalId;
  /** Extra label terms ANDed to the signal's filter, e.g. `metric.labels.response_code_class="5xx"`. */
  where?: string;
  aligner: Aligner;
  reducer?: Reducer;
  groupBy?: string[];
}

/** A threshold condition, in Cloud Monitoring's terms but still data. */
export type ConditionSpec = MetricCondition | SloBurnRateCondition;

export interface MetricCondition {
  displayName: string;
  query: Query;
  /** A ratio condition: numerator `query` over this denominator (same alignment). */
  denominator?: Query;
  alignmentSeconds: number;
  comparison: 'COMPARISON_GT' | 'COMPARISON_LT';
  threshold: number;
  durationSeconds: number;
  /** A condition whose uptime check id is filled in by the construct (the check's id is only known at apply). */
  uptimeCheck?: 'api' | 'pushWorker';
}

/** How fast an SLO's error budget burns over a lookback window (`select_slo_burn_rate`). */
export interface SloBurnRateCondition {
  displayName: string;
  sloBurnRate: { slo: SloId; lookbackSeconds: number };
  comparison: 'COMPARISON_GT';
  threshold: number;
  durationSeconds: number;
}

export const isSloCondition = (c: ConditionSpec): c is SloBurnRateCondition => 'sloBurnRate' in c;

/** An alert's tunables: defaults here, per-environment overrides in environments/. */
export interface AlertParams {
  enabled: boolean;
  threshold: number;
  windowSeconds: number;
  durationSeconds: number;
  minRequests?: number;
}

export interface AlertSpec {
  /** An AlertId for the plan's alerts (overridable per environment), `slo_…_burn` for burn-rate alerts. */
  id: CatalogAlertId;
  displayName: string;
  severity: Severity;
  team: Team;
  /** The plan's words: when it fires. */
  firesWhen: string;
  defaults: AlertParams;
  /**
   * What `threshold` measures when it is not a plain count or value: a share (a ratio of counts, or of capacity) must
   * lie in (0, 1); a burn rate b of an SLO with goal g needs b x (1 - g) < 1. Either outside can never fire (checked
   * when an environment's alerts are resolved, catalog/alerts.ts).
   */
  thresholdKind?: 'share' | 'burnRate';
  combiner: 'OR' | 'AND';
  conditions: (params: AlertParams, env: EnvironmentConfig) => ConditionSpec[];
  /** Worst-case delay from the start of an incident to the first firing, promised in the runbook and checked by the simulator. */
  detectionDelaySeconds: (params: AlertParams) => number;
  runbook: string;
  dashboard: DashboardId;
}
