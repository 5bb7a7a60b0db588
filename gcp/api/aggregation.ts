/** google.monitoring.v3.Aggregation in API JSON (camelCase), as alert policies and charts both carry it. */
export interface ApiAggregation {
  alignmentPeriod?: string;
  perSeriesAligner?: string;
  crossSeriesReducer?: string;
  groupByFields?: string[];
}
