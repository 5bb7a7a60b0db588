/**
 * Data model of the offline alert-policy simulator.
 *
 * Times are epoch milliseconds (plain numbers) everywhere inside the engine; ISO strings only appear at the edges
 * (scenario files, CLI output).
 */

import type { ApiAlertPolicy } from '../api/alert-policy';
import type { MetricKind, ValueType as ApiValueType } from '../facts/metrics';

export type { MetricKind };
/** The value types the simulator models (a subset of the API's: no STRING or MONEY). */
export const SIMULATED_VALUE_TYPES = ['INT64', 'DOUBLE', 'BOOL', 'DISTRIBUTION'] as const satisfies readonly ApiValueType[];
export type ValueType = (typeof SIMULATED_VALUE_TYPES)[number];

/** google.api.Distribution.BucketOptions (API JSON, camelCase). Exactly one member is set. */
export interface BucketOptions {
  linearBuckets?: { numFiniteBuckets: number; width: number; offset: number };
  exponentialBuckets?: { numFiniteBuckets: number; growthFactor: number; scale: number };
  explicitBuckets?: { bounds: number[] };
}

/** google.api.Distribution, reduced to what the aligners and reducers need. */
export interface Distribution {
  count: number;
  mean: number;
  bucketOptions: BucketOptions;
  /** Length = number of finite buckets + 2 (underflow first, overflow last). */
  bucketCounts: number[];
}

/** A point value: numbers for INT64/DOUBLE, 0/1 for BOOL, a Distribution for DISTRIBUTION. */
export type PointValue = number | Distribution;

/** One input time series as it would be stored in Cloud Monitoring. */
export interface TimeSeries {
  metric: { type: string; labels: Record<string, string> };
  resource: { type: string; labels: Record<string, string> };
  metricKind: MetricKind;
  valueType: ValueType;
  /** Point end times (ms), strictly increasing. For DELTA points the interval is (previous end, end]. */
  times: number[];
  values: PointValue[];
  /** Where the series came from (scenario file / series index / log metric), for error messages. */
  origin: string;
}

/** A policy ready for simulation, with where it came from. */
export interface LoadedPolicy {
  /** displayName, or the TF resource name when the display name is missing. */
  displayName: string;
  policy: ApiAlertPolicy;
  /** "file.json#2" or "cdk.tf.json google_monitoring_alert_policy.<name>". */
  origin: string;
  /** Loaded from a cdk.tf.json: the TF resource name (`<name>` of `google_monitoring_alert_policy.<name>`). */
  resource?: string;
  /** Notification channel references as written (resolved names or TF interpolations); reported, never used. */
  notificationChannels: string[];
  /** Non-fatal findings from loading (converter findings, unresolved channel references). */
  notes: string[];
}

/** A Cloud Logging LogEntry (API JSON); only the fields the log evaluator reads matter. */
export type LogEntry = Record<string, unknown> & { timestamp?: string };
