/**
 * Shapes shared by the Logging-query evaluator, the synth reader and the `check-logs` CLI.
 */

/**
 * A Cloud Logging `LogEntry` in its JSON form (as `gcloud logging read --format=json` prints it).
 * https://cloud.google.com/logging/docs/reference/v2/rest/v2/LogEntry
 * Only the fields the evaluator knows by name are typed; anything else is tolerated.
 */
export interface LogEntry {
  logName?: string;
  resource?: { type?: string; labels?: Record<string, string> };
  timestamp?: string;
  receiveTimestamp?: string;
  /** LogSeverity name (`"INFO"`) or number (`200`); absent means DEFAULT. */
  severity?: string | number;
  insertId?: string;
  httpRequest?: HttpRequest;
  labels?: Record<string, string>;
  operation?: { id?: string; producer?: string; first?: boolean; last?: boolean };
  trace?: string;
  spanId?: string;
  traceSampled?: boolean;
  sourceLocation?: { file?: string; line?: string | number; function?: string };
  split?: { uid?: string; index?: number; totalSplits?: number };
  textPayload?: string;
  jsonPayload?: Record<string, unknown>;
  protoPayload?: Record<string, unknown>;
  [key: string]: unknown;
}

/** https://cloud.google.com/logging/docs/reference/v2/rest/v2/LogEntry#HttpRequest (int64 fields are JSON strings). */
export interface HttpRequest {
  requestMethod?: string;
  requestUrl?: string;
  requestSize?: string | number;
  status?: number;
  responseSize?: string | number;
  userAgent?: string;
  remoteIp?: string;
  serverIp?: string;
  referer?: string;
  /** Duration in JSON form, e.g. `"0.285s"`. */
  latency?: string;
  cacheLookup?: boolean;
  cacheHit?: boolean;
  cacheValidatedWithOriginServer?: boolean;
  cacheFillBytes?: string | number;
  protocol?: string;
}

/** Value types a log-based metric label may have (gcp-facts §3.3). */
export type LabelValueType = 'STRING' | 'INT64' | 'BOOL';

export interface LogMetricLabel {
  key: string;
  valueType: LabelValueType;
  description?: string;
}

/** A log-based metric (`google_logging_metric` / `google.logging.v2.LogMetric`), as far as evaluation needs it. */
export interface LogMetric {
  name: string;
  filter: string;
  /** label key -> `EXTRACT(field)` or `REGEXP_EXTRACT(field, "regex")`. */
  labelExtractors?: Record<string, string>;
  /** `EXTRACT(...)` / `REGEXP_EXTRACT(...)`; required for DISTRIBUTION metrics. */
  valueExtractor?: string;
  /** `metric_descriptor.labels`; when omitted every extractor key is treated as a STRING label. */
  labels?: LogMetricLabel[];
  /** `metric_descriptor.metric_kind` (DELTA for log-based metrics). */
  metricKind?: string;
  /** `metric_descriptor.value_type`: INT64 (counter) or DISTRIBUTION. */
  valueType?: string;
  disabled?: boolean;
  /** Terraform logical id of the resource in the synth, when loaded from one. */
  resourceId?: string;
}

export type LabelValue = string | number | boolean;

/** What one log entry contributes to one log-based metric. */
export interface LogMetricResult {
  /** The entry matches the metric's filter. */
  matched: boolean;
  /** Extracted label values (defaults "", 0, false on extraction failure); empty when not matched. */
  labels: Record<string, LabelValue>;
  /** Extracted value (DISTRIBUTION metrics); undefined for counters, non-matches, and dropped values. */
  value: number | undefined;
  /** The entry matched but its value could not be extracted/converted to double, so it is not recorded. */
  valueDropped: boolean;
}
