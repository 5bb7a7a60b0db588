/**
 * Offline evaluator of the Cloud Logging query language and of log-based metric extractors.
 * https://cloud.google.com/logging/docs/view/logging-query-language
 */
export { FilterSyntaxError, LQL_DOC, SEVERITIES, UnsupportedFilterError, matches, mayMatchFieldValue, parseFilter, type Filter } from './filter';
export { compileExtractor, extractLabel, extractValue, type Extractor } from './extractor';
export { LogMetricError, compileLogMetric, evaluateLogMetric, type CompiledLogMetric } from './metric';
export { RegexSyntaxError, translateRe2 } from '../re2';
export { SynthFormatError, loadLogMetrics } from './synth';
export type { HttpRequest, LabelValue, LabelValueType, LogEntry, LogMetric, LogMetricLabel, LogMetricResult } from './types';
