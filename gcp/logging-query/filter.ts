/**
 * Parser and evaluator for the Cloud Logging query language, as used by log-based metric filters.
 *
 * Reference (cited per rule below as [LQL#section]): https://cloud.google.com/logging/docs/view/logging-query-language
 *
 * Design: the filter is parsed once into a tree; every comparison's right-hand value is converted to the type of its
 * field at parse time when that type is known from the LogEntry schema (severity, httpRequest.status, timestamp, …), so
 * a value that could never match (e.g. `severity>=EROR`) is reported as an error instead of silently matching nothing.
 * Fields inside `jsonPayload` / `protoPayload` are typed at evaluation time from the JSON value, as Logging does
 * ([LQL#types-of-log-fields]: "Log fields inside of jsonPayload have types that are inferred from the field's value").
 * Anything this evaluator does not implement (SEARCH, sample, ip_in_net, cast, …) throws, never silently mismatches.
 */
import { RegexSyntaxError, translateRe2 } from '../re2';
import type { LogEntry } from './types';

export const LQL_DOC = 'https://cloud.google.com/logging/docs/view/logging-query-language';

// The evaluator runs per entry and field: it reads these globals through module constants, because in jest's vm
// context, where the tests run, each read of a global such as `Array` or `Object` costs about 0.2 µs, more than the
// lookup itself (gcp/simulate/README.md "Speed").
const { isArray } = Array;
const { values: objectValues } = Object;
const hasOwn = Object.prototype.hasOwnProperty;
const { isInteger, isNaN: numberIsNaN } = Number;

// ---------------------------------------------------------------------------------------------------------------------
// Errors

export class FilterSyntaxError extends Error {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  /** The message without the location suffix. */
  readonly reason: string;
  constructor(reason: string, source: string, offset: number, name?: string) {
    const { line, column } = lineColumn(source, offset);
    const near = source.slice(offset, offset + 24).replace(/\s+/g, ' ');
    super(`${name ? `${name}: ` : ''}${reason} at line ${line}, column ${column}${near ? ` (near "${near}")` : ' (at end)'}`);
    this.name = 'FilterSyntaxError';
    this.offset = offset;
    this.line = line;
    this.column = column;
    this.reason = reason;
  }
}

/**
 * A valid Logging query this evaluator does not implement (SEARCH(), sample(), …): Logging accepts it, so a caller may
 * fall back to a conservative answer; every other FilterSyntaxError is a mistake in the query.
 */
export class UnsupportedFilterError extends FilterSyntaxError {
  constructor(reason: string, source: string, offset: number, name?: string) {
    super(reason, source, offset, name);
    this.name = 'UnsupportedFilterError';
  }
}

