/** The Cloud Monitoring filter language: one parser (and its printer), one tree, one evaluator (gcp-facts §2.1). */
export type { Comparator, Comparison, FilterNode, ParsedFilter, Rhs, Selector, SloSelector } from './ast';
export { FilterSyntaxError, parseFilter, parseSeriesFilter } from './parse';
export { printFilter } from './print';
export { LABEL_KEY, isBareLabelKey } from './label-key';
export { UnsupportedFilterError, compileRe2, matchesFilter, unsupportedNode, type SeriesIdentity } from './evaluate';
export {
  comparisons,
  groupFieldName,
  parseGroupByField,
  type GroupByField,
  hasAssumedPrecedence,
  labelEqualities,
  labelKeysOf,
  mapComparisons,
  metricTypeComparisons,
  metricTypesOf,
  resourceTypesOf,
  selectorCount,
} from './query';
export { MAX_ALERT_BURN_RATE_LOOKBACK_SECONDS, SLO_SELECTORS, SLO_SELECTORS_WITH_LOOKBACK, isSloSelectorFilter, lookbackSeconds, sloSelectorOf } from './slo';
