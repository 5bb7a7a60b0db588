/**
 * Evaluation of a whole log-based metric (filter + label extractors + value extractor) against log entries.
 * Facts: docs/reference/gcp-facts.md §3.2-3.3 (google.logging.v2.LogMetric proto comments).
 */
import { compileExtractor, extractLabel, extractValue, type Extractor } from './extractor';
import { matches, parseFilter, type Filter } from './filter';
import type { LabelValueType, LogEntry, LogMetric, LogMetricResult } from './types';

export interface CompiledLogMetric {
  readonly metric: LogMetric;
  readonly filter: Filter;
  readonly labels: ReadonlyArray<{ key: string; valueType: LabelValueType; extractor: Extractor }>;
  readonly valueExtractor?: Extractor;
  evaluate(entry: LogEntry): LogMetricResult;
}

export class LogMetricError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogMetricError';
  }
}

/**
 * Parses the metric's filter and extractors once. Throws (naming the metric and the failing part) for invalid syntax,
 * and for descriptor rules the API enforces: every descriptor label needs an extractor, and a DISTRIBUTION metric
 * needs a value extractor.
 */
export function compileLogMetric(metric: LogMetric): CompiledLogMetric {
  const subject = `log-based metric "${metric.name}"`;
  const where = (part: string) => `${subject} ${part}`;
  const filter = parseFilter(metric.filter, { name: where('filter') });
  const extractors = metric.labelExtractors ?? {};
  const declared = metric.labels ?? Object.keys(extractors).map((key) => ({ key, valueType: 'STRING' as const }));
  for (const label of declared) {
    if (!(label.key in extractors)) throw new LogMetricError(`${subject}: label "${label.key}" of metric_descriptor has no entry in label_extractors`);
  }
  for (const key of Object.keys(extractors)) {
    if (!declared.some((l) => l.key === key)) throw new LogMetricError(`${subject}: label_extractors key "${key}" is not a metric_descriptor label`);
  }
  const labels = declared.map((l) => ({
    key: l.key,
    valueType: l.valueType,
    extractor: compileExtractor(extractors[l.key], { name: where(`label_extractors.${l.key}`) }),
  }));
  const valueExtractor = metric.valueExtractor ? compileExtractor(metric.valueExtractor, { name: where('value_extractor') }) : undefined;
  if (metric.valueType === 'DISTRIBUTION' && !valueExtractor) {
    throw new LogMetricError(`${subject}: a DISTRIBUTION metric needs a value_extractor`);
  }

  return {
    metric,
    filter,
    labels,
    valueExtractor,
    evaluate(entry: LogEntry): LogMetricResult {
      if (!matches(filter, entry)) return { matched: false, labels: {}, value: undefined, valueDropped: false };
      const out: LogMetricResult = { matched: true, labels: {}, value: undefined, valueDropped: false };
      for (const l of labels) out.labels[l.key] = extractLabel(l.extractor, entry, l.valueType);
      if (valueExtractor) {
        out.value = extractValue(valueExtractor, entry);
        out.valueDropped = out.value === undefined;
      }
      return out;
    },
  };
}

const cache = new WeakMap<LogMetric, CompiledLogMetric>();

/**
 * What one entry contributes to a metric: `{matched, labels, value, valueDropped}`. The metric is compiled on first use
 * and cached per metric object.
 */
export function evaluateLogMetric(metric: LogMetric | CompiledLogMetric, entry: LogEntry): LogMetricResult {
  if ('evaluate' in metric) return metric.evaluate(entry);
  let compiled = cache.get(metric);
  if (!compiled) {
    compiled = compileLogMetric(metric);
    cache.set(metric, compiled);
  }
  return compiled.evaluate(entry);
}