function lineColumn(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

// ---------------------------------------------------------------------------------------------------------------------
// Field model [LQL#field-path-identifiers, #missing-fields, #types-of-log-fields]

/** Scalar types of LogEntry proto fields that the comparison rules distinguish [LQL#comparison-operators]. */
export type ScalarType = 'string' | 'double' | 'int' | 'bool' | 'severity' | 'duration' | 'timestamp';

/**
 * - `scalar`: a LogEntry proto field; when absent it is *defaulted* ("Comparisons are performed as if the field were
 *   present and had its default value") [LQL#missing-fields].
 * - `object`: a LogEntry message field used without a sub-field (`httpRequest`, `resource`); only `:` / `:*`.
 * - `map`: `labels.KEY` / `resource.labels.KEY`: string values; when absent the field is *missing* and every
 *   comparison fails [LQL#missing-fields].
 * - `dynamic`: inside `jsonPayload` / `protoPayload`: type inferred from the value, missing when absent.
 */
export type FieldKind = 'scalar' | 'object' | 'map' | 'dynamic';

export interface FieldRef {
  /** Canonical JSON keys from the LogEntry root. */
  path: string[];
  /** As written in the filter. */
  display: string;
  kind: FieldKind;
  type?: ScalarType;
  /** protoPayload field names are matched without regard to case [LQL#field-path-identifiers]. */
  caseInsensitiveKeys: boolean;
}

type Schema = { kind: 'scalar'; type: ScalarType } | { kind: 'object'; children: Record<string, Schema> } | { kind: 'map' } | { kind: 'dynamic' };

const s = (type: ScalarType): Schema => ({ kind: 'scalar', type });
const obj = (children: Record<string, Schema>): Schema => ({ kind: 'object', children });

/** The LogEntry fields [LQL#field-path-identifiers]; https://cloud.google.com/logging/docs/reference/v2/rest/v2/LogEntry */
const LOG_ENTRY: Record<string, Schema> = {
  httpRequest: obj({
    requestMethod: s('string'),
    requestUrl: s('string'),
    requestSize: s('int'),
    status: s('int'),
    responseSize: s('int'),
    userAgent: s('string'),
    remoteIp: s('string'),
    serverIp: s('string'),
    referer: s('string'),
    latency: s('duration'),
    cacheLookup: s('bool'),
    cacheHit: s('bool'),
    cacheValidatedWithOriginServer: s('bool'),
    cacheFillBytes: s('int'),
    protocol: s('string'),
  }),
  insertId: s('string'),
  jsonPayload: { kind: 'dynamic' },
  labels: { kind: 'map' },
  logName: s('string'),
  operation: obj({ id: s('string'), producer: s('string'), first: s('bool'), last: s('bool') }),
  protoPayload: { kind: 'dynamic' },
  receiveTimestamp: s('timestamp'),
  resource: obj({ type: s('string'), labels: { kind: 'map' } }),
  severity: s('severity'),
  sourceLocation: obj({ file: s('string'), line: s('int'), function: s('string') }),
  spanId: s('string'),
  split: obj({ uid: s('string'), index: s('int'), totalSplits: s('int') }),
  textPayload: s('string'),
  timestamp: s('timestamp'),
  trace: s('string'),
  traceSampled: s('bool'),
};

function findKey<T>(table: Record<string, T>, key: string): string | undefined {
  if (key in table) return key;
  const lower = key.toLowerCase();
  return Object.keys(table).find((k) => k.toLowerCase() === lower);
}

interface Segment {
  text: string;
  pos: number;
}

/** Resolves a dotted path against the LogEntry schema; throws for *undefined* fields [LQL#missing-fields]. */
function resolveField(segments: Segment[], display: string, fail: (msg: string, pos: number) => never): FieldRef {
  const path: string[] = [];
  let schema: Schema = obj(LOG_ENTRY);
  let caseInsensitiveKeys = false;
  for (let k = 0; k < segments.length; k++) {
    const seg = segments[k];
    if (schema.kind === 'object') {
      // Proto field names: the query language is case-insensitive outside struct/map keys [LQL#syntax-notation].
      const key = findKey(schema.children, seg.text);
      if (key === undefined) {
        const where = path.length ? `"${path.join('.')}" has no field "${seg.text}"` : `"${seg.text}" is not a LogEntry field`;
        fail(`undefined field ${display}: ${where} (${LQL_DOC}#missing-fields)`, seg.pos);
      }
      path.push(key);
      if (path.length === 1 && key === 'protoPayload') caseInsensitiveKeys = true;
      schema = schema.children[key];
      continue;
    }
    if (schema.kind === 'map') {
      if (k !== segments.length - 1) {
        fail(
          `label key "${segments
            .slice(k)
            .map((x) => x.text)
            .join('.')}" in ${display} contains a ".": quote it, e.g. labels."a.b/c"`,
          seg.pos,
        );
      }
      path.push(seg.text);
      return { path, display, kind: 'map', type: 'string', caseInsensitiveKeys };
    }
    if (schema.kind === 'dynamic') {
      path.push(...segments.slice(k).map((x) => x.text));
      return { path, display, kind: 'dynamic', caseInsensitiveKeys };
    }
    fail(`undefined field ${display}: "${path.join('.')}" is a scalar and has no sub-field "${seg.text}" (${LQL_DOC}#missing-fields)`, seg.pos);
  }
  if (schema.kind === 'scalar') return { path, display, kind: 'scalar', type: schema.type, caseInsensitiveKeys };
  // `labels`, `jsonPayload`, `httpRequest` … used whole: presence and "has" only.
  return { path, display, kind: schema.kind === 'dynamic' ? 'dynamic' : 'object', caseInsensitiveKeys };
}

/** The key of `rec` equal to `key` ignoring case, or undefined. */
function caseInsensitiveKey(rec: Record<string, unknown>, key: string): string | undefined {
  const lower = key.toLowerCase();
  return Object.keys(rec).find((x) => x.toLowerCase() === lower);
}

/**
 * The values of a field in an entry, or undefined when it is absent. Arrays met on the way are expanded, because a
 * comparison on an array field is "each member … compared … joined together using the OR operator"
 * [LQL#object-and-array-types].
 */
export function lookupField(entry: LogEntry, ref: FieldRef): unknown[] | undefined {
  // Fast path (the evaluator's hot loop): a chain of plain objects, one value at each step, no array allocated. It
  // hands over to the general walk below at the first array met, in the same state the walk would have reached.
  const segments = ref.path;
  let value: unknown = entry;
  let step = 0;
  for (; step < segments.length; step++) {
    if (value === null || typeof value !== 'object') return undefined;
    if (isArray(value)) break;
    const rec = value as Record<string, unknown>;
    let key: string | undefined = segments[step];
    if (!(key in rec) && ref.caseInsensitiveKeys) key = caseInsensitiveKey(rec, key);
    if (key === undefined || !hasOwn.call(rec, key) || rec[key] === undefined) return undefined;
    value = rec[key];
  }
  if (step === segments.length) return isArray(value) ? [value].flatMap((v) => v) : [value];
  let current: unknown[] = [value];
  for (const key of segments.slice(step)) {
    const next: unknown[] = [];
    for (const v of current) {
      for (const item of isArray(v) ? v : [v]) {
        if (item === null || typeof item !== 'object') continue;
        const rec = item as Record<string, unknown>;
        let k: string | undefined = key;
        if (!(k in rec) && ref.caseInsensitiveKeys) k = caseInsensitiveKey(rec, key);
        if (k !== undefined && hasOwn.call(rec, k) && rec[k] !== undefined) next.push(rec[k]);
      }
    }
    if (next.length === 0) return undefined;
    current = next;
  }
  return current.flatMap((v) => (isArray(v) ? v : [v]));
}

// ---------------------------------------------------------------------------------------------------------------------
// Values and conversions [LQL#values-and-conversions]

/** LogSeverity numbers: https://cloud.google.com/logging/docs/reference/v2/rest/v2/LogEntry#logseverity */
export const SEVERITIES: Readonly<Record<string, number>> = {
  DEFAULT: 0,
  DEBUG: 100,
  INFO: 200,
  NOTICE: 300,
  WARNING: 400,
  ERROR: 500,
  CRITICAL: 600,
  ALERT: 700,
  EMERGENCY: 800,
};

const ASCII = /^[\x00-\x7f]*$/;

/**
 * Strings compare after NFKC_Casefold normalization [LQL#comparison-operators]; NFKC + toLowerCase approximates it.
 * NFKC leaves ASCII text as it is, so the (costly) normalization is skipped for it.
 */
function fold(v: string): string {
  return (ASCII.test(v) ? v : v.normalize('NFKC')).toLowerCase();
}

const DOUBLE_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const INT_RE = /^[+-]?\d+$/;

function toDouble(text: string): number | undefined {
  if (DOUBLE_RE.test(text)) return +text;
  // "the special value strings NaN, -Infinity, and Infinity (either capitalized or not)" [LQL#values-and-conversions]
  const m = /^([+-]?)(nan|infinity)$/i.exec(text);
  if (!m) return undefined;
  if (m[2].toLowerCase() === 'nan') return NaN;
  return m[1] === '-' ? -Infinity : Infinity;
}

function toInt(v: unknown): number | undefined {
  if (typeof v === 'number') return isInteger(v) ? v : undefined;
  if (typeof v === 'string' && INT_RE.test(v)) return +v;
  return undefined;
}

function toBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  return undefined;
}

