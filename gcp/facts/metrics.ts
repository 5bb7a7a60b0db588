/** Metric kinds and value types (google.api.MetricDescriptor, metric.proto; gcp-facts §1.5). */
export const METRIC_KINDS = ['GAUGE', 'DELTA', 'CUMULATIVE'] as const;
export const VALUE_TYPES = ['BOOL', 'INT64', 'DOUBLE', 'STRING', 'DISTRIBUTION', 'MONEY'] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];
export type ValueType = (typeof VALUE_TYPES)[number];

/** Whether a string (e.g. read from a synth or an API response) is one of the listed kinds or types. */
export const isOneOf = <T extends string>(list: readonly T[], v: unknown): v is T => typeof v === 'string' && (list as readonly string[]).includes(v);

export interface MetricShape {
  metricKind: MetricKind;
  valueType: ValueType;
  /** Its metric label keys, where known (filters and group-bys naming another key are reported). */
  labels?: readonly string[];
}

/** metric type (e.g. `run.googleapis.com/request_count`) → kind, value type and labels. */
export type KnownMetrics = Readonly<Record<string, MetricShape>>;
