/** Metric kinds and value types (google.api.MetricDescriptor, metric.proto; gcp-facts §1.5). */
export type MetricKind = 'GAUGE' | 'DELTA' | 'CUMULATIVE';
export type ValueType = 'BOOL' | 'INT64' | 'DOUBLE' | 'STRING' | 'DISTRIBUTION' | 'MONEY';

export const METRIC_KINDS: readonly MetricKind[] = ['GAUGE', 'DELTA', 'CUMULATIVE'];
export const VALUE_TYPES: readonly ValueType[] = ['BOOL', 'INT64', 'DOUBLE', 'STRING', 'DISTRIBUTION', 'MONEY'];

export interface MetricShape {
  metricKind: MetricKind;
  valueType: ValueType;
  /** Its metric label keys, where known (filters and group-bys naming another key are reported). */
  labels?: readonly string[];
}

/** metric type (e.g. `run.googleapis.com/request_count`) → kind, value type and labels. */
export type KnownMetrics = Readonly<Record<string, MetricShape>>;
