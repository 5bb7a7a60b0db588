/**
 * google.monitoring.v3.AlertPolicy in API JSON (camelCase), as the simulator, the backtest and the preview read it.
 * Loose on purpose: the lint and the schema walker (gcp/schema) check a policy; readers validate what they use.
 */
import type { ApiAggregation } from './aggregation';

/** The condition types of google.monitoring.v3.AlertPolicy.Condition (its `condition` oneof; gcp-facts §1.1), in API JSON. */
export const CONDITION_TYPES = [
  'conditionThreshold',
  'conditionAbsent',
  'conditionMatchedLog',
  'conditionMonitoringQueryLanguage',
  'conditionPrometheusQueryLanguage',
  'conditionSql',
] as const;

export type ConditionType = (typeof CONDITION_TYPES)[number];

export interface ApiTrigger {
  count?: number | string;
  percent?: number;
}

export interface ApiMetricThreshold {
  filter?: string;
  aggregations?: ApiAggregation[];
  denominatorFilter?: string;
  denominatorAggregations?: ApiAggregation[];
  comparison?: string;
  thresholdValue?: number;
  duration?: string;
  trigger?: ApiTrigger;
  evaluationMissingData?: string;
  forecastOptions?: unknown;
}

export interface ApiMetricAbsence {
  filter?: string;
  aggregations?: ApiAggregation[];
  duration?: string;
  trigger?: ApiTrigger;
}

export interface ApiLogMatch {
  filter?: string;
  labelExtractors?: Record<string, string>;
}

export interface ApiCondition {
  name?: string;
  displayName?: string;
  conditionThreshold?: ApiMetricThreshold;
  conditionAbsent?: ApiMetricAbsence;
  conditionMatchedLog?: ApiLogMatch;
  conditionMonitoringQueryLanguage?: unknown;
  conditionPrometheusQueryLanguage?: unknown;
  conditionSql?: unknown;
}

export interface ApiAlertPolicy {
  name?: string;
  displayName?: string;
  combiner?: string;
  conditions?: ApiCondition[];
  enabled?: boolean;
  notificationChannels?: string[];
  alertStrategy?: { notificationRateLimit?: { period?: string }; autoClose?: string };
  severity?: string;
  [key: string]: unknown;
}