function toSeverity(v: unknown): number | undefined {
  if (typeof v === 'number') return isInteger(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const byName = SEVERITIES[v.toUpperCase()];
  if (byName !== undefined) return byName;
  return INT_RE.test(v) ? +v : undefined;
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Duration strings: "a signed decimal number followed by one of the units ns, us, ms, s, m, h" [LQL#values-and-conversions]. Returns seconds. */
export function parseDuration(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(ns|us|ms|s|m|h)$/.exec(v.trim());
  return m ? +m[1] * DURATION_UNITS[m[2]] : undefined;
}

/**
 * RFC 3339 timestamps (nanosecond precision) or an ISO 8601 date, which "Logging interprets … as
 * YYYY-MM-DDT00:00:00Z" [LQL#searching-by-time]. Returns nanoseconds since the epoch.
 */
export function parseTimestamp(v: unknown): bigint | undefined {
  if (typeof v !== 'string') return undefined;
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  const text = date ? `${v}T00:00:00Z` : v;
  const m = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}T${m[2]}${m[4].toUpperCase() === 'Z' ? 'Z' : m[4]}`);
  if (numberIsNaN(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt((m[3] ?? '').padEnd(9, '0'));
}

/** Converts an entry's JSON value of a typed LogEntry field; undefined when the data is not of that type. */
function fromEntry(type: ScalarType, v: unknown): string | number | boolean | bigint | undefined {
  switch (type) {
    case 'string':
      return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? `${v}` : undefined;
    case 'double':
      return typeof v === 'number' ? v : typeof v === 'string' ? toDouble(v) : undefined;
    case 'int':
      return toInt(v);
    case 'bool':
      return toBool(v);
    case 'severity':
      return toSeverity(v);
    case 'duration':
      return parseDuration(v);
    case 'timestamp':
      return parseTimestamp(v);
  }
}

/** Default values of defaulted fields [LQL#missing-fields]. */
const DEFAULTS: Record<ScalarType, string | number | boolean | bigint> = {
  string: '',
  double: 0,
  int: 0,
  bool: false,
  severity: 0,
  duration: 0,
  timestamp: 0n,
};

// ---------------------------------------------------------------------------------------------------------------------
// Tree

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | ':' | '=~' | '!~';

/** A right-hand value as written. */
export interface Literal {
  /** String value (escapes resolved). */
  text: string;
  /** Pattern text for `=~` / `!~` (only `\"` and `\\` unescaped, other escapes kept for RE2). */
  patternText: string;
  quoted: boolean;
  /** The unquoted keyword NULL_VALUE [LQL#syntax-summary]. */
  isNull: boolean;
  pos: number;
}

export type Expr =
  | { kind: 'and'; items: Expr[] }
  | { kind: 'or'; items: Expr[] }
  | { kind: 'not'; expr: Expr }
  | { kind: 'compare'; field: FieldRef; op: CompareOp; value: Literal; test: (entry: LogEntry) => boolean }
  | { kind: 'exists'; field: FieldRef }
  | { kind: 'global'; value: Literal }
  | { kind: 'logId'; logId: string };

export interface Filter {
  readonly text: string;
  readonly name?: string;
  readonly root: Expr | undefined;
}

// ---------------------------------------------------------------------------------------------------------------------
// Comparison

function orderCompare(op: CompareOp, a: number | string | bigint | boolean, b: number | string | bigint | boolean): boolean {
  // bool: "Inequality is defined by true>false" [LQL#comparison-operators]
  const x = typeof a === 'boolean' ? +a : a;
  const y = typeof b === 'boolean' ? +b : b;
  switch (op) {
    case '=':
    case ':':
      return x === y;
    case '!=':
      return x !== y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    default:
      return false;
  }
}

/** `actual OP literal` on strings, the literal already folded (it is folded once, when the filter is parsed). */
function stringCompare(op: CompareOp, actual: string, foldedLit: string): boolean {
  const a = fold(actual);
  // ":" "is handled like equality except that the right-hand operand need only equal some part of the left-hand field"
  return op === ':' ? a.includes(foldedLit) : orderCompare(op, a, foldedLit);
}

/** Scalar leaves of a JSON value, as strings (for "has" on objects and global restrictions). */
function leaves(v: unknown, out: string[] = []): string[] {
  if (v === null || v === undefined) return out;
  if (isArray(v)) v.forEach((x) => leaves(x, out));
  else if (typeof v === 'object') objectValues(v as object).forEach((x) => leaves(x, out));
  else out.push(String(v));
  return out;
}

/**
 * Builds the test for one `field OP value` comparison. Statically typed fields convert the value now (and throw when it
 * cannot be converted); dynamic (jsonPayload) fields convert per entry, where "If an attempted conversion fails, then
 * the comparison fails" [LQL#values-and-conversions].
 */
function buildCompare(field: FieldRef, op: CompareOp, value: Literal, fail: (msg: string, pos: number) => never): (entry: LogEntry) => boolean {
  const isRegex = op === '=~' || op === '!~';
  let regex: RegExp | undefined;
  if (isRegex) {
    if (value.isNull) fail('NULL_VALUE cannot be used with a regular expression operator', value.pos);
    // "Only fields of the string type can be matched with a regular expression" [LQL#regular-expressions]
    if ((field.kind === 'scalar' && field.type !== 'string') || field.kind === 'object') {
      fail(
        `${field.display} is not a string field (${field.kind === 'scalar' ? field.type : 'message'}); regular expressions only apply to strings (${LQL_DOC}#regular-expressions)`,
        value.pos,
      );
    }
    try {
      regex = translateRe2(value.patternText).regex;
    } catch (err) {
      if (err instanceof RegexSyntaxError) fail(`invalid RE2 regular expression "${value.patternText}": ${err.message}`, value.pos);
      throw err;
    }
  }
  if (value.isNull && op !== '=' && op !== '!=') fail('NULL_VALUE can only be compared with = or !=', value.pos);
  if (value.isNull && field.kind !== 'dynamic')
    fail(`${field.display} cannot hold a JSON null; NULL_VALUE applies to jsonPayload/protoPayload fields`, value.pos);
  if (field.kind === 'object' && op !== ':') fail(`${field.display} is a message, not a value: only ":" (has) and ":*" (present) apply`, value.pos);

  // Static conversion of the right-hand side.
  let staticRhs: string | number | boolean | bigint | undefined;
  if (field.kind === 'scalar' && !isRegex) {
    const type = field.type!;
    staticRhs = type === 'string' ? value.text : type === 'double' ? toDouble(value.text) : fromEntry(type, value.text);
    if (staticRhs === undefined) {
      const hint: Record<ScalarType, string> = {
        string: '',
        double: 'a number',
        int: 'an integer',
        bool: 'true or false',
        severity: `a severity name (${Object.keys(SEVERITIES).join(', ')}) or number`,
        duration: 'a duration such as "0.5s" or "250ms"',
        timestamp: 'an RFC 3339 timestamp such as "2025-11-12T15:00:00Z" or a date',
      };
      fail(
        `"${value.text}" cannot be converted to the type of ${field.display} (${type}): expected ${hint[type]}; such a comparison never matches (${LQL_DOC}#values-and-conversions)`,
        value.pos,
      );
    }
  }

  // The literal in each form an entry's value may be compared with, converted once here rather than per entry.
  const foldedText = fold(value.text);
  const textAsDouble = toDouble(value.text);
  const textAsBool = toBool(value.text);

  const one = (actual: unknown): boolean => {
    if (regex) {
      if (typeof actual !== 'string') return false;
      regex.lastIndex = 0;
      const hit = regex.test(actual);
      return op === '=~' ? hit : !hit;
    }
    if (value.isNull) return op === '=' ? actual === null : actual !== null;
    if (field.kind === 'scalar') {
      const a = fromEntry(field.type!, actual);
      if (a === undefined) return false;
      if (field.type === 'string') return stringCompare(op, a as string, foldedText); // staticRhs is value.text
      return orderCompare(op, a, staticRhs!);
    }
    if (field.kind === 'object') return leaves(actual).some((leaf) => stringCompare(':', leaf, foldedText));
    // map (labels) and dynamic (jsonPayload): inferred from the JSON value [LQL#types-of-log-fields].
    if (typeof actual === 'string') return stringCompare(op, actual, foldedText);
    if (typeof actual === 'number') return textAsDouble === undefined ? false : orderCompare(op, actual, textAsDouble);
    if (typeof actual === 'boolean') return textAsBool === undefined ? false : orderCompare(op, actual, textAsBool);
    if (actual !== null && typeof actual === 'object' && op === ':') return leaves(actual).some((leaf) => stringCompare(':', leaf, foldedText));
    return false;
  };

  return (entry: LogEntry): boolean => {
    const values = lookupField(entry, field);
    if (values === undefined) {
      // Payload/label fields are *missing*: "all comparisons using missing fields fail silently" (including != )
      // [LQL#missing-fields]. LogEntry fields are *defaulted*.
      if (field.kind !== 'scalar') return false;
      return oneDefault(DEFAULTS[field.type!]);
    }
    return values.some(one);
  };

  function oneDefault(v: string | number | boolean | bigint): boolean {
    if (regex) {
      const hit = regex.test(v as string);
      return op === '=~' ? hit : !hit;
    }
    if (field.type === 'string') return stringCompare(op, v as string, foldedText); // staticRhs is value.text
    return orderCompare(op, v, staticRhs!);
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Parser

const UNSUPPORTED_FUNCTIONS = new Set(['search', 'sample', 'ip_in_net', 'cast', 'regexp_extract', 'source', 'extract']);
/** Characters that end an unquoted word; such strings must be double-quoted [LQL#values-and-conversions]. */
const SPECIAL = new Set('()"=<>!:~,*'.split(''));

export class QueryParser {
  pos = 0;
  constructor(
    readonly src: string,
    readonly name?: string,
  ) {}

  fail(reason: string, pos: number = this.pos): never {
    throw new FilterSyntaxError(reason, this.src, pos, this.name);
  }

  /** Skips whitespace and `--` comments ("Comments start with two dashes") [LQL#comments]. */
  ws(): void {
    for (;;) {
      while (this.pos < this.src.length && /\s/.test(this.src[this.pos])) this.pos++;
      if (this.src.startsWith('--', this.pos)) {
        const nl = this.src.indexOf('\n', this.pos);
        this.pos = nl < 0 ? this.src.length : nl + 1;
        continue;
      }
      return;
    }
  }

  atEnd(): boolean {
    this.ws();
    return this.pos >= this.src.length;
  }

  /** AND / OR / NOT: upper case only; "Lowercase and, or, and not are parsed as search terms" [LQL#boolean-operators]. */
  keyword(): 'AND' | 'OR' | 'NOT' | undefined {
    this.ws();
    const m = /^(AND|OR|NOT)(?=$|[\s()"]|--)/.exec(this.src.slice(this.pos, this.pos + 5));
    return m ? (m[1] as 'AND' | 'OR' | 'NOT') : undefined;
  }

  /** `-` as NOT: "You can also replace the NOT operator with the - (minus) operator" [LQL#boolean-operators]. */
  private minusNot(): boolean {
    this.ws();
    const c = this.src[this.pos + 1];
    return this.src[this.pos] === '-' && c !== undefined && c !== '-' && !/[\s\d.]/.test(c);
  }

  private isWordChar(c: string | undefined): boolean {
    return c !== undefined && !/\s/.test(c) && !SPECIAL.has(c);
  }

  /** A double-quoted string; returns its value and its pattern text (see {@link Literal.patternText}). */
  quoted(): { text: string; patternText: string } {
    const start = this.pos;
    if (this.src[this.pos] !== '"') this.fail('expected a double-quoted string');
    this.pos++;
    let text = '';
    let patternText = '';
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) this.fail('unterminated string (missing closing ")', start);
      if (c === '"') {
        this.pos++;
        return { text, patternText };
      }
      if (c === '\\') {
        const n = this.src[this.pos + 1];
        if (n === undefined) this.fail('unterminated string (missing closing ")', start);
        const controls: Record<string, string> = { n: '\n', t: '\t', r: '\r' };
        text += controls[n] ?? n;
        // `\"` and `\\` are string escapes; any other escape (`\d`, `\[`) is passed on to RE2 unchanged, so both
        // "\d+" and "\\d+" mean a digit run, as in the documentation's examples [LQL#regular-expressions, #functions].
        patternText += n === '"' ? '"' : n === '\\' ? '\\' : `\\${n}`;
        this.pos += 2;
        continue;
      }
      text += c;
      patternText += c;
      this.pos++;
    }
  }

  /** A field path: dotted segments, each unquoted or double-quoted (`labels."compute.googleapis.com/resource_id"`). */
  fieldPath(): { segments: Segment[]; start: number; end: number } {
    this.ws();
    const start = this.pos;
    const segments: Segment[] = [];
    for (;;) {
      const pos = this.pos;
      if (this.src[this.pos] === '"') {
        segments.push({ text: this.quoted().text, pos });
      } else {
        while (this.isWordChar(this.src[this.pos]) && this.src[this.pos] !== '.') this.pos++;
        if (this.pos === pos) this.fail('expected a field name');
        segments.push({ text: this.src.slice(pos, this.pos), pos });
      }
      if (this.src[this.pos] !== '.') break;
      this.pos++;
    }
    return { segments, start, end: this.pos };
  }

  field(): FieldRef {
    const { segments, start, end } = this.fieldPath();
    return resolveField(segments, this.src.slice(start, end), (m, p) => this.fail(m, p));
  }

  private operator(): CompareOp | undefined {
    this.ws();
    for (const op of ['=~', '!=', '!~', '<=', '>=', '=', '<', '>', ':'] as const) {
      if (this.src.startsWith(op, this.pos)) return op;
    }
    return undefined;
  }

  // expression = ["NOT"] comparison { ("AND" | "OR") ["NOT"] comparison }        [LQL#syntax-summary]
  // "The NOT operator has the highest precedence, followed by OR and AND in that order", i.e.
  //   "a" OR NOT "b" AND NOT "c" OR "d"  ==  ("a" OR (NOT "b")) AND ((NOT "c") OR "d")   [LQL#boolean-operators]
  // "You can omit the AND operator between comparisons."
  parseQuery(): Expr | undefined {
    if (this.atEnd()) return undefined; // an empty filter matches every entry
    const e = this.andExpr(() => this.term());
    if (!this.atEnd()) this.fail(this.src[this.pos] === ')' ? 'unbalanced ")"' : 'unexpected text');
    return e;
  }

  private andExpr(primary: () => Expr): Expr {
    const items = [this.orExpr(primary)];
    for (;;) {
      if (this.atEnd() || this.src[this.pos] === ')') break;
      const kw = this.keyword();
      if (kw === 'AND') {
        const at = this.pos;
        this.pos += 3;
        if (this.atEnd() || this.src[this.pos] === ')') this.fail('AND must be followed by a comparison', at);
      } else if (kw === 'OR') {
        this.fail('OR must follow a comparison');
      }
      items.push(this.orExpr(primary));
    }
    return items.length === 1 ? items[0] : { kind: 'and', items };
  }

  private orExpr(primary: () => Expr): Expr {
    const items = [this.unary(primary)];
    while (this.keyword() === 'OR') {
      const at = this.pos;
      this.pos += 2;
      if (this.atEnd() || this.src[this.pos] === ')') this.fail('OR must be followed by a comparison', at);
      items.push(this.unary(primary));
    }
    return items.length === 1 ? items[0] : { kind: 'or', items };
  }

  private unary(primary: () => Expr): Expr {
    const kw = this.keyword();
    if (kw === 'NOT' || this.minusNot()) {
      const at = this.pos;
      this.pos += kw === 'NOT' ? 3 : 1;
      if (this.atEnd() || this.src[this.pos] === ')') this.fail('NOT must be followed by a comparison', at);
      return { kind: 'not', expr: this.unary(primary) };
    }
    if (kw === 'AND' || kw === 'OR') this.fail(`${kw} must follow a comparison`);
    this.ws();
    if (this.src[this.pos] === '(') {
      const open = this.pos;
      this.pos++;
      if (this.atEnd() || this.src[this.pos] === ')') this.fail('empty parentheses', open);
      const e = this.andExpr(primary);
      this.ws();
      if (this.src[this.pos] !== ')') this.fail('missing ")"', open);
      this.pos++;
      return e;
    }
    return primary();
  }

  /** A comparison, a function call, or a global restriction (a lone value) [LQL#global-restrictions]. */
  private term(): Expr {
    this.ws();
    const start = this.pos;
    const c = this.src[this.pos];
    if (c === '"') {
      const value = this.literal();
      if (this.operator()) this.fail('a comparison must start with a field name, not a quoted string', start);
      return { kind: 'global', value };
    }
    if (!this.isWordChar(c)) this.fail(c === undefined ? 'expected a comparison' : `unexpected "${c}"`);
    const path = this.fieldPath();
    // function = identifier "(" [ argument { "," argument } ] ")"   [LQL#functions]
    if (this.src[this.pos] === '(' && path.segments.length === 1) return this.functionCall(path.segments[0]);
    const op = this.operator();
    if (!op) {
      // A bare word is a global restriction, e.g. `unicorn` ("A search term that isn't part of a field comparison is
      // an 'all fields' query") [LQL#searching-examples].
      const text = this.src.slice(path.start, path.end);
      if (text === 'NULL_VALUE') this.fail('NULL_VALUE must be the right-hand side of a comparison', start);
      return { kind: 'global', value: { text, patternText: text, quoted: false, isNull: false, pos: start } };
    }
    const field = resolveField(path.segments, this.src.slice(path.start, path.end), (m, p) => this.fail(m, p));
    this.pos += op.length;
    this.ws();
    if (this.src[this.pos] === '*') {
      // "To test if a missing or defaulted field exists …, use the :* comparison" [LQL#missing-fields]
      if (op !== ':') this.fail(`"*" is only valid as ":*" (field exists); ${op}* is not a comparison`);
      this.pos++;
      return { kind: 'exists', field };
    }
    if (this.src[this.pos] === '(') {
      // "If [VALUE] is a parenthesized Boolean combination of comparisons, then the field name and the comparison
      // operator are applied to each element" [LQL#comparisons]
      return this.unary(() => this.compareWith(field, op, this.literal()));
    }
    return this.compareWith(field, op, this.literal());
  }

  private compareWith(field: FieldRef, op: CompareOp, value: Literal): Expr {
    return { kind: 'compare', field, op, value, test: buildCompare(field, op, value, (m, p) => this.fail(m, p)) };
  }

  /** A value: quoted string, NULL_VALUE, number, or unquoted text without special characters. */
  literal(): Literal {
    this.ws();
    const pos = this.pos;
    if (this.src[this.pos] === '"') return { ...this.quoted(), quoted: true, isNull: false, pos };
    const kw = this.keyword();
    if (kw) this.fail(`expected a value, found the operator ${kw}`);
    while (this.isWordChar(this.src[this.pos])) this.pos++;
    const text = this.src.slice(pos, this.pos);
    if (!text) {
      const c = this.src[this.pos];
      this.fail(c === undefined ? 'expected a value' : `expected a value, found "${c}" (special characters must be inside double quotes)`);
    }
    // "Strings starting with + (plus), - (minus), or . (period)" must be double-quoted, numbers aside [LQL#values-and-conversions]
    if (/^[+\-.]/.test(text) && toDouble(text) === undefined) this.fail(`unquoted value "${text}" starts with "${text[0]}": put it in double quotes`, pos);
    return { text, patternText: text, quoted: false, isNull: text === 'NULL_VALUE', pos };
  }

  private functionCall(name: Segment): Expr {
    const fn = name.text.toLowerCase();
    if (fn === 'log_id') {
      // log_id([LOG_ID]): entries whose logName has that (un-escaped) log id [LQL#functions]
      this.pos++;
      this.ws();
      const arg = this.literal();
      this.ws();
      if (this.src[this.pos] !== ')') this.fail('log_id() takes exactly one argument');
      this.pos++;
      return { kind: 'logId', logId: arg.text };
    }
    if (UNSUPPORTED_FUNCTIONS.has(fn))
      throw new UnsupportedFilterError(`the function ${name.text}() is not supported by this evaluator`, this.src, name.pos, this.name);
    this.fail(`unknown function ${name.text}()`, name.pos);
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Evaluation

function evaluate(e: Expr, entry: LogEntry): boolean {
  switch (e.kind) {
    // "The Boolean operators AND and OR are short-circuit operators" [LQL#boolean-operators]
    case 'and':
      for (const x of e.items) if (!evaluate(x, entry)) return false;
      return true;
    case 'or':
      for (const x of e.items) if (evaluate(x, entry)) return true;
      return false;
    // "When you use the Boolean NOT operator on a missing field, the result is TRUE" [LQL#missing-fields]
    case 'not':
      return !evaluate(e.expr, entry);
    case 'compare':
      return e.test(entry);
    case 'exists':
      return lookupField(entry, e.field) !== undefined;
    case 'global': {
      // "Logging uses the has (:) operator to determine if any field in a log entry, or if its payload, contains the
      // global restriction" [LQL#global-restrictions]
      const needle = fold(e.value.text);
      return leaves(entry).some((leaf) => fold(leaf).includes(needle));
    }
    case 'logId': {
      const logName = typeof entry.logName === 'string' ? entry.logName : '';
      const idx = logName.indexOf('/logs/');
      if (idx < 0) return false;
      let id = logName.slice(idx + 6);
      try {
        id = decodeURIComponent(id);
      } catch {
        return false;
      }
      return fold(id) === fold(e.logId);
    }
  }
}

/**
 * Parses a Logging query-language filter. Throws {@link FilterSyntaxError} (with line/column and the `name`, if given)
 * for syntax errors, undefined fields, unconvertible values, invalid RE2 patterns and unsupported features.
 */
export function parseFilter(text: string, options: { name?: string } = {}): Filter {
  const parser = new QueryParser(text, options.name);
  return { text, name: options.name, root: parser.parseQuery() };
}

/**
 * Whether the filter may match an entry whose field at `path` (JSON keys from the LogEntry root, e.g.
 * `['resource', 'labels', 'service_name']`) has `value`: false only when terms every match must satisfy pin the field
 * to other values. `FIELD = "v"` pins it to v (strings compare without regard to case, as `matches` does); an AND
 * pins it to what all its pinning terms allow, an OR of pinning terms to what any allows. `:` (has, a substring
 * test [LQL#has]), `=~`, `!=` and NOT pin nothing.
 */
export function mayMatchFieldValue(filter: Filter | string, path: readonly string[], value: string): boolean {
  const f = typeof filter === 'string' ? parseFilter(filter) : filter;
  const samePath = (ref: FieldRef) => ref.path.length === path.length && ref.path.every((k, i) => k === path[i]);
  /** The folded values every match has in the field; undefined when the expression does not pin it. */
  const pinned = (e: Expr): Set<string> | undefined => {
    switch (e.kind) {
      case 'compare':
        return e.op === '=' && !e.value.isNull && samePath(e.field) ? new Set([fold(e.value.text)]) : undefined;
      case 'and': {
        const sets = e.items.map(pinned).filter((x) => x !== undefined);
        return sets.length ? sets.reduce((acc, x) => new Set([...acc].filter((v) => x.has(v)))) : undefined;
      }
      case 'or': {
        const sets = e.items.map(pinned);
        return sets.every((x) => x !== undefined) ? new Set(sets.flatMap((x) => [...x!])) : undefined;
      }
      default:
        return undefined;
    }
  };
  const values = f.root && pinned(f.root);
  return values === undefined || values.has(fold(value));
}

/** True when the entry matches the filter. An empty filter matches everything. */
export function matches(filter: Filter | string, entry: LogEntry): boolean {
  const f = typeof filter === 'string' ? parseFilter(filter) : filter;
  return f.root === undefined ? true : evaluate(f.root, entry);
}
