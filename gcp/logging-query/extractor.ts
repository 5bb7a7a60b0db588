/**
 * Log-based metric extractors: `EXTRACT(field)` and `REGEXP_EXTRACT(field, "regex")`, as used by `value_extractor` and
 * `label_extractors` of a LogMetric.
 *
 * Rules (google.logging.v2.LogMetric proto comments, summarised in docs/reference/gcp-facts.md §3.3, and
 * https://cloud.google.com/logging/docs/logs-based-metrics/labels):
 * - the regex is RE2 with exactly one capture group, "It is an error to specify a regex that does not include exactly
 *   one capture group";
 * - "The value of the field is converted to a string before applying the regex";
 * - a value must convert to double, "If either the extraction or the conversion to double fails, then those values are
 *   not recorded in the distribution";
 * - a label that cannot be extracted gets its type's default: "" (STRING), 0 (INT64), false (BOOL);
 * - "Only the first 1,024 characters of a label value are kept".
 */
import { QueryParser, lookupField, type FieldRef } from './filter';
import { RegexSyntaxError, translateRe2 } from '../re2';
import type { LabelValue, LabelValueType, LogEntry } from './types';

export interface Extractor {
  readonly text: string;
  readonly kind: 'EXTRACT' | 'REGEXP_EXTRACT';
  readonly field: FieldRef;
  /** REGEXP_EXTRACT only. */
  readonly regex?: RegExp;
  /** The extracted string, or undefined when extraction fails (field absent, not a scalar, or no regex match). */
  extract(entry: LogEntry): string | undefined;
}

/**
 * A field value "converted to a string". Numbers use JS's shortest round-trip form, which equals Python's repr for the
 * app's floats (e.g. 0.0017185309109746354). Objects, arrays of several values and nulls are not extractable here.
 */
function fieldString(values: unknown[] | undefined): string | undefined {
  if (!values || values.length !== 1) return undefined;
  const v = values[0];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return `${v}`; // String(v), without reading the global per entry
  return undefined;
}

/** Parses an extractor expression; throws a FilterSyntaxError naming `name` and the position. */
export function compileExtractor(text: string, options: { name?: string } = {}): Extractor {
  const p: QueryParser = new QueryParser(text, options.name);
  p.ws();
  const fnMatch = /^(REGEXP_EXTRACT|EXTRACT)\s*\(/i.exec(text.slice(p.pos));
  if (!fnMatch) p.fail('an extractor must be EXTRACT(field) or REGEXP_EXTRACT(field, "regex")');
  const kind = fnMatch[1].toUpperCase() as Extractor['kind'];
  p.pos += fnMatch[0].length;
  const field = p.field();
  let regex: RegExp | undefined;
  p.ws();
  if (kind === 'REGEXP_EXTRACT') {
    if (text[p.pos] !== ',') p.fail('REGEXP_EXTRACT needs two arguments: (field, "regex")');
    p.pos++;
    p.ws();
    const at = p.pos;
    const { patternText } = p.quoted();
    try {
      const t = translateRe2(patternText);
      if (t.captureGroups !== 1) {
        p.fail(`the regex "${patternText}" has ${t.captureGroups} capture groups; REGEXP_EXTRACT needs exactly one (use (?:…) for other groups)`, at);
      }
      regex = t.regex;
    } catch (err) {
      if (err instanceof RegexSyntaxError) p.fail(`invalid RE2 regular expression "${patternText}": ${err.message}`, at);
      throw err;
    }
    p.ws();
  }
  if (text[p.pos] !== ')') p.fail(kind === 'EXTRACT' ? 'EXTRACT takes one field: EXTRACT(field)' : 'missing ")" after the regex');
  p.pos++;
  if (!p.atEnd()) p.fail('unexpected text after the extractor');

  return {
    text,
    kind,
    field,
    regex,
    extract(entry: LogEntry): string | undefined {
      const str = fieldString(lookupField(entry, field));
      if (str === undefined || !regex) return str;
      const m = regex.exec(str);
      // A group that did not take part in the match counts as a failed extraction.
      return m ? m[1] : undefined;
    },
  };
}

const DOUBLE_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The extracted value as a distribution point, or undefined ("not recorded") when it is not a finite double. */
export function extractValue(extractor: Extractor, entry: LogEntry): number | undefined {
  const s = extractor.extract(entry);
  if (s === undefined || !DOUBLE_RE.test(s.trim())) return undefined;
  return +s.trim();
}

export const LABEL_VALUE_MAX = 1024;

/** The extracted label value converted to the label's type, or the type's default on failure. */
export function extractLabel(extractor: Extractor, entry: LogEntry, valueType: LabelValueType): LabelValue {
  const s = extractor.extract(entry);
  switch (valueType) {
    case 'INT64':
      return s !== undefined && /^[+-]?\d+$/.test(s.trim()) ? +s.trim() : 0;
    case 'BOOL':
      return s !== undefined && /^(true|false)$/i.test(s.trim()) ? s.trim().toLowerCase() === 'true' : false;
    case 'STRING':
      return s === undefined ? '' : s.slice(0, LABEL_VALUE_MAX);
  }
}
