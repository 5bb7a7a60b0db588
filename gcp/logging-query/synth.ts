/**
 * Reads the log-based metrics (`google_logging_metric`) of a synthesized CDKTF stack (`cdktf.out/stacks/<env>/cdk.tf.json`).
 *
 * Terraform JSON may render a nested single block either as an object or as an array of one object; both are accepted.
 * Field names follow the Terraform schema of `google_logging_metric` (docs/reference/gcp-facts.md §3).
 */
import type { LabelValueType, LogMetric, LogMetricLabel } from './types';

export class SynthFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SynthFormatError';
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A nested block written as `{…}` or `[{…}]`. */
function block(v: unknown, where: string): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) {
    if (v.length === 0) return undefined;
    if (v.length > 1 || !isRecord(v[0])) throw new SynthFormatError(`${where}: expected one block, found an array of ${v.length}`);
    return v[0];
  }
  if (!isRecord(v)) throw new SynthFormatError(`${where}: expected a block (object), found ${typeof v}`);
  return v;
}

function optString(v: unknown, where: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new SynthFormatError(`${where}: expected a string, found ${typeof v}`);
  return v;
}

/** Terraform interpolations cannot be evaluated offline; refuse them rather than match against "${…}" text. */
function literal(v: string, where: string): string {
  if (v.includes('${')) throw new SynthFormatError(`${where}: contains a Terraform interpolation ("\${…}"), which cannot be evaluated offline`);
  return v;
}

const LABEL_TYPES: ReadonlySet<string> = new Set(['STRING', 'INT64', 'BOOL']);

/** Every `google_logging_metric` resource of a cdk.tf.json document, in document order. */
export function loadLogMetrics(cdkTfJson: object): LogMetric[] {
  if (!isRecord(cdkTfJson)) throw new SynthFormatError('cdk.tf.json: expected a JSON object');
  const resources = cdkTfJson.resource;
  if (resources === undefined) return [];
  if (!isRecord(resources)) throw new SynthFormatError('cdk.tf.json: "resource" must be an object');
  const metrics = resources.google_logging_metric;
  if (metrics === undefined) return [];
  if (!isRecord(metrics)) throw new SynthFormatError('cdk.tf.json: resource.google_logging_metric must be an object');

  return Object.entries(metrics).map(([id, raw]): LogMetric => {
    const where = `resource.google_logging_metric.${id}`;
    if (!isRecord(raw)) throw new SynthFormatError(`${where}: expected an object`);
    const name = optString(raw.name, `${where}.name`);
    const filter = optString(raw.filter, `${where}.filter`);
    if (!name) throw new SynthFormatError(`${where}.name: missing`);
    if (filter === undefined) throw new SynthFormatError(`${where}.filter: missing`);

    const metric: LogMetric = { name: literal(name, `${where}.name`), filter: literal(filter, `${where}.filter`), resourceId: id };

    const extractors = raw.label_extractors;
    if (extractors !== undefined && extractors !== null) {
      if (!isRecord(extractors)) throw new SynthFormatError(`${where}.label_extractors: expected an object`);
      metric.labelExtractors = Object.fromEntries(
        Object.entries(extractors).map(([k, v]) => [k, literal(optString(v, `${where}.label_extractors.${k}`) ?? '', `${where}.label_extractors.${k}`)]),
      );
    }
    const valueExtractor = optString(raw.value_extractor, `${where}.value_extractor`);
    if (valueExtractor) metric.valueExtractor = literal(valueExtractor, `${where}.value_extractor`);
    if (raw.disabled === true) metric.disabled = true;

    const descriptor = block(raw.metric_descriptor, `${where}.metric_descriptor`);
    if (descriptor) {
      metric.metricKind = optString(descriptor.metric_kind, `${where}.metric_descriptor.metric_kind`);
      metric.valueType = optString(descriptor.value_type, `${where}.metric_descriptor.value_type`);
      const rawLabels = descriptor.labels;
      if (rawLabels !== undefined && rawLabels !== null) {
        const list = Array.isArray(rawLabels) ? rawLabels : [rawLabels];
        metric.labels = list.map((l, i): LogMetricLabel => {
          const lw = `${where}.metric_descriptor.labels[${i}]`;
          if (!isRecord(l)) throw new SynthFormatError(`${lw}: expected an object`);
          const key = optString(l.key, `${lw}.key`);
          if (!key) throw new SynthFormatError(`${lw}.key: missing`);
          // value_type defaults to STRING in the Terraform schema.
          const valueType = optString(l.value_type, `${lw}.value_type`) ?? 'STRING';
          if (!LABEL_TYPES.has(valueType)) throw new SynthFormatError(`${lw}.value_type: "${valueType}" is not STRING, INT64 or BOOL`);
          const description = optString(l.description, `${lw}.description`);
          return { key, valueType: valueType as LabelValueType, ...(description !== undefined ? { description } : {}) };
        });
      }
    }
    return metric;
  });
}
