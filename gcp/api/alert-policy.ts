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
